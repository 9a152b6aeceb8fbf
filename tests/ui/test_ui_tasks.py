"""The background helper with the real thread pool, many jobs at once; PySide6's per-import source scan off."""

from __future__ import annotations

import importlib
import inspect
import sys
import threading

import pytest
from PySide6.QtCore import QThreadPool, QTimer

from ui import tasks


@pytest.fixture
def real_pool():
    tasks.use_inline_executor(False)
    yield QThreadPool.globalInstance()
    QThreadPool.globalInstance().waitForDone(10_000)
    tasks.use_inline_executor(True)


def test_many_jobs_at_once_all_deliver_on_the_gui_thread(qtbot, real_pool):
    """With one signal object per job this crashed within a few hundred jobs (segfault, or "Signal source has
    been deleted"): a finished task's signals could be freed by the worker thread."""
    gui = threading.get_ident()
    results, errors, threads = [], [], set()
    rounds = 400

    def done(value):
        threads.add(threading.get_ident())
        results.append(value)

    def fail(_cancel):
        raise ValueError("hỏng")

    def launch(left=rounds):
        for n in range(4):
            tasks.run_in_background(lambda _c, n=n: sum(range(20_000)) + n, done)
        tasks.run_in_background(fail, None, lambda exc: errors.append(str(exc)))
        if left > 1:
            QTimer.singleShot(0, lambda: launch(left - 1))

    launch()
    qtbot.waitUntil(lambda: len(results) == 4 * rounds and len(errors) == rounds, timeout=60_000)
    assert sorted(results) == sorted(sum(range(20_000)) + n for _ in range(rounds) for n in range(4))
    assert errors == ["hỏng"] * rounds and threads == {gui}


def test_modules_imported_after_pyside_are_not_read_by_its_feature_scan(monkeypatch, tmp_path):
    """PySide6's import hook would read every later module's source (start-up time; a crash when the import
    ran on a worker thread during the first queue load): `ui` turns that scan off."""
    import ui  # noqa: F401

    read = []
    original = inspect.getsource
    monkeypatch.setattr(inspect, "getsource", lambda obj: read.append(obj) or original(obj))
    (tmp_path / "tthc_probe_module.py").write_text("VALUE = 'PySide6'\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    module = importlib.import_module("tthc_probe_module")
    assert module.VALUE == "PySide6" and read == []
    assert sys.modules["shibokensupport.feature"]._mod_uses_pyside(module) is False


def _progress_dialogs():
    from PySide6.QtWidgets import QApplication, QProgressDialog

    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]


def _buttons(dialog) -> list[str]:
    from PySide6.QtWidgets import QPushButton

    return [b.text() for b in dialog.findChildren(QPushButton) if b.isVisible()]


def test_the_progress_dialogs_cancel_button_stops_the_job(qtbot, real_pool):
    """A long job shows a progress dialog after DIALOG_AFTER_MS; its Hủy button sets the job's flag, the job
    stops early, and its result still arrives on the GUI thread, after which the dialog is gone."""
    from PySide6.QtWidgets import QPushButton

    results = []
    tasks.run_in_background(lambda cancel: cancel.wait(30), results.append, progress="Đang nhập hồ sơ…",
                            cancellable=True)
    qtbot.waitUntil(lambda: len(_progress_dialogs()) == 1, timeout=10_000)
    [dialog] = _progress_dialogs()
    assert dialog.labelText() == "Đang nhập hồ sơ…" and _buttons(dialog) == ["Hủy"]
    [button] = [b for b in dialog.findChildren(QPushButton) if b.text() == "Hủy"]
    button.click()
    qtbot.waitUntil(lambda: results == [True], timeout=10_000)  # the flag was set: the wait ended early
    assert _progress_dialogs() == []


def test_a_job_that_never_checks_its_flag_offers_no_cancel_button(qtbot, real_pool):
    release = threading.Event()
    results = []
    tasks.run_in_background(lambda _cancel: release.wait(30), results.append, progress="Đang tính số liệu…")
    qtbot.waitUntil(lambda: len(_progress_dialogs()) == 1, timeout=10_000)
    [dialog] = _progress_dialogs()
    assert dialog.labelText() == "Đang tính số liệu…" and _buttons(dialog) == []
    release.set()
    qtbot.waitUntil(lambda: results == [True], timeout=10_000)
    assert _progress_dialogs() == []



@pytest.mark.parametrize("outcome", ["done", "failed"])
def test_an_answer_arriving_after_its_window_closed_is_dropped(qtbot, real_pool, outcome):
    """A queue refresh still running when its page was closed raised "Signal source has been deleted" from
    the callback when the answer came (seen in CI, on the slower PostgreSQL backend). Neither callback runs once
    its owner, its parent widget or the object of a bound-method callback is gone; other jobs still deliver."""
    import shiboken6
    from PySide6.QtCore import QObject, Signal
    from PySide6.QtWidgets import QWidget

    class Model(QObject):
        refreshed = Signal()

        def apply(self, _value):
            self.refreshed.emit()

        def failed(self, _exc):
            self.refreshed.emit()

    release, calls, others = threading.Event(), [], []

    def job(_cancel):
        release.wait(10)
        if outcome == "failed":
            raise ValueError("hỏng")
        return 1

    by_owner = Model()
    tasks.run_in_background(job, lambda v: (calls.append(v), by_owner.apply(v)),
                            lambda e: (calls.append(e), by_owner.failed(e)), owner=by_owner)
    by_method = Model()
    tasks.run_in_background(job, by_method.apply, by_method.failed)
    window = QWidget()
    tasks.run_in_background(job, calls.append, calls.append, parent=window)
    for gone in (by_owner, by_method, window):  # the page closed while the jobs ran
        shiboken6.delete(gone)
    tasks.run_in_background(job, others.append, others.append)
    release.set()
    qtbot.waitUntil(lambda: len(others) == 1, timeout=10_000)
    QThreadPool.globalInstance().waitForDone(10_000)
    qtbot.wait(50)  # any answer still queued is delivered now
    assert calls == []
