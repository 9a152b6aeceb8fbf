"""The 'Danh mục thủ tục' tab: search the catalogue, filter what needs confirming, edit, import."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tthc_desk.services.base import Actor
from tthc_desk.services.rights import Action
from ui.keys import keyed
from ui.settings.catalogue_import import CatalogueImport
from ui.settings.catalogue_model import ProcedureTableModel
from ui.settings.common import attempt, guard
from ui.settings.editors import SORT_ROLE
from ui.settings.procedure_dialog import ProcedureDialog

SEARCH_LIMIT = 5000  # the whole commune-level list is ~600 procedures


class CatalogueTab(QWidget):
    def __init__(self, services, actor: Actor, parent=None) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.model = ProcedureTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setSortLocaleAware(True)
        self._importer = CatalogueImport(services, actor, self)
        self._build_ui()
        self._connect_signals()
        guard(actor, Action.EDIT_CATALOGUE, (self.new_button, self.import_button))
        self.reload()

    def _build_ui(self) -> None:
        self.search = QLineEdit(placeholderText="Tìm theo mã hoặc tên thủ tục (gõ có dấu hoặc không dấu)…")
        self.search.setClearButtonEnabled(True)
        self.only_review = QCheckBox(keyed("Chỉ hiện thủ tục cần xác nhận", "X"))
        self.count = QLabel()
        self.new_button, self.edit_button = QPushButton(keyed("Thêm thủ tục…", "T")), QPushButton(keyed("Xem / sửa…", "S"))
        self.import_button = QPushButton(keyed("Nhập từ tệp…", "N"))
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the service's order: to confirm first, by code
        self.view.setWordWrap(False)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(24)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ProcedureTableModel.COL_NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ProcedureTableModel.COL_FIELD, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(ProcedureTableModel.COL_FIELD, 200)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.only_review)
        buttons = QHBoxLayout()
        for b in (self.new_button, self.edit_button, self.import_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self._search_timer = QTimer(self, singleShot=True, interval=200)

    def _connect_signals(self) -> None:
        self.search.textChanged.connect(self._search_timer.start)
        self._search_timer.timeout.connect(self.reload)
        self.only_review.toggled.connect(self.reload)
        self.new_button.clicked.connect(lambda: self._open_dialog(None))
        self.edit_button.clicked.connect(self._on_edit_clicked)
        self.view.doubleClicked.connect(self._on_edit_clicked)
        self.import_button.clicked.connect(self._importer.start)
        self._importer.imported.connect(lambda _report: self.reload())

    def reload(self) -> None:
        rows = attempt(self, self.services.catalogue.search, self.actor, self.search.text(), limit=SEARCH_LIMIT)
        rows = [p for p in rows or [] if p.needs_review or not self.only_review.isChecked()]
        self.model.set_rows(rows)
        review = sum(p.needs_review for p in rows)
        self.count.setText(f"{len(rows)} thủ tục, {review} cần xác nhận")

    def selected(self):
        index = self.view.currentIndex()
        return self.model.row_at(self.proxy.mapToSource(index).row()) if index.isValid() else None

    def _on_edit_clicked(self) -> None:
        procedure = self.selected()
        if procedure is not None:
            self._open_dialog(procedure)

    def _open_dialog(self, procedure) -> None:
        fresh = attempt(self, self.services.catalogue.get, self.actor, procedure.id) if procedure else None
        if procedure is not None and fresh is None:
            return
        dialog = ProcedureDialog(self.services, self.actor, fresh, self)
        if dialog.exec() == ProcedureDialog.DialogCode.Accepted:
            self.reload()
            self._select_id(dialog.saved_id)

    def _select_id(self, procedure_id: int | None) -> None:
        for row in range(self.model.rowCount()):
            if self.model.row_at(row).id == procedure_id:
                self.view.setCurrentIndex(self.proxy.mapFromSource(self.model.index(row, 0)))
                return
