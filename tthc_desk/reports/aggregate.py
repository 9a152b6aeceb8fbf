"""The SQL behind the figures: one SUM(CASE …) GROUP BY over the covering index, one over the few side rows.

Portable SQL only (SQLite and PostgreSQL). Grouping by lead unit is what makes SQLite's planner read
ix_case_report in order, as a covering index (checked by tests/reports/test_plan.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Select, String, and_, case, cast, func, literal_column, select
from sqlalchemy.orm import Session

from tthc_desk.reports.figures import Counts
from tthc_desk.reports.predicates import (
    COUNTED,
    FULL,
    INDEXED,
    SIDE_STATUSES,
    Cols,
    Pred,
    Window,
    in_reach,
    late_any,
)
from tthc_desk.storage.models import Case

GROUPS = ("unit", "field")


@dataclass(frozen=True)
class Scope:
    """Which cases a report covers: the office (None when the database holds only one), units, fields."""

    office_id: int | None = None
    unit_ids: tuple[int, ...] | None = None
    fields: tuple[str, ...] | None = None

    def conditions(self) -> list[ColumnElement]:
        out: list[ColumnElement] = []
        if self.office_id is not None:
            out.append(Case.office_id == self.office_id)
        if self.unit_ids is not None:
            out.append(Case.lead_unit_id.in_(self.unit_ids))
        if self.fields is not None:
            out.append(Case.field.in_(self.fields))
        return out


def group_column(group_by: str) -> ColumnElement:
    return Case.lead_unit_id if group_by == "unit" else Case.field


def _parts(scope: Scope, w: Window) -> list[tuple[Cols, ColumnElement, int]]:
    """(binding, rows, sign) of each pass. The index-only pass reads every row of a common status, and the full
    pass those of a side status. The few rows of a common status whose papers came back at or after the
    period's end may have waited at it, which the index-only binding cannot see: they are counted again with
    every column (+1) and their index-only counts taken off (-1). Leaving them out of the hot pass instead
    (a NOT IN, or the column in its WHERE) costs a test per row of the whole index; these two passes reach
    them through the partial index ix_case_returned."""
    common = Case.status.not_in(SIDE_STATUSES)
    resumed = and_(common, Case.id.in_(select(Case.id).where(Case.supplement_returned_at >= w.as_of)))
    return [(INDEXED, common, 1), (FULL, Case.status.in_(SIDE_STATUSES), 1), (FULL, resumed, 1),
            (INDEXED, resumed, -1)]  # fmt: skip


ONE, ZERO = literal_column("1"), literal_column("0")


def count_statement(cols: Cols, rows: ColumnElement, scope: Scope, w: Window, group_by: str,
                    preds: dict[str, Pred] = COUNTED, *, with_late_ids: bool = False) -> Select:
    """SELECT group, SUM(CASE WHEN <figure> THEN 1 ELSE 0 END) … GROUP BY group; optionally the ids of the
    late cases in the same pass (group_concat / string_agg, which both skip NULLs)."""
    key = group_column(group_by)
    sums = [func.sum(case((p(cols, w), ONE), else_=ZERO)).label(name) for name, p in preds.items()]
    if with_late_ids:
        late = case((late_any(cols, w), cast(Case.id, String)), else_=None)
        sums.append(func.aggregate_strings(late, ",").label("late_ids"))
    return select(key.label("key"), *sums).where(rows, in_reach(cols, w), *scope.conditions()).group_by(key)


@dataclass
class Counted:
    counts: dict[object, Counts]
    late: dict[int, object]  # late case id -> group key


def count(session: Session, scope: Scope, w: Window, group_by: str) -> Counted:
    """Counts per group key (lead unit id or field) of every figure in `COUNTED`, and the late cases' ids:
    one pass over the covering index, one over the few side rows, and the few cases whose wait ended after the
    period counted again (`_parts`)."""
    out = Counted({}, {})
    late_by_pass: list[set[int]] = []
    for cols, rows, sign in _parts(scope, w):
        stmt = count_statement(cols, rows, scope, w, group_by, with_late_ids=True)
        late: set[int] = set()
        for row in session.execute(stmt).mappings():
            got = out.counts.setdefault(row["key"], Counts())
            for name in COUNTED:
                setattr(got, name, getattr(got, name) + sign * int(row[name] or 0))
            ids = [int(case_id) for case_id in filter(None, (row["late_ids"] or "").split(","))]
            late.update(ids)
            if sign > 0:
                out.late.update(dict.fromkeys(ids, row["key"]))
        late_by_pass.append(late)
    # late by the index-only pass, which could not see them wait, and not by the full one: not late
    for case_id in late_by_pass[3] - late_by_pass[2]:
        out.late.pop(case_id, None)
    return out


@dataclass
class GroupKeys:
    """Every key present, in report order, with its label."""

    keys: list[object] = field(default_factory=list)
    labels: dict[object, str] = field(default_factory=dict)


def ordered_keys(found: Sequence[object], group_by: str, unit_names: dict[int, str],
                 listed_units: Sequence[int]) -> GroupKeys:
    """Units in their listed order (then any other unit found, then 'no lead unit'); fields alphabetically."""
    out = GroupKeys()
    if group_by == "unit":
        order = list(dict.fromkeys([*listed_units, *sorted(k for k in found if k is not None)]))
        if None in found:
            order.append(None)
        out.keys = order
        out.labels = {k: unit_names.get(k, f"Đơn vị #{k}") if k is not None else "Chưa xác định đơn vị chủ trì"
                      for k in order}
    else:
        out.keys = sorted((k for k in found), key=lambda k: (k in (None, ""), str(k or "")))
        out.labels = {k: k or "Chưa phân loại lĩnh vực" for k in out.keys}
    return out
