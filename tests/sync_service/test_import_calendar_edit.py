"""A calendar edit and the imported cases (audit D5). The portal's due of an imported case is kept as given
and never moves (DOMAIN §5); once its papers come back at the desk, the due is this office's computation (the
rule from the resume, or the working time left, from the resume), and a calendar edit moves it like a desk
case's, in the preview and in `apply`. Before, such a case was left out of both: its due kept counting the day
the edit took off, and the deadline tab blamed a change of working hours that never happened."""

from __future__ import annotations

from datetime import date, datetime

from portal_files import KH, KH_NAME, build_portal, office_calendar, row
from sqlalchemy import select

from tthc_desk.services.calendar_service import DayChange
from tthc_desk.storage.models import Case

PAUSE, PAUSE_NAME = "9.000894", "Thủ tục thử tạm dừng khi bổ sung"
NEW_CODE, NEW_NAME = "9.999999", "Thủ tục cấp phép tạm (chưa có trong danh mục)"
HOURS_BLAMED = "giờ làm việc đã thay đổi"


def _import(office, admin, tmp_path, lines: list[list], create_missing: bool = False) -> list[str]:
    result = office.sync.run_import(admin, build_portal(tmp_path / "cong.xlsx", lines), create_missing=create_missing)
    assert result.counts["new"] == len(lines)
    return [line[1] for line in lines]


def _dues(office, code: str) -> tuple[datetime, datetime]:
    with office.db.read() as s:
        found = s.execute(select(Case.original_due_at, Case.due_at).where(Case.code == code)).one()
    return found.original_due_at, found.due_at



def test_a_due_computed_when_papers_came_back_follows_the_edit_a_portal_due_does_not(
        office, admin, desk_user, tmp_path, clock):
    """Imported Thu 06/03/2025 08:00: one case waiting (restart mode, 5 working days), one in progress with the
    portal's due Wed 12/03 16:00. Papers back Fri 07/03 09:00: due Fri 14/03 09:00, computed here. Wed 12/03
    declared off: the resumed case moves to Mon 17/03 09:00; the portal's due stays where the portal put it."""
    waiting, portal = _import(office, admin, tmp_path, [
        row(1, proc=KH, proc_name=KH_NAME, status="Chờ bổ sung", due=datetime(2025, 3, 10, 8, 30)),
        row(2, proc=KH, proc_name=KH_NAME, due=datetime(2025, 3, 12, 16, 0)),
    ])
    clock.set(datetime(2025, 3, 7, 9, 0))
    office.workflow.receive_supplement(desk_user, waiting)
    assert _dues(office, waiting) == (datetime(2025, 3, 14, 9, 0), datetime(2025, 3, 14, 9, 0))

    change = [DayChange(date(2025, 3, 12), False, "Nghỉ đột xuất")]
    moves = office.calendar.preview(admin, change)
    assert [(m.code, m.old_due, m.new_due) for m in moves] == [
        (waiting, datetime(2025, 3, 14, 9, 0), datetime(2025, 3, 17, 9, 0))
    ]
    assert [m.code for m in office.calendar.apply(admin, change)] == [waiting]
    assert _dues(office, waiting) == (datetime(2025, 3, 17, 9, 0), datetime(2025, 3, 17, 9, 0))
    assert _dues(office, portal) == (datetime(2025, 3, 12, 16, 0), datetime(2025, 3, 12, 16, 0))

    trace = office.casefile.detail(admin, waiting).trace
    assert trace.due_at == datetime(2025, 3, 17, 9, 0)
    assert "Bỏ qua Thứ Tư 12/03/2025: Nghỉ đột xuất." in trace.text()
    assert HOURS_BLAMED not in trace.text()
    assert "hạn trả do hệ thống đó cấp" in office.casefile.detail(admin, portal).trace.text()


def test_a_paused_wait_resumed_here_moves_by_the_time_it_had_left(
        office, admin, desk_user, make_procedure, tmp_path, clock):
    """Pause mode: imported waiting Thu 06/03 08:00 with the portal's due Mon 10/03 16:00 (22 working hours
    left), papers back Tue 11/03 09:30: due Fri 14/03 07:30. Thu 13/03 off: Mon 17/03 07:30."""
    make_procedure(5, "working_days", code=PAUSE, name=PAUSE_NAME, supplement_mode="pause")
    [code] = _import(office, admin, tmp_path, [
        row(1, proc=PAUSE, proc_name=PAUSE_NAME, status="Chờ bổ sung", due=datetime(2025, 3, 10, 16, 0)),
    ])
    clock.set(datetime(2025, 3, 11, 9, 30))
    office.workflow.receive_supplement(desk_user, code)
    assert _dues(office, code)[0] == datetime(2025, 3, 14, 7, 30)

    change = [DayChange(date(2025, 3, 13), False, "Nghỉ đột xuất")]
    assert [(m.old_due, m.new_due) for m in office.calendar.preview(admin, change)] == [
        (datetime(2025, 3, 14, 7, 30), datetime(2025, 3, 17, 7, 30))
    ]
    office.calendar.apply(admin, change)
    assert _dues(office, code) == (datetime(2025, 3, 17, 7, 30), datetime(2025, 3, 17, 7, 30))
    trace = office.casefile.detail(admin, code).trace
    assert trace.due_at == datetime(2025, 3, 17, 7, 30)
    assert "cộng tiếp 22 giờ 00 phút" in trace.text() and HOURS_BLAMED not in trace.text()


def test_a_case_without_a_rule_resumed_here_lays_its_time_left_again(office, admin, desk_user, tmp_path, clock):
    """A procedure "cần xác nhận": papers asked for Thu 06/03 08:00 with the portal's due Mon 10/03 16:00 (22
    working hours left), back Fri 07/03 10:00: due Wed 12/03 08:00. Tue 11/03 off: the same 22 hours from the
    resume end Thu 13/03 08:00, and the deadline tab says the calendar edit moved it."""
    [code] = _import(office, admin, tmp_path, [
        row(1, proc=NEW_CODE, proc_name=NEW_NAME, received=datetime(2025, 3, 5, 8, 0),
            due=datetime(2025, 3, 10, 16, 0)),
    ], create_missing=True)
    office.workflow.request_supplement(desk_user, code, "Thiếu giấy", [])
    back = datetime(2025, 3, 7, 10, 0)
    clock.set(back)
    office.workflow.receive_supplement(desk_user, code)
    assert _dues(office, code)[0] == datetime(2025, 3, 12, 8, 0)

    change = [DayChange(date(2025, 3, 11), False, "Nghỉ đột xuất")]
    assert [(m.code, m.new_due) for m in office.calendar.preview(admin, change)] == [
        (code, datetime(2025, 3, 13, 8, 0))
    ]
    office.calendar.apply(admin, change)
    assert _dues(office, code) == (datetime(2025, 3, 13, 8, 0), datetime(2025, 3, 13, 8, 0))
    assert office_calendar(office).working_minutes_between(back, datetime(2025, 3, 13, 8, 0)) == 22 * 60
    text = office.casefile.detail(admin, code).trace.text()
    assert "được tính tiếp thời gian làm việc còn lại" in text
    assert "hạn được dời từ 08:00 Thứ Tư 12/03/2025 sang 08:00 Thứ Năm 13/03/2025" in text
    assert text.endswith("Hạn trả kết quả: 08:00 Thứ Năm 13/03/2025.")


def test_a_due_a_later_file_brings_after_papers_came_back_is_the_portals_again(office, admin, desk_user, tmp_path,
                                                                               clock):
    """Papers back here made the due ours; the portal's next file gives the case another due: that one is the
    portal's, kept as given by a calendar edit and explained as the portal's (helper 53's note)."""
    [code] = _import(office, admin, tmp_path, [row(1, proc=KH, proc_name=KH_NAME, status="Chờ bổ sung",
                                                   due=datetime(2025, 3, 10, 8, 30))])
    clock.set(datetime(2025, 3, 7, 9, 0))
    office.workflow.receive_supplement(desk_user, code)
    office.sync.export_changed(admin, tmp_path / "len_cong.xlsx")  # the portal has what the desk did
    clock.set(datetime(2025, 3, 10, 8, 0))
    later = row(1, proc=KH, proc_name=KH_NAME, due=datetime(2025, 3, 19, 16, 0))
    assert office.sync.run_import(admin, build_portal(tmp_path / "b.xlsx", [later])).counts["updated"] == 1
    assert _dues(office, code) == (datetime(2025, 3, 19, 16, 0), datetime(2025, 3, 19, 16, 0))
    change = [DayChange(date(2025, 3, 12), False, "Nghỉ đột xuất")]
    assert office.calendar.preview(admin, change) == []
    office.calendar.apply(admin, change)
    assert _dues(office, code) == (datetime(2025, 3, 19, 16, 0), datetime(2025, 3, 19, 16, 0))
    assert "hạn trả do hệ thống đó cấp" in office.casefile.detail(admin, code).trace.text()
