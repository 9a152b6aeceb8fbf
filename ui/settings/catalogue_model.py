"""The procedure list as a table model (rows are ProcedureView from CatalogueService.search)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from tthc_desk.services.catalogue import ProcedureView
from ui.settings.editors import ROW_ROLE, SORT_ROLE, ListTableModel

REVIEW_BRUSH = QBrush(QColor("#fff3cd"))
REVIEW_MARK = "⚠ Cần xác nhận"


class ProcedureTableModel(ListTableModel):
    COL_CODE, COL_NAME, COL_FIELD, COL_DIRECT, COL_ONLINE, COL_REVIEW = range(6)
    HEADERS = ("Mã thủ tục", "Tên thủ tục", "Lĩnh vực", "Thời hạn (trực tiếp)", "Thời hạn (trực tuyến)", "Xác nhận")

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        p, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(p, col)
        if role == SORT_ROLE:
            return int(p.needs_review) if col == self.COL_REVIEW else self._display(p, col)
        if role == ROW_ROLE:
            return p
        if role == Qt.ItemDataRole.BackgroundRole and p.needs_review:
            return REVIEW_BRUSH
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(p, col)
        return None

    def _tooltip(self, p: ProcedureView, col: int) -> str | None:
        if col in (self.COL_NAME, self.COL_FIELD):
            return self._display(p, col)
        if p.needs_review:
            return p.review_note or "Thủ tục cần được quản trị xác nhận thời hạn."
        return None

    def _display(self, p: ProcedureView, col: int) -> str:
        if col == self.COL_CODE:
            return p.code
        if col == self.COL_NAME:
            return p.name
        if col == self.COL_FIELD:
            return p.field
        if col == self.COL_DIRECT:
            return p.durations.get("direct", "")
        if col == self.COL_ONLINE:
            return p.durations.get("online", "")
        return REVIEW_MARK if p.needs_review else "Đã xác nhận"
