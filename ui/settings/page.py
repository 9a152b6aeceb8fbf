"""The 'Danh mục / Cài đặt' page of the desk window: one tab per administrative list or setting."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from tthc_desk.services.base import Actor
from ui.keys import keyed
from ui.settings.calendar_tab import CalendarTab
from ui.settings.catalogue_tab import CatalogueTab
from ui.settings.office_tab import OfficeTab
from ui.settings.units_tab import UnitsTab
from ui.settings.users_tab import UsersTab


class SettingsPage(QWidget):
    """Catalogue, units, users, calendar and office settings; editing controls follow the actor's rights
    (the services check them again)."""

    TABS = (("catalogue", "Danh mục thủ tục", CatalogueTab), ("units", "Đơn vị", UnitsTab),
            ("users", "Người dùng", UsersTab), ("calendar", "Lịch làm việc", CalendarTab),
            ("office", "Cơ quan", OfficeTab))
    TAB_KEYS = {"catalogue": "M", "units": "V", "users": "D", "calendar": "H", "office": "Q"}  # Alt + letter

    def __init__(self, services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.tabs = QTabWidget(self)
        self.pages: dict[str, QWidget] = {}
        for key, title, cls in self.TABS:
            page = cls(services, actor, self.tabs)
            self.pages[key] = page
            self.tabs.addTab(page, keyed(title, self.TAB_KEYS[key]))
        self.catalogue: CatalogueTab = self.pages["catalogue"]
        self.units: UnitsTab = self.pages["units"]
        self.users: UsersTab = self.pages["users"]
        self.calendar: CalendarTab = self.pages["calendar"]
        self.office: OfficeTab = self.pages["office"]
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    def show_tab(self, key: str) -> None:
        self.tabs.setCurrentWidget(self.pages[key])

    def _on_tabs_current_changed(self, _index: int) -> None:
        # units edited on one tab appear in the combos of the others: refresh the lists when a tab is shown
        page = self.tabs.currentWidget()
        if hasattr(page, "reload") and page is not self.office:
            page.reload()
