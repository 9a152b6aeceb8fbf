"""The 'Cơ quan' tab: name, code, letterhead, signers, working hours and deadline settings of the office."""

from __future__ import annotations

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from tthc_desk.documents.profiles import available_profiles
from tthc_desk.errors import DeskError
from tthc_desk.services.base import Actor
from tthc_desk.services.office import SIGNER_PREFIXES, OfficeSettings
from tthc_desk.services.rights import Action
from ui.keys import keyed
from ui.settings.common import ERROR_STYLE, attempt, error_label, guard, show_inline
from ui.settings.editors import Column, RecordsEditor
from ui.settings.procedure_dialog import SUPPLEMENT_CHOICES

PREFIXES = tuple((p, p or "(không)") for p in SIGNER_PREFIXES)


def signer_columns() -> list[Column]:
    return [Column("prefix", "Thẩm quyền", choices=PREFIXES, width=100), Column("authority", "Chức vụ / tập thể"),
            Column("title", "Chức danh người ký"), Column("name", "Họ và tên")]


class OfficeTab(QWidget):
    def __init__(self, services, actor: Actor, parent=None) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self._build_ui()
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.reload)
        reason = guard(actor, Action.EDIT_OFFICE, (*self._inputs(), self.save_button, self.revert_button))
        if reason:
            self.signers.set_read_only(reason)
        self.reload()

    def _build_ui(self) -> None:
        self.name, self.code, self.place_name = QLineEdit(), QLineEdit(placeholderText="000.00.17.H10"), QLineEdit()
        self.parent_body = QPlainTextEdit(placeholderText="ỦY BAN NHÂN DÂN\nHUYỆN …",
                                          toolTip="Mỗi dòng ở đây là một dòng in trên tiêu đề văn bản.")
        self.parent_body.setFixedHeight(56)
        self.issuing_body, self.address, self.phone = QLineEdit(), QLineEdit(), QLineEdit()
        self.sessions = QLineEdit(placeholderText="07:00-11:30,13:30-17:00")
        self.cutoff = QTimeEdit(displayFormat="HH:mm")
        self.warning_hours = QSpinBox(maximum=80, suffix=" giờ làm việc")
        self.supplement = QComboBox()
        for value, label in SUPPLEMENT_CHOICES[1:]:
            self.supplement.addItem(label, value)
        self.target = QDoubleSpinBox(decimals=1, maximum=100, suffix=" %")
        self.profile = QComboBox()
        for name, profile in sorted(available_profiles().items()):
            self.profile.addItem(profile.label, name)
        self.signers = RecordsEditor(signer_columns())
        self.error = error_label()
        self.save_button = QPushButton(keyed("Lưu thông tin cơ quan", "L"))
        self.revert_button = QPushButton(keyed("Hoàn tác", "C"))
        self._lay_out()

    def _lay_out(self) -> None:
        left, right = QFormLayout(), QFormLayout()
        for form in (left, right):  # a long label goes above its field when the two columns are narrow
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        left.addRow("Tên cơ quan", self.name)
        left.addRow("Mã định danh", self.code)
        left.addRow("Địa danh ghi ngày tháng", self.place_name)
        left.addRow("Cơ quan chủ quản", self.parent_body)  # one printed line per line: said by its tooltip
        left.addRow("Cơ quan ban hành", self.issuing_body)
        left.addRow("Địa chỉ", self.address)
        left.addRow("Điện thoại", self.phone)
        right.addRow("Giờ làm việc (các buổi)", self.sessions)
        right.addRow("Giờ chốt nhận hồ sơ", self.cutoff)
        right.addRow("Cảnh báo sắp đến hạn", self.warning_hours)
        right.addRow("Khi bổ sung hồ sơ", self.supplement)
        right.addRow("Chỉ tiêu đúng hạn", self.target)
        right.addRow("Bộ mẫu văn bản", self.profile)
        columns = QHBoxLayout()
        columns.addWidget(_group("Cơ quan và tiêu đề văn bản", left), 1)
        columns.addWidget(_group("Giờ làm việc và thời hạn", right), 1)
        signers = QGroupBox("Người ký văn bản")
        QVBoxLayout(signers).addWidget(self.signers)
        signers.setMaximumHeight(240)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addWidget(signers)
        layout.addStretch(1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)

    def _inputs(self) -> tuple[QWidget, ...]:
        return (self.name, self.code, self.place_name, self.parent_body, self.issuing_body, self.address,
                self.phone, self.sessions, self.cutoff, self.warning_hours, self.supplement, self.target,
                self.profile)

    def _field_widgets(self) -> dict[str, QWidget]:
        return {"name": self.name, "code": self.code, "sessions": self.sessions, "cutoff": self.cutoff,
                "supplement_mode": self.supplement, "warning_minutes": self.warning_hours}

    def reload(self) -> None:
        st = attempt(self, self.services.office.settings, self.actor)
        if st is None:
            return
        for w, text in ((self.name, st.name), (self.code, st.code), (self.place_name, st.place_name),
                        (self.issuing_body, st.issuing_body), (self.address, st.address), (self.phone, st.phone),
                        (self.sessions, st.sessions)):
            w.setText(text)
            w.setCursorPosition(0)  # a long address opens at its beginning, not scrolled to its end
        self.parent_body.setPlainText(st.parent_body)
        self.cutoff.setTime(QTime.fromString(st.cutoff, "HH:mm"))
        self.warning_hours.setValue(st.warning_minutes // 60)
        self.supplement.setCurrentIndex(max(0, self.supplement.findData(st.supplement_mode)))
        self.target.setValue(st.on_time_target)
        self.profile.setCurrentIndex(max(0, self.profile.findData(st.form_profile)))
        self.signers.model.set_rows(st.signers)
        self._mark(None, None)

    def settings(self) -> OfficeSettings:
        """The settings as typed (not yet validated)."""
        signers = [s for s in self.signers.model.rows() if any(str(v).strip() for v in s.values())]
        return OfficeSettings(
            name=self.name.text(), code=self.code.text(), place_name=self.place_name.text(),
            parent_body=self.parent_body.toPlainText(), issuing_body=self.issuing_body.text(),
            address=self.address.text(), phone=self.phone.text(), signers=signers,
            sessions=self.sessions.text(), cutoff=self.cutoff.time().toString("HH:mm"),
            warning_minutes=self.warning_hours.value() * 60, supplement_mode=self.supplement.currentData(),
            on_time_target=self.target.value(), form_profile=self.profile.currentData())

    def save(self) -> bool:
        st = self.settings()
        try:
            st.validate()
            self.services.office.update(self.actor, st)
        except DeskError as exc:
            self._mark(exc.message, exc.field)
            return False
        self.reload()
        show_inline(self.error, "Đã lưu thông tin cơ quan.")
        self.error.setStyleSheet("color: #2e7d32;")
        return True

    def _mark(self, message: str | None, field: str | None) -> None:
        """Show the message beside the buttons and outline the field it is about."""
        self.error.setStyleSheet(ERROR_STYLE)
        show_inline(self.error, message)
        for key, w in self._field_widgets().items():
            w.setStyleSheet("border: 2px solid #b00020;" if key == field else "")
            if key == field:
                w.setFocus()


def _group(title: str, form: QFormLayout) -> QGroupBox:
    box = QGroupBox(title)
    box.setLayout(form)
    return box

