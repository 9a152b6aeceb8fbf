"""The one background helper: run plain work off the GUI thread, get its result back on the GUI thread.

`fn` receives a `Cancel` flag (check `cancel.is_set()` between rows, and say so with `cancellable=True`), never
a widget, and returns plain data.
A busy cursor appears after ~300 ms and a progress dialog after ~600 ms, so quick jobs never flash.
Tests call `use_inline_executor()` to run every job synchronously.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

log = logging.getLogger(__name__)

BUSY_AFTER_MS = 300
DIALOG_AFTER_MS = 600


class Cancel(threading.Event):
    """Set when the user presses Hủy; long jobs check it and stop early."""


class _Dispatcher(QObject):
    """The one object workers signal: (task number, ok, result or exception), delivered on the GUI thread.

    Workers never hold a Qt object of a task: with one signal object per task, a task finished and deleted
    on the GUI thread could have its signals freed by the worker thread's last reference — with two jobs at
    once that crashed the process (a segfault, "Signal source has been deleted"). This object lives as long
    as the application, and the tasks stay on the GUI thread.
    """

    arrived = Signal(object, bool, object)

    def __init__(self) -> None:
        super().__init__(QApplication.instance())
        self.pending: dict[int, Task] = {}
        self.arrived.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def _deliver(self, number: int, ok: bool, value: Any) -> None:
        task = self.pending.pop(number, None)
        if task is not None:
            task.finish(ok, value)


_dispatcher: _Dispatcher | None = None
_numbers = itertools.count(1)


def _the_dispatcher() -> _Dispatcher:
    global _dispatcher
    try:
        alive = _dispatcher is not None and _dispatcher.parent() is QApplication.instance()
    except RuntimeError:  # deleted with an earlier QApplication (tests)
        alive = False
    if not alive:
        _dispatcher = _Dispatcher()
    return _dispatcher


class _Job(QRunnable):
    def __init__(self, fn: Callable[[Cancel], Any], cancel: Cancel, number: int, arrived: Any) -> None:
        super().__init__()
        self.fn, self.cancel, self.number, self.arrived = fn, cancel, number, arrived
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.fn(self.cancel)
        except BaseException as exc:  # noqa: BLE001 - handed to on_error on the GUI thread
            self.arrived.emit(self.number, False, exc)
        else:
            self.arrived.emit(self.number, True, result)


class Task(QObject):
    """A running job, on the GUI thread: its progress display, its cancel flag, and what to call at the end."""

    def __init__(self, on_done, on_error, progress: str | None, parent_widget: QWidget | None,
                 cancellable: bool = False, owner: QObject | None = None) -> None:
        super().__init__(QApplication.instance())
        self.cancel = Cancel()
        self._on_done, self._on_error = on_done, on_error
        # the Qt objects the answer is for: a window closed (or a model replaced) while the job ran takes
        # its answer with it, which would otherwise raise "Signal source has been deleted" in the callback
        self._owners = [o for o in (owner, parent_widget, getattr(on_done, "__self__", None),
                                    getattr(on_error, "__self__", None)) if isinstance(o, QObject)]
        self._progress_text, self._parent, self._cancellable = progress, parent_widget, cancellable
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
        if not self._cancellable:
            self._dialog.setCancelButton(None)
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

    def finish(self, ok: bool, value: Any) -> None:
        self._cleanup()
        if not all(shiboken6.isValid(o) for o in self._owners):
            if not ok:
                log.warning("background job failed after its window closed",
                         exc_info=(type(value), value, value.__traceback__))
            return
        if ok:
            if self._on_done is not None:
                self._on_done(value)
        elif self._on_error is not None:
            self._on_error(value)
        else:
            log.error("background job failed", exc_info=(type(value), value, value.__traceback__))


_inline = False


def use_inline_executor(enabled: bool = True) -> None:
    """Run every job at once on the calling thread (tests: results are there when the call returns)."""
    global _inline
    _inline = enabled


def run_in_background(fn: Callable[[Cancel], Any], on_done: Callable[[Any], None] | None = None,
                      on_error: Callable[[BaseException], None] | None = None, *,
                      progress: str | None = None, parent: QWidget | None = None,
                      cancellable: bool = False, owner: QObject | None = None) -> Task | None:
    """Run `fn(cancel)` on the thread pool; `on_done(result)` or `on_error(exc)` runs later on the GUI thread.
    `progress`: the words in the progress dialog (None: no cursor, no dialog — for quiet refreshes).
    `cancellable`: `fn` checks its flag, so the dialog offers Hủy; a job that never looks gets no button
    that would do nothing.
    `owner`: the Qt object a lambda callback works on. Neither callback runs once `owner`, `parent` or the
    object of a bound-method callback has been deleted (the user closed the window while the job ran)."""
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
    task = Task(on_done, on_error, progress, parent, cancellable, owner)
    dispatcher, number = _the_dispatcher(), next(_numbers)
    dispatcher.pending[number] = task
    QThreadPool.globalInstance().start(_Job(fn, task.cancel, number, dispatcher.arrived))
    return task
