"""The main window: navigation and shortcuts, placeholders for other issues' pages, opening a case,
and the packaged start-up path (`--self-test` logs "startup complete")."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from uihelpers import register

from ui.case.view import CaseDialog
from ui.main_window import PAGE_QUEUE, PAGE_REPORTS, PAGE_SEARCH, PAGE_SETTINGS, PAGE_SYNC, MainWindow
from ui.pages import PlaceholderPage
from ui.queue.view import QueuePage

ROOT = Path(__file__).resolve().parents[2]


def test_navigation_status_bar_and_opening_a_case(qtbot, services, desk):
    code = register(services, desk, "Nguyễn Văn An")
    window = MainWindow(services, desk)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    labels = [w.text() for w in window.statusBar().children() if hasattr(w, "text") and callable(w.text)]
    assert any("Lê Thị Hoa" in t and "Cán bộ tiếp nhận" in t for t in labels)
    queue = window.page(PAGE_QUEUE)
    assert isinstance(queue, QueuePage) and queue.model.rowCount() == 1
    qtbot.keyClick(window.windowHandle(), Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.page(PAGE_SEARCH)
    for number in (PAGE_REPORTS, PAGE_SYNC, PAGE_SETTINGS):
        window.show_page(number)
        page = window.stack.currentWidget()
        if isinstance(page, PlaceholderPage):
            assert page.message.text()
    queue.table.selectRow(0)
    queue.open_current()
    assert window.case_dialogs and isinstance(window.case_dialogs[-1], CaseDialog)
    assert window.case_dialogs[-1].detail.code == code
    window.case_dialogs[-1].close()


def test_self_test_start_logs_startup_complete(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run([sys.executable, "main.py", "--self-test", "--data-dir", str(tmp_path)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr
    log = (tmp_path / "logs" / "tthc_desk.log").read_text(encoding="utf-8")
    assert "startup complete" in log and "queue first page painted" in log
    assert "heap settled" in log  # start-up objects frozen out of later garbage collections


def test_a_later_start_paints_the_queue_from_its_start_up_plan(tmp_path):
    """The first start on a database records the start-up plan once its services are up; the next start
    reads the user and the first page by it (services still loading); a plan another version recorded is not
    used (that start waits for the services, and records its own)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TTHC_DESK_CACHE_DIR": str(tmp_path / "cache")}
    db = tmp_path / "office.sqlite3"

    def start(name: str) -> str:
        run = subprocess.run([sys.executable, "main.py", "--self-test", "--db", str(db), "--data-dir",
                              str(tmp_path / name)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
        assert run.returncode == 0, run.stderr
        log = (tmp_path / name / "logs" / "tthc_desk.log").read_text(encoding="utf-8")
        assert "startup complete" in log and "queue first page painted" in log
        return log

    first = start("first")
    assert "start-up plan recorded for admin" in first and "read by the start-up plan" not in first
    assert "read by the start-up plan (services still loading)" in start("second")
    plans = tmp_path / "cache" / "start-plans.json"
    data = json.loads(plans.read_text(encoding="utf-8"))
    for plan in data["plans"].values():
        plan["fingerprint"] = "recorded by an older version"
    plans.write_text(json.dumps(data), encoding="utf-8")
    third = start("third")
    assert "read by the start-up plan" not in third and "start-up plan recorded for admin" in third


def test_receipt_dialog_previews_the_official_form_and_saves_it(qtbot, services, desk, tmp_path, monkeypatch):
    from ui import dialogs
    from ui.intake.receipt import ReceiptDialog
    from ui.prefs import UserPrefs

    code = register(services, desk, "Nguyễn Văn An")
    prefs = UserPrefs(desk.username)
    dialog = ReceiptDialog(services, desk, code, prefs)
    qtbot.addWidget(dialog)
    assert dialog.pdf and dialog.pdf.startswith(b"%PDF") and dialog.save_button.isEnabled()
    target = tmp_path / "out" / "bien-nhan.pdf"
    monkeypatch.setattr(dialogs, "pick_save_file", lambda *a, **k: str(target))
    dialog._on_save_clicked()
    assert target.read_bytes() == dialog.pdf
    assert prefs.last_folder("receipts") == str(target.parent)


def test_saving_a_receipt_over_one_open_in_a_pdf_reader_says_so(qtbot, services, desk, tmp_path, monkeypatch, seams):
    """Windows will not replace a PDF the reader holds open: the desk officer is told to close it, the open
    file stays as it was, and the folder is not remembered for a save that did not happen."""
    from tthc_desk import files
    from ui import dialogs
    from ui.intake.receipt import ReceiptDialog
    from ui.prefs import UserPrefs

    code = register(services, desk, "Trần Thị Bình")
    prefs = UserPrefs(desk.username)
    dialog = ReceiptDialog(services, desk, code, prefs)
    qtbot.addWidget(dialog)
    target = tmp_path / "mo-san" / "bien-nhan.pdf"
    target.parent.mkdir()
    target.write_bytes(b"the receipt printed this morning")
    monkeypatch.setattr(dialogs, "pick_save_file", lambda *a, **k: str(target))

    def held_open(_src, _dst):
        raise PermissionError(13, "The process cannot access the file because it is being used by another process")

    monkeypatch.setattr(files.os, "replace", held_open)
    dialog._on_save_clicked()
    assert seams.messages == [("error", "ExportFailed", "Không ghi được tệp 'bien-nhan.pdf': tệp đang mở trong "
                               "trình đọc PDF hoặc thư mục không cho ghi; hãy đóng tệp rồi thử lại.")]
    assert target.read_bytes() == b"the receipt printed this morning"
    assert [p.name for p in target.parent.iterdir()] == ["bien-nhan.pdf"]
    assert prefs.last_folder("receipts") != str(target.parent)


def test_the_collector_paused_by_main_py_runs_again_for_commands_and_after_the_first_paint(capsys):
    """main.py pauses the garbage collector for the window's start: a command turns it back on at once; a
    window at its first paint (start-up objects frozen), and `settle_heap` collects them all later."""
    import gc

    import desk_main

    try:
        gc.disable()
        with pytest.raises(SystemExit):
            desk_main.main(["case", "--help"])
        assert gc.isenabled()
        capsys.readouterr()
        gc.disable()
        desk_main.resume_collector()
        assert gc.isenabled() and gc.get_freeze_count() > 0
        desk_main.settle_heap()
        assert gc.isenabled() and gc.get_freeze_count() > 0  # frozen again, after a full collection
    finally:
        gc.unfreeze()
        gc.enable()


def test_the_bundled_ui_font_is_the_applications_and_has_every_vietnamese_letter(qapp):
    """Text never renders as boxes: the application font is the bundled face, which has each precomposed
    Vietnamese letter (both cases), in the regular and the bold weight the window uses."""
    from PySide6.QtGui import QFont, QFontInfo, QFontMetrics

    from ui.style import load_ui_font

    family = load_ui_font(qapp)
    assert family == "Liberation Sans" and qapp.font().family() == family
    letters = "ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
    for bold in (False, True):
        font = QFont(family, 10)
        font.setBold(bold)
        assert QFontInfo(font).family() == family
        metrics = QFontMetrics(font)
        missing = [ch for ch in letters + letters.upper() if not metrics.inFontUcs4(ord(ch))]
        assert not missing


def test_services_that_fail_before_the_login_are_shown_and_end_the_program(qapp, tmp_path, monkeypatch):
    """A new database whose services cannot be built (a failed migration): a windowed program has no console,
    so the error is shown (and logged) before the program ends with 1, instead of vanishing."""
    import logging
    import threading

    import desk_main
    from ui import dialogs

    root = logging.getLogger()  # run_gui sets up the log file and the exception hooks: undone after the test
    for obj, name in ((sys, "excepthook"), (threading, "excepthook"), (root, "handlers"), (root, "level")):
        monkeypatch.setattr(obj, name, getattr(obj, name)[:] if name == "handlers" else getattr(obj, name))
    shown = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, exc: shown.append(exc))
    monkeypatch.setattr(desk_main, "open_services", lambda target, clock: (_ for _ in ()).throw(
        RuntimeError("migration failed")))
    monkeypatch.setenv("TTHC_DESK_CACHE_DIR", str(tmp_path / "cache"))
    code = desk_main.run_gui(["--db", str(tmp_path / "new.sqlite3"), "--data-dir", str(tmp_path / "data")])
    assert code == 1 and [str(e) for e in shown] == ["migration failed"]
