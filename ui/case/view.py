"""Hồ sơ: everything about one case, and a button per action (disabled with the reason when not allowed)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tthc_desk.services import Services
from tthc_desk.services.base import Actor
from tthc_desk.services.casefile import CaseDetail
from tthc_desk.services.documents import DocumentChoice
from tthc_desk.services.rights import Action
from tthc_desk.services.workflow import CASE_ACTIONS, ActionOutcome
from ui import dialogs
from ui.case.actions import ACTION_KEYS, ACTION_LABELS, ActionDialog, dialog_for
from ui.case.models import EventsModel, LettersTable, PapersTable, StepsTable
from ui.documents import DocumentDialog
from ui.i18n import fmt_datetime, tr
from ui.keys import keyed
from ui.prefs import UserPrefs
from ui.screen import fit_to_screen
from ui.style import chip_colours


def _table(model, parent) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.verticalHeader().setVisible(False)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setWordWrap(True)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return view


LETTER_OF_ACTION = {  # the document an action hands the citizen, offered as soon as the action is recorded
    Action.REQUEST_SUPPLEMENT: "supplement", Action.REFUSE: "refusal", Action.EXTEND: "apology",
    Action.STOP: "stop_notice",  # offered only where the office's form set has the notice (2025)
}
# the first row of buttons, the ordinary course of a case; the other actions go on the second
ORDINARY_COURSE = {
    Action.TRANSFER,
    Action.REQUEST_SUPPLEMENT,
    Action.RECEIVE_SUPPLEMENT,
    Action.RECORD_RESULT,
    Action.RETURN_RESULT,
}


class CaseDialog(QDialog):
    case_changed = Signal(str)

    def __init__(self, services: Services, actor: Actor, code: str, prefs: UserPrefs | None = None,
                 parent=None) -> None:
        super().__init__(parent)
        self.services, self.actor, self.code, self.prefs = services, actor, code, prefs
        self.detail: CaseDetail | None = None
        self._build_ui()
        fit_to_screen(self, 1100, 700)
        self.load()
        if prefs and prefs.restore_geometry("case_dialog", self):
            fit_to_screen(self, self.width(), self.height())  # saved on a larger screen than this one

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        head = QHBoxLayout()
        self.title = QLabel(self)
        self.title.setObjectName("pageTitle")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.chip = QLabel(self)
        self.remaining = QLabel(self)
        head.addWidget(self.title)
        head.addWidget(self.chip)
        head.addWidget(self.remaining, 1)
        layout.addLayout(head)
        self.tabs = QTabWidget(self)
        self.info = QWidget(self)
        self.info_form = QGridLayout(self.info)
        info_scroll = QScrollArea(self, widgetResizable=True, frameShape=QFrame.Shape.NoFrame)
        info_scroll.setWidget(self.info)  # a 900-character national name on a low screen scrolls
        self.tabs.addTab(info_scroll, tr("Thông tin"))
        self.papers_model, self.events_model = PapersTable(parent=self), EventsModel(parent=self)
        self.steps_model, self.letters_model = StepsTable(parent=self), LettersTable(parent=self)
        self.tabs.addTab(_table(self.papers_model, self), tr("Giấy tờ"))
        self.events_view = _table(self.events_model, self)
        self.tabs.addTab(self.events_view, tr("Quá trình xử lý"))
        self.tabs.addTab(self._deadline_tab(), tr("Thời hạn"))
        self.tabs.addTab(_table(self.letters_model, self), tr("Văn bản đã phát hành"))
        layout.addWidget(self.tabs, 1)
        # two rows, so that the view fits a 1366x768 screen at 125 % (1093 px): the steps of the ordinary
        # course with "In văn bản…", then the exceptions and the corrections with "Đóng"
        actions = QGridLayout()
        self.action_buttons: dict[Action, QPushButton] = {}
        rows = (
            [a for a in CASE_ACTIONS if a in ORDINARY_COURSE],
            [a for a in CASE_ACTIONS if a not in ORDINARY_COURSE],
        )
        end = max(len(r) for r in rows)
        ends = (self._print_button, self._close_box)  # each made after its row's actions: Tab reads in rows
        for row, row_actions in enumerate(rows):
            for column, action in enumerate(row_actions):
                button = QPushButton(keyed(tr(ACTION_LABELS[action]), ACTION_KEYS[action]), self)
                button.setAutoDefault(False)
                button.clicked.connect(lambda _=False, a=action: self.run_action(a))
                self.action_buttons[action] = button
                actions.addWidget(button, row, column)
            actions.addWidget(ends[row](), row, end + 1)
        actions.setColumnStretch(end, 1)
        layout.addLayout(actions)

    def _print_button(self) -> QPushButton:
        self.print_button = QPushButton(keyed(tr("In văn bản…"), "I"), self)
        self.print_button.setAutoDefault(False)
        self.print_menu = QMenu(self.print_button)
        self.print_menu.setToolTipsVisible(True)
        self.print_menu.aboutToShow.connect(self._fill_print_menu)
        self.print_button.setMenu(self.print_menu)
        return self.print_button

    def _close_box(self) -> QDialogButtonBox:
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)  # Esc
        close.rejected.connect(self.reject)
        return close

    def _deadline_tab(self) -> QWidget:
        tab = QWidget(self)
        layout = QVBoxLayout(tab)
        self.deadline_form = QFormLayout()
        layout.addLayout(self.deadline_form)
        layout.addWidget(QLabel(tr("Vì sao có hạn này:"), tab))
        self.trace_text = QPlainTextEdit(tab, readOnly=True)
        layout.addWidget(self.trace_text, 1)
        layout.addWidget(QLabel(tr("Các bước xử lý (phiếu kiểm soát):"), tab))
        self.steps_view = _table(self.steps_model, tab)
        self.steps_view.setWordWrap(False)
        layout.addWidget(self.steps_view, 1)
        return tab

    # ----- content -------------------------------------------------------------------------------------
    def load(self) -> None:
        """Fetch the case again and show it (after every action)."""
        d = self.detail = self.services.casefile.detail(self.actor, self.code)
        self.setWindowTitle(tr("Hồ sơ {code}", code=d.code))
        self.title.setText(d.code)
        bg, fg = chip_colours(d.colour)
        self.chip.setText(f" {d.chip_label} ")
        self.chip.setStyleSheet(f"background:{bg.name()}; color:{fg.name()}; border-radius:9px; padding:3px 10px;"
                                "font-weight:bold;")
        self.remaining.setText(tr("{status} — {remaining}", status=d.status.label, remaining=d.remaining_text or "—"))
        self._fill_info(d)
        self.papers_model.set_records(d.papers)
        self.events_model.set_records(d.events)
        self.events_view.resizeColumnsToContents()
        self.steps_model.set_records(d.steps)
        self.steps_view.resizeColumnsToContents()
        self.letters_model.set_records(d.letters)
        self._fill_deadline(d)
        self._update_actions(d)

    def _fill_info(self, d: CaseDetail) -> None:
        while self.info_form.count():
            self.info_form.takeAt(0).widget().deleteLater()
        rows = [
            (tr("Thủ tục"), f"{d.procedure_code} — {d.procedure_name}"), (tr("Lĩnh vực"), d.field),
            (tr("Thời hạn giải quyết"), d.rule_text), (tr("Người nộp"), d.applicant["name"]),
            (tr("CCCD"), d.applicant["id_number"]), (tr("Điện thoại"), d.applicant["phone"]),
            (tr("Thư điện tử"), d.applicant["email"]), (tr("Địa chỉ"), d.applicant["address"]),
            (tr("Chủ hồ sơ"), d.owner["name"]), (tr("Kênh nộp"), d.channel.label),
            (tr("Nhận kết quả qua"), d.return_channel.label), (tr("Số bộ"), str(d.sets_count)),
            (tr("Sổ theo dõi"), tr("năm {y}, số {n}", y=d.register_year or "—", n=d.register_number or "—")),
            (tr("Tiếp nhận lúc"), fmt_datetime(d.received_at)), (tr("Người tiếp nhận"), d.received_by),
            (tr("Đơn vị chủ trì"), d.lead_unit), (tr("Đơn vị đang giữ"), d.current_unit),
            (tr("Số lần yêu cầu bổ sung"), str(d.supplement_count)), (tr("Lý do kết thúc"), d.close_reason),
        ]
        half = (len(rows) + 1) // 2
        for i, (label, value) in enumerate(rows):
            col, row = (0, i) if i < half else (2, i - half)
            value_label = QLabel(value or "—", self.info, wordWrap=True)
            value_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.info_form.addWidget(QLabel(f"<b>{label}:</b>", self.info), row, col, Qt.AlignmentFlag.AlignTop)
            self.info_form.addWidget(value_label, row, col + 1, Qt.AlignmentFlag.AlignTop)
        self.info_form.setColumnStretch(1, 1)
        self.info_form.setColumnStretch(3, 1)
        self.info_form.setRowStretch(half, 1)

    def _fill_deadline(self, d: CaseDetail) -> None:
        while self.deadline_form.rowCount():
            self.deadline_form.removeRow(0)
        self.deadline_form.addRow(tr("Hẹn trả hiện tại:"), QLabel(fmt_datetime(d.due_at), self))
        self.deadline_form.addRow(tr("Hạn gốc (tính đúng/trễ hạn):"), QLabel(fmt_datetime(d.original_due_at), self))
        if d.extension_count:
            self.deadline_form.addRow(tr("Đã xin lỗi và hẹn lại:"), QLabel(tr("{n} lần", n=d.extension_count), self))
        if d.result_at:
            verdict = d.timeliness.label if d.timeliness else ""
            self.deadline_form.addRow(tr("Có kết quả lúc:"), QLabel(f"{fmt_datetime(d.result_at)} ({verdict})", self))
        if d.returned_at:
            self.deadline_form.addRow(tr("Trả kết quả lúc:"), QLabel(fmt_datetime(d.returned_at), self))
        if d.trace:
            why = d.trace.text()
        elif d.original_due_at is None:
            why = tr("Hồ sơ chưa có hạn giải quyết: tệp nhập từ cổng không ghi ngày hẹn trả, và thủ tục chưa có "
                     "thời hạn trong Danh mục. Hạn sẽ có khi nhập tệp của cổng ghi ngày hẹn trả cho hồ sơ này.")
        else:
            why = tr("Hạn do hệ thống của tỉnh cấp (hồ sơ nhập từ tệp).")
        self.trace_text.setPlainText(why)

    def _update_actions(self, d: CaseDetail) -> None:
        for action, button in self.action_buttons.items():
            reason = d.actions.get(str(action))
            button.setEnabled(reason is None)
            button.setToolTip(reason or "")

    # ----- actions -------------------------------------------------------------------------------------
    def action_dialog(self, action: Action) -> ActionDialog:
        """The dialog for `action`, wired to refresh this view once the core has accepted it."""
        dialog = dialog_for(action, self.services, self.actor, self.detail, self)
        dialog.performed.connect(lambda outcome, a=action: self._on_action_performed(outcome, a))
        return dialog

    def run_action(self, action: Action) -> None:
        self.action_dialog(action).exec()

    def _on_action_performed(self, outcome: ActionOutcome, action: Action) -> None:
        self.load()
        self.case_changed.emit(outcome.code)
        if outcome.warning:
            dialogs.warn(self, tr("Lưu ý"), outcome.warning)
        kind = LETTER_OF_ACTION.get(action)
        if kind and self._printable(kind):  # the paper the citizen is owed for this step, ready to print
            DocumentDialog.offer(self, self.services, self.actor, self.code, kind, self.prefs)
            self.load()  # printed or saved: the letter is on the case now

    # ----- documents -----------------------------------------------------------------------------------
    def document_choices(self) -> list[DocumentChoice]:
        return self.services.documents.choices(self.actor, self.code)

    def _printable(self, kind: str) -> bool:
        return any(c.kind == kind and c.reason is None for c in self.document_choices())

    def _fill_print_menu(self) -> None:
        """The case's documents, numbered as the office's form set numbers them; those that do not apply to
        this case yet are shown disabled with the reason."""
        self.print_menu.clear()
        for i, choice in enumerate(self.document_choices(), start=1):
            item = self.print_menu.addAction(f"&{i}  {choice.label}")
            item.setEnabled(choice.reason is None)
            item.setToolTip(choice.reason or "")
            item.triggered.connect(lambda _=False, k=choice.kind: self.print_document(k))

    def print_document(self, kind: str) -> None:
        dialog = DocumentDialog(self.services, self.actor, self.code, kind, self.prefs, self)
        dialog.issued.connect(lambda _kind: self.load())  # printed or saved: the letter is on the case now
        dialog.open()

    def done(self, result: int) -> None:
        if self.prefs:
            self.prefs.save_geometry("case_dialog", self)
        super().done(result)
