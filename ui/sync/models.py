"""Table models of the sync page: the file's first rows, the rejected rows, the conflicts to decide."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from tthc_desk.sync.plan import KEEP_OURS, TAKE_FILE, Conflict, changes_text, column_labels, kept_text
from tthc_desk.sync.reader import PortalRow, RejectedRow
from ui.i18n import fmt_datetime

ROW_ROLE = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex
OUTCOME_WORDS = {"new": "Thêm mới", "updated": "Cập nhật", "unchanged": "Không đổi", "conflict": "Xung đột",
                 "stale": "Tệp cũ hơn", "rejected": "Bị từ chối"}  # fmt: skip
REJECTED_WORD = OUTCOME_WORDS["rejected"]
# what an outcome without changes of its own means, for the row's tooltip
OUTCOME_HINTS = {"stale": "Tệp ghi giá trị cũ hơn bản đang giữ: hồ sơ được giữ nguyên."}
# a row the plan gives no outcome: never an empty cell, which reads as "nothing will happen to it"
NO_OUTCOME_WORD = "Chưa xác định"


class _ListModel(QAbstractTableModel):
    """Rows of one kind shown through `cells(row)`, sorted by their native values (`sort`)."""

    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []
        self._order: tuple[int, Qt.SortOrder] | None = None  # the column sorted by, kept for the next rows

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._sorted()
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in Python, each row's cells read once: a sort proxy asked `data()` for every comparison, and
        25,000 refused rows held the window still for 1–2 s (each new plan, each click on a header)."""
        self.beginResetModel()
        self._order = (column, order)
        self._sorted()
        self.endResetModel()

    def _sorted(self) -> None:
        if self._order is None or not self._rows:
            return
        column, order = self._order
        keyed = [(self.cells(row)[column], row) for row in self._rows]
        try:  # empty cells last, as a spreadsheet puts them
            keyed.sort(key=lambda pair: (pair[0] is None, "" if pair[0] is None else pair[0]))
        except TypeError:  # values of different kinds in one column: compared as shown
            keyed.sort(key=lambda pair: (pair[0] is None, _show(pair[0])))
        self._rows = [row for _key, row in keyed]
        if order == Qt.SortOrder.DescendingOrder:
            self._rows.reverse()

    def rows(self) -> list[Any]:
        return list(self._rows)

    def cells(self, row: Any) -> tuple:
        raise NotImplementedError

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == ROW_ROLE:
            return row
        value = self.cells(row)[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return _show(value)
        return None


def _show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return fmt_datetime(value)
    return value.label if hasattr(value, "label") else str(value)


class PreviewModel(_ListModel):
    """The file's first rows as the reader understood them, with what the import would do to each."""

    HEADERS = ("Dòng", "Mã hồ sơ", "Người nộp", "Thủ tục", "Đơn vị", "Trạng thái", "Ngày tiếp nhận",
               "Ngày hẹn trả", "Sẽ làm gì")  # fmt: skip

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.outcomes: dict[str, str] = {}
        self.reasons: dict[int, str] = {}  # row number -> why the row is left out
        self.changes: dict[str, str] = {}  # code -> what its update changes, in words

    def set_preview(
        self, rows: list[PortalRow], outcomes: dict[str, str], rejected: list[RejectedRow] = (),
        changes: dict[str, str] | None = None,
    ) -> None:
        """`rejected`: the plan's rejected rows; the matcher's are among the rows shown (dates out of order,
        another office's code) and may have no outcome of their own. `changes`: what each update changes."""
        self.outcomes = outcomes
        self.reasons = {r.row_number: r.reason for r in rejected}
        self.changes = changes or {}
        self.set_rows(rows)

    def cells(self, r: PortalRow) -> tuple:
        return (r.row_number, r.code, r.applicant, r.procedure_code or r.procedure_name, r.unit, r.status,
                r.received_at, r.due_at, self._action(r))  # fmt: skip

    def _action(self, r: PortalRow) -> str:
        if r.row_number in self.reasons:  # the row's own rejection, whatever `outcomes` (by code) says
            return REJECTED_WORD
        return OUTCOME_WORDS.get(self.outcomes.get(r.code, ""), NO_OUTCOME_WORD)

    def data(self, index: Index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid():  # why a row is left out, or what it changes
            row = self._rows[index.row()]
            return (self.reasons.get(row.row_number) or self.changes.get(row.code)
                    or OUTCOME_HINTS.get(self.outcomes.get(row.code, "")))
        return super().data(index, role)


class RejectedModel(_ListModel):
    HEADERS = ("Dòng", "Lý do không nhập")

    def cells(self, r: RejectedRow) -> tuple:
        return (r.row_number, r.reason)


class NoteModel(_ListModel):
    """What the reader repaired or read in a way the office may want to fix at the source ("Dòng 7: Mã thủ tục
    ô dạng số (1.00001), đã đọc là '1.000010'"), in row order; the rows are imported."""

    HEADERS = ("Ghi chú khi đọc tệp (dòng có giá trị được sửa vẫn được nhập)",)

    def cells(self, note: str) -> tuple:
        return (note,)


class ConflictModel(_ListModel):
    """Cases the desk changed since the last sync and the file changes too; the check box takes the file's."""

    HEADERS = ("Lấy theo tệp", "Mã hồ sơ", "Dòng", "Khác nhau ở", "Của mình → của tệp")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.units: dict[int, str] = {}  # the office's units (the page sets the plan's), to name a change of unit

    def cells(self, c: Conflict) -> tuple:
        names = column_labels(c.changes)
        if c.kept:  # the desk's newer columns, which stay ours whatever is decided (said in full in the tooltip)
            names += f" (giữ của mình: {column_labels(c.kept)})"
        first = next(iter(c.changes.items()), None)  # the rest in the tooltip
        example = changes_text(dict([first]), self.units) if first else ""
        return ("", c.code, c.row_number, names, example)

    def data(self, index: Index, role=Qt.ItemDataRole.DisplayRole):
        if index.isValid() and role == Qt.ItemDataRole.ToolTipRole:  # every change, where the cells show one
            conflict = self._rows[index.row()]
            return "; ".join(t for t in (changes_text(conflict.changes, self.units), kept_text(conflict.kept)) if t)
        if index.isValid() and index.column() == 0 and role == Qt.ItemDataRole.CheckStateRole:
            taken = self._rows[index.row()].decision == TAKE_FILE
            return Qt.CheckState.Checked if taken else Qt.CheckState.Unchecked
        return super().data(index, role)

    def flags(self, index: Index):
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsUserCheckable if index.column() == 0 else base

    def setData(self, index: Index, value, role=Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if index.column() != 0 or role != Qt.ItemDataRole.CheckStateRole:
            return False
        checked = Qt.CheckState(value) == Qt.CheckState.Checked
        self._rows[index.row()].decision = TAKE_FILE if checked else KEEP_OURS
        self.dataChanged.emit(index, index, [role])
        return True

    def decide_all(self, decision: str) -> None:
        for conflict in self._rows:
            conflict.decision = decision
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0),
                                  [Qt.ItemDataRole.CheckStateRole])  # fmt: skip

    def decisions(self) -> dict[str, str]:
        return {c.code: c.decision for c in self._rows}
