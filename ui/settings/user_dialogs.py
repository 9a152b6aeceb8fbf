"""Dialogs for the users tab: create a user, reset a password, change role / unit / active."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QFormLayout, QLabel, QLineEdit

from tthc_desk.domain import Role
from tthc_desk.errors import DeskError
from tthc_desk.services.accounts import UserAccount
from tthc_desk.services.base import Actor
from ui.keys import keyed
from ui.settings.common import button_box, error_label, show_inline

PASSWORDS_DIFFER = "Hai lần nhập mật khẩu không giống nhau."


def role_combo(current: Role | None = None) -> QComboBox:
    combo = QComboBox()
    for role in Role:
        combo.addItem(role.label, str(role))
    combo.setCurrentIndex(max(0, combo.findData(str(current or Role.DESK))))
    return combo


def unit_combo(units: list[dict], current: int | None) -> QComboBox:
    combo = QComboBox()
    combo.addItem("(không thuộc đơn vị nào)", None)
    for u in units:
        combo.addItem(u["name"], u["id"])
    combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


def password_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class _ServiceDialog(QDialog):
    """A form dialog whose OK calls `self.save()`; a DeskError is shown inline and the dialog stays open."""

    def __init__(self, services, actor: Actor, title: str, parent=None) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.setWindowTitle(title)
        self.error = error_label()
        self.form = QFormLayout(self)
        self.resize(480, 0)

    def finish_form(self, ok: str = "Lưu") -> None:
        self.form.addRow(self.error)
        self.form.addRow(button_box(self, ok=ok))

    def save(self) -> None:
        raise NotImplementedError

    def accept(self) -> None:
        try:
            self.save()
        except DeskError as exc:
            show_inline(self.error, exc.message)
            return
        super().accept()


class NewUserDialog(_ServiceDialog):
    def __init__(self, services, actor: Actor, units: list[dict], parent=None) -> None:
        super().__init__(services, actor, "Thêm người dùng", parent)
        self.created: UserAccount | None = None
        self.username = QLineEdit(placeholderText="chữ thường không dấu, ví dụ: tiepnhan4")
        self.full_name, self.title = QLineEdit(), QLineEdit(placeholderText="ví dụ: Công chức Tư pháp - Hộ tịch")
        self.role, self.unit = role_combo(), unit_combo(units, actor.unit_id)
        self.password, self.password2 = password_edit(), password_edit()
        for label, w in (("Tên đăng nhập", self.username), ("Họ và tên", self.full_name),
                         ("Chức danh", self.title), ("Vai trò", self.role), ("Đơn vị", self.unit),
                         ("Mật khẩu", self.password), ("Nhập lại mật khẩu", self.password2)):
            self.form.addRow(label, w)
        self.finish_form("Tạo người dùng")

    def save(self) -> None:
        if self.password.text() != self.password2.text():
            raise DeskError(PASSWORDS_DIFFER, field="password")
        self.created = self.services.accounts.create_user(
            self.actor, self.username.text(), self.full_name.text(), self.role.currentData(),
            self.password.text(), unit_id=self.unit.currentData(), title=self.title.text())


class ResetPasswordDialog(_ServiceDialog):
    def __init__(self, services, actor: Actor, user: UserAccount, parent=None) -> None:
        super().__init__(services, actor, "Đặt lại mật khẩu", parent)
        self.user = user
        self.password, self.password2 = password_edit(), password_edit()
        self.form.addRow(QLabel(f"Người dùng: {user.full_name} ({user.username})"))
        self.form.addRow("Mật khẩu mới", self.password)
        self.form.addRow("Nhập lại mật khẩu", self.password2)
        self.finish_form("Đặt lại")

    def save(self) -> None:
        if self.password.text() != self.password2.text():
            raise DeskError(PASSWORDS_DIFFER, field="password")
        self.services.accounts.reset_password(self.actor, self.user.user_id, self.password.text())


class RoleDialog(_ServiceDialog):
    def __init__(self, services, actor: Actor, user: UserAccount, units: list[dict], parent=None) -> None:
        super().__init__(services, actor, "Vai trò và đơn vị", parent)
        self.user = user
        self.role, self.unit = role_combo(user.role), unit_combo(units, user.unit_id)
        self.active = QCheckBox(keyed("Tài khoản đang được dùng (bỏ chọn để khóa)", "T"))
        self.active.setChecked(user.active)
        self.form.addRow(QLabel(f"Người dùng: {user.full_name} ({user.username})"))
        self.form.addRow("Vai trò", self.role)
        self.form.addRow("Đơn vị", self.unit)
        self.form.addRow(self.active)
        self.finish_form()

    def save(self) -> None:
        self.services.accounts.set_role(self.actor, self.user.user_id, self.role.currentData(),
                                        self.unit.currentData(), self.active.isChecked())
