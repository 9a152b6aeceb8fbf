"""Properties of the deadline engine that must hold for every receipt and every time allowed."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tthc_desk.calendar import WorkCalendar
from tthc_desk.deadline import (
    DeadlineRule,
    compute_due,
    start_of_clock,
    warn_moment,
    warning_minutes,
)
from tthc_desk.domain import DurationUnit
from tthc_desk.services.calendar_service import read_official_days

CAL = WorkCalendar(overrides=read_official_days())
MPD = CAL.minutes_per_day
SESSIONS = CAL.hours.sessions
FIRST, LAST = date(2020, 1, 1), date(2026, 12, 31)

PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# any minute of 2020–2026 (the years the official list covers)
moments = st.builds(
    lambda d, m: datetime.combine(d, time()) + timedelta(minutes=m),
    st.dates(FIRST, LAST),
    st.integers(0, 24 * 60 - 1),
)
half_days = st.integers(0, 60).map(lambda k: k / 2)  # 0, 0.5, 1, ... 30 working days
rules = st.one_of(
    st.builds(DeadlineRule, half_days, st.just(DurationUnit.WORKING_DAYS)),
    st.builds(DeadlineRule, st.integers(0, 80), st.just(DurationUnit.WORKING_HOURS)),
    st.builds(DeadlineRule, st.integers(1, 60), st.just(DurationUnit.CALENDAR_DAYS)),
    st.just(DeadlineRule(None, DurationUnit.SAME_DAY)),
)


@st.composite
def working_moments(draw) -> datetime:
    """A moment inside working time: a working day, within a session (its end included)."""
    day = draw(st.dates(FIRST, LAST).filter(CAL.is_working_day))
    start, end = draw(st.sampled_from(SESSIONS))
    minutes = draw(st.integers(_mins(start), _mins(end)))
    return datetime.combine(day, time()) + timedelta(minutes=minutes)


def _mins(t: time) -> int:
    return t.hour * 60 + t.minute


def in_working_time(moment: datetime) -> bool:
    if not CAL.is_working_day(moment.date()):
        return False
    return any(s <= moment.time() <= e for s, e in SESSIONS)


@PROPERTY
@given(received=moments, rule=rules)
def test_due_is_inside_working_time(received: datetime, rule: DeadlineRule) -> None:
    due = compute_due(CAL, received, rule)
    assert in_working_time(due), due


@PROPERTY
@given(received=moments, rule=rules)
def test_due_is_never_before_the_receipt(received: datetime, rule: DeadlineRule) -> None:
    assert compute_due(CAL, received, rule) >= received


@PROPERTY
@given(received=moments, unit=st.sampled_from([DurationUnit.WORKING_DAYS, DurationUnit.WORKING_HOURS,
                                                 DurationUnit.CALENDAR_DAYS]),
       a=st.integers(1, 40), b=st.integers(1, 40))
def test_due_is_monotonic_in_the_amount(received: datetime, unit: DurationUnit, a: int, b: int) -> None:
    small, large = sorted((a, b))
    assert compute_due(CAL, received, DeadlineRule(small, unit)) <= compute_due(CAL, received, DeadlineRule(large, unit))


@PROPERTY
@given(received=moments, n=half_days, m=st.integers(1, 60).map(lambda k: k / 2))
def test_n_then_m_working_days_is_n_plus_m(received: datetime, n: float, m: float) -> None:
    """Adding M more working days to the due of N days (the clock simply runs on: no cut-off shift, so
    add_working_minutes rather than a new receipt) gives the due of N+M days."""
    due_n = compute_due(CAL, received, DeadlineRule(n, DurationUnit.WORKING_DAYS))
    then_m = CAL.add_working_minutes(due_n, round(m * MPD))
    assert then_m == compute_due(CAL, received, DeadlineRule(n + m, DurationUnit.WORKING_DAYS))


@PROPERTY
@given(start=working_moments(), n=st.integers(1, 20 * 480), m=st.integers(1, 20 * 480))
def test_adding_minutes_composes(start: datetime, n: int, m: int) -> None:
    assert CAL.add_working_minutes(CAL.add_working_minutes(start, n), m) == CAL.add_working_minutes(start, n + m)


@PROPERTY
@given(start=working_moments(), minutes=st.integers(0, 30 * 480))
def test_working_minutes_between_inverts_adding(start: datetime, minutes: int) -> None:
    end = CAL.add_working_minutes(start, minutes)
    assert CAL.working_minutes_between(start, end) == minutes
    assert in_working_time(end)
    assert end >= start


@PROPERTY
@given(received=moments, rule=rules, window=st.integers(0, 10 * 480))
def test_warning_moment_is_between_start_and_due(received: datetime, rule: DeadlineRule, window: int) -> None:
    due = compute_due(CAL, received, rule)
    start = min(start_of_clock(CAL, received), due)
    warn = warning_minutes(CAL, start, due, window)
    assert 0 <= warn <= window
    assert warn <= max(0, CAL.working_minutes_between(start, due)) // 2  # never more than half the time allowed
    moment = warn_moment(CAL, due, warn)
    assert moment <= due
    assert moment >= start


@PROPERTY
@given(received=moments, rule=st.builds(DeadlineRule, st.integers(1, 30), st.just(DurationUnit.WORKING_DAYS)))
def test_working_days_give_exactly_the_time_allowed(received: datetime, rule: DeadlineRule) -> None:
    start = start_of_clock(CAL, received)
    due = compute_due(CAL, received, rule)
    assert in_working_time(start)
    assert CAL.working_minutes_between(start, due) == rule.amount * MPD


@pytest.mark.parametrize("year", range(2020, 2027))
def test_every_year_has_a_plausible_number_of_working_days(year: int) -> None:
    """About 52 weeks × 5 days, minus 11 statutory days and the swaps: a sanity net under the properties."""
    n = CAL.working_days_in(date(year, 1, 1), date(year, 12, 31))
    assert 240 <= n <= 252, n
