"""The mapping editor: per field a combo of the file's columns; per unknown unit/procedure a choice."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from tthc_desk.sync.columns import REQUIRED_FIELDS, ColumnMapping
from tthc_desk.sync.service_model import CREATE, Unknown
from ui.i18n import tr

UNUSED = -1


class MappingEditor(QGroupBox):
    """Emits `column_changed(field, column or None)` when the user corrects a column."""

    column_changed = Signal(str, object)

    def __init__(self, parent=None) -> None:
        super().__init__(tr("Ánh xạ cột (trường ← cột của tệp)"), parent)
        self.form = QFormLayout(self)
        self.combos: dict[str, QComboBox] = {}

    def show_mapping(self, mapping: ColumnMapping) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.combos.clear()
        for field, label, _header in mapping.describe():
            combo = QComboBox(self)
            combo.addItem(tr("(không dùng)"), UNUSED)
            for col, header in enumerate(mapping.headers):
                combo.addItem(header or tr("Cột {n}", n=col + 1), col)
            combo.setCurrentIndex(combo.findData(mapping.columns.get(field, UNUSED)))
            combo.currentIndexChanged.connect(lambda _i, f=field, c=combo: self._on_combo_changed(f, c))
            self.combos[field] = combo
            self.form.addRow(label + (" *" if field in REQUIRED_FIELDS else ""), combo)

    def _on_combo_changed(self, field: str, combo: QComboBox) -> None:
        column = combo.currentData()
        self.column_changed.emit(field, None if column == UNUSED else column)


class UnknownsEditor(QGroupBox):
    """One combo per unit/procedure the catalogue lacks: map to an existing one, or create it (needs review)."""

    choices_changed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(tr("Đơn vị / thủ tục chưa có trong danh mục"), parent)
        self.box = QVBoxLayout(self)
        self.form_host = QWidget(self)
        self.form = QFormLayout(self.form_host)
        self.empty = QLabel(tr("Không có — mọi đơn vị và thủ tục trong tệp đều đã có."), self)
        self.box.addWidget(self.empty)
        self.box.addWidget(self.form_host)
        self.combos: list[tuple[Unknown, QComboBox]] = []

    def show_unknowns(self, units: list[Unknown], procedures: list[Unknown],
                      unit_choices: list[tuple[int, str]], procedure_choices: list[tuple[int, str]]) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.combos.clear()
        for unknown, choices in [*((u, unit_choices) for u in units), *((p, procedure_choices) for p in procedures)]:
            combo = QComboBox(self)
            combo.addItem(tr("— chọn —"), None)
            combo.addItem(tr("Tạo mới (cần xác nhận)"), CREATE)
            for key, name in choices:
                combo.addItem(name, key)
            combo.setCurrentIndex(max(0, combo.findData(unknown.resolution)))
            combo.currentIndexChanged.connect(self.choices_changed)
            kind = tr("Đơn vị") if unknown.kind == "unit" else tr("Thủ tục")
            self.form.addRow(tr("{kind} '{name}' ({n} dòng)", kind=kind, name=unknown.name or unknown.key,
                                n=len(unknown.rows)), combo)
            self.combos.append((unknown, combo))
        self.empty.setVisible(not self.combos)
        self.form_host.setVisible(bool(self.combos))

    def first_open_choice(self) -> QComboBox | None:
        """The first unit or procedure still to be settled (nothing chosen), for the keyboard to go to."""
        return next((combo for _unknown, combo in self.combos if combo.currentData() is None), None)

    def maps(self) -> tuple[dict, dict]:
        """(unit_map, procedure_map) as chosen."""
        units, procs = {}, {}
        for unknown, combo in self.combos:
            value = combo.currentData()
            if value is not None:
                (units if unknown.kind == "unit" else procs)[unknown.key] = value
        return units, procs
