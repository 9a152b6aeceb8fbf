"""The sync page's choice for a procedure the catalogue lacks: the catalogue's hundreds of entries, each
starting with its code, found by words of the name typed with or without diacritics, as the queue's search
finds cases."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

import pytest  # noqa: E402
from portal_files import build_portal, row  # noqa: E402
from test_sync_page_in_use import _choosing, page  # noqa: E402, F401 (the page fixture)

from tthc_desk.text import fold  # noqa: E402

pytestmark = pytest.mark.gui


@pytest.mark.parametrize("typed", ["khai sinh", "dang ky khai sinh", "ĐĂNG KÝ KHAI SINH", "đăng ký khai"])
def test_an_unknown_procedure_is_found_by_words_of_its_name(page, qtbot, monkeypatch, tmp_path, typed):  # noqa: F811
    """A plain combo found an entry by its first letters only (its code); then words matched only as written.
    Typed words now offer the entries holding them, whatever the diacritics and case; the box keeps what was
    typed, and a pick settles the procedure and shows the entry's own text (never the folded one)."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    _choosing(monkeypatch, build_portal(tmp_path / "p.xlsx", [row(1, proc="9.999999", proc_name="Thủ tục lạ")]))
    page.choose_button.click()
    (unknown, combo), = page.unknowns_editor.combos
    assert unknown.kind == "procedure" and combo.isEditable()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    combo.setFocus()
    for ch in typed:  # as a Vietnamese keyboard sends them: each character as a key event's text
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(combo.lineEdit(), QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier,
                                                               ch))
    assert combo.lineEdit().text() == typed
    completer = combo.completer()
    offered = [completer.completionModel().index(r, 0).data() for r in range(completer.completionCount())]
    assert offered and all(fold(typed) in fold(text) for text in offered)
    completer.popup().setCurrentIndex(completer.completionModel().index(0, 0))
    QTest.keyClick(completer.popup(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.plan.unknown_procedures[0].resolution is not None, timeout=5000)
    (_unknown, shown), = page.unknowns_editor.combos  # (the editor is built anew for the revised plan)
    assert shown.currentText() == offered[0]
