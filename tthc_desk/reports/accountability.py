"""Late cases traced to the unit and officer whose step overran, with the apology sent and the reasons given.

A late case (resolved late, or open past its due time at the period's end) is attributed to the first hand-off
step that overran its own share: finished after the step's due time, or still open past it at the period's end.
The officer is the step's handler, else the case's officer. If no step overran (the whole time was used without
any single step exceeding its share, or there were no steps), the lead unit answers for it.
Apology: the 'extended' event's `apology_on_time` (sent at least one working day before the due time) decides
"on time" or "late"; no such event before the period's end is "never".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tthc_desk.domain import EventKind
from tthc_desk.reports.predicates import Window
from tthc_desk.storage.models import Case, CaseEvent, CaseStep

CHUNK = 900  # ids per IN (…), under every SQLite build's parameter limit
APOLOGY_KINDS = ("on_time", "late", "never")
NO_REASON = "(chưa ghi lý do)"


@dataclass
class LateCase:
    id: int
    code: str
    key: object  # the report's group key (lead unit id or field)
    lead_unit_id: int | None
    resolved: bool  # False: still open past its due time at the period's end
    unit_id: int | None  # the unit responsible for the lateness
    officer_id: int | None
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
    officers: Counter = field(default_factory=Counter)  # officer id -> cases
    reasons: Counter = field(default_factory=Counter)  # reason -> cases

    def as_dict(self, officer_names: dict[int, str]) -> dict:
        return {"unit_id": self.unit_id, "unit": self.label, "late_caused": self.caused,
                "resolved_late": self.resolved_late, "still_overdue": self.still_overdue,
                "officers": [{"officer_id": o, "name": officer_names.get(o, ""), "cases": n}
                             for o, n in self.officers.most_common()],
                "reasons": [{"reason": r, "cases": n} for r, n in self.reasons.most_common()]}


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for i in range(0, len(ids), CHUNK):
        yield ids[i : i + CHUNK]


def load_late_cases(session: Session, keyed: dict[int, object], w: Window) -> list[LateCase]:
    """The late cases (id -> report group key, from `aggregate.count`) with their responsible unit/officer,
    apology and reasons."""
    ids = sorted(keyed)
    out: list[LateCase] = []
    for chunk in _chunks(ids):
        cases = session.execute(select(Case.id, Case.code, Case.lead_unit_id, Case.officer_id, Case.result_at)
                                .where(Case.id.in_(chunk))).all()
        steps: dict[int, list[CaseStep]] = {}
        for st in session.execute(select(CaseStep).where(CaseStep.case_id.in_(chunk), CaseStep.started_at < w.as_of)
                                  .order_by(CaseStep.case_id, CaseStep.started_at, CaseStep.id)).scalars():
            steps.setdefault(st.case_id, []).append(st)
        extended: dict[int, dict] = {}
        for case_id, data in session.execute(
                select(CaseEvent.case_id, CaseEvent.data).where(
                    CaseEvent.case_id.in_(chunk), CaseEvent.kind == str(EventKind.EXTENDED), CaseEvent.at < w.as_of)
                .order_by(CaseEvent.case_id, CaseEvent.seq)):
            extended.setdefault(case_id, data or {})
        for c in cases:
            out.append(_late_case(c, keyed[c.id], steps.get(c.id, []), extended.get(c.id), w.as_of))
    return out


def overran(step: CaseStep, as_of: datetime) -> bool:
    if step.due_at is None:
        return False
    if step.finished_at is None or step.finished_at >= as_of:
        return step.due_at < as_of
    return step.finished_at > step.due_at


def _late_case(c, key, steps: list[CaseStep], ext: dict | None, as_of: datetime) -> LateCase:
    culprit = next((st for st in steps if overran(st, as_of)), None)
    unit_id = culprit.unit_id if culprit else c.lead_unit_id
    officer = (culprit.handled_by_id if culprit else None) or c.officer_id
    apology = "never" if ext is None else ("on_time" if ext.get("apology_on_time") else "late")
    reasons = [r for r in ((ext or {}).get("reason", ""), culprit.note if culprit else "") if r and r.strip()]
    resolved = c.result_at is not None and c.result_at < as_of
    return LateCase(c.id, c.code, key, c.lead_unit_id, resolved, unit_id, officer, apology, reasons)


def accounts(late: Iterable[LateCase], unit_names: dict[int, str]) -> list[UnitAccount]:
    """Per responsible unit, most late cases first."""
    by_unit: dict[int | None, UnitAccount] = {}
    for lc in late:
        acc = by_unit.setdefault(lc.unit_id, UnitAccount(lc.unit_id, unit_names.get(lc.unit_id, "Chưa xác định")))
        acc.caused += 1
        acc.resolved_late += lc.resolved
        acc.still_overdue += not lc.resolved
        if lc.officer_id is not None:
            acc.officers[lc.officer_id] += 1
        for reason in lc.reasons or [NO_REASON]:
            acc.reasons[reason] += 1
    return sorted(by_unit.values(), key=lambda a: (-a.caused, a.label))


def apology_counts(late: Iterable[LateCase]) -> dict[object, Counter]:
    """Per report group key: late cases by apology kind."""
    out: dict[object, Counter] = {}
    for lc in late:
        out.setdefault(lc.key, Counter())[lc.apology] += 1
    return out
