"""Benchmark of the deadline engine (run by hand, prints figures; not part of the test suite).

    cd /work/main && UV_PYTHON_DOWNLOADS=never uv run python tests/benchmarks/bench_deadline.py [N]

Checks the DOMAIN §5 worked examples first, then times N (default 100,000) due-date computations with
`tthc_desk.deadline.compute_due` on the seeded calendar (package + shipped official list) — mixed units,
amounts and receipt times over 2020–2026 — against the naive way: stepping day by day with the `holidays`
package's own `is_working_day` / `get_nth_working_day` on the same inputs (a subset, extrapolated).
The naive results must agree with the engine's on that subset. Targets: engine <= 0.5 s per 100,000; >= 10x.
"""

from __future__ import annotations

import os
import random
import sys
import time as clock
from datetime import date, datetime, time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import holidays  # noqa: E402

from tthc_desk.calendar import WorkCalendar  # noqa: E402
from tthc_desk.deadline import DeadlineRule, compute_due, start_of_clock  # noqa: E402
from tthc_desk.domain import DurationUnit, WorkingHours  # noqa: E402
from tthc_desk.services.calendar_service import read_official_days  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
NAIVE_N = min(N, 5_000)
TARGET_S = 0.5
WD, WH, CD, SD = DurationUnit.WORKING_DAYS, DurationUnit.WORKING_HOURS, DurationUnit.CALENDAR_DAYS, DurationUnit.SAME_DAY

# DOMAIN §5 worked examples: (received, amount, unit, due)
EXAMPLES = [
    ("2025-01-24 16:00", 3, WD, "2025-02-05 17:00"),
    ("2025-01-24 14:00", 1, WD, "2025-02-03 14:00"),
    ("2025-04-25 09:00", 2, WD, "2025-04-28 09:00"),
    ("2026-01-01 09:00", 1, WD, "2026-01-05 17:00"),
    ("2025-03-03 12:00", 4, WH, "2025-03-04 07:30"),
    ("2025-08-29 10:00", 3, CD, "2025-09-03 17:00"),
    ("2025-04-28 14:59", None, SD, "2025-04-28 17:00"),
    ("2025-04-28 15:01", None, SD, "2025-04-29 17:00"),
]


def _dt(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M")


def check_examples(cal: WorkCalendar) -> None:
    for received, amount, unit, want in EXAMPLES:
        got = compute_due(cal, _dt(received), DeadlineRule(amount, unit))
        if got != _dt(want):
            raise SystemExit(f"WRONG: {received} + {amount} {unit} -> {got}, expected {want}")
    print(f"DOMAIN §5 worked examples: {len(EXAMPLES)}/{len(EXAMPLES)} hold")


def make_inputs(n: int, seed: int = 20251124) -> list[tuple[datetime, DeadlineRule]]:
    rnd = random.Random(seed)
    lo, hi = datetime(2020, 1, 1).timestamp(), datetime(2026, 12, 31, 23, 59).timestamp()
    out = []
    for _ in range(n):
        received = datetime.fromtimestamp(rnd.uniform(lo, hi)).replace(second=0, microsecond=0)
        if rnd.random() < 0.7:  # most receipts during office hours
            received = received.replace(hour=rnd.randint(7, 16), minute=rnd.randint(0, 59))
        kind = rnd.random()
        if kind < 0.55:
            rule = DeadlineRule(rnd.choice([0.5, 1, 2, 3, 5, 7, 10, 15, 20, 30, 45]), WD)
        elif kind < 0.70:
            rule = DeadlineRule(rnd.choice([1, 2, 4, 8, 12, 16, 24]), WH)
        elif kind < 0.85:
            rule = DeadlineRule(rnd.choice([1, 3, 5, 7, 10, 15, 30]), CD)
        else:
            rule = DeadlineRule(None, SD)
        out.append((received, rule))
    return out


# ----- the naive way: the holidays package, one day (and one session) at a time ------------------------------
class NaiveDeadlines:
    """Due dates computed by stepping over days with `holidays`' own working-day methods."""

    def __init__(self, cal: WorkCalendar) -> None:
        h = holidays.country_holidays("VN", years=range(2019, 2029), language="vi")
        for o in cal.overrides.values():  # the same seeded calendar: official days off and make-up days
            if o.working:
                if o.day in h:
                    h.pop(o.day)
                if o.day.weekday() >= 5:
                    h.weekend_workdays.add(o.day)
            else:
                h[o.day] = o.name
        self.h = h
        self.sessions = [(s.hour * 60 + s.minute, e.hour * 60 + e.minute) for s, e in cal.hours.sessions]
        self.cutoff = cal.hours.cutoff
        self.per_day = sum(e - s for s, e in self.sessions)

    def _at(self, d: date, m: int) -> datetime:
        return datetime.combine(d, time(m // 60, m % 60))

    def _start(self, received: datetime) -> tuple[date, int]:
        d, m = received.date(), received.hour * 60 + received.minute
        if self.h.is_working_day(d):
            if received.time() > self.cutoff:
                return self.h.get_nth_working_day(d, 1), self.sessions[0][0]
            for s, e in self.sessions:
                if m < e:
                    return d, max(m, s)
        return self.h.get_nth_working_day(d, 1), self.sessions[0][0]

    def _add(self, d: date, m: int, minutes: int) -> datetime:
        while True:
            for s, e in self.sessions:
                if m >= e:
                    continue
                m = max(m, s)
                if minutes <= e - m:
                    return self._at(d, m + minutes)
                minutes -= e - m
                m = e
            d, m = self.h.get_nth_working_day(d, 1), 0

    def due(self, received: datetime, rule: DeadlineRule) -> datetime:
        close = self.sessions[-1][1]
        if rule.unit in (WD, WH):
            minutes = round(rule.amount * (self.per_day if rule.unit is WD else 60))
            d, m = self._start(received)
            return self._add(d, m, minutes) if minutes else self._at(d, m)
        if rule.unit is CD:
            last = received.date() + timedelta(days=int(rule.amount))
            return self._at(self.h.get_nth_working_day(last, 0), close)
        d = received.date()
        if self.h.is_working_day(d) and received.time() <= self.cutoff:
            return self._at(d, close)
        return self._at(self.h.get_nth_working_day(d, 1), close)


def best_of(runs: int, fn) -> tuple[float, float]:
    """Best wall time and best CPU time of `runs` runs (CPU time is steadier on a busy machine)."""
    wall, cpu = [], []
    for _ in range(runs):
        t0, c0 = clock.perf_counter(), clock.process_time()
        fn()
        wall.append(clock.perf_counter() - t0)
        cpu.append(clock.process_time() - c0)
    return min(wall), min(cpu)


def check_reference(cal: WorkCalendar, inputs, engine) -> None:
    """The integer fast path equals the datetime path (start_of_clock + add_working_minutes)."""
    n = bad = 0
    for (r, rule), due in zip(inputs, engine, strict=True):
        if rule.unit in (WD, WH):
            n += 1
            ref = cal.add_working_minutes(start_of_clock(cal, r), rule.working_minutes(cal.minutes_per_day))
            bad += ref != due
    print(f"fast path = start_of_clock + add_working_minutes on {n - bad:,}/{n:,} working-time inputs")
    if bad:
        raise SystemExit(1)


def main() -> None:
    t0 = clock.perf_counter()
    cal = WorkCalendar(WorkingHours(), read_official_days(), first_year=2015, last_year=2040)
    print(f"calendar built (2015–2040, {len(cal.overrides)} overrides) in {clock.perf_counter() - t0:.3f} s")
    check_examples(cal)
    inputs = make_inputs(N)
    counts = {}
    for _, rule in inputs:
        counts[rule.unit.value] = counts.get(rule.unit.value, 0) + 1
    print(f"{N:,} inputs over 2020–2026: " + ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items())))

    engine = [compute_due(cal, r, rule) for r, rule in inputs]
    check_reference(cal, inputs, engine)
    engine_s, engine_cpu = best_of(5, lambda: [compute_due(cal, r, rule) for r, rule in inputs])
    per_100k = engine_s * 100_000 / N
    verdict = "OK" if per_100k <= TARGET_S else "MISSED"
    print(f"compute_due:        {engine_s:.3f} s wall ({engine_cpu:.3f} s CPU) for {N:,}, best of 5 = "
          f"{per_100k:.3f} s per 100,000, {engine_s / N * 1e6:.2f} µs each  [target <= {TARGET_S} s: {verdict}]")

    naive = NaiveDeadlines(cal)
    subset = inputs[:NAIVE_N]
    t0, c0 = clock.perf_counter(), clock.process_time()
    naive_due = [naive.due(r, rule) for r, rule in subset]
    naive_s, naive_cpu = clock.perf_counter() - t0, clock.process_time() - c0
    wrong = [(r, rule, a, b) for (r, rule), a, b in zip(subset, naive_due, engine, strict=False) if a != b]
    naive_full = naive_s * N / NAIVE_N
    note = f" (timed {NAIVE_N:,}, extrapolated)" if NAIVE_N < N else ""
    print(f"naive (holidays):   {naive_full:.3f} s wall ({naive_cpu * N / NAIVE_N:.3f} s CPU) for {N:,}{note}, "
          f"{naive_s / NAIVE_N * 1e6:.1f} µs each")
    print(f"agreement on the naive subset: {NAIVE_N - len(wrong):,}/{NAIVE_N:,}")
    for r, rule, a, b in wrong[:5]:
        print(f"  differs: {r} {rule.describe()}: naive {a}, engine {b}")
    ratio = naive_full / engine_s
    print(f"speed-up: {ratio:.0f}x wall, {naive_cpu * N / NAIVE_N / engine_cpu:.0f}x CPU  "
          f"[aim >= 10x: {'OK' if ratio >= 10 else 'MISSED'}]")
    print(f"(load average while measuring: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores)")
    if wrong:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
