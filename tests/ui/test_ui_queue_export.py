"""Xuất Excel on the queue and search pages: the list exactly as shown (filter, order), its filter in the title."""

from __future__ import annotations

from datetime import datetime

import openpyxl
from PySide6.QtCore import Qt
from uihelpers import register, type_text

from tthc_desk.domain import Colour
from ui.queue.model import COL_APPLICANT
from ui.queue.view import QueuePage

HEADER_ROW = 5  # two title lines, the filter line, a blank line, then the headers (1-based)


def _sheet(path):
    return openpyxl.load_workbook(path).active


def _codes(ws, first_row: int) -> list[str]:
    return [ws.cell(r, 1).value for r in range(first_row, ws.max_row + 1)]


def test_the_filtered_sorted_queue_is_exported_as_shown(qtbot, services, desk, clock, tmp_path, monkeypatch, seams):
    from ui import dialogs

    late_an = register(services, desk, "Nguyễn Văn An", when=datetime(2026, 11, 16, 8, 0))
    late_binh = register(services, desk, "Nguyễn Thị Bình", when=datetime(2026, 11, 16, 9, 0))
    late_cuc = register(services, desk, "Trần Văn Cúc", when=datetime(2026, 11, 16, 10, 0))
    fresh = register(services, desk, "Nguyễn Văn Dũng")  # received today: green
    page = QueuePage(services, desk)
    qtbot.addWidget(page)
    assert page.export_button.isEnabled() and "Ctrl+E" in page.export_button.toolTip()

    page.filters.colour_buttons[Colour.RED].click()
    page.table.sortByColumn(COL_APPLICANT, Qt.SortOrder.DescendingOrder)
    type_text(page.filters.search, "nguyen")  # typed, not yet applied (the debounce): the export applies it
    shown_before_export = {page.model.row_at(r).code for r in range(page.model.rowCount())}
    assert shown_before_export == {late_an, late_binh, late_cuc}
    target = tmp_path / "ra" / "do"
    target.parent.mkdir()
    monkeypatch.setattr(dialogs.QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), ""))  # as typed
    page.export_list()

    shown = [page.model.row_at(r).code for r in range(page.model.rowCount())]
    assert shown == [late_an, late_binh]  # Văn An, Thị Bình: by name, descending; Trần Văn Cúc is not a "nguyen"
    path = target.with_suffix(".xlsx")  # the suffix the user left off is added
    ws = _sheet(path)
    assert ws["A1"].value == "DANH SÁCH HỒ SƠ ĐANG GIẢI QUYẾT"
    assert ws["A3"].value == "Lọc: cảnh báo “Quá hạn”; tìm “nguyen”"
    assert ws.cell(HEADER_ROW, 1).value == "Mã hồ sơ"
    assert _codes(ws, HEADER_ROW + 1) == shown
    colour_col = [ws.cell(HEADER_ROW, c).value for c in range(1, ws.max_column + 1)].index("Cảnh báo hạn") + 1
    assert {ws.cell(r, colour_col).value for r in range(HEADER_ROW + 1, ws.max_row + 1)} == {"Quá hạn"}
    assert fresh not in _codes(ws, HEADER_ROW + 1)
    assert seams.messages == [("info", "Đã xuất", f"Đã xuất 2 hồ sơ vào {path}.")]


def test_an_unfiltered_search_page_export_has_every_case_and_no_filter_line(qtbot, services, desk, tmp_path,
                                                                             monkeypatch, seams):
    from ui import dialogs

    codes = {register(services, desk, name) for name in ("Lê Văn Em", "Phạm Thị Giang")}
    services.workflow.withdraw(desk, sorted(codes)[0], "Công dân xin rút")  # closed: on the search page only
    page = QueuePage(services, desk, open_only=False)
    qtbot.addWidget(page)
    target = tmp_path / "tra-cuu.xlsx"
    monkeypatch.setattr(dialogs, "pick_save_file", lambda *_a, **_k: str(target))
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)  # the shortcut
    ws = _sheet(target)
    assert ws["A1"].value == "DANH SÁCH HỒ SƠ"
    assert ws["A3"].value is None and ws["A4"].value == "Mã hồ sơ"
    assert set(_codes(ws, 5)) == codes
    assert seams.messages[-1][0] == "info"


def test_a_specialist_cannot_export_the_queue(qtbot, services, tmp_path, monkeypatch):
    from tthc_desk.errors import PermissionDenied
    from ui import dialogs

    specialist = services.accounts.login("chuyenvien", "matkhau123")
    page = QueuePage(services, specialist)
    qtbot.addWidget(page)
    assert not page.export_button.isEnabled() and "không có quyền" in page.export_button.toolTip()
    asked = []
    monkeypatch.setattr(dialogs, "pick_save_file", lambda *a, **k: asked.append(a) or str(tmp_path / "x.xlsx"))
    page.export_list()
    assert asked == [] and not (tmp_path / "x.xlsx").exists()
    try:  # and the core refuses it whatever the window shows
        services.sync.export_cases(specialist, tmp_path / "x.xlsx")
    except PermissionDenied:
        pass
    else:
        raise AssertionError("a specialist exported the queue")
    assert not (tmp_path / "x.xlsx").exists()


def test_a_saved_name_gets_the_suffix_of_what_is_written():
    """Every save dialog (exports, reports, letters, receipts): a name typed without its suffix gets the
    filter's first one; a name already ending in one of the filter's suffixes is kept."""
    from ui.dialogs import with_suffix

    assert with_suffix("/tmp/bao-cao", "Excel (*.xlsx)") == "/tmp/bao-cao.xlsx"
    assert with_suffix("/tmp/bao-cao.XLSX", "Excel (*.xlsx)") == "/tmp/bao-cao.XLSX"
    assert with_suffix("/tmp/thang.3", "PDF (*.pdf)") == "/tmp/thang.3.pdf"
    assert with_suffix("/tmp/a.docx", "Word (*.docx)") == "/tmp/a.docx"
    assert with_suffix("/tmp/a", "") == "/tmp/a"
