"""What the deadline audit found (/tmp/audit/deadline/REPORT.md #1, #2, #6 and the UI's #9), pinned: a calendar
edit moves only the due dates the edit changes, the "why this date" trace explains the stored due and no other,
calendar days are counted rather than skipped, and a statutory holiday's basis is the law, not a library."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest
from clirunner import Cli
from sqlalchemy import select

from tthc_desk.calendar import WorkCalendar
from tthc_desk.deadline import DeadlineRule, explain_due
from tthc_desk.domain import DurationUnit, EventKind
from tthc_desk.services.calendar_service import DayChange, read_official_days
from tthc_desk.storage.models import Case, CaseEvent

CHRISTMAS = date(2025, 12, 25)  # after every due date below: an edit there changes none of them
WED = date(2025, 3, 5)


def _stored(services, code: str) -> tuple[datetime, datetime]:
    with services.db.read() as s:
        row = s.execute(select(Case.original_due_at, Case.due_at).where(Case.code == code)).one()
    return row.original_due_at, row.due_at


def _recomputed_events(services, code: str) -> int:
    with services.db.read() as s:
        case_id = s.execute(select(Case.id).where(Case.code == code)).scalar_one()
        kinds = s.execute(select(CaseEvent.kind).where(CaseEvent.case_id == case_id)).scalars()
        return sum(1 for k in kinds if k == str(EventKind.DUE_RECOMPUTED))


def _later_cutoff(services, admin) -> None:
    services.office.update(admin, replace(services.office.settings(admin), cutoff="16:00"))


@pytest.fixture
def late_receipt(services, admin, clock, register, make_procedure) -> str:
    """5 working days, received Mon 03/03/2025 15:30 under the 15:00 cut-off (clock from Tue 07:00: due Mon 10/03
    17:00); the office then moves its cut-off to 16:00, which would start such a receipt the same day."""
    five_days = make_procedure(5, "working_days")
    clock.set(datetime(2025, 3, 3, 15, 30))
    code = register("Trần Thị Bình", procedure_id=five_days).code
    assert _stored(services, code) == (datetime(2025, 3, 10, 17), datetime(2025, 3, 10, 17))
    _later_cutoff(services, admin)
    return code


# ----- #1: a calendar edit moves what the edit changes, nothing the office hours changed ----------------------
def test_an_unrelated_calendar_edit_leaves_a_case_received_under_other_hours_alone(
    services, admin, late_receipt, register, desk_user, clock
) -> None:
    clock.set(datetime(2025, 3, 3, 8))
    waiting = register("Lê Văn Chờ").code
    services.workflow.request_supplement(desk_user, waiting, "Thiếu giấy tờ", ["Bản sao CCCD"])
    waiting_due = _stored(services, waiting)

    change = [DayChange(CHRISTMAS, False, "Nghỉ thử")]
    assert services.calendar.preview(admin, change) == []
    assert services.calendar.apply(admin, change) == []
    assert _stored(services, late_receipt) == (datetime(2025, 3, 10, 17), datetime(2025, 3, 10, 17))
    assert _recomputed_events(services, late_receipt) == 0
    # a case waiting for the applicant is not moved either: its due is set afresh when the papers come back
    services.calendar.apply(admin, [DayChange(WED, False, "Nghỉ đột xuất")])
    assert _stored(services, waiting) == waiting_due and _recomputed_events(services, waiting) == 0


def test_an_edit_that_does_move_such_a_case_keeps_the_time_it_was_given(
    services, admin, late_receipt
) -> None:
    """Wed 05/03 off: one working day more. The due moves from Mon 10/03 17:00 to Tue 11/03 17:00, not to the
    15:30 that today's cut-off would give."""
    change = [DayChange(WED, False, "Nghỉ đột xuất")]
    moves = services.calendar.preview(admin, change)
    assert [(m.code, m.old_due, m.new_due) for m in moves] == [
        (late_receipt, datetime(2025, 3, 10, 17), datetime(2025, 3, 11, 17))
    ]
    services.calendar.apply(admin, change)
    assert _stored(services, late_receipt) == (datetime(2025, 3, 11, 17), datetime(2025, 3, 11, 17))
    assert _recomputed_events(services, late_receipt) == 1


def test_a_resumed_paused_case_moves_by_its_minutes_left_from_the_resume(
    services, admin, clock, register, make_procedure, desk_user
) -> None:
    """Pause mode, 5 working days from Mon 03/03/2025 08:00 (due Mon 10/03 08:00). Papers asked for Thu 06/03
    07:00 (1,020 working minutes left) and back Wed 12/03 15:30, after the 15:00 cut-off: due Mon 17/03 08:00.
    With the cut-off at 16:00 an unrelated edit moves nothing; Thu 13/03 off moves the due one working day."""
    paused = make_procedure(5, "working_days", supplement_mode="pause")
    clock.set(datetime(2025, 3, 3, 8))
    code = register("Phạm Văn Dừng", procedure_id=paused).code
    clock.set(datetime(2025, 3, 6, 7))
    services.workflow.request_supplement(desk_user, code, "Thiếu giấy tờ", ["Bản sao CCCD"])
    clock.set(datetime(2025, 3, 12, 15, 30))
    services.workflow.receive_supplement(desk_user, code)
    assert _stored(services, code) == (datetime(2025, 3, 17, 8), datetime(2025, 3, 17, 8))
    _later_cutoff(services, admin)

    assert services.calendar.preview(admin, [DayChange(CHRISTMAS, False, "Nghỉ thử")]) == []
    change = [DayChange(date(2025, 3, 13), False, "Nghỉ đột xuất")]
    moves = services.calendar.preview(admin, change)
    assert [(m.old_due, m.new_due) for m in moves] == [(datetime(2025, 3, 17, 8), datetime(2025, 3, 18, 8))]
    services.calendar.apply(admin, change)
    assert _stored(services, code) == (datetime(2025, 3, 18, 8), datetime(2025, 3, 18, 8))


def test_the_command_line_preview_lists_no_case_for_an_unrelated_edit(tmp_path, capsys) -> None:
    """The audit's own steps: a case after 15:00, `office set --cutoff 16:00`, then `calendar set … --dry-run`."""
    run = Cli(tmp_path / "desk.sqlite3", capsys)
    assert (
        run("init", "--office-code", "000.00.17.H10", "--admin-password", "quantri-2025", "--load-catalogue")[
            0
        ]
        == 0
    )
    made = run.json(
        "case", "new", "--procedure", "1.000314", "--applicant", "Nguyễn Văn Ấn", now="2025-03-03 15:30"
    )
    assert made["due_at"] == "2025-03-12T17:00:00"  # 7 working days from Tue 04/03 07:00
    assert run("office", "set", "--cutoff", "16:00")[0] == 0
    assert run.json("calendar", "set", "2025-12-25", "off", "--name", "Thử", "--dry-run") == []
    code, out, _ = run("case", "show", made["code"])
    assert code == 0 and "Hẹn trả: 17:00 12/03/2025" in out
    assert "15:30 Thứ Tư 12/03/2025" not in out  # the trace no longer ends on another date
    assert out.rstrip().endswith("Hạn trả kết quả: 17:00 Thứ Tư 12/03/2025.")


# ----- #2: the trace explains the stored due -------------------------------------------------------------------
def test_trace_of_a_resumed_paused_case_adds_the_time_left_from_the_resume(
    services, admin, clock, register, make_procedure, desk_user
) -> None:
    """Pause mode, 5 working days from Mon 03/03/2025 08:00: papers asked for Thu 06/03 07:00 (17 working hours
    left), back Wed 12/03 09:00: due Fri 14/03 10:00, and the trace says so (the audit's probe9, within the 3 days
    a request is allowed)."""
    paused = make_procedure(5, "working_days", supplement_mode="pause")
    clock.set(datetime(2025, 3, 3, 8))
    code = register("Phạm Văn Dừng", procedure_id=paused).code
    clock.set(datetime(2025, 3, 6, 7))
    services.workflow.request_supplement(desk_user, code, "Thiếu giấy tờ", ["Bản sao CCCD"])
    clock.set(datetime(2025, 3, 12, 9))
    services.workflow.receive_supplement(desk_user, code)

    detail = services.casefile.detail(admin, code)
    assert detail.original_due_at == datetime(2025, 3, 14, 10)
    assert detail.trace.due_at == detail.original_due_at
    text = detail.trace.text()
    assert text.startswith("Tiếp nhận lúc 08:00 Thứ Hai 03/03/2025.")
    assert "thời gian làm việc còn lại là 17 giờ 00 phút" in text
    assert "Nhận lại hồ sơ bổ sung lúc 09:00 Thứ Tư 12/03/2025: cộng tiếp 17 giờ 00 phút" in text
    assert "Tiếp nhận lúc 09:00" not in text  # the resume is not the receipt
    assert text.endswith("Hạn trả kết quả: 10:00 Thứ Sáu 14/03/2025.")


def test_trace_of_a_restarted_case_starts_from_the_papers_received_back(
    services, admin, clock, register, desk_user
) -> None:
    """Restart mode, 3 working days: received Mon 03/03 08:00, papers back Wed 05/03 10:00: due Mon 10/03 10:00."""
    clock.set(datetime(2025, 3, 3, 8))
    code = register("Nguyễn Văn An").code
    clock.set(datetime(2025, 3, 4, 9))
    services.workflow.request_supplement(desk_user, code, "Thiếu giấy tờ", ["Bản sao CCCD"])
    clock.set(datetime(2025, 3, 5, 10))
    services.workflow.receive_supplement(desk_user, code)

    detail = services.casefile.detail(admin, code)
    assert detail.trace.due_at == detail.original_due_at == datetime(2025, 3, 10, 10)
    text = detail.trace.text()
    assert text.startswith("Tiếp nhận lúc 08:00 Thứ Hai 03/03/2025.")
    assert "Nhận lại hồ sơ bổ sung lúc 10:00 Thứ Tư 05/03/2025: thời hạn được tính lại từ đầu" in text
    assert "Bắt đầu tính: 10:00 Thứ Tư 05/03/2025." in text
    assert "Tiếp nhận lúc 10:00" not in text


def test_trace_after_an_office_hours_change_shows_the_stored_due(services, admin, late_receipt) -> None:
    detail = services.casefile.detail(admin, late_receipt)
    assert detail.trace.due_at == detail.original_due_at == datetime(2025, 3, 10, 17)
    assert "theo giờ làm việc của cơ quan áp dụng lúc đó" in detail.trace.text()
    assert "15:30 Thứ Hai 10/03/2025" not in detail.trace.text()
    assert detail.trace.steps[-1] == "Hạn trả kết quả: 17:00 Thứ Hai 10/03/2025."
    assert detail.as_dict()["trace"]["due_at"] == "2025-03-10T17:00:00"


def test_an_imported_case_explains_that_its_due_is_the_portals(services, admin, register) -> None:
    code = register("Đỗ Thị Nhập").code
    with services.db.write() as s:  # as the portal's export writes one: its own due, kept as given
        case = s.execute(select(Case).where(Case.code == code)).scalar_one()
        case.source, case.original_due_at, case.due_at = (
            "import",
            datetime(2025, 3, 20, 17),
            datetime(2025, 3, 20, 17),
        )
    trace = services.casefile.detail(admin, code).trace
    assert trace.due_at == datetime(2025, 3, 20, 17)
    assert "hạn trả do hệ thống đó cấp" in trace.text()
    assert trace.steps[-1] == "Hạn trả kết quả: 17:00 Thứ Năm 20/03/2025."


# ----- #6: calendar days are counted, not skipped --------------------------------------------------------------
@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar(overrides=read_official_days())


def test_calendar_days_trace_skips_only_the_days_the_due_moves_past(cal: WorkCalendar) -> None:
    """DOMAIN's example: Fri 29/08/2025 10:00 + 3 calendar days: 30/08, 31/08 and 01/09 are days 1-3; 01/09
    and 02/09 (Quốc khánh) are passed over to Wed 03/09 17:00."""
    trace = explain_due(cal, datetime(2025, 8, 29, 10), DeadlineRule(3, DurationUnit.CALENDAR_DAYS))
    assert trace.due_at == datetime(2025, 9, 3, 17)
    assert [d for d, _ in trace.skipped] == [date(2025, 9, 1), date(2025, 9, 2)]
    text = trace.text()
    assert "Bỏ qua Thứ Bảy 30/08/2025" not in text and "Bỏ qua Chủ nhật 31/08/2025" not in text
    assert "Ngày thứ 3 là Thứ Hai 01/09/2025." in text
    assert "Bỏ qua Thứ Ba 02/09/2025: Quốc khánh." in text


def test_calendar_days_over_a_weekend_skip_nothing(cal: WorkCalendar, tmp_path, capsys) -> None:
    trace = explain_due(cal, datetime(2025, 3, 6, 10), DeadlineRule(7, DurationUnit.CALENDAR_DAYS))
    assert trace.due_at == datetime(2025, 3, 13, 17) and trace.skipped == []
    code, out, _ = Cli(tmp_path / "desk.sqlite3", capsys)(
        "deadline", "--received", "2025-03-06 10:00", "--unit", "cd", "--amount", "7"
    )
    assert code == 0 and "Bỏ qua" not in out
    assert "Ngày thứ 7 là Thứ Năm 13/03/2025." in out


# ----- UI #9: the basis of a statutory holiday ------------------------------------------------------------------
def test_a_new_offices_statutory_holidays_cite_the_labour_code(services, admin) -> None:
    stored = {o.day: o for o in services.calendar.overrides(admin)}
    for day in (date(2025, 1, 1), date(2025, 1, 29), date(2025, 4, 30), date(2025, 9, 2)):
        assert stored[day].source == "Bộ luật Lao động 2019, Điều 112", day
    # a swapped day and a make-up Saturday keep the letter that announced them
    assert stored[date(2026, 1, 2)].source.startswith("Công văn 12729/VPCP-KGVX")
    assert stored[date(2026, 1, 10)].source.startswith("Công văn 12729/VPCP-KGVX")
