"""Editing the calendar: seeded from the package and the official list, every change previewed on open cases."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from tthc_desk import deadline
from tthc_desk.calendar import CalendarOverride, WorkCalendar
from tthc_desk.deadline import DeadlineRule
from tthc_desk.domain import DurationUnit, EventKind, Status
from tthc_desk.paths import resource_path
from tthc_desk.services.base import Actor, ServiceBase, load_overrides, parse_hours
from tthc_desk.services.ledger import add_audit, add_event
from tthc_desk.services.rights import Action
from tthc_desk.services.sequences import next_value
from tthc_desk.storage.models import CalendarDay, Case, Office
from tthc_desk.text import clean

OFF_KINDS = {"le_tet", "nghi_bu", "nghi_hoan_doi"}
# the legal basis of the statutory holidays (kind `le_tet`), shown as "Căn cứ" in the calendar settings; where
# the list's dates were taken from (the `nguon` column: a library, an official letter) stays in the shipped file
STATUTORY_BASIS = "Bộ luật Lao động 2019, Điều 112"


def read_official_days(path: Path | None = None) -> list[CalendarOverride]:
    """The shipped list of days off and make-up Saturdays (unconfirmed days are kept as working days)."""
    path = path or resource_path("data", "ngay_nghi_2020_2026.csv")
    out = []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            day, kind = date.fromisoformat(row["ngay"]), row["loai"]
            name, source = clean(row["ten"]), clean(row["nguon"])
            if kind == "le_tet":
                out.append(CalendarOverride(day, False, name, STATUTORY_BASIS))
            elif kind == "lam_bu":
                out.append(CalendarOverride(day, True, name, source))
            elif kind in OFF_KINDS:
                out.append(CalendarOverride(day, False, name, source))
            else:  # le_du_kien: not law yet; counted as a working day until an administrator confirms it
                out.append(CalendarOverride(day, True, f"{name} (chưa xác nhận là ngày nghỉ)", source, confirmed=False))
    return out


def seed_calendar(session: Session) -> int:
    """Insert the official days that are not in the table yet; returns how many were added."""
    have = set(session.execute(select(CalendarDay.day)).scalars())
    added = 0
    for o in read_official_days():
        if o.day not in have:
            session.add(CalendarDay(day=o.day, working=o.working, name=o.name, source=o.source, confirmed=o.confirmed))
            added += 1
    return added


@dataclass
class DayChange:
    """One edit: `working=None` removes the override (back to the package's rule)."""

    day: date
    working: bool | None
    name: str = ""
    source: str = ""


@dataclass
class DueMove:
    code: str
    applicant: str
    old_due: datetime
    new_due: datetime


class CalendarService(ServiceBase):
    def overrides(self, actor: Actor, year: int | None = None) -> list[CalendarOverride]:
        with self.db.read() as s:
            items = load_overrides(s)
        return sorted((o for o in items if year is None or o.day.year == year), key=lambda o: o.day)

    def year_view(self, actor: Actor, year: int) -> list[dict]:
        """Every day of the year that is off on a weekday or worked on a weekend, with its reason."""
        with self.db.read() as s:
            cal = self.calendar(s, self.office(s, actor.office_id))
        out = []
        d = date(year, 1, 1)
        while d.year == year:
            off = cal.day_off_reason(d)
            worked = cal.working_day_reason(d)
            if (off and d.weekday() not in cal.hours.weekend) or worked:
                out.append({"date": d, "working": bool(worked), "reason": worked or off})
            d = date.fromordinal(d.toordinal() + 1)
        return out

    def preview(self, actor: Actor, changes: list[DayChange]) -> list[DueMove]:
        """Open cases whose due time would move if these changes were applied (nothing is written)."""
        with self.db.read() as s:
            self.user_row(s, actor, Action.EDIT_CALENDAR)
            office = self.office(s, actor.office_id)
            return [m for _c, m in self._moves(s, office, changes)[1]]

    def apply(self, actor: Actor, changes: list[DayChange], recompute: bool = True) -> list[DueMove]:
        """Save the changes; open cases whose due this office computed (registered here, or imported and
        resumed here) get their due times recomputed (with an event)."""
        with self.audited_write() as s:
            user = self.user_row(s, actor, Action.EDIT_CALENDAR)
            office = self.office(s, actor.office_id)
            new_cal, moves = self._moves(s, office, changes)
            for ch in changes:
                row = s.execute(select(CalendarDay).where(CalendarDay.day == ch.day)).scalar_one_or_none()
                if ch.working is None:
                    if row is not None:
                        s.delete(row)
                else:
                    row = row or CalendarDay(day=ch.day)
                    row.working, row.name, row.source, row.confirmed = ch.working, clean(ch.name), clean(ch.source), True
                    s.add(row)
                add_audit(s, self.now(), user.id, "calendar_change", "calendar", ch.day.isoformat(),
                          {"working": ch.working, "name": clean(ch.name), "source": clean(ch.source)})
            next_value(s, office.id, "calendar_version", "all")
            if recompute:
                for case, move in moves:
                    # the appointment follows the statutory due unless it is a date of its own (an apology's,
                    # or one moved when papers came back while the statutory due was kept)
                    if case.due_at == case.original_due_at:
                        case.due_at = move.new_due
                    case.original_due_at = move.new_due
                    if case.warn_minutes is not None:
                        case.warn_at = deadline.warn_moment(new_cal, move.new_due, case.warn_minutes)
                    case.updated_at = self.now()
                    add_event(s, case, EventKind.DUE_RECOMPUTED, self.now(), user.id, user.unit_id,
                              {"old_due_at": move.old_due.isoformat(), "new_due_at": move.new_due.isoformat()})
            return [m for _c, m in moves]

    def _moves(self, s: Session, office: Office, changes: list[DayChange]) -> tuple[WorkCalendar, list]:
        """The calendar with `changes` and the open cases whose due time the edit itself moves (preview and apply).

        A case is compared with itself: its due computed with today's working hours on the calendar without
        the edit and with it. When both agree the edit does not touch the case, whatever its stored due (one
        received before an office-hours change keeps the due it was given). When they differ, the stored due
        keeps its distance from today's computation: that many working minutes (working-time units and paused
        cases), or working days (calendar days, same day), counted on the calendar before the edit and laid
        again after the new computation. A due that matches today's computation simply becomes the new one; one
        given under other hours (a later cut-off, other sessions) keeps that difference instead of losing it to
        a recompute. Cases waiting for the applicant are left out: their due is set afresh, on the calendar of
        that day, when the papers come back. So are the dues this office did not compute: an imported case
        keeps the portal's due as is (DOMAIN §5) until its papers come back here; from then on (`clock_from` is
        the resume, not the receipt) its due is ours and follows the edit like a desk case's."""
        old_cal = self.calendar(s, office)
        new_cal = WorkCalendar(parse_hours(office), _apply(load_overrides(s), changes))
        rows = s.execute(
            select(Case).where(
                Case.office_id == office.id,
                Case.is_open.is_(True),
                Case.status != str(Status.WAITING_SUPPLEMENT),
                # the dues this office computed: every desk case's, and an imported case's once its papers
                # came back here (`clock_from` moved off the receipt); a portal's due kept as is never moves
                or_(Case.source == "desk", Case.clock_from != Case.received_at),
            )
        ).scalars()
        moves = []
        for case in rows:
            stored = case.original_due_at
            left = _left_without_rule(old_cal, case)
            old = _computed_due(old_cal, case, left)
            new = _computed_due(new_cal, case, left)
            if stored is None or old is None or old == new:
                continue
            new_due = _shifted(old_cal, new_cal, case, stored, old, new)
            if new_due != stored:
                moves.append((case, DueMove(case.code, case.applicant_name, stored, new_due)))
        return new_cal, moves


def _computed_due(cal: WorkCalendar, case: Case, minutes_left: int | None = None) -> datetime | None:
    """The case's statutory due as this calendar gives it: its rule from `clock_from`, or, for a case paused and
    resumed (supplement mode *pause*), the working minutes that were left, from the resume; for a case without
    a rule resumed in restart mode, `minutes_left` (see `_left_without_rule`) from the resume. None when there is
    nothing this office computed to count again: a paused case with no minutes left (its due was kept), a case
    without a rule that was not resumed here."""
    base = case.clock_from or case.received_at
    resumed = base != case.received_at
    if case.supplement_mode == "pause" and resumed:
        if case.paused_minutes_left is None:
            return None
        return cal.add_working_minutes(deadline.start_of_clock(cal, base), max(0, case.paused_minutes_left))
    if case.rule_unit is None:
        if not resumed or minutes_left is None:
            return None
        return cal.add_working_minutes(deadline.start_of_clock(cal, base), minutes_left)
    return deadline.compute_due(cal, base, DeadlineRule(case.rule_amount, DurationUnit(case.rule_unit)))


def _left_without_rule(cal: WorkCalendar, case: Case) -> int | None:
    """For a case without a rule (an imported procedure "cần xác nhận") resumed in restart mode: the working
    minutes its papers-back gave it, from the resume to the stored due on the calendar before the edit (the
    due was laid as `start_of_clock(resume) + minutes left`; the minutes are not kept on the case). The edit
    lays them again, as for a paused case. None for any other case."""
    base = case.clock_from or case.received_at
    if case.rule_unit is not None or case.supplement_mode == "pause" or base == case.received_at:
        return None
    if case.original_due_at is None:
        return None
    start = deadline.start_of_clock(cal, base)
    return cal.working_minutes_between(start, case.original_due_at) if start < case.original_due_at else 0


def _shifted(
    old_cal: WorkCalendar, new_cal: WorkCalendar, case: Case, stored: datetime, old: datetime, new: datetime
) -> datetime:
    """`stored` moved as the edit moves the computation from `old` to `new` (see `CalendarService._moves`)."""
    if stored == old:
        return new
    resumed = (case.clock_from or case.received_at) != case.received_at
    by_days = (
        case.rule_unit is not None  # no rule: the minutes left, laid again (see `_left_without_rule`)
        and DurationUnit(case.rule_unit) in (DurationUnit.CALENDAR_DAYS, DurationUnit.SAME_DAY)
        and not (case.supplement_mode == "pause" and resumed)
    )
    if not by_days:
        offset = old_cal.working_minutes_between(old, stored)
        return new_cal.moment_at(new_cal.position(new) + offset, prefer_end=True)
    # the due day k working days after the computed one (0 unless the cut-off changed), the time it was given
    lo, hi = sorted((old.date(), stored.date()))
    k = old_cal.working_days_in(lo + timedelta(days=1), hi) if lo < hi else 0
    day = new.date()
    for _ in range(k):
        if stored > old:
            day = new_cal.next_working_day(day)
        else:
            day -= timedelta(days=1)
            while not new_cal.is_working_day(day):
                day -= timedelta(days=1)
    return datetime.combine(day, stored.time())


def _apply(current: list[CalendarOverride], changes: list[DayChange]) -> list[CalendarOverride]:
    by_day = {o.day: o for o in current}
    for ch in changes:
        if ch.working is None:
            by_day.pop(ch.day, None)
        else:
            by_day[ch.day] = CalendarOverride(ch.day, ch.working, clean(ch.name), clean(ch.source))
    return list(by_day.values())
