"""Models for the calendar tab: one month as a 6×7 grid of days, and the due dates a change would move."""

from __future__ import annotations

import calendar as stdlib_calendar
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from tthc_desk.services.calendar_service import DueMove
from ui.settings.common import fmt_datetime
from ui.settings.editors import NO_PARENT, ROW_ROLE, ListTableModel

DAY_HEADERS = ("T2", "T3", "T4", "T5", "T6", "T7", "CN")
OFF_BRUSH, WORK_BRUSH = QBrush(QColor("#e53935")), QBrush(QColor("#43a047"))
UNCONFIRMED_BRUSH, TODAY_BRUSH = QBrush(QColor("#ffe082")), QBrush(QColor("#bbdefb"))
WHITE, WEEKEND_TEXT, OTHER_MONTH = QBrush(QColor("white")), QBrush(QColor("#c62828")), QBrush(QColor("#c0c0c0"))


@dataclass(frozen=True)
class DayMark:
    """How a day differs from the plain week: 'off' (weekday off), 'work' (weekend worked), or 'unconfirmed'."""

    kind: str
    reason: str
    source: str = ""
    override: bool = False


def day_marks(year_view: list[dict], overrides: list) -> dict[date, DayMark]:
    """Combine CalendarService.year_view (what counts) with the override table (why, from which source)."""
    by_day = {o.day: o for o in overrides}
    marks: dict[date, DayMark] = {}
    for item in year_view:
        o = by_day.get(item["date"])
        marks[item["date"]] = DayMark("work" if item["working"] else "off", item["reason"],
                                      o.source if o else "", o is not None)
    for o in overrides:
        if o.day not in marks and not o.confirmed:
            marks[o.day] = DayMark("unconfirmed", o.name, o.source, True)
        elif o.day not in marks:
            marks[o.day] = DayMark("plain", o.name or "Ngày làm việc (đã điều chỉnh)", o.source, True)
    return marks


def tooltip_of(day: date, mark: DayMark | None) -> str:
    lines = [day.strftime("%d/%m/%Y")]
    if mark is not None:
        label = {"off": "Nghỉ", "work": "Làm việc", "unconfirmed": "Chưa xác nhận", "plain": "Làm việc"}[mark.kind]
        lines.append(f"{label}: {mark.reason}")
        if mark.source:
            lines.append(f"Nguồn: {mark.source}")
    return "\n".join(lines)


class MonthModel(QAbstractTableModel):
    """The days of one month laid out Monday-first; days of the neighbouring months are shown faint."""

    def __init__(self, year: int, month: int, parent=None) -> None:
        super().__init__(parent)
        self.year, self.month = year, month
        self.marks: dict[date, DayMark] = {}
        self.today: date | None = None
        self._weeks = self._layout()

    def _layout(self) -> list[list[date]]:
        weeks = stdlib_calendar.Calendar(firstweekday=0).monthdatescalendar(self.year, self.month)
        return weeks[:6]

    def set_month(self, year: int, month: int, marks: dict[date, DayMark], today: date | None = None) -> None:
        self.beginResetModel()
        self.year, self.month, self.marks, self.today = year, month, marks, today
        self._weeks = self._layout()
        self.endResetModel()

    def day_at(self, index: QModelIndex | QPersistentModelIndex) -> date | None:
        return self._weeks[index.row()][index.column()] if index.isValid() else None

    def index_of(self, day: date) -> QModelIndex:
        for r, week in enumerate(self._weeks):
            if day in week and day.month == self.month:
                return self.index(r, week.index(day))
        return QModelIndex()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._weeks)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = NO_PARENT) -> int:
        return 0 if parent.isValid() else 7

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return DAY_HEADERS[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ForegroundRole and section >= 5:
            return WEEKEND_TEXT
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        day = self.day_at(index)
        if day is None or day.month != self.month:
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        day = self.day_at(index)
        if day is None:
            return None
        if day.month != self.month:
            return str(day.day) if role == Qt.ItemDataRole.DisplayRole else (
                OTHER_MONTH if role == Qt.ItemDataRole.ForegroundRole else None)
        mark = self.marks.get(day)
        if role == Qt.ItemDataRole.DisplayRole:
            return str(day.day)
        if role == ROW_ROLE:
            return day
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip_of(day, mark)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._background(day, mark)
        if role == Qt.ItemDataRole.ForegroundRole:
            if mark is not None and mark.kind in ("off", "work"):
                return WHITE
            return WEEKEND_TEXT if index.column() >= 5 else None
        if role == Qt.ItemDataRole.FontRole and mark is not None and mark.override:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _background(self, day: date, mark: DayMark | None):
        if mark is not None and mark.kind in ("off", "work", "unconfirmed"):
            return {"off": OFF_BRUSH, "work": WORK_BRUSH, "unconfirmed": UNCONFIRMED_BRUSH}[mark.kind]
        return TODAY_BRUSH if day == self.today else None


class DueMoveModel(ListTableModel):
    HEADERS = ("Mã hồ sơ", "Người nộp", "Hạn cũ", "Hạn mới")

    def __init__(self, moves: list[DueMove], parent=None) -> None:
        super().__init__(parent, rows=moves)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        m = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (m.code, m.applicant, fmt_datetime(m.old_due), fmt_datetime(m.new_due))[index.column()]
        if role == ROW_ROLE:
            return m
        return None


class OverrideTableModel(ListTableModel):
    """The year's edited days (CalendarService.overrides), for reading the list at a glance."""

    HEADERS = ("Ngày", "Loại", "Tên ngày / lý do", "Căn cứ")


    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        o = self._rows[index.row()]
        kind = "Chưa xác nhận" if not o.confirmed else ("Làm việc" if o.working else "Nghỉ")
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (o.day.strftime("%d/%m/%Y"), kind, o.name, o.source)[index.column()]
        if role == ROW_ROLE:
            return o.day
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 1:
            return QBrush(QColor("#2e7d32" if o.working and o.confirmed else "#c62828" if o.confirmed else "#8d6e00"))
        return None
