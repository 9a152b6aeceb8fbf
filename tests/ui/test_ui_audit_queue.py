"""The UI audit's findings on the queue, the window's width, the reports' charts and the sync preview: from the
search box straight to the results, every page usable on 1366x768 at 125 % (a 1093x614 window), unit names
readable on the per-unit chart with a tooltip on each bar, and the preview's "Sẽ làm gì" in sight."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QToolTip
from uihelpers import PASSWORD, register, type_text

from ui.main_window import PAGE_QUEUE, PAGE_REPORTS, PAGE_SEARCH, PAGE_SYNC, PAGE_TITLES, MainWindow
from ui.queue.model import COL_REMAINING, COL_STATUS

NARROW, SMALL = (1093, 614), (1280, 720)  # 1366x768 at 125 % scaling; a 1280x720 screen


@pytest.fixture
def admin(services):
    return services.accounts.login("admin", PASSWORD)


def _window(qtbot, services, actor, size=(1366, 768), prefs=None) -> MainWindow:
    window = MainWindow(services, actor, prefs)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def _search(qtbot, page, text: str) -> None:
    page.focus_search()
    type_text(page.filters.search, text)  # typed: applied only after the debounce, or by the key that follows
    assert page.filters.search.hasFocus()


# ----- #5: from the search box to the results ------------------------------------------------------------------
@pytest.mark.parametrize("number", [PAGE_QUEUE, PAGE_SEARCH])
def test_down_in_the_search_box_goes_to_the_first_result(qtbot, services, desk, number):
    for name in ("Nguyễn Văn An", "Nguyễn Thị Bình", "Trần Văn Cường"):
        register(services, desk, name)
    window = _window(qtbot, services, desk)
    window.show_page(number)
    page = window.page(number)
    _search(qtbot, page, "nguyen")
    qtbot.keyClick(page.filters.search, Qt.Key.Key_Down)
    assert page.table.hasFocus()
    assert page.model.rowCount() == 2  # what was typed is applied first
    assert page.table.currentIndex().row() == 0 and page.table.selectionModel().isRowSelected(0)
    assert not window.case_dialogs  # Down only moves; Enter opens
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert window.case_dialogs[-1].detail.code == page.model.row_at(0).code


@pytest.mark.parametrize("number", [PAGE_QUEUE, PAGE_SEARCH])
def test_enter_in_the_search_box_opens_the_only_case_found(qtbot, services, desk, number):
    register(services, desk, "Nguyễn Văn An")
    code = register(services, desk, "Trần Thị Bình")
    window = _window(qtbot, services, desk)
    window.show_page(number)
    page = window.page(number)
    _search(qtbot, page, "tran thi")
    assert not window.case_dialogs
    qtbot.keyClick(page.filters.search, Qt.Key.Key_Return)
    assert page.model.rowCount() == 1
    assert [d.detail.code for d in window.case_dialogs] == [code]


def test_enter_with_several_cases_found_selects_the_first_and_a_second_enter_opens_it(qtbot, services, desk):
    for name in ("Nguyễn Văn An", "Nguyễn Thị Bình", "Trần Văn Cường"):
        register(services, desk, name)
    window = _window(qtbot, services, desk)
    page = window.page(PAGE_QUEUE)
    _search(qtbot, page, "khong co ai")
    qtbot.keyClick(
        page.filters.search, Qt.Key.Key_Return
    )  # nothing found: the keyboard stays to search again
    assert page.model.rowCount() == 0 and page.filters.search.hasFocus() and not window.case_dialogs
    _search(qtbot, page, "nguyen")
    qtbot.keyClick(page.filters.search, Qt.Key.Key_Return)
    assert page.model.rowCount() == 2 and not window.case_dialogs  # two found: which to open is the user's
    assert page.table.hasFocus() and page.table.currentIndex().row() == 0
    first = page.model.row_at(0).code
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert [d.detail.code for d in window.case_dialogs] == [first]


# ----- #3: the window on 1366x768 at 125 % and on 1280x720 ----------------------------------------------------
def test_no_page_makes_the_window_wider_than_1093_px(qtbot, services, admin):
    window = _window(qtbot, services, admin, NARROW)
    for number, title in enumerate(PAGE_TITLES):  # pages are built on their first visit, and stay
        window.page(number)
        window.show_page(number)
        assert window.minimumSizeHint().width() <= NARROW[0], title
    window.resize(*NARROW)
    qtbot.waitUntil(lambda: window.width() == NARROW[0])
    # and none needs a scroll area to get there: every page's own fields fit (Danh mục's office and units tabs
    # were 1041 and 959 px wide: long form labels, a hint that did not wrap)
    assert all(window.stack.widget(n) is window.page(n) for n in range(len(PAGE_TITLES)))


def _column_on_screen(table, column: int) -> bool:
    left = table.horizontalHeader().sectionViewportPosition(column)
    return left >= 0 and left + table.columnWidth(column) <= table.viewport().width()


@pytest.mark.parametrize("size", [NARROW, SMALL])
def test_the_queue_shows_its_time_left_and_status_columns_without_scrolling(qtbot, services, desk, size):
    register(services, desk, "Tôn Nữ Hoàng Phương Thảo Nguyên")
    window = _window(qtbot, services, desk, size)
    assert window.width() == size[0]
    page = window.page(PAGE_QUEUE)
    qtbot.waitUntil(lambda: page.table.viewport().width() > 600)
    for column in (COL_REMAINING, COL_STATUS):
        assert _column_on_screen(page.table, column), page.model.headerData(column, Qt.Orientation.Horizontal)
    assert not page.table.horizontalScrollBar().isVisible()
    # the long name is there, elided, and whole in its tooltip
    assert page.model.index(0, 2).data(Qt.ItemDataRole.ToolTipRole) == "Tôn Nữ Hoàng Phương Thảo Nguyên"


def test_a_header_saved_by_the_previous_layout_does_not_bring_the_scroll_bar_back(qtbot, services, desk):
    from ui.prefs import UserPrefs
    from ui.queue.view import QueuePage

    register(services, desk, "Nguyễn Văn An")
    prefs = UserPrefs(desk.username)
    old = QueuePage(services, desk, prefs)
    qtbot.addWidget(old)
    header = old.table.horizontalHeader()
    header.setStretchLastSection(True)  # how it was saved: fixed widths adding up to more than 1093 px allow
    header.setSectionResizeMode(header.ResizeMode.Interactive)
    for column, width in enumerate((112, 165, 140, 164, 140, 104, 120, 115)):
        header.resizeSection(column, width)
    prefs.save_header("queue", header)
    window = _window(qtbot, services, desk, NARROW, prefs)
    page = window.page(PAGE_QUEUE)
    assert _column_on_screen(page.table, COL_STATUS) and not page.table.horizontalScrollBar().isVisible()


# ----- #4: the per-unit chart and the month axis ---------------------------------------------------------------
UNITS = (
    "Chi nhánh Văn phòng đăng ký đất đai huyện Tây Sơn",
    "Phòng Lao động - Thương binh và Xã hội",
    "Phòng Tài chính - Kế hoạch",
    "Phòng Kinh tế và Hạ tầng",
    "UBND thị trấn Phú Phong",
    "UBND xã Bình Tân",
    "UBND xã Bình Nghi",
    "UBND xã Bình Hòa",
    "UBND xã Bình Tường",
    "UBND xã Tây Phú",
    "UBND xã Tây An",
    "UBND xã Tây Thuận",
    "UBND xã Tây Bình",
    "UBND xã Tây Vinh",
    "UBND xã Bình Thuận",
    "UBND xã Tây Giang",
)


def _october(services, clock, desk, admin) -> None:
    """Per unit (16, as a district has), cases received and resolved in October 2026; the first unit's late."""
    for n, name in enumerate(UNITS):
        unit = services.accounts.save_unit(admin, name, None, "phòng ban")
        for k in range(2):
            clock.set(datetime(2026, 10, 5 + k, 8, 30))  # Mon 5 and Tue 6
            code = register(services, desk, f"Người nộp {n}-{k}")
            services.workflow.transfer(desk, code, unit)
            clock.set(datetime(2026, 10, 20 if n == 0 else 7, 10, 0))
            services.workflow.record_result(desk, code)
    clock.set(datetime(2026, 11, 20, 9, 0))


@pytest.mark.parametrize("size", [NARROW, SMALL])
def test_each_units_bar_is_named_readably_and_has_a_tooltip(
    qtbot, services, clock, desk, admin, leader, size
):
    from ui.reports.page import ReportsPage

    _october(services, clock, desk, admin)
    window = _window(qtbot, services, leader, size)
    window.show_page(PAGE_REPORTS)
    page = window.page(PAGE_REPORTS)
    assert isinstance(page, ReportsPage)
    chart = page.rate_chart
    qtbot.waitUntil(lambda: len(chart.keys) == len(UNITS))
    names = {page.dashboard.analysis.report.rows[i].label for i in range(len(UNITS))}
    assert names == set(UNITS)
    shown = chart.label_lines()
    assert len({" ".join(lines) for lines in shown}) == len(UNITS)  # one can tell every bar from the others
    for lines, row in zip(shown, page.dashboard.analysis.report.rows, strict=True):
        name = row.label.removeprefix("UBND ")  # "xã Bình Tân": how the office's letters name a commune
        text = " ".join(lines)  # (a name on two lines is broken between two words)
        # the whole name, or its beginning cut between two words, never inside one and never "…" alone
        cut = (
            text.endswith("…") and len(text) > 1 and name.startswith(text[:-1]) and name[len(text) - 1] == " "
        )
        assert text == name or cut, (text, name)
    hits = chart.hits()
    for row, hit in zip(page.dashboard.analysis.report.rows, hits, strict=True):
        centre = hit.rect.center().toPoint()
        QToolTip.hideText()
        chart.event(QHelpEvent(QEvent.Type.ToolTip, centre, chart.mapToGlobal(centre)))
        tip = QToolTip.text()
        assert row.label in tip, tip  # the full name, "UBND" and all
        assert ("0/2" if row.label == UNITS[0] else "2/2") in tip, tip  # on time of resolved
    with qtbot.waitSignal(chart.bar_clicked) as clicked:
        qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=hits[0].rect.center().toPoint())
    assert clicked.args == [page.dashboard.analysis.report.rows[0].key]
    assert page.last_dialog is not None and page.last_dialog.model.rowCount() == 2
    page.last_dialog.close()


@pytest.mark.parametrize("size", [NARROW, SMALL])
def test_the_month_axis_and_the_days_ahead_show_whole_labels(qtbot, services, leader, size):
    window = _window(qtbot, services, leader, size)
    window.show_page(PAGE_REPORTS)
    page = window.page(PAGE_REPORTS)
    qtbot.waitUntil(lambda: page.dashboard is not None)
    months = page.trend_chart.axis_labels()
    assert len(months) == 12 and all("…" not in m and "..." not in m for m in months)
    assert months[-1] in ("11/26", "T11", "11")  # the trend runs to this month, November 2026
    days = page.backlog_chart.axis_labels()
    assert days[0] == "Quá hạn" and all("…" not in d and "..." not in d for d in days)
    tip = next(h.tip for h in page.trend_chart.hits())
    assert tip.startswith("Tháng ") and "/20" in tip  # the month in full, with its year


# ----- #8: the sync preview's decisive column --------------------------------------------------------------------
@pytest.mark.parametrize("size", [NARROW, (1366, 768)])
def test_the_sync_preview_shows_what_the_import_will_do_without_scrolling(
    qtbot, services, admin, tmp_path, monkeypatch, size
):
    from ui import dialogs

    for name in ("Nguyễn Văn An", "Trần Thị Bình"):
        register(services, admin, name)
    path = tmp_path / "cong.xlsx"
    services.sync.export_cases(admin, path)  # a portal-shaped workbook: the app's own export
    monkeypatch.setattr(dialogs, "pick_open_file", lambda *a, **k: str(path))
    window = _window(qtbot, services, admin, size)
    window.show_page(PAGE_SYNC)
    page = window.page(PAGE_SYNC)
    page.choose_button.click()
    qtbot.waitUntil(lambda: page.stack.currentIndex() == 1)
    view = page.preview_view
    model, header = view.model(), view.horizontalHeader()
    column = next(
        c for c in range(model.columnCount()) if model.headerData(c, Qt.Orientation.Horizontal) == "Sẽ làm gì"
    )
    rect = view.visualRect(model.index(0, column))
    assert rect.left() >= 0 and rect.right() <= view.viewport().width()
    assert model.index(0, column).data() == "Không đổi"  # the file holds what the desk already has
    code = next(
        c for c in range(model.columnCount()) if model.headerData(c, Qt.Orientation.Horizontal) == "Mã hồ sơ"
    )
    assert header.sectionViewportPosition(column) < header.sectionViewportPosition(
        code
    )  # read before the code
