"""UI state per user in QSettings (organisation "TTHCDesk"): geometry, column widths, last folders."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QHeaderView, QWidget

ORGANISATION = "TTHCDesk"
APPLICATION = "TTHC Desk"


class UserPrefs:
    """QSettings keys under `users/<username>/…` so two officers sharing a PC keep their own layout."""

    def __init__(self, username: str, settings: QSettings | None = None) -> None:
        self.settings = settings or QSettings(QSettings.defaultFormat(), QSettings.Scope.UserScope, ORGANISATION,
                                              APPLICATION)
        self.prefix = f"users/{username}/"

    def value(self, key: str, default=None):
        return self.settings.value(self.prefix + key, default)

    def set_value(self, key: str, value) -> None:
        self.settings.setValue(self.prefix + key, value)

    def save_geometry(self, key: str, widget: QWidget) -> None:
        self.set_value(key + "/geometry", widget.saveGeometry())

    def restore_geometry(self, key: str, widget: QWidget) -> bool:
        data = self.value(key + "/geometry")
        return isinstance(data, QByteArray | bytes) and widget.restoreGeometry(data)

    def save_header(self, key: str, header: QHeaderView) -> None:
        self.set_value(key + "/header", header.saveState())

    def restore_header(self, key: str, header: QHeaderView) -> bool:
        data = self.value(key + "/header")
        return isinstance(data, QByteArray | bytes) and header.restoreState(data)

    def last_folder(self, purpose: str) -> str:
        return str(self.value(f"folders/{purpose}", "") or "")

    def set_last_folder(self, purpose: str, folder: str) -> None:
        self.set_value(f"folders/{purpose}", folder)
