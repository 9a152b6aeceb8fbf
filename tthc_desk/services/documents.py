"""Printing: stored cases turned into the official forms, each issued letter recorded on its case."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tthc_desk import documents as docs  # the renderers (reportlab) load on first print
from tthc_desk.deadline import DeadlineRule, timeliness
from tthc_desk.documents.office_header import desk_letterhead, issuer_letterhead, running_name, signer_of
from tthc_desk.domain import Channel, DurationUnit, EventKind, Role, Status
from tthc_desk.errors import InvalidTransition, ValidationError
from tthc_desk.services.base import Actor, ServiceBase
from tthc_desk.services.ledger import add_event
from tthc_desk.services.rights import Action, why_not
from tthc_desk.services.sequences import current_value, next_value
from tthc_desk.storage.models import Case, CaseEvent, CaseStep, Letter, Office, Unit, User
from tthc_desk.text import fold

KINDS = {"receipt": "Giấy tiếp nhận và hẹn trả kết quả", "supplement": "Phiếu yêu cầu bổ sung",
         "refusal": "Phiếu từ chối", "apology": "Phiếu xin lỗi và hẹn lại", "control": "Phiếu kiểm soát",
         "stop_notice": "Thông báo dừng giải quyết hồ sơ"}
NUMBERED = {"supplement": "PBS", "refusal": "PTC", "apology": "XL", "stop_notice": "TB"}
RETURN_WORDS = {Channel.DIRECT: "Tại Bộ phận Một cửa", Channel.ONLINE: "Trực tuyến (qua Cổng dịch vụ công)",
                Channel.POST: "Qua dịch vụ bưu chính công ích"}


NO_SUPPLEMENT = "Hồ sơ chưa có yêu cầu bổ sung nào để in phiếu."
NOT_REFUSED = "Chỉ in phiếu từ chối cho hồ sơ đã bị từ chối."
NO_APOLOGY = "Hồ sơ chưa được ghi nhận xin lỗi và hẹn lại."
NOT_STOPPED = "Chỉ in thông báo dừng cho hồ sơ đã dừng xử lý."
# What a case view can print, in order. A kind the office's form set has no form for (the stop notice before the
# 2025 set) is not offered.
PRINTABLE = ("receipt", "supplement", "refusal", "apology", "control", "stop_notice")
# Mẫu 06: the heading of the cases after the book's numbered ones, which the book never numbered (DOMAIN §3)
UNNUMBERED_HEADING = "Hồ sơ nhập từ tệp của Cổng dịch vụ công (không có số thứ tự trong sổ)"
_FULL_NAME = {"control": "control_sheet"}  # a kind's profile form key and DocumentService method, where longer
_SHORT_NAME = {v: k for k, v in _FULL_NAME.items()}


@dataclass(frozen=True)
class _Draft:
    """A form ready to draw once numbered: who signs it, the number it must carry (an apology's, given when the
    extension was recorded; "" for the next of the series), the drawing, from (number, form set) to PDF, the
    symbol of the body it is issued under (the number's "-BPMC", "-UBND") and the day it is dated (its number
    is taken from that year's series; None: today's)."""

    signer: str
    number: str
    draw: Callable[[str, docs.FormProfile], bytes]
    symbol: str = ""
    dated: date | None = None


@dataclass(frozen=True)
class DocumentChoice:
    """One document a case view offers: its kind (the DocumentService method's name, `control` for
    `control_sheet`), the words of the office's form set ("Mẫu số 02 — Phiếu yêu cầu bổ sung, …"), and why it
    cannot be printed for this case by this user now (None: it can)."""

    kind: str
    label: str
    reason: str | None


def _notes(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def _initials(name: str) -> str:
    """'BỘ PHẬN MỘT CỬA' -> 'BPMC', 'ỦY BAN NHÂN DÂN' -> 'UBND' (without diacritics, as symbols are)."""
    return "".join(w[0] for w in fold(name).split() if w[:1].isalpha()).upper()


def _abbr(office: Office) -> str:
    """The desk's symbol: its forms are issued under its own name (desk_letterhead)."""
    return _initials(office.issuing_body) or "BPMC"


def issuer_symbol(office: Office) -> str:
    """The symbol of the body whose letterhead the letters carry (issuer_letterhead): the kind of body, the
    first line of the parent body ('ỦY BAN NHÂN DÂN' / 'HUYỆN TÂY SƠN' -> 'UBND'), as the monthly letter's
    '/UBND-KSTT'; the desk's own where there is no parent body (the letterhead is then the desk's)."""
    first = next((ln for ln in office.parent_body.splitlines() if ln.strip()), "")
    return _initials(first) or _abbr(office)


class DocumentService(ServiceBase):
    # ----- loading ----------------------------------------------------------------------------------
    def _case_doc(self, s: Session, case: Case) -> docs.CaseDoc:
        """What the forms print about the case. The due time is the appointment of the receipt (Mẫu 01 item 5,
        `original_due_at`); an extension adds the apology's new appointment and its day beside it (DOMAIN §4:
        both dates kept). The co-operating units are those, other than the lead, that held a step."""
        units = dict(s.execute(select(Unit.id, Unit.name)).all())
        officer = s.get(User, case.received_by_id) if case.received_by_id else None
        extended = self._last_event(s, case, EventKind.EXTENDED) if case.extension_count else None
        steps = self._steps(s, case)
        not_co = {case.lead_unit_id, None, steps[0].from_unit_id if steps else None}  # the lead, the desk
        co_units = [units.get(st.unit_id, "") for st in steps if st.unit_id not in not_co]
        new_due = (extended.data or {}).get("new_due_at") if extended else None
        if case.extension_count and extended is None and case.due_at != case.original_due_at and case.due_at:
            new_due = case.due_at.isoformat()  # the portal file's new appointment: its letter's day is not known
        rule = DeadlineRule(case.rule_amount, DurationUnit(case.rule_unit)).describe() if case.rule_unit else ""
        papers = tuple(docs.PaperLine(name=p.get("name", ""), originals=int(p.get("originals", 0)),
                                      certified_copies=int(p.get("certified", 0)), photocopies=int(p.get("photocopies", 0)))
                       for p in case.papers or [])
        return docs.CaseDoc(
            code=case.code, applicant_name=case.applicant_name, procedure_name=case.procedure_name,
            received_at=case.received_at, due_at=case.original_due_at or case.due_at,
            procedure_code=case.procedure_code,
            applicant_address=case.applicant_address, applicant_phone=case.applicant_phone,
            applicant_email=case.applicant_email, applicant_id=case.applicant_id_number, time_allowed=rule,
            return_channel=RETURN_WORDS[Channel(case.return_channel)], papers=papers, sets=case.sets_count,
            register_book=f"{case.register_year or ''}", register_number=f"{case.register_number or ''}",
            receiving_officer=officer.full_name if officer else "", lead_unit=units.get(case.lead_unit_id, ""),
            co_units=tuple(dict.fromkeys(u for u in co_units if u)),
            new_due_at=datetime.fromisoformat(new_due) if new_due else None,
            apology_on=extended.at.date() if extended else None,
        )

    def _steps(self, s: Session, case: Case) -> list[CaseStep]:
        stmt = select(CaseStep).where(CaseStep.case_id == case.id).order_by(CaseStep.id)
        return list(s.execute(stmt).scalars())

    def _officer(self, s: Session, ev: CaseEvent, user: User) -> str:
        """The officer who acted on the event (who refused, who asked for papers): the one who signs for it;
        the printing user only for an event recorded without one."""
        actor = s.get(User, ev.user_id) if ev.user_id else None
        return (actor or user).full_name

    def _last_event(self, s: Session, case: Case, kind: EventKind) -> CaseEvent | None:
        return s.execute(select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.kind == str(kind))
                         .order_by(CaseEvent.seq.desc()).limit(1)).scalar_one_or_none()

    def _number(self, s: Session, case: Case, office: Office, kind: str, draft: _Draft, *,
                take: bool) -> tuple[str, bool]:
        """The letter's number and whether it is a reprint: the number its kind already has on this case (unless
        another is given), else the next of the office's yearly series for numbered kinds, taken (`take`) or only
        looked at (a preview). The series is that of the year the letter is dated (a refusal of 26/11/2025
        printed in 2026 is numbered in 2025's), with the symbol of the body it is issued under."""
        number = draft.number
        earlier = s.execute(select(Letter).where(Letter.case_id == case.id, Letter.kind == kind)
                            .order_by(Letter.id.desc()).limit(1)).scalar_one_or_none()
        if earlier is not None and (not number or number == earlier.number):
            return earlier.number, True
        if kind in NUMBERED and not number:
            key, year = f"letter:{kind}", str((draft.dated or self.now()).year)
            n = next_value(s, office.id, key, year) if take else current_value(s, office.id, key, year) + 1
            number = f"{n:02d}/{NUMBERED[kind]}-{draft.symbol or _abbr(office)}"
        return number, False

    def _record(self, s: Session, case: Case, user: User, office: Office, kind: str, draft: _Draft) -> str:
        signer = draft.signer
        number, reprint = self._number(s, case, office, kind, draft, take=True)
        data = {"kind": kind, "number": number, "signer": signer} | ({"reprint": True} if reprint else {})
        if not reprint:
            s.add(Letter(case_id=case.id, kind=kind, number=number, issued_at=self.now(), signer=signer,
                         user_id=user.id, data={"title": KINDS[kind]}))
        add_event(s, case, EventKind.LETTER_ISSUED, self.now(), user.id, user.unit_id, data)
        return number

    # ----- what can be printed -----------------------------------------------------------------------
    def choices(self, actor: Actor, code: str) -> list[DocumentChoice]:
        """Each document of `PRINTABLE` for one case, with the reason it cannot be printed (the same rules the
        printing methods enforce): a supplement request only after papers were asked for, a refusal only for
        a refused case, an apology only after the apology was recorded."""
        with self.db.read() as s:
            user = self.user_row(s, actor)
            case = self.case_row(s, user, code)
            profile = self._profile(self.office(s, case.office_id))
            denied = why_not(user.role, Action.PRINT)
            kinds = set(s.execute(select(CaseEvent.kind).where(
                CaseEvent.case_id == case.id,
                CaseEvent.kind.in_([str(EventKind.SUPPLEMENT_REQUESTED), str(EventKind.EXTENDED)]))).scalars())
            state = {
                "supplement": None if str(EventKind.SUPPLEMENT_REQUESTED) in kinds else NO_SUPPLEMENT,
                "refusal": None if Status(case.status) is Status.REFUSED else NOT_REFUSED,
                "apology": None if str(EventKind.EXTENDED) in kinds else NO_APOLOGY,
                "stop_notice": None if Status(case.status) is Status.STOPPED else NOT_STOPPED,
            }
            out = []
            for kind in PRINTABLE:
                spec = profile.forms.get(_FULL_NAME.get(kind, kind))
                if spec is None:
                    continue
                words = spec.title.capitalize()
                label = f"{spec.number} — {words}" if spec.number else words
                out.append(DocumentChoice(kind, label, denied or state.get(kind)))
            return out

    def render(self, actor: Actor, code: str, kind: str, copies: int = 1) -> bytes:
        """The document of `kind` (one of `PRINTABLE`) for a case, recorded as issued: what printing or saving
        it does. `copies`: the receipt's liên (2: the applicant's and the file's, on separate pages)."""
        return self._produce(actor, code, self._kind(kind), issue=True, **self._options(kind, copies))

    def preview(self, actor: Actor, code: str, kind: str, copies: int = 1) -> bytes:
        """The document as `render` would issue it now, recording nothing (nothing is written): looking at a
        letter neither issues it nor takes a number from the office's series; it shows the number the letter
        already has, or the one it would take."""
        return self._produce(actor, code, self._kind(kind), issue=False, **self._options(kind, copies))

    @staticmethod
    def _kind(kind: str) -> str:
        if kind not in PRINTABLE:
            raise ValidationError(f"Không có văn bản loại “{kind}”.")
        return _FULL_NAME.get(kind, kind)

    @staticmethod
    def _options(kind: str, copies: int) -> dict:
        if copies not in (1, 2) or (copies == 2 and kind != "receipt"):
            raise ValidationError("Chỉ giấy tiếp nhận in 2 liên; văn bản khác in 1 bản mỗi lần.")
        return {"copies": copies} if kind == "receipt" else {}

    # ----- forms: each drafted from the stored case, then numbered and drawn -------------------------------
    def receipt(self, actor: Actor, code: str, copies: int = 1) -> bytes:
        return self._produce(actor, code, "receipt", issue=True, copies=copies)

    def supplement(self, actor: Actor, code: str, contact_phone: str = "") -> bytes:
        return self._produce(actor, code, "supplement", issue=True, contact_phone=contact_phone)

    def refusal(self, actor: Actor, code: str) -> bytes:
        return self._produce(actor, code, "refusal", issue=True)

    def apology(self, actor: Actor, code: str, signer_index: int = 0) -> bytes:
        return self._produce(actor, code, "apology", issue=True, signer_index=signer_index)

    def stop_notice(self, actor: Actor, code: str, signer_index: int = 0) -> bytes:
        """The 2025 form set's notice to the applicant that a stopped case will not be processed further."""
        return self._produce(actor, code, "stop_notice", issue=True, signer_index=signer_index)

    def control_sheet(self, actor: Actor, code: str) -> bytes:
        return self._produce(actor, code, "control_sheet", issue=True)

    def _produce(self, actor: Actor, code: str, form: str, *, issue: bool, **options) -> bytes:
        """Draft the form (refused when the case has no such letter), number it, record it when `issue`, draw."""
        with self.db.write() if issue else self.db.read() as s:
            user = self.user_row(s, actor, Action.PRINT)
            case = self.case_row(s, user, code, lock=issue)  # locked like any change: issuing appends to its history
            office = self.office(s, case.office_id)
            profile = self._profile(office)
            draft: _Draft = getattr(self, f"_draft_{form}")(s, case, user, office, **options)
            kind = _SHORT_NAME.get(form, form)
            if issue:
                number = self._record(s, case, user, office, kind, draft)
            else:
                number = self._number(s, case, office, kind, draft, take=False)[0]
            return draft.draw(number, profile)

    def _draft_receipt(self, s: Session, case: Case, user: User, office: Office, copies: int = 1) -> _Draft:
        doc = self._case_doc(s, case)
        return _Draft(user.full_name, "", lambda number, profile: docs.render_receipt(
            doc, desk_letterhead(office), profile, copies=copies, doc_number=number))

    def _draft_supplement(self, s: Session, case: Case, user: User, office: Office, contact_phone: str = "") -> _Draft:
        ev = self._last_event(s, case, EventKind.SUPPLEMENT_REQUESTED)
        if ev is None:
            raise InvalidTransition(NO_SUPPLEMENT)
        case_doc, officer = self._case_doc(s, case), self._officer(s, ev, user)
        return _Draft(officer, "", lambda number, profile: docs.render_supplement(docs.SupplementDoc(
            case=case_doc, items=tuple(ev.data.get("missing") or []), reason=ev.data.get("reason", ""),
            contact_person=officer, contact_phone=contact_phone or office.phone, guide_name=officer,
            issued_on=ev.at.date(), doc_number=number), desk_letterhead(office), profile),
            symbol=_abbr(office), dated=ev.at.date())

    def _draft_refusal(self, s: Session, case: Case, user: User, office: Office) -> _Draft:
        if Status(case.status) is not Status.REFUSED:
            raise InvalidTransition(NOT_REFUSED)
        case_doc, ev = self._case_doc(s, case), self._last_event(s, case, EventKind.REFUSED)
        # the officer who refused signs; a refusal the portal's file brought (no REFUSED event: an act of
        # another desk) names nobody of this one: the name is left for hand signing, as its date and reason
        officer = self._officer(s, ev, user) if ev is not None else ""
        dated = case.closed_at.date() if case.closed_at else None
        return _Draft(officer, "", lambda number, profile: docs.render_refusal(docs.RefusalDoc(
            case=case_doc, reason=case.close_reason, officer_name=officer, issued_on=dated,
            doc_number=number), desk_letterhead(office), profile), symbol=_abbr(office), dated=dated)

    def _draft_apology(self, s: Session, case: Case, user: User, office: Office, signer_index: int = 0) -> _Draft:
        ev = self._last_event(s, case, EventKind.EXTENDED)
        if ev is None:
            raise InvalidTransition(NO_APOLOGY)
        signer, case_doc = signer_of(office, signer_index), self._case_doc(s, case)
        return _Draft(signer.name, ev.data.get("letter_number", ""), lambda number, profile: docs.render_apology(
            docs.ApologyDoc(
                case=case_doc, reason=ev.data.get("reason", ""), old_due=datetime.fromisoformat(ev.data["old_due_at"]),
                new_due=datetime.fromisoformat(ev.data["new_due_at"]), agency_name=running_name(office),
                signer=signer, issued_on=ev.at.date(), issued_at=ev.at, doc_number=number,
                recipients=("Như trên", f"Lưu: VT, {_abbr(office)}")),
            issuer_letterhead(office), profile), symbol=issuer_symbol(office), dated=ev.at.date())

    def _draft_stop_notice(self, s: Session, case: Case, user: User, office: Office, signer_index: int = 0) -> _Draft:
        profile = self._profile(office)
        if "stop_notice" not in profile.forms:
            raise ValidationError(f"Bộ mẫu đang dùng ({profile.label}) không có {KINDS['stop_notice'].lower()}; "
                                  "bộ mẫu 2025 có mẫu này (Cài đặt › Cơ quan).")
        if Status(case.status) is not Status.STOPPED:
            raise InvalidTransition(NOT_STOPPED)
        signer, case_doc = signer_of(office, signer_index), self._case_doc(s, case)
        # a stop the portal's file brought without its day has no closing moment: the day is left for hand
        # filling (as the refusal's), and the number is taken from the series of the year it is printed
        stopped = case.closed_at.date() if case.closed_at else None
        return _Draft(signer.name, "", lambda number, profile: docs.render_stop_notice(docs.StopNoticeDoc(
            case=case_doc, reason=case.close_reason, stopped_on=stopped,
            agency_name=running_name(office), desk_name=office.name, signer=signer,
            issued_on=stopped, doc_number=number, recipients=("Như trên", f"Lưu: VT, {_abbr(office)}")),
            issuer_letterhead(office), profile), symbol=issuer_symbol(office), dated=stopped)

    def _draft_control_sheet(self, s: Session, case: Case, user: User, office: Office) -> _Draft:
        """One block per hand-off: each step (desk or unit to unit), then the result's return from the last
        unit to the desk (a hand-off too: that unit answers for its time, DOMAIN §4), with the step's
        timeliness. A person is named as giver or receiver only if they belong to that side's unit: a desk
        officer who records a hand-off between two units (a case the portal's file left at a unit) is noted
        as having recorded it, and the signature is left to the unit."""
        units = dict(s.execute(select(Unit.id, Unit.name)).all())
        people = {u.id: u for u in s.execute(select(User)).scalars()}
        steps = self._steps(s, case)
        ready = self._last_event(s, case, EventKind.RESULT_READY)
        recorder = people.get(ready.user_id) if ready is not None else None
        desk_id = self._desk_unit(case, steps, recorder)
        desk = units.get(desk_id, "") or office.name

        def person(user_id: int | None, unit_id: int | None) -> tuple[str, str]:
            """(the name to print on the unit's side, else the note that they recorded it)"""
            who = people.get(user_id) if user_id is not None else None
            if who is None:
                return "", ""
            if who.unit_id == unit_id or (unit_id == desk_id and Role(who.role) is Role.DESK):
                return who.full_name, ""
            return "", f"{who.full_name} ghi nhận"

        handoffs = []
        for st in steps:
            result = timeliness(st.finished_at, st.due_at) if st.finished_at and st.due_at else ""
            giver_id = st.from_unit_id if st.from_unit_id is not None else desk_id
            giver, recorded = person(st.given_by_id, giver_id)
            handoffs.append(docs.HandOff(giver_unit=units.get(st.from_unit_id, "") or desk,
                                         receiver_unit=units.get(st.unit_id, ""),
                                         at=st.started_at, giver_person=giver,
                                         receiver_person=self._name(people, st.handled_by_id), step_due=st.due_at,
                                         result=result, note=_notes(st.note, recorded)))
        if steps and ready is not None and case.result_at is not None:
            last = steps[-1]
            result = timeliness(last.finished_at, last.due_at) if last.finished_at and last.due_at else ""
            receiver, recorded = person(ready.user_id, desk_id)
            handoffs.append(docs.HandOff(giver_unit=units.get(last.unit_id, ""), receiver_unit=desk,
                                         at=ready.at, giver_person=self._name(people, last.handled_by_id),
                                         receiver_person=receiver, step_due=last.due_at, result=result,
                                         note=_notes((ready.data or {}).get("note") or "Trả kết quả", recorded)))
        case_doc = self._case_doc(s, case)
        return _Draft(user.full_name, "", lambda _number, profile: docs.render_control_sheet(
            case_doc, handoffs, desk_letterhead(office), profile))

    @staticmethod
    def _name(people: dict[int, User], user_id: int | None) -> str:
        who = people.get(user_id) if user_id is not None else None
        return who.full_name if who is not None else ""

    @staticmethod
    def _desk_unit(case: Case, steps: list[CaseStep], recorder: User | None) -> int | None:
        """The desk's unit, where the case starts and its result comes back (DOMAIN §4); None: the office's
        one-stop-shop by its name. A case registered here starts there: the giver of its first hand-off (a
        case registered by a user without a unit has none). A case the portal's file brought was left at the
        unit the file names, which is no desk: its result comes back to the desk officer who records it."""
        if case.source != "import":
            return steps[0].from_unit_id if steps else None
        if recorder is not None and Role(recorder.role) is Role.DESK:
            return recorder.unit_id
        return None

    def register(self, actor: Actor, start: date, end: date, progress=None) -> bytes:
        """Mẫu 06 for cases received in [start, end], numbered by the yearly register."""
        if end < start:
            raise ValidationError("Ngày kết thúc phải sau ngày bắt đầu.")
        with self.db.read() as s:
            user = self.user_row(s, actor, Action.PRINT)
            office = self.office(s, user.office_id)
            rows = self.register_rows(s, office.id, start, end)
        period = f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"
        numbered = [r for r in rows if r.number is not None]
        return docs.render_register(
            numbered,
            desk_letterhead(office),
            period,
            self._profile(office),
            book=str(start.year) if start.year == end.year else "",
            progress=progress,
            unnumbered=rows[len(numbered) :],
            unnumbered_heading=UNNUMBERED_HEADING,
        )

    def register_rows(self, s: Session, office_id: int, start: date, end: date) -> list:
        """The register's lines for cases received in [start, end]: first the cases the book numbered, in the
        book's order (year, number); then those it never numbered (imported from the portal: their number is
        None), in order of receipt. The book's numbers are its own and run on through the year (DOMAIN §3),
        so these come after them instead of first, as NULLs would sort, and take no number from their place."""
        units = dict(s.execute(select(Unit.id, Unit.name)).all())
        in_range = (Case.office_id == office_id,
                    Case.received_at >= datetime.combine(start, datetime.min.time()),
                    Case.received_at <= datetime.combine(end, datetime.max.time()))
        first_transfer = dict(s.execute(select(CaseStep.case_id, func.min(CaseStep.started_at))
                                        .join(Case, Case.id == CaseStep.case_id).where(*in_range)
                                        .group_by(CaseStep.case_id)).all())
        stmt = (
            select(Case)
            .where(*in_range)
            .order_by(
                Case.register_number.is_(None),
                Case.register_year,
                Case.register_number,
                Case.received_at,
                Case.id,
            )
        )
        out = []
        for c in s.execute(stmt).scalars():
            notes = [{Status.REFUSED: "Từ chối", Status.WITHDRAWN: "Rút hồ sơ", Status.STOPPED: "Dừng xử lý"}.get(Status(c.status), "")]
            if c.extension_count and c.due_at != c.original_due_at:  # DOMAIN §4: both dates kept, the first in its column
                notes.append(f"Xin lỗi, hẹn lại {c.due_at:%d/%m/%Y %H:%M}")
            note = "; ".join(n for n in notes if n)
            out.append(docs.RegisterRow(
                code=c.code, procedure_name=c.procedure_name, applicant_name=c.applicant_name, received_at=c.received_at,
                number=c.register_number, sets=c.sets_count, applicant_address=c.applicant_address,
                applicant_phone=c.applicant_phone, lead_unit=units.get(c.lead_unit_id, ""), due_at=c.original_due_at,
                transferred_at=first_transfer.get(c.id), result_received_at=c.result_at, returned_at=c.returned_at,
                note=note))
        return out

    def _profile(self, office: Office):
        return docs.get_profile(office.form_profile or None)
