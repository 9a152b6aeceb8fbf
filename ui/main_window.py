"""The main window: navigation on the left (Ctrl+1..6), pages on the right, the user in the status bar."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QScrollArea,
    QStackedWidget,
    QWidget,
)

from tthc_desk.services.actor import Actor
from tthc_desk.services.rights import Action, why_not
from ui.i18n import tr
from ui.pages import optional_page
from ui.prefs import UserPrefs
from ui.queue.view import QueuePage
from ui.screen import fit_to_screen

if TYPE_CHECKING:  # imported when first used: not needed to show the queue
    from tthc_desk.services import Services
    from ui.case.view import CaseDialog
    from ui.intake.form import IntakePage

log = logging.getLogger(__name__)

PAGE_QUEUE, PAGE_INTAKE, PAGE_SEARCH, PAGE_REPORTS, PAGE_SYNC, PAGE_SETTINGS = range(6)
PAGE_TITLES = ("Hàng đợi", "Tiếp nhận", "Tra cứu", "Báo cáo", "Đồng bộ", "Danh mục / Cài đặt")
PAGE_RIGHTS = {PAGE_INTAKE: Action.INTAKE, PAGE_REPORTS: Action.VIEW_REPORTS}
# logical pixels: a 1366x768 screen at Windows' 125 % scaling; every page fits a window this wide
NARROWEST_WINDOW = 1093


class MainWindow(QMainWindow):
    first_page_shown = Signal()

    def __init__(self, services: Services, actor: Actor, prefs: UserPrefs | None = None, parent=None,
                 office_name: str | None = None) -> None:
        """`office_name`: already known (start-up), so the title does not wait for the services."""
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.prefs = prefs or UserPrefs(actor.username)
        self.pages: dict[int, QWidget] = {}
        self.case_dialogs: list[CaseDialog] = []
        if office_name is None:
            office_name = services.office.settings(actor).name
        self.setWindowTitle(tr("TTHC Desk — {office}", office=office_name))
        self._build_ui()
        self._connect_signals()
        if not self.prefs.restore_geometry("main", self):
            fit_to_screen(self, 1366, 768)  # no wider than the screen it opens on (1093 px at 125 %)

    def _build_ui(self) -> None:
        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        self.nav = QListWidget(central)
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(165)
        self.nav.addItems([tr(title) for title in PAGE_TITLES])  # (QListWidgetItem(text, parent) builds
        # QIcon's 150 enum members while PySide picks among its constructors: ~5 ms of the start)
        for number, title in enumerate(PAGE_TITLES):
            item = self.nav.item(number)
            item.setToolTip(tr("{title} (Ctrl+{n})", title=tr(title), n=number + 1))
            denied = why_not(self.actor.role, PAGE_RIGHTS[number]) if number in PAGE_RIGHTS else None
            if denied:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                item.setToolTip(denied)
        self.stack = QStackedWidget(central)
        for _title in PAGE_TITLES:
            self.stack.addWidget(QWidget(self.stack))  # real pages are built on first visit
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        user = QLabel(tr("{name} — {role} — {unit}", name=self.actor.full_name, role=self.actor.role.label,
                         unit=self.actor.unit_name or tr("chưa thuộc đơn vị")), self)
        self.statusBar().addPermanentWidget(user)
        self.show_page(PAGE_QUEUE)

    def _connect_signals(self) -> None:
        self.nav.currentRowChanged.connect(self._on_nav_row_changed)
        for number in range(len(PAGE_TITLES)):
            QShortcut(QKeySequence(f"Ctrl+{number + 1}"), self, lambda n=number: self.show_page(n))
        QShortcut(QKeySequence("Ctrl+N"), self, self.new_intake)

    def new_intake(self) -> None:
        """Ctrl+N from any page: Tiếp nhận with a new form (asking first if something typed is unsaved)."""
        self.show_page(PAGE_INTAKE)
        if self.stack.currentIndex() == PAGE_INTAKE:  # show_page refuses a user without the intake right
            self.page(PAGE_INTAKE).ask_new_form()

    # ----- pages ---------------------------------------------------------------------------------------
    def page(self, number: int) -> QWidget:
        if number not in self.pages:
            widget = self._make_page(number)
            old = self.stack.widget(number)
            self.stack.insertWidget(number, self._fitted(widget))
            self.stack.removeWidget(old)
            old.deleteLater()
            self.pages[number] = widget
        return self.pages[number]

    def _fitted(self, page: QWidget) -> QWidget:
        """`page`, or, when it is wider than the window can be on the desk's smallest screen, `page` in a scroll
        area: a page must never make the window wider than the screen (its buttons would be out of reach)."""
        room = NARROWEST_WINDOW - self.nav.width() - self.centralWidget().layout().spacing()
        if page.minimumSizeHint().width() <= room:
            return page
        width = page.minimumSizeHint().width()
        log.info("page %s is %d px wide at least: shown in a scroll area", type(page).__name__, width)
        scroll = QScrollArea(self.stack)
        scroll.setWidget(page)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the page's own fields take the keyboard
        return scroll

    def _make_page(self, number: int) -> QWidget:
        s, a = self.services, self.actor
        makers: dict[int, Callable[[], QWidget]] = {
            PAGE_QUEUE: lambda: self._queue_page(True),
            PAGE_INTAKE: lambda: self._intake_page(),
            PAGE_SEARCH: lambda: self._queue_page(False),
            PAGE_REPORTS: lambda: optional_page("ui.reports.page", "ReportsPage", s, a, tr("Báo cáo"), tr(
                "Bảng điều khiển báo cáo (tỷ lệ đúng hạn theo đơn vị, biểu thống kê) sẽ có khi hoàn thành "
                "phần báo cáo."), self.stack),
            PAGE_SYNC: lambda: self._sync_page(),
            PAGE_SETTINGS: lambda: optional_page("ui.settings.page", "SettingsPage", s, a, tr("Danh mục / Cài đặt"),
                                                 tr("Màn hình danh mục và cài đặt (thủ tục, đơn vị, người dùng, lịch, "
                                                    "cơ quan) chưa có trong bản này; trong lúc chờ, dùng dòng lệnh "
                                                    "(tthc-desk catalogue / unit / user / calendar)."), self.stack),
        }
        return makers[number]()

    def _queue_page(self, open_only: bool) -> QueuePage:
        page = QueuePage(self.services, self.actor, self.prefs, open_only, self.stack)
        page.case_requested.connect(self.open_case)
        if open_only:
            page.first_page_shown.connect(self.first_page_shown)
        return page

    def _sync_page(self) -> QWidget:
        page = optional_page("ui.sync.page", "SyncPage", self.services, self.actor, tr("Đồng bộ"), tr(
            "Nhập và xuất tệp Excel của cổng dịch vụ công tỉnh sẽ có khi hoàn thành phần đồng bộ."), self.stack)
        if hasattr(page, "imported"):  # the lists show the imported cases at once, not at their next timed refresh
            page.imported.connect(lambda _result: self._refresh_lists())
            page.prefs = self.prefs
        return page

    def _intake_page(self) -> IntakePage:
        from ui.intake.form import IntakePage

        page = IntakePage(self.services, self.actor, self.prefs, self.stack)
        page.case_saved.connect(self._on_case_changed)
        return page

    def show_page(self, number: int) -> None:
        item = self.nav.item(number)
        if not item.flags() & Qt.ItemFlag.ItemIsEnabled:
            self.statusBar().showMessage(item.toolTip(), 5000)
            return
        page = self.page(number)
        self.stack.setCurrentIndex(number)
        if self.nav.currentRow() != number:
            self.nav.setCurrentRow(number)
        page.setFocus()

    def _on_nav_row_changed(self, row: int) -> None:
        if row >= 0:
            self.show_page(row)

    # ----- cases ---------------------------------------------------------------------------------------
    def open_case(self, code: str) -> CaseDialog:
        from ui.case.view import CaseDialog

        dialog = CaseDialog(self.services, self.actor, code, self.prefs, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.case_changed.connect(self._on_case_changed)
        dialog.destroyed.connect(lambda _=None, d=dialog: self._forget_dialog(d))
        self.case_dialogs.append(dialog)
        dialog.show()
        return dialog

    def _forget_dialog(self, dialog: CaseDialog) -> None:
        if dialog in self.case_dialogs:
            self.case_dialogs.remove(dialog)

    def _on_case_changed(self, code: str) -> None:
        self.statusBar().showMessage(tr("Đã cập nhật hồ sơ {code}", code=code), 5000)
        self._refresh_lists()

    def _refresh_lists(self) -> None:
        for number in (PAGE_QUEUE, PAGE_SEARCH):
            if number in self.pages:
                self.pages[number].refresh()

    def closeEvent(self, event) -> None:  # noqa: N802
        self.prefs.save_geometry("main", self)
        for page in self.pages.values():
            if hasattr(page, "save_state"):
                page.save_state()
        super().closeEvent(event)
