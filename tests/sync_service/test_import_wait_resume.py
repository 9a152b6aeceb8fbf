"""Papers back for a wait the portal's file brought (a case imported "Chờ bổ sung", or moved into it by a
file). No request of ours says how much time was left, so the case gets back the working time from the
import to the portal's due. Before, a pause-mode case got none: its new due was the very moment the papers
came back."""

from __future__ import annotations

from datetime import datetime

from portal_files import build_portal, held_case, office_calendar, row

from tthc_desk.domain import Colour, Status
from tthc_desk.services.queue import QueueFilter

PAUSE, PAUSE_NAME = "9.000894", "Thủ tục thử tạm dừng khi bổ sung"
IMPORTED, BACK = datetime(2025, 3, 6, 8, 0), datetime(2025, 3, 11, 9, 30)




def _import(office, admin, tmp_path, name: str, **values) -> str:
    line = row(1, proc=PAUSE, proc_name=PAUSE_NAME, status="Chờ bổ sung", **values)
    assert office.sync.run_import(admin, build_portal(tmp_path / name, [line])).counts["new"] == 1
    return line[1]


def test_a_case_imported_waiting_gets_back_the_time_from_the_import_to_the_portals_due(
        office, admin, desk_user, make_procedure, tmp_path, clock):
    make_procedure(5, "working_days", code=PAUSE, name=PAUSE_NAME, supplement_mode="pause")
    portal_due = datetime(2025, 3, 10, 16, 0)
    code = _import(office, admin, tmp_path, "a.xlsx", due=portal_due)  # at 06/03 08:00
    clock.set(BACK)
    outcome = office.workflow.receive_supplement(desk_user, code)
    cal = office_calendar(office)
    case = held_case(office, code)
    assert outcome.due_at == case.original_due_at > BACK
    assert cal.working_minutes_between(BACK, case.original_due_at) == cal.working_minutes_between(IMPORTED,
                                                                                                  portal_due)
    [shown] = office.queue.list(admin, QueueFilter())
    # the file named the unit holding it (Phòng Tư pháp): it is being processed again, not newly received
    assert shown.colour in (Colour.GREEN, Colour.AMBER) and shown.status is Status.PROCESSING
    trace = office.casefile.detail(admin, code).trace
    assert trace.due_at == case.original_due_at
    assert "nhập từ cổng khi đang chờ bổ sung" in trace.text()


def test_a_wait_imported_after_its_due_keeps_the_due_and_stays_late(office, admin, desk_user, make_procedure,
                                                                    tmp_path, clock):
    make_procedure(5, "working_days", code=PAUSE, name=PAUSE_NAME, supplement_mode="pause")
    code = _import(office, admin, tmp_path, "b.xlsx", due=datetime(2025, 3, 5, 16, 0))  # past at the import
    clock.set(BACK)
    office.workflow.receive_supplement(desk_user, code)
    case = held_case(office, code)
    assert case.original_due_at == datetime(2025, 3, 5, 16, 0)
    assert office.queue.list(admin, QueueFilter())[0].colour is Colour.RED


def test_a_wait_a_later_file_brought_is_not_read_as_our_earlier_request(office, admin, desk_user, make_procedure,
                                                                        tmp_path, clock):
    """Our own request, papers back, the case sent to the portal; then the portal's file says it waits again.
    That wait is the portal's: the time left comes from the file, not from our old request."""
    make_procedure(5, "working_days", code=PAUSE, name=PAUSE_NAME, supplement_mode="pause")
    line = row(1, proc=PAUSE, proc_name=PAUSE_NAME, due=datetime(2025, 3, 14, 16, 0))
    office.sync.run_import(admin, build_portal(tmp_path / "c.xlsx", [line]))
    code = line[1]
    office.workflow.request_supplement(desk_user, code, "Thiếu giấy", [])
    clock.set(datetime(2025, 3, 7, 8, 0))
    office.workflow.receive_supplement(desk_user, code)
    ours = held_case(office, code).original_due_at
    clock.set(datetime(2025, 3, 7, 9, 0))
    office.sync.export_changed(admin, tmp_path / "up.xlsx")  # the portal has our values now
    clock.set(datetime(2025, 3, 10, 8, 0))
    again = row(1, proc=PAUSE, proc_name=PAUSE_NAME, status="Chờ bổ sung", due=ours)
    assert office.sync.run_import(admin, build_portal(tmp_path / "d.xlsx", [again])).counts["updated"] == 1
    assert held_case(office, code).supplement_requested_at == datetime(2025, 3, 10, 8, 0)
    back = datetime(2025, 3, 12, 10, 0)
    clock.set(back)
    office.workflow.receive_supplement(desk_user, code)
    cal = office_calendar(office)
    due = held_case(office, code).original_due_at
    assert cal.working_minutes_between(back, due) == cal.working_minutes_between(datetime(2025, 3, 10, 8, 0), ours)


def test_a_wait_a_file_brought_ends_in_the_status_the_file_moved_it_from(office, admin, desk_user, make_procedure,
                                                                         tmp_path, clock):
    """A case imported "Đang xử lý", then a file says "Chờ bổ sung": papers back return it to "Đang xử lý" (the
    history holds the status the file moved it from). It went to "Mới tiếp nhận": imported cases have no step."""
    make_procedure(5, "working_days", code=PAUSE, name=PAUSE_NAME, supplement_mode="pause")
    line = dict(proc=PAUSE, proc_name=PAUSE_NAME, due=datetime(2025, 3, 14, 16, 0))
    office.sync.run_import(admin, build_portal(tmp_path / "e.xlsx", [row(1, **line)]))
    clock.set(datetime(2025, 3, 7, 8, 0))
    assert office.sync.run_import(admin, build_portal(tmp_path / "f.xlsx", [row(1, status="Chờ bổ sung", **line)])
                                  ).counts["updated"] == 1
    clock.set(datetime(2025, 3, 10, 9, 0))
    outcome = office.workflow.receive_supplement(desk_user, row(1)[1])
    assert outcome.status is Status.PROCESSING
    assert office.queue.list(admin, QueueFilter(status=Status.PROCESSING))[0].code == row(1)[1]
