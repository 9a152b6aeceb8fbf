"""The 'Người dùng' tab: the office's users, create one, reset a password, change role / unit / active."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tthc_desk.services.accounts import UserAccount
from tthc_desk.services.base import Actor
from tthc_desk.services.rights import Action
from ui import dialogs
from ui.keys import keyed
from ui.settings.common import attempt, guard
from ui.settings.editors import ROW_ROLE, SORT_ROLE, ListTableModel
from ui.settings.user_dialogs import NewUserDialog, ResetPasswordDialog, RoleDialog

INACTIVE_BRUSH = QBrush(QColor("#888888"))


class UserTableModel(ListTableModel):
    COL_USERNAME, COL_NAME, COL_TITLE, COL_ROLE, COL_UNIT, COL_ACTIVE = range(6)
    HEADERS = ("Tên đăng nhập", "Họ và tên", "Chức danh", "Vai trò", "Đơn vị", "Trạng thái")

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        u = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            return (u.username, u.full_name, u.title, u.role.label, u.unit_name,
                    "Đang dùng" if u.active else "Đã khóa")[index.column()]
        if role == ROW_ROLE:
            return u
        if role == Qt.ItemDataRole.ForegroundRole and not u.active:
            return INACTIVE_BRUSH
        return None


class UsersTab(QWidget):
    def __init__(self, services, actor: Actor, parent=None) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.model = UserTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setSortLocaleAware(True)
        self._build_ui()
        self.new_button.clicked.connect(self._on_new_clicked)
        self.password_button.clicked.connect(self._on_password_clicked)
        self.role_button.clicked.connect(self._on_role_clicked)
        self.view.doubleClicked.connect(self._on_role_clicked)
        guard(actor, Action.EDIT_USERS, (self.new_button, self.password_button, self.role_button))
        self.reload()

    def _build_ui(self) -> None:
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(UserTableModel.COL_NAME, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(26)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.new_button = QPushButton(keyed("Thêm người dùng…", "T"))
        self.password_button = QPushButton(keyed("Đặt lại mật khẩu…", "K"))
        self.role_button = QPushButton(keyed("Vai trò, đơn vị, khóa…", "R"))
        buttons = QHBoxLayout()
        for b in (self.new_button, self.password_button, self.role_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

    def reload(self) -> None:
        self.model.set_rows(attempt(self, self.services.accounts.list_accounts, self.actor) or [])

    def selected(self) -> UserAccount | None:
        index = self.view.currentIndex()
        return self.model.row_at(self.proxy.mapToSource(index).row()) if index.isValid() else None

    def _units(self) -> list[dict]:
        return attempt(self, self.services.accounts.list_units, self.actor) or []

    def _on_new_clicked(self) -> None:
        if NewUserDialog(self.services, self.actor, self._units(), self).exec() == QDialog.DialogCode.Accepted:
            self.reload()

    def _on_password_clicked(self) -> None:
        user = self.selected()
        if user is None:
            return
        if ResetPasswordDialog(self.services, self.actor, user, self).exec() == QDialog.DialogCode.Accepted:
            dialogs.info(self, "Người dùng", f"Đã đặt lại mật khẩu cho {user.full_name}.")

    def _on_role_clicked(self) -> None:
        user = self.selected()
        if user is not None and self.role_button.isEnabled():
            if RoleDialog(self.services, self.actor, user, self._units(), self).exec() == QDialog.DialogCode.Accepted:
                self.reload()
