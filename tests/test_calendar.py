"""The working calendar: package holidays, the official overrides, and editing it through CalendarService."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from tthc_desk.calendar import WorkCalendar
from tthc_desk.domain import EventKind
from tthc_desk.errors import NotFound, PermissionDenied
from tthc_desk.services.calendar_service import DayChange, read_official_days
from tthc_desk.storage.models import AuditEntry, CalendarDay, Case, CaseEvent


@pytest.fixture(scope="module")
def official() -> WorkCalendar:
    return WorkCalendar(overrides=read_official_days())


# ----- the calendar itself ------------------------------------------------------------------------------
def test_tet_2025_comes_from_the_package() -> None:
    bare = WorkCalendar()  # no overrides at all
    for day in range(27, 32):
        d = date(2025, 1, day)
        assert not bare.is_working_day(d), d
        assert "Tết" in bare.day_off_reason(d)
    assert bare.day_off_reason(date(2025, 1, 29)) == "Tết Nguyên Đán"
    assert bare.is_working_day(date(2025, 1, 24)) and bare.is_working_day(date(2025, 2, 3))
    assert bare.working_days_in(date(2025, 1, 25), date(2025, 2, 2)) == 0


def test_make_up_saturday_26_04_2025_is_a_working_day(official: WorkCalendar) -> None:
    sat = date(2025, 4, 26)
    assert not WorkCalendar().is_working_day(sat)  # the package alone: just a Saturday
    assert official.is_working_day(sat)
    assert official.day_off_reason(sat) is None
    assert "Làm bù" in official.working_day_reason(sat)
    assert not official.is_working_day(date(2025, 5, 2))  # the weekday it was swapped for


def test_02_01_2026_is_off_only_through_the_override(official: WorkCalendar) -> None:
    d = date(2026, 1, 2)
    assert WorkCalendar().is_working_day(d)  # python-holidays 0.109 misses this swap
    assert not official.is_working_day(d)
    assert "10/01/2026" in official.day_off_reason(d)
    assert official.is_working_day(date(2026, 1, 10))  # the Saturday worked in exchange


def test_unconfirmed_24_11_2026_counts_as_working(official: WorkCalendar) -> None:
    d = date(2026, 11, 24)
    assert not WorkCalendar().is_working_day(d)  # the package lists it already
    assert official.is_working_day(d)
    item = next(o for o in read_official_days() if o.day == d)
    assert item.working and not item.confirmed and "chưa xác nhận" in item.name


def test_reasons_for_ordinary_days(official: WorkCalendar) -> None:
    assert official.day_off_reason(date(2025, 3, 3)) is None
    assert official.day_off_reason(date(2025, 3, 1)) == "nghỉ cuối tuần (Thứ Bảy)"
    assert official.day_off_reason(date(2025, 3, 2)) == "nghỉ cuối tuần (Chủ nhật)"
    assert official.next_working_day(date(2025, 1, 24)) == date(2025, 2, 3)
    assert official.nth_working_day_from(date(2025, 4, 25), 1) == date(2025, 4, 26)


def test_calendar_reaches_beyond_its_built_years() -> None:
    cal = WorkCalendar(first_year=2025, last_year=2025)
    assert cal.next_working_day(date(2025, 12, 31)) == date(2026, 1, 2)
    assert not cal.is_working_day(date(2030, 1, 1))


# ----- the calendar of an office (seeded in the database) -------------------------------------------------
def test_office_calendar_is_seeded_with_the_official_list(services, admin) -> None:
    stored = {o.day: o for o in services.calendar.overrides(admin)}
    assert len(stored) == len(read_official_days())
    assert stored[date(2025, 4, 26)].working
    assert not stored[date(2026, 1, 2)].working
    assert stored[date(2026, 11, 24)].working and not stored[date(2026, 11, 24)].confirmed
    year = {d["date"]: d for d in services.calendar.year_view(admin, 2025)}
    assert year[date(2025, 4, 26)]["working"] is True
    assert year[date(2025, 1, 29)] == {"date": date(2025, 1, 29), "working": False, "reason": "Tết Nguyên Đán"}
    assert date(2025, 3, 1) not in year  # ordinary weekends are not listed


def _due(services, code: str) -> datetime:
    with services.db.read() as s:
        return s.execute(select(Case.original_due_at).where(Case.code == code)).scalar_one()


@pytest.fixture
def open_cases(services, admin, register, make_procedure, desk_user) -> dict[str, str]:
    """Cases received Mon 03/03/2025 08:00, keyed by what they are."""
    ten_days = make_procedure(10, "working_days")
    same_day = make_procedure(None, "same_day")
    one_day = make_procedure(1, "working_days")
    cases = {
        "three_days": register("Nguyễn Văn A").code,  # due Thu 06/03 08:00: crosses Wed 05/03
        "ten_days": register("Nguyễn Văn B", procedure_id=ten_days).code,  # due Mon 17/03 08:00
        "one_day": register("Nguyễn Văn C", procedure_id=one_day).code,  # due Tue 04/03 08:00: before
        "same_day": register("Nguyễn Văn D", procedure_id=same_day).code,  # due Mon 03/03 17:00
        "finished": register("Nguyễn Văn E").code,
        "waiting": register("Nguyễn Văn F").code,
    }
    services.workflow.record_result(desk_user, cases["finished"])
    services.workflow.request_supplement(desk_user, cases["waiting"], "Thiếu giấy tờ", ["Bản sao CCCD"])
    return cases


WED = date(2025, 3, 5)


def test_preview_lists_exactly_the_open_cases_whose_due_moves(services, admin, open_cases, rows_in) -> None:
    before_days, before_audit = rows_in(CalendarDay), rows_in(AuditEntry)
    moves = services.calendar.preview(admin, [DayChange(WED, False, "Nghỉ đột xuất")])
    by_code = {m.code: m for m in moves}
    assert set(by_code) == {open_cases["three_days"], open_cases["ten_days"]}
    three = by_code[open_cases["three_days"]]
    assert (three.old_due, three.new_due) == (datetime(2025, 3, 6, 8), datetime(2025, 3, 7, 8))
    assert three.applicant == "Nguyễn Văn A"
    ten = by_code[open_cases["ten_days"]]
    assert (ten.old_due, ten.new_due) == (datetime(2025, 3, 17, 8), datetime(2025, 3, 18, 8))
    # a preview writes nothing
    assert (rows_in(CalendarDay), rows_in(AuditEntry)) == (before_days, before_audit)
    assert _due(services, open_cases["three_days"]) == datetime(2025, 3, 6, 8)


def test_apply_moves_the_dues_with_an_event_and_an_audit_row(services, admin, open_cases, clock) -> None:
    clock.set(datetime(2025, 3, 3, 9, 30))
    moves = services.calendar.apply(admin, [DayChange(WED, False, "Nghỉ đột xuất", "QĐ 01/QĐ-UBND")])
    assert {m.code for m in moves} == {open_cases["three_days"], open_cases["ten_days"]}
    assert _due(services, open_cases["three_days"]) == datetime(2025, 3, 7, 8)
    assert _due(services, open_cases["ten_days"]) == datetime(2025, 3, 18, 8)
    assert _due(services, open_cases["one_day"]) == datetime(2025, 3, 4, 8)

    detail = services.casefile.detail(admin, open_cases["three_days"])
    assert detail.due_at == datetime(2025, 3, 7, 8)
    last = detail.events[-1]
    assert last.kind is EventKind.DUE_RECOMPUTED
    assert last.at == datetime(2025, 3, 3, 9, 30)
    assert last.data == {"old_due_at": "2025-03-06T08:00:00", "new_due_at": "2025-03-07T08:00:00"}
    for code in (open_cases["one_day"], open_cases["same_day"], open_cases["finished"], open_cases["waiting"]):
        kinds = [e.kind for e in services.casefile.detail(admin, code).events]
        assert EventKind.DUE_RECOMPUTED not in kinds, code

    with services.db.read() as s:
        audit = s.execute(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).scalar_one()
        row = s.execute(select(CalendarDay).where(CalendarDay.day == WED)).scalar_one()
    assert (audit.action, audit.entity, audit.entity_id) == ("calendar_change", "calendar", "2025-03-05")
    assert audit.user_id == admin.user_id
    assert (row.working, row.name, row.source, row.confirmed) == (False, "Nghỉ đột xuất", "QĐ 01/QĐ-UBND", True)
    # the office's calendar (cached by the services) now knows the new day off
    trace = services.intake.preview_due(admin, services.catalogue.search(admin, "Thủ tục thử số 1")[0].id,
                                        received_at=datetime(2025, 3, 4, 8))
    assert WED in {d for d, _ in trace.skipped}


def test_a_queue_pages_calendar_follows_calendar_edits_and_office_hours(services, admin, open_cases) -> None:
    """A queue page takes the office's calendar by its id in one query (`CalendarCache.of_office`): the very
    calendar `get` gives while nothing changed, a new one after a calendar edit and after new working hours."""
    from dataclasses import replace

    calendars = services.queue.calendars

    def of_office():
        with services.db.read() as s:
            return calendars.of_office(s, admin.office_id), calendars.get(s, services.queue.office(s, admin.office_id))

    first, by_get = of_office()
    assert first is by_get and of_office()[0] is first and first.is_working_day(WED)
    services.calendar.apply(admin, [DayChange(WED, False, "Nghỉ đột xuất")])
    edited, by_get = of_office()
    assert edited is by_get and edited is not first and not edited.is_working_day(WED)
    services.office.update(admin, replace(services.office.settings(admin), sessions="07:30-11:30,13:30-17:00"))
    rehoured, by_get = of_office()
    assert rehoured is by_get and rehoured is not edited and rehoured.minutes_per_day == edited.minutes_per_day - 30
    with services.db.read() as s, pytest.raises(NotFound):
        calendars.of_office(s, admin.office_id + 1000)


def test_clearing_an_override_restores_the_package_rule(services, admin) -> None:
    moves = services.calendar.apply(admin, [DayChange(date(2025, 4, 26), None)])
    assert moves == []
    year = {d["date"] for d in services.calendar.year_view(admin, 2025)}
    assert date(2025, 4, 26) not in year  # back to an ordinary Saturday off


def test_a_desk_officer_cannot_edit_the_calendar(services, desk_user, open_cases, rows_in) -> None:
    counts = (rows_in(CalendarDay), rows_in(AuditEntry), rows_in(CaseEvent))
    with pytest.raises(PermissionDenied, match="sửa lịch làm việc"):
        services.calendar.apply(desk_user, [DayChange(WED, False, "Nghỉ")])
    with pytest.raises(PermissionDenied):
        services.calendar.preview(desk_user, [DayChange(WED, False, "Nghỉ")])
    assert (rows_in(CalendarDay), rows_in(AuditEntry), rows_in(CaseEvent)) == counts
    assert _due(services, open_cases["three_days"]) == datetime(2025, 3, 6, 8)


def test_positions_stay_consistent_when_the_table_grows() -> None:
    """Growing the day table (dates outside the years built) must not shift working-minute positions."""
    small = WorkCalendar(overrides=read_official_days(), first_year=2025, last_year=2025)
    full = WorkCalendar(overrides=read_official_days())
    a, b = datetime(2024, 12, 30, 9, 0), datetime(2026, 2, 3, 10, 0)
    assert small.working_minutes_between(a, b) == full.working_minutes_between(a, b)
    small = WorkCalendar(overrides=read_official_days(), first_year=2025, last_year=2025)
    start = datetime(2025, 12, 30, 9, 0)
    assert small.add_working_minutes(start, 10 * 480) == full.add_working_minutes(start, 10 * 480)


def test_package_days_cache_file_gives_the_package_answer(tmp_path, monkeypatch) -> None:
    """The days kept between runs are exactly what the holidays package computes (names included)."""
    import importlib.metadata

    import holidays

    from tthc_desk import calendar as cal_module

    monkeypatch.setenv("TTHC_DESK_CACHE_DIR", str(tmp_path))
    cal_module._package_days.cache_clear()
    first = cal_module._package_days(2024, 2026)  # computed, then written
    version = importlib.metadata.version("holidays")  # the cache is keyed on the installed version
    assert [p.name for p in tmp_path.glob("holidays-VN-*.json")] == [f"holidays-VN-{version}-2024-2026.json"]
    cal_module._package_days.cache_clear()
    again = cal_module._package_days(2024, 2026)  # read back from the file
    cal_module._package_days.cache_clear()
    expected = dict(holidays.country_holidays("VN", years=range(2024, 2027), language="vi"))
    assert first == again == expected
    assert again[date(2025, 1, 29)] == "Tết Nguyên Đán"


def test_a_kept_wider_span_of_package_days_serves_a_narrower_one(tmp_path, monkeypatch) -> None:
    """The services keep a wide span of years, the start-up plan's calendar asks the years around now: the
    wide file answers it (the package, 0.3 s to import, is not loaded); other versions' files are ignored."""
    import sys

    from tthc_desk import calendar as cal_module

    monkeypatch.setenv("TTHC_DESK_CACHE_DIR", str(tmp_path))
    cal_module._package_days.cache_clear()
    wide = cal_module._package_days(2023, 2029)
    (tmp_path / "holidays-VN-0.0-2000-2100.json").write_text('{"2026-03-03": "not this version"}', encoding="utf-8")
    cal_module._package_days.cache_clear()
    monkeypatch.setitem(sys.modules, "holidays", None)  # importing the package now fails
    try:
        narrow = cal_module._package_days(2025, 2027)
        with pytest.raises(ImportError):
            cal_module._package_days(2020, 2027)  # wider than anything kept: only the package can say
    finally:
        cal_module._package_days.cache_clear()
    assert narrow == {d: n for d, n in wide.items() if 2025 <= d.year <= 2027}
    assert narrow[date(2026, 2, 17)] == "Tết Nguyên Đán" and date(2024, 2, 10) not in narrow
