"""Windows sized to the screen they open on: the desk's PCs are often 1366x768 at 125 % (1093x614 logical)."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QWidget

WINDOW_FRAME = QSize(16, 40)  # what Windows adds around a dialog's client area: borders and the title bar


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Resize `window` to width x height, or less where the free part of its screen (without the taskbar) is
    smaller: on a 1280x720 screen, or a 1366x768 one at 125 % (1093x614), its bottom row of buttons stays in
    sight. It does not shrink below its layout's minimum; that is the layout's to keep small."""
    room = (window.parentWidget() or window).screen().availableGeometry().size() - WINDOW_FRAME
    window.resize(min(width, room.width()), min(height, room.height()))
