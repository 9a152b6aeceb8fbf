"""The chair's dashboard data besides the form: backlog by working day ahead and the monthly trend."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from tthc_desk.calendar import WorkCalendar
from tthc_desk.reports.aggregate import Scope
from tthc_desk.reports.numbers import ratio
from tthc_desk.reports.period import Period
from tthc_desk.reports.predicates import WAITING
from tthc_desk.storage.models import Case


@dataclass(frozen=True)
class BacklogDay:
    """Open cases due on one working day ahead (`day` None: already overdue)."""

    day: date | None
    label: str
    cases: int

    def as_dict(self) -> dict:
        return {"day": self.day.isoformat() if self.day else None, "label": self.label, "cases": self.cases}


def _open(scope: Scope) -> list:
    return [Case.is_open.is_(True), Case.status != WAITING, *scope.conditions()]


def backlog(session: Session, scope: Scope, cal: WorkCalendar, now: datetime, days: int) -> list[BacklogDay]:
    """Open cases (not waiting for the applicant) already overdue, then due on each of the next `days` working
    days (today first if it is one)."""
    today = now.date()
    first = today if cal.is_working_day(today) else cal.next_working_day(today)
    ahead = [first]
    while len(ahead) < days:
        ahead.append(cal.next_working_day(ahead[-1]))
    horizon = datetime.combine(ahead[-1] + timedelta(days=1), datetime.min.time())
    overdue = session.execute(select(func.count(Case.id)).where(*_open(scope), Case.original_due_at < now)).scalar_one()
    dues = session.execute(select(Case.original_due_at).where(
        *_open(scope), Case.original_due_at >= now, Case.original_due_at < horizon)).scalars()
    per_day: dict[date, int] = {}
    for due in dues:
        # a due time on a day off (imported data) counts on the next working day
        d = due.date() if cal.is_working_day(due.date()) else cal.next_working_day(due.date())
        per_day[d] = per_day.get(d, 0) + 1
    out = [BacklogDay(None, "Quá hạn", overdue)]
    out += [BacklogDay(d, f"{d:%d/%m}", per_day.get(d, 0)) for d in ahead]
    return out


@dataclass(frozen=True)
class TrendPoint:
    period: Period
    label: str  # "10/2026"
    received: int
    resolved: int
    resolved_in_time: int

    @property
    def rate(self) -> float | None:
        return ratio(self.resolved_in_time, self.resolved)

    def as_dict(self) -> dict:
        return {"month": self.label, "received": self.received, "resolved": self.resolved,
                "resolved_in_time": self.resolved_in_time, "rate": self.rate}


def trend(session: Session, scope: Scope, months: list[Period]) -> list[TrendPoint]:
    """Per month: received, resolved and resolved early/on time, in one pass over the covering index (grouped
    by lead unit so SQLite reads ix_case_report in order; the groups are summed here)."""
    cols = []
    for i, p in enumerate(months):
        a, b = p.start_at, p.end_at
        got = (Case.result_at >= a) & (Case.result_at < b)
        cols += [
            func.sum(case(((Case.received_at >= a) & (Case.received_at < b), 1), else_=0)).label(f"r{i}"),
            func.sum(case((got, 1), else_=0)).label(f"s{i}"),
            func.sum(case((got & ((Case.original_due_at.is_(None)) | (Case.result_at <= Case.original_due_at)), 1),
                          else_=0)).label(f"t{i}"),
        ]
    lo, hi = months[0].start_at, months[-1].end_at
    stmt = (select(*cols).where((Case.received_at < hi) & ((Case.received_at >= lo) | (Case.result_at >= lo)),
                                *scope.conditions()).group_by(Case.lead_unit_id))
    row = [0] * len(cols)
    for got in session.execute(stmt):
        row = [a + int(b or 0) for a, b in zip(row, got, strict=True)]
    return [TrendPoint(p, f"{p.start:%m/%Y}", int(row[3 * i] or 0), int(row[3 * i + 1] or 0), int(row[3 * i + 2] or 0))
            for i, p in enumerate(months)]
