"""Small helpers shared by the settings tabs: rights guards, Vietnamese button boxes, error-catching calls."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtWidgets import QDialogButtonBox, QLabel, QWidget

from tthc_desk.services.base import Actor
from tthc_desk.services.rights import Action, why_not
from ui import dialogs
from ui.i18n import fmt_date, fmt_datetime  # noqa: F401 - re-exported for the tabs
from ui.tasks import run_in_background

ERROR_STYLE = "color: #b00020;"


def guard(actor: Actor, action: Action, widgets: Iterable[QWidget]) -> str | None:
    """Disable `widgets` with the reason as tooltip when the actor may not take `action`; returns the reason."""
    reason = why_not(actor.role, action)
    if reason:
        for w in widgets:
            w.setEnabled(False)
            w.setToolTip(reason)
    return reason


def button_box(parent: QWidget, ok: str = dialogs.OK, cancel: str = dialogs.CANCEL) -> QDialogButtonBox:
    """An OK/Cancel box with Vietnamese texts, wired to the parent dialog's accept/reject."""
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, parent)
    box.button(QDialogButtonBox.StandardButton.Ok).setText(ok)
    box.button(QDialogButtonBox.StandardButton.Cancel).setText(cancel)
    box.accepted.connect(parent.accept)
    box.rejected.connect(parent.reject)
    return box


def close_box(parent: QWidget, text: str = "Đóng") -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, parent)
    box.button(QDialogButtonBox.StandardButton.Close).setText(text)
    box.rejected.connect(parent.reject)
    return box


def error_label() -> QLabel:
    """A red, word-wrapped label for inline validation messages (hidden until used)."""
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setVisible(False)
    return label


def show_inline(label: QLabel, message: str | None) -> None:
    label.setText(message or "")
    label.setVisible(bool(message))


def attempt[T](parent: QWidget | None, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
    """Call a service; on any error show it through the dialog seam and return None."""
    try:
        return fn(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - expected and unexpected errors go to the one presenter
        dialogs.show_error(parent, exc)
    return None


def run_long[T](parent: QWidget, fn: Callable[[], T], on_done: Callable[[T], None], label: str) -> None:
    """Run a long operation off the GUI thread (ui.tasks); errors go to the one presenter."""
    run_in_background(lambda _cancel: fn(), on_done, lambda exc: dialogs.show_error(parent, exc),
                      progress=label, parent=parent)
