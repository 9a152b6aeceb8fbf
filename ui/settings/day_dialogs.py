"""Editing one day of the calendar, and confirming a change after seeing which due dates it moves."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tthc_desk.calendar import WEEKDAY_NAMES
from tthc_desk.services.calendar_service import DayChange, DueMove
from ui.keys import keyed
from ui.settings.calendar_model import DayMark, DueMoveModel
from ui.settings.common import button_box, error_label, fmt_date, show_inline

OFF, WORK, CLEAR = 0, 1, 2


def describe_change(change: DayChange) -> str:
    what = {False: "ngày nghỉ", True: "ngày làm việc", None: "bỏ điều chỉnh (theo lịch mặc định)"}[change.working]
    name = f" — {change.name}" if change.name else ""
    return f"{WEEKDAY_NAMES[change.day.weekday()]}, {fmt_date(change.day)}: {what}{name}"


class DayEditDialog(QDialog):
    """Mark a day as an extra day off, a worked day (make-up Saturday), or remove its override."""

    def __init__(self, day: date, mark: DayMark | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.day = day
        self.setWindowTitle("Sửa ngày trong lịch làm việc")
        self.choice = QButtonGroup(self)
        self.off = QRadioButton(keyed("Ngày nghỉ (lễ, Tết, nghỉ bù, nghỉ hoán đổi)", "N"))
        self.work = QRadioButton(keyed("Ngày làm việc (làm bù thứ Bảy, hoặc bỏ một ngày nghỉ)", "V"))
        self.clear = QRadioButton(keyed("Bỏ điều chỉnh, theo lịch mặc định", "B"))
        for i, button in enumerate((self.off, self.work, self.clear)):
            self.choice.addButton(button, i)
        self.clear.setEnabled(mark is not None and mark.override)
        working_now = mark is not None and mark.kind in ("work", "plain", "unconfirmed")
        (self.off if working_now or mark is None else self.work).setChecked(True)
        self.name = QLineEdit(mark.reason if mark and mark.override else "", placeholderText="ví dụ: Nghỉ bù Quốc khánh")
        self.source = QLineEdit(mark.source if mark else "", placeholderText="ví dụ: Thông báo số …/TB-BNV")
        self.error = error_label()
        form = QFormLayout(self)
        state = mark.reason if mark else "theo lịch mặc định"
        form.addRow(QLabel(f"<b>{WEEKDAY_NAMES[day.weekday()]}, {fmt_date(day)}</b> — hiện tại: {state}"))
        for button in (self.off, self.work, self.clear):
            form.addRow(button)
        form.addRow("Tên ngày / lý do", self.name)
        form.addRow("Căn cứ (văn bản)", self.source)
        form.addRow(self.error)
        form.addRow(button_box(self, ok="Xem trước…"))
        self.resize(520, 0)

    def change(self) -> DayChange:
        working = {OFF: False, WORK: True, CLEAR: None}[self.choice.checkedId()]
        return DayChange(self.day, working, self.name.text(), self.source.text())

    def accept(self) -> None:
        if self.choice.checkedId() != CLEAR and not self.name.text().strip():
            show_inline(self.error, "Hãy ghi tên ngày hoặc lý do (sẽ hiện khi giải thích hạn xử lý).")
            return
        super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, day: date, mark: DayMark | None) -> DayChange | None:
        dialog = cls(day, mark, parent)
        return dialog.change() if dialog.exec() == QDialog.DialogCode.Accepted else None


class DueMovesDialog(QDialog):
    """The open cases whose due dates the change would move; 'Áp dụng' confirms."""

    def __init__(self, change: DayChange, moves: list[DueMove], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Xem trước thay đổi lịch")
        self.model = DueMoveModel(moves, self)
        view = QTableView()
        view.setModel(self.model)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.verticalHeader().setVisible(False)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        summary = (f"{len(moves)} hồ sơ đang giải quyết sẽ đổi hạn trả kết quả (mỗi hồ sơ ghi lại sự kiện "
                   "“Tính lại hạn do đổi lịch”):" if moves else
                   "Không có hồ sơ đang giải quyết nào phải đổi hạn trả kết quả.")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<b>{describe_change(change)}</b>"))
        layout.addWidget(QLabel(summary))
        layout.addWidget(view, 1)
        view.setVisible(bool(moves))
        self.buttons = button_box(self, ok="Áp dụng")
        layout.addWidget(self.buttons)
        self.resize(760, 420 if moves else 0)

    @property
    def apply_button(self):
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    @classmethod
    def confirm(cls, parent: QWidget | None, change: DayChange, moves: list[DueMove]) -> bool:
        return cls(change, moves, parent).exec() == QDialog.DialogCode.Accepted
