"""Late cases traced to the unit and officer whose step overran, with the apology sent and the reasons given.

A late case (resolved late, or open past its due time at the period's end) is attributed to the first hand-off
step that overran its own share: finished after the step's due time, or still open past it at the period's end.
If no step overran (the whole time was used without any single step exceeding its share, or there were no
steps), the lead unit answers for it.
The officer named must belong to the unit answering (DOMAIN §1: personal responsibility inside that unit): the
overrunning step's handler (with no such step, the last handler of the lead unit's steps), else the receiving desk
officer when the desk's own unit answers. The desk officer who only received (or closed) another unit's case is
never named for its lateness: with no officer of the unit recorded, the case is counted under the unit as
"Chưa ghi nhận cán bộ" (officer None).
Apology: the 'extended' event's `apology_on_time` (recorded by the last working day before the due date) decides
"on time" or "late"; no such event before the period's end is "never".
A case the portal's file gave a new appointment ("Ngày hẹn lại": the case's one extension, stored without an
'extended' event) was apologised to, but the file does not say when. It counts from the import that brought the
appointment (before the period's end): "on time" when that import itself came early enough for DOMAIN §4's
rule (the letter was written before it), else "unknown" (apologised, moment unknown), never "never": the desk
can record no other apology for it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from tthc_desk.domain import EventKind
from tthc_desk.reports.predicates import Window
from tthc_desk.storage.models import Case, CaseEvent, CaseStep, User

CHUNK = 900  # ids per IN (…), under every SQLite build's parameter limit
# "unknown": apologised, as the portal's file says, at a moment the file does not give
APOLOGY_KINDS = ("on_time", "late", "never", "unknown")
NO_REASON = "(chưa ghi lý do)"
NO_OFFICER = "Chưa ghi nhận cán bộ"  # the unit answers, but no officer of it was recorded on the step


@dataclass
class LateCase:
    id: int
    code: str
    key: object  # the report's group key (lead unit id or field)
    lead_unit_id: int | None
    resolved: bool  # False: still open past its due time at the period's end
    unit_id: int | None  # the unit responsible for the lateness
    officer_id: int | None  # None: no officer of the responsible unit recorded
    apology: str  # "on_time" | "late" | "never" | "unknown"
    reasons: list[str] = field(default_factory=list)


@dataclass
class UnitAccount:
    """Late cases one unit caused, by officer, with the reasons recorded."""

    unit_id: int | None
    label: str
    caused: int = 0
    resolved_late: int = 0
    still_overdue: int = 0
    officers: Counter = field(default_factory=Counter)  # officer id (None: not recorded) -> cases
    reasons: Counter = field(default_factory=Counter)  # reason -> cases

    def as_dict(self, officer_names: dict[int, str]) -> dict:
        return {"unit_id": self.unit_id, "unit": self.label, "late_caused": self.caused,
                "resolved_late": self.resolved_late, "still_overdue": self.still_overdue,
                "officers": [{"officer_id": o, "name": officer_name(o, officer_names), "cases": n}
                             for o, n in self.officers.most_common()],
                "reasons": [{"reason": r, "cases": n} for r, n in self.reasons.most_common()]}


def officer_name(officer_id: int | None, officer_names: dict[int, str]) -> str:
    return NO_OFFICER if officer_id is None else officer_names.get(officer_id, "")


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for i in range(0, len(ids), CHUNK):
        yield ids[i : i + CHUNK]


def load_late_cases(session: Session, keyed: dict[int, object], w: Window,
                    on_time: Callable[[datetime, datetime], bool] | None = None) -> list[LateCase]:
    """The late cases (id -> report group key, from `aggregate.count`) with their responsible unit/officer,
    apology and reasons. `on_time(at, due)`: whether an apology made by `at` is on time for `due` (DOMAIN §4,
    the office's calendar); without it a portal's apology is always of unknown moment."""
    ids = sorted(keyed)
    out: list[LateCase] = []
    for chunk in _chunks(ids):
        desk = aliased(User)
        cases = session.execute(select(Case.id, Case.code, Case.lead_unit_id, Case.officer_id, Case.result_at,
                                       Case.extension_count, Case.original_due_at,
                                       desk.unit_id.label("officer_unit_id"))
                                .outerjoin(desk, desk.id == Case.officer_id).where(Case.id.in_(chunk))).all()
        steps: dict[int, list[CaseStep]] = {}
        for st in session.execute(select(CaseStep).where(CaseStep.case_id.in_(chunk), CaseStep.started_at < w.as_of)
                                  .order_by(CaseStep.case_id, CaseStep.started_at, CaseStep.id)).scalars():
            steps.setdefault(st.case_id, []).append(st)
        handlers = {h for sts in steps.values() for h in (st.handled_by_id for st in sts) if h is not None}
        unit_of = dict(session.execute(select(User.id, User.unit_id).where(User.id.in_(handlers))).all()) \
            if handlers else {}
        extended: dict[int, dict] = {}
        desk_extended: set[int] = set()  # recorded here at any time: the extension is not the portal's
        for case_id, at, data in session.execute(
                select(CaseEvent.case_id, CaseEvent.at, CaseEvent.data).where(
                    CaseEvent.case_id.in_(chunk), CaseEvent.kind == str(EventKind.EXTENDED))
                .order_by(CaseEvent.case_id, CaseEvent.seq)):
            desk_extended.add(case_id)
            if at < w.as_of:
                extended.setdefault(case_id, data or {})
        portal = [c for c in cases if c.extension_count and c.id not in desk_extended]
        told = _portal_apologies(session, [c.id for c in portal], w) if portal else {}
        for c in portal:
            if c.id in told:
                extended[c.id] = _portal_apology(told[c.id], c.original_due_at, on_time)
        for c in cases:
            out.append(_late_case(c, keyed[c.id], steps.get(c.id, []), extended.get(c.id), w, unit_of))
    return out


def _portal_apologies(session: Session, ids: list[int], w: Window) -> dict[int, datetime | None]:
    """For cases extended by the portal's file: the moment of the first import whose row carried the new
    appointment, if before the period's end (None: no import's row shows it, as files read before the rows were
    kept; the case's extension is all there is). A case first told of it after the period's end is left out:
    at the period's end no apology was known."""
    first: dict[int, datetime] = {}
    for case_id, at, data in session.execute(
            select(CaseEvent.case_id, CaseEvent.at, CaseEvent.data).where(
                CaseEvent.case_id.in_(ids), CaseEvent.kind == str(EventKind.IMPORTED))
            .order_by(CaseEvent.case_id, CaseEvent.seq)):
        if case_id not in first and ((data or {}).get("values") or {}).get("new_due_at"):
            first[case_id] = at
    return {i: first.get(i) for i in ids if i not in first or first[i] < w.as_of}


def _portal_apology(told: datetime | None, due: datetime | None,
                    on_time: Callable[[datetime, datetime], bool] | None) -> dict:
    """What stands for the 'extended' event of a portal's apology: on time if the import that told of it
    came early enough for the rule (the letter was written before it), else of unknown moment."""
    known = told is not None and due is not None and on_time is not None and on_time(told, due)
    return {"apology_on_time": True} if known else {"apology_unknown": True}


def overran(step: CaseStep, w: Window) -> bool:
    """Finished after its due time, or still open at the period's end and due before it (judged like the
    case: a step due in the current minute has not overrun yet)."""
    if step.due_at is None:
        return False
    if step.finished_at is None or step.finished_at >= w.as_of:
        return step.due_at < w.due_line
    return step.finished_at > step.due_at


def _late_case(c, key, steps: list[CaseStep], ext: dict | None, w: Window,
               unit_of: dict[int, int | None]) -> LateCase:
    culprit = next((st for st in steps if overran(st, w)), None)
    unit_id = culprit.unit_id if culprit else c.lead_unit_id
    officer = _officer(c, unit_id, culprit, steps, unit_of)
    if ext is None:
        apology = "never"
    elif ext.get("apology_unknown"):
        apology = "unknown"
    else:
        apology = "on_time" if ext.get("apology_on_time") else "late"
    reasons = [r for r in ((ext or {}).get("reason", ""), culprit.note if culprit else "") if r and r.strip()]
    resolved = c.result_at is not None and c.result_at < w.as_of
    return LateCase(c.id, c.code, key, c.lead_unit_id, resolved, unit_id, officer, apology, reasons)


def _officer(c, unit_id: int | None, culprit: CaseStep | None, steps: list[CaseStep],
             unit_of: dict[int, int | None]) -> int | None:
    """The officer of `unit_id` to name, or None. A handler counts only if they belong to the unit: a step
    closed by the desk officer who records the result holds the desk officer, not the unit's own."""
    if unit_id is None:
        return None
    own = [culprit] if culprit else [st for st in reversed(steps) if st.unit_id == unit_id]
    for st in own:
        if st.handled_by_id is not None and unit_of.get(st.handled_by_id) == unit_id:
            return st.handled_by_id
    if c.officer_id is not None and c.officer_unit_id == unit_id:  # the desk itself answers
        return c.officer_id
    return None


def accounts(late: Iterable[LateCase], unit_names: dict[int, str]) -> list[UnitAccount]:
    """Per responsible unit, most late cases first."""
    by_unit: dict[int | None, UnitAccount] = {}
    for lc in late:
        acc = by_unit.setdefault(lc.unit_id, UnitAccount(lc.unit_id, unit_names.get(lc.unit_id, "Chưa xác định")))
        acc.caused += 1
        acc.resolved_late += lc.resolved
        acc.still_overdue += not lc.resolved
        acc.officers[lc.officer_id] += 1  # None: counted as "Chưa ghi nhận cán bộ", so the unit's total holds
        for reason in lc.reasons or [NO_REASON]:
            acc.reasons[reason] += 1
    return sorted(by_unit.values(), key=lambda a: (-a.caused, a.label))


def apology_counts(late: Iterable[LateCase]) -> dict[object, Counter]:
    """Per report group key: late cases by apology kind."""
    out: dict[object, Counter] = {}
    for lc in late:
        out.setdefault(lc.key, Counter())[lc.apology] += 1
    return out
