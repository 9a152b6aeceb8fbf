"""Đồng bộ: choose a portal file → check the mapping and preview → import → summary; and the exports."""

from __future__ import annotations

import html
import re

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)  # fmt: skip

from tthc_desk.services.rights import Action, why_not
from tthc_desk.sync.fields import FIELD_LABELS, REQUIRED_FIELDS
from tthc_desk.sync.plan import (
    CONFLICT,
    KEEP_OURS,
    NEW,
    STALE,
    TAKE_FILE,
    UNCHANGED,
    UPDATED,
    ImportPlan,
    ImportResult,
    changes_text,
)
from ui import dialogs
from ui.i18n import tr
from ui.sync.files_out import FilesOut
from ui.sync.mapping import MappingEditor, UnknownsEditor
from ui.sync.models import ConflictModel, NoteModel, PreviewModel, RejectedModel
from ui.tasks import run_in_background

XLSX = "Bảng tính Excel (*.xlsx *.xls *.csv)"  # what can be read
STEPS = ("1. Chọn tệp", "2. Ánh xạ cột và xem trước", "3. Kết quả")
# a changed column or unit/procedure choice is applied this long after the last change: arrowing through a
# combo's entries is one change, not one re-read of the file per key press
REPLAN_DELAY_MS = 400
ACTION_HEADER = "Sẽ làm gì"  # the preview's column of what the import does to the row
# the preview: the file's first rows, then the rows past them that an import changes a case by or holds back
PREVIEW_FIRST, PREVIEW_NOTABLE = 200, 2000


class _Relay(QObject):
    """Progress from the worker thread, delivered on the GUI thread."""

    moved = Signal(int, int)


class SyncPage(FilesOut, QWidget):
    imported = Signal(object)  # ImportResult, after a successful import

    def __init__(self, services, actor, parent=None) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.prefs = None  # the user's settings (the main window gives them): the folder files were last saved in
        self.plan: ImportPlan | None = None
        self.result: ImportResult | None = None
        self.path: str | None = None
        self.relay = _Relay(self)
        self.replan_timer = QTimer(self, singleShot=True, interval=REPLAN_DELAY_MS)
        self._pending_mapping = None  # a corrected mapping waiting for `replan_timer`
        # the choice whose combo had the keyboard when the plan was sent to be revised: ("field", name) for a
        # column, ("unit" | "procedure", key) for an unknown; the keyboard goes back to it
        self._refocus: tuple[str, str] | None = None
        self._focus_pending = False  # a step reached while the page was hidden: its focus is set when shown
        self._build_ui()
        self._connect_signals()
        self._apply_rights()
        self._go(0)

    # ----- building -----------------------------------------------------------------------------------
    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        title = QLabel(tr("Đồng bộ với Cổng dịch vụ công tỉnh"), self)
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        self.step_label = QLabel(self)
        layout.addWidget(self.step_label)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self._choose_step())
        self.stack.addWidget(self._review_step())
        self.stack.addWidget(self._summary_step())
        layout.addWidget(self.stack, 1)
        self.progress = QProgressBar(self)
        self.progress.setVisible(False)
        layout.addWidget(self.progress)

    def _review_step(self) -> QWidget:
        page = QWidget(self)
        outer = QHBoxLayout(page)
        # the mapping keeps the width it needs and the preview takes the rest; the line between them moves
        split = self.review_split = QSplitter(Qt.Orientation.Horizontal, page)
        split.setChildrenCollapsible(False)
        outer.addWidget(split)
        left = QWidget(page)
        col = QVBoxLayout(left)
        self.file_label = QLabel(left, wordWrap=True)
        # a kept correction that is wrong for this file: back to the columns as the headers name them
        self.forget_button = QPushButton(tr("&Bỏ ánh xạ đã lưu"), left)
        self.forget_button.setToolTip(tr("Đọc cột theo tên tiêu đề và xóa ánh xạ đã lưu cho các tệp có dòng tiêu đề "
                                         "này"))  # fmt: skip
        self.counts_label = QLabel(left, wordWrap=True)
        self.fatal_label = QLabel(left, wordWrap=True)
        self.fatal_label.setStyleSheet("color: #b00020;")
        # the units and procedures to settle right under the reasons that ask for them, so the keyboard's
        # first stop shows the counts, the reasons and the first name at once; the column mapping (usually
        # right) below
        self.unknowns_editor = UnknownsEditor(left)
        self.mapping_note = QLabel(left, wordWrap=True)  # a column moved from one field to another, said
        self.mapping_note.setVisible(False)
        self.mapping_editor = MappingEditor(left)
        col.addWidget(self.file_label)
        col.addWidget(self.forget_button, 0, Qt.AlignmentFlag.AlignLeft)
        for w in (self.counts_label, self.fatal_label, self.unknowns_editor, self.mapping_note,
                  self.mapping_editor):  # fmt: skip
            col.addWidget(w)
        col.addStretch(1)
        # the pane never scrolls sideways (a sideways scroll hid every name, leaving empty boxes): its labels
        # wrap and its combos take the width they are given, so its content is never wider than the viewport
        scroll = self.review_scroll = QScrollArea(page)
        scroll.setWidget(left)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(430)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its choices take the keyboard, not the pane itself
        split.addWidget(scroll)
        preview = QWidget(split)
        right = QVBoxLayout(preview)
        right.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget(page)
        self.preview_model, self.rejected_model = PreviewModel(self), RejectedModel(self)
        self.conflict_model = ConflictModel(self)
        self.preview_view = self._table(self.preview_model)
        # what the import will do to each row first: it decides the import, and at 1366x768 the last column was
        # behind the horizontal scroll bar
        self.preview_view.horizontalHeader().moveSection(PreviewModel.HEADERS.index(ACTION_HEADER), 0)
        self.tabs.addTab(self.preview_view, tr("Xem &trước"))
        self.tabs.setTabToolTip(0, tr("{n} dòng đầu của tệp, rồi mọi dòng sẽ cập nhật, xung đột, cũ hơn hoặc bị từ "
                                      "chối (tối đa {more} dòng)", n=PREVIEW_FIRST, more=PREVIEW_NOTABLE))
        self.tabs.addTab(self._table(self.rejected_model), tr("Dòng bị từ &chối"))
        self.conflict_view = self._table(self.conflict_model, sort=False)
        conflicts = QWidget(page)
        conflicts_box = QVBoxLayout(conflicts)
        conflicts_box.setContentsMargins(0, 0, 0, 0)
        all_row = QHBoxLayout()
        self.take_all_button = QPushButton(tr("&Lấy theo tệp tất cả"), conflicts)
        self.keep_all_button = QPushButton(tr("Giữ của &mình tất cả"), conflicts)
        for b in (self.take_all_button, self.keep_all_button):
            all_row.addWidget(b)
        all_row.addStretch(1)
        conflicts_box.addLayout(all_row)
        conflicts_box.addWidget(self.conflict_view, 1)
        self.tabs.addTab(conflicts, tr("&Xung đột"))
        self.note_model = NoteModel(self)
        self.tabs.addTab(self._table(self.note_model, sort=False), tr("&Ghi chú khi đọc"))
        right.addWidget(self.tabs, 1)
        buttons = QHBoxLayout()
        self.back_button = QPushButton(tr("&Quay lại"), page)
        self.run_button = QPushButton(tr("&Nhập dữ liệu"), page)
        self.run_button.setDefault(True)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.run_button)
        right.addLayout(buttons)
        split.addWidget(preview)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        return page

    def _summary_step(self) -> QWidget:
        page = QWidget(self)
        col = QVBoxLayout(page)
        self.summary_label = QLabel(page, wordWrap=True)
        col.addWidget(self.summary_label)
        self.summary_rejected_model = RejectedModel(self)
        col.addWidget(self._table(self.summary_rejected_model), 1)
        buttons = QHBoxLayout()
        self.save_rejected_button = QPushButton(tr("&Lưu các dòng bị từ chối…"), page)
        self.again_button = QPushButton(tr("Nhập tệp &khác"), page)
        buttons.addWidget(self.save_rejected_button)
        buttons.addStretch(1)
        buttons.addWidget(self.again_button)
        col.addLayout(buttons)
        return page

    def _table(self, model, sort: bool = True) -> QTableView:
        view = QTableView(self)
        view.setModel(model)
        if sort:  # (the model sorts itself: `_ListModel.sort`)
            view.setSortingEnabled(True)
            view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        view.horizontalHeader().setStretchLastSection(True)
        view.verticalHeader().setVisible(False)
        view.setTabKeyNavigation(False)  # Tab leaves the table for the buttons; the arrows move between cells
        view.setAlternatingRowColors(True)
        return view

    def _connect_signals(self) -> None:
        self.relay.moved.connect(self._on_relay_moved)
        self.replan_timer.timeout.connect(self._on_replan_timeout)
        self.choose_button.clicked.connect(self._on_choose_clicked)
        self.forget_button.clicked.connect(self._on_forget_clicked)
        self.back_button.clicked.connect(lambda: self._go(0))
        self.again_button.clicked.connect(lambda: self._go(0))
        self.run_button.clicked.connect(self._on_run_clicked)
        self.take_all_button.clicked.connect(lambda: self.conflict_model.decide_all(TAKE_FILE))
        self.keep_all_button.clicked.connect(lambda: self.conflict_model.decide_all(KEEP_OURS))
        self.mapping_editor.column_changed.connect(self._on_mapping_column_changed)
        self.unknowns_editor.choices_changed.connect(self._on_unknowns_changed)
        self.save_rejected_button.clicked.connect(self._on_save_rejected_clicked)
        self.export_queue_button.clicked.connect(self._on_export_queue_clicked)
        self.export_changed_button.clicked.connect(self._on_export_changed_clicked)
        self.export_register_button.clicked.connect(self._on_export_register_clicked)
        for button in self.findChildren(QPushButton):  # Enter presses the button that has the keyboard, as Space
            button.setAutoDefault(True)

    def _apply_rights(self) -> None:
        """What the user's role may not do is off, saying why (the services refuse it anyway): a leader was
        offered the import and refused only after choosing a file."""
        self._import_denied = why_not(self.actor.role, Action.IMPORT_CASES)
        export_denied = why_not(self.actor.role, Action.EXPORT)
        self.choose_button.setEnabled(self._import_denied is None)
        if self._import_denied:
            self.choose_button.setToolTip(self._import_denied)
        for w in (self.export_queue_button, self.export_changed_button, self.export_register_button, self.year_spin):
            w.setEnabled(export_denied is None)
            if export_denied:
                w.setToolTip(export_denied)

    # ----- flow -----------------------------------------------------------------------------------------
    def _go(self, step: int) -> None:
        if step == 1 and self.stack.currentIndex() != 1:  # a new file's preview opens at the top of the pane
            self.review_scroll.verticalScrollBar().setValue(0)
        self.stack.setCurrentIndex(step)
        self.step_label.setText("   ›   ".join(f"<b>{s}</b>" if i == step else s for i, s in enumerate(STEPS)))
        if step != 1:  # a change still waiting belongs to the preview being left
            self.replan_timer.stop()
            self._pending_mapping = self._refocus = None
        if step == 0:
            self._show_last_export()
        self._focus_step(step)

    def focusInEvent(self, event) -> None:  # noqa: N802
        """The page itself given the keyboard (the main window does, on Ctrl+5): it goes on to the step's own."""
        super().focusInEvent(event)
        self._focus_step(self.stack.currentIndex())

    def _focus_step(self, step: int) -> None:
        """Each step opens with the keyboard on what comes next: choosing a file; importing, or else the first
        unknown unit or procedure to settle; another file. Not while the page is hidden: the user is typing
        elsewhere (a dry run ending gave the hidden "Nhập dữ liệu" the keyboard, and a Space typed into the
        queue's search ran the import unseen); the page takes it when shown (`focusInEvent`)."""
        if not self.isVisible():
            return
        if step == 0:
            target = next((b for b in (self.choose_button, self.export_queue_button) if b.isEnabled()), None)
            target = target or self.export_register_button
        elif step == 1:
            choice, self._refocus = self._refocus, None
            target = self._choice_combo(choice)
            if target is None and self.run_button.isEnabled():
                target = self.run_button
            if target is None:  # a column to choose comes first: without it no row could be matched
                target = self.mapping_editor.first_missing() or self.unknowns_editor.first_open_choice()
            target = target or self.back_button
            self._show_in_pane(target)
        else:
            target = self.save_rejected_button if self.save_rejected_button.isEnabled() else self.again_button
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _choice_combo(self, choice: tuple[str, str] | None) -> QWidget | None:
        """The combo of a choice as named in `_refocus`, in the editors as shown now."""
        if choice is None:
            return None
        kind, key = choice
        return self.mapping_editor.combos.get(key) if kind == "field" else self.unknowns_editor.combo_for(kind, key)

    def _show_in_pane(self, widget: QWidget) -> None:
        """Scroll the left pane to `widget` together with the name it settles (the label above or beside it)."""
        if not self.review_scroll.widget().isAncestorOf(widget):
            return
        label = self.unknowns_editor.labels.get(widget) or self.mapping_editor.label_for(widget)
        if label is not None:
            self.review_scroll.ensureWidgetVisible(label, 0)
        self.review_scroll.ensureWidgetVisible(widget, 0)

    def _busy(self, on: bool) -> None:
        self.progress.setVisible(on)
        self.progress.setRange(0, 0)
        for w in (self.back_button, self.mapping_editor, self.unknowns_editor, self.forget_button):
            w.setEnabled(not on)
        self.choose_button.setEnabled(not on and self._import_denied is None)
        self.run_button.setEnabled(not on and self.plan is not None and self.plan.importable)

    def _on_relay_moved(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _on_choose_clicked(self) -> None:
        path = dialogs.pick_open_file(self, tr("Chọn tệp danh sách hồ sơ của cổng"), "", XLSX)
        if path:
            self.path = path
            self.conflict_model.set_rows([])  # a file chosen anew starts with no conflict decided
            self.mapping_note.setVisible(False)
            self._plan(None)

    def _plan(self, mapping, unit_map: dict | None = None, procedure_map: dict | None = None) -> None:
        services, actor, path, relay = self.services, self.actor, self.path, self.relay
        self._busy(True)
        run_in_background(
            lambda cancel: services.sync.plan_import(actor, path, mapping, unit_map, procedure_map,
                                                     progress=relay.moved.emit, cancel=cancel.is_set),
            self._on_plan_ready, self._on_task_failed, progress=tr("Đang đọc và kiểm tra tệp…"), parent=self,
            cancellable=True)

    def _on_plan_ready(self, plan: ImportPlan) -> None:
        self._busy(False)
        self.plan = plan
        self.file_label.setText(tr("<b>{name}</b> — {where}, dòng tiêu đề {row}, ánh xạ cột: {src}.<br>"
                                   "Bảng mã chữ: {enc}.", name=_breakable(plan.path.name),
                                   where=html.escape(plan.parsed.where, quote=False), row=plan.header_row,
                                   src=_SOURCE_WORDS[plan.mapping_source], enc=plan.encoding_summary()))  # fmt: skip
        c = plan.counts
        self.counts_label.setText(tr(
            "Sẽ thêm mới <b>{new}</b>, cập nhật <b>{upd}</b>, không đổi {same}, xung đột <b>{conf}</b>, tệp cũ hơn {stale};"
            " <b>{rej}</b> dòng bị từ chối.", new=c[NEW], upd=c[UPDATED], same=c[UNCHANGED], conf=c[CONFLICT],
            stale=c[STALE], rej=c["rejected"]))  # fmt: skip
        self.fatal_label.setText("<br>".join(html.escape(reason, quote=False) for reason in plan.fatal))
        self.fatal_label.setVisible(bool(plan.fatal))
        self.forget_button.setVisible(plan.mapping_source == "remembered")
        self._show_unknowns(plan)  # (first: Tab goes from the unknowns to the mapping, as they are shown)
        self.mapping_editor.blockSignals(True)
        self.mapping_editor.show_mapping(plan.mapping)
        self.mapping_editor.blockSignals(False)
        changes = {u.code: changes_text(u.changes, plan.unit_names) for u in plan.updates}
        self.preview_model.set_preview(plan.preview(PREVIEW_FIRST, PREVIEW_NOTABLE), plan.outcomes, plan.rejected, changes)
        self.preview_view.resizeColumnsToContents()
        self.rejected_model.set_rows(plan.rejected)
        self.conflict_model.units = plan.unit_names
        # a plan revised (a column or a unit corrected) keeps the conflicts the user has decided to take
        taken = {c.code for c in self.conflict_model.rows() if c.decision == TAKE_FILE}
        for conflict in plan.conflicts:
            if conflict.code in taken:
                conflict.decision = TAKE_FILE
        self.conflict_model.set_rows(plan.conflicts)
        for b in (self.take_all_button, self.keep_all_button):
            b.setEnabled(bool(plan.conflicts))
        self.conflict_view.resizeColumnsToContents()  # the codes whole, the columns changed named in full
        self.tabs.setTabText(1, tr("Dòng bị từ &chối ({n})", n=len(plan.rejected)))
        self.tabs.setTabText(2, tr("&Xung đột ({n})", n=len(plan.conflicts)))
        self.note_model.set_rows(plan.warnings)
        self.tabs.setTabText(3, tr("&Ghi chú khi đọc ({n})", n=len(plan.warnings)))
        self.run_button.setEnabled(plan.importable)
        self._go(1)

    def _show_unknowns(self, plan: ImportPlan) -> None:
        units = [(u["id"], u["name"]) for u in self.services.accounts.list_units(self.actor)]
        procs = []
        if plan.unknown_procedures:
            procs = [(p.id, f"{p.code} — {p.name}") for p in
                     self.services.catalogue.search(self.actor, "", limit=5000)]  # fmt: skip
        self.unknowns_editor.blockSignals(True)
        self.unknowns_editor.show_unknowns(plan.unknown_units, plan.unknown_procedures, units, procs)
        self.unknowns_editor.blockSignals(False)
        # no row read (a required column still to choose): "every unit is known" would say what nobody checked
        self.unknowns_editor.setVisible(bool(plan.parsed.rows or plan.unknown_units or plan.unknown_procedures))

    def _on_forget_clicked(self) -> None:
        if self.plan is None:
            return
        services, actor, signature = self.services, self.actor, self.plan.mapping.signature
        self._busy(True)
        self.mapping_note.setVisible(False)
        run_in_background(lambda _c: services.sync.forget_mapping(actor, signature),
                          lambda _forgotten: self._plan(None), self._on_task_failed, parent=self)

    def _on_mapping_column_changed(self, field: str, column) -> None:
        if self.plan is None:
            return
        mapping = self._pending_mapping or self.plan.mapping
        other = next((f for f, c in mapping.columns.items() if c == column and f != field), None)
        if other is not None:  # a column serves one field: the one that had it would lose it
            header = mapping.headers[column] if column < len(mapping.headers) else ""
            words = {"col": header or tr("Cột {n}", n=column + 1), "other": FIELD_LABELS[other],
                     "field": FIELD_LABELS[field]}  # fmt: skip
            if other in REQUIRED_FIELDS:  # refused, naming the field the user changed (it named the other)
                # put back once the combo's signal is over (rebuilding the editor from inside it deleted the
                # combo sending it: a crash)
                QTimer.singleShot(0, lambda: self.mapping_editor.set_column(field, mapping.columns.get(field)))
                dialogs.warn(self, tr("Cột đang được dùng"), tr(
                    "Cột “{col}” là cột của trường bắt buộc “{other}”, nên không dùng được cho “{field}”. Muốn "
                    "vậy, hãy chọn cột khác cho “{other}” trước.", **words))
                return
            self.mapping_note.setText(tr("Cột “{col}” chuyển từ “{other}” sang “{field}”; “{other}” nay không "
                                         "đọc từ cột nào.", **words))  # fmt: skip
            self.mapping_note.setVisible(True)
        self._pending_mapping = mapping.with_column(field, column)
        self._refocus = ("field", field)
        self._replan_soon()

    def _on_unknowns_changed(self) -> None:
        if self.plan is not None:
            # the keyboard stays on the choice being made: arrowing through a unit's entries with a pause moved
            # it to "Nhập dữ liệu", and the Enter meant to confirm the unit imported under the one passed over
            self._refocus = self.unknowns_editor.choice_of(QApplication.focusWidget()) or self._refocus
            self._replan_soon()

    def _replan_soon(self) -> None:
        """Apply the change after `REPLAN_DELAY_MS` without a further one; nothing can be imported meanwhile."""
        self.run_button.setEnabled(False)
        self.replan_timer.start()

    def _on_replan_timeout(self) -> None:
        units, procs = self.unknowns_editor.maps()
        if self._pending_mapping is not None:  # read the file again, keeping the units and procedures chosen
            mapping, self._pending_mapping = self._pending_mapping, None
            self._plan(mapping, units, procs)
            return
        plan, services, actor = self.plan, self.services, self.actor
        self._busy(True)
        run_in_background(lambda _c: services.sync.revise_plan(actor, plan, units, procs),
                          self._on_plan_ready, self._on_task_failed, progress=tr("Đang đối chiếu lại…"), parent=self)

    def _on_run_clicked(self) -> None:
        if self.plan is None or not self.plan.importable or self.replan_timer.isActive():
            return
        plan, decisions = self.plan, self.conflict_model.decisions()
        services, actor = self.services, self.actor
        self._busy(True)
        relay = self.relay  # (the bar counts the cases written)
        run_in_background(lambda cancel: services.sync.run_import(actor, plan, decisions, progress=relay.moved.emit,
                                                                  cancel=cancel.is_set),
                          self._on_import_done, self._on_task_failed, progress=tr("Đang nhập hồ sơ…"), parent=self,
                          cancellable=True)

    def _on_import_done(self, result: ImportResult) -> None:
        self._busy(False)
        self.result = result
        c = result.counts
        lines = [tr("Đã nhập xong: thêm mới {new}, cập nhật {upd}, không đổi {same}.", new=c[NEW], upd=c[UPDATED],
                    same=c[UNCHANGED])]  # fmt: skip
        if c[CONFLICT]:
            lines.append(tr("Xung đột: lấy theo tệp {t}, giữ dữ liệu của mình {k}.", t=c["conflicts_taken"],
                            k=c["conflicts_kept"]))  # fmt: skip
        if c[STALE]:
            lines.append(tr("Tệp cũ hơn {n}: giữ nguyên hồ sơ đang có.", n=c[STALE]))
        if result.mapping_saved:
            lines.append(tr("Đã lưu ánh xạ cột đã chỉnh: tệp có cùng dòng tiêu đề sẽ dùng lại."))
        lines.extend(html.escape(line, quote=False) for line in result.created_lines())  # (names as written)
        lines.append(tr("{n} dòng bị từ chối — lưu ra tệp để sửa rồi nhập lại.", n=len(result.rejected))
                     if result.rejected else tr("Không có dòng nào bị từ chối."))
        self.summary_label.setText("<br>".join(lines))
        self.summary_rejected_model.set_rows(result.rejected)
        self.save_rejected_button.setEnabled(bool(result.rejected))
        self._go(2)
        self.imported.emit(result)

    def _on_task_failed(self, exc: BaseException) -> None:
        self._busy(False)
        dialogs.show_error(self, exc)
        if self.plan is not None and self.stack.currentIndex() == 1:
            self._on_plan_ready(self.plan)  # a refused correction: the editors show again what is in force
        else:  # a file that cannot be read: back on "Chọn tệp" (disabled while reading, it lost the keyboard)
            self._focus_step(self.stack.currentIndex())


_SOURCE_WORDS = {"auto": "tự nhận theo tên cột", "remembered": "dùng ánh xạ đã lưu", "user": "đã chỉnh tay"}


def _breakable(name: str) -> str:
    """A file name for rich text that may wrap after "_", "-" and ".": "DS_ho_so_xuat_tu_cong_thang_11.xlsx" is
    one word to a label, and one word wider than the pane would make the pane scroll sideways."""
    return re.sub(r"([_.\-])", "\\1\u200b", html.escape(name, quote=False))
