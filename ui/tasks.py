"""The one background helper: run plain work off the GUI thread, get its result back on the GUI thread.

`fn` receives a `Cancel` flag (check `cancel.is_set()` between rows), never a widget, and returns plain data.
A busy cursor appears after ~300 ms and a cancellable progress dialog after ~600 ms, so quick jobs never flash.
Tests call `use_inline_executor()` to run every job synchronously.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

log = logging.getLogger(__name__)

BUSY_AFTER_MS = 300
DIALOG_AFTER_MS = 600


class Cancel(threading.Event):
    """Set when the user presses Hủy; long jobs check it and stop early."""


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[Cancel], Any], cancel: Cancel, signals: _Signals) -> None:
        super().__init__()
        self.fn, self.cancel, self.signals = fn, cancel, signals
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.fn(self.cancel)
        except BaseException as exc:  # noqa: BLE001 - handed to on_error on the GUI thread
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result)


class Task(QObject):
    """A running job: keeps the signals alive until the result is delivered."""

    def __init__(self, on_done, on_error, progress: str | None, parent_widget: QWidget | None) -> None:
        super().__init__(QApplication.instance())
        self.cancel = Cancel()
        self.signals = _Signals()
        self.signals.done.connect(self._finish_ok, Qt.ConnectionType.QueuedConnection)
        self.signals.failed.connect(self._finish_error, Qt.ConnectionType.QueuedConnection)
        self._on_done, self._on_error = on_done, on_error
        self._progress_text, self._parent = progress, parent_widget
        self._busy = False
        self._dialog: QProgressDialog | None = None
        self.finished = False
        if progress is not None:
            QTimer.singleShot(BUSY_AFTER_MS, self, self._show_busy)
            QTimer.singleShot(DIALOG_AFTER_MS, self, self._show_dialog)

    def _show_busy(self) -> None:
        if not self.finished:
            self._busy = True
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)

    def _show_dialog(self) -> None:
        if self.finished:
            return
        self._dialog = QProgressDialog(self._progress_text or "", "Hủy", 0, 0, self._parent)
        self._dialog.setWindowTitle("Đang xử lý")
        self._dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self._dialog.setMinimumDuration(0)
        self._dialog.canceled.connect(self.cancel.set)
        self._dialog.show()

    def _cleanup(self) -> None:
        self.finished = True
        if self._busy:
            QApplication.restoreOverrideCursor()
        if self._dialog is not None:
            self._dialog.canceled.disconnect(self.cancel.set)
            self._dialog.close()
            self._dialog.deleteLater()
        self.deleteLater()

    def _finish_ok(self, result) -> None:
        self._cleanup()
        if self._on_done is not None:
            self._on_done(result)

    def _finish_error(self, exc) -> None:
        self._cleanup()
        if self._on_error is not None:
            self._on_error(exc)
        else:
            log.error("background job failed", exc_info=(type(exc), exc, exc.__traceback__))


_inline = False


def use_inline_executor(enabled: bool = True) -> None:
    """Run every job at once on the calling thread (tests: results are there when the call returns)."""
    global _inline
    _inline = enabled


def run_in_background(fn: Callable[[Cancel], Any], on_done: Callable[[Any], None] | None = None,
                      on_error: Callable[[BaseException], None] | None = None, *,
                      progress: str | None = None, parent: QWidget | None = None) -> Task | None:
    """Run `fn(cancel)` on the thread pool; `on_done(result)` or `on_error(exc)` runs later on the GUI thread.
    `progress`: the words in the progress dialog (None: no cursor, no dialog — for quiet refreshes)."""
    if _inline:
        try:
            result = fn(Cancel())
        except Exception as exc:  # noqa: BLE001
            if on_error is None:
                raise
            on_error(exc)
        else:
            if on_done is not None:
                on_done(result)
        return None
    task = Task(on_done, on_error, progress, parent)
    QThreadPool.globalInstance().start(_Job(fn, task.cancel, task.signals))
    return task
