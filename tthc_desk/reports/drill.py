"""The cases behind a figure: the same predicates as the counts, read with every column."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session, aliased

from tthc_desk import deadline
from tthc_desk.domain import Channel, Status
from tthc_desk.errors import ValidationError
from tthc_desk.reports.accountability import LateCase, officer_name
from tthc_desk.reports.aggregate import Scope, group_column
from tthc_desk.reports.period import Period
from tthc_desk.reports.predicates import DRILLABLE, FULL, Window, in_reach, waiting_at
from tthc_desk.storage.models import Case, Unit

ALL = "__all__"  # the total line
# figures read from the late cases (accountability and apologies) rather than a single predicate
LATE_FIGURES = {
    "late_caused": "late cases a unit caused (group key: responsible unit)",
    # the accountability table's two columns, each drilling to exactly the cases it counts
    "late_caused_resolved": "late cases a unit caused, resolved late within the period",
    "late_caused_overdue": "late cases a unit caused, still open past their due time at the period's end",
    "apology_on_time": "late cases with an apology sent on time",
    "apology_late": "late cases with an apology sent late",
    "apology_never": "late cases without an apology",
    "apology_unknown": "late cases the portal's file says were apologised to, at a moment it does not give",
    "apologised": "late cases with an apology",
}
FIGURES = (*DRILLABLE, *LATE_FIGURES)
CAUSED = {"late_caused": None, "late_caused_resolved": True, "late_caused_overdue": False}  # figure -> resolved


@dataclass(frozen=True)
class DrillCriteria:
    """A figure of a report line: `figure` (a key of FIGURES) for the group `key` (unit id / field; ALL: the
    total line; for late_caused*, the responsible unit) in the period, within the report's filters."""

    period: Period
    figure: str
    key: object = ALL
    group_by: str = "unit"
    unit_ids: tuple[int, ...] | None = None
    fields: tuple[str, ...] | None = None

    def check(self) -> None:
        if self.figure not in FIGURES:
            raise ValidationError(f"Không có chỉ tiêu '{self.figure}' để xem hồ sơ.")
        if self.group_by not in ("unit", "field"):
            raise ValidationError("Chỉ nhóm theo đơn vị (unit) hoặc lĩnh vực (field).")


@dataclass
class DrillRow:
    code: str
    applicant: str
    procedure: str
    field: str
    lead_unit: str
    channel: str
    received_at: datetime
    due_at: datetime | None  # original due (decides timeliness)
    appointment_at: datetime | None  # after an apology
    finished_at: datetime | None  # result or closing
    status: str
    timeliness: str
    note: str = ""  # responsible unit / apology / reasons for late-case figures

    def as_dict(self) -> dict:
        iso = lambda v: v.isoformat() if v else None  # noqa: E731
        return {"code": self.code, "applicant": self.applicant, "procedure": self.procedure, "field": self.field,
                "lead_unit": self.lead_unit, "channel": self.channel, "received_at": iso(self.received_at),
                "due_at": iso(self.due_at), "appointment_at": iso(self.appointment_at),
                "finished_at": iso(self.finished_at), "status": self.status, "timeliness": self.timeliness,
                "note": self.note}


def group_condition(group_by: str, key: object) -> list[ColumnElement]:
    if key == ALL:
        return []
    col = group_column(group_by)
    return [col.is_(None)] if key is None else [col == key]


def figure_ids(session: Session, crit: DrillCriteria, scope: Scope, w: Window) -> list[int]:
    pred = DRILLABLE[crit.figure]
    stmt = (select(Case.id).where(in_reach(FULL, w), pred(FULL, w), *scope.conditions(),
                                  *group_condition(crit.group_by, crit.key)).order_by(Case.received_at, Case.id))
    return list(session.execute(stmt).scalars())


def late_ids(late: list[LateCase], crit: DrillCriteria) -> list[LateCase]:
    def keep(lc: LateCase) -> bool:
        if crit.figure in CAUSED:
            return (crit.key == ALL or lc.unit_id == crit.key) and CAUSED[crit.figure] in (None, lc.resolved)
        if crit.key != ALL and lc.key != crit.key:
            return False
        if crit.figure == "apologised":
            return lc.apology != "never"
        return lc.apology == crit.figure.removeprefix("apology_")
    return [lc for lc in late if keep(lc)]


APOLOGY_WORDS = {"on_time": "xin lỗi đúng hạn", "late": "xin lỗi muộn", "never": "chưa xin lỗi",
                 "unknown": "đã xin lỗi, hẹn lại theo tệp của Cổng dịch vụ công (không rõ thời điểm)"}


def rows_for(session: Session, ids: list[int], notes: dict[int, str], w: Window) -> list[DrillRow]:
    """Display rows for `ids`, in that order; timeliness as judged at the period's end."""
    lead = aliased(Unit)
    found = {}
    for i in range(0, len(ids), 900):
        stmt = select(Case, lead.name).outerjoin(lead, lead.id == Case.lead_unit_id).where(Case.id.in_(ids[i : i + 900]))
        found.update({c.id: (c, name) for c, name in session.execute(stmt)})
    return [_row(*found[i], notes.get(i, ""), w) for i in ids if i in found]


def _row(c: Case, lead_name: str | None, note: str, w: Window) -> DrillRow:
    as_of = w.as_of
    finished = c.result_at or c.closed_at
    if c.result_at and c.result_at < as_of and c.original_due_at:
        word = deadline.timeliness(c.result_at, c.original_due_at).label
    elif finished and finished < as_of:
        word = Status(c.status).label
    elif c.original_due_at and c.original_due_at < w.due_line and not waiting_at(c, as_of):
        word = "Đang giải quyết, quá hạn"
    else:
        word = "Đang giải quyết, trong hạn"
    return DrillRow(c.code, c.applicant_name, c.procedure_name, c.field, lead_name or "", Channel(c.channel).label,
                    c.received_at, c.original_due_at, c.due_at if c.extension_count else None, finished,
                    Status(c.status).label, word, note)


def late_note(lc: LateCase, unit_names: dict[int, str], officer_names: dict[int, str]) -> str:
    who = unit_names.get(lc.unit_id, "Chưa xác định")
    if lc.officer_id is None or lc.officer_id in officer_names:
        who += f" – {officer_name(lc.officer_id, officer_names)}"
    reasons = "; ".join(lc.reasons)
    return f"Trách nhiệm: {who}; {APOLOGY_WORDS[lc.apology]}" + (f"; lý do: {reasons}" if reasons else "")
