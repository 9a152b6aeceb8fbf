"""The 'Đơn vị' tab: the office's unit tree (by parent_id), add, rename and move a unit under another."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from tthc_desk.errors import DeskError
from tthc_desk.services.base import Actor
from tthc_desk.services.rights import Action
from ui.keys import keyed
from ui.settings.common import attempt, button_box, error_label, guard, show_inline
from ui.settings.editors import NO_PARENT, ROW_ROLE


@dataclass(eq=False)
class UnitNode:
    unit: dict
    parent: UnitNode | None = None
    children: list[UnitNode] = field(default_factory=list)

    def row(self) -> int:
        return self.parent.children.index(self) if self.parent else 0


def build_tree(units: list[dict]) -> UnitNode:
    """A root node whose children are the top-level units; a unit whose parent is unknown goes to the top."""
    root = UnitNode({"id": None, "name": ""})
    nodes = {u["id"]: UnitNode(u) for u in units}
    for u in units:
        node = nodes[u["id"]]
        node.parent = nodes.get(u["parent_id"], root)
        node.parent.children.append(node)
    return root


class UnitTreeModel(QAbstractItemModel):
    COL_NAME, COL_KIND, COL_CODE = range(3)
    HEADERS = ("Tên đơn vị", "Loại", "Mã")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._root = UnitNode({"id": None, "name": ""})

    def set_units(self, units: list[dict]) -> None:
        self.beginResetModel()
        self._root = build_tree(units)
        self.endResetModel()

    def _node(self, index: QModelIndex | QPersistentModelIndex) -> UnitNode:
        return index.internalPointer() if index.isValid() else self._root

    def index(self, row: int, column: int, parent: QModelIndex | QPersistentModelIndex = NO_PARENT) -> QModelIndex:
        node = self._node(parent)
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        return self.createIndex(row, column, node.children[row])

    def parent(self, index=NO_PARENT):  # Qt overloads the name: parent(index) is the tree parent
        if not index.isValid():
            return QModelIndex()
        node = index.internalPointer().parent
        if node is None or node is self._root:
            return QModelIndex()
        return self.createIndex(node.row(), 0, node)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = NO_PARENT) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = NO_PARENT) -> int:
        return len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        unit = index.internalPointer().unit
        if role == Qt.ItemDataRole.DisplayRole:
            return (unit["name"], unit.get("kind", ""), unit.get("code", ""))[index.column()]
        if role == ROW_ROLE:
            return dict(unit)
        if role == Qt.ItemDataRole.ToolTipRole and unit.get("needs_review"):
            return "Đơn vị tạo tự động khi nhập dữ liệu, cần kiểm tra lại."
        return None

    def index_of(self, unit_id: int | None) -> QModelIndex:
        stack = [(self._root, QModelIndex())]
        while stack:
            node, idx = stack.pop()
            for row, child in enumerate(node.children):
                child_idx = self.index(row, 0, idx)
                if child.unit["id"] == unit_id:
                    return child_idx
                stack.append((child, child_idx))
        return QModelIndex()


class UnitDialog(QDialog):
    """Add (unit=None) or edit a unit: its name, kind, code and parent; OK saves through AccountService."""

    def __init__(self, services, actor: Actor, units: list[dict], unit: dict | None, parent_id: int | None,
                 parent=None) -> None:
        super().__init__(parent)
        self.services, self.actor, self.unit = services, actor, unit
        self.saved_id: int | None = None
        self.setWindowTitle("Thêm đơn vị" if unit is None else "Sửa đơn vị")
        self.name = QLineEdit(unit["name"] if unit else "")
        self.kind = QLineEdit(unit.get("kind", "") if unit else "", placeholderText="phòng ban / xã / cơ quan…")
        self.code = QLineEdit(unit.get("code", "") if unit else "")
        self.parent_unit = QComboBox()
        self.parent_unit.addItem("(cấp cao nhất)", None)
        for u in units:
            if unit is None or u["id"] != unit["id"]:
                self.parent_unit.addItem(u["name"], u["id"])
        self.parent_unit.setCurrentIndex(max(0, self.parent_unit.findData(unit["parent_id"] if unit else parent_id)))
        self.error = error_label()
        form = QFormLayout(self)
        form.addRow("Tên đơn vị", self.name)
        form.addRow("Loại", self.kind)
        form.addRow("Mã", self.code)
        form.addRow("Thuộc đơn vị", self.parent_unit)
        form.addRow(self.error)
        form.addRow(button_box(self, ok="Lưu"))
        self.resize(460, 0)

    def accept(self) -> None:
        try:
            self.saved_id = self.services.accounts.save_unit(
                self.actor, self.name.text(), self.parent_unit.currentData(), self.kind.text(),
                self.unit["id"] if self.unit else None, self.code.text())
        except DeskError as exc:
            show_inline(self.error, exc.message)
            return
        super().accept()


class UnitsTab(QWidget):
    def __init__(self, services, actor: Actor, parent=None) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.units: list[dict] = []
        self.model = UnitTreeModel(self)
        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.view.setUniformRowHeights(True)
        self.view.setStyleSheet("QTreeView::item { padding: 3px; }")
        self.add_button = QPushButton(keyed("Thêm đơn vị…", "T"))
        self.edit_button = QPushButton(keyed("Đổi tên / chuyển…", "C"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        buttons.addSpacing(12)
        hint = QLabel("Đơn vị mới được thêm vào dưới đơn vị đang chọn; "
                      "“Đổi tên / chuyển” đổi tên hoặc chuyển sang đơn vị cấp trên khác.", wordWrap=True)
        buttons.addWidget(hint, 1)  # wraps rather than widening the window past a 1366x768 screen at 125 %
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.edit_button.clicked.connect(self._on_edit_clicked)
        guard(actor, Action.EDIT_UNITS, (self.add_button, self.edit_button))
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        self.units = attempt(self, self.services.accounts.list_units, self.actor) or []
        self.model.set_units(self.units)
        self.view.expandAll()
        if select_id is not None:
            self.view.setCurrentIndex(self.model.index_of(select_id))

    def selected(self) -> dict | None:
        index = self.view.currentIndex()
        return index.siblingAtColumn(0).data(ROW_ROLE) if index.isValid() else None

    def _on_add_clicked(self) -> None:
        current = self.selected()
        self._run(UnitDialog(self.services, self.actor, self.units, None, current["id"] if current else None, self))

    def _on_edit_clicked(self) -> None:
        current = self.selected()
        if current is not None:
            self._run(UnitDialog(self.services, self.actor, self.units, current, None, self))

    def _run(self, dialog: UnitDialog) -> None:
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.reload(dialog.saved_id)
