"""The first run of a new database: the office's name, code and letterhead, who signs its letters, the
administrator's own password, and the commune-level catalogue — one window, one transaction
(`OfficeService.first_setup`), so that the first case can be registered and its receipt printed at once.

"Để sau" keeps the generated password (shown in the window) and the default office; everything here can also
be changed later in Danh mục / Cài đặt."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tthc_desk.errors import DeskError
from tthc_desk.paths import bundled_catalogue
from tthc_desk.services.office import DEFAULT_OFFICE, OfficeSettings, head_signer
from ui.keys import keyed
from ui.settings.common import ERROR_STYLE, error_label, show_inline

INTRO = ("Cơ sở dữ liệu mới vừa được tạo. Khai báo thông tin cơ quan để biên nhận và văn bản in đúng tiêu đề,\n"
         "đặt mật khẩu quản trị, rồi đăng nhập và tiếp nhận hồ sơ đầu tiên.\n"
         "Mọi mục đều sửa lại được trong Danh mục / Cài đặt.")  # lines of its own: a wrapped label squeezes the form


class FirstRunDialog(QDialog):
    """`services` and the administrator `actor` of a database `ensure_office` has just created, with the
    password it generated (kept when the user chooses "Để sau")."""

    def __init__(self, services, actor, generated_password: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor, self.generated_password = services, actor, generated_password
        self.password_set = False  # whether the administrator's password is now the one typed here
        self.report = None  # the catalogue import's report, when it was loaded
        self.setWindowTitle("Thiết lập lần đầu — TTHC Desk")
        self._build()
        self.start_button.clicked.connect(self.start)
        self.later_button.clicked.connect(self.reject)
        for w in (self.parent_body, self.head_title, self.head_name):
            w.textChanged.connect(self._show_signature)
        self._show_signature()
        self.name.setFocus()

    def _build(self) -> None:
        self.name = QLineEdit(placeholderText="Bộ phận Một cửa xã An Bình")
        self.code = QLineEdit(placeholderText="000.00.17.H10")
        self.place_name = QLineEdit(placeholderText="An Bình")
        self.parent_body = QPlainTextEdit(placeholderText="ỦY BAN NHÂN DÂN\nXÃ AN BÌNH")
        self.parent_body.setTabChangesFocus(True)
        lines = self.parent_body.fontMetrics().lineSpacing() * 2  # two printed lines, both in sight
        self.parent_body.setFixedHeight(lines + 2 * int(self.parent_body.document().documentMargin()) + 8)
        self.issuing_body = QLineEdit(DEFAULT_OFFICE.issuing_body)
        self.head_title = QLineEdit("CHỦ TỊCH")
        self.head_name = QLineEdit(placeholderText="Họ và tên người ký")
        self.signature = QLabel()
        self.signature.setStyleSheet("color: #444;")
        self.password = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.password_again = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.catalogue = QCheckBox(keyed("Nạp danh mục thủ tục hành chính cấp xã có sẵn (588 thủ tục)", "P"))
        self.catalogue.setChecked(True)
        self.error = error_label()
        self.later_button = QPushButton(keyed("Để sau", "S"))
        self.start_button = QPushButton(keyed("Bắt đầu sử dụng", "B"))
        self.start_button.setDefault(True)
        self._lay_out()

    def _lay_out(self) -> None:
        office = QFormLayout()
        for text, key, w in (("Tên cơ quan", "T", self.name), ("Mã định danh", "M", self.code),
                             ("Địa danh ghi ngày tháng", "D", self.place_name),
                             ("Cơ quan chủ quản (mỗi dòng một dòng in)", "C", self.parent_body),
                             ("Cơ quan ban hành", "N", self.issuing_body)):
            office.addRow(_label(text, key, w), w)
        signer = QFormLayout()
        signer.addRow(_label("Chức danh", "H", self.head_title), self.head_title)
        signer.addRow(_label("Họ và tên", "V", self.head_name), self.head_name)
        signer.addRow("Khi in", self.signature)
        account = QFormLayout()
        account.addRow("Tên đăng nhập", QLabel("<b>admin</b>"))
        account.addRow(_label("Mật khẩu mới", "K", self.password), self.password)
        account.addRow(_label("Nhập lại mật khẩu", "L", self.password_again), self.password_again)
        _same_label_width(office, signer, account)
        later = QLabel(f"Nếu bấm “Để sau”: mật khẩu tạm là <b>{self.generated_password}</b> — hãy ghi lại.")
        later.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        intro = QLabel(INTRO)
        buttons = QHBoxLayout()
        buttons.addWidget(self.later_button)
        buttons.addStretch(1)
        buttons.addWidget(self.start_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(_group("Cơ quan và tiêu đề văn bản", office))
        layout.addWidget(_group("Người ký văn bản của cơ quan", signer))
        layout.addWidget(_group("Tài khoản quản trị", account))
        layout.addWidget(self.catalogue)
        layout.addWidget(later)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetMinimumSize)  # grows with the error line

    def _signers(self) -> list[dict]:
        return head_signer(self.parent_body.toPlainText(), self.head_title.text(), self.head_name.text())

    def _show_signature(self) -> None:
        signers = self._signers()
        if not signers:
            self.signature.setText("(chưa có người ký)")
            return
        sg = signers[0]
        first = f"{sg['prefix']} {sg['authority']}".strip()
        self.signature.setText(" / ".join(x for x in (first, sg["title"], sg["name"]) if x))

    def settings(self) -> OfficeSettings:
        """The office as typed (not yet validated); the rest keeps the defaults the settings page shows."""
        return OfficeSettings(name=self.name.text(), code=self.code.text(), place_name=self.place_name.text(),
                              parent_body=self.parent_body.toPlainText(), issuing_body=self.issuing_body.text(),
                              signers=self._signers())

    def start(self) -> None:
        if self.password.text() != self.password_again.text():
            self._mark("Hai lần nhập mật khẩu không giống nhau.", "password_again")
            return
        catalogue = bundled_catalogue() if self.catalogue.isChecked() else None
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # the catalogue: about a second
        try:
            self.report = self.services.office.first_setup(self.actor, self.settings(), self.password.text(),
                                                           catalogue=catalogue)
        except DeskError as exc:
            self._mark(exc.message, exc.field)
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.password_set = True
        self.accept()

    def _mark(self, message: str, field: str | None) -> None:
        """The message above the buttons, the field it is about outlined and focused."""
        self.error.setStyleSheet(ERROR_STYLE)
        show_inline(self.error, message)
        widgets = {"name": self.name, "code": self.code, "password": self.password,
                   "password_again": self.password_again}
        for key, w in widgets.items():
            w.setStyleSheet("border: 2px solid #b00020;" if key == field else "")
        widgets.get(field or "", self.start_button).setFocus()


def _label(text: str, key: str, buddy: QWidget) -> QLabel:
    label = QLabel(keyed(text, key))
    label.setBuddy(buddy)
    return label


def _same_label_width(*forms: QFormLayout) -> None:
    """The fields of the stacked groups start at one edge, as if they were one form."""
    labels = [form.itemAt(row, QFormLayout.ItemRole.LabelRole).widget() for form in forms
              for row in range(form.rowCount())]
    width = max(label.sizeHint().width() for label in labels)
    for label in labels:
        label.setMinimumWidth(width)


def _group(title: str, form: QFormLayout) -> QGroupBox:
    box = QGroupBox(title)
    box.setLayout(form)
    return box
