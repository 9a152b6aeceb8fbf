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
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from tthc_desk.domain import EventKind
from tthc_desk.reports.predicates import Window
from tthc_desk.storage.models import Case, CaseEvent, CaseStep, User

CHUNK = 900  # ids per IN (…), under every SQLite build's parameter limit
APOLOGY_KINDS = ("on_time", "late", "never")
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
    apology: str  # "on_time" | "late" | "never"
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


def load_late_cases(session: Session, keyed: dict[int, object], w: Window) -> list[LateCase]:
    """The late cases (id -> report group key, from `aggregate.count`) with their responsible unit/officer,
    apology and reasons."""
    ids = sorted(keyed)
    out: list[LateCase] = []
    for chunk in _chunks(ids):
        desk = aliased(User)
        cases = session.execute(select(Case.id, Case.code, Case.lead_unit_id, Case.officer_id, Case.result_at,
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
        for case_id, data in session.execute(
                select(CaseEvent.case_id, CaseEvent.data).where(
                    CaseEvent.case_id.in_(chunk), CaseEvent.kind == str(EventKind.EXTENDED), CaseEvent.at < w.as_of)
                .order_by(CaseEvent.case_id, CaseEvent.seq)):
            extended.setdefault(case_id, data or {})
        for c in cases:
            out.append(_late_case(c, keyed[c.id], steps.get(c.id, []), extended.get(c.id), w, unit_of))
    return out


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
    apology = "never" if ext is None else ("on_time" if ext.get("apology_on_time") else "late")
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
