"""The mapping editor: per field a combo of the file's columns; per unknown unit/procedure a choice.

Both sit in the sync page's narrow left pane (about 410 px at 1366x768 at 125 %), which never scrolls sideways:
a combo is as wide as its row, not as its longest entry, and shows a long entry cut with "…" (whole in its
tooltip, and in the popup list, which Fusion makes as wide as its entries up to the screen's width)."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QGroupBox,
    QLabel,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QVBoxLayout,
    QWidget,
)  # fmt: skip

from tthc_desk.sync.columns import ColumnMapping
from tthc_desk.sync.fields import REQUIRED_FIELDS
from tthc_desk.sync.plan import CREATE, Unknown
from tthc_desk.text import fold
from ui.i18n import tr

UNUSED = -1
COMBO_CHARS = 12  # what a combo asks for itself: the pane, not its longest entry, decides its width
# a required field no column provides, in the colour of the page's reasons that stop the import
MISSING_STYLE = "color: #b00020; font-weight: bold;"


class ChoiceCombo(QComboBox):
    """A combo as narrow as its row makes it: the current entry is cut with "…" to fit and is whole in the
    tooltip; each entry of the popup list has its whole text as tooltip (a procedure's name can be wider than
    the screen). The mouse wheel over a combo without the keyboard scrolls the pane instead of changing the
    choice (a changed choice reads the file again)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(COMBO_CHARS)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.currentIndexChanged.connect(lambda _i: self.setToolTip(self.currentText()))

    def add_choices(self, choices: list[tuple[str, object]]) -> None:
        """Append (text, data) entries, each with its whole text as tooltip."""
        for text, data in choices:
            self.addItem(text, data)
            self.setItemData(self.count() - 1, text, Qt.ItemDataRole.ToolTipRole)

    def paintEvent(self, _event) -> None:  # noqa: N802 - QComboBox's own painting, the text cut to fit
        painter = QStylePainter(self)
        opt = QStyleOptionComboBox()
        self.initStyleOption(opt)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, opt)
        field = self.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, opt,
                                            QStyle.SubControl.SC_ComboBoxEditField, self)  # fmt: skip
        elide = Qt.TextElideMode.ElideRight
        opt.currentText = self.fontMetrics().elidedText(opt.currentText, elide, field.width())
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, opt)

    def wheelEvent(self, event) -> None:  # noqa: N802
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


FOLDED_ROLE = Qt.ItemDataRole.UserRole + 7  # an entry's text without diacritics, what typed words are matched on


class FoldedCompleter(QCompleter):
    """Completes on the entries' folded text with the typed words folded the same way: "dang ky khai sinh",
    "ĐĂNG KÝ" and "đăng ký" find "Thủ tục đăng ký khai sinh" alike, as the queue's search does. What it puts
    in the box is the entry's own text, never the folded one."""

    def splitPath(self, path: str) -> list[str]:  # noqa: N802 (Qt's name)
        return [fold(path)]

    def pathFromIndex(self, index) -> str:  # noqa: N802 (Qt's name)
        return index.data(Qt.ItemDataRole.DisplayRole) or ""


def searchable(combo: QComboBox) -> None:
    """Let the user type words of an entry ("khai sinh", with or without diacritics) and pick it from the
    entries holding them: a plain combo finds an entry by its first letters only, and a procedure's entry
    starts with its code. What is typed chooses nothing by itself; leaving the box shows the entry chosen
    again."""
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.lineEdit().setPlaceholderText(tr("gõ mã hoặc vài chữ của tên thủ tục"))
    for i in range(combo.count()):
        combo.setItemData(i, fold(combo.itemText(i)), FOLDED_ROLE)
    completer = FoldedCompleter(combo.model(), combo)  # the combo's own model: a pick maps to its row
    completer.setCompletionRole(FOLDED_ROLE)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseSensitive)  # both sides are folded to lower case
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    combo.setCompleter(completer)

    def show_choice() -> None:  # nothing chosen yet: an empty box under its hint, ready for the words typed
        if shiboken6.isValid(combo):  # (its box loses the keyboard also as a revised plan replaces the combo)
            combo.setEditText("" if combo.currentData() is None else combo.itemText(combo.currentIndex()))

    combo.lineEdit().editingFinished.connect(show_choice)
    show_choice()


class MappingEditor(QGroupBox):
    """Emits `column_changed(field, column or None)` when the user corrects a column."""

    column_changed = Signal(str, object)

    def __init__(self, parent=None) -> None:
        super().__init__(tr("Ánh xạ cột (trường ← cột của tệp)"), parent)
        self.form = QFormLayout(self)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.combos: dict[str, QComboBox] = {}
        self.labels: dict[str, QLabel] = {}

    def show_mapping(self, mapping: ColumnMapping) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.combos.clear()
        self.labels.clear()
        columns = [(header or tr("Cột {n}", n=col + 1), col) for col, header in enumerate(mapping.headers)]
        for field, label, _header in mapping.describe():
            required = field in REQUIRED_FIELDS
            combo = ChoiceCombo(self)
            # a required field cannot go unused: its empty entry says that a column is still to be chosen
            combo.add_choices([(tr("(chưa chọn cột — bắt buộc)") if required else tr("(không dùng)"), UNUSED),
                               *columns])  # fmt: skip
            combo.setCurrentIndex(combo.findData(mapping.columns.get(field, UNUSED)))
            combo.currentIndexChanged.connect(lambda _i, f=field, c=combo: self._on_combo_changed(f, c))
            name = QLabel(label + (" *" if required else ""), self)
            name.setBuddy(combo)
            if required and field not in mapping.columns:
                name.setStyleSheet(MISSING_STYLE)
            self.combos[field], self.labels[field] = combo, name
            self.form.addRow(name, combo)

    def set_column(self, field: str, column: int | None) -> None:
        """Show `field` read from `column` (None: unused) without saying it changed."""
        combo = self.combos.get(field)
        if combo is not None:
            combo.blockSignals(True)
            combo.setCurrentIndex(combo.findData(UNUSED if column is None else column))
            combo.blockSignals(False)

    def first_missing(self) -> QComboBox | None:
        """The combo of the first required field no column provides, for the keyboard to go to."""
        missing = (c for f, c in self.combos.items() if f in REQUIRED_FIELDS and c.currentData() == UNUSED)
        return next(missing, None)

    def label_for(self, combo: QWidget) -> QLabel | None:
        return next((self.labels[f] for f, c in self.combos.items() if c is combo), None)

    def _on_combo_changed(self, field: str, combo: QComboBox) -> None:
        column = combo.currentData()
        self.column_changed.emit(field, None if column == UNUSED else column)


class UnknownsEditor(QGroupBox):
    """One combo per unit/procedure the catalogue lacks: map to an existing one, or create it (needs review).

    Each name stands above its combo across the pane's width, wrapped, so the whole name is in sight however
    long (beside the combo, a long name left the combo no room, or the pane had to scroll sideways)."""

    choices_changed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(tr("Đơn vị / thủ tục chưa có trong danh mục"), parent)
        self.box = QVBoxLayout(self)
        self.form_host = QWidget(self)
        self.form = QFormLayout(self.form_host)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.empty = QLabel(tr("Không có — mọi đơn vị và thủ tục trong tệp đều đã có."), self, wordWrap=True)
        self.box.addWidget(self.empty)
        self.box.addWidget(self.form_host)
        self.combos: list[tuple[Unknown, QComboBox]] = []
        self.labels: dict[QComboBox, QLabel] = {}

    def show_unknowns(self, units: list[Unknown], procedures: list[Unknown],
                      unit_choices: list[tuple[int, str]], procedure_choices: list[tuple[int, str]]) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.combos.clear()
        self.labels.clear()
        for unknown, choices in [*((u, unit_choices) for u in units), *((p, procedure_choices) for p in procedures)]:
            row = QWidget(self.form_host)  # the name and its combo, one row of the form: removed together
            combo = ChoiceCombo(row)
            combo.add_choices([(tr("— chọn —"), None), (tr("Tạo mới (cần xác nhận)"), CREATE),
                               *((name, key) for key, name in choices)])  # fmt: skip
            combo.setCurrentIndex(max(0, combo.findData(unknown.resolution)))
            if unknown.kind == "procedure":  # hundreds of them: found by any words of the code or the name
                searchable(combo)
            combo.currentIndexChanged.connect(self.choices_changed)
            kind = tr("Đơn vị") if unknown.kind == "unit" else tr("Thủ tục")
            # the code as the reasons above say it ("Thủ tục '1.000010' chưa có…"), and the name to decide by
            name = " — ".join(dict.fromkeys(t for t in (unknown.code, unknown.name) if t)) or unknown.key
            label = QLabel(tr("{kind} '{name}' ({n} dòng)", kind=kind, name=name, n=len(unknown.rows)), row,
                           wordWrap=True)  # fmt: skip
            label.setTextFormat(Qt.TextFormat.PlainText)  # a name is shown as written, "<" and "&" too
            label.setBuddy(combo)
            pair = QVBoxLayout(row)
            pair.setContentsMargins(0, 0, 0, 0)
            pair.setSpacing(2)
            pair.addWidget(label)
            pair.addWidget(combo)
            self.form.addRow(row)
            self.combos.append((unknown, combo))
            self.labels[combo] = label
        self.empty.setVisible(not self.combos)
        self.form_host.setVisible(bool(self.combos))

    def combo_for(self, kind: str, key: str) -> QComboBox | None:
        """The combo settling the unknown `kind` ("unit" or "procedure") named `key`, if shown."""
        return next((c for u, c in self.combos if (u.kind, u.key) == (kind, key)), None)

    def choice_of(self, widget: QWidget | None) -> tuple[str, str] | None:
        """(kind, key) of the unknown whose combo `widget` is, or None."""
        return next(((u.kind, u.key) for u, c in self.combos if c is widget), None)

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
