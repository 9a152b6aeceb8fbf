"""A case walked through the case view's action dialogs; refused actions refused; colours follow the clock."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from uihelpers import register, type_text

from tthc_desk.domain import Colour, Status
from tthc_desk.errors import PermissionDenied
from tthc_desk.services.calendar_service import DayChange
from tthc_desk.services.rights import Action
from ui.case.view import CaseDialog
from ui.main_window import PAGE_INTAKE, MainWindow
from ui.queue.view import QueuePage


def _status(services, actor, code) -> Status:
    return services.casefile.detail(actor, code).status


def test_walk_a_case_through_transfer_supplement_resume_result_return(qtbot, services, desk, clock, seams):
    code = register(services, desk, "Trần Thị Bình")
    view = CaseDialog(services, desk, code)
    qtbot.addWidget(view)
    assert not view.action_buttons[Action.RETURN_RESULT].isEnabled()

    dialog = view.action_dialog(Action.TRANSFER)
    dialog.unit.setCurrentIndex(dialog.unit.findText("Phòng Tư pháp"))
    dialog.own_share.setChecked(True)
    dialog.share.setValue(2)
    dialog.accept()
    assert view.detail.status is Status.PROCESSING and view.detail.current_unit == "Phòng Tư pháp"

    clock.advance(hours=1)
    dialog = view.action_dialog(Action.REQUEST_SUPPLEMENT)
    type_text(dialog.reason, "Thiếu giấy chứng sinh bản chính")
    dialog.papers.item(1).setCheckState(Qt.CheckState.Checked)
    dialog.accept()
    assert view.detail.status is Status.WAITING_SUPPLEMENT and view.detail.colour is Colour.GREY
    assert "Giấy chứng sinh" in view.events_model.data(view.events_model.index(2, 4))

    clock.advance(days=3)
    for action in (Action.RECEIVE_SUPPLEMENT, Action.RECORD_RESULT):
        dialog = view.action_dialog(action)
        dialog.accept()
        clock.advance(hours=2)
    assert view.detail.status is Status.RESULT_READY
    assert view.action_buttons[Action.RETURN_RESULT].isEnabled()
    view.action_dialog(Action.RETURN_RESULT).accept()
    assert _status(services, desk, code) is Status.RETURNED
    kinds = [e.kind for e in view.detail.events]
    assert [str(k) for k in kinds] == ["received", "transferred", "supplement_requested", "supplement_received",
                                       "result_ready", "returned"]
    assert view.events_model.rowCount() == 6
    assert all(not b.isEnabled() for b in view.action_buttons.values())


def test_refusal_without_reason_stays_in_the_dialog(qtbot, services, desk):
    code = register(services, desk, "Lê Văn Cường")
    view = CaseDialog(services, desk, code)
    qtbot.addWidget(view)
    dialog = view.action_dialog(Action.REFUSE)
    dialog.accept()
    assert dialog.outcome is None and "lý do" in dialog.error.text()
    type_text(dialog.reason, "Hồ sơ không thuộc thẩm quyền")
    dialog.accept()
    assert _status(services, desk, code) is Status.REFUSED


def test_a_typo_in_the_applicants_details_is_put_right_from_the_case_view(qtbot, services, desk):
    code = register(services, desk, "Lê Văn Cường")
    view = CaseDialog(services, desk, code)
    qtbot.addWidget(view)
    dialog = view.action_dialog(Action.EDIT_CASE)
    assert dialog.edits["applicant_name"].text() == "Lê Văn Cường"  # what is stored, to be corrected
    dialog.edits["applicant_phone"].setText("09l2345678")  # the letter l for a one, as typed in a hurry
    type_text(dialog.reason, "Sai số điện thoại")
    dialog.accept()
    assert dialog.outcome is None and "10 chữ số" in dialog.error.text()  # the core's check, said in the dialog
    dialog.edits["applicant_phone"].setText("0912 345 679")
    dialog.accept()
    assert dialog.outcome is not None and services.casefile.detail(desk, code).applicant["phone"] == "0912345679"
    history = [view.events_model.data(view.events_model.index(r, 4)) for r in range(view.events_model.rowCount())]
    assert "lý do: Sai số điện thoại; Điện thoại: 0912345678 → 0912345679" in history


def test_extension_warns_when_sent_on_the_due_date(qtbot, services, desk, leader, clock, seams):
    code = register(services, desk, "Phạm Thị Dung")  # due Wed 25/11/2026 09:00
    clock.set(datetime(2026, 11, 25, 8, 0))  # later than the working day before the due date (Tue 24/11)
    view = CaseDialog(services, leader, code)
    qtbot.addWidget(view)
    dialog = view.action_dialog(Action.EXTEND)
    type_text(dialog.reason, "Chờ ý kiến của cơ quan phối hợp")
    dialog.set_new_due(datetime(2026, 11, 30, 16, 0))
    dialog.accept()
    assert view.detail.due_at == datetime(2026, 11, 30, 16, 0)
    assert seams.messages and seams.messages[-1][0] == "warn" and "trễ hạn" in seams.messages[-1][2]
    button = view.action_buttons[Action.EXTEND]
    assert not button.isEnabled() and "một lần" in button.toolTip()


def test_refused_actions_are_disabled_with_a_reason_and_refused_by_the_core(qtbot, services, desk, leader):
    code = register(services, desk, "Võ Văn Em")
    view = CaseDialog(services, desk, code)
    qtbot.addWidget(view)
    stop = view.action_buttons[Action.STOP]
    assert not stop.isEnabled() and "không có quyền" in stop.toolTip()
    with pytest.raises(PermissionDenied):
        services.workflow.stop(desk, code, "thử")
    with pytest.raises(PermissionDenied):  # a desk officer cannot edit the calendar
        services.calendar.apply(desk, [DayChange(date(2026, 12, 24), False, "Nghỉ thử")])
    specialist = services.accounts.login("chuyenvien", "matkhau123")
    window = MainWindow(services, specialist)
    qtbot.addWidget(window)
    item = window.nav.item(PAGE_INTAKE)
    assert not item.flags() & Qt.ItemFlag.ItemIsEnabled and "không có quyền" in item.toolTip()
    window.show_page(PAGE_INTAKE)
    assert window.stack.currentIndex() != PAGE_INTAKE


def test_queue_colours_follow_the_clock_without_losing_the_selection(qtbot, services, desk, clock):
    first = register(services, desk, "Nguyễn Văn An")
    second = register(services, desk, "Đỗ Thị Giang", code="2.000908")  # same day: due 17:00 today
    page = QueuePage(services, desk)
    qtbot.addWidget(page)
    colours = {page.model.row_at(r).code: page.model.row_at(r).colour for r in range(page.model.rowCount())}
    assert colours == {first: Colour.GREEN, second: Colour.GREEN}
    assert page.select_case(services.casefile.detail(desk, first).id)
    resets = []
    page.model.modelReset.connect(lambda: resets.append(1))

    clock.set(datetime(2026, 11, 20, 15, 0))  # the same-day case is near its 17:00 due time
    page.refresh()
    assert page.model.counts[Colour.AMBER] == 1 and page.model.counts[Colour.GREEN] == 1
    assert not resets  # same cases, same order: repainted in place

    clock.set(datetime(2026, 11, 24, 10, 0))  # within a working day of Wed 25/11 09:00
    page.timer.timeout.emit()
    assert page.model.counts[Colour.AMBER] == 1 and page.model.counts[Colour.RED] == 1
    row = page.model.row_of(page.selected_case_id())
    assert page.model.row_at(row).code == first and page.model.row_at(row).colour is Colour.AMBER

    clock.set(datetime(2026, 11, 26, 10, 0))
    page.refresh()
    assert page.model.counts[Colour.RED] == 2
    assert page.model.row_at(page.model.row_of(page.selected_case_id())).code == first
    assert "quá hạn" in page.model.row_at(0).remaining_text
    assert "Quá hạn: 2" in page.filters.colour_buttons[Colour.RED].text()

    page.filters.colour_buttons[Colour.GREEN].click()  # counters are filter buttons
    assert page.model.rowCount() == 0
    page.filters.colour_buttons[Colour.GREEN].click()
    assert page.model.rowCount() == 2


def test_opening_the_queue_loads_it_once_even_with_a_saved_header(qtbot, services, desk, monkeypatch):
    """Enabling sorting (and restoring a saved header) sorts at once; the queue's order is urgency, which
    has one direction, so neither may throw the first load away and run it again (it did: two queries over
    every open case at each start)."""
    from ui.prefs import UserPrefs

    register(services, desk, "Nguyễn Văn An")
    loads = []
    original = services.queue.ids_and_counts
    monkeypatch.setattr(services.queue, "ids_and_counts", lambda *a, **k: loads.append(a[2:]) or original(*a, **k))
    prefs = UserPrefs(desk.username)
    page = QueuePage(services, desk, prefs)
    qtbot.addWidget(page)
    assert len(loads) == 1 and page.model.rowCount() == 1
    header = page.table.horizontalHeader()
    header.setSortIndicator(0, Qt.SortOrder.DescendingOrder)  # what Qt's default saved before
    prefs.save_header("queue", header)
    again = QueuePage(services, desk, prefs)
    qtbot.addWidget(again)
    assert len(loads) == 2 and again.model.rowCount() == 1
    again.model.sort(1, Qt.SortOrder.DescendingOrder)  # a real change of order still asks the database
    assert len(loads) == 3 and loads[-1] == ("code", True)


def test_a_page_painted_from_the_first_page_alone_takes_the_whole_order_after_painting(qtbot, services, desk):
    """A start-up plan reads the colour counts and the first page's ids only (desk_main seeds them): the page
    has as many rows as the counts say, the first page's filled and the rest blank; once painted it asks the
    services for the whole order and takes it in place, keeping the row selected meanwhile."""
    from PySide6.QtTest import QAbstractItemModelTester

    from tthc_desk.services.queue_rows import QueueFilter
    from ui.queue import model as queue_model
    from ui.queue.model import COL_CODE, ID_ROLE, QueueSnapshot

    for name in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"):
        register(services, desk, name)
    ids, counts = services.queue.ids_and_counts(desk, QueueFilter())
    first = services.queue.rows(desk, ids[:1])
    queue_model.seed(services, desk, QueueSnapshot(ids[:1], first, counts, total=sum(counts.values())))
    page = QueuePage(services, desk)
    qtbot.addWidget(page)
    model = page.model
    tester = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    assert model.rowCount() == 3 and not model.complete
    assert model.index(0, COL_CODE).data() == first[0].code
    assert model.index(2, COL_CODE).data() is None and model.index(2, 0).data(ID_ROLE) is None
    assert page.filters.total_label.text() == "Đang hiện 3 hồ sơ"
    page.table.selectRow(0)
    resets = []
    model.modelReset.connect(lambda: resets.append(1))
    page.show()
    qtbot.waitUntil(lambda: model.complete)
    assert [model.index(r, 0).data(ID_ROLE) for r in range(3)] == ids
    assert model.index(2, COL_CODE).data() == services.queue.rows(desk, ids[2:])[0].code
    assert page.selected_case_id() == ids[0] and not resets  # in place: no reset, the selection kept
    del tester


def test_a_seeded_queue_page_is_filled_before_it_is_first_laid_out(qtbot, services, desk):
    """An answer already in hand (the start-up plan's) is shown from the page's construction, not after a trip
    through the thread pool: the counters' texts are set before the first layout. Set after it, they laid the
    window out again after its first paint and repainted all of it, holding the window 160-240 ms while the
    services loaded."""
    from PySide6.QtCore import QThreadPool

    from tthc_desk.services.queue_rows import QueueFilter
    from ui import tasks
    from ui.queue import model as queue_model
    from ui.queue.model import QueueSnapshot

    for name in ("Nguyễn Văn An", "Trần Thị Bình"):
        register(services, desk, name)
    ids, counts = services.queue.ids_and_counts(desk, QueueFilter())
    queue_model.seed(services, desk, QueueSnapshot(ids, services.queue.rows(desk, ids), counts))
    tasks.use_inline_executor(False)  # the real pool, as in the app
    try:
        page = QueuePage(services, desk)
        qtbot.addWidget(page)
        assert not page.model.loading and page.model.rowCount() == 2  # no event has been processed yet
        assert page.filters.total_label.text() == "Đang hiện 2 hồ sơ"
        unseeded = QueuePage(services, desk)
        qtbot.addWidget(unseeded)
        assert unseeded.model.loading  # asks the database on the pool
        qtbot.waitUntil(lambda: not unseeded.model.loading and unseeded.model.rowCount() == 2)
    finally:
        QThreadPool.globalInstance().waitForDone(10_000)
        tasks.use_inline_executor(True)


def test_a_queue_page_leaves_a_failed_services_build_to_the_start(qtbot, desk, monkeypatch):
    """Services that could not be built (a failed migration) are reported once, by the start, which then ends
    the program: the queue's own loads then say nothing more; any other load failure is still shown."""
    from tthc_desk.services.pending import PendingServices
    from ui import dialogs

    shown = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, exc: shown.append(exc))
    pending = PendingServices(lambda: (_ for _ in ()).throw(RuntimeError("migration failed")))
    page = QueuePage(pending, desk)
    qtbot.addWidget(page)
    assert page.model.rowCount() == 0 and not shown
    page.model.load_failed.emit(RuntimeError("disk I/O error"))
    assert [str(e) for e in shown] == ["disk I/O error"]


def test_a_load_prefetched_at_login_is_the_queue_pages_first_load(qtbot, services, desk, monkeypatch):
    """main.py starts the queue's first load right after login, before the window is built; the page takes
    that answer instead of asking again, then fills the field filter (a query kept off the first page's way)."""
    from ui.queue import model as queue_model

    register(services, desk, "Nguyễn Văn An")
    loads = []
    original = services.queue.ids_and_counts
    monkeypatch.setattr(services.queue, "ids_and_counts", lambda *a, **k: loads.append(a) or original(*a, **k))
    queue_model.prefetch(services, desk)
    page = QueuePage(services, desk)
    qtbot.addWidget(page)
    assert len(loads) == 1 and page.model.rowCount() == 1
    assert page.filters.field_combo.count() == 1  # the filter lists wait for the first paint
    page.show()
    qtbot.waitUntil(lambda: page.filters.field_combo.count() == 2)
    fields = [page.filters.field_combo.itemText(i) for i in range(page.filters.field_combo.count())]
    assert fields[0] == "Mọi lĩnh vực"
    assert page.filters.unit_combo.count() > 1 and page.filters.officer_combo.count() > 1
    page.refresh()  # later refreshes ask the database
    assert len(loads) == 2
    queue_model.prefetch(services, desk)
    queue_model._prefetched[0][2].result()
    other = QueuePage(services, desk, open_only=False)  # another question: never given the queue's answer
    qtbot.addWidget(other)
    assert len(loads) == 4 and loads[-1][1].open_only is False and other.model.rowCount() == 1
    queue_model._prefetched.clear()


def test_a_case_imported_without_a_due_time_says_why_and_offers_no_apology(qtbot, services, desk, clock, tmp_path):
    """A portal row of a procedure the catalogue does not hold, without a due time: the case view says why it
    has no due and disables "Xin lỗi và hẹn lại" with the reason; papers asked for and back, it is closed."""
    received = clock.now() - timedelta(hours=2)
    path = tmp_path / "cong.csv"
    path.write_text("Số hồ sơ,Người nộp,Mã TTHC,Tên thủ tục,Tình trạng,Ngày nhận\n"
                    f"000.00.17.H10-TEST-0001,Lê Thị Hồng,9.999999,Thủ tục cấp phép tạm,Đang xử lý,"
                    f"{received:%d/%m/%Y %H:%M}\n", encoding="utf-8")
    admin = services.office.actor_for("admin")
    assert services.sync.run_import(admin, path, create_missing=True).counts["new"] == 1
    view = CaseDialog(services, desk, "000.00.17.H10-TEST-0001")
    qtbot.addWidget(view)
    assert view.chip.text().strip() == "Chưa có hạn"
    assert view.trace_text.toPlainText().startswith("Hồ sơ chưa có hạn giải quyết: tệp nhập từ cổng không ghi")
    apology = view.action_buttons[Action.EXTEND]
    assert not apology.isEnabled() and "không có hạn để xin lỗi" in apology.toolTip()
    dialog = view.action_dialog(Action.REQUEST_SUPPLEMENT)
    type_text(dialog.reason, "Thiếu bản sao")
    dialog.accept()
    clock.advance(hours=1)
    for action in (Action.RECEIVE_SUPPLEMENT, Action.RECORD_RESULT, Action.RETURN_RESULT):
        view.action_dialog(action).accept()
    assert view.detail.status is Status.RETURNED and view.detail.timeliness is None
