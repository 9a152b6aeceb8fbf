"""SyncPage offscreen: choose → preview and mapping → import → summary; exports; screenshots for review."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from datetime import datetime  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from portal_files import build_portal, row  # noqa: E402

pytestmark = pytest.mark.gui
# screenshots for review only when asked for (TTHC_SHOTS=1): a test run leaves nothing in the working tree
SHOTS = Path(__file__).resolve().parents[2] / "shots"


@pytest.fixture
def page(qtbot, office, admin, monkeypatch, tmp_path):
    from ui import dialogs
    from ui.sync.page import SyncPage
    from ui.tasks import use_inline_executor

    use_inline_executor(True)
    said = []
    monkeypatch.setattr(dialogs, "show_error", lambda _p, exc: (_ for _ in ()).throw(exc))
    monkeypatch.setattr(dialogs, "info", lambda _p, title, text: said.append(text))
    p = SyncPage(office, admin)
    p.said = said
    qtbot.addWidget(p)
    p.resize(1366, 768)
    p.show()
    yield p
    use_inline_executor(False)


def _shot(page, name: str) -> None:
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    image = page.grab()
    assert not image.isNull()
    if os.environ.get("TTHC_SHOTS"):
        SHOTS.mkdir(exist_ok=True)
        image.save(str(SHOTS / f"sync_{name}.png"))


def test_the_flow_on_a_small_file(page, qtbot, monkeypatch, quirky_file, tmp_path):
    from PySide6.QtCore import Qt

    from ui import dialogs

    _shot(page, "choose")
    monkeypatch.setattr(dialogs, "pick_open_file", lambda *a, **k: str(quirky_file))
    qtbot.mouseClick(page.choose_button, Qt.MouseButton.LeftButton)
    assert page.stack.currentIndex() == 1
    model = page.preview_model
    assert model.rowCount() == 8
    assert [model.index(r, 1).data() for r in range(2)] == ["000.00.17.H10-250303-0001", "000.00.17.H10-250303-0002"]
    assert model.index(3, 2).data() == "Trần Thị Bích"  # TCVN3 decoded
    assert model.index(0, 8).data() == "Thêm mới"
    assert "dòng tiêu đề 3" in page.file_label.text() and "TCVN3" in page.file_label.text()
    assert page.rejected_model.rowCount() == 2 and page.tabs.tabText(1) == "Dòng bị từ &chối (2)"
    assert page.mapping_editor.combos["code"].currentText() == "Số hồ sơ"
    _shot(page, "preview")
    qtbot.mouseClick(page.run_button, Qt.MouseButton.LeftButton)
    assert page.stack.currentIndex() == 2
    assert "thêm mới 8" in page.summary_label.text()
    assert page.summary_rejected_model.rowCount() == 2
    _shot(page, "summary")
    out = tmp_path / "rej.xlsx"
    monkeypatch.setattr(dialogs, "pick_save_file", lambda *a, **k: str(out))
    qtbot.mouseClick(page.save_rejected_button, Qt.MouseButton.LeftButton)
    assert out.exists() and "2 dòng" in page.said[-1]
    import openpyxl

    sheet = [[c for c in r if c is not None] for r in openpyxl.load_workbook(out).active.iter_rows(values_only=True)]
    heads = [r for r in sheet if "Số hồ sơ" in r]  # the file's own header row, once, over both rows
    assert len(heads) == 1 and heads[0][-2:] == ["Dòng trong tệp gốc", "Lý do không nhập"]


def test_cancel_during_the_import_writes_nothing(page, qtbot, monkeypatch, office, quirky_file):
    """Hủy pressed while the cases are being written, on a real worker thread: the write is rolled back and
    the page hands the cancel to `show_error` (which says it as information) and stays on the preview, ready
    to run again."""
    from portal_files import db_fingerprint
    from PySide6.QtCore import Qt, QThreadPool

    from tthc_desk.sync.reader import ImportCancelled
    from ui import dialogs, tasks
    from ui.sync import page as page_module

    monkeypatch.setattr(dialogs, "pick_open_file", lambda *a, **k: str(quirky_file))
    qtbot.mouseClick(page.choose_button, Qt.MouseButton.LeftButton)
    before = db_fingerprint(office)
    real = page_module.run_in_background
    offered = []

    def pressing_cancel(fn, *args, **kwargs):  # the user presses Hủy as the job starts
        offered.append(kwargs.get("cancellable"))
        return real(lambda cancel: (cancel.set(), fn(cancel))[1], *args, **kwargs)

    errors = []
    monkeypatch.setattr(dialogs, "show_error", lambda _p, exc: errors.append(exc))
    monkeypatch.setattr(page_module, "run_in_background", pressing_cancel)
    tasks.use_inline_executor(False)
    qtbot.mouseClick(page.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(errors), timeout=20_000)
    QThreadPool.globalInstance().waitForDone(10_000)
    assert offered == [True]  # the progress dialog offers Hủy
    assert [type(e) for e in errors] == [ImportCancelled]
    assert errors[0].message == "Đã hủy theo yêu cầu; dữ liệu giữ nguyên như trước khi nhập."
    assert page.stack.currentIndex() == 1 and page.run_button.isEnabled() and page.choose_button.isEnabled()
    assert not page.progress.isVisible()
    assert db_fingerprint(office) == before


def test_a_cancelled_job_is_said_as_information_not_as_a_fault(monkeypatch):
    """What the sync page's jobs raise on Hủy (`Cancelled`) is shown as information; a failure as a warning."""
    from tthc_desk.errors import Cancelled, ImportFailed
    from ui import dialogs

    said = []
    monkeypatch.setattr(dialogs, "info", lambda _p, title, text: said.append(("info", title, text)))
    monkeypatch.setattr(dialogs, "warn", lambda _p, title, text: said.append(("warn", title, text)))
    dialogs.show_error(None, Cancelled("Đã hủy xuất tệp theo yêu cầu; không có tệp nào được ghi."))
    dialogs.show_error(None, ImportFailed("Tệp không phải là bảng tính."))
    assert said == [("info", "Đã hủy", "Đã hủy xuất tệp theo yêu cầu; không có tệp nào được ghi."),
                    ("warn", "Không thực hiện được", "Tệp không phải là bảng tính.")]


def test_mapping_correction_and_unknowns_on_the_page(page, qtbot, monkeypatch, tmp_path, units):
    from PySide6.QtCore import Qt

    from ui import dialogs

    path = build_portal(tmp_path / "u.xlsx", [row(1, unit="Phòng Văn hóa"), row(2)])
    monkeypatch.setattr(dialogs, "pick_open_file", lambda *a, **k: str(path))
    qtbot.mouseClick(page.choose_button, Qt.MouseButton.LeftButton)
    assert not page.run_button.isEnabled() and "Phòng Văn hóa" in page.fatal_label.text()
    _shot(page, "unknowns")
    unknown, combo = page.unknowns_editor.combos[0]
    combo.setCurrentIndex(combo.findData(units["tnmt"]))
    assert not page.run_button.isEnabled()  # nothing to import until the choice is applied
    qtbot.waitUntil(lambda: page.plan.unknown_units[0].resolution == units["tnmt"])
    assert page.run_button.isEnabled()
    phone = page.mapping_editor.combos["phone"]
    phone.setCurrentIndex(phone.findData(-1))  # drop a column: the file is read again with the new mapping
    qtbot.waitUntil(lambda: page.plan.mapping_source == "user")
    assert "phone" not in page.plan.mapping.columns
    assert page.plan.unknown_units[0].resolution == units["tnmt"]  # the unit chosen before is kept
    assert page.run_button.isEnabled()


REPLAN_WAIT_MS = 600  # longer than the page's REPLAN_DELAY_MS


def _activate(page, qtbot) -> None:
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)


def test_the_import_by_keyboard_alone(page, qtbot, monkeypatch, office, admin, tmp_path, units):
    """Alt+C chooses the file; the keyboard lands on the unknown unit; arrowing through its entries applies one
    choice, not one per key press, and the keyboard stays on the choice (it used to jump to Nhập dữ liệu, where
    an Enter meant for the unit imported); Alt+N imports; then on Nhập tệp khác."""
    from PySide6.QtCore import Qt

    from ui import dialogs

    path = build_portal(tmp_path / "k.xlsx", [row(1, unit="Phòng Văn hóa"), row(2)])
    monkeypatch.setattr(dialogs, "pick_open_file", lambda *a, **k: str(path))
    revisions = []
    real_revise = office.sync.revise_plan
    monkeypatch.setattr(office.sync, "revise_plan", lambda *a, **k: revisions.append(1) or real_revise(*a, **k))
    _activate(page, qtbot)
    assert page.focusWidget() is page.choose_button
    qtbot.keyClick(page, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)  # (a mnemonic clicks after 100 ms)
    qtbot.waitUntil(lambda: page.stack.currentIndex() == 1)
    assert not page.run_button.isEnabled()
    _unknown, combo = page.unknowns_editor.combos[0]
    # the combos are built anew for each preview, and a new widget is shown (and given the focus asked for
    # it) when the event loop next runs: the user sees the focus there, a test waits for it
    qtbot.waitUntil(lambda: page.focusWidget() is combo)
    for _ in range(combo.findData(units["tnmt"])):  # "— chọn —", "Tạo mới", then the units: key by key
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: page.plan.unknown_units[0].resolution == units["tnmt"])
    assert revisions == [1]
    assert page.focusWidget() is page.unknowns_editor.combo_for("unit", _unknown.key)
    assert page.run_button.isEnabled()
    qtbot.keyClick(page, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: page.stack.currentIndex() == 2)
    assert "thêm mới 2" in page.summary_label.text()
    assert page.focusWidget() is page.again_button
    qtbot.keyClick(page, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: page.stack.currentIndex() == 0)
    assert page.focusWidget() is page.choose_button


def test_a_change_still_waiting_is_dropped_when_the_preview_is_left(page, qtbot, monkeypatch, tmp_path):
    """Quay lại pressed within the delay of a column change: the page stays on the first step (the change
    must not re-read the file and bring the preview back)."""
    from ui import dialogs

    path = build_portal(tmp_path / "w.xlsx", [row(1), row(2)])
    monkeypatch.setattr(dialogs, "pick_open_file", lambda *a, **k: str(path))
    page._on_choose_clicked()
    phone = page.mapping_editor.combos["phone"]
    phone.setCurrentIndex(phone.findData(-1))
    page.back_button.click()
    qtbot.wait(REPLAN_WAIT_MS)
    assert page.stack.currentIndex() == 0 and page.plan.mapping_source == "auto"


def test_a_refused_column_correction_puts_the_mapping_back(page, qtbot, monkeypatch, tmp_path):
    """Dropping the case code (required) cannot be read: the message is shown and the mapping editor shows
    again the mapping the preview was made with, so what is imported is what is shown; the keyboard stays on
    the corrected field."""
    from tthc_desk.errors import ImportFailed
    from ui import dialogs

    path = build_portal(tmp_path / "r.xlsx", [row(1), row(2)])
    monkeypatch.setattr(dialogs, "pick_open_file", lambda *a, **k: str(path))
    errors = []
    monkeypatch.setattr(dialogs, "show_error", lambda _p, exc: errors.append(exc))
    page._on_choose_clicked()
    before = page.plan
    code = page.mapping_editor.combos["code"]
    header = code.currentText()
    code.setCurrentIndex(code.findData(-1))
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], ImportFailed)
    assert page.plan is before and page.run_button.isEnabled()
    assert page.mapping_editor.combos["code"].currentText() == header != "(không dùng)"
    qtbot.waitUntil(lambda: page.focusWidget() is page.mapping_editor.combos["code"])  # (a new combo: see above)


def test_conflict_choice_and_exports(page, qtbot, monkeypatch, office, admin, register, tmp_path):
    from PySide6.QtCore import Qt

    from ui import dialogs

    desk = register("Nguyễn Văn An", code="000.00.17.H10-250303-0099")
    path = build_portal(tmp_path / "c.xlsx", [row(99, code=desk.code, applicant="Nguyễn Văn Anh")])
    monkeypatch.setattr(dialogs, "pick_open_file", lambda *a, **k: str(path))
    qtbot.mouseClick(page.choose_button, Qt.MouseButton.LeftButton)
    cm = page.conflict_model
    assert cm.rowCount() == 1 and "Người nộp" in cm.index(0, 3).data()
    assert cm.index(0, 4).data() == "Người nộp: Nguyễn Văn An → Nguyễn Văn Anh"
    assert cm.index(0, 1).data(Qt.ItemDataRole.ToolTipRole).startswith("Người nộp: Nguyễn Văn An → Nguyễn Văn Anh")
    cm.setData(cm.index(0, 0), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    qtbot.mouseClick(page.run_button, Qt.MouseButton.LeftButton)
    assert office.casefile.detail(admin, desk.code).applicant["name"] == "Nguyễn Văn Anh"
    page._go(0)
    out = tmp_path / "q.xlsx"
    monkeypatch.setattr(dialogs, "pick_save_file", lambda *a, **k: str(out))
    qtbot.mouseClick(page.export_changed_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.export_queue_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.export_register_button, Qt.MouseButton.LeftButton)
    assert out.exists() and len(page.said) == 3 and "Lần xuất cập nhật gần nhất" in page.last_export_label.text()


def test_an_update_row_says_what_it_will_change(page, qtbot, monkeypatch, office, admin, tmp_path, clock):
    """Before importing, the officer sees what each update changes (a status, a result date), not only that
    the row will be "Cập nhật"; the dry run on the command line and its JSON list them too."""

    from PySide6.QtCore import Qt

    from ui import dialogs

    office.sync.run_import(admin, build_portal(tmp_path / "a.xlsx", [row(1), row(2)]))
    later = build_portal(tmp_path / "b.xlsx", [row(1, status="Đã có kết quả", finished=datetime(2025, 3, 5, 10, 0)),
                                              row(2)])
    monkeypatch.setattr(dialogs, "pick_open_file", lambda *a, **k: str(later))
    qtbot.mouseClick(page.choose_button, Qt.MouseButton.LeftButton)
    model = page.preview_model
    assert [model.index(r, 8).data() for r in range(2)] == ["Cập nhật", "Không đổi"]
    assert model.index(0, 8).data(Qt.ItemDataRole.ToolTipRole) == (
        "Trạng thái: Đang xử lý → Đã có kết quả; Ngày có kết quả: (trống) → 05/03/2025 10:00")
    assert model.index(1, 8).data(Qt.ItemDataRole.ToolTipRole) is None
    assert [u.code for u in page.plan.updates] == ["000.00.17.H10-250303-0001"]


def test_the_readers_notes_have_their_own_tab(page, qtbot, monkeypatch, tmp_path):
    """A code typed as a number is repaired and the row imported; the office sees what was repaired, to correct
    its source (the notes were in --json only)."""
    from PySide6.QtCore import Qt

    from ui import dialogs

    path = build_portal(tmp_path / "so.xlsx", [row(1, proc=1.001193), row(2), row(3, phone=905123456)])
    monkeypatch.setattr(dialogs, "pick_open_file", lambda *a, **k: str(path))
    qtbot.mouseClick(page.choose_button, Qt.MouseButton.LeftButton)
    assert page.tabs.tabText(3) == "&Ghi chú khi đọc (2)"
    model = page.note_model
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == [
        "Dòng 4: Mã thủ tục ô dạng số (1.001193), đã đọc là '1.001193'",
        "Dòng 6: Điện thoại ô dạng số (905123456), đã đọc là '0905123456'",
    ]
    page.tabs.setCurrentIndex(3)
    _shot(page, "notes")
    assert page.run_button.isEnabled() and page.rejected_model.rowCount() == 0


def test_models_pass_the_model_tester(page, qtmodeltester, quirky_file, monkeypatch, qtbot):
    from PySide6.QtCore import Qt

    from ui import dialogs

    monkeypatch.setattr(dialogs, "pick_open_file", lambda *a, **k: str(quirky_file))
    qtbot.mouseClick(page.choose_button, Qt.MouseButton.LeftButton)
    for model in (page.preview_model, page.rejected_model, page.conflict_model, page.note_model):
        qtmodeltester.check(model)


# ----- the review step on a small screen --------------------------------------------------------------------
SCREENS = [(1093, 614), (1366, 768)]  # 1366x768 at 125 % (what the desk's PCs often are), and at 100 %
LONG_UNITS = ["Phòng Văn hóa, Thể thao và Du lịch kiêm Đài Truyền thanh - Truyền hình huyện Tây Sơn",
              "Trung tâm Phát triển quỹ đất và Dịch vụ công ích huyện", "Ban Quản lý dự án đầu tư xây dựng"]  # fmt: skip
LONG_PROCEDURE = ("Giao đất ở có thu tiền sử dụng đất không thông qua đấu giá, không đấu thầu lựa chọn nhà đầu tư "
                  "thực hiện dự án có sử dụng đất đối với cá nhân là cán bộ, công chức, viên chức, sĩ quan tại ngũ "
                  "mà chưa được giao đất ở, nhà ở")  # fmt: skip


def _in_sight(page, widget) -> bool:
    """`widget` lies wholly inside the left pane's viewport: the user sees it without scrolling."""
    from PySide6.QtCore import QPoint, QRect

    viewport = page.review_scroll.viewport()
    return viewport.rect().contains(QRect(widget.mapTo(viewport, QPoint(0, 0)), widget.size()))


def _name_label(page, name: str):
    from PySide6.QtWidgets import QLabel

    return next(w for w in page.unknowns_editor.findChildren(QLabel) if name in w.text() and w.isVisible())


@pytest.mark.parametrize("size", SCREENS, ids=["1093x614", "1366x768"])
def test_the_review_step_fits_the_pane_and_the_names_stay_beside_their_choices(
    page, qtbot, monkeypatch, tmp_path, make_procedure, size
):
    """Three unknown units with long names and an unknown procedure, a catalogue with a long procedure name:
    the left pane never needs scrolling sideways (it scrolled to empty boxes, every name out of sight); the
    keyboard's first stop, and each Tab after it, shows the unit or procedure being settled; a long procedure
    chosen is cut to fit and whole in the tooltip."""
    from PySide6.QtCore import Qt

    from ui import dialogs
    from ui.app import create_application

    create_application([])  # the program's style and font: the widths are the user's
    long_id = make_procedure(code="1.013962", name=LONG_PROCEDURE)
    rows = [row(1, unit=LONG_UNITS[0]), row(2, unit=LONG_UNITS[1]), row(3, unit=LONG_UNITS[2]),
            row(4, proc="2.002222", proc_name="Đăng ký biến động")]  # fmt: skip
    path = build_portal(tmp_path / "dai.xlsx", rows)
    monkeypatch.setattr(dialogs, "pick_open_file", lambda *a, **k: str(path))
    page.resize(*size)
    page._on_choose_clicked()
    scroll, bar = page.review_scroll, page.review_scroll.horizontalScrollBar()
    first = page.unknowns_editor.combos[0][1]
    qtbot.waitUntil(lambda: page.focusWidget() is first)  # (the new widgets are shown by then)
    # and laid out once the vertical scroll bar has appeared: the content as wide as the viewport, or wider
    qtbot.waitUntil(lambda: scroll.widget().width() == max(scroll.viewport().width(),
                                                           scroll.widget().minimumSizeHint().width()))  # fmt: skip
    assert scroll.widget().minimumSizeHint().width() <= scroll.viewport().width()
    assert bar.maximum() == 0
    assert bar.value() == 0
    assert _in_sight(page, _name_label(page, LONG_UNITS[0])) and _in_sight(page, first)
    assert _in_sight(page, page.counts_label)  # the counts and reasons above it too
    for name in (*LONG_UNITS[1:], "2.002222"):  # Tab through the choices: each name in sight with its combo
        qtbot.keyClick(page.focusWidget(), Qt.Key.Key_Tab)
        assert bar.value() == 0 and _in_sight(page, page.focusWidget())
        assert _in_sight(page, _name_label(page, name))
    assert page.focusWidget() is page.unknowns_editor.combos[3][1]
    procedure = page.focusWidget()
    procedure.setCurrentIndex(procedure.findData(long_id))
    qtbot.waitUntil(lambda: page.plan.unknown_procedures[0].resolution == long_id)
    procedure = page.unknowns_editor.combos[3][1]
    assert procedure.toolTip() == f"1.013962 — {LONG_PROCEDURE}"  # whole; the combo shows what fits
    index = procedure.findData(long_id)
    assert procedure.itemData(index, Qt.ItemDataRole.ToolTipRole) == f"1.013962 — {LONG_PROCEDURE}"
    assert bar.maximum() == 0 and procedure.width() <= scroll.viewport().width()
    _shot(page, f"unknowns_{size[0]}")


def test_a_file_without_a_receipt_date_column_lets_the_user_choose_it(page, qtbot, monkeypatch, tmp_path):
    """The receipt date under a header nobody detects: the plan says so (`plan.fatal`) and holds the mapping
    found; the page shows it with "Ngày tiếp nhận" still to be chosen and the keyboard on it; choosing the
    column reads the file again and the file can be imported (the message "Hãy chỉnh ánh xạ cột" could not be
    followed: the mapping was never shown)."""
    from portal_files import HEADERS
    from PySide6.QtCore import Qt

    from ui import dialogs

    headers = ["Thời điểm vào sổ" if h == "Ngày nhận" else h for h in HEADERS]
    path = build_portal(tmp_path / "khong_ngay.xlsx", [row(1), row(2)], headers=headers)
    monkeypatch.setattr(dialogs, "pick_open_file", lambda *a, **k: str(path))
    qtbot.mouseClick(page.choose_button, Qt.MouseButton.LeftButton)
    assert page.stack.currentIndex() == 1
    assert page.fatal_label.isVisible() and "Ngày tiếp nhận" in page.fatal_label.text()
    assert not page.run_button.isEnabled()
    received = page.mapping_editor.combos["received_at"]
    assert received.currentText() == "(chưa chọn cột — bắt buộc)"
    assert "#b00020" in page.mapping_editor.labels["received_at"].styleSheet()  # red, as the reasons above
    assert page.mapping_editor.combos["code"].currentText() == "Số hồ sơ"  # what was found is shown
    assert not page.unknowns_editor.isVisible()  # no row read: no "every unit is known" either
    qtbot.waitUntil(lambda: page.focusWidget() is received)
    received.setCurrentIndex(received.findText("Thời điểm vào sổ"))
    qtbot.waitUntil(lambda: page.plan.mapping_source == "user" and not page.plan.fatal)
    assert page.run_button.isEnabled() and not page.fatal_label.isVisible() and page.unknowns_editor.isVisible()
    assert page.mapping_editor.combos["received_at"].currentText() == "Thời điểm vào sổ"
    assert page.preview_model.rowCount() == 2
    qtbot.mouseClick(page.run_button, Qt.MouseButton.LeftButton)
    assert page.stack.currentIndex() == 2 and "thêm mới 2" in page.summary_label.text()


def test_a_row_left_out_never_shows_an_empty_action(qapp):
    """A row the matcher refuses (no outcome of its own) reads "Bị từ chối", its reason on hover; a row the plan
    gives no outcome at all says so; neither is an empty cell, which reads as "nothing happens to it"."""

    from PySide6.QtCore import Qt

    from tthc_desk.sync.reader import PortalRow, RejectedRow
    from ui.sync.models import PreviewModel

    at = datetime(2025, 3, 3, 8, 30)
    rows = [PortalRow(4, "HS-1", received_at=at), PortalRow(5, "HS-2", received_at=at),
            PortalRow(6, "HS-3", received_at=at)]  # fmt: skip
    refused = RejectedRow(5, "Dòng 5: Ngày hẹn trả trước ngày tiếp nhận", {})
    model = PreviewModel()
    action = PreviewModel.HEADERS.index("Sẽ làm gì")
    model.set_preview(rows, {"HS-1": "new", "HS-2": "rejected", "HS-3": "unchanged"})  # the core's own word
    assert [model.index(r, action).data() for r in range(3)] == ["Thêm mới", "Bị từ chối", "Không đổi"]
    model.set_preview(rows, {"HS-1": "new"}, [refused])  # the rejected rows: the model can tell by row number
    assert [model.index(r, action).data() for r in range(3)] == ["Thêm mới", "Bị từ chối", "Chưa xác định"]
    assert model.index(1, action).data(Qt.ItemDataRole.ToolTipRole) == refused.reason


def test_a_row_the_desk_has_moved_on_from_says_it_is_kept(page, qtbot, monkeypatch, office, admin, desk_user,
                                                         tmp_path):
    """The portal's file still holding what it was sent before the desk's correction: the preview says "Tệp cũ
    hơn" and why, and the conflicts tab stays empty."""
    from PySide6.QtCore import Qt

    from ui import dialogs

    first = build_portal(tmp_path / "a.xlsx", [row(1, phone="0905000001"), row(2)])
    office.sync.run_import(admin, first)
    office.workflow.correct_details(desk_user, "000.00.17.H10-250303-0001", "số mới", applicant_phone="0905000009")
    monkeypatch.setattr(dialogs, "pick_open_file", lambda *a, **k: str(first))
    qtbot.mouseClick(page.choose_button, Qt.MouseButton.LeftButton)
    model = page.preview_model
    assert [model.index(r, 8).data() for r in range(2)] == ["Tệp cũ hơn", "Không đổi"]
    assert model.index(0, 8).data(Qt.ItemDataRole.ToolTipRole) == (
        "Tệp ghi giá trị cũ hơn bản đang giữ: hồ sơ được giữ nguyên.")
    assert page.conflict_model.rowCount() == 0 and "tệp cũ hơn 1" in page.counts_label.text()
    qtbot.mouseClick(page.run_button, Qt.MouseButton.LeftButton)
    assert "Tệp cũ hơn 1: giữ nguyên hồ sơ đang có." in page.summary_label.text()


def test_a_conflict_says_which_desk_changes_stay_ours(page, qtbot, monkeypatch, office, admin, desk_user, tmp_path):
    from PySide6.QtCore import Qt

    from ui import dialogs

    office.sync.run_import(admin, build_portal(tmp_path / "a.xlsx", [row(1, phone="0905000001")]))
    office.workflow.correct_details(desk_user, "000.00.17.H10-250303-0001", "số mới", applicant_phone="0905000009")
    later = build_portal(tmp_path / "b.xlsx", [row(1, phone="0905000001", address="Thôn 9, xã An Bình")])
    monkeypatch.setattr(dialogs, "pick_open_file", lambda *a, **k: str(later))
    qtbot.mouseClick(page.choose_button, Qt.MouseButton.LeftButton)
    cm = page.conflict_model
    assert cm.rowCount() == 1 and cm.index(0, 3).data() == "Địa chỉ (giữ của mình: Điện thoại)"
    assert cm.index(0, 1).data(Qt.ItemDataRole.ToolTipRole) == (
        "Địa chỉ: Thôn 1, xã An Bình → Thôn 9, xã An Bình; giữ của mình (tệp còn giá trị cũ): Điện thoại")
