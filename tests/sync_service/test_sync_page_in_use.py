"""The sync page used as an officer uses it, inside the main window and alone (audit 9 of the page): where the
keyboard goes, what a key presses, what survives a revised plan, what a role may not do, what the summary says
and where files are offered."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

import threading  # noqa: E402
from datetime import datetime  # noqa: E402

import pytest  # noqa: E402
from portal_files import build_portal, row  # noqa: E402

pytestmark = pytest.mark.gui


def _quiet_dialogs(monkeypatch, said: list) -> None:
    from ui import dialogs

    monkeypatch.setattr(dialogs, "show_error", lambda _p, exc: said.append(str(exc)))
    monkeypatch.setattr(dialogs, "info", lambda _p, _title, text: said.append(text))


@pytest.fixture
def page(qtbot, office, admin, monkeypatch):
    """The page alone, its jobs run inline."""
    from ui.sync.page import SyncPage
    from ui.tasks import use_inline_executor

    use_inline_executor(True)
    p = SyncPage(office, admin)
    p.said = []
    _quiet_dialogs(monkeypatch, p.said)
    qtbot.addWidget(p)
    p.resize(1366, 768)
    p.show()
    yield p
    use_inline_executor(False)


@pytest.fixture
def window(qtbot, office, admin, monkeypatch, tmp_path):
    """The main window, its jobs on the worker thread as in use, its settings in the test's folder."""
    from PySide6.QtCore import QSettings

    from ui.main_window import MainWindow
    from ui.tasks import use_inline_executor

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    use_inline_executor(False)
    w = MainWindow(office, admin)
    w.said = []
    _quiet_dialogs(monkeypatch, w.said)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    return w


def _choosing(monkeypatch, path) -> None:
    from ui import dialogs

    monkeypatch.setattr(dialogs, "pick_open_file", lambda *a, **k: str(path))


def _key(window, key, modifier=None) -> None:
    """A key as the platform delivers it: to the window, then to the widget with the keyboard."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    QTest.keyClick(window.windowHandle(), key, modifier or Qt.KeyboardModifier.NoModifier)


def _focus():
    from PySide6.QtWidgets import QApplication

    return QApplication.focusWidget()


def test_a_conflict_taken_stays_taken_when_a_unit_is_settled(page, qtbot, monkeypatch, office, admin, register,
                                                             tmp_path):
    """The user ticks "Lấy theo tệp", then settles an unknown unit: the revised plan used to come back with every
    conflict "keep ours", and the import kept the desk's name without a word."""
    from PySide6.QtCore import Qt

    desk = register("Nguyễn Văn An", code="000.00.17.H10-250303-0099")
    _choosing(monkeypatch, build_portal(tmp_path / "c.xlsx", [row(99, code=desk.code, applicant="Nguyễn Văn Anh"),
                                                              row(2, unit="Phòng Văn hóa")]))  # fmt: skip
    page.choose_button.click()
    model = page.conflict_model
    model.setData(model.index(0, 0), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    page.unknowns_editor.combos[0][1].setCurrentIndex(1)  # Tạo mới
    qtbot.waitUntil(lambda: page.plan.unknown_units[0].resolution is not None)
    assert model.index(0, 0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    page.run_button.click()
    assert "lấy theo tệp 1" in page.summary_label.text()
    assert office.casefile.detail(admin, desk.code).applicant["name"] == "Nguyễn Văn Anh"


def test_a_file_chosen_anew_starts_with_no_conflict_decided(page, qtbot, monkeypatch, register, tmp_path):
    from PySide6.QtCore import Qt

    desk = register("Nguyễn Văn An", code="000.00.17.H10-250303-0099")
    _choosing(monkeypatch, build_portal(tmp_path / "c.xlsx", [row(99, code=desk.code, applicant="Nguyễn Văn Anh")]))
    page.choose_button.click()
    model = page.conflict_model
    model.setData(model.index(0, 0), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    page.back_button.click()
    page.choose_button.click()
    assert model.index(0, 0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked


def test_a_dry_run_ending_while_the_user_types_elsewhere_leaves_the_keyboard_there(window, qtbot, monkeypatch,
                                                                                   office, tmp_path):
    """The officer chooses a file, goes to the queue (Ctrl+1) and types in its search box before the file has
    been read. The hidden page used to take the keyboard when the dry run ended: the letters were lost and the
    Space pressed the hidden "Nhập dữ liệu", importing 10 cases never previewed. Back on the page (Ctrl+5) the
    keyboard is on "Nhập dữ liệu"."""
    from PySide6.QtCore import Qt

    from ui.main_window import PAGE_QUEUE, PAGE_SYNC

    window.show_page(PAGE_SYNC)
    page = window.pages[PAGE_SYNC]
    real, read = office.sync.plan_import, threading.Event()  # the file is still being read until `read`
    monkeypatch.setattr(office.sync, "plan_import", lambda *a, **k: (read.wait(20), real(*a, **k))[1])
    _choosing(monkeypatch, build_portal(tmp_path / "q.xlsx", [row(i) for i in range(1, 11)]))
    page.choose_button.click()
    _key(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    queue = window.pages[PAGE_QUEUE]
    qtbot.waitUntil(lambda: queue.filters.search.hasFocus())
    read.set()
    qtbot.waitUntil(lambda: page.plan is not None, timeout=20000)
    qtbot.wait(50)
    for key in (Qt.Key.Key_N, Qt.Key.Key_G, Qt.Key.Key_Space, Qt.Key.Key_V):
        _key(window, key)
    assert queue.filters.search.text() == "ng v"
    assert page.stack.currentIndex() == 1 and page.result is None  # nothing imported
    _key(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: _focus() is page.run_button)


def test_arrowing_through_a_units_entries_with_pauses_then_enter_keeps_the_choice(window, qtbot, monkeypatch,
                                                                                  office, admin, units, tmp_path):
    """Each pause revises the plan; the keyboard used to jump to "Nhập dữ liệu" after each, so the next Down
    landed on the button and the Enter meant to confirm imported under an entry only passed over."""
    from PySide6.QtCore import Qt

    from ui.main_window import PAGE_SYNC
    from ui.sync.page import REPLAN_DELAY_MS

    window.show_page(PAGE_SYNC)
    page = window.pages[PAGE_SYNC]
    _choosing(monkeypatch, build_portal(tmp_path / "k.xlsx", [row(1, unit="Phòng Văn hóa"), row(2)]))
    _key(window, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: page.stack.currentIndex() == 1, timeout=20000)
    unknown, combo = page.unknowns_editor.combos[0]
    qtbot.waitUntil(lambda: _focus() is combo)
    for _ in range(combo.findData(units["tnmt"])):  # "— chọn —", "Tạo mới", then the units, reading each
        _key(window, Qt.Key.Key_Down)
        qtbot.wait(REPLAN_DELAY_MS + 300)
    qtbot.waitUntil(lambda: page.plan.unknown_units[0].resolution == units["tnmt"], timeout=20000)
    qtbot.waitUntil(lambda: _focus() is page.unknowns_editor.combo_for("unit", unknown.key))
    assert page.stack.currentIndex() == 1 and page.result is None
    _key(window, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: page.stack.currentIndex() == 2, timeout=20000)
    assert office.casefile.detail(admin, "000.00.17.H10-250303-0001").lead_unit == "Phòng Tài nguyên và Môi trường"


def test_the_queue_shows_the_imported_cases_at_once(window, qtbot, monkeypatch, tmp_path):
    """The queue waited for its 30 s refresh: the page's `imported` was connected to nothing."""
    from ui.main_window import PAGE_QUEUE, PAGE_SYNC

    queue = window.page(PAGE_QUEUE)
    window.show_page(PAGE_SYNC)
    page = window.pages[PAGE_SYNC]
    _choosing(monkeypatch, build_portal(tmp_path / "q.xlsx", [row(i) for i in range(1, 11)]))
    page.choose_button.click()
    qtbot.waitUntil(lambda: page.stack.currentIndex() == 1 and page.run_button.isEnabled(), timeout=20000)
    page.run_button.click()
    qtbot.waitUntil(lambda: page.stack.currentIndex() == 2, timeout=20000)
    assert "thêm mới 10" in page.summary_label.text()
    qtbot.waitUntil(lambda: queue.model.rowCount() == 10, timeout=5000)


def test_after_a_file_that_cannot_be_read_the_keyboard_is_on_choose_again(qtbot, office, admin, monkeypatch,
                                                                          tmp_path):
    """"Chọn tệp" is off while the file is read and lost the keyboard to the next button: a Space meant to try
    another file exported the queue."""
    from PySide6.QtCore import Qt

    from ui.sync.page import SyncPage
    from ui.tasks import use_inline_executor

    use_inline_executor(False)
    page = SyncPage(office, admin)
    said = []
    _quiet_dialogs(monkeypatch, said)
    qtbot.addWidget(page)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    bad = tmp_path / "khong_phai.xlsx"
    bad.write_text("không phải bảng tính", encoding="utf-8")
    _choosing(monkeypatch, bad)
    qtbot.keyClick(page.choose_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: bool(said), timeout=10000)
    qtbot.waitUntil(lambda: _focus() is page.choose_button)


def test_ctrl_5_puts_the_keyboard_on_choose_and_enter_presses_the_button_it_is_on(window, qtbot, monkeypatch):
    from PySide6.QtCore import Qt

    from ui.main_window import PAGE_SYNC

    asked = []
    monkeypatch.setattr("ui.dialogs.pick_open_file", lambda *a, **k: asked.append(1) or None)
    _key(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    page = window.pages[PAGE_SYNC]
    qtbot.waitUntil(lambda: _focus() is page.choose_button)
    _key(window, Qt.Key.Key_Return)
    assert asked == [1]


def test_tab_leaves_the_preview_table_for_the_buttons(page, qtbot, monkeypatch, tmp_path):
    """The table walked its cells on Tab, so "Quay lại" and "Nhập dữ liệu" were out of the Tab order's reach."""
    from PySide6.QtCore import Qt

    _choosing(monkeypatch, build_portal(tmp_path / "p.xlsx", [row(i) for i in range(1, 6)]))
    page.choose_button.click()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    page.preview_view.setFocus()
    qtbot.keyClick(page.preview_view, Qt.Key.Key_Tab)
    assert _focus() in (page.back_button, page.run_button)
    assert not page.review_scroll.focusPolicy() & Qt.FocusPolicy.TabFocus


def test_a_role_that_may_not_import_or_export_is_told_before_choosing_a_file(qtbot, office, leader, specialist):
    from ui.sync.page import SyncPage

    for actor, may_export in ((leader, True), (specialist, False)):
        p = SyncPage(office, actor)
        qtbot.addWidget(p)
        assert not p.choose_button.isEnabled()
        assert "không có quyền nhập hồ sơ từ tệp" in p.choose_button.toolTip()
        assert p.export_queue_button.isEnabled() == p.export_register_button.isEnabled() == may_export
        if not may_export:
            assert "không có quyền xuất dữ liệu" in p.export_changed_button.toolTip()


def test_every_update_can_be_seen_before_importing(page, monkeypatch, office, admin, tmp_path):
    """The preview held the first 200 rows only: an update further down was counted and nowhere to be seen."""
    from ui.sync.models import OUTCOME_WORDS

    office.sync.run_import(admin, build_portal(tmp_path / "a.xlsx", [row(i) for i in range(1, 301)]))
    rows = [row(i) for i in range(1, 301)]
    rows[-1] = row(300, status="Đã có kết quả", finished=datetime(2025, 3, 5, 10, 0))
    _choosing(monkeypatch, build_portal(tmp_path / "b.xlsx", rows))
    page.choose_button.click()
    action = page.preview_model.HEADERS.index("Sẽ làm gì")
    shown = {page.preview_model.index(r, 0).data(): page.preview_model.index(r, action).data()
             for r in range(page.preview_model.rowCount())}  # fmt: skip
    assert len(shown) == 201
    assert shown["303"] == OUTCOME_WORDS["updated"]  # the sheet's row 303: data row 300 under a 3-row head


def test_the_tables_sort_themselves_by_their_values(page, monkeypatch, tmp_path):
    """The page's tables sort in the model (a sort proxy read every cell for every comparison: 25,000 refused
    rows held the window for 1–2 s); by value, not as shown: row 10 after row 9."""
    from PySide6.QtCore import Qt

    rows = [row(i, received="31/02/2025") for i in range(1, 13)]
    _choosing(monkeypatch, build_portal(tmp_path / "r.xlsx", rows))
    page.choose_button.click()
    view = page.tabs.widget(1)
    assert view.model() is page.rejected_model
    view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    numbers = [page.rejected_model.index(r, 0).data() for r in range(page.rejected_model.rowCount())]
    assert numbers == [str(n) for n in range(15, 3, -1)]


def test_the_summary_says_a_corrected_mapping_was_kept(page, qtbot, monkeypatch, tmp_path):
    from ui.sync.page import REPLAN_DELAY_MS

    _choosing(monkeypatch, build_portal(tmp_path / "m.xlsx", [row(1)]))
    page.choose_button.click()
    combo = page.mapping_editor.combos["phone"]
    combo.setCurrentIndex(0)  # (không dùng)
    qtbot.wait(REPLAN_DELAY_MS + 200)
    qtbot.waitUntil(lambda: page.run_button.isEnabled())
    page.run_button.click()
    assert "Đã lưu ánh xạ cột đã chỉnh" in page.summary_label.text()


def test_a_column_taken_from_another_field_is_said_and_a_required_ones_is_refused(page, qtbot, monkeypatch,
                                                                                  tmp_path):
    """Choosing "Số CCCD" for "Người nộp" silently left "Số định danh" with no column; choosing the receipt
    column for "Ngày hẹn trả" was refused by a message naming "Ngày tiếp nhận", a field the user never touched."""
    from ui import dialogs
    from ui.sync.page import REPLAN_DELAY_MS

    warned = []
    monkeypatch.setattr(dialogs, "warn", lambda _p, _title, text: warned.append(text))
    _choosing(monkeypatch, build_portal(tmp_path / "m.xlsx", [row(1)]))
    page.choose_button.click()
    editor = page.mapping_editor
    received = editor.combos["received_at"].currentData()
    due = editor.combos["due_at"]
    due.setCurrentIndex(due.findData(received))
    assert len(warned) == 1 and "“Ngày hẹn trả”" in warned[0] and "trường bắt buộc “Ngày tiếp nhận”" in warned[0]
    qtbot.waitUntil(lambda: editor.combos["due_at"].currentData() != received)
    assert editor.combos["received_at"].currentData() == received
    applicant = editor.combos["applicant"]
    applicant.setCurrentIndex(applicant.findData(editor.combos["citizen_id"].currentData()))
    assert page.mapping_note.isVisible()
    assert "sang “Người nộp”" in page.mapping_note.text() and "“Số định danh” nay không" in page.mapping_note.text()
    qtbot.wait(REPLAN_DELAY_MS + 200)
    qtbot.waitUntil(lambda: "citizen_id" not in page.plan.mapping.columns)


def test_every_conflict_can_be_decided_at_once(page, monkeypatch, register, tmp_path):
    from PySide6.QtCore import Qt

    codes = [register("Nguyễn Văn An", code=f"000.00.17.H10-250303-009{i}").code for i in range(3)]
    rows = [row(90 + i, code=code, applicant="Nguyễn Văn Anh") for i, code in enumerate(codes)]
    _choosing(monkeypatch, build_portal(tmp_path / "c.xlsx", rows))
    page.choose_button.click()
    model = page.conflict_model

    def ticks() -> set:
        return {model.index(r, 0).data(Qt.ItemDataRole.CheckStateRole) for r in range(model.rowCount())}

    assert model.rowCount() == 3 and ticks() == {Qt.CheckState.Unchecked}
    page.take_all_button.click()
    assert ticks() == {Qt.CheckState.Checked}
    page.keep_all_button.click()
    assert ticks() == {Qt.CheckState.Unchecked}


def test_files_out_are_offered_where_the_user_saved_the_last_ones(window, qtbot, monkeypatch, tmp_path):
    """The page's exports started in the program's folder each time, unlike the queue's Ctrl+E; the refused
    rows are offered beside the file they came from, named after it."""
    from ui import dialogs
    from ui.main_window import PAGE_SYNC

    window.show_page(PAGE_SYNC)
    page = window.pages[PAGE_SYNC]
    offered = []
    out = tmp_path / "xuat" / "hang-doi.xlsx"
    out.parent.mkdir()
    monkeypatch.setattr(dialogs, "pick_save_file", lambda _p, _t, suggested, _f: offered.append(suggested) or str(out))
    page.export_queue_button.click()
    qtbot.waitUntil(lambda: bool(window.said), timeout=10000)
    monkeypatch.setattr(dialogs, "pick_save_file", lambda _p, _t, suggested, _f: offered.append(suggested) or None)
    page.export_changed_button.click()
    assert offered[-1] == str(tmp_path / "xuat" / "ho-so-thay-doi.xlsx")
    source = build_portal(tmp_path / "cong.xlsx", [row(1, received="31/02/2025"), row(2)])
    _choosing(monkeypatch, source)
    page.choose_button.click()
    qtbot.waitUntil(lambda: page.stack.currentIndex() == 1 and page.run_button.isEnabled(), timeout=20000)
    page.run_button.click()
    qtbot.waitUntil(lambda: page.stack.currentIndex() == 2, timeout=20000)
    page.save_rejected_button.click()
    assert offered[-1] == str(tmp_path / "cong-dong-bi-tu-choi.xlsx")


def test_a_remembered_mapping_is_forgotten_from_the_page(page, qtbot, monkeypatch, office, admin, tmp_path):
    from ui.sync.page import REPLAN_DELAY_MS

    _choosing(monkeypatch, build_portal(tmp_path / "m.xlsx", [row(1)]))
    page.choose_button.click()
    assert not page.forget_button.isVisible()
    page.mapping_editor.combos["phone"].setCurrentIndex(0)  # (không dùng)
    qtbot.wait(REPLAN_DELAY_MS + 200)
    qtbot.waitUntil(lambda: page.run_button.isEnabled())
    page.run_button.click()
    page.again_button.click()
    page.choose_button.click()
    assert page.plan.mapping_source == "remembered" and page.forget_button.isVisible()
    assert "phone" not in page.plan.mapping.columns
    page.forget_button.click()
    qtbot.waitUntil(lambda: page.plan.mapping_source == "auto")
    assert "phone" in page.plan.mapping.columns and not page.forget_button.isVisible()
    assert office.sync.remembered_mappings(admin) == []


def test_the_summary_names_what_was_created_and_a_changed_file_is_said_when_saving(page, qtbot, monkeypatch,
                                                                                   tmp_path):
    """The summary listed units and procedures in one run of names, a made-up procedure code alone, unescaped
    in rich text; saving the refused rows of a file edited since the import now says the values read went out."""
    import openpyxl

    from ui import dialogs

    rows = [row(1, unit="Phòng Văn hóa & Thông tin"), row(2, proc="9.999999", proc_name="Thủ tục mới lạ"),
            row(3, received=datetime(2025, 3, 3, 9, 0), due=datetime(2025, 3, 1, 9, 0))]  # refused when matched
    source = build_portal(tmp_path / "cong.xlsx", rows)
    monkeypatch.setattr(dialogs, "pick_open_file", lambda *a, **k: str(source))
    page.choose_button.click()
    for _unknown, combo in page.unknowns_editor.combos:
        combo.setCurrentIndex(1)  # Tạo mới
    qtbot.waitUntil(lambda: page.run_button.isEnabled(), timeout=5000)
    page.run_button.click()
    text = page.summary_label.text()
    assert "Đã tạo đơn vị (cần xác nhận trong Danh mục): Phòng Văn hóa &amp; Thông tin." in text
    assert "Đã tạo thủ tục (cần xác nhận trong Danh mục): Thủ tục mới lạ (mã 9.999999)." in text
    book = openpyxl.load_workbook(source)
    book.active.delete_rows(4)  # the officer removes the first row in Excel, and saves
    book.save(source)
    out = tmp_path / "tu-choi.xlsx"
    monkeypatch.setattr(dialogs, "pick_save_file", lambda *a, **k: str(out))
    page.save_rejected_button.click()
    assert page.said and "Đã lưu 1 dòng bị từ chối" in page.said[-1]
    assert "thay đổi" in page.said[-1].split("\n\n", 1)[1]


def test_a_unit_written_two_ways_is_one_choice_and_one_unit_created(page, qtbot, monkeypatch, office, tmp_path):
    """"Phòng Văn hóa" and "phòng văn hoá" were two choices, and "Tạo mới" on both created two units (audit 9,
    D6): one choice, one unit, named as the file first writes it."""
    from PySide6.QtCore import Qt
    from sqlalchemy import select

    from tthc_desk.storage.models import Unit
    from tthc_desk.sync.plan import CREATE
    from ui import dialogs

    path = build_portal(tmp_path / "u.xlsx", [row(1, unit="Phòng Văn hóa"), row(2, unit="phòng văn hoá")])
    monkeypatch.setattr(dialogs, "pick_open_file", lambda *a, **k: str(path))
    qtbot.mouseClick(page.choose_button, Qt.MouseButton.LeftButton)
    assert [page.unknowns_editor.labels[c].text() for _u, c in page.unknowns_editor.combos] == [
        "Đơn vị 'Phòng Văn hóa' (2 dòng)"]  # fmt: skip
    _unknown, combo = page.unknowns_editor.combos[0]
    combo.setCurrentIndex(combo.findData(CREATE))
    qtbot.waitUntil(lambda: page.plan.unknown_units[0].resolution == CREATE)
    qtbot.mouseClick(page.run_button, Qt.MouseButton.LeftButton)
    assert page.stack.currentIndex() == 2 and "thêm mới 2" in page.summary_label.text()
    with office.db.read() as s:
        assert s.execute(select(Unit.name).where(Unit.needs_review)).scalars().all() == ["Phòng Văn hóa"]


def test_a_file_without_a_case_row_says_so_and_stays_on_the_first_step(page, qtbot, monkeypatch, tmp_path):
    """The preview showed zeros and Nhập dữ liệu imported nothing, recording it (audit 9, L7): refused, saying
    why, as the other unusable files are."""
    from PySide6.QtCore import Qt

    from ui import dialogs

    said = []
    monkeypatch.setattr(dialogs, "show_error", lambda _p, exc: said.append(str(exc)))
    path = build_portal(tmp_path / "chi_tieu_de.xlsx", [])
    monkeypatch.setattr(dialogs, "pick_open_file", lambda *a, **k: str(path))
    qtbot.mouseClick(page.choose_button, Qt.MouseButton.LeftButton)
    assert page.stack.currentIndex() == 0 and page.plan is None
    assert said == ["Trang “DanhSach” của tệp 'chi_tieu_de.xlsx' không có dòng hồ sơ nào dưới dòng tiêu đề (dòng"
                    " 3): không có gì để nhập. Hãy xem lại danh sách xuất từ cổng (bộ lọc khi xuất có thể không ra"
                    " hồ sơ nào)."]  # fmt: skip

