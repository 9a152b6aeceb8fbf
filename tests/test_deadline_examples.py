"""The deadline engine against DOMAIN §5: every worked example, the cut-off, lunch, days off, the trace."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tthc_desk.calendar import WorkCalendar
from tthc_desk.deadline import DeadlineRule, compute_due, explain_due, fmt_moment, start_of_clock
from tthc_desk.domain import DurationUnit
from tthc_desk.services.calendar_service import read_official_days

WD, WH, CD, SD = (DurationUnit.WORKING_DAYS, DurationUnit.WORKING_HOURS, DurationUnit.CALENDAR_DAYS,
                  DurationUnit.SAME_DAY)


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    """Default hours (07:00–11:30, 13:30–17:00, cut-off 15:00) and the official days off."""
    return WorkCalendar(overrides=read_official_days())


def dt(text: str) -> datetime:
    return datetime.strptime(text, "%d/%m/%Y %H:%M")


# received, amount, unit, due — the table of DOMAIN §5, row by row
DOMAIN_EXAMPLES = [
    pytest.param("24/01/2025 16:00", 3, WD, "05/02/2025 17:00", id="fri-after-cutoff-over-tet"),
    pytest.param("24/01/2025 14:00", 1, WD, "03/02/2025 14:00", id="fri-before-cutoff-over-tet"),
    pytest.param("25/04/2025 09:00", 2, WD, "28/04/2025 09:00", id="make-up-saturday-2025"),
    pytest.param("01/01/2026 09:00", 1, WD, "05/01/2026 17:00", id="swapped-day-off-02-01-2026"),
    pytest.param("03/03/2025 12:00", 4, WH, "04/03/2025 07:30", id="lunch-break-4-hours"),
    pytest.param("29/08/2025 10:00", 3, CD, "03/09/2025 17:00", id="calendar-days-over-quoc-khanh"),
    pytest.param("28/04/2025 14:59", None, SD, "28/04/2025 17:00", id="same-day-14-59"),
    pytest.param("28/04/2025 15:01", None, SD, "29/04/2025 17:00", id="same-day-15-01"),
]

# the rules around the examples: cut-off, lunch, session ends, days off, make-up Saturdays
EDGE_CASES = [
    # the 15:00 cut-off: 15:00 itself is still the same day
    pytest.param("03/03/2025 14:59", 1, WD, "04/03/2025 14:59", id="cutoff-14-59"),
    pytest.param("03/03/2025 15:00", 1, WD, "04/03/2025 15:00", id="cutoff-15-00-same-day"),
    pytest.param("03/03/2025 15:01", 1, WD, "04/03/2025 17:00", id="cutoff-15-01-next-day"),
    pytest.param("28/04/2025 15:00", None, SD, "28/04/2025 17:00", id="same-day-15-00"),
    # received in the lunch break: the clock starts at 13:30
    pytest.param("03/03/2025 11:45", 1, WH, "03/03/2025 14:30", id="lunch-11-45-one-hour"),
    pytest.param("03/03/2025 11:45", 1, WD, "04/03/2025 11:30", id="lunch-11-45-one-day-ends-on-11-30"),
    # a due time on a session end stays there
    pytest.param("03/03/2025 11:45", 3.5, WH, "03/03/2025 17:00", id="due-on-17-00-from-lunch"),
    pytest.param("03/03/2025 07:00", 1, WD, "03/03/2025 17:00", id="due-on-17-00-full-day"),
    pytest.param("03/03/2025 09:00", 6, WH, "03/03/2025 17:00", id="due-on-17-00-hours"),
    pytest.param("03/03/2025 09:00", 2.5, WH, "03/03/2025 11:30", id="due-on-11-30"),
    pytest.param("07/03/2025 07:00", 1, WD, "07/03/2025 17:00", id="due-on-friday-17-00"),
    # received before opening, after closing, on a Saturday, on a holiday
    pytest.param("03/03/2025 06:15", 4, WH, "03/03/2025 11:00", id="before-opening"),
    pytest.param("03/03/2025 18:30", 1, WD, "04/03/2025 17:00", id="after-closing"),
    pytest.param("01/03/2025 10:00", 1, WD, "03/03/2025 17:00", id="saturday"),
    pytest.param("02/03/2025 23:59", 2, WH, "03/03/2025 09:00", id="sunday-night"),
    pytest.param("30/04/2025 10:00", 1, WD, "05/05/2025 17:00", id="holiday-30-04-to-monday"),
    pytest.param("01/09/2025 08:00", 1, WD, "03/09/2025 17:00", id="holiday-quoc-khanh"),
    pytest.param("01/03/2025 10:00", None, SD, "03/03/2025 17:00", id="same-day-on-saturday"),
    # make-up Saturdays are working days, and a due can fall on one
    pytest.param("25/04/2025 07:00", 2, WD, "26/04/2025 17:00", id="due-on-make-up-saturday"),
    pytest.param("26/04/2025 09:00", 1, WD, "28/04/2025 09:00", id="received-on-make-up-saturday"),
    pytest.param("09/01/2026 09:00", 1, WD, "10/01/2026 09:00", id="make-up-saturday-2026"),
    # calendar days: count from the day after, land on closing time of a working day
    pytest.param("03/03/2025 16:30", 1, CD, "04/03/2025 17:00", id="calendar-day-after-cutoff"),
    pytest.param("27/02/2025 10:00", 2, CD, "03/03/2025 17:00", id="calendar-days-end-on-weekend"),
    # an unconfirmed day (24/11/2026) is worked until an administrator confirms it
    pytest.param("23/11/2026 09:00", 1, WD, "24/11/2026 09:00", id="unconfirmed-24-11-2026-worked"),
]


@pytest.mark.parametrize(("received", "amount", "unit", "due"), DOMAIN_EXAMPLES + EDGE_CASES)
def test_due(cal: WorkCalendar, received: str, amount, unit: DurationUnit, due: str) -> None:
    assert compute_due(cal, dt(received), DeadlineRule(amount, unit)) == dt(due)


@pytest.mark.parametrize(("received", "amount", "unit", "due"), DOMAIN_EXAMPLES + EDGE_CASES)
def test_explain_due_agrees_with_compute_due(cal: WorkCalendar, received: str, amount, unit, due: str) -> None:
    trace = explain_due(cal, dt(received), DeadlineRule(amount, unit))
    assert trace.due_at == dt(due)
    assert trace.steps[-1] == f"Hạn trả kết quả: {fmt_moment(dt(due))}."


def test_seconds_are_ignored_at_the_cutoff(cal: WorkCalendar) -> None:
    """15:00:59 is still 15:00 (times are kept to the minute)."""
    received = datetime(2025, 3, 3, 15, 0, 59)
    assert compute_due(cal, received, DeadlineRule(1, WD)) == dt("04/03/2025 15:00")


@pytest.mark.parametrize(("received", "start"), [
    ("03/03/2025 06:15", "03/03/2025 07:00"),
    ("03/03/2025 11:45", "03/03/2025 13:30"),
    ("03/03/2025 15:00", "03/03/2025 15:00"),
    ("03/03/2025 15:01", "04/03/2025 07:00"),
    ("24/01/2025 16:00", "03/02/2025 07:00"),
    ("01/03/2025 10:00", "03/03/2025 07:00"),
])
def test_start_of_clock(cal: WorkCalendar, received: str, start: str) -> None:
    assert start_of_clock(cal, dt(received)) == dt(start)


def test_trace_names_every_day_skipped_over_tet(cal: WorkCalendar) -> None:
    trace = explain_due(cal, dt("24/01/2025 16:00"), DeadlineRule(3, WD))
    expected = [date(2025, 1, d) for d in range(25, 32)] + [date(2025, 2, 1), date(2025, 2, 2)]
    assert [d for d, _ in trace.skipped] == expected
    reasons = dict(trace.skipped)
    assert "Thứ Bảy" in reasons[date(2025, 1, 25)]
    assert "Chủ nhật" in reasons[date(2025, 1, 26)]
    assert reasons[date(2025, 1, 29)] == "Tết Nguyên Đán"
    for day, reason in trace.skipped:
        assert any(f"{day:%d/%m/%Y}" in step and reason in step for step in trace.steps), (day, reason)
    text = trace.text()
    assert "sau 15:00" in text
    assert "Bắt đầu tính: 07:00 Thứ Hai 03/02/2025." in text
    assert text.endswith("Hạn trả kết quả: 17:00 Thứ Tư 05/02/2025.")


def test_trace_names_the_swapped_day_off(cal: WorkCalendar) -> None:
    trace = explain_due(cal, dt("01/01/2026 09:00"), DeadlineRule(1, WD))
    reasons = dict(trace.skipped)
    assert list(reasons) == [date(2026, 1, 1), date(2026, 1, 2), date(2026, 1, 3), date(2026, 1, 4)]
    assert reasons[date(2026, 1, 1)] == "Tết Dương lịch"
    assert "10/01/2026" in reasons[date(2026, 1, 2)]  # 'Ngày nghỉ (thay cho ngày 10/01/2026)'
    assert "ngày nghỉ" in trace.text()  # the receipt day itself is a day off


def test_trace_counts_the_make_up_saturday(cal: WorkCalendar) -> None:
    trace = explain_due(cal, dt("25/04/2025 09:00"), DeadlineRule(2, WD))
    assert [d for d, _ in trace.skipped] == [date(2025, 4, 27)]  # Sunday only; Saturday 26/04 is worked
    assert any("26/04/2025" in step and "làm việc" in step and "Làm bù" in step for step in trace.steps)


def test_trace_for_calendar_days_names_the_day_off_it_moves_past(cal: WorkCalendar) -> None:
    trace = explain_due(cal, dt("29/08/2025 10:00"), DeadlineRule(3, CD))
    text = trace.text()
    assert "Ngày cuối 01/09/2025 là ngày nghỉ (Quốc khánh)" in text
    assert {date(2025, 9, 1), date(2025, 9, 2)} <= {d for d, _ in trace.skipped}


def test_trace_as_dict_is_plain_json(cal: WorkCalendar) -> None:
    data = explain_due(cal, dt("24/01/2025 16:00"), DeadlineRule(3, WD)).as_dict()
    assert data["due_at"] == "2025-02-05T17:00:00"
    assert data["start_at"] == "2025-02-03T07:00:00"
    assert data["rule"] == "3 ngày làm việc"
    assert {"date": "2025-01-29", "reason": "Tết Nguyên Đán"} in data["skipped_days"]


def test_without_the_official_list_the_package_alone_misses_the_swaps() -> None:
    """Why the calendar is data: the package does not know 02/01/2026 is off nor 26/04/2025 worked."""
    bare = WorkCalendar()
    assert compute_due(bare, dt("01/01/2026 09:00"), DeadlineRule(1, WD)) == dt("02/01/2026 17:00")
    assert compute_due(bare, dt("25/04/2025 09:00"), DeadlineRule(2, WD)) == dt("29/04/2025 09:00")


def test_other_office_hours_and_cutoff() -> None:
    """Sessions and cut-off are office settings, not constants."""
    from datetime import time

    from tthc_desk.domain import WorkingHours

    hours = WorkingHours(sessions=((time(7, 30), time(11, 30)), (time(13, 0), time(17, 0))), cutoff=time(16, 0))
    cal = WorkCalendar(hours, read_official_days())
    assert cal.minutes_per_day == 480
    assert compute_due(cal, dt("03/03/2025 15:30"), DeadlineRule(1, WD)) == dt("04/03/2025 15:30")
    assert compute_due(cal, dt("03/03/2025 16:01"), DeadlineRule(1, WD)) == dt("04/03/2025 17:00")
    assert compute_due(cal, dt("03/03/2025 12:00"), DeadlineRule(1, WH)) == dt("03/03/2025 14:00")


def test_negative_amount_is_refused(cal: WorkCalendar) -> None:
    from tthc_desk.errors import ValidationError

    with pytest.raises(ValidationError, match="không âm"):
        compute_due(cal, dt("03/03/2025 09:00"), DeadlineRule(-1, WD))
