"""The cases behind one figure: a sortable table of drill-down rows."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QDialog, QDialogButtonBox, QLabel, QTableView, QVBoxLayout

from tthc_desk.reports import DrillRow, fmt_int
from ui.i18n import tr
from ui.reports.models import SORT_ROLE, DrillModel
from ui.screen import fit_to_screen


class DrillDialog(QDialog):
    def __init__(self, title: str, rows: list[DrillRow], parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        fit_to_screen(self, 1200, 560)  # on a 1366x768 screen at 125 %, its Đóng stays on it
        self.model = DrillModel(rows, self)
        self._build_ui(title, len(rows))

    def _build_ui(self, title: str, count: int) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("{title}: {n} hồ sơ", title=title, n=fmt_int(count)), self))
        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(self.model)
        proxy.setSortRole(SORT_ROLE)
        self.table = QTableView(self)
        self.table.setModel(proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(2, min(self.table.columnWidth(2), 320))  # procedure names run long
        self.table.setColumnWidth(3, min(self.table.columnWidth(3), 220))
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("Đóng"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
