"""The 'Lịch làm việc' tab: a year of small month grids, the list of edited days, and editing one day."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tthc_desk.services.base import Actor
from tthc_desk.services.rights import Action, why_not
from ui import dialogs
from ui.keys import keyed
from ui.settings.calendar_model import DayMark, MonthModel, OverrideTableModel, day_marks
from ui.settings.common import attempt, fmt_date, guard
from ui.settings.day_dialogs import DayEditDialog, DueMovesDialog
from ui.settings.editors import ROW_ROLE

MONTH_NAMES = tuple(f"Tháng {m}" for m in range(1, 13))
LEGEND = ("<span style='background:#e53935;color:white'>&nbsp;15&nbsp;</span> ngày nghỉ &nbsp; "
          "<span style='background:#43a047;color:white'>&nbsp;15&nbsp;</span> làm bù &nbsp; "
          "<span style='background:#ffe082'>&nbsp;15&nbsp;</span> chưa xác nhận &nbsp; "
          "<b>đậm</b>: đã điều chỉnh &nbsp; <span style='background:#bbdefb'>&nbsp;15&nbsp;</span> hôm nay")


class MonthView(QTableView):
    """A compact 6×7 grid for one month."""

    def __init__(self, model: MonthModel, parent=None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setMinimumSectionSize(18)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.horizontalHeader().setMinimumSectionSize(20)
        self.setShowGrid(False)
        self.setMinimumHeight(18 * 6 + self.horizontalHeader().sizeHint().height() + 4)


class CalendarTab(QWidget):
    def __init__(self, services, actor: Actor, parent=None) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.today = services.clock.now().date()
        self.selected_day: date | None = None
        self.marks: dict[date, DayMark] = {}
        self.months = [MonthModel(self.today.year, m, self) for m in range(1, 13)]
        self.overrides_model = OverrideTableModel(self)
        self._build_ui()
        self._connect_signals()
        self.edit_reason = guard(actor, Action.EDIT_CALENDAR, (self.edit_button,))
        self.load_year(self.today.year)

    def _build_ui(self) -> None:
        self.year = QSpinBox(minimum=2015, maximum=2040, value=self.today.year, prefix="Năm ")
        self.prev_button, self.next_button = QPushButton("◀"), QPushButton("▶")
        for b, tip, key in ((self.prev_button, "Năm trước", "Alt+PgUp"), (self.next_button, "Năm sau", "Alt+PgDown")):
            b.setFixedWidth(36)
            b.setShortcut(QKeySequence(key))
            b.setToolTip(f"{tip} ({key})")
        self.edit_button = QPushButton(keyed("Sửa ngày đã chọn…", "S"))
        self.status = QLabel()
        top = QHBoxLayout()
        for w in (self.prev_button, self.year, self.next_button):
            top.addWidget(w)
        top.addSpacing(16)
        top.addWidget(QLabel(LEGEND), 1)
        grid = QGridLayout()
        grid.setSpacing(6)
        self.month_views = []
        for i, model in enumerate(self.months):
            box = QGroupBox(MONTH_NAMES[i])
            view = MonthView(model)
            QVBoxLayout(box).addWidget(view)
            box.layout().setContentsMargins(4, 2, 4, 4)
            grid.addWidget(box, i // 4, i % 4)
            self.month_views.append(view)
        self.overrides_view = QTableView()
        self.overrides_view.setModel(self.overrides_model)
        self.overrides_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.overrides_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.overrides_view.verticalHeader().setVisible(False)
        self.overrides_view.setWordWrap(False)
        self.overrides_view.verticalHeader().setDefaultSectionSize(22)
        header = self.overrides_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(3, 110)
        side = QVBoxLayout()
        side.addWidget(QLabel("Các ngày đã điều chỉnh trong năm"))
        side.addWidget(self.overrides_view, 1)
        side.addWidget(self.status)
        side.addWidget(self.edit_button)
        body = QHBoxLayout()
        body.addLayout(grid, 3)
        body.addLayout(side, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(body, 1)

    def _connect_signals(self) -> None:
        self.year.valueChanged.connect(self.load_year)
        self.prev_button.clicked.connect(lambda: self.year.setValue(self.year.value() - 1))
        self.next_button.clicked.connect(lambda: self.year.setValue(self.year.value() + 1))
        for view in self.month_views:
            view.clicked.connect(self._on_day_clicked)
            view.doubleClicked.connect(self._on_day_double_clicked)
        self.overrides_view.clicked.connect(lambda idx: self.select_day(idx.siblingAtColumn(0).data(ROW_ROLE)))
        self.edit_button.clicked.connect(self.edit_selected_day)

    def load_year(self, year: int) -> None:
        view = attempt(self, self.services.calendar.year_view, self.actor, year) or []
        overrides = attempt(self, self.services.calendar.overrides, self.actor, year) or []
        self.marks = day_marks(view, overrides)
        for month, model in enumerate(self.months, start=1):
            model.set_month(year, month, self.marks, self.today)
        self.overrides_model.set_rows(overrides)
        off = sum(m.kind == "off" for m in self.marks.values())
        worked = sum(m.kind == "work" for m in self.marks.values())
        self.status.setText(f"Năm {year}: {off} ngày nghỉ trong tuần, {worked} ngày làm bù cuối tuần.")
        if self.selected_day and self.selected_day.year == year:
            self.select_day(self.selected_day)

    def select_day(self, day: date | None) -> None:
        if day is None:
            return
        if day.year != self.year.value():
            self.year.setValue(day.year)
        self.selected_day = day
        for model, view in zip(self.months, self.month_views, strict=True):
            index = model.index_of(day) if model.month == day.month else QModelIndex()
            view.setCurrentIndex(index) if index.isValid() else view.clearSelection()
        self.edit_button.setText(f"Sửa ngày {fmt_date(day)}…")

    def _on_day_clicked(self, index: QModelIndex) -> None:
        self.select_day(index.data(ROW_ROLE))

    def _on_day_double_clicked(self, index: QModelIndex) -> None:
        self.select_day(index.data(ROW_ROLE))
        if why_not(self.actor.role, Action.EDIT_CALENDAR) is None:
            self.edit_selected_day()

    def edit_selected_day(self) -> None:
        """Ask for the change, preview the due dates it moves, and apply it only once confirmed."""
        if self.selected_day is None:
            dialogs.info(self, "Lịch làm việc", "Hãy chọn một ngày trong lịch trước.")
            return
        change = DayEditDialog.ask(self, self.selected_day, self.marks.get(self.selected_day))
        if change is None:
            return
        moves = attempt(self, self.services.calendar.preview, self.actor, [change])
        if moves is None or not DueMovesDialog.confirm(self, change, moves):
            return
        applied = attempt(self, self.services.calendar.apply, self.actor, [change])
        if applied is not None:
            self.load_year(self.year.value())
            self.status.setText(f"Đã lưu thay đổi ngày {fmt_date(change.day)}; {len(applied)} hồ sơ được tính lại hạn.")
