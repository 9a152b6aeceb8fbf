"""An editable list of records (papers, workflow steps, signers): a table model, a combo delegate, a widget."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.keys import keyed

NO_PARENT = QModelIndex()  # the invalid index: "top level", shared as the default argument
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2


@dataclass(frozen=True)
class Column:
    """One editable field: the record key, its header, and either 'text', 'int', 'float' or a choice list."""

    key: str
    header: str
    kind: str = "text"
    choices: tuple[tuple[Any, str], ...] = field(default=())  # (stored value, label)
    default: Any = ""
    width: int | None = None  # fixed starting width; None stretches the column

    def label_of(self, value: Any) -> str:
        for stored, label in self.choices:
            if stored == value:
                return label
        return "" if value is None else str(value)



class ListTableModel(QAbstractTableModel):
    """A read-only table over a list of plain rows: subclasses give HEADERS and `data()`."""

    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent=None, *, rows=()) -> None:
        super().__init__(parent)
        self._rows: list = list(rows)

    def set_rows(self, rows) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int):
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

class RecordsModel(QAbstractTableModel):
    """A list of dicts, one column per `Column`, editable in place."""

    def __init__(self, columns: list[Column], rows: list[dict] | None = None, parent=None) -> None:
        super().__init__(parent)
        self.columns = columns
        self._rows: list[dict] = [dict(r) for r in rows or []]
        self.editable = True

    def rows(self) -> list[dict]:
        return [dict(r) for r in self._rows]

    def set_rows(self, rows: list[dict]) -> None:
        self.beginResetModel()
        self._rows = [dict(r) for r in rows]
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section].header
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        col, row = self.columns[index.column()], self._rows[index.row()]
        value = row.get(col.key, col.default)
        if role == Qt.ItemDataRole.DisplayRole:
            return col.label_of(value)
        if role in (Qt.ItemDataRole.EditRole, SORT_ROLE):
            return value
        if role == ROW_ROLE:
            return dict(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and col.kind in ("int", "float"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if self.editable and index.isValid() else base

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        col = self.columns[index.column()]
        try:
            value = int(value or 0) if col.kind == "int" else float(value or 0) if col.kind == "float" else value
        except (TypeError, ValueError):
            return False
        self._rows[index.row()][col.key] = value
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])
        return True

    def append(self, record: dict | None = None) -> int:
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(record or {c.key: c.default for c in self.columns})
        self.endInsertRows()
        return row

    def remove(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()

    def move_up(self, row: int) -> bool:
        if not 0 < row < len(self._rows):
            return False
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), row - 1)
        self._rows[row - 1], self._rows[row] = self._rows[row], self._rows[row - 1]
        self.endMoveRows()
        return True


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box editor for a column with fixed choices (stored value in the item's data)."""

    def __init__(self, column: Column, parent=None) -> None:
        super().__init__(parent)
        self.column = column

    def createEditor(self, parent, option, index):
        combo = QComboBox(parent)
        for stored, label in self.column.choices:
            combo.addItem(label, stored)
        return combo

    def setEditorData(self, editor: QComboBox, index) -> None:
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QComboBox, model, index) -> None:
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class RecordsEditor(QWidget):
    """A table of records with Thêm / Xóa / Lên buttons. `keys`: their Alt letters (two editors in one window
    need different ones)."""

    def __init__(self, columns: list[Column], rows: list[dict] | None = None, parent=None,
                 keys: tuple[str, str, str] = ("T", "X", "N")) -> None:
        super().__init__(parent)
        self.model = RecordsModel(columns, rows, self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.verticalHeader().setDefaultSectionSize(24)
        header = self.view.horizontalHeader()
        for i, col in enumerate(columns):
            if col.choices:
                self.view.setItemDelegateForColumn(i, ChoiceDelegate(col, self.view))
            if col.width is None:
                header.setSectionResizeMode(i, QHeaderView.ResizeMode.Stretch)
            else:
                header.setSectionResizeMode(i, QHeaderView.ResizeMode.Interactive)
                header.resizeSection(i, col.width)
        add, remove, up = keys
        self.add_button, self.remove_button = QPushButton(keyed("Thêm dòng", add)), QPushButton(keyed("Xóa dòng", remove))
        self.up_button = QPushButton(keyed("Lên trên", up))
        buttons = QHBoxLayout()
        for b in (self.add_button, self.remove_button, self.up_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.remove_button.clicked.connect(lambda: self.model.remove(self.view.currentIndex().row()))
        self.up_button.clicked.connect(self._on_up_clicked)

    def set_read_only(self, reason: str) -> None:
        self.model.editable = False
        for b in (self.add_button, self.remove_button, self.up_button):
            b.setEnabled(False)
            b.setToolTip(reason)

    def _on_add_clicked(self) -> None:
        row = self.model.append()
        self.view.setCurrentIndex(self.model.index(row, 0))
        self.view.edit(self.model.index(row, 0))

    def _on_up_clicked(self) -> None:
        row = self.view.currentIndex().row()
        if self.model.move_up(row):
            self.view.setCurrentIndex(self.model.index(row - 1, 0))
