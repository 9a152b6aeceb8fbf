"""One small dialog per case action; each reads its fields and calls one WorkflowService method."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from tthc_desk.errors import DeskError, ValidationError
from tthc_desk.services import Services
from tthc_desk.services.base import Actor
from tthc_desk.services.casefile import CaseDetail
from tthc_desk.services.rights import Action
from tthc_desk.services.workflow import CORRECTABLE, ActionOutcome
from ui.i18n import DATETIME_FORMAT, fmt_datetime, tr
from ui.intake.fields import TEXT_FIELDS
from ui.keys import keyed

ACTION_LABELS = {
    Action.TRANSFER: "Chuyển xử lý…", Action.REQUEST_SUPPLEMENT: "Yêu cầu bổ sung…",
    Action.RECEIVE_SUPPLEMENT: "Nhận bổ sung…", Action.RECORD_RESULT: "Có kết quả…",
    Action.RETURN_RESULT: "Trả kết quả…", Action.REFUSE: "Từ chối…", Action.WITHDRAW: "Rút hồ sơ…",
    Action.STOP: "Dừng xử lý…", Action.EXTEND: "Xin lỗi và hẹn lại…", Action.EDIT_CASE: "Sửa thông tin người nộp…",
}
ACTION_KEYS = {  # Alt + letter on the case view's buttons; the busiest actions get their initials
    Action.TRANSFER: "C", Action.REQUEST_SUPPLEMENT: "Y", Action.RECEIVE_SUPPLEMENT: "N",
    Action.RECORD_RESULT: "K", Action.RETURN_RESULT: "T", Action.REFUSE: "H", Action.WITHDRAW: "R",
    Action.STOP: "D", Action.EXTEND: "X", Action.EDIT_CASE: "S",
}


class ActionDialog(QDialog):
    """Fields in a form, Đồng ý / Hủy; a refusal from the core stays in the dialog as a red line, and the
    focus goes to the field it names. The dialog opens on its first field and Tab follows the form down to
    the buttons: opened on "Đồng ý", a reflex Enter would record an action nobody filled in."""

    performed = Signal(object)  # ActionOutcome

    def __init__(self, services: Services, actor: Actor, case: CaseDetail, title: str, parent=None) -> None:
        super().__init__(parent)
        self.services, self.actor, self.case = services, actor, case
        self.outcome: ActionOutcome | None = None
        self.fields: list[QWidget] = []  # what takes the focus, in reading order
        self.named: dict[str, QWidget] = {}  # the core's name of a field (DeskError.field) -> its widget
        self.field_errors: dict[str, QLabel] = {}  # the fields with a red line of their own
        self.setWindowTitle(tr("{action} — hồ sơ {code}", action=title.rstrip("…"), code=case.code))
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        self.form = QFormLayout()
        layout.addLayout(self.form)
        self.error = QLabel(self, wordWrap=True)
        self.error.setObjectName("fieldError")
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def perform(self) -> ActionOutcome:
        raise NotImplementedError

    def accept(self) -> None:
        try:
            self.outcome = self.perform()
        except DeskError as exc:
            self._show_error(exc)
            return
        super().accept()
        self.performed.emit(self.outcome)

    def _show_error(self, exc: DeskError) -> None:
        """The message on its field's own line where it has one, else on the line above the buttons; the
        focus on the field it names, to put it right there."""
        for line in self.field_errors.values():
            line.setVisible(False)
        line = self.field_errors.get(exc.field or "")
        if line is None:
            self.error.setText(exc.message)
        else:
            line.setText(exc.message)
            line.setVisible(True)
            self.error.clear()
        widget = self.named.get(exc.field or "")
        if widget is not None:
            widget.setFocus()

    def showEvent(self, event) -> None:
        """The fields in reading order, then Đồng ý / Hủy; the focus on the first field."""
        chain = [*self.fields, *self.buttons.buttons()]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        first = next((w for w in self.fields if w.isEnabled()), None)
        if first is not None:
            first.setFocus()
        super().showEvent(event)

    def _row(self, label: str | None, widget: QWidget, field: str | None = None, own_line: bool = False):
        """A row of the form (`label` None: the widget across it). `field` is the core's name for it
        (DeskError.field), focused when a refusal names it; with `own_line` the message shows in red under it
        (for a field at the top, far from the line above the buttons)."""
        shown = widget
        if field is not None:
            self.named[field] = widget
        if own_line:
            shown = QWidget(self)
            column = QVBoxLayout(shown)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(1)
            column.addWidget(widget)
            line = QLabel(shown, wordWrap=True, visible=False)
            line.setObjectName("fieldError")
            column.addWidget(line)
            self.field_errors[field] = line
        if label is None:
            self.form.addRow(shown)
        else:
            self.form.addRow(tr(label), shown)
        self.fields.append(widget)
        return widget

    def _text(self, label: str, multiline: bool = False, field: str | None = None):
        edit = QPlainTextEdit(self) if multiline else QLineEdit(self)
        if multiline:
            edit.setTabChangesFocus(True)
            edit.setMaximumHeight(80)
        return self._row(label, edit, field)


class TransferDialog(ActionDialog):
    """The unit the procedure names as lead is chosen beforehand; with none, nothing is, and Đồng ý asks for
    one (the first unit of the list is nobody's choice)."""

    def __init__(self, services, actor, case, parent=None) -> None:
        super().__init__(services, actor, case, ACTION_LABELS[Action.TRANSFER], parent)
        self.unit = QComboBox(self, placeholderText=tr("(chọn đơn vị)"))
        for unit in services.accounts.list_units(actor):
            if unit["active"] and unit["name"] != case.current_unit:
                self.unit.addItem(unit["name"], unit["id"])
        # a unit's name is unique in the office; the lead unit may be the one holding the case, then none
        self.unit.setCurrentIndex(self.unit.findText(case.lead_unit) if case.lead_unit else -1)
        self._row("Chuyển đến đơn vị:", self.unit, field="to_unit_id", own_line=True)
        self.own_share = QCheckBox(keyed(tr("Đặt thời gian riêng cho bước này"), "R"), self)
        self.share = QDoubleSpinBox(self, minimum=0, maximum=90, singleStep=0.5, decimals=1, value=1, enabled=False)
        self.share.setSuffix(tr(" ngày làm việc"))
        self.own_share.toggled.connect(self.share.setEnabled)
        self._row(None, self.own_share)
        self._row("Thời gian của bước:", self.share, field="share_days")
        self.form.addRow(QLabel(tr("Không đặt riêng: theo quy trình của thủ tục, hoặc hạn của hồ sơ."), self))
        self.note = self._text("Ghi chú:")

    def perform(self) -> ActionOutcome:
        if self.unit.currentData() is None:
            raise ValidationError(tr("Chưa chọn đơn vị nhận hồ sơ."), field="to_unit_id")
        share = self.share.value() if self.own_share.isChecked() else None
        return self.services.workflow.transfer(self.actor, self.case.code, self.unit.currentData(), share,
                                               self.note.text())


class SupplementDialog(ActionDialog):
    def __init__(self, services, actor, case, parent=None) -> None:
        super().__init__(services, actor, case, ACTION_LABELS[Action.REQUEST_SUPPLEMENT], parent)
        self.reason = self._text("Lý do:", multiline=True, field="reason")
        self.papers = QListWidget(self)
        for paper in case.papers:
            item = QListWidgetItem(paper.get("name", ""), self.papers)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.papers.setMaximumHeight(120)
        self._row("Giấy tờ cần bổ sung:", self.papers)
        self.other = self._text("Giấy tờ khác (cách nhau bởi dấu ;):")
        if case.supplement_count:
            self.error.setText(tr("Hồ sơ đã được yêu cầu bổ sung {n} lần; chỉ được yêu cầu một lần.",
                                  n=case.supplement_count))

    def missing(self) -> list[str]:
        ticked = [self.papers.item(i).text() for i in range(self.papers.count())
                  if self.papers.item(i).checkState() == Qt.CheckState.Checked]
        return ticked + [p.strip() for p in self.other.text().split(";") if p.strip()]

    def perform(self) -> ActionOutcome:
        return self.services.workflow.request_supplement(self.actor, self.case.code, self.reason.toPlainText(),
                                                         self.missing())


class NoteDialog(ActionDialog):
    """Nhận bổ sung, có kết quả, trả kết quả: an optional note."""

    CALLS = {Action.RECEIVE_SUPPLEMENT: "receive_supplement", Action.RECORD_RESULT: "record_result",
             Action.RETURN_RESULT: "return_result"}

    def __init__(self, services, actor, case, action: Action, parent=None) -> None:
        super().__init__(services, actor, case, ACTION_LABELS[action], parent)
        self.action = action
        self.note = self._text("Ghi chú:")

    def perform(self) -> ActionOutcome:
        call = getattr(self.services.workflow, self.CALLS[self.action])
        return call(self.actor, self.case.code, self.note.text())


class ReasonDialog(ActionDialog):
    """Từ chối, rút hồ sơ, dừng xử lý: the reason is required."""

    CALLS = {Action.REFUSE: "refuse", Action.WITHDRAW: "withdraw", Action.STOP: "stop"}

    def __init__(self, services, actor, case, action: Action, parent=None) -> None:
        super().__init__(services, actor, case, ACTION_LABELS[action], parent)
        self.action = action
        self.reason = self._text("Lý do:", multiline=True, field="reason")

    def perform(self) -> ActionOutcome:
        call = getattr(self.services.workflow, self.CALLS[self.action])
        return call(self.actor, self.case.code, self.reason.toPlainText())


class ExtendDialog(ActionDialog):
    """Xin lỗi và hẹn lại (only once): reason, the new appointment, the apology letter's number."""

    def __init__(self, services, actor, case, parent=None) -> None:
        super().__init__(services, actor, case, ACTION_LABELS[Action.EXTEND], parent)
        self.form.addRow(tr("Hạn hiện tại:"), QLabel(fmt_datetime(case.due_at), self))
        self.reason = self._text("Lý do chậm:", multiline=True, field="reason")
        self.new_due = QDateTimeEdit(self, calendarPopup=True)
        self.new_due.setDisplayFormat(DATETIME_FORMAT)
        if case.due_at:
            self.new_due.setDateTime(QDateTime(case.due_at))
        self._row("Ngày giờ hẹn mới:", self.new_due, field="new_due")
        self.letter_number = self._text("Số văn bản xin lỗi:")

    def set_new_due(self, moment: datetime) -> None:
        self.new_due.setDateTime(QDateTime(moment))

    def perform(self) -> ActionOutcome:
        moment = self.new_due.dateTime().toPython().replace(second=0, microsecond=0)
        return self.services.workflow.extend(self.actor, self.case.code, self.reason.toPlainText(), moment,
                                             self.letter_number.text())


class CorrectDialog(ActionDialog):
    """Sửa thông tin người nộp: the applicant's and owner's details as stored, to put a typo right; only what
    was changed is sent, with the reason the history keeps."""

    def __init__(self, services, actor, case, parent=None) -> None:
        super().__init__(services, actor, case, ACTION_LABELS[Action.EDIT_CASE], parent)
        stored = {f"applicant_{k}": v for k, v in case.applicant.items()} | {f"owner_{k}": v for k, v in case.owner.items()}
        self.stored = {key: stored.get(key) or "" for key in CORRECTABLE}
        self.edits: dict[str, QLineEdit] = {}
        for key, label, placeholder in TEXT_FIELDS:  # the intake form's labels, in its order
            edit = QLineEdit(self.stored[key], self, placeholderText=tr(placeholder))
            edit.setCursorPosition(0)  # a long address shows its beginning
            self.edits[key] = self._row(label, edit, field=key)
        self.reason = self._text("Lý do sửa:", field="reason")
        self.setMinimumWidth(600)

    def changed(self) -> dict[str, str]:
        return {key: edit.text() for key, edit in self.edits.items() if edit.text() != self.stored[key]}

    def perform(self) -> ActionOutcome:
        return self.services.workflow.correct_details(self.actor, self.case.code, self.reason.text(), **self.changed())


def dialog_for(action: Action, services: Services, actor: Actor, case: CaseDetail, parent=None) -> ActionDialog:
    if action is Action.EDIT_CASE:
        return CorrectDialog(services, actor, case, parent)
    if action is Action.TRANSFER:
        return TransferDialog(services, actor, case, parent)
    if action is Action.REQUEST_SUPPLEMENT:
        return SupplementDialog(services, actor, case, parent)
    if action is Action.EXTEND:
        return ExtendDialog(services, actor, case, parent)
    if action in NoteDialog.CALLS:
        return NoteDialog(services, actor, case, action, parent)
    return ReasonDialog(services, actor, case, action, parent)
