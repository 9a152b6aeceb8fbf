"""The papers checklist of the intake form: one row per required paper, ticked when handed in, with counts."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from tthc_desk.services.intake import PaperCount
from ui.i18n import tr

_ROOT = QModelIndex()  # the invisible root: the default parent in rowCount/columnCount

COL_NAME, COL_ORIGINALS, COL_CERTIFIED, COL_PHOTOCOPIES = range(4)
HEADERS = ("Giấy tờ (đánh dấu khi đã nhận)", "Bản chính", "Bản sao chứng thực", "Bản photo")
MAX_COPIES = 20
ROW_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass
class PaperLine:
    name: str
    originals: int = 0
    certified: int = 0
    photocopies: int = 0
    received: bool = False


class PapersModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.lines: list[PaperLine] = []

    def set_papers(self, papers: list[dict]) -> None:
        self.beginResetModel()
        self.lines = [PaperLine(p.get("name", ""), int(p.get("originals", 0)), int(p.get("certified", 0)),
                                int(p.get("photocopies", 0))) for p in papers]
        self.endResetModel()

    def received(self) -> list[PaperCount]:
        return [PaperCount(p.name, p.originals, p.certified, p.photocopies) for p in self.lines if p.received]

    def rowCount(self, parent=_ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent=_ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(HEADERS[section])
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == COL_NAME:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        line = self.lines[index.row()]
        column = index.column()
        if role == ROW_ROLE:
            return line
        if role == Qt.ItemDataRole.CheckStateRole and column == COL_NAME:
            return Qt.CheckState.Checked if line.received else Qt.CheckState.Unchecked
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return (line.name, line.originals, line.certified, line.photocopies)[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_NAME:
            return line.name
        if role == Qt.ItemDataRole.TextAlignmentRole and column != COL_NAME:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid():
            return False
        line, column = self.lines[index.row()], index.column()
        if role == Qt.ItemDataRole.CheckStateRole and column == COL_NAME:
            line.received = Qt.CheckState(value) == Qt.CheckState.Checked
        elif role == Qt.ItemDataRole.EditRole and column != COL_NAME:
            count = max(0, min(MAX_COPIES, int(value)))
            setattr(line, ("", "originals", "certified", "photocopies")[column], count)
        else:
            return False
        self.dataChanged.emit(index, index, [role])
        return True

    def toggle(self, row: int) -> None:
        index = self.index(row, COL_NAME)
        checked = self.lines[row].received
        self.setData(index, Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked,
                     Qt.ItemDataRole.CheckStateRole)
