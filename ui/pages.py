"""Pages written by other issues (settings, reports, sync): used when importable, else a clear placeholder."""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from tthc_desk.services.actor import Actor
from ui.i18n import tr

if TYPE_CHECKING:
    from tthc_desk.services import Services

log = logging.getLogger(__name__)


class PlaceholderPage(QWidget):
    def __init__(self, title: str, message: str, parent=None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        heading = QLabel(title, self)
        heading.setObjectName("pageTitle")
        layout.addWidget(heading)
        self.message = QLabel(message, self, wordWrap=True)
        self.message.setObjectName("placeholder")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.message, 1)


def optional_page(module: str, class_name: str, services: Services, actor: Actor, title: str,
                  missing: str, parent=None) -> QWidget:
    """`module.class_name(services, actor, parent)` if that module exists; a placeholder otherwise."""
    try:
        page_class = getattr(importlib.import_module(module), class_name)
    except ModuleNotFoundError as exc:
        if not (exc.name and module.startswith(exc.name)):
            log.exception("page %s could not be imported", module)
            return PlaceholderPage(title, tr("Không mở được trang này: {error}", error=exc), parent)
        return PlaceholderPage(title, missing, parent)
    except (ImportError, AttributeError) as exc:
        log.exception("page %s could not be imported", module)
        return PlaceholderPage(title, tr("Không mở được trang này: {error}", error=exc), parent)
    return page_class(services, actor, parent)
