"""The 'Danh mục / Cài đặt' screens: procedures, units, users, calendar, office settings."""

from ui.settings.page import SettingsPage

__all__ = ["SettingsPage"]
