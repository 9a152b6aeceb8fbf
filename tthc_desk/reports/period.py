"""Report periods: inclusive calendar dates, the presets of the dashboard, and the moments a query uses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from tthc_desk.errors import ValidationError
from tthc_desk.reports.predicates import Window


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValidationError("Ngày cuối kỳ báo cáo phải sau ngày đầu kỳ.")

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, time.min)

    @property
    def end_at(self) -> datetime:
        """The first moment after the period (exclusive bound)."""
        return datetime.combine(self.end + timedelta(days=1), time.min)

    def as_of(self, now: datetime) -> datetime:
        """Where 'at the end of the period' is judged: the period's end, or just after now if that is sooner
        (a case recorded in the current minute still counts). A period that has not begun has no figures
        yet: ValidationError (else it would be filled with today's open cases)."""
        now = now.replace(second=0, microsecond=0)
        if self.start_at > now:
            raise ValidationError(f"Kỳ báo cáo bắt đầu từ ngày {self.start:%d/%m/%Y}, sau thời điểm hiện tại "
                                  f"({now:%H:%M ngày %d/%m/%Y}): chưa có số liệu.")
        return min(self.end_at, now + timedelta(minutes=1))

    def judged_at(self, now: datetime) -> datetime:
        """The moment 'overdue' is judged at: the period's end, or now (to the minute) if that is sooner.
        Not `as_of`, which is a minute later for a running period: a case due at 08:00 is not yet overdue
        at 08:00 (DOMAIN §5: on time is not after the due moment; the queue then says "còn 0 phút")."""
        return min(self.end_at, now.replace(second=0, microsecond=0))

    def window(self, now: datetime) -> Window:
        return Window(self.start_at, self.as_of(now), self.judged_at(now))

    def text(self) -> str:
        """'Từ ngày 01/10/2026 đến ngày 31/10/2026'."""
        return f"Từ ngày {self.start:%d/%m/%Y} đến ngày {self.end:%d/%m/%Y}"

    def as_dict(self) -> dict:
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}


def month(year: int, month_no: int) -> Period:
    first = date(year, month_no, 1)
    nxt = date(year + (month_no == 12), month_no % 12 + 1, 1)
    return Period(first, nxt - timedelta(days=1))


def parse_month(text: str) -> Period:
    """'2026-10' -> October 2026."""
    try:
        year, month_no = (int(x) for x in text.strip().split("-"))
        return month(year, month_no)
    except ValueError as exc:
        raise ValidationError(f"Tháng '{text}' không đúng dạng YYYY-MM.") from exc


def this_month(today: date) -> Period:
    return Period(today.replace(day=1), today)


def last_month(today: date) -> Period:
    prev = today.replace(day=1) - timedelta(days=1)
    return month(prev.year, prev.month)


def this_quarter(today: date) -> Period:
    first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return Period(first, today)


def this_year(today: date) -> Period:
    return Period(date(today.year, 1, 1), today)


PRESETS = {
    "this_month": ("Tháng này", this_month),
    "last_month": ("Tháng trước", last_month),
    "quarter": ("Quý này", this_quarter),
    "year": ("Năm nay", this_year),
}


def preset(key: str, today: date) -> Period:
    return PRESETS[key][1](today)


def months_back(today: date, count: int) -> list[Period]:
    """The last `count` calendar months up to and including the current one, oldest first."""
    out, y, m = [], today.year, today.month
    for _ in range(count):
        out.append(month(y, m))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return out[::-1]
