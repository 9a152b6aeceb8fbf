"""The deadline engine (DOMAIN §5): due times, the "why this date" trace, timeliness and queue colour."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple

from tthc_desk.calendar import WEEKDAY_NAMES, WorkCalendar
from tthc_desk.domain import Colour, DurationUnit, Status, Timeliness, describe_duration
from tthc_desk.errors import ValidationError


class DeadlineRule(NamedTuple):
    """Time allowed for a case: an amount in a unit (amount is ignored for `same_day`). A NamedTuple, imported
    before the window's first paint: a dataclass costs the start 1-2 ms to create."""

    amount: float | None
    unit: DurationUnit

    def working_minutes(self, minutes_per_day: int) -> int | None:
        """The allowance in working minutes for the working-time units, else None."""
        if self.unit is DurationUnit.WORKING_DAYS:
            return round((self.amount or 0) * minutes_per_day)
        if self.unit is DurationUnit.WORKING_HOURS:
            return round((self.amount or 0) * 60)
        return None

    def describe(self) -> str:
        return describe_duration(self.amount, self.unit)


@dataclass
class DueTrace:
    """A due time with the reasoning behind it, for the case view, the receipt and `deadline --json`."""

    received_at: datetime
    start_at: datetime
    due_at: datetime
    rule: str
    steps: list[str] = field(default_factory=list)
    skipped: list[tuple[date, str]] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "received_at": self.received_at.isoformat(),
            "start_at": self.start_at.isoformat(),
            "due_at": self.due_at.isoformat(),
            "rule": self.rule,
            "skipped_days": [{"date": d.isoformat(), "reason": r} for d, r in self.skipped],
            "steps": list(self.steps),
        }

    def text(self) -> str:
        return "\n".join(self.steps)


def fmt_moment(moment: datetime) -> str:
    """'16:00 Thứ Sáu 24/01/2025'."""
    return f"{moment:%H:%M} {WEEKDAY_NAMES[moment.weekday()]} {moment:%d/%m/%Y}"


def _check(rule: DeadlineRule) -> None:
    if rule.unit is not DurationUnit.SAME_DAY and (rule.amount is None or rule.amount < 0):
        raise ValidationError("Thời hạn giải quyết phải là một số không âm.")


def start_of_clock(cal: WorkCalendar, received_at: datetime) -> datetime:
    """Where the clock starts for a receipt: inside working time, after-cut-off receipts next working day."""
    received_at = received_at.replace(second=0, microsecond=0)
    d = received_at.date()
    if cal.is_working_day(d) and received_at.time() > cal.hours.cutoff:
        return cal.opening_of(cal.next_working_day(d))
    return cal.into_working_time(received_at)


_WORKING_DAYS, _WORKING_HOURS = DurationUnit.WORKING_DAYS, DurationUnit.WORKING_HOURS


def compute_due(cal: WorkCalendar, received_at: datetime, rule: DeadlineRule) -> datetime:
    """The due moment for a case received at `received_at` under `rule` (the fast path: no trace)."""
    unit, amount = rule.unit, rule.amount
    if unit is _WORKING_DAYS or unit is _WORKING_HOURS:
        # Integer working-minute arithmetic: the same moment as `start_of_clock` + `add_working_minutes`
        # (tests/benchmarks/bench_deadline.py checks it) without building the intermediate datetimes.
        if amount is None or amount < 0:
            _check(rule)
        minutes = round(amount * (cal.minutes_per_day if unit is _WORKING_DAYS else 60))
        return cal.moment_at(cal.receipt_position(received_at) + minutes, prefer_end=minutes > 0)
    _check(rule)
    if unit is DurationUnit.CALENDAR_DAYS:
        return cal.closing_on_or_after(received_at.date() + timedelta(days=math.ceil(rule.amount or 0)))
    # same day
    d = received_at.date()
    if cal.is_working_day(d) and received_at.replace(second=0, microsecond=0).time() <= cal.hours.cutoff:
        return cal.closing_of(d)
    return cal.closing_of(cal.next_working_day(d))


def explain_due(
    cal: WorkCalendar, received_at: datetime, rule: DeadlineRule, *, papers_back_at: datetime | None = None
) -> DueTrace:
    """`compute_due` with a human-readable trace: start moment, each day skipped and why.
    `papers_back_at`: the clock restarted from zero when the applicant's papers came back (restart mode); the
    due is counted from that moment, and the trace says so instead of calling it the receipt."""
    counted_from = (papers_back_at or received_at).replace(second=0, microsecond=0)
    due = compute_due(cal, counted_from, rule)
    received_at = received_at.replace(second=0, microsecond=0)
    steps = [f"Tiếp nhận lúc {fmt_moment(received_at)}.", f"Thời hạn giải quyết: {rule.describe()}."]
    event, verb = "tiếp nhận", "Tiếp nhận"
    if papers_back_at is not None:
        event, verb = "nhận lại hồ sơ bổ sung", "Nhận lại hồ sơ bổ sung"
        steps.append(
            f"Nhận lại hồ sơ bổ sung lúc {fmt_moment(counted_from)}: thời hạn được tính lại từ đầu, "
            "kể từ lúc nhận lại hồ sơ."
        )
    cutoff = cal.hours.cutoff.strftime("%H:%M")
    d = counted_from.date()
    if rule.unit in (DurationUnit.WORKING_DAYS, DurationUnit.WORKING_HOURS):
        start = _start_steps(cal, counted_from, event, verb, steps)
        minutes = rule.working_minutes(cal.minutes_per_day)
        steps.append(
            f"Cộng {minutes // 60} giờ {minutes % 60:02d} phút làm việc ({cal.minutes_per_day // 60} giờ = 1 ngày làm việc)."
        )
    elif rule.unit is DurationUnit.CALENDAR_DAYS:
        return _explain_calendar_days(cal, received_at, counted_from, rule, due, steps, event)
    else:
        start = counted_from
        if cal.is_working_day(d) and counted_from.time() <= cal.hours.cutoff:
            steps.append(f"{verb} trong ngày làm việc, không muộn hơn {cutoff}: trả trong ngày.")
        else:
            steps.append(f"{verb} sau {cutoff} hoặc ngày nghỉ: trả vào cuối ngày làm việc tiếp theo.")
    return _finish(cal, received_at, min(counted_from.date(), start.date()), start, due, rule, steps)


def explain_resume(
    cal: WorkCalendar, received_at: datetime, resumed_at: datetime, minutes_left: int, rule: DeadlineRule,
    from_import: bool = False,
) -> DueTrace:
    """The trace of a paused case (supplement mode *pause*, DOMAIN §5): the working time that was left when
    papers were requested, added from the moment they came back (the same sum `WorkflowService` stores).
    `from_import`: the wait came with a portal file, and the time left was counted from its import."""
    received_at = received_at.replace(second=0, microsecond=0)
    resumed_at = resumed_at.replace(second=0, microsecond=0)
    left = f"{minutes_left // 60} giờ {minutes_left % 60:02d} phút"
    asked = (f"Hồ sơ được nhập từ cổng khi đang chờ bổ sung; thời gian làm việc còn lại từ lúc nhập đến hạn cổng "
             f"đã cấp là {left}" if from_import else f"Khi yêu cầu bổ sung hồ sơ, thời gian làm việc còn lại là {left}")
    steps = [
        f"Tiếp nhận lúc {fmt_moment(received_at)}.",
        f"Thời hạn giải quyết: {rule.describe()}.",
        f"{asked}; thời hạn tạm dừng trong lúc chờ bổ sung.",
        f"Nhận lại hồ sơ bổ sung lúc {fmt_moment(resumed_at)}: cộng tiếp {left} làm việc còn lại "
        f"kể từ lúc nhận lại ({cal.minutes_per_day // 60} giờ = 1 ngày làm việc).",
    ]
    start = _start_steps(cal, resumed_at, "nhận lại hồ sơ bổ sung", "Nhận lại hồ sơ bổ sung", steps)
    due = cal.add_working_minutes(start, minutes_left)
    return _finish(cal, received_at, min(resumed_at.date(), start.date()), start, due, rule, steps)


def explain_stored_due(
    received_at: datetime, due_at: datetime, rule: DeadlineRule | None, lines: list[str]
) -> DueTrace:
    """A trace for a due time that is not recomputed here (a portal's due date, or one computed under working
    hours that have changed since): the stored due with the `lines` saying why, never another date."""
    received_at = received_at.replace(second=0, microsecond=0)
    steps = [f"Tiếp nhận lúc {fmt_moment(received_at)}."]
    if rule is not None:
        steps.append(f"Thời hạn giải quyết: {rule.describe()}.")
    steps += lines
    steps.append(f"Hạn trả kết quả: {fmt_moment(due_at)}.")
    return DueTrace(received_at, received_at, due_at, rule.describe() if rule else "", steps, [])


def _start_steps(cal: WorkCalendar, moment: datetime, event: str, verb: str, steps: list[str]) -> datetime:
    """Where a working-time clock starts from `moment` (a receipt, or papers received back), with the reason."""
    start = start_of_clock(cal, moment)
    d = moment.date()
    if not cal.is_working_day(d):
        steps.append(
            f"Ngày {event} là ngày nghỉ ({cal.day_off_reason(d)}): bắt đầu tính từ ngày làm việc tiếp theo."
        )
    elif moment.time() > cal.hours.cutoff:
        steps.append(
            f"{verb} sau {cal.hours.cutoff:%H:%M}: chuyển sang đầu giờ ngày làm việc tiếp theo (NĐ 61/2018 Đ.18)."
        )
    elif start != moment:
        steps.append(f"{verb} ngoài giờ làm việc: bắt đầu tính từ đầu phiên làm việc kế tiếp.")
    steps.append(f"Bắt đầu tính: {fmt_moment(start)}.")
    return start


def _finish(
    cal: WorkCalendar,
    received_at: datetime,
    first: date,
    start: datetime,
    due: datetime,
    rule: DeadlineRule,
    steps: list[str],
) -> DueTrace:
    """The working-time trace's end: each day off passed over, each weekend day worked, the due."""
    skipped = cal.days_off_between(first, due.date())
    for day, reason in skipped:
        steps.append(f"Bỏ qua {WEEKDAY_NAMES[day.weekday()]} {day:%d/%m/%Y}: {reason}.")
    for day in _days(first, due.date()):
        reason = cal.working_day_reason(day)
        if reason:
            steps.append(f"Tính {WEEKDAY_NAMES[day.weekday()]} {day:%d/%m/%Y} là ngày làm việc: {reason}.")
    steps.append(f"Hạn trả kết quả: {fmt_moment(due)}.")
    return DueTrace(received_at, start, due, rule.describe(), steps, skipped)


def _explain_calendar_days(
    cal: WorkCalendar,
    received_at: datetime,
    counted_from: datetime,
    rule: DeadlineRule,
    due: datetime,
    steps: list[str],
    event: str,
) -> DueTrace:
    """Calendar days (Civil Code Đ.147-148): every day counts, days off included; only when the last day is not
    worked does the due move on, and the days it moves past are the ones skipped."""
    d = counted_from.date()
    n = math.ceil(rule.amount or 0)
    start = datetime.combine(d + timedelta(days=1), cal.hours.opening)
    last = d + timedelta(days=n)
    if n:
        steps.append(
            f"Tính theo ngày (Bộ luật Dân sự Đ.147): bắt đầu từ ngày {start:%d/%m/%Y}, ngày tiếp theo "
            f"ngày {event}; mọi ngày đều được tính, kể cả ngày nghỉ."
        )
        steps.append(f"Ngày thứ {n} là {WEEKDAY_NAMES[last.weekday()]} {last:%d/%m/%Y}.")
    else:
        steps.append(f"Thời hạn 0 ngày: hạn là cuối giờ chính ngày {event}.")
    skipped: list[tuple[date, str]] = []
    if not cal.is_working_day(last):
        steps.append(
            f"Ngày cuối {last:%d/%m/%Y} là ngày nghỉ ({cal.day_off_reason(last)}): hạn lùi sang cuối giờ "
            "ngày làm việc tiếp theo (Bộ luật Dân sự Đ.148)."
        )
        skipped = cal.days_off_between(last, due.date() - timedelta(days=1))
        for day, reason in skipped:
            steps.append(f"Bỏ qua {WEEKDAY_NAMES[day.weekday()]} {day:%d/%m/%Y}: {reason}.")
    reason = cal.working_day_reason(due.date())
    if reason:
        steps.append(f"Tính {WEEKDAY_NAMES[due.weekday()]} {due:%d/%m/%Y} là ngày làm việc: {reason}.")
    steps.append(f"Hạn trả kết quả: {fmt_moment(due)}.")
    return DueTrace(received_at, start, due, rule.describe(), steps, skipped)


def _days(start: date, end: date):
    d = start
    while d <= end:
        yield d
        d += timedelta(days=1)


def warning_minutes(cal: WorkCalendar, start_at: datetime, due_at: datetime, window_minutes: int) -> int:
    """Amber window for a case: the office/procedure window, never more than half the time allowed."""
    allowed = max(0, cal.working_minutes_between(start_at, due_at))
    return min(window_minutes, allowed // 2)


def warn_moment(cal: WorkCalendar, due_at: datetime, warn_minutes: int) -> datetime:
    """The moment a case turns amber: `warn_minutes` of working time before its due time."""
    if warn_minutes <= 0:
        return due_at
    return cal.moment_at(max(0, cal.position(due_at) - warn_minutes), prefer_end=True)


def colour(status: Status, now: datetime, due_at: datetime | None, warn_at: datetime | None) -> Colour:
    """Queue colour (DOMAIN §5): grey waiting for the applicant, red past due, amber in the window, green."""
    if status is Status.WAITING_SUPPLEMENT or due_at is None:
        return Colour.GREY
    if now > due_at:
        return Colour.RED
    if warn_at is not None and now >= warn_at:
        return Colour.AMBER
    return Colour.GREEN


def timeliness(finished_at: datetime, due_at: datetime) -> Timeliness:
    """Finished early (earlier calendar date), on time (not after the due moment) or late."""
    if finished_at > due_at:
        return Timeliness.LATE
    if finished_at.date() < due_at.date():
        return Timeliness.EARLY
    return Timeliness.ON_TIME


def describe_remaining(cal: WorkCalendar, now: datetime, due_at: datetime) -> tuple[int, str]:
    """Remaining working minutes (negative when overdue) and the words for it:
    'còn 3 giờ 20 phút', 'quá hạn 2 ngày'."""
    minutes = cal.working_minutes_between(now, due_at)
    if now > due_at:
        over = max(0, -minutes)
        return -over, "quá hạn " + _span(over, cal.minutes_per_day, days_only=True) if over else "vừa quá hạn"
    return minutes, "còn " + _span(minutes, cal.minutes_per_day)


def _span(minutes: int, per_day: int, *, days_only: bool = False) -> str:
    days, rest = divmod(minutes, per_day)
    hours, mins = divmod(rest, 60)
    if days and days_only:
        return f"{days} ngày"
    parts = []
    if days:
        parts.append(f"{days} ngày")
    if hours:
        parts.append(f"{hours} giờ")
    if mins and not days:
        parts.append(f"{mins} phút")
    return " ".join(parts) or "0 phút"
