"""The deadline tab's "why this date" when the stored due is not what today's hours and calendar give (audit
D5): it names what changed since the due was computed, the calendar or the working hours, and says when a
calendar edit moved the due. Before, every such due was put down to "giờ làm việc đã thay đổi sau đó", and
called kept as given even when a calendar edit had moved it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from tthc_desk.services.calendar_service import DayChange

HOURS_BLAMED = "giờ làm việc đã thay đổi"


def test_a_due_kept_through_a_calendar_edit_is_put_down_to_the_calendar(
        services, admin, clock, register, desk_user):
    """3 working days from Mon 03/03/2025 08:00: due Thu 06/03 08:00. Papers asked for Tue 04/03; Wed 05/03
    declared off while the case waits (a waiting case is not moved). The hours never changed. An open case
    the edit moved is simply explained by today's computation, the new day off among the days skipped."""
    clock.set(datetime(2025, 3, 3, 8, 0))
    waiting = register("Lê Văn Chờ").code
    moved = register("Trần Thị Dời").code
    clock.set(datetime(2025, 3, 4, 9, 0))
    services.workflow.request_supplement(desk_user, waiting, "Thiếu giấy tờ", ["Bản sao CCCD"])
    services.calendar.apply(admin, [DayChange(date(2025, 3, 5), False, "Nghỉ đột xuất")])

    trace = services.casefile.detail(admin, waiting).trace
    assert trace.due_at == datetime(2025, 3, 6, 8, 0)
    text = trace.text()
    assert HOURS_BLAMED not in text
    assert ("theo lịch ngày nghỉ của cơ quan áp dụng lúc đó; lịch ngày nghỉ đã thay đổi sau đó nên hạn đã hẹn "
            "được giữ nguyên, không tính lại.") in text

    trace = services.casefile.detail(admin, moved).trace
    assert trace.due_at == datetime(2025, 3, 7, 8, 0)
    assert "Bỏ qua Thứ Tư 05/03/2025: Nghỉ đột xuất." in trace.text() and HOURS_BLAMED not in trace.text()


def test_a_due_given_under_other_hours_then_moved_by_the_calendar_says_both(
        services, admin, clock, register, make_procedure):
    """5 working days, received Mon 03/03/2025 15:30 under the 15:00 cut-off: due Mon 10/03 17:00. The cut-off
    moves to 16:00 (the due is not recomputed), then Wed 05/03 is declared off: the due moves one working day,
    to Tue 11/03 17:00. The trace no longer calls that due "kept as given": it names the edit that moved it."""
    five_days = make_procedure(5, "working_days")
    clock.set(datetime(2025, 3, 3, 15, 30))
    code = register("Trần Thị Bình", procedure_id=five_days).code
    clock.set(datetime(2025, 3, 4, 8, 0))
    services.office.update(admin, replace(services.office.settings(admin), cutoff="16:00"))
    clock.set(datetime(2025, 3, 4, 9, 0))
    services.calendar.apply(admin, [DayChange(date(2025, 3, 5), False, "Nghỉ đột xuất")])

    trace = services.casefile.detail(admin, code).trace
    assert trace.due_at == datetime(2025, 3, 11, 17, 0)
    text = trace.text()
    assert "giờ làm việc và lịch ngày nghỉ đã thay đổi sau đó" in text
    assert "được giữ nguyên" not in text
    assert ("Lịch ngày nghỉ được sửa lúc 09:00 Thứ Ba 04/03/2025: hạn được dời từ 17:00 Thứ Hai 10/03/2025 "
            "sang 17:00 Thứ Ba 11/03/2025.") in text
    assert text.endswith("Hạn trả kết quả: 17:00 Thứ Ba 11/03/2025.")
