"""The login dialog: user name and password checked by AccountService; the actor is the result."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from tthc_desk.errors import DeskError
from tthc_desk.services.actor import Actor
from ui.i18n import tr
from ui.keys import keyed

if TYPE_CHECKING:
    from tthc_desk.services import Services


class LoginDialog(QDialog):
    def __init__(self, services: Services, username: str = "", password: str = "", hint: str = "",
                 office_name: str = "", parent=None,
                 quick_login: Callable[[str, str], Actor | None] | None = None) -> None:
        """`quick_login`: tried first while the services are still loading (desk_main's start-up plan); None from it
        (unknown user, wrong password, no plan) leaves the answer to the services."""
        super().__init__(parent)
        self.services = services
        self.quick_login = quick_login
        self.actor: Actor | None = None
        self.setWindowTitle(tr("Đăng nhập — TTHC Desk"))
        self._build_ui(username, password, hint, office_name)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def _build_ui(self, username: str, password: str, hint: str, office_name: str) -> None:
        layout = QVBoxLayout(self)
        title = QLabel(office_name or tr("Bộ phận Một cửa"), self)
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        form = QFormLayout()
        self.username = QLineEdit(username, self)
        self.password = QLineEdit(password, self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(keyed(tr("Tên đăng nhập:"), "T"), self.username)  # (the row's label goes to its field)
        form.addRow(keyed(tr("Mật khẩu:"), "M"), self.password)
        layout.addLayout(form)
        self.hint = QLabel(hint, self, wordWrap=True)
        self.hint.setVisible(bool(hint))
        layout.addWidget(self.hint)
        self.error = QLabel(self, wordWrap=True)
        self.error.setObjectName("fieldError")
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Đăng nhập"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Thoát"))
        layout.addWidget(self.buttons)
        self.setMinimumWidth(380)
        (self.password if username else self.username).setFocus()

    def accept(self) -> None:
        """Check the credentials; a refusal stays in the dialog with the core's message."""
        username, password = self.username.text(), self.password.text()  # as typed: the core cleans the name
        if self.quick_login is not None and not getattr(self.services, "ready", True):
            self.actor = self.quick_login(username, password)
            if self.actor is not None:
                super().accept()
                return
        try:
            self.actor = self.services.accounts.login(username, password)
        except DeskError as exc:
            self.error.setText(exc.message)
            self.password.selectAll()
            self.password.setFocus()
            return
        super().accept()
