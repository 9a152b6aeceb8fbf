"""Rights, checked in the services: roles, deactivated users, logins, users of another office."""

from __future__ import annotations

from datetime import datetime

import pytest
from svchelpers import OFFICE, case_row

from tthc_desk.domain import Role, Status
from tthc_desk.errors import NotFound, PermissionDenied
from tthc_desk.paths import resource_path
from tthc_desk.services.accounts import actor_of, hash_password
from tthc_desk.services.calendar_service import DayChange
from tthc_desk.services.intake import IntakeForm
from tthc_desk.services.office import OfficeSettings
from tthc_desk.services.queue import QueueFilter
from tthc_desk.storage.models import (
    AuditEntry,
    CaseEvent,
    Office,
    Procedure,
    Unit,
    User,
)

CSV = resource_path("data", "thu_tuc_cap_xa.csv")


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
