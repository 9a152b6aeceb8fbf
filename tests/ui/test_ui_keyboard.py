"""The window from the keyboard: every button a user sees has an Alt letter (or a key of its own), no letter is
claimed twice in one window (Qt would then only move the focus between the two and press neither), and the
letters are ones a Vietnamese keyboard types without the input method (A–Z, 0–9; not Đ or ư)."""

from __future__ import annotations

import pytest
from keyaudit import clashes, not_ascii, unreachable
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from uihelpers import PASSWORD, register

from ui.case.view import CaseDialog
from ui.intake.receipt import ReceiptDialog
from ui.main_window import (
    PAGE_INTAKE,
    PAGE_QUEUE,
    PAGE_REPORTS,
    PAGE_SEARCH,
    PAGE_SETTINGS,
    PAGE_SYNC,
    PAGE_TITLES,
    MainWindow,
)
from ui.settings.procedure_dialog import ProcedureDialog


def audit(window: QWidget, where: str) -> list[str]:
    QApplication.processEvents()
    problems = [f"{where}: Alt+{k} claimed by {v}" for k, v in clashes(window).items()]
    problems += [f"{where}: letter not on the keyboard in {t!r}" for t in not_ascii(window)]
    problems += [f"{where}: no key for {t!r}" for t in unreachable(window)]
    return problems


@pytest.fixture
def admin(services):
    return services.accounts.login("admin", PASSWORD)


def test_every_page_and_settings_tab_of_the_window(qtbot, services, admin):
    register(services, admin, "Nguyễn Văn An")
    window = MainWindow(services, admin)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    problems = []
    for number, title in enumerate(PAGE_TITLES):
        window.show_page(number)
        page = window.page(number)
        if number == PAGE_SETTINGS:
            for i in range(page.tabs.count()):
                page.tabs.setCurrentIndex(i)
                problems += audit(window, f"{title} / {page.tabs.tabText(i)}")
        elif number == PAGE_REPORTS:
            for i in range(page.tabs.count()):
                page.tabs.setCurrentIndex(i)
                problems += audit(window, f"{title} / {page.tabs.tabText(i)}")
        else:
            problems += audit(window, title)
    assert not problems, "\n".join(problems)


def test_the_sync_steps_after_a_file_is_chosen(qtbot, services, admin, tmp_path, monkeypatch):
    """The preview (mapping, the three tables) and the summary: the steps the page shows only with a file."""
    from ui import dialogs

    for name in ("Nguyễn Văn An", "Trần Thị Bình"):
        register(services, admin, name)
    path = tmp_path / "cong.xlsx"
    services.sync.export_cases(admin, path)  # a portal-shaped workbook: the app's own export
    monkeypatch.setattr(dialogs, "pick_open_file", lambda *a, **k: str(path))
    window = MainWindow(services, admin)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.show_page(PAGE_SYNC)
    page = window.page(PAGE_SYNC)
    page.choose_button.click()
    qtbot.waitUntil(lambda: page.stack.currentIndex() == 1)
    problems = []
    for i in range(page.tabs.count()):
        page.tabs.setCurrentIndex(i)
        problems += audit(window, f"Đồng bộ / {page.tabs.tabText(i)}")
    page.run_button.click()
    qtbot.waitUntil(lambda: page.stack.currentIndex() == 2)
    problems += audit(window, "Đồng bộ / kết quả")
    assert not problems, "\n".join(problems)


def test_the_case_view_and_the_receipt(qtbot, services, desk):
    code = register(services, desk, "Nguyễn Văn An")
    dialog = CaseDialog(services, desk, code)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    problems = []
    for i in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(i)
        problems += audit(dialog, f"hồ sơ / {dialog.tabs.tabText(i)}")
    procedure = ProcedureDialog(services, desk, services.catalogue.get(desk, code="1.001193"))  # two row editors
    qtbot.addWidget(procedure)
    procedure.show()
    qtbot.waitExposed(procedure)
    problems += audit(procedure, "thủ tục")
    receipt = ReceiptDialog(services, desk, code)
    qtbot.addWidget(receipt)
    receipt.show()
    qtbot.waitExposed(receipt)
    problems += audit(receipt, "giấy tiếp nhận")
    assert not problems, "\n".join(problems)


def test_the_small_dialogs(qtbot, services, desk, admin):
    from datetime import date

    from tthc_desk.services.workflow import CASE_ACTIONS
    from ui.case.actions import dialog_for
    from ui.login import LoginDialog
    from ui.settings.day_dialogs import DayEditDialog
    from ui.settings.user_dialogs import RoleDialog

    code = register(services, desk, "Nguyễn Văn An")
    case = services.casefile.detail(desk, code)
    units = services.accounts.list_units(admin)
    user = next(u for u in services.accounts.list_accounts(admin) if u.username == "tiepnhan1")
    dialogs = [(f"{a}", dialog_for(a, services, desk, case)) for a in CASE_ACTIONS]
    dialogs += [("ngày", DayEditDialog(date(2026, 12, 5), None)), ("vai trò", RoleDialog(services, admin, user, units)),
                ("đăng nhập", LoginDialog(services, "tiepnhan1"))]
    problems = []
    for where, dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        problems += audit(dialog, where)
        dialog.close()
    assert not problems, "\n".join(problems)


def _activate(qtbot, window: QWidget) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def _active_window(qtbot, services, actor) -> MainWindow:
    window = MainWindow(services, actor)
    qtbot.addWidget(window)
    window.show()
    _activate(qtbot, window)
    return window


def test_alt_letter_in_the_case_view_runs_that_action(qtbot, services, desk, monkeypatch):
    from tthc_desk.services.rights import Action

    code = register(services, desk, "Nguyễn Văn An")
    ran = []
    monkeypatch.setattr(CaseDialog, "run_action", lambda self, action: ran.append(action))
    dialog = CaseDialog(services, desk, code)
    qtbot.addWidget(dialog)
    dialog.show()
    _activate(qtbot, dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)  # &Chuyển xử lý…
    qtbot.waitUntil(lambda: ran == [Action.TRANSFER])
    qtbot.keyClick(dialog, Qt.Key.Key_Y, Qt.KeyboardModifier.AltModifier)  # &Yêu cầu bổ sung…
    qtbot.waitUntil(lambda: ran == [Action.TRANSFER, Action.REQUEST_SUPPLEMENT])
    qtbot.keyClick(dialog, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)  # &Nhận bổ sung… is disabled for a new case
    qtbot.wait(200)
    assert ran == [Action.TRANSFER, Action.REQUEST_SUPPLEMENT]


def test_alt_letters_on_the_intake_form_go_to_their_fields(qtbot, services, desk):
    window = _active_window(qtbot, services, desk)
    window.show_page(PAGE_INTAKE)
    intake = window.page(PAGE_INTAKE)
    for key, widget in ((Qt.Key.Key_O, intake.edits["applicant_phone"]), (Qt.Key.Key_T, intake.picker),
                        (Qt.Key.Key_S, intake.edits["owner_address"]), (Qt.Key.Key_P, intake.papers_view),
                        (Qt.Key.Key_K, intake.channel), (Qt.Key.Key_H, intake.edits["applicant_name"])):
        qtbot.keyClick(window.focusWidget() or window, key, Qt.KeyboardModifier.AltModifier)
        assert widget.hasFocus(), key


def test_ctrl_f_goes_to_the_search_box_and_ctrl_n_starts_a_new_intake(qtbot, services, desk):
    register(services, desk, "Nguyễn Văn An")
    window = _active_window(qtbot, services, desk)
    for number in (PAGE_QUEUE, PAGE_SEARCH):
        window.show_page(number)
        page = window.page(number)
        page.filters.search.setText("nguyen")
        page.table.setFocus()
        qtbot.keyClick(page.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
        assert page.filters.search.hasFocus() and page.filters.search.selectedText() == "nguyen"


def test_alt_digits_pick_a_colour_of_the_queue_and_again_drop_it(qtbot, services, desk):
    from tthc_desk.domain import Colour

    register(services, desk, "Nguyễn Văn An")
    window = _active_window(qtbot, services, desk)
    for number in (PAGE_QUEUE, PAGE_SEARCH):  # each page's chips answer only while it is shown
        window.show_page(number)
        bar = window.page(number).filters
        qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda b=bar: b.current_filter().colour is Colour.GREEN)
        qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)  # one colour at a time
        qtbot.waitUntil(lambda b=bar: b.current_filter().colour is Colour.RED)
        qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda b=bar: b.current_filter().colour is None)
    assert window.page(PAGE_QUEUE).filters.current_filter().colour is None


def test_ctrl_n_on_the_intake_form_asks_before_throwing_away_what_was_typed(qtbot, services, desk, seams):
    window = _active_window(qtbot, services, desk)
    window.show_page(PAGE_INTAKE)
    intake = window.page(PAGE_INTAKE)
    intake.edits["applicant_name"].setText("Trần Thị Bình")
    intake.edits["applicant_phone"].setFocus()
    seams.answer_yes = False
    qtbot.keyClick(intake.edits["applicant_phone"], Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert intake.edits["applicant_name"].text() == "Trần Thị Bình"
    seams.answer_yes = True
    qtbot.keyClick(intake.edits["applicant_phone"], Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert intake.edits["applicant_name"].text() == "" and intake.edits["applicant_name"].hasFocus()
    qtbot.keyClick(intake.edits["applicant_name"], Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert intake.edits["applicant_name"].hasFocus()  # an empty form: nothing to ask


def test_ctrl_p_prints_the_receipt(qtbot, services, desk, monkeypatch):
    code = register(services, desk, "Nguyễn Văn An")
    printed = []
    monkeypatch.setattr(ReceiptDialog, "_on_print_clicked", lambda self: printed.append(self.code))
    receipt = ReceiptDialog(services, desk, code)
    qtbot.addWidget(receipt)
    receipt.show()
    _activate(qtbot, receipt)
    qtbot.waitUntil(receipt.print_button.isEnabled)
    qtbot.keyClick(receipt, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert printed == [code]


def test_keyed_marks_the_first_such_letter_and_refuses_one_that_is_not_there():
    from ui.keys import keyed

    assert keyed("Có kết quả…", "K") == "Có &kết quả…"
    assert keyed("Đổi tên / chuyển…", "c") == "Đổi tên / &chuyển…"
    with pytest.raises(ValueError):
        keyed("Đóng", "Đ")  # not a key on the keyboard as such
    with pytest.raises(ValueError):
        keyed("Đóng", "X")


def test_alt_letters_on_the_login_go_to_its_fields(qtbot, services):
    from ui.login import LoginDialog

    login = LoginDialog(services, "tiepnhan1")
    qtbot.addWidget(login)
    login.show()
    _activate(qtbot, login)
    assert login.focusWidget() is login.password  # a remembered name: straight to the password
    qtbot.keyClick(login, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: login.focusWidget() is login.username)
    qtbot.keyClick(login, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: login.focusWidget() is login.password)
