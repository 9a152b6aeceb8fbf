"""Registering a case at the desk: validation, the rule it is received under, its code and due time."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tthc_desk import deadline
from tthc_desk.calendar import WorkCalendar
from tthc_desk.deadline import DeadlineRule, DueTrace
from tthc_desk.domain import Channel, DurationUnit, EventKind, Status, SupplementMode
from tthc_desk.errors import NotFound, ValidationError
from tthc_desk.services.base import Actor, ServiceBase
from tthc_desk.services.ledger import add_event
from tthc_desk.services.rights import Action
from tthc_desk.services.sequences import allocate_case_code, allocate_register_number
from tthc_desk.storage.locks import hold_sync
from tthc_desk.storage.models import Case, Office, Procedure
from tthc_desk.text import clean, clean_multiline, digits, fold

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CODE = re.compile(r"^[0-9A-Za-z.]+-\d{6}-\d{4,}$")


@dataclass
class PaperCount:
    name: str
    originals: int = 0
    certified: int = 0
    photocopies: int = 0


@dataclass
class IntakeForm:
    procedure_id: int | None = None
    applicant_name: str = ""
    applicant_id_number: str = ""
    applicant_phone: str = ""
    applicant_email: str = ""
    applicant_address: str = ""
    owner_name: str = ""
    owner_id_number: str = ""
    owner_address: str = ""
    channel: str = Channel.DIRECT
    return_channel: str | None = None
    papers: list[PaperCount] = field(default_factory=list)
    sets_count: int = 1
    received_at: datetime | None = None
    code: str = ""  # an online case keeps the code the provincial system gave it
    intake_token: str | None = None  # the same token saved twice gives the same case
    rule_amount: float | None = None  # explicit time allowed when the catalogue's is unclear
    rule_unit: str | None = None

    def normalised(self) -> IntakeForm:
        """A copy with every text in NFC, trimmed, and ID/phone numbers reduced to their digits."""
        return IntakeForm(
            procedure_id=self.procedure_id,
            applicant_name=clean(self.applicant_name),
            applicant_id_number=digits(self.applicant_id_number),
            applicant_phone=_phone(self.applicant_phone),
            applicant_email=clean(self.applicant_email).lower(),
            applicant_address=clean_multiline(self.applicant_address),
            owner_name=clean(self.owner_name),
            owner_id_number=digits(self.owner_id_number),
            owner_address=clean_multiline(self.owner_address),
            channel=self.channel,
            return_channel=self.return_channel,
            papers=[PaperCount(clean(p.name), max(0, p.originals), max(0, p.certified), max(0, p.photocopies))
                    for p in self.papers if clean(p.name)],
            sets_count=self.sets_count,
            received_at=self.received_at,
            code=clean(self.code),
            intake_token=self.intake_token,
            rule_amount=self.rule_amount,
            rule_unit=self.rule_unit,
        )


def _phone(value: str) -> str:
    d = digits(value)
    if clean(value).startswith("+84") or (d.startswith("84") and len(d) == 11):
        d = "0" + d[2:]
    return d


def validate_form(form: IntakeForm) -> dict[str, str]:
    """Field -> Vietnamese message for every problem in the form (empty when it can be saved)."""
    f = form.normalised()
    errors: dict[str, str] = {}
    if f.procedure_id is None:
        errors["procedure_id"] = "Chưa chọn thủ tục hành chính."
    if not f.applicant_name:
        errors["applicant_name"] = "Chưa nhập họ tên người nộp hồ sơ."
    for key in ("applicant_id_number", "owner_id_number"):
        value = getattr(f, key)
        if value and len(value) != 12:
            errors[key] = "Số CCCD/định danh cá nhân phải đủ 12 chữ số."
    if f.applicant_phone and not re.fullmatch(r"0\d{9}", f.applicant_phone):
        errors["applicant_phone"] = "Số điện thoại phải có 10 chữ số, bắt đầu bằng 0."
    if f.applicant_email and not _EMAIL.match(f.applicant_email):
        errors["applicant_email"] = "Địa chỉ thư điện tử không hợp lệ."
    try:
        Channel(f.channel)
    except ValueError:
        errors["channel"] = "Kênh nộp không hợp lệ."
    if f.sets_count < 1:
        errors["sets_count"] = "Số bộ hồ sơ ít nhất là 1."
    if f.code and not _CODE.match(f.code):
        errors["code"] = "Mã hồ sơ không đúng dạng <mã cơ quan>-YYMMDD-NNNN."
    if f.rule_unit is not None:
        try:
            DurationUnit(f.rule_unit)
        except ValueError:
            errors["rule_unit"] = "Đơn vị thời hạn không hợp lệ."
    return errors


def rule_for(proc: Procedure, channel: str, amount: float | None = None, unit: str | None = None) -> DeadlineRule | None:
    """The time allowed for a procedure on a channel (an explicit amount/unit wins), or None if unclear."""
    if unit:
        return DeadlineRule(amount, DurationUnit(unit))
    ch = Channel(channel)
    pairs = {
        Channel.DIRECT: (proc.direct_amount, proc.direct_unit),
        Channel.ONLINE: (proc.online_amount, proc.online_unit),
        Channel.POST: (proc.post_amount, proc.post_unit),
    }
    amt, u = pairs[ch]
    if u is None:
        amt, u = pairs[Channel.DIRECT]  # the portal often lists one time for every channel
    if u is None or (u != DurationUnit.SAME_DAY and amt is None):
        return None
    return DeadlineRule(amt, DurationUnit(u))


def search_text_for(case: Case) -> str:
    parts = search_parts((case.code, case.applicant_name, case.owner_name, case.applicant_id_number,
                          case.owner_id_number, case.applicant_phone, case.procedure_code))
    return " ".join(fold(p) for p in parts if p)


def search_parts(values: tuple[str, ...]) -> tuple[str, ...]:
    """(code, applicant, owner, applicant's ID, owner's ID, phone, procedure code) as the search text holds
    them: the owner's name and ID number only where they differ from the applicant's. Most applicants are the
    owners, and the repeat only made the search index and the queue's covering index bigger."""
    code, applicant, owner, applicant_id, owner_id, phone, procedure = values
    return (code, applicant, "" if owner == applicant else owner, applicant_id,
            "" if owner_id == applicant_id else owner_id, phone, procedure)


@dataclass
class IntakeResult:
    case_id: int
    code: str
    register_number: int | None
    due_at: datetime
    trace: DueTrace
    created: bool


class IntakeService(ServiceBase):
    def preview_due(self, actor: Actor, procedure_id: int, channel: str = Channel.DIRECT,
                    received_at: datetime | None = None, amount: float | None = None,
                    unit: str | None = None) -> DueTrace | None:
        """The due time and its trace the form shows live (None when the procedure's time is unclear)."""
        with self.db.read() as s:
            office = self.office(s, actor.office_id)
            proc = s.get(Procedure, procedure_id)
            if proc is None:
                raise NotFound("Không tìm thấy thủ tục.")
            rule = rule_for(proc, channel, amount, unit)
            if rule is None:
                return None
            return deadline.explain_due(self.calendar(s, office), received_at or self.now(), rule)

    def register(self, actor: Actor, form: IntakeForm) -> IntakeResult:
        """Register a new case in one transaction: validation, code, register number, due time, first event."""
        errors = validate_form(form)
        if errors:
            raise ValidationError(next(iter(errors.values())), field=next(iter(errors)))
        f = form.normalised()
        with self.db.write() as s:
            user = self.user_row(s, actor, Action.INTAKE)
            if f.intake_token:
                existing = s.execute(select(Case).where(Case.intake_token == f.intake_token)).scalar_one_or_none()
                if existing is not None:
                    return self._result(s, existing, created=False)
            office = self.office(s, user.office_id)
            proc = s.get(Procedure, f.procedure_id)
            if proc is None or not proc.active:
                raise NotFound("Không tìm thấy thủ tục hành chính đã chọn.")
            rule = rule_for(proc, f.channel, f.rule_amount, f.rule_unit)
            if rule is None:
                raise ValidationError(
                    f"Thủ tục {proc.code} chưa có thời hạn giải quyết rõ ràng (cần xác nhận); "
                    "hãy nhập thời hạn hoặc nhờ quản trị xác nhận danh mục.", field="rule_amount")
            cal = self.calendar(s, office)
            received = (f.received_at or self.now()).replace(second=0, microsecond=0)
            case = self._new_case(s, office, user, proc, rule, f, received, cal)
            add_event(s, case, EventKind.RECEIVED, received, user.id, user.unit_id, {
                "channel": case.channel, "due_at": case.due_at.isoformat(), "rule": rule.describe(),
                "register_number": case.register_number,
            })
            return self._result(s, case, created=True)

    def _new_case(self, s: Session, office: Office, user, proc: Procedure, rule: DeadlineRule,
                  f: IntakeForm, received: datetime, cal: WorkCalendar) -> Case:
        # on PostgreSQL an import adding this code could commit between the check below and the insert: the
        # code is checked and taken while no import runs (`storage.locks`); desks registering do not wait for
        # each other (the lock is shared among them)
        hold_sync(s, shared=True)
        if f.code:
            if s.execute(select(Case.id).where(Case.code == f.code)).first():
                raise ValidationError(f"Mã hồ sơ {f.code} đã có trong sổ.", field="code")
            code = f.code
        else:
            code = allocate_case_code(s, office.id, office.code, received)
        due = deadline.compute_due(cal, received, rule)
        window = proc.warning_minutes if proc.warning_minutes is not None else office.warning_minutes
        start = deadline.start_of_clock(cal, received)
        warn = deadline.warning_minutes(cal, min(start, due), due, window)
        case = Case(
            office_id=office.id, code=code, procedure_id=proc.id, procedure_code=proc.code,
            procedure_name=proc.name, field=proc.field, rule_amount=rule.amount, rule_unit=str(rule.unit),
            supplement_mode=proc.supplement_mode or office.supplement_mode or SupplementMode.RESTART,
            rule_snapshot={"workflow": proc.workflow, "warning_window": window, "rule": rule.describe()},
            applicant_name=f.applicant_name, applicant_id_number=f.applicant_id_number,
            applicant_phone=f.applicant_phone, applicant_email=f.applicant_email,
            applicant_address=f.applicant_address, owner_name=f.owner_name or f.applicant_name,
            owner_id_number=f.owner_id_number, owner_address=f.owner_address, channel=str(Channel(f.channel)),
            return_channel=str(Channel(f.return_channel or f.channel)),
            papers=[p.__dict__ for p in f.papers], sets_count=f.sets_count, received_at=received,
            clock_from=received, due_at=due, original_due_at=due, warn_minutes=warn,
            warn_at=deadline.warn_moment(cal, due, warn), lead_unit_id=proc.lead_unit_id,
            current_unit_id=user.unit_id, status=str(Status.RECEIVED), is_open=True,
            received_by_id=user.id, officer_id=user.id, source="desk", intake_token=f.intake_token,
            created_at=self.now(), updated_at=self.now(),
            register_year=received.year,
            register_number=allocate_register_number(s, office.id, received.year),
        )
        case.search_text = search_text_for(case)
        s.add(case)
        s.flush()
        return case

    def _result(self, s: Session, case: Case, created: bool) -> IntakeResult:
        office = self.office(s, case.office_id)
        cal = self.calendar(s, office)
        rule = DeadlineRule(case.rule_amount, DurationUnit(case.rule_unit))
        trace = deadline.explain_due(cal, case.clock_from or case.received_at, rule)
        return IntakeResult(case.id, case.code, case.register_number, case.due_at, trace, created)
