"""The services every screen and the CLI call: intake, case codes, the case life cycle, rights, the queue,
the catalogue, and all-or-nothing writes."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from tthc_desk.catalogue_files import read_catalogue
from tthc_desk.domain import Colour, EventKind, Role, Status, Timeliness
from tthc_desk.errors import InvalidTransition, NotFound, PermissionDenied, ValidationError
from tthc_desk.paths import resource_path
from tthc_desk.services import intake as intake_module
from tthc_desk.services.accounts import actor_of, hash_password
from tthc_desk.services.calendar_service import DayChange
from tthc_desk.services.intake import IntakeForm
from tthc_desk.services.office import OfficeSettings
from tthc_desk.services.queue import QueueFilter
from tthc_desk.storage.models import (
    AuditEntry,
    Case,
    CaseEvent,
    CaseStep,
    Office,
    Procedure,
    Sequence,
    Unit,
    User,
)

OFFICE = "000.00.17.H10"
CSV = resource_path("data", "thu_tuc_cap_xa.csv")
XLSX_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "catalogue_xlsx"


def case_row(services, code: str) -> Case:
    with services.db.read() as s:
        return s.execute(select(Case).where(Case.code == code)).scalar_one()


def event_kinds(services, admin, code: str) -> list[EventKind]:
    return [e.kind for e in services.casefile.detail(admin, code).events]


# ====================================================================================== intake
NFD_NAME = unicodedata.normalize("NFD", "Nguyễn Văn Ấn")
NFD_ADDRESS = unicodedata.normalize("NFD", "Thôn Hòa Lạc, xã Bình Tân")


def test_text_is_stored_in_nfc_and_trimmed(services, admin, register) -> None:
    assert NFD_NAME != "Nguyễn Văn Ấn"  # the input really is decomposed
    res = register(f"  {NFD_NAME}  ", applicant_address=f" {NFD_ADDRESS}\n", owner_name="\tTrần   Thị  Bình ",
                   applicant_email="  An.Nguyen@Example.VN ")
    row = case_row(services, res.code)
    assert row.applicant_name == "Nguyễn Văn Ấn"
    assert unicodedata.is_normalized("NFC", row.applicant_name)
    assert row.applicant_address == "Thôn Hòa Lạc, xã Bình Tân"
    assert row.owner_name == "Trần Thị Bình"
    assert row.applicant_email == "an.nguyen@example.vn"


def test_id_and_phone_numbers_are_digits_kept_as_text(services, admin, register) -> None:
    res = register(applicant_id_number="001 234.567 890", applicant_phone="+84 912 345 678",
                   owner_id_number="000000000001")
    detail = services.casefile.detail(admin, res.code).as_dict()
    assert detail["applicant"]["id_number"] == "001234567890"
    assert detail["applicant"]["phone"] == "0912345678"
    assert detail["owner"]["id_number"] == "000000000001"
    assert isinstance(detail["code"], str)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("applicant_id_number", "12345678901", "12 chữ số"),
    ("applicant_id_number", "0012345678901", "12 chữ số"),
    ("owner_id_number", "123", "12 chữ số"),
    ("applicant_phone", "091234567", "Số điện thoại"),
    ("applicant_phone", "1912345678", "Số điện thoại"),
    ("applicant_email", "an@", "thư điện tử"),
    ("applicant_email", "an nguyen@example.vn", "thư điện tử"),
    ("applicant_name", "   ", "họ tên"),
    ("channel", "fax", "Kênh nộp"),
    ("code", "HS-2025-01", "Mã hồ sơ"),
])
def test_invalid_input_is_refused_in_vietnamese_and_writes_nothing(services, register, rows_in, field, value,
                                                                    message) -> None:
    form = {field: value}
    name = form.pop("applicant_name", "Nguyễn Văn An")
    with pytest.raises(ValidationError, match=message) as err:
        register(name, **form)
    assert err.value.field == field
    assert (rows_in(Case), rows_in(CaseEvent), rows_in(Sequence)) == (0, 0, 0)


def test_saving_twice_with_the_same_token_gives_one_case(services, register, rows_in) -> None:
    first = register(intake_token="form-7f3a")
    again = register(intake_token="form-7f3a")
    assert first.created and not again.created
    assert (again.case_id, again.code, again.register_number) == (first.case_id, first.code, first.register_number)
    assert (rows_in(Case), rows_in(CaseEvent)) == (1, 1)
    assert register().register_number == 2  # the repeat consumed no number


def test_intake_result_carries_due_and_trace(services, register) -> None:
    res = register()  # Mon 03/03/2025 08:00, 3 working days
    assert res.due_at == datetime(2025, 3, 6, 8, 0)
    assert res.trace.due_at == res.due_at
    assert res.trace.rule == "3 ngày làm việc"


def test_procedure_with_unclear_time_needs_an_explicit_rule(services, admin, register, make_procedure) -> None:
    unclear = services.catalogue.save(admin, None, code="9.900001", name="Thủ tục chưa rõ thời hạn", confirmed=False)
    with pytest.raises(ValidationError, match="chưa có thời hạn"):
        register(procedure_id=unclear)
    res = register(procedure_id=unclear, rule_amount=2, rule_unit="working_days")
    assert res.due_at == datetime(2025, 3, 5, 8, 0)
    with pytest.raises(NotFound):
        register(procedure_id=999_999)


def test_online_case_keeps_the_code_it_came_with(services, register) -> None:
    code = "000.17.22.H56-250302-0042"
    assert register(code=code, channel="online").code == code
    with pytest.raises(ValidationError, match="đã có trong sổ"):
        register(code=code, channel="online")
    assert register().code == f"{OFFICE}-250303-0001"  # the office's own sequence is untouched


# ====================================================================================== codes, register
def test_codes_restart_every_day_register_numbers_run_through_the_year(services, register, clock) -> None:
    day1 = [register(f"Người {i}") for i in range(3)]
    clock.set(datetime(2025, 3, 4, 9, 0))
    day2 = [register(f"Người {i}") for i in range(2)]
    assert [r.code for r in day1] == [f"{OFFICE}-250303-000{i}" for i in (1, 2, 3)]
    assert [r.code for r in day2] == [f"{OFFICE}-250304-000{i}" for i in (1, 2)]
    assert [r.register_number for r in day1 + day2] == [1, 2, 3, 4, 5]
    # the register is closed at year end: a new year starts again from 1
    clock.set(datetime(2025, 12, 31, 16, 0))
    last = register("Cuối năm")
    clock.set(datetime(2026, 1, 5, 8, 0))
    first = register("Đầu năm")
    assert (last.register_number, first.register_number) == (6, 1)
    assert (case_row(services, last.code).register_year, case_row(services, first.code).register_year) == (2025, 2026)
    assert first.code == f"{OFFICE}-260105-0001"


def test_code_follows_the_receipt_date_not_the_clock(services, register) -> None:
    res = register(received_at=datetime(2025, 2, 28, 16, 30))
    assert res.code == f"{OFFICE}-250228-0001"
    assert res.due_at == datetime(2025, 3, 5, 17, 0)  # after the cut-off (Fri): counted from Mon 07:00


# ====================================================================================== life cycle
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
    (datetime(2025, 3, 5, 8, 0), True),  # exactly one working day before Thu 08:00
    (datetime(2025, 3, 5, 8, 1), False),  # one minute less
    (datetime(2025, 3, 6, 9, 0), False),  # already late
])
def test_extension_warns_when_less_than_a_working_day_before_due(services, admin, register, desk_user, clock,
                                                                   now, on_time) -> None:
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


# ====================================================================================== rights
def test_a_desk_officer_cannot_edit_catalogue_calendar_users_units_office(services, desk_user, rows_in) -> None:
    before = (rows_in(Procedure), rows_in(User), rows_in(Unit), rows_in(AuditEntry))
    attempts = {
        "catalogue": lambda: services.catalogue.save(desk_user, None, code="9.1", name="X",
                                                     durations={"direct": (1, "working_days")}),
        "import": lambda: services.catalogue.import_file(desk_user, CSV),
        "calendar": lambda: services.calendar.apply(desk_user, [DayChange(datetime(2025, 3, 5).date(), False)]),
        "users": lambda: services.accounts.create_user(desk_user, "moi", "Người mới", Role.ADMIN, "matkhau123"),
        "units": lambda: services.accounts.save_unit(desk_user, "Phòng mới"),
        "office": lambda: services.office.update(desk_user, OfficeSettings(name="X", code=OFFICE)),
        "stop": lambda: services.workflow.stop(desk_user, "x", "lý do"),
    }
    for what, attempt in attempts.items():
        with pytest.raises(PermissionDenied, match="Cán bộ tiếp nhận không có quyền"):
            attempt()
            pytest.fail(what)
    assert (rows_in(Procedure), rows_in(User), rows_in(Unit), rows_in(AuditEntry)) == before


def test_a_specialist_acts_only_on_cases_his_unit_holds(services, register, desk_user, specialist,
                                                         other_specialist, units) -> None:
    code = register().code
    with pytest.raises(PermissionDenied, match="đơn vị mình"):
        services.workflow.request_supplement(specialist, code, "Thiếu", [])  # still at the desk
    services.workflow.transfer(desk_user, code, units["tu_phap"])
    with pytest.raises(PermissionDenied, match="đơn vị mình"):
        services.workflow.record_result(other_specialist, code)
    with pytest.raises(PermissionDenied, match="Chuyên viên không có quyền"):
        services.workflow.refuse(specialist, code, "Không đủ điều kiện")
    with pytest.raises(PermissionDenied):
        services.intake.register(specialist, IntakeForm(procedure_id=1, applicant_name="X"))
    # his own unit's case: he can send it on, and the other unit then holds it
    services.workflow.transfer(specialist, code, units["tnmt"])
    assert services.workflow.record_result(other_specialist, code).status is Status.RESULT_READY


def test_a_deactivated_user_is_refused(services, admin, register, desk_user) -> None:
    services.accounts.set_role(admin, desk_user.user_id, Role.DESK, desk_user.unit_id, active=False)
    with pytest.raises(PermissionDenied, match="không còn hiệu lực"):
        register()


def test_login(services, desk_user) -> None:
    assert services.accounts.login(" TiepNhan ", "matkhau-123").user_id == desk_user.user_id
    for name, password in (("tiepnhan", "sai-mat-khau"), ("khongco", "matkhau-123")):
        with pytest.raises(PermissionDenied, match="Tên đăng nhập hoặc mật khẩu không đúng"):
            services.accounts.login(name, password)


@pytest.fixture
def stranger(services):
    """A user of another office, created directly in the database."""
    with services.db.write() as s:
        office = Office(code="000.17.22.H56", name="UBND xã Khác", sessions="07:00-11:30,13:30-17:00",
                        cutoff="15:00", warning_minutes=480, supplement_mode="restart", signers=[], settings={})
        s.add(office)
        s.flush()
        unit = Unit(office_id=office.id, name="Bộ phận Một cửa xã Khác")
        s.add(unit)
        s.flush()
        user = User(office_id=office.id, unit_id=unit.id, username="nguoila", full_name="Người Lạ",
                    role=str(Role.ADMIN), password_hash=hash_password("matkhau-123"))
        s.add(user)
        s.flush()
        s.refresh(user)
        return actor_of(user)


def test_a_user_of_another_office_is_refused(services, admin, register, stranger, rows_in) -> None:
    code = register().code
    events = rows_in(CaseEvent)
    with pytest.raises(PermissionDenied, match="cơ quan khác"):
        services.workflow.record_result(stranger, code)
    with pytest.raises(PermissionDenied, match="cơ quan khác"):
        services.workflow.refuse(stranger, code, "Không")
    with pytest.raises(PermissionDenied, match="cơ quan khác"):
        services.casefile.detail(stranger, code)
    with pytest.raises(NotFound):
        services.workflow.transfer(admin, code, stranger.unit_id)  # not a unit of this office
    assert services.queue.list(stranger, QueueFilter()) == []
    assert services.queue.count(stranger, QueueFilter(text=code)) == 0
    assert rows_in(CaseEvent) == events
    assert case_row(services, code).status == "received"


# ====================================================================================== queue
@pytest.fixture
def two_cases(services, register, make_procedure, desk_user):
    """Received Mon 03/03/2025 08:00: 3 working days (due Thu 08:00, amber from Wed 08:00) and 1 working day
    (due Tue 08:00; its window is capped at half the time: amber from Mon 14:00)."""
    one_day = make_procedure(1, "working_days")
    return register("Nguyễn Văn Ba").code, register("Trần Thị Một", procedure_id=one_day).code


def colours(services, actor) -> dict[str, Colour]:
    return {r.code: r.colour for r in services.queue.list(actor, QueueFilter())}


@pytest.mark.parametrize(("now", "three", "one"), [
    (datetime(2025, 3, 3, 9, 0), Colour.GREEN, Colour.GREEN),
    (datetime(2025, 3, 3, 13, 59), Colour.GREEN, Colour.GREEN),
    (datetime(2025, 3, 3, 14, 0), Colour.GREEN, Colour.AMBER),
    (datetime(2025, 3, 4, 8, 0), Colour.GREEN, Colour.AMBER),  # due 08:00 itself is not past due
    (datetime(2025, 3, 4, 8, 1), Colour.GREEN, Colour.RED),
    (datetime(2025, 3, 5, 7, 59), Colour.GREEN, Colour.RED),
    (datetime(2025, 3, 5, 8, 0), Colour.AMBER, Colour.RED),
    (datetime(2025, 3, 6, 8, 1), Colour.RED, Colour.RED),
])
def test_queue_colours_move_with_the_clock(services, admin, two_cases, clock, now, three, one) -> None:
    clock.set(now)
    code3, code1 = two_cases
    assert colours(services, admin) == {code3: three, code1: one}
    counts = services.queue.colour_counts(admin, QueueFilter())
    assert counts == {c: [three, one].count(c) for c in Colour}
    for c in Colour:  # filtering by colour happens in SQL and must agree with the rows
        assert services.queue.count(admin, QueueFilter(colour=c)) == counts[c]
    assert services.casefile.detail(admin, code3).colour is three


def test_waiting_for_the_applicant_is_grey_and_finished_cases_leave_the_queue(services, admin, two_cases,
                                                                               desk_user, clock) -> None:
    code3, code1 = two_cases
    services.workflow.request_supplement(desk_user, code3, "Thiếu", [])
    services.workflow.record_result(desk_user, code1)
    clock.set(datetime(2025, 3, 20, 9, 0))  # long past any due: still grey while waiting
    rows = services.queue.list(admin, QueueFilter())
    assert [(r.code, r.colour, r.remaining_text) for r in rows] == [(code3, Colour.GREY, "đang chờ bổ sung")]
    assert services.queue.colour_counts(admin, QueueFilter())[Colour.GREY] == 1
    everything = services.queue.list(admin, QueueFilter(open_only=False))
    done = next(r for r in everything if r.code == code1)
    assert done.colour is None and done.remaining_text == "trước hạn"


def test_remaining_time_words(services, admin, two_cases, clock) -> None:
    code3, code1 = two_cases
    clock.set(datetime(2025, 3, 3, 9, 40))
    rows = {r.code: r for r in services.queue.list(admin, QueueFilter())}
    assert (rows[code3].remaining_minutes, rows[code3].remaining_text) == (1340, "còn 2 ngày 6 giờ")
    assert (rows[code1].remaining_minutes, rows[code1].remaining_text) == (380, "còn 6 giờ 20 phút")
    clock.set(datetime(2025, 3, 7, 9, 0))
    rows = {r.code: r for r in services.queue.list(admin, QueueFilter())}
    assert rows[code1].remaining_text == "quá hạn 3 ngày"


@pytest.fixture
def people(register, clock):
    made = {
        "an": register("Nguyễn Văn Ấn", applicant_phone="0912345678", applicant_id_number="001234567890"),
        "anh": register("Lê Văn Anh", applicant_phone="0987654321"),
        "binh": register("Trần Thị Bình", owner_name="Đặng Văn Đức", applicant_id_number="079012345678"),
    }
    clock.set(datetime(2025, 3, 4, 10, 0))
    made["cuong"] = register("Phạm Cường")
    return {k: v.code for k, v in made.items()}


@pytest.mark.parametrize(("text", "expected"), [
    ("nguyen van an", {"an"}),
    ("NGUYỄN VĂN ẤN", {"an"}),
    ("  van   an ", {"an", "anh"}),  # a one- or two-letter word must start a word: "an" is not found in "Đặng"
    ("0912345678", {"an"}),
    ("0912 345 678", {"an"}),
    ("001234567890", {"an"}),
    ("0790", {"binh"}),
    ("dang van duc", {"binh"}),  # the owner is searchable too; đ folds to d
    ("Đức", {"binh"}),
    ("250304", {"cuong"}),
    ("h10-250303-0002", {"anh"}),
    ("-0001", {"an", "cuong"}),
    ("100%", set()),
    ("", {"an", "anh", "binh", "cuong"}),
])
@pytest.mark.parametrize("open_only", [True, False], ids=["queue", "every-case"])  # False: the search index
def test_search_without_diacritics(services, admin, people, text, expected, open_only) -> None:
    found = {r.code for r in services.queue.list(admin, QueueFilter(text=text, open_only=open_only))}
    assert found == {people[k] for k in expected}


@pytest.mark.parametrize("open_only", [True, False], ids=["queue", "every-case"])
def test_a_search_word_must_occur_whole_not_as_scattered_trigrams(services, admin, register, open_only) -> None:
    """'abcx bcd' holds both trigrams of 'abcd' but not the word: the trigram index keeps no positions, so
    each candidate must be confirmed against its text."""
    scattered, whole = register("Abcx Bcd").code, register("Abcd Lê").code
    found = {r.code for r in services.queue.list(admin, QueueFilter(text="abcd", open_only=open_only))}
    assert found == {whole} and scattered not in found


def test_sort_orders(services, admin, people, desk_user, make_procedure, register) -> None:
    """Now Tue 04/03 10:00: 'som' is due today, 'xa' in 20 days, 'an' waits for papers."""
    som = register("Vũ Sớm", procedure_id=make_procedure(None, "same_day")).code
    xa = register("Hồ Xa", procedure_id=make_procedure(20, "working_days")).code
    services.workflow.request_supplement(desk_user, people["an"], "Thiếu", [])
    name_of = {v: k for k, v in people.items()} | {som: "som", xa: "xa"}

    def order(**kw) -> list[str]:
        return [name_of[r.code] for r in services.queue.list(admin, QueueFilter(), **kw)]

    assert order() == ["som", "anh", "binh", "cuong", "xa", "an"]  # urgency: due first, waiting last
    assert order(descending=True) == order()  # urgency has one direction
    assert order(sort="due_at") == ["som", "an", "anh", "binh", "cuong", "xa"]
    assert order(sort="received_at") == ["an", "anh", "binh", "cuong", "som", "xa"]
    assert order(sort="received_at", descending=True) == ["cuong", "som", "xa", "an", "anh", "binh"]
    assert order(sort="applicant") == ["xa", "anh", "an", "cuong", "binh", "som"]  # Hồ, Lê, Nguyễn, Phạm, Trần, Vũ
    assert order(sort="applicant", descending=True) == ["som", "binh", "cuong", "an", "anh", "xa"]
    assert order(sort="code") == ["an", "anh", "binh", "cuong", "som", "xa"]
    assert order(sort="unit") == order(sort="code")  # all at the desk: ties keep id order
    assert len(services.queue.ids(admin, QueueFilter(), limit=2)) == 2


def test_queue_filters(services, admin, people, desk_user, units) -> None:
    services.workflow.transfer(desk_user, people["binh"], units["tu_phap"])
    assert {r.code for r in services.queue.list(admin, QueueFilter(unit_id=units["tu_phap"]))} == {people["binh"]}
    assert services.queue.count(admin, QueueFilter(status=Status.PROCESSING)) == 1
    assert services.queue.count(admin, QueueFilter(officer_id=desk_user.user_id)) == 4
    assert services.queue.fields(admin) == ["Hộ tịch"]
    assert services.queue.changed_since(admin, datetime(2025, 3, 4, 9, 0))
    assert not services.queue.changed_since(admin, datetime(2025, 3, 4, 11, 0))


# ====================================================================================== catalogue
def test_catalogue_import_from_the_shipped_csv(services, admin, rows_in) -> None:
    report = services.catalogue.import_file(admin, CSV)
    assert (report.rows, report.new, report.updated, report.unchanged) == (588, 588, 0, 0)
    assert rows_in(Procedure) == 588
    with services.db.read() as s:
        flagged = s.execute(select(Procedure.code).where(Procedure.needs_review.is_(True))).scalars().all()
        unclear = s.get(Procedure, s.execute(select(Procedure.id).where(Procedure.code == "1.000005")).scalar_one())
        birth = s.execute(select(Procedure).where(Procedure.code == "1.001193")).scalar_one()
        death = s.execute(select(Procedure).where(Procedure.code == "1.000314")).scalar_one()
    assert report.needs_review == len(flagged) > 0
    assert unclear.needs_review and unclear.direct_unit is None and unclear.review_note  # '?120,000' on the portal
    assert birth.needs_review and birth.direct_unit is None and "Thiếu đơn vị" in birth.review_note  # a bare '1'
    assert not death.needs_review and (death.direct_amount, death.direct_unit) == (7, "working_days")
    hits = services.catalogue.search(admin, "dang ky khai sinh")
    assert "1.001193" in {p.code for p in hits}


def test_catalogue_reimport_changes_nothing(services, admin, rows_in) -> None:
    services.catalogue.import_file(admin, CSV)
    with services.db.read() as s:
        before = {p.code: (p.name, p.direct_amount, p.direct_unit, p.needs_review)
                  for p in s.execute(select(Procedure)).scalars()}
    again = services.catalogue.import_file(admin, CSV)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 588)
    with services.db.read() as s:
        after = {p.code: (p.name, p.direct_amount, p.direct_unit, p.needs_review)
                 for p in s.execute(select(Procedure)).scalars()}
    assert after == before


def test_catalogue_dry_run_writes_nothing(services, admin, rows_in) -> None:
    audit = rows_in(AuditEntry)
    report = services.catalogue.import_file(admin, CSV, dry_run=True)
    assert report.dry_run and report.new == 588
    assert (rows_in(Procedure), rows_in(AuditEntry)) == (0, audit)


def test_catalogue_import_keeps_an_administrators_confirmed_time(services, admin) -> None:
    services.catalogue.import_file(admin, CSV)
    pid = services.catalogue.get(admin, code="1.000005").id
    services.catalogue.save(admin, pid, code="1.000005", name="Thủ tục hải quan (đã xác nhận)",
                            durations={"direct": (5, "working_days")})
    services.catalogue.import_file(admin, CSV)
    view = services.catalogue.get(admin, code="1.000005")
    assert not view.needs_review and view.durations["direct"] == "5 ngày làm việc"


def test_catalogue_import_from_a_portal_workbook(services, admin, rows_in) -> None:
    path = XLSX_DIR / "danh-sach-tthc-BoTuPhap.xlsx"
    if not path.is_file():
        pytest.skip(f"shared portal workbook not present: {path}")
    codes = {r.code for r in read_catalogue(path).records}
    report = services.catalogue.import_file(admin, path)
    assert report.rows == 271
    assert report.new == rows_in(Procedure) == len(codes)
    assert report.new + report.updated + report.unchanged == report.rows
    again = services.catalogue.import_file(admin, path)
    assert (again.new, again.updated) == (0, 0)
    assert rows_in(Procedure) == len(codes)


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


@pytest.mark.parametrize("text", ["", "nguyen", "van an", "0912"])
def test_ids_and_counts_agree_with_the_separate_queries(services, admin, people, clock, text) -> None:
    """The one-pass search answer is exactly the two separate answers (ids in order, counts per colour)."""
    from tthc_desk.services.queue import QueueFilter

    clock.set(datetime(2025, 3, 10, 9, 0))
    flt = QueueFilter(text=text)
    ids, counts = services.queue.ids_and_counts(admin, flt)
    assert ids == services.queue.ids(admin, flt)
    assert counts == services.queue.colour_counts(admin, flt)
