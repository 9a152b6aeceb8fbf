"""Users tab (create with a Vietnamese name typed per character, reset password, role) and units tab."""

from __future__ import annotations

from tthc_desk.domain import Role
from ui.settings import SettingsPage
from ui.settings.units_tab import UnitDialog
from ui.settings.user_dialogs import PASSWORDS_DIFFER, NewUserDialog, ResetPasswordDialog, RoleDialog
from ui.settings.users_tab import UserTableModel

FULL_NAME = "Nguyễn Thị Ánh Tuyết"


def test_create_user_with_vietnamese_name(qtbot, services, admin, monkeypatch, type_vietnamese):
    unit_id = services.accounts.save_unit(admin, "Phòng Tư pháp", kind="phòng ban")
    page = SettingsPage(services, admin)
    qtbot.addWidget(page)
    attempts = []

    def fill(dialog: NewUserDialog):
        qtbot.keyClicks(dialog.username, "tuyet.nt")  # ASCII only through keyClicks
        type_vietnamese(dialog.full_name, FULL_NAME)
        type_vietnamese(dialog.title, "Công chức Tư pháp - Hộ tịch")
        dialog.role.setCurrentIndex(dialog.role.findData(str(Role.SPECIALIST)))
        dialog.unit.setCurrentIndex(dialog.unit.findData(unit_id))
        qtbot.keyClicks(dialog.password, "matkhau1")
        qtbot.keyClicks(dialog.password2, "matkhau2")
        dialog.accept()  # mismatch: stays open with the message
        attempts.append(dialog.error.text())
        dialog.password2.clear()
        qtbot.keyClicks(dialog.password2, "matkhau1")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(NewUserDialog, "exec", fill)
    page.users.new_button.click()

    assert attempts == [PASSWORDS_DIFFER]
    model = page.users.model
    names = [model.data(model.index(r, UserTableModel.COL_NAME)) for r in range(model.rowCount())]
    assert FULL_NAME in names
    created = services.accounts.login("tuyet.nt", "matkhau1")
    assert (created.full_name, created.role, created.unit_id) == (FULL_NAME, Role.SPECIALIST, unit_id)


def test_reset_password_and_lock_user(qtbot, services, admin, desk_officer, monkeypatch):
    page = SettingsPage(services, admin)
    qtbot.addWidget(page)
    tab = page.users
    row = next(r for r in range(tab.model.rowCount()) if tab.model.row_at(r).username == "tiepnhan9")
    tab.view.setCurrentIndex(tab.proxy.mapFromSource(tab.model.index(row, 0)))

    def new_password(dialog: ResetPasswordDialog):
        dialog.password.setText("moi-123456")
        dialog.password2.setText("moi-123456")
        dialog.accept()
        return dialog.result()

    def lock(dialog: RoleDialog):
        dialog.role.setCurrentIndex(dialog.role.findData(str(Role.LEADER)))
        dialog.active.setChecked(False)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(ResetPasswordDialog, "exec", new_password)
    monkeypatch.setattr(RoleDialog, "exec", lock)
    tab.password_button.click()
    assert services.accounts.login("tiepnhan9", "moi-123456").username == "tiepnhan9"
    tab.role_button.click()
    account = next(u for u in services.accounts.list_accounts(admin) if u.username == "tiepnhan9")
    assert account.role is Role.LEADER and not account.active
    row = next(r for r in range(tab.model.rowCount()) if tab.model.row_at(r).username == "tiepnhan9")
    assert tab.model.data(tab.model.index(row, UserTableModel.COL_ACTIVE)) == "Đã khóa"


def test_add_rename_and_move_unit(qtbot, services, admin, monkeypatch, type_vietnamese):
    group = services.accounts.save_unit(admin, "UBND các xã", kind="nhóm")
    page = SettingsPage(services, admin)
    qtbot.addWidget(page)
    tab = page.units
    tab.view.setCurrentIndex(tab.model.index_of(group))

    def add(dialog: UnitDialog):
        assert dialog.parent_unit.currentData() == group  # added under the selected unit
        type_vietnamese(dialog.name, "UBND xã Bình Tân")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(UnitDialog, "exec", add)
    tab.add_button.click()
    new_id = next(u["id"] for u in services.accounts.list_units(admin) if u["name"] == "UBND xã Bình Tân")
    index = tab.model.index_of(new_id)
    assert index.parent() == tab.model.index_of(group)

    def rename_and_move(dialog: UnitDialog):
        dialog.name.setText("UBND xã Bình Tân (mới)")
        dialog.parent_unit.setCurrentIndex(dialog.parent_unit.findData(None))
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(UnitDialog, "exec", rename_and_move)
    tab.view.setCurrentIndex(index)
    tab.edit_button.click()
    unit = next(u for u in services.accounts.list_units(admin) if u["id"] == new_id)
    assert unit["name"] == "UBND xã Bình Tân (mới)" and unit["parent_id"] is None
    assert not tab.model.index_of(new_id).parent().isValid()
