"""The case life cycle: steps, supplements, pauses, extensions, closing; refused transitions; and
actions that fail halfway leaving nothing written."""

from __future__ import annotations

from datetime import datetime

import pytest
from svchelpers import OFFICE, case_row

from tthc_desk.domain import EventKind, Status, Timeliness
from tthc_desk.errors import InvalidTransition, NotFound, ValidationError
from tthc_desk.services import intake as intake_module
from tthc_desk.storage.models import (
    Case,
    CaseEvent,
    CaseStep,
    Sequence,
)


@pytest.fixture
def five_day(make_procedure):
    return {mode: make_procedure(5, "working_days", supplement_mode=mode) for mode in ("restart", "pause")}


# the unit's step: restart gives it its 3 days again; pause gives back the 1,380 minutes it had left
STEP_DUE = {"restart": datetime(2025, 3, 11, 14, 0), "pause": datetime(2025, 3, 11, 11, 0)}


@pytest.mark.parametrize(("mode", "new_due"), [
    ("restart", datetime(2025, 3, 13, 14, 0)),  # 5 working days from Thu 06/03 14:00
    ("pause", datetime(2025, 3, 12, 10, 0)),  # the 1,800 minutes left on Tue 10:00, from Thu 14:00
])
def test_full_life_cycle(services, admin, register, five_day, clock, desk_user, specialist, units, mode,
                         new_due) -> None:
    res = register(procedure_id=five_day[mode])
    code = res.code
    assert res.due_at == datetime(2025, 3, 10, 8, 0)

    clock.set(datetime(2025, 3, 4, 9, 0))
    out = services.workflow.transfer(desk_user, code, units["tu_phap"], share_days=3, note="Chuyển thẩm định")
    assert out.status is Status.PROCESSING

    clock.set(datetime(2025, 3, 4, 10, 0))
    out = services.workflow.request_supplement(specialist, code, "Thiếu giấy tờ", ["Giấy khai sinh (bản sao)"])
    assert out.status is Status.WAITING_SUPPLEMENT and out.warning == ""
    assert case_row(services, code).paused_minutes_left == 1800

    clock.set(datetime(2025, 3, 6, 14, 0))
    out = services.workflow.receive_supplement(desk_user, code, "Đã đủ giấy tờ")
    assert out.status is Status.PROCESSING  # back with the unit that holds it
    row = case_row(services, code)
    assert (row.due_at, row.original_due_at, row.clock_from) == (new_due, new_due, datetime(2025, 3, 6, 14, 0))
    assert row.warn_at < new_due

    clock.set(datetime(2025, 3, 7, 10, 0))
    assert services.workflow.record_result(specialist, code).status is Status.RESULT_READY
    clock.set(datetime(2025, 3, 7, 15, 0))
    assert services.workflow.return_result(desk_user, code).status is Status.RETURNED

    detail = services.casefile.detail(admin, code)
    assert [e.kind for e in detail.events] == [
        EventKind.RECEIVED, EventKind.TRANSFERRED, EventKind.SUPPLEMENT_REQUESTED, EventKind.SUPPLEMENT_RECEIVED,
        EventKind.RESULT_READY, EventKind.RETURNED,
    ]
    assert [e.seq for e in detail.events] == [1, 2, 3, 4, 5, 6]
    assert [e.at for e in detail.events] == sorted(e.at for e in detail.events)
    assert detail.events[1].data["to_unit"] == "Phòng Tư pháp"
    assert detail.events[1].data["step_due_at"] == "2025-03-07T09:00:00"
    assert detail.events[2].user_name == "Lê Văn Chuyên" and detail.events[2].unit_name == "Phòng Tư pháp"
    assert detail.events[3].data["mode"] == mode and detail.events[3].data["due_at"] == new_due.isoformat()
    assert detail.events[4].data["timeliness"] == "early"
    assert (detail.status, detail.timeliness, detail.supplement_count) == (Status.RETURNED, Timeliness.EARLY, 1)
    assert (detail.result_at, detail.returned_at) == (datetime(2025, 3, 7, 10), datetime(2025, 3, 7, 15))
    [step] = detail.steps
    assert (step.unit_name, step.from_unit_name, step.finished_at) == ("Phòng Tư pháp", "Bộ phận Một cửa",
                                                                       datetime(2025, 3, 7, 10, 0))
    # the unit's share (3 days from Tue 09:00, due Fri 09:00) moved with the wait for the applicant, so
    # finishing Fri 10:00 is not the unit's lateness
    assert step.due_at == STEP_DUE[mode]
    assert step.timeliness is Timeliness.EARLY


def test_pause_keeps_the_whole_allowance_when_the_clock_had_not_started(services, register, five_day, clock,
                                                                         desk_user, make_procedure) -> None:
    """Received 15:30 (after the cut-off, the clock starts Tue 07:00) and asked for papers at 16:00 the same
    day: none of the two working days was used, so all of them are left — not one hour more."""
    two_days = make_procedure(2, "working_days", supplement_mode="pause")
    res = register(procedure_id=two_days, received_at=datetime(2025, 3, 3, 15, 30))
    assert res.due_at == datetime(2025, 3, 5, 17, 0)
    clock.set(datetime(2025, 3, 3, 16, 0))
    services.workflow.request_supplement(desk_user, res.code, "Thiếu tờ khai", [])
    assert case_row(services, res.code).paused_minutes_left == 960
    clock.set(datetime(2025, 3, 6, 7, 0))
    out = services.workflow.receive_supplement(desk_user, res.code)
    assert out.due_at == datetime(2025, 3, 7, 17, 0)


def test_resume_on_a_case_still_at_the_desk_goes_back_to_received(services, register, desk_user, clock) -> None:
    code = register().code
    services.workflow.request_supplement(desk_user, code, "", ["Bản sao sổ hộ khẩu"])
    clock.set(datetime(2025, 3, 5, 9, 0))
    out = services.workflow.receive_supplement(desk_user, code)
    assert out.status is Status.RECEIVED
    assert out.due_at == datetime(2025, 3, 10, 9, 0)  # restart (the default): 3 days from Wed 09:00


def test_supplement_request_faults_are_recorded(services, admin, register, desk_user, clock) -> None:
    code = register().code
    with pytest.raises(ValidationError, match="lý do"):
        services.workflow.request_supplement(desk_user, code, "  ", ["", " "])
    services.workflow.request_supplement(desk_user, code, "Thiếu giấy tờ", [])
    services.workflow.receive_supplement(desk_user, code)
    clock.set(datetime(2025, 3, 7, 9, 0))  # more than 3 working days after receipt, and a second request
    out = services.workflow.request_supplement(desk_user, code, "Thiếu tiếp", [])
    assert "lần thứ hai" in out.warning and "3 ngày làm việc" in out.warning
    data = services.casefile.detail(admin, code).events[-1].data
    assert data["count"] == 2 and len(data["faults"]) == 2


@pytest.mark.parametrize("action", ["refuse", "withdraw", "stop"])
def test_closing_a_case_needs_a_reason(services, admin, register, rows_in, action) -> None:
    code = register().code
    act = getattr(services.workflow, action)
    for blank in ("", "   ", "\n"):
        with pytest.raises(ValidationError, match="lý do"):
            act(admin, code, blank)
    assert rows_in(CaseEvent) == 1
    out = act(admin, code, "  Người nộp   đề nghị ")
    expected = {"refuse": Status.REFUSED, "withdraw": Status.WITHDRAWN, "stop": Status.STOPPED}[action]
    assert out.status is expected
    row = case_row(services, code)
    assert (row.is_open, row.close_reason, row.closed_at) == (False, "Người nộp đề nghị", datetime(2025, 3, 3, 8))
    last = services.casefile.detail(admin, code).events[-1]
    assert last.data == {"reason": "Người nộp đề nghị", "previous_status": "received"}


def test_extension_once_keeps_the_original_due(services, admin, register, desk_user, clock) -> None:
    code = register().code  # due Thu 06/03 08:00
    clock.set(datetime(2025, 3, 4, 9, 0))
    with pytest.raises(ValidationError, match="lý do"):
        services.workflow.extend(desk_user, code, " ", datetime(2025, 3, 12, 17, 0))
    with pytest.raises(ValidationError, match="Ngày hẹn mới"):
        services.workflow.extend(desk_user, code, "Cần xác minh", datetime(2025, 3, 5, 17, 0))
    out = services.workflow.extend(desk_user, code, "Cần xác minh thực địa", datetime(2025, 3, 12, 17, 0), "12/XL")
    assert out.warning == "" and out.due_at == datetime(2025, 3, 12, 17, 0)
    row = case_row(services, code)
    assert (row.due_at, row.original_due_at, row.extension_count) == (
        datetime(2025, 3, 12, 17, 0), datetime(2025, 3, 6, 8, 0), 1)
    data = services.casefile.detail(admin, code).events[-1].data
    assert data["apology_on_time"] is True and data["old_due_at"] == "2025-03-06T08:00:00"
    with pytest.raises(InvalidTransition, match="một lần"):
        services.workflow.extend(desk_user, code, "Lần nữa", datetime(2025, 3, 20, 17, 0))
    # finished after the original due but before the new appointment: still late
    clock.set(datetime(2025, 3, 10, 9, 0))
    services.workflow.record_result(desk_user, code)
    detail = services.casefile.detail(admin, code)
    assert detail.timeliness is Timeliness.LATE
    assert detail.events[-1].data["timeliness"] == "late"


@pytest.mark.parametrize(("now", "on_time"), [
    (datetime(2025, 3, 5, 8, 0), True),  # Wed, the working day before the due date Thu 06/03 (08:00)
    (datetime(2025, 3, 5, 16, 59), True),  # any hour of that day counts: the rule is by dates
    (datetime(2025, 3, 6, 7, 0), False),  # on the due date itself, though before the due moment
    (datetime(2025, 3, 6, 9, 0), False),  # already late
])
def test_extension_warns_when_sent_after_the_working_day_before_the_due_date(services, admin, register, desk_user,
                                                                             clock, now, on_time) -> None:
    code = register().code
    clock.set(now)
    out = services.workflow.extend(desk_user, code, "Chờ ý kiến cơ quan phối hợp", datetime(2025, 3, 14, 17, 0))
    assert (out.warning == "") is on_time
    if not on_time:
        assert "một ngày làm việc" in out.warning
    assert services.casefile.detail(admin, code).events[-1].data["apology_on_time"] is on_time


def test_invalid_transitions(services, admin, register, desk_user, units) -> None:
    code = register().code
    with pytest.raises(InvalidTransition, match="Mới tiếp nhận"):
        services.workflow.return_result(desk_user, code)
    with pytest.raises(InvalidTransition):
        services.workflow.receive_supplement(desk_user, code)
    services.workflow.request_supplement(desk_user, code, "Thiếu", [])
    for act in (lambda: services.workflow.record_result(desk_user, code),
                lambda: services.workflow.request_supplement(desk_user, code, "Lại", []),
                lambda: services.workflow.transfer(desk_user, code, units["tu_phap"]),
                lambda: services.workflow.extend(desk_user, code, "Hẹn", datetime(2025, 3, 20, 17))):
        with pytest.raises(InvalidTransition, match="Chờ bổ sung"):
            act()
    services.workflow.receive_supplement(desk_user, code)
    services.workflow.record_result(desk_user, code)
    with pytest.raises(InvalidTransition):
        services.workflow.withdraw(desk_user, code, "Muộn rồi")
    services.workflow.return_result(desk_user, code)
    with pytest.raises(InvalidTransition):
        services.workflow.return_result(desk_user, code)
    refused = register("Người khác").code
    services.workflow.refuse(desk_user, refused, "Không thuộc thẩm quyền")
    with pytest.raises(InvalidTransition, match="Từ chối"):
        services.workflow.transfer(desk_user, refused, units["tu_phap"])
    with pytest.raises(NotFound):
        services.workflow.record_result(desk_user, "000.00.17.H10-250303-9999")
    with pytest.raises(ValidationError, match="chính đơn vị"):
        services.workflow.transfer(desk_user, register("Ba").code, admin.unit_id)
    # the case view says why an action is not available
    actions = services.casefile.detail(desk_user, code).actions
    assert "Đã trả kết quả" in actions["return_result"]


# ====================================================================================== all or nothing
def test_a_failed_write_leaves_nothing_half_written(services, register, rows_in, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("ổ đĩa đầy")

    monkeypatch.setattr(intake_module, "add_event", broken)
    with pytest.raises(RuntimeError, match="ổ đĩa đầy"):
        register(intake_token="t-1")
    assert (rows_in(Case), rows_in(CaseEvent), rows_in(Sequence)) == (0, 0, 0)
    monkeypatch.undo()
    res = register(intake_token="t-1")
    assert (res.created, res.code, res.register_number) == (True, f"{OFFICE}-250303-0001", 1)


def test_a_failed_action_leaves_the_case_as_it_was(services, admin, register, desk_user, units, monkeypatch,
                                                   rows_in) -> None:
    from tthc_desk.services import workflow as workflow_module

    code = register().code
    monkeypatch.setattr(workflow_module, "add_event", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("mất điện")))
    with pytest.raises(RuntimeError):
        services.workflow.transfer(desk_user, code, units["tu_phap"])
    row = case_row(services, code)
    assert (row.status, row.current_unit_id, row.version) == ("received", admin.unit_id, 1)
    assert (rows_in(CaseStep), rows_in(CaseEvent)) == (0, 1)
