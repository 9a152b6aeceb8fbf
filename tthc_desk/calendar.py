"""The working calendar: which days are worked, and arithmetic in working minutes.

Days off come from the `holidays` package (VN, Vietnamese names) corrected by an editable override table
(extra days off, make-up Saturdays). Working time is measured on one axis of "working minutes": every
working day contributes `minutes_per_day` minutes, so adding or measuring working time is an index lookup
rather than a walk over days.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import NamedTuple

from tthc_desk.domain import WorkingHours
from tthc_desk.paths import cache_dir, package_version

WEEKDAY_NAMES = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


class CalendarOverride(NamedTuple):
    """One administrator-edited day: `working=False` is an extra day off, `True` a worked day (e.g. Saturday).
    A NamedTuple, read before the window's first paint: a dataclass costs the start 1-2 ms to create."""

    day: date
    working: bool
    name: str = ""
    source: str = ""
    confirmed: bool = True


class WorkCalendar:
    """Working days and working-minute arithmetic for one office. Immutable once built."""

    def __init__(
        self,
        hours: WorkingHours | None = None,
        overrides: Iterable[CalendarOverride] = (),
        *,
        first_year: int | None = None,
        last_year: int | None = None,
    ) -> None:
        self.hours = hours or WorkingHours()
        self.overrides = {o.day: o for o in overrides}
        self._sessions = [(_mins(s), _mins(e)) for s, e in self.hours.sessions]
        self.minutes_per_day = sum(e - s for s, e in self._sessions)
        c = self.hours.cutoff
        self._cutoff_s = c.hour * 3600 + c.minute * 60 + c.second
        # offset in the working day -> clock time, precomputed for both boundary conventions (hot path)
        self._times_end = [self._time_at_offset(o, True) for o in range(self.minutes_per_day + 1)]
        self._times_start = [self._time_at_offset(o, False) for o in range(self.minutes_per_day + 1)]
        # clock minute of the day -> working minutes elapsed (0 .. minutes_per_day)
        self._offsets = [self._offset_of_minute(m) for m in range(24 * 60)]
        self._closing = self.hours.sessions[-1][1] if self.hours.sessions else time(0, 0)
        # a few years around today; any other date grows the tables on first use (building 26 years of lunar
        # holidays took 0.4 s of every start)
        this_year = date.today().year
        self._build(first_year or this_year - 3, last_year or this_year + 3)

    # ----- days -------------------------------------------------------------------------------------
    def _build(self, first_year: int, last_year: int) -> None:
        self.first_year, self.last_year = first_year, last_year
        self._package = _package_days(first_year, last_year)
        self._base = date(first_year, 1, 1).toordinal()
        n = date(last_year, 12, 31).toordinal() - self._base + 1
        working = [False] * n
        for i in range(n):
            d = date.fromordinal(self._base + i)
            working[i] = self._compute_working(d)
        self._working = working
        # _before[i]: number of working days strictly before day i; _days: ordinals of working days.
        before, count, days = [0] * (n + 1), 0, []
        for i, w in enumerate(working):
            before[i] = count
            if w:
                count += 1
                days.append(self._base + i)
        before[n] = count
        self._before, self._days = before, days
        self._day_dates = [date.fromordinal(o) for o in days]
        self._end = self._base + n  # first ordinal past the table

    def _compute_working(self, d: date) -> bool:
        o = self.overrides.get(d)
        if o is not None:
            return o.working
        return d.weekday() not in self.hours.weekend and d not in self._package

    def _index(self, d: date) -> int:
        i = d.toordinal() - self._base
        if i < 0 or i >= len(self._working):
            # Growing forward keeps the origin, so working-minute positions already computed stay valid.
            first = min(self.first_year, d.year - 5) if i < 0 else self.first_year
            self._build(first, max(self.last_year, d.year + 5))
            i = d.toordinal() - self._base
        return i

    def is_working_day(self, d: date) -> bool:
        i = self._index(d)  # first: it may rebuild (and replace) the tables
        return self._working[i]

    def day_off_reason(self, d: date) -> str | None:
        """Why `d` is not worked ('Chủ nhật', 'Tết Nguyên Đán', ...), or None when it is a working day."""
        if self.is_working_day(d):
            return None
        o = self.overrides.get(d)
        if o is not None and not o.working:
            return o.name or "Ngày nghỉ"
        name = self._package.get(d)
        if name:
            return str(name)
        return f"nghỉ cuối tuần ({WEEKDAY_NAMES[d.weekday()]})"

    def working_day_reason(self, d: date) -> str | None:
        """Why a normally free day is worked (a make-up Saturday), else None."""
        o = self.overrides.get(d)
        if o is not None and o.working and d.weekday() in self.hours.weekend:
            return o.name or "Ngày làm bù"
        return None

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after `d`."""
        self._index(d + timedelta(days=30))  # make sure the table reaches past long holidays
        i = self._index(d) + 1
        k = self._before[i]
        if k >= len(self._days):
            self._index(d + timedelta(days=400))
            k = self._before[self._index(d) + 1]
        return date.fromordinal(self._days[k])

    def nth_working_day_from(self, d: date, n: int) -> date:
        """The working day that is `n` working days after `d` (n >= 1), skipping `d` itself."""
        i = self._index(d) + 1
        k = self._before[i] + n - 1
        while k >= len(self._days):
            self._index(date.fromordinal(self._days[-1]) + timedelta(days=400))
            i = self._index(d) + 1
            k = self._before[i] + n - 1
        return date.fromordinal(self._days[k])

    def days_off_between(self, start: date, end: date) -> list[tuple[date, str]]:
        """Days off in [start, end] with their reasons (for the "why this date" trace)."""
        out, d = [], start
        while d <= end:
            reason = self.day_off_reason(d)
            if reason:
                out.append((d, reason))
            d += timedelta(days=1)
        return out

    # ----- working minutes ---------------------------------------------------------------------------
    def offset_in_day(self, t: time) -> int:
        """Working minutes already elapsed at time `t` on a working day (0 .. minutes_per_day)."""
        return self._offsets[t.hour * 60 + t.minute]

    def _offset_of_minute(self, m: int) -> int:
        done = 0
        for s, e in self._sessions:
            if m <= s:
                return done
            if m < e:
                return done + m - s
            done += e - s
        return done

    def position(self, moment: datetime) -> int:
        """Working minutes from the calendar's origin to `moment` (days off add nothing)."""
        i = self._index(moment.date())
        pos = self._before[i] * self.minutes_per_day
        if self._working[i]:
            pos += self.offset_in_day(moment.time())
        return pos

    def moment_at(self, position: int, *, prefer_end: bool = True) -> datetime:
        """The datetime of a working-minute position; a position on a boundary is the end of the
        earlier session ('17:00', not '07:00 next day') when `prefer_end`."""
        mpd = self.minutes_per_day
        k, off = divmod(position, mpd)
        if off == 0 and prefer_end and k > 0:
            k, off = k - 1, mpd
        while k >= len(self._days):
            self._index(date.fromordinal(self._days[-1]) + timedelta(days=400))
        return datetime.combine(self._day_dates[k], (self._times_end if prefer_end else self._times_start)[off])

    def receipt_position(self, received_at: datetime) -> int:
        """Working-minute position where the clock starts for a receipt at `received_at` (DOMAIN §5):
        moved into working time, and a receipt after the cut-off on a working day starts next working day.
        Same moment as `deadline.start_of_clock`, computed without building datetimes (the hot path)."""
        o = received_at.toordinal()
        if o < self._base or o >= self._end:
            self._index(received_at.date())
        i = o - self._base
        if not self._working[i]:
            return self._before[i] * self.minutes_per_day  # opening of the next working day
        m = received_at.hour * 60 + received_at.minute
        if m * 60 > self._cutoff_s:
            return self._before[i + 1] * self.minutes_per_day
        return self._before[i] * self.minutes_per_day + self._offsets[m]

    def closing_on_or_after(self, d: date) -> datetime:
        """Closing time of `d` when it is worked, else of the next working day."""
        o = d.toordinal()
        if o < self._base or o + 30 >= self._end:  # room for long holidays after `d`
            self._index(d + timedelta(days=30))
            self._index(d)
        i = o - self._base
        if self._working[i]:
            return datetime.combine(d, self._closing)
        return datetime.combine(self._day_dates[self._before[i]], self._closing)

    def _time_at_offset(self, off: int, prefer_end: bool) -> time:
        done = 0
        for idx, (s, e) in enumerate(self._sessions):
            length = e - s
            last = idx == len(self._sessions) - 1
            if off < done + length or (off == done + length and (prefer_end or last)):
                m = s + off - done
                return time(m // 60, m % 60)
            done += length
        s, e = self._sessions[-1]
        return time(e // 60, e % 60)

    def add_working_minutes(self, start: datetime, minutes: int) -> datetime:
        """`start` plus `minutes` of working time; a result on a session end stays there."""
        return self.moment_at(self.position(start) + minutes, prefer_end=minutes > 0)

    def subtract_working_minutes(self, end: datetime, minutes: int) -> datetime:
        return self.moment_at(max(0, self.position(end) - minutes), prefer_end=False)

    def working_minutes_between(self, a: datetime, b: datetime) -> int:
        """Working minutes from `a` to `b` (negative when `b` is earlier)."""
        self._index(a.date())
        self._index(b.date())  # both in the table before either position is taken
        return self.position(b) - self.position(a)

    def into_working_time(self, moment: datetime) -> datetime:
        """`moment` itself if it is working time, else the next moment the office is open."""
        d, m = moment.date(), moment.hour * 60 + moment.minute
        if self.is_working_day(d):
            for s, e in self._sessions:
                if m < s:
                    return datetime.combine(d, time(s // 60, s % 60))
                if m < e:
                    return moment.replace(second=0, microsecond=0)
        nxt = self.next_working_day(d)
        s = self._sessions[0][0]
        return datetime.combine(nxt, time(s // 60, s % 60))

    def closing_of(self, d: date) -> datetime:
        e = self._sessions[-1][1]
        return datetime.combine(d, time(e // 60, e % 60))

    def opening_of(self, d: date) -> datetime:
        s = self._sessions[0][0]
        return datetime.combine(d, time(s // 60, s % 60))

    def working_days_in(self, start: date, end: date) -> int:
        """Number of working days in [start, end]."""
        self._index(start)
        j = self._index(end)
        i = self._index(start)  # `end` may have rebuilt the tables
        return self._before[j + 1] - self._before[i]


@functools.lru_cache(maxsize=8)
def _package_days(first_year: int, last_year: int) -> dict[date, str]:
    """The package's days off (lunar dates included) for a span of years. Computing them is most of the cost
    of building a calendar and they never change for a given package version, so they are shared by every
    calendar in the process and kept in a small cache file between runs (importing the package alone took
    0.3 s of the window's start)."""
    cache = _cache_file(first_year, last_year)
    for path, first, last in _cached_spans(cache):
        if first <= first_year and last_year <= last:  # this span, or a wider one another calendar kept
            try:
                raw = json.loads(path.read_text(encoding="utf-8"))
                days = {date.fromisoformat(k): v for k, v in raw.items()}
            except (OSError, ValueError):
                continue
            return {d: n for d, n in days.items() if first_year <= d.year <= last_year}
    import holidays

    days = dict(holidays.country_holidays("VN", years=range(first_year, last_year + 1), language="vi"))
    if cache is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_suffix(".tmp")
            tmp.write_text(json.dumps({d.isoformat(): str(n) for d, n in days.items()}, ensure_ascii=False),
                           encoding="utf-8")
            tmp.replace(cache)
        except OSError:
            pass  # a read-only profile only loses the speed-up
    return days


def _cache_file(first_year: int, last_year: int) -> Path | None:
    version = package_version("holidays")
    if version is None:
        return None
    return cache_dir() / f"holidays-VN-{version}-{first_year}-{last_year}.json"


def _cached_spans(cache: Path | None) -> list[tuple[Path, int, int]]:
    """The cache files of this package version, `cache` (the exact span) first: (path, first year, last year).
    The window's first page is read for the years around now, the services keep a wider span: either serves."""
    if cache is None:
        return []
    prefix = cache.name.rsplit("-", 2)[0] + "-"
    spans = [(cache, *map(int, cache.stem.rsplit("-", 2)[1:]))]
    try:
        for path in cache.parent.glob(prefix + "*.json"):
            years = path.stem[len(prefix):].split("-")
            if path != cache and len(years) == 2 and all(y.isdigit() for y in years):
                spans.append((path, int(years[0]), int(years[1])))
    except OSError:
        pass
    return spans


def _mins(t: time) -> int:
    return t.hour * 60 + t.minute

