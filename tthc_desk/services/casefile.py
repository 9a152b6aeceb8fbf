"""Everything about one case, as the case view, `case show` and the documents need it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tthc_desk import deadline
from tthc_desk.calendar import WorkCalendar
from tthc_desk.deadline import DeadlineRule, DueTrace
from tthc_desk.domain import Channel, Colour, DurationUnit, EventKind, Status, Timeliness, chip_label
from tthc_desk.services.base import Actor, ServiceBase
from tthc_desk.services.queue_rows import NO_DUE_TEXT
from tthc_desk.services.rights import Action, why_not
from tthc_desk.services.workflow import CASE_ACTIONS, state_reason
from tthc_desk.storage.models import AuditEntry, Case, CaseEvent, CaseStep, Letter, Unit, User


@dataclass
class EventView:
    seq: int
    at: datetime
    kind: EventKind
    label: str
    user_name: str
    unit_name: str
    data: dict

    def as_dict(self) -> dict:
        return {"seq": self.seq, "at": self.at.isoformat(), "kind": str(self.kind), "label": self.label,
                "user": self.user_name, "unit": self.unit_name, "data": self.data}


@dataclass
class StepView:
    unit_name: str
    from_unit_name: str
    given_by: str
    handled_by: str
    started_at: datetime
    due_at: datetime | None
    finished_at: datetime | None
    timeliness: Timeliness | None


@dataclass
class CaseDetail:
    id: int
    code: str
    office_id: int
    status: Status
    colour: Colour | None
    remaining_text: str
    procedure_code: str
    procedure_name: str
    field: str
    rule_text: str
    applicant: dict
    owner: dict
    channel: Channel
    return_channel: Channel
    papers: list[dict]
    sets_count: int
    received_at: datetime
    due_at: datetime | None
    original_due_at: datetime | None
    result_at: datetime | None
    returned_at: datetime | None
    closed_at: datetime | None
    close_reason: str
    timeliness: Timeliness | None
    register_year: int | None
    register_number: int | None
    lead_unit: str
    current_unit: str
    received_by: str
    supplement_count: int
    extension_count: int
    source: str
    trace: DueTrace | None
    events: list[EventView] = field(default_factory=list)
    steps: list[StepView] = field(default_factory=list)
    letters: list[dict] = field(default_factory=list)
    actions: dict[str, str | None] = field(default_factory=dict)  # action -> reason it is not allowed, or None

    @property
    def chip_label(self) -> str:
        return chip_label(self.colour, self.status)

    def as_dict(self) -> dict:
        def iso(v):
            return v.isoformat() if isinstance(v, datetime) else v
        return {
            "code": self.code, "status": str(self.status), "status_label": self.status.label,
            "colour": str(self.colour) if self.colour else None, "colour_label": self.chip_label,
            "remaining": self.remaining_text,
            "procedure_code": self.procedure_code, "procedure_name": self.procedure_name, "field": self.field,
            "time_allowed": self.rule_text, "applicant": self.applicant, "owner": self.owner,
            "channel": str(self.channel), "return_channel": str(self.return_channel), "papers": self.papers,
            "sets_count": self.sets_count, "received_at": iso(self.received_at), "due_at": iso(self.due_at),
            "original_due_at": iso(self.original_due_at), "result_at": iso(self.result_at),
            "returned_at": iso(self.returned_at), "closed_at": iso(self.closed_at), "close_reason": self.close_reason,
            "timeliness": str(self.timeliness) if self.timeliness else None,
            "register": {"year": self.register_year, "number": self.register_number},
            "lead_unit": self.lead_unit, "current_unit": self.current_unit, "received_by": self.received_by,
            "supplement_count": self.supplement_count, "extension_count": self.extension_count,
            "trace": self.trace.as_dict() if self.trace else None,
            "events": [e.as_dict() for e in self.events], "letters": self.letters,
            "steps": [{"unit": st.unit_name, "from_unit": st.from_unit_name, "started_at": iso(st.started_at),
                       "due_at": iso(st.due_at), "finished_at": iso(st.finished_at),
                       "timeliness": str(st.timeliness) if st.timeliness else None} for st in self.steps],
        }


class CaseFileService(ServiceBase):
    def detail(self, actor: Actor, code: str) -> CaseDetail:
        now = self.now()
        with self.db.read() as s:
            user = self.user_row(s, actor)
            case = self.case_row(s, user, code)
            cal = self.calendar(s, self.office(s, case.office_id))
            units = dict(s.execute(select(Unit.id, Unit.name).where(Unit.office_id == case.office_id)).all())
            users = dict(s.execute(select(User.id, User.full_name).where(User.office_id == case.office_id)).all())
            events = [
                EventView(e.seq, e.at, EventKind(e.kind), EventKind(e.kind).label, users.get(e.user_id, ""),
                          units.get(e.unit_id, ""), e.data)
                for e in s.execute(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.seq)).scalars()
            ]
            steps = [
                StepView(units.get(st.unit_id, ""), units.get(st.from_unit_id, ""), users.get(st.given_by_id, ""),
                         users.get(st.handled_by_id, ""), st.started_at, st.due_at, st.finished_at,
                         deadline.timeliness(st.finished_at, st.due_at) if st.finished_at and st.due_at else None)
                for st in s.execute(select(CaseStep).where(CaseStep.case_id == case.id).order_by(CaseStep.id)).scalars()
            ]
            letters = [
                {"kind": lt.kind, "number": lt.number, "issued_at": lt.issued_at.isoformat(), "signer": lt.signer}
                for lt in s.execute(select(Letter).where(Letter.case_id == case.id).order_by(Letter.id)).scalars()
            ]
            changed = _changed_since(s, _computed_at(case))
            return self._detail(case, user, cal, now, units, users, events, steps, letters, changed)

    def _detail(self, case, user, cal, now, units, users, events, steps, letters, changed) -> CaseDetail:
        status = Status(case.status)
        colour, remaining = None, ""
        if case.is_open:
            colour = deadline.colour(status, now, case.original_due_at, case.warn_at)
            if status is not Status.WAITING_SUPPLEMENT and case.original_due_at:
                remaining = deadline.describe_remaining(cal, now, case.original_due_at)[1]
            elif status is Status.WAITING_SUPPLEMENT:
                remaining = "đang chờ bổ sung"
            else:
                remaining = NO_DUE_TEXT
        backs = [e.data for e in events if e.kind is EventKind.SUPPLEMENT_RECEIVED]
        since = _computed_at(case)
        moves = [(e.at, datetime.fromisoformat(e.data["old_due_at"]), datetime.fromisoformat(e.data["new_due_at"]))
                 for e in events if e.kind is EventKind.DUE_RECOMPUTED and e.at >= since]
        trace = due_trace(cal, case, portal_wait=bool(backs and backs[-1].get("left_from_import")),
                          changed=changed, calendar_moves=moves)
        actions = {}
        for action in CASE_ACTIONS:
            actions[str(action)] = why_not(user.role, action) or state_reason(case, action)
        return CaseDetail(
            id=case.id, code=case.code, office_id=case.office_id, status=status, colour=colour,
            remaining_text=remaining, procedure_code=case.procedure_code, procedure_name=case.procedure_name,
            field=case.field,
            rule_text=DeadlineRule(case.rule_amount, DurationUnit(case.rule_unit)).describe() if case.rule_unit else "",
            applicant={"name": case.applicant_name, "id_number": case.applicant_id_number,
                       "phone": case.applicant_phone, "email": case.applicant_email, "address": case.applicant_address},
            owner={"name": case.owner_name, "id_number": case.owner_id_number, "address": case.owner_address},
            channel=Channel(case.channel), return_channel=Channel(case.return_channel), papers=list(case.papers or []),
            sets_count=case.sets_count, received_at=case.received_at, due_at=case.due_at,
            original_due_at=case.original_due_at, result_at=case.result_at, returned_at=case.returned_at,
            closed_at=case.closed_at, close_reason=case.close_reason,
            timeliness=deadline.timeliness(case.result_at, case.original_due_at) if case.result_at and case.original_due_at else None,
            register_year=case.register_year, register_number=case.register_number,
            lead_unit=units.get(case.lead_unit_id, ""), current_unit=units.get(case.current_unit_id, ""),
            received_by=users.get(case.received_by_id, ""), supplement_count=case.supplement_count,
            extension_count=case.extension_count, source=case.source, trace=trace, events=events, steps=steps,
            letters=letters, actions=actions,
        )

    def allowed(self, actor: Actor, code: str, action: Action) -> str | None:
        return self.detail(actor, code).actions.get(str(action))


def due_trace(
    cal: WorkCalendar, case: Case, portal_wait: bool = False, changed: frozenset[str] | None = None,
    calendar_moves: list[tuple[datetime, datetime, datetime]] | None = None,
) -> DueTrace | None:
    """The "why this date" trace of a case's stored statutory due (`original_due_at`), never of another date:
    the trace is shown and printed next to the due the applicant was given (DOMAIN §5). `portal_wait`: the
    last wait came with a portal file, and its time left was counted from that file's import. When the stored
    due is not what today's hours and calendar give, `changed` says what changed since it was computed
    (HOURS, CALENDAR: see `_changed_since`; None: not known) and `calendar_moves` the calendar edits that moved
    it since (when, old due, new due), so the trace names the change that happened and no other."""
    due = case.original_due_at
    if due is None:
        return None
    rule = DeadlineRule(case.rule_amount, DurationUnit(case.rule_unit)) if case.rule_unit else None
    clock_from = case.clock_from or case.received_at
    resumed = clock_from != case.received_at  # counted from papers received back, not from the receipt
    if case.source != "desk" and not resumed:
        return deadline.explain_stored_due(
            case.received_at,
            due,
            rule,
            ["Hồ sơ nhập từ hệ thống của tỉnh: hạn trả do hệ thống đó cấp, được giữ nguyên, không tính lại."],
        )
    if rule is None:
        if not resumed:
            return None
        return deadline.explain_stored_due(case.received_at, due, None, [
            f"Thủ tục chưa có thời hạn giải quyết trong Danh mục (cần xác nhận): khi nhận lại hồ sơ bổ sung "
            f"({deadline.fmt_moment(clock_from)}), hồ sơ được tính tiếp thời gian làm việc còn lại lúc yêu cầu "
            "bổ sung, theo hạn trước đó.", *_moved_lines(calendar_moves or [])])
    status = Status(case.status)
    if resumed and case.supplement_mode == "pause" and case.paused_minutes_left is not None:
        trace = deadline.explain_resume(
            cal, case.received_at, clock_from, max(0, case.paused_minutes_left), rule, from_import=portal_wait
        )
    else:
        trace = deadline.explain_due(
            cal, case.received_at, rule, papers_back_at=clock_from if resumed else None
        )
    if trace.due_at != due:
        # computed under working hours (cut-off, sessions) or on a calendar that have changed since, and not
        # computed again: the due given then stands (moved only by the calendar edits made while it was open)
        moment = "nhận lại hồ sơ bổ sung" if resumed else "tiếp nhận hồ sơ"
        trace = deadline.explain_stored_due(
            case.received_at,
            due,
            rule,
            [_kept_line(moment, clock_from, changed, bool(calendar_moves)), *_moved_lines(calendar_moves or [])],
        )
    if status is Status.WAITING_SUPPLEMENT:
        trace.steps.append(
            "Hồ sơ đang chờ bổ sung: hạn trên là hạn lúc yêu cầu bổ sung; khi nhận lại đủ hồ sơ, "
            "hạn (hoặc ngày hẹn trả) được tính lại."
        )
    # an apology's new appointment, or one moved when papers came back while the statutory due was kept
    if case.due_at and case.due_at != due:
        trace.steps.append(
            f"Ngày hẹn trả hiện tại: {deadline.fmt_moment(case.due_at)}; hạn trên vẫn là hạn gốc, "
            "dùng để tính đúng hạn, trễ hạn."
        )
    return trace


HOURS, CALENDAR = "hours", "calendar"
_HOURS_KEYS = {"sessions", "cutoff"}  # what an office's `WorkingHours` is made of (OfficeSettings)


def _computed_at(case: Case) -> datetime:
    """When the stored due was computed here: the papers back for a resumed case, else the registration."""
    clock_from = case.clock_from or case.received_at
    return clock_from if clock_from != case.received_at else (case.created_at or case.received_at)


def _changed_since(s: Session, moment: datetime) -> frozenset[str]:
    """What of the office's hours (HOURS) and calendar (CALENDAR) the audit chain shows changed from `moment`."""
    out = set()
    rows = s.execute(
        select(AuditEntry.action, AuditEntry.data).where(
            AuditEntry.at >= moment, AuditEntry.action.in_(("update_office", "calendar_change"))
        )
    )
    for action, data in rows:
        if action == "calendar_change":
            out.add(CALENDAR)
        elif _HOURS_KEYS & set(data or {}):
            out.add(HOURS)
    return frozenset(out)


def _kept_line(moment: str, at: datetime, changed: frozenset[str] | None, moved: bool) -> str:
    """Why the stored due is not today's computation, naming what changed since (both, when not known)."""
    known = bool(changed)  # neither in the audit chain (e.g. days an upgrade added): not known, both named
    hours = not known or HOURS in changed
    calendar = not known or CALENDAR in changed
    applied = " và ".join(w for w, on in (("giờ làm việc", hours), ("lịch ngày nghỉ", calendar)) if on)
    what = applied if known else "giờ làm việc hoặc lịch ngày nghỉ"
    kept = ("không được tính lại từ đầu, chỉ được dời theo những lần sửa lịch ngày nghỉ dưới đây" if moved
            else "được giữ nguyên, không tính lại")
    return (f"Hạn này được tính khi {moment} ({deadline.fmt_moment(at)}), theo {applied} của cơ quan áp dụng lúc "
            f"đó; {what} đã thay đổi sau đó nên hạn đã hẹn {kept}.")


def _moved_lines(moves: list[tuple[datetime, datetime, datetime]]) -> list[str]:
    """One line per calendar edit that moved the due (the case's DUE_RECOMPUTED events)."""
    return [f"Lịch ngày nghỉ được sửa lúc {deadline.fmt_moment(at)}: hạn được dời từ {deadline.fmt_moment(old)} "
            f"sang {deadline.fmt_moment(new)}." for at, old, new in moves]
