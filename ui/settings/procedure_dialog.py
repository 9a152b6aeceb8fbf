"""Editing one procedure: code, name, field, time allowed per channel, papers, lead unit, workflow, options."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tthc_desk.domain import Channel, DurationUnit, SupplementMode
from tthc_desk.errors import DeskError
from tthc_desk.services.base import Actor
from tthc_desk.services.catalogue import CHANNELS, ProcedureView
from tthc_desk.services.rights import Action, why_not
from ui.keys import keyed
from ui.screen import fit_to_screen
from ui.settings.common import button_box, error_label, show_inline
from ui.settings.editors import Column, RecordsEditor

SUPPLEMENT_CHOICES = ((None, "Theo cài đặt của cơ quan"),
                      (str(SupplementMode.RESTART), "Tính lại từ đầu khi nhận đủ bổ sung"),
                      (str(SupplementMode.PAUSE), "Tạm dừng, cộng phần thời gian còn lại"))


def paper_columns() -> list[Column]:
    return [Column("name", "Tên giấy tờ"), Column("originals", "Bản chính", "int", default=0, width=75),
            Column("certified", "Bản sao chứng thực", "int", default=0, width=130),
            Column("photocopies", "Bản photo", "int", default=0, width=75)]


def workflow_columns(units: list[dict]) -> list[Column]:
    choices = ((None, "(chưa chọn)"), *((u["id"], u["name"]) for u in units))
    return [Column("name", "Bước xử lý"), Column("unit_id", "Đơn vị", choices=choices, default=None),
            Column("days", "Số ngày", "float", default=0.0, width=70)]


class DurationRow(QWidget):
    """Amount + unit for one channel; 'trong ngày' needs no amount."""

    def __init__(self, amount: float | None, unit: str | None, parent=None) -> None:
        super().__init__(parent)
        self.amount = QDoubleSpinBox(decimals=1, maximum=9999, singleStep=1)
        self.unit = QComboBox()
        self.unit.addItem("(chưa xác định)", None)
        for u in DurationUnit:
            self.unit.addItem(u.label, str(u))
        self.unit.setCurrentIndex(max(0, self.unit.findData(unit)))
        self.amount.setValue(amount or 0)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.amount)
        layout.addWidget(self.unit, 1)
        self.unit.currentIndexChanged.connect(self._on_unit_changed)
        self._on_unit_changed()

    def value(self) -> tuple[float | None, str | None]:
        unit = self.unit.currentData()
        if unit is None:
            return None, None
        return (None if unit == DurationUnit.SAME_DAY else self.amount.value()), unit

    def _on_unit_changed(self) -> None:
        self.amount.setEnabled(self.unit.currentData() not in (None, str(DurationUnit.SAME_DAY)))


class ProcedureDialog(QDialog):
    """Create (procedure=None) or edit a procedure; OK saves through CatalogueService and stays open on errors."""

    def __init__(self, services, actor: Actor, procedure: ProcedureView | None, parent=None) -> None:
        super().__init__(parent)
        self.services, self.actor, self.procedure = services, actor, procedure
        self.saved_id: int | None = None
        self.units = services.accounts.list_units(actor)
        self.setWindowTitle("Thủ tục hành chính" if procedure is None else f"Thủ tục {procedure.code}")
        fit_to_screen(self, 1100, 660)
        self._build_ui(procedure)
        reason = why_not(actor.role, Action.EDIT_CATALOGUE)
        if reason:
            self._make_read_only(reason)

    def _build_ui(self, p: ProcedureView | None) -> None:
        self.code, self.name = QLineEdit(p.code if p else ""), QPlainTextEdit(p.name if p else "")
        self.name.setFixedHeight(68)  # national names run to two or three lines
        self.name.setTabChangesFocus(True)  # a name holds no tab: Tab goes on to Lĩnh vực
        self.field_name, self.fee = QLineEdit(p.field if p else ""), QLineEdit(p.fee if p else "")
        self.lead_unit = QComboBox()
        self.lead_unit.addItem("(chưa chọn)", None)
        for u in self.units:
            self.lead_unit.addItem(u["name"], u["id"])
        self.lead_unit.setCurrentIndex(max(0, self.lead_unit.findData(p.lead_unit_id if p else None)))
        self.supplement = QComboBox()
        for value, label in SUPPLEMENT_CHOICES:
            self.supplement.addItem(label, value)
        self.supplement.setCurrentIndex(max(0, self.supplement.findData(p.supplement_mode if p else None)))
        self.warning_hours = QSpinBox(maximum=240, suffix=" giờ làm việc")
        self.warning_hours.setSpecialValueText("Theo cài đặt của cơ quan")
        self.warning_hours.setValue((p.warning_minutes or 0) // 60 if p else 0)
        self.durations = {ch: DurationRow(*(p.raw.get(ch, (None, None)) if p else (None, None))) for ch in CHANNELS}
        self.confirmed = QCheckBox(keyed("Đã xác nhận (bỏ đánh dấu “cần xác nhận”)", "C"))
        self.confirmed.setChecked(p is None or not p.needs_review)
        self.papers = RecordsEditor(paper_columns(), p.papers if p else [])
        self.workflow = RecordsEditor(workflow_columns(self.units), p.workflow if p else [], keys=("G", "A", "R"))
        self._lay_out(p)
        self.code.setFocus()

    def _lay_out(self, p: ProcedureView | None) -> None:
        form = QFormLayout()
        form.addRow("Mã thủ tục", self.code)
        form.addRow("Tên thủ tục", self.name)
        form.addRow("Lĩnh vực", self.field_name)
        for ch in CHANNELS:
            form.addRow(f"Thời hạn — {Channel(ch).label.lower()}", self.durations[ch])
        form.addRow("Đơn vị chủ trì", self.lead_unit)
        form.addRow("Khi bổ sung hồ sơ", self.supplement)
        form.addRow("Cảnh báo sắp đến hạn", self.warning_hours)
        form.addRow("Phí, lệ phí", self.fee)
        if p is not None and p.needs_review:
            note = QLabel(f"Cần xác nhận: {p.review_note or 'thời hạn chưa rõ trong tệp danh mục.'}")
            note.setWordWrap(True)
            note.setStyleSheet("background: #fff3cd; padding: 4px;")
            form.addRow(note)
        form.addRow(self.confirmed)
        left = QVBoxLayout()
        left.addLayout(form)
        left.addStretch(1)
        grid = QGridLayout()
        grid.addLayout(left, 0, 0, 2, 1)
        grid.addWidget(_group("Thành phần hồ sơ", self.papers), 0, 1)
        grid.addWidget(_group("Quy trình nội bộ (các bước, đơn vị, số ngày)", self.workflow), 1, 1)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)  # the fields join the dialog (and its Tab order) here, in the reading order
        # the buttons are made after the fields so that Tab reaches them last; made first, "Lưu" had the focus
        self.error = error_label()
        self.buttons = button_box(self, ok="Lưu")
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _make_read_only(self, reason: str) -> None:
        for w in (self.code, self.name, self.field_name, self.fee, self.lead_unit, self.supplement,
                  self.warning_hours, self.confirmed, *self.durations.values()):
            w.setEnabled(False)
        self.papers.set_read_only(reason)
        self.workflow.set_read_only(reason)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(False)
        ok.setToolTip(reason)

    def values(self) -> dict:
        """The keyword arguments for CatalogueService.save, read from the widgets."""
        names = {u["id"]: u["name"] for u in self.units}
        steps = [dict(s, unit=names.get(s.get("unit_id"), "")) for s in self.workflow.model.rows() if s.get("name")]
        return dict(code=self.code.text(), name=self.name.toPlainText(), field_name=self.field_name.text(),
                    durations={ch: row.value() for ch, row in self.durations.items()},
                    papers=self.papers.model.rows(), lead_unit_id=self.lead_unit.currentData(), workflow=steps,
                    supplement_mode=self.supplement.currentData(),
                    warning_minutes=self.warning_hours.value() * 60 or None,
                    fee=self.fee.text(), confirmed=self.confirmed.isChecked())

    def accept(self) -> None:
        try:
            pid = self.procedure.id if self.procedure else None
            self.saved_id = self.services.catalogue.save(self.actor, pid, **self.values())
        except DeskError as exc:
            show_inline(self.error, exc.message)
            return
        super().accept()


def _group(title: str, widget: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    QVBoxLayout(box).addWidget(widget)
    return box
