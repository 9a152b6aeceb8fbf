"""Qt start-up pieces for the composition root: the application object (Vietnamese, bundled font, style),
the exception hook, and the demo login hint."""

from __future__ import annotations

import sys
import threading

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from tthc_desk.logs import log_unhandled
from ui.i18n import install_vietnamese
from ui.prefs import APPLICATION, ORGANISATION
from ui.style import STYLE, apply_style, load_ui_font


def create_application(argv: list[str]) -> QApplication:
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationName(APPLICATION)
    app = QApplication.instance()
    if app is None:
        # Fusion chosen by argument: setStyle() would hand Python a QStyle, and PySide builds QStyle's
        # 800 enum members for it (~10 ms of the start)
        app = QApplication([*argv, "-style", STYLE] if "-style" not in argv else argv)
    elif app.style().name().lower() != STYLE.lower():
        app.setStyle(STYLE)
    install_vietnamese(app)
    load_ui_font(app)
    apply_style(app)
    return app


class _FirstPaint(QObject):
    def __init__(self, widget, callback) -> None:
        super().__init__(widget)
        self.callback = callback
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self.callback)
        return False


def after_first_paint(widget, callback) -> None:
    """Call `callback` (once) as soon as `widget` has been painted for the first time."""
    _FirstPaint(widget, callback)


def install_exception_hook() -> None:
    """Log every uncaught exception and show it (GUI thread now, or later from another thread)."""

    def hook(exc_type, exc, tb) -> None:
        log_unhandled(exc_type, exc, tb)
        if issubclass(exc_type, KeyboardInterrupt) or QApplication.instance() is None:
            return
        from ui.dialogs import show_error

        QTimer.singleShot(0, lambda: show_error(QApplication.activeWindow(), exc))

    sys.excepthook = hook
    threading.excepthook = lambda args: hook(args.exc_type, args.exc_value, args.exc_traceback)


DEMO_HINT = ("Dữ liệu mẫu: đăng nhập bằng tiepnhan1 (tiếp nhận), lanhdao (lãnh đạo) hoặc admin (quản trị); "
             "mật khẩu demo123.")
