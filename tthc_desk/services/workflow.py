"""Every action on a case after intake. Each is one transaction that checks rights and state and adds an event."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tthc_desk import deadline
from tthc_desk.deadline import DeadlineRule
from tthc_desk.domain import DurationUnit, EventKind, Role, Status
from tthc_desk.errors import InvalidTransition, PermissionDenied, ValidationError
from tthc_desk.services.base import Actor, ServiceBase
from tthc_desk.services.intake import IntakeForm, rule_for, search_text_for, validate_form
from tthc_desk.services.ledger import add_event
from tthc_desk.services.rights import Action
from tthc_desk.storage.models import Case, CaseEvent, CaseStep, Procedure, Unit, User
from tthc_desk.text import clean

# which statuses each action may start from
ALLOWED_FROM: dict[Action, frozenset[Status]] = {
    Action.TRANSFER: frozenset({Status.RECEIVED, Status.PROCESSING}),
    Action.REQUEST_SUPPLEMENT: frozenset({Status.RECEIVED, Status.PROCESSING}),
    Action.RECEIVE_SUPPLEMENT: frozenset({Status.WAITING_SUPPLEMENT}),
    Action.RECORD_RESULT: frozenset({Status.RECEIVED, Status.PROCESSING}),
    Action.RETURN_RESULT: frozenset({Status.RESULT_READY}),
    Action.REFUSE: frozenset({Status.RECEIVED, Status.PROCESSING, Status.WAITING_SUPPLEMENT}),
    Action.WITHDRAW: frozenset({Status.RECEIVED, Status.PROCESSING, Status.WAITING_SUPPLEMENT}),
    Action.STOP: frozenset({Status.RECEIVED, Status.PROCESSING, Status.WAITING_SUPPLEMENT}),
    Action.EXTEND: frozenset({Status.RECEIVED, Status.PROCESSING}),
    # a typo in the applicant's details is put right until the result is handed back
    Action.EDIT_CASE: frozenset({Status.RECEIVED, Status.PROCESSING, Status.WAITING_SUPPLEMENT, Status.RESULT_READY}),
}
CASE_ACTIONS = tuple(ALLOWED_FROM)

# a case imported from the portal without a due time, for a procedure without a rule, has no deadline to miss
NO_DUE_REASON = ("Hồ sơ chưa có hạn giải quyết (nhập từ cổng không kèm ngày hẹn trả, thủ tục chưa có thời "
                 "hạn): không có hạn để xin lỗi và hẹn lại.")
NO_RULE_NOTE = ("Thủ tục của hồ sơ chưa có thời hạn giải quyết (cần xác nhận trong Danh mục) nên không tính lại "
                "được trọn thời hạn: hồ sơ được tính tiếp thời gian còn lại.")

# what a correction may change, in the words the case's history records
CORRECTABLE = {
    "applicant_name": "Họ tên người nộp", "applicant_id_number": "Số CCCD người nộp",
    "applicant_phone": "Điện thoại", "applicant_email": "Thư điện tử", "applicant_address": "Địa chỉ",
    "owner_name": "Chủ hồ sơ", "owner_id_number": "Số CCCD chủ hồ sơ", "owner_address": "Địa chỉ chủ hồ sơ",
}


@dataclass
class ActionOutcome:
    code: str
    status: Status
    due_at: datetime | None
    warning: str = ""


def state_reason(case: Case, action: Action) -> str | None:
    """Why `action` cannot be taken on the case in its current state, or None."""
    status = Status(case.status)
    if status not in ALLOWED_FROM[action]:
        return f"Không thể thực hiện khi hồ sơ đang ở trạng thái '{status.label}'."
    if action is Action.EXTEND and case.extension_count >= 1:
        return "Hồ sơ đã được xin lỗi và hẹn lại một lần; chỉ được hẹn lại một lần (NĐ 61/2018 Đ.19 k9)."
    if action is Action.EXTEND and case.original_due_at is None:
        return NO_DUE_REASON
    return None


class WorkflowService(ServiceBase):
    def _act(self, actor: Actor, code: str, action: Action, body: Callable[[Session, Case, User], ActionOutcome | None]) -> ActionOutcome:
        with self.db.write() as s:
            user = self.user_row(s, actor, action)
            case = self.case_row(s, user, code, lock=True, foreign="Hồ sơ thuộc cơ quan khác; không được thao tác.")
            if user.role == Role.SPECIALIST and case.current_unit_id != user.unit_id:
                raise PermissionDenied("Chuyên viên chỉ thao tác trên hồ sơ đơn vị mình đang giữ.")
            reason = state_reason(case, action)
            if reason:
                raise InvalidTransition(reason)
            outcome = body(s, case, user)
            case.updated_at = self.now()
            return outcome or ActionOutcome(case.code, Status(case.status), case.due_at)

    def _calendar(self, s: Session, case: Case):
        return self.calendar(s, self.office(s, case.office_id))

    def _close_open_step(self, s: Session, case: Case, at: datetime, user: User) -> None:
        step = s.execute(
            select(CaseStep).where(CaseStep.case_id == case.id, CaseStep.finished_at.is_(None))
        ).scalar_one_or_none()
        if step is not None:
            step.finished_at = at
            # the handler answers for the step (reports name them for its lateness): one of the step's own
            # unit, never the desk officer who records the result or closes the case for the unit
            if step.handled_by_id is None and user.unit_id == step.unit_id:
                step.handled_by_id = user.id

    # ----- actions ------------------------------------------------------------------------------------
    def transfer(self, actor: Actor, code: str, to_unit_id: int, share_days: float | None = None, note: str = "") -> ActionOutcome:
        """Hand the case to a unit with that unit's own deadline (its share, else the case's due time)."""
        def body(s: Session, case: Case, user: User):
            unit = self.unit(s, to_unit_id, case.office_id)
            if unit.id == case.current_unit_id:
                raise ValidationError("Hồ sơ đang ở chính đơn vị này.", field="to_unit_id")
            now, cal = self.now(), self._calendar(s, case)
            share = share_days if share_days is not None else _workflow_share(case, unit)
            step_due = case.original_due_at
            share_minutes = None
            if share is not None:
                if share < 0:
                    raise ValidationError("Thời gian của bước không được âm.", field="share_days")
                share_minutes = round(share * cal.minutes_per_day)
                step_due = cal.add_working_minutes(cal.into_working_time(now), share_minutes)
            self._close_open_step(s, case, now, user)
            s.add(CaseStep(case_id=case.id, unit_id=unit.id, from_unit_id=case.current_unit_id, given_by_id=user.id,
                           started_at=now, due_at=step_due, share_minutes=share_minutes, note=clean(note)))
            add_event(s, case, EventKind.TRANSFERRED, now, user.id, user.unit_id, {
                "from_unit_id": case.current_unit_id, "to_unit_id": unit.id, "to_unit": unit.name,
                "step_due_at": step_due.isoformat() if step_due else None, "share_days": share, "note": clean(note),
            })
            case.current_unit_id = unit.id
            if case.lead_unit_id is None:
                case.lead_unit_id = unit.id
            case.status = str(Status.PROCESSING)
        return self._act(actor, code, Action.TRANSFER, body)

    def request_supplement(self, actor: Actor, code: str, reason: str, missing: list[str]) -> ActionOutcome:
        """Ask the applicant for papers: the clock stops (grey) until they come back. A request the law
        does not allow (a second one, one after 3 working days: recorded as faults), and one made when the
        case is already late, cannot give the case its time again (`keeps_due` below)."""
        reason, missing = clean(reason), [clean(m) for m in missing if clean(m)]
        if not reason and not missing:
            raise ValidationError("Hãy ghi lý do và các giấy tờ cần bổ sung.", field="reason")

        def body(s: Session, case: Case, user: User):
            now, cal = self.now(), self._calendar(s, case)
            days_since = cal.working_minutes_between(deadline.start_of_clock(cal, case.received_at), now) / cal.minutes_per_day
            faults = []
            if case.supplement_count >= 1:
                faults.append("Yêu cầu bổ sung lần thứ hai trở lên (chỉ được yêu cầu một lần).")
            if days_since > 3:
                faults.append("Yêu cầu bổ sung sau 3 ngày làm việc kể từ khi tiếp nhận (NĐ 61/2018 Đ.19 k4).")
            pause = case.supplement_mode == "pause"
            # `keeps_due`: the papers, once back, move only the appointment shown to the applicant
            # (`due_at`). The statutory due (`original_due_at`: timeliness, colour) and what it is counted
            # from (`clock_from`, `paused_minutes_left`) stay untouched, so a calendar edit recomputes that
            # same due. Else a unit could launder a late case by asking for papers it may no longer ask for,
            # or, in either mode, by asking once the due time has passed: that case was late before the
            # request, and a paused clock that has run out has no time left to add back.
            late = case.original_due_at is not None and now > case.original_due_at
            keeps_due = bool(faults) or late
            # the clock of a case received after the cut-off has not started yet: nothing of its time is used
            counted_from = max(now, deadline.start_of_clock(cal, case.clock_from or case.received_at))
            data = {"reason": reason, "missing": missing, "count": case.supplement_count + 1,
                    "faults": faults, "previous_status": case.status, "keeps_due": keeps_due}
            if case.original_due_at is None:
                case.paused_minutes_left = None  # no due time (an import without one): no time to stop or give back
            elif not keeps_due:
                left = cal.working_minutes_between(counted_from, case.original_due_at)
                case.paused_minutes_left = max(0, left)
            elif pause:
                # the appointment's own clock (the statutory one once an apology made the appointment a
                # promised date), resumed for the appointment alone; None: it had run out, nothing moves
                clock_due = case.original_due_at if case.extension_count else case.due_at
                left = cal.working_minutes_between(counted_from, clock_due)
                data["minutes_left"] = left if now <= clock_due else None
            case.supplement_count += 1
            case.supplement_requested_at = now
            add_event(s, case, EventKind.SUPPLEMENT_REQUESTED, now, user.id, user.unit_id, data)
            case.status = str(Status.WAITING_SUPPLEMENT)
            notes = list(faults)
            if faults and case.original_due_at is None:
                notes.append("Hồ sơ chưa có hạn giải quyết nên không có hạn nào được tính lại.")
            elif faults:
                notes.append("Vì vậy hạn giải quyết không được tính lại: khi nhận đủ giấy tờ chỉ ngày hẹn "
                             "trả được lùi lại, hồ sơ vẫn xét đúng hạn, trễ hạn theo hạn hiện tại.")
            elif keeps_due:
                notes.append("Hồ sơ đã quá hạn khi yêu cầu bổ sung: thời hạn giải quyết không được tính lại, "
                             "hồ sơ vẫn tính là trễ hạn.")
            return ActionOutcome(case.code, Status.WAITING_SUPPLEMENT, case.due_at, " ".join(notes))
        return self._act(actor, code, Action.REQUEST_SUPPLEMENT, body)

    def receive_supplement(self, actor: Actor, code: str, note: str = "") -> ActionOutcome:
        """Papers are back: the due time restarts (or resumes, per the case's rule); after a request that
        keeps the due (see `request_supplement`) only the appointment does."""
        def body(s: Session, case: Case, user: User):
            now, cal = self.now(), self._calendar(s, case)
            rule = _rule_of(s, case)
            old_due = case.original_due_at
            request = _last_request(s, case)
            keeps_due = bool(request.get("keeps_due"))  # absent from requests recorded before it existed
            pause = case.supplement_mode == "pause"
            if request:
                left = request.get("minutes_left") if keeps_due else case.paused_minutes_left or 0
            else:  # a wait the portal's file brought: the time from the import to its due (was: none, due now)
                left = _left_unasked(cal, case)
                # nothing known to give back (the due had passed by then): the due stays, as after a late request
                keeps_due = left is None and old_due is not None and (pause or rule is None)
                if pause and left is not None:
                    case.paused_minutes_left = left  # what the due is counted on with (the deadline tab)
            note_rule = ""
            if not pause and rule is not None:
                if not case.rule_unit:  # the catalogue confirmed a rule since the import: the case runs on it now
                    case.rule_amount, case.rule_unit = rule.amount, str(rule.unit)
                new_due = deadline.compute_due(cal, now, rule)
            elif left is not None and old_due is not None:
                # pause; or restart for a procedure without a rule (imported, "cần xác nhận"): the time left
                # when papers were asked for is all that is known of it
                new_due = cal.add_working_minutes(deadline.start_of_clock(cal, now), left)
                note_rule = "" if pause else NO_RULE_NOTE
            else:
                new_due = None  # the clock had run out when papers were requested, or the case never had a due
            if not keeps_due:
                case.clock_from = now
                if not pause:
                    case.paused_minutes_left = None
                _set_due(case, cal, new_due, rule)
                _move_open_step(s, case, cal, now, new_due)
            elif new_due is not None:
                case.due_at = _appointment(case, new_due)
            case.status = str(_previous_status(s, case, request))
            case.supplement_returned_at = now  # the wait's end, for reports on a period it spanned
            add_event(s, case, EventKind.SUPPLEMENT_RECEIVED, now, user.id, user.unit_id, {
                "mode": case.supplement_mode, "old_due_at": old_due.isoformat() if old_due else None,
                "due_at": case.due_at.isoformat() if case.due_at else None,
                "original_due_at": case.original_due_at.isoformat() if case.original_due_at else None,
                "keeps_due": keeps_due, "note": clean(note), **({} if request else {"left_from_import": True}),
            })
            return ActionOutcome(case.code, Status(case.status), case.due_at, note_rule)
        return self._act(actor, code, Action.RECEIVE_SUPPLEMENT, body)

    def record_result(self, actor: Actor, code: str, note: str = "") -> ActionOutcome:
        """The result is back at the desk; timeliness is judged against the original due time."""
        def body(s: Session, case: Case, user: User):
            now = self.now()
            self._close_open_step(s, case, now, user)
            case.result_at, case.status, case.is_open = now, str(Status.RESULT_READY), False
            due = case.original_due_at  # none for an import without one: no verdict to record
            verdict = str(deadline.timeliness(now, due)) if due is not None else None
            add_event(s, case, EventKind.RESULT_READY, now, user.id, user.unit_id,
                      {"timeliness": verdict, "note": clean(note)})
        return self._act(actor, code, Action.RECORD_RESULT, body)

    def return_result(self, actor: Actor, code: str, note: str = "") -> ActionOutcome:
        def body(s: Session, case: Case, user: User):
            now = self.now()
            case.returned_at, case.status = now, str(Status.RETURNED)
            add_event(s, case, EventKind.RETURNED, now, user.id, user.unit_id, {"note": clean(note)})
        return self._act(actor, code, Action.RETURN_RESULT, body)

    def _close(self, actor: Actor, code: str, action: Action, status: Status, kind: EventKind, reason: str) -> ActionOutcome:
        reason = clean(reason)
        if not reason:
            raise ValidationError("Hãy ghi rõ lý do.", field="reason")

        def body(s: Session, case: Case, user: User):
            now = self.now()
            self._close_open_step(s, case, now, user)
            add_event(s, case, kind, now, user.id, user.unit_id, {"reason": reason, "previous_status": case.status})
            case.status, case.is_open, case.closed_at, case.close_reason = str(status), False, now, reason
        return self._act(actor, code, action, body)

    def refuse(self, actor: Actor, code: str, reason: str) -> ActionOutcome:
        return self._close(actor, code, Action.REFUSE, Status.REFUSED, EventKind.REFUSED, reason)

    def withdraw(self, actor: Actor, code: str, reason: str) -> ActionOutcome:
        return self._close(actor, code, Action.WITHDRAW, Status.WITHDRAWN, EventKind.WITHDRAWN, reason)

    def stop(self, actor: Actor, code: str, reason: str) -> ActionOutcome:
        return self._close(actor, code, Action.STOP, Status.STOPPED, EventKind.STOPPED, reason)

    def extend(self, actor: Actor, code: str, reason: str, new_due: datetime, letter_number: str = "") -> ActionOutcome:
        """Apology and new appointment (once). Warns when it is not on time (`apology_on_time`); the original
        due time still decides timeliness."""
        reason = clean(reason)
        if not reason:
            raise ValidationError("Hãy ghi lý do xin lỗi và hẹn lại.", field="reason")

        def body(s: Session, case: Case, user: User):
            now, cal = self.now(), self._calendar(s, case)
            if new_due <= (case.due_at or now) or new_due <= now:
                raise ValidationError("Ngày hẹn mới phải sau hạn hiện tại và sau thời điểm này.", field="new_due")
            on_time = apology_on_time(cal, now, case.original_due_at)
            warning = "" if on_time else (
                "Văn bản xin lỗi phải gửi chậm nhất một ngày làm việc trước ngày hết hạn; văn bản này "
                "lập muộn hơn (hoặc hồ sơ đã quá hạn) nên được ghi nhận xin lỗi muộn, hồ sơ vẫn tính là "
                "trễ hạn.")
            add_event(s, case, EventKind.EXTENDED, now, user.id, user.unit_id, {
                "reason": reason, "old_due_at": case.due_at.isoformat(), "new_due_at": new_due.isoformat(),
                "apology_on_time": on_time, "letter_number": clean(letter_number),
            })
            case.due_at = new_due.replace(second=0, microsecond=0)
            case.extension_count += 1
            return ActionOutcome(case.code, Status(case.status), case.due_at, warning)
        return self._act(actor, code, Action.EXTEND, body)

    def correct_details(self, actor: Actor, code: str, reason: str, **values: str) -> ActionOutcome:
        """Put right the applicant's (or owner's) details typed wrong at intake: the fields of `CORRECTABLE`
        given in `values`, checked and cleaned as the intake form's are. The history keeps each old and new
        value with the reason; the search finds the case by the new ones; the case counts as changed by the
        desk for the next export to the portal."""
        unknown = set(values) - set(CORRECTABLE)
        if unknown:
            raise ValidationError(f"Không sửa được trường: {', '.join(sorted(unknown))}.")
        reason = clean(reason)
        if not reason:
            raise ValidationError("Hãy ghi lý do sửa thông tin.", field="reason")

        def body(s: Session, case: Case, user: User):
            if "applicant_name" in values and "owner_name" not in values and case.owner_name == case.applicant_name:
                values["owner_name"] = values["applicant_name"]  # the owner was the applicant (intake's default)
            form = IntakeForm(procedure_id=case.procedure_id or 0,
                              **{key: values.get(key, getattr(case, key) or "") for key in CORRECTABLE})
            clean_form = form.normalised()
            # only what this correction changes is checked: a value the portal's file brought (a 9-digit CMND,
            # a landline) was accepted by the import and must not block putting right another field
            touched = {k for k in values if getattr(clean_form, k) != (getattr(case, k) or "")}
            errors = {k: v for k, v in validate_form(form).items() if k in touched}
            if errors:
                key = next(iter(errors))
                raise ValidationError(errors[key], field=key)
            changes = []
            for key in CORRECTABLE:
                old, new = getattr(case, key) or "", getattr(clean_form, key)
                if key in values and new != old:
                    changes.append({"field": key, "label": CORRECTABLE[key], "old": old, "new": new})
                    setattr(case, key, new)
            if not changes:
                raise ValidationError("Không có thông tin nào thay đổi.")
            case.search_text = search_text_for(case)
            add_event(s, case, EventKind.UPDATED, self.now(), user.id, user.unit_id,
                      {"reason": reason, "changes": changes})
        return self._act(actor, code, Action.EDIT_CASE, body)


def apology_on_time(cal, at: datetime, due: datetime) -> bool:
    """Whether an apology recorded at `at` is on time for a case due at `due`. NĐ 61/2018 Đ.19 k9 asks
    for it "at the latest one working day before the due date", read by dates: on time when recorded on
    a day no later than the last working day before the due date, at any hour of that day (so never after
    the due moment). Due Thu 08:00: any time on Wed is on time; due Wed 17:00: Wed 07:00 is late. One
    recorded on a day off counts on the next working day, which must still come before the due date."""
    day = at.date() if cal.is_working_day(at.date()) else cal.next_working_day(at.date())
    return day < due.date()


def _set_due(case: Case, cal, new_due: datetime | None, rule: DeadlineRule | None) -> None:
    """The statutory due once papers are back, counted from `clock_from`, and its amber window (none for a
    case that never had a due time)."""
    start = deadline.start_of_clock(cal, case.clock_from)
    window = (case.rule_snapshot or {}).get("warning_window", 480)
    case.original_due_at = new_due
    if new_due is None:
        case.due_at, case.warn_at = None, None
        return
    case.due_at = _appointment(case, new_due)
    # the window is capped at half of the time the rule allows, not of what a resumed case (pause mode)
    # has left: a 5-working-day case resumed with an hour left is amber (DOMAIN §5); without a rule, of the
    # time it was given
    allowed_due = deadline.compute_due(cal, case.clock_from, rule) if rule is not None else new_due
    case.warn_minutes = deadline.warning_minutes(cal, min(start, allowed_due), allowed_due, window)
    case.warn_at = deadline.warn_moment(cal, new_due, case.warn_minutes)


def _appointment(case: Case, new_due: datetime) -> datetime:
    """The appointment shown to the applicant once papers are back: the new due, never earlier than the
    date an apology promised (DOMAIN §4: keep both dates). `extension_count` stays: the one new
    appointment the law allows was given."""
    return max(case.due_at, new_due) if case.extension_count else new_due


def _rule_of(s: Session, case: Case) -> DeadlineRule | None:
    """The rule the case was received under; for an imported case of a procedure that had none then, the
    procedure's rule for the case's channel if the catalogue has confirmed one since; else None."""
    if case.rule_unit:
        return DeadlineRule(case.rule_amount, DurationUnit(case.rule_unit))
    proc = s.get(Procedure, case.procedure_id) if case.procedure_id else None
    return rule_for(proc, case.channel) if proc is not None else None


def _last_request(s: Session, case: Case) -> dict:
    """The data of the request the case now waits under (empty when a portal file brought the wait: a case
    imported waiting, or moved into waiting by a file after any request of ours)."""
    kind = str(EventKind.SUPPLEMENT_REQUESTED)
    found = s.execute(
        select(CaseEvent.at, CaseEvent.data).where(CaseEvent.case_id == case.id, CaseEvent.kind == kind)
        .order_by(CaseEvent.seq.desc()).limit(1)
    ).first()
    if found is None or (case.supplement_requested_at is not None and found.at < case.supplement_requested_at):
        return {}
    return found.data or {}


def _left_unasked(cal, case: Case) -> int | None:
    """The working time to give back for a wait no request of ours recorded: from when the desk learnt of it
    (the import that brought it) to the due time the portal gave. The time left when the portal asked may
    have been more, never less. None when there is no due time or it had passed by then."""
    due = case.original_due_at
    if due is None:
        return None
    since = max(case.supplement_requested_at or case.created_at,
                deadline.start_of_clock(cal, case.clock_from or case.received_at))
    return cal.working_minutes_between(since, due) if since < due else None


def _move_open_step(s: Session, case: Case, cal, now: datetime, new_due: datetime) -> None:
    """The unit holding the case gets its time back as the case does: waiting for the applicant is not
    that unit's lateness."""
    step = s.execute(
        select(CaseStep).where(CaseStep.case_id == case.id, CaseStep.finished_at.is_(None))
    ).scalar_one_or_none()
    if step is None:
        return
    if step.share_minutes is None:  # the step had the case's own due time
        step.due_at = new_due
        return
    left = step.share_minutes
    if case.supplement_mode == "pause" and step.due_at and case.supplement_requested_at:
        counted_from = max(case.supplement_requested_at, step.started_at)
        left = max(0, cal.working_minutes_between(counted_from, step.due_at))
    step.due_at = cal.add_working_minutes(deadline.start_of_clock(cal, now), left)


def _previous_status(s: Session, case: Case, request: dict) -> Status:
    """The status a case goes back to once papers are back: the one the request recorded; for a wait a portal
    file brought, the status that file moved it from, or, for a case imported already waiting, "Đang xử lý"
    when the file named the unit holding it; else "Đang xử lý" while a unit holds a step of ours, or "Mới
    tiếp nhận". (An imported case has no step: it went back to "Mới tiếp nhận" from "Đang xử lý".)"""
    open_statuses = (Status.RECEIVED, Status.PROCESSING)
    recorded = request.get("previous_status")
    if recorded in open_statuses:
        return Status(recorded)
    if not request:
        kind = str(EventKind.IMPORTED)
        for (data,) in s.execute(select(CaseEvent.data).where(CaseEvent.case_id == case.id, CaseEvent.kind == kind)
                                 .order_by(CaseEvent.seq.desc())):
            before, after = ((data or {}).get("changes") or {}).get("status") or (None, None)
            if after == Status.WAITING_SUPPLEMENT:
                if before in open_statuses:
                    return Status(before)
                break
        if case.source != "desk" and case.current_unit_id is not None:
            return Status.PROCESSING
    open_step = s.execute(
        select(CaseStep.id).where(CaseStep.case_id == case.id, CaseStep.finished_at.is_(None))
    ).first()
    return Status.PROCESSING if open_step else Status.RECEIVED


def _workflow_share(case: Case, unit: Unit) -> float | None:
    for step in (case.rule_snapshot or {}).get("workflow") or []:
        if step.get("unit_id") == unit.id or (step.get("unit") and clean(step.get("unit")) == unit.name):
            return step.get("days")
    return None
