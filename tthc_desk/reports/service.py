"""ReportService: the figures, their analysis, the dashboard data and the drill-down, behind VIEW_REPORTS."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session

from tthc_desk.documents.office_header import issuer_letterhead, running_name, signer_of
from tthc_desk.errors import ValidationError
from tthc_desk.reports import accountability as acc
from tthc_desk.reports.aggregate import GROUPS, Scope, count, count_statement, ordered_keys
from tthc_desk.reports.dashboard import BacklogDay, TrendPoint, backlog, trend
from tthc_desk.reports.drill import (
    LATE_FIGURES,
    DrillCriteria,
    DrillRow,
    figure_ids,
    late_ids,
    late_note,
    rows_for,
)
from tthc_desk.reports.exports import date_line, month_words, receiver_of
from tthc_desk.reports.figures import Counts, Report, ReportRow
from tthc_desk.reports.flags import Flags, compute_flags
from tthc_desk.reports.letter import LetterDraft, draft_letter
from tthc_desk.reports.period import Period, months_back
from tthc_desk.reports.predicates import FULL, Window, unsynced
from tthc_desk.services.base import Actor, ServiceBase
from tthc_desk.services.rights import Action
from tthc_desk.services.workflow import apology_on_time
from tthc_desk.storage.models import Case, Office, Procedure, Unit, User


@dataclass
class Analysis:
    """The form plus what the chairs' letters ask for: accountability, apologies, flags."""

    report: Report
    late_cases: list[acc.LateCase]
    accounts: list[acc.UnitAccount]
    flags: Flags
    officer_names: dict[int, str] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"report": self.report.as_dict(), "flags": self.flags.as_dict(),
                "accountability": [a.as_dict(self.officer_names) for a in self.accounts]}


@dataclass
class Dashboard:
    analysis: Analysis
    backlog: list[BacklogDay]
    trend: list[TrendPoint]


class ReportService(ServiceBase):
    # ----- scope --------------------------------------------------------------------------------------
    def _begin(self, s: Session, actor: Actor, period: Period | None, group_by: str) -> tuple[Office, Window | None]:
        self.user_row(s, actor, Action.VIEW_REPORTS)
        if group_by not in GROUPS:
            raise ValidationError("Chỉ nhóm theo đơn vị (unit) hoặc lĩnh vực (field).")
        office = self.office(s, actor.office_id)
        w = period.window(self.now()) if period else None  # a period not yet begun: ValidationError
        return office, w

    def _scope(self, s: Session, actor: Actor, unit_ids, fields) -> Scope:
        # the office filter is dropped when the database holds one office: office_id is not in the covering index
        offices = s.execute(select(func.count(Office.id))).scalar_one()
        return Scope(None if offices == 1 else actor.office_id,
                     tuple(unit_ids) if unit_ids is not None else None, tuple(fields) if fields is not None else None)

    def _unit_names(self, s: Session, office_id: int) -> dict[int, str]:
        return dict(s.execute(select(Unit.id, Unit.name).where(Unit.office_id == office_id)).all())

    def _listed_units(self, s: Session, office_id: int, unit_ids) -> list[int]:
        """Active units that lead cases or procedures (so a unit with no case this period still shows, at 0)."""
        leads = or_(exists().where(Case.lead_unit_id == Unit.id), exists().where(Procedure.lead_unit_id == Unit.id))
        stmt = select(Unit.id).where(Unit.office_id == office_id, Unit.active.is_(True), leads)
        if unit_ids is not None:
            stmt = stmt.where(Unit.id.in_(tuple(unit_ids)))
        return list(s.execute(stmt.order_by(func.coalesce(Unit.parent_id, 0), Unit.id)).scalars())

    def _apology_rule(self, s: Session, office: Office):
        """DOMAIN §4's rule on the office's calendar: whether an apology made by a moment is on time for a due."""
        return partial(apology_on_time, self.calendar(s, office))

    # ----- figures ------------------------------------------------------------------------------------
    def report(self, actor: Actor, period: Period, group_by: str = "unit", unit_ids=None, fields=None) -> Report:
        """Biểu II.06a for the period by lead unit or by field (with the apology columns)."""
        return self.analysis(actor, period, group_by, unit_ids, fields, with_flags=False).report

    def analysis(self, actor: Actor, period: Period, group_by: str = "unit", unit_ids=None, fields=None,
                 *, with_flags: bool = True) -> Analysis:
        with self.db.read() as s:
            office, w = self._begin(s, actor, period, group_by)
            scope = self._scope(s, actor, unit_ids, fields)
            counted = count(s, scope, w, group_by)
            counts = counted.counts
            late = acc.load_late_cases(s, counted.late, w, self._apology_rule(s, office))
            for key, kinds in acc.apology_counts(late).items():
                c = counts.setdefault(key, Counts())
                c.apology_on_time, c.apology_late, c.apology_never, c.apology_unknown = (
                    kinds[k] for k in acc.APOLOGY_KINDS)
            names = self._unit_names(s, office.id)
            listed = self._listed_units(s, office.id, unit_ids) if group_by == "unit" and fields is None else []
            keys = ordered_keys(list(counts), group_by, names, listed)
            rows = [ReportRow(k, keys.labels[k], counts.get(k, Counts())) for k in keys.keys]
            total = ReportRow(None, "Tổng cộng", Counts())
            for r in rows:
                total.counts.add(r.counts)
            report = Report(period, w.as_of, group_by, rows, total, office.on_time_target or 95.0, office.name)
            unsynced_by = self._unsynced(s, scope, w, group_by) if with_flags else {}
            officers = dict(s.execute(select(User.id, User.full_name).where(User.office_id == office.id)).all())
        flags = compute_flags(report, unsynced_by)
        return Analysis(report, late, acc.accounts(late, names), flags, officers)

    def _unsynced(self, s: Session, scope: Scope, w: Window, group_by: str) -> dict[object, int]:
        stmt = count_statement(FULL, Case.id.is_not(None), scope, w, group_by, {"unsynced": unsynced})
        return {r.key: int(r.unsynced or 0) for r in s.execute(stmt)}

    # ----- drill-down ---------------------------------------------------------------------------------
    def drill(self, actor: Actor, crit: DrillCriteria, limit: int | None = None) -> list[DrillRow]:
        """The cases behind one figure of one line (same predicates as the counts)."""
        crit.check()
        with self.db.read() as s:
            office, w = self._begin(s, actor, crit.period, crit.group_by)
            scope = self._scope(s, actor, crit.unit_ids, crit.fields)
            notes: dict[int, str] = {}
            if crit.figure in LATE_FIGURES:
                names = self._unit_names(s, office.id)
                officers = dict(s.execute(select(User.id, User.full_name).where(User.office_id == office.id)).all())
                late = acc.load_late_cases(s, count(s, scope, w, crit.group_by).late, w, self._apology_rule(s, office))
                chosen = late_ids(late, crit)
                chosen.sort(key=lambda lc: lc.code)
                ids = [lc.id for lc in chosen]
                notes = {lc.id: late_note(lc, names, officers) for lc in chosen}
            else:
                ids = figure_ids(s, crit, scope, w)
            return rows_for(s, ids[:limit] if limit else ids, notes, w)

    # ----- dashboard ----------------------------------------------------------------------------------
    def backlog(self, actor: Actor, days: int = 10, unit_ids=None) -> list[BacklogDay]:
        """Open cases overdue now, then due on each of the next `days` working days."""
        with self.db.read() as s:
            office, _ = self._begin(s, actor, None, "unit")
            return backlog(s, self._scope(s, actor, unit_ids, None), self.calendar(s, office), self.now(), max(1, days))

    def trend(self, actor: Actor, months: int = 12, unit_ids=None) -> list[TrendPoint]:
        with self.db.read() as s:
            self._begin(s, actor, None, "unit")
            return trend(s, self._scope(s, actor, unit_ids, None), months_back(self.now().date(), max(1, months)))

    def dashboard(self, actor: Actor, period: Period, group_by: str = "unit", unit_ids=None, fields=None,
                  backlog_days: int = 10, trend_months: int = 12) -> Dashboard:
        """Everything the Báo cáo page shows, in one call (plain data, safe to run off the GUI thread)."""
        return Dashboard(self.analysis(actor, period, group_by, unit_ids, fields),
                         self.backlog(actor, backlog_days, unit_ids), self.trend(actor, trend_months, unit_ids))

    # ----- pickers ------------------------------------------------------------------------------------
    def units(self, actor: Actor) -> list[tuple[int, str]]:
        with self.db.read() as s:
            office, _ = self._begin(s, actor, None, "unit")
            names = self._unit_names(s, office.id)
            return [(i, names[i]) for i in self._listed_units(s, office.id, None)]

    def fields(self, actor: Actor) -> list[str]:
        with self.db.read() as s:
            self._begin(s, actor, None, "unit")
            rows = s.execute(select(Procedure.field).where(Procedure.field != "").distinct()).scalars()
            return sorted(set(rows))

    # ----- files --------------------------------------------------------------------------------------
    def export_form(self, actor: Actor, period: Period, path: str | Path, group_by: str = "unit", unit_ids=None,
                    fields=None) -> Path:
        """Biểu II.06a to .xlsx or .pdf (by the file's suffix)."""
        suffix = Path(path).suffix.lower()
        if suffix not in (".xlsx", ".pdf"):
            raise ValidationError("Chỉ xuất biểu ra tệp .xlsx hoặc .pdf.")
        report = self.report(actor, period, group_by, unit_ids, fields)
        with self.db.read() as s:
            office = self.office(s, actor.office_id)
            meta = {"office": running_name(office), "receiver": receiver_of(office),
                    "place_date": date_line(office, self.now().date())}
        if suffix == ".xlsx":
            from tthc_desk.reports.xlsx import write_xlsx

            return write_xlsx(report, path, **meta)
        from tthc_desk.documents import write_pdf
        from tthc_desk.reports.pdf import render_form

        return write_pdf(render_form(report, **meta), path)

    def letter(self, actor: Actor, period: Period, signer_index: int = 0) -> LetterDraft:
        """The draft monthly letter (công văn) for the period, by lead unit."""
        analysis = self.analysis(actor, period, "unit")
        with self.db.read() as s:
            office = self.office(s, actor.office_id)
            return draft_letter(analysis, issuer_letterhead(office), signer_of(office, signer_index),
                                running_name(office), month_words=month_words(period))

    def export_letter(self, actor: Actor, period: Period, path: str | Path, signer_index: int = 0) -> Path:
        """The letter to .docx (editable) or .pdf."""
        suffix = Path(path).suffix.lower()
        if suffix not in (".docx", ".pdf"):
            raise ValidationError("Chỉ xuất công văn ra tệp .docx hoặc .pdf.")
        draft = self.letter(actor, period, signer_index)
        if suffix == ".docx":
            from tthc_desk.reports.docx_letter import write_docx

            return write_docx(draft, path)
        from tthc_desk.documents import write_pdf
        from tthc_desk.reports.pdf import render_letter

        return write_pdf(render_letter(draft), path)

    def today(self) -> date:
        """The office's today (the clock port), for period presets."""
        return self.now().date()
