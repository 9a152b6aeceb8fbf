"""Tiếp nhận: the keyboard-first intake form. Fields follow the receipt (Mẫu 01); Ctrl+Enter saves."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tthc_desk.domain import Channel
from tthc_desk.errors import DeskError
from tthc_desk.services import Services
from tthc_desk.services.base import Actor
from tthc_desk.services.intake import IntakeForm, IntakeResult, validate_form
from tthc_desk.services.rights import Action, why_not
from ui import dialogs
from ui.dialogs import show_error
from ui.i18n import fmt_datetime, tr
from ui.intake.fields import TEXT_FIELDS
from ui.intake.papers import COL_NAME, PapersModel
from ui.intake.picker import ProcedurePicker
from ui.intake.receipt import ReceiptDialog
from ui.keys import keyed
from ui.prefs import UserPrefs

FIELD_KEYS = {  # Alt + letter goes to the field (the one after a label's "&"); each letter once on the page
    "applicant_name": "H", "applicant_id_number": "N", "applicant_address": "A", "applicant_phone": "O",
    "applicant_email": "I", "owner_name": "C", "owner_id_number": "D", "owner_address": "S",
}

FIELD_ORDER = (*(key for key, _label, _placeholder in TEXT_FIELDS), "procedure_id", "sets_count", "channel")


class IntakePage(QWidget):
    case_saved = Signal(str)  # the new case's code

    def __init__(self, services: Services, actor: Actor, prefs: UserPrefs | None = None, parent=None) -> None:
        super().__init__(parent)
        self.services, self.actor, self.prefs = services, actor, prefs
        self.token = uuid.uuid4().hex
        self.last_result: IntakeResult | None = None
        self._show_all_errors = False
        self._touched: set[str] = set()
        self._build_ui()
        self._connect_signals()
        self._set_tab_order()
        denied = why_not(actor.role, Action.INTAKE)
        if denied:
            self.save_button.setEnabled(False)
            self.save_button.setToolTip(denied)

    # ----- building -------------------------------------------------------------------------------------
    def _build_ui(self) -> None:
        outer = QVBoxLayout(self)
        title = QLabel(tr("Tiếp nhận hồ sơ"), self)
        title.setObjectName("pageTitle")
        outer.addWidget(title)
        columns = QHBoxLayout()
        outer.addLayout(columns, 1)
        columns.addWidget(self._people_box(), 2)
        columns.addLayout(self._case_column(), 3)
        bottom = QHBoxLayout()
        self.result_label = QLabel(self, wordWrap=True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bottom.addWidget(self.result_label, 1)
        self.new_button = QPushButton(keyed(tr("Hồ sơ mới (Ctrl+N)"), "M"), self)
        self.save_button = QPushButton(keyed(tr("Lưu hồ sơ (Ctrl+Enter)"), "L"), self)
        self.save_button.setDefault(True)
        bottom.addWidget(self.new_button)
        bottom.addWidget(self.save_button)
        outer.addLayout(bottom)

    def _people_box(self) -> QGroupBox:
        box = QGroupBox(tr("Người nộp và chủ hồ sơ"), self)
        form = QFormLayout(box)
        self.edits: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        for key, label, placeholder in TEXT_FIELDS:
            edit = QLineEdit(box)
            edit.setPlaceholderText(tr(placeholder) if placeholder else "")
            self.edits[key] = edit
            self._add_row(form, keyed(tr(label), FIELD_KEYS[key]), key, edit, box)
        return box

    def _add_row(self, form: QFormLayout, label: str, key: str, widget: QWidget, parent: QWidget) -> None:
        """A labelled field with its error line under it; the label's Alt + letter goes to the field itself
        (a label only gives focus to a buddy that takes focus, which the holder of field and error does not)."""
        form.addRow(label, self._with_error(key, widget, parent))
        form.labelForField(widget.parentWidget()).setBuddy(widget)

    def _with_error(self, key: str, widget: QWidget, parent: QWidget) -> QWidget:
        holder = QWidget(parent)
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(widget)
        error = QLabel(holder)
        error.setObjectName("fieldError")
        error.setVisible(False)
        layout.addWidget(error)
        self.errors[key] = error
        return holder

    def _case_column(self) -> QVBoxLayout:
        column = QVBoxLayout()
        form = QFormLayout()
        self.picker = ProcedurePicker(self.services, self.actor, self)
        self._add_row(form, keyed(tr("Thủ tục:"), "T"), "procedure_id", self.picker, self)
        column.addLayout(form)
        self.papers = PapersModel(self)
        self.papers_view = QTableView(self)
        self.papers_view.setModel(self.papers)
        self.papers_view.verticalHeader().setVisible(False)
        self.papers_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.papers_view.setTabKeyNavigation(False)
        header = self.papers_view.horizontalHeader()
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        papers_label = QLabel(keyed(tr("Thành phần hồ sơ (phím Cách để đánh dấu đã nhận):"), "P"), self)
        papers_label.setBuddy(self.papers_view)
        column.addWidget(papers_label)
        column.addWidget(self.papers_view, 2)
        more = QFormLayout()
        self.sets = QSpinBox(self, minimum=1, maximum=20, value=1)
        self.channel = QComboBox(self)
        self.return_channel = QComboBox(self)
        for ch in Channel:
            self.channel.addItem(ch.label, str(ch))
            self.return_channel.addItem(ch.label, str(ch))
        self._add_row(more, keyed(tr("Số bộ hồ sơ:"), "B"), "sets_count", self.sets, self)
        self._add_row(more, keyed(tr("Kênh nộp:"), "K"), "channel", self.channel, self)
        more.addRow(keyed(tr("Nhận kết quả qua:"), "Q"), self.return_channel)
        column.addLayout(more)
        self.due_label = QLabel(tr("Hẹn trả: chọn thủ tục để tính"), self)
        self.due_label.setObjectName("dueBig")
        column.addWidget(self.due_label)
        self.trace_text = QPlainTextEdit(self, readOnly=True)
        self.trace_text.setMaximumHeight(110)
        self.trace_text.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        column.addWidget(self.trace_text, 1)
        return column

    def _connect_signals(self) -> None:
        for key, edit in self.edits.items():
            edit.textChanged.connect(self._on_field_changed)
            edit.editingFinished.connect(lambda k=key: self._on_field_left(k))
        self.picker.picked.connect(self._on_procedure_picked)
        self.picker.cleared.connect(self._on_procedure_cleared)
        self.picker.returnPressed.connect(self._on_picker_return)
        self.channel.currentIndexChanged.connect(self._on_channel_changed)
        self.sets.valueChanged.connect(self._on_field_changed)
        self.save_button.clicked.connect(self.save)
        self.new_button.clicked.connect(self.ask_new_form)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.save, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def _set_tab_order(self) -> None:
        chain = [self.edits[k] for k, _l, _p in TEXT_FIELDS] + [
            self.picker, self.papers_view, self.sets, self.channel, self.return_channel, self.save_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        self.setFocusProxy(self.edits["applicant_name"])

    # ----- behaviour ------------------------------------------------------------------------------------
    def form(self) -> IntakeForm:
        view = self.picker.current
        values = {k: e.text() for k, e in self.edits.items()}
        return IntakeForm(procedure_id=view.id if view else None, channel=self.channel.currentData(),
                          return_channel=self.return_channel.currentData(), papers=self.papers.received(),
                          sets_count=self.sets.value(), intake_token=self.token, **values)

    def _on_field_changed(self) -> None:
        self._show_errors(validate_form(self.form()))

    def _on_field_left(self, key: str) -> None:
        self._touched.add(key)
        self._show_errors(validate_form(self.form()))

    def _show_errors(self, errors: dict[str, str]) -> None:
        for key, label in self.errors.items():
            message = errors.get(key, "") if (self._show_all_errors or key in self._touched) else ""
            label.setText(message)
            label.setVisible(bool(message))

    def _on_procedure_picked(self, view) -> None:
        self.papers.set_papers(view.papers)
        self._touched.add("procedure_id")
        self._update_due()
        self._on_field_changed()

    def _on_procedure_cleared(self) -> None:
        self.papers.set_papers([])
        self._update_due()

    def _on_picker_return(self) -> None:
        if self.picker.current is None:
            self.picker.choose_first()
        if self.picker.current is not None:
            self.papers_view.setFocus()
            self.papers_view.setCurrentIndex(self.papers.index(0, COL_NAME))

    def _on_channel_changed(self) -> None:
        self.return_channel.setCurrentIndex(self.channel.currentIndex())
        self._update_due()

    def _update_due(self) -> None:
        """Ask the core for the due time of this procedure on this channel, received now, and why."""
        view = self.picker.current
        if view is None:
            self.due_label.setText(tr("Hẹn trả: chọn thủ tục để tính"))
            self.trace_text.clear()
            return
        try:
            trace = self.services.intake.preview_due(self.actor, view.id, self.channel.currentData())
        except DeskError as exc:
            self.due_label.setText(exc.message)
            self.trace_text.clear()
            return
        if trace is None:
            self.due_label.setText(tr("Thủ tục chưa có thời hạn rõ ràng — cần quản trị xác nhận danh mục"))
            self.trace_text.clear()
            return
        self.due_label.setText(tr("Hẹn trả: {due}", due=fmt_datetime(trace.due_at)))
        self.trace_text.setPlainText(trace.text())

    def save(self) -> IntakeResult | None:
        """Register the case (a second save of the same form returns the same case) and offer the receipt."""
        if not self.save_button.isEnabled():
            return None
        form = self.form()
        errors = validate_form(form)
        if errors:
            self._show_all_errors = True
            self._show_errors(errors)
            self._focus_field(min(errors, key=self._reading_place))
            return None
        try:
            result = self.services.intake.register(self.actor, form)
        except DeskError as exc:
            show_error(self, exc)
            if exc.field:
                self._focus_field(exc.field)
            return None
        self.last_result = result
        self.result_label.setText(tr("Đã lưu hồ sơ {code} — hẹn trả {due} — số thứ tự {n}. Hồ sơ mới: Ctrl+N; sửa "
                                     "thông tin đã lưu: mở hồ sơ, Alt+S.", code=result.code,
                                     due=fmt_datetime(result.due_at), n=result.register_number))
        self._set_saved(True)
        if result.created:
            self.case_saved.emit(result.code)
        ReceiptDialog.offer(self, self.services, self.actor, result.code, self.prefs)
        return result

    def _set_saved(self, saved: bool) -> None:
        """A saved form is shown, not edited: a change typed after saving would not reach the case (saving the
        same form again gives the same case back, and reprints its receipt), so the fields refuse it until
        Hồ sơ mới. A typo found after saving is put right in the case view (Sửa thông tin người nộp), recorded."""
        for edit in self.edits.values():
            edit.setReadOnly(saved)
        for widget in (self.picker, self.papers_view, self.sets, self.channel, self.return_channel):
            widget.setEnabled(not saved)
        if saved:
            self.new_button.setFocus()

    @staticmethod
    def _reading_place(key: str) -> int:
        """Where a field comes in the tab order (people, then the case): a refused save goes to the first field
        in error as the user reads down the form, not to the first the core happened to check."""
        return FIELD_ORDER.index(key) if key in FIELD_ORDER else len(FIELD_ORDER)

    def _focus_field(self, key: str) -> None:
        widget = self.edits.get(key) or {"procedure_id": self.picker, "sets_count": self.sets,
                                         "channel": self.channel}.get(key)
        if widget is not None:
            widget.setFocus()

    def ask_new_form(self) -> None:
        """Hồ sơ mới (button, Ctrl+N): what was typed and not saved is only thrown away when the user says so."""
        typed = any(e.text().strip() for e in self.edits.values()) or bool(self.picker.text().strip())
        if typed and self.last_result is None and not dialogs.ask_yes_no(
                self, tr("Hồ sơ mới"), tr("Hồ sơ đang nhập chưa được lưu. Bỏ các thông tin đã nhập để tiếp nhận "
                                         "hồ sơ mới?")):
            return
        self.new_form()

    def new_form(self) -> None:
        """Clear everything for the next applicant, with a fresh save token."""
        self.token = uuid.uuid4().hex
        self.last_result = None
        self._set_saved(False)
        self._show_all_errors = False
        self._touched.clear()
        for edit in self.edits.values():
            edit.clear()
        self.picker.reset()
        self.papers.set_papers([])
        self.sets.setValue(1)
        self.channel.setCurrentIndex(0)
        self.result_label.clear()
        self._update_due()
        self._show_errors({})
        self.edits["applicant_name"].setFocus()
