"""What AccountService refuses: an unknown role (from any caller), names too long for their column. A refusal
is a ValidationError with a Vietnamese message the window and the command line show, and nothing is written."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tthc_desk.domain import Role
from tthc_desk.errors import ValidationError
from tthc_desk.storage.models import AuditEntry, Unit, User


def _state(services, admin) -> tuple:
    """Every account as the administrator's list shows it, the units, and the number of audit lines."""
    with services.db.read() as s:
        audit = s.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
        users = s.execute(select(func.count()).select_from(User)).scalar_one()
        units = s.execute(select(func.count()).select_from(Unit)).scalar_one()
    return services.accounts.list_accounts(admin), services.accounts.list_units(admin), (audit, users, units)


@pytest.mark.parametrize("role", ["boss", "", None, "Quản trị"])
def test_set_role_refuses_an_unknown_role_and_changes_nothing(services, admin, desk_user, role) -> None:
    before = _state(services, admin)
    with pytest.raises(ValidationError, match="Vai trò '.*' không hợp lệ; chỉ dùng: desk") as caught:
        services.accounts.set_role(admin, desk_user.user_id, role, desk_user.unit_id, active=False)
    assert caught.value.field == "role"
    # the administrator's own account: the role is checked before "không thể tự bỏ quyền quản trị"
    with pytest.raises(ValidationError, match="Vai trò '.*' không hợp lệ"):
        services.accounts.set_role(admin, admin.user_id, role, admin.unit_id)
    assert _state(services, admin) == before


def test_set_role_takes_a_role_typed_with_capitals_and_spaces(services, admin, desk_user) -> None:
    services.accounts.set_role(admin, desk_user.user_id, "  Leader ", desk_user.unit_id)
    account = next(u for u in services.accounts.list_accounts(admin) if u.user_id == desk_user.user_id)
    assert account.role is Role.LEADER and account.active


def test_create_user_names_the_roles_there_are(services, admin) -> None:
    before = _state(services, admin)
    with pytest.raises(ValidationError, match="Vai trò 'boss' không hợp lệ; chỉ dùng: desk \\(Cán bộ tiếp nhận\\)"):
        services.accounts.create_user(admin, "moi", "Người mới", "boss", "matkhau-123")
    assert _state(services, admin) == before


@pytest.mark.parametrize(("call", "message"), [
    (lambda a, admin: a.create_user(admin, "moi", "Nguyễn " * 40, Role.DESK, "matkhau-123"), "Họ tên dài quá 255 ký tự"),
    (lambda a, admin: a.create_user(admin, "moi", "Người mới", Role.DESK, "matkhau-123", title="x" * 256),
     "Chức danh dài quá 255 ký tự"),
    (lambda a, admin: a.save_unit(admin, "Phòng " * 50), "Tên đơn vị dài quá 255 ký tự"),
    (lambda a, admin: a.save_unit(admin, "Phòng Văn hóa", kind="phòng chuyên môn thuộc Ủy ban nhân dân xã"),
     "Loại đơn vị dài quá 40 ký tự"),
    (lambda a, admin: a.save_unit(admin, "Phòng Văn hóa", code="VH-" + "0" * 40), "Mã đơn vị dài quá 40 ký tự"),
], ids=["full-name", "title", "unit-name", "unit-kind", "unit-code"])
def test_text_too_long_for_its_column_is_refused_and_nothing_written(services, admin, call, message) -> None:
    before = _state(services, admin)
    with pytest.raises(ValidationError, match=message):
        call(services.accounts, admin)
    assert _state(services, admin) == before
