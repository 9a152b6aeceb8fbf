"""Findings of the UI audit on the intake page, its questions, Qt's own menu words and the office tab, checked
the way the desk meets them: keys through the real completer list, the real message box, the real menus."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QDateEdit, QDoubleSpinBox, QMenu, QMessageBox, QSpinBox, QWidget
from uihelpers import PASSWORD, type_text

from tthc_desk.services.queue import QueueFilter
from ui import dialogs
from ui.dialogs import ask_yes_no as real_ask_yes_no  # (imported before the seams fixture replaces it)
from ui.intake.form import IntakePage
from ui.main_window import PAGE_INTAKE, PAGE_QUEUE, MainWindow
from ui.settings.office_tab import OfficeTab

ABROAD = "1.001695"  # a second "khai sinh" procedure: second in the list, never the first match


@pytest.fixture
def page(qtbot, services, desk):
    admin = services.accounts.login("admin", PASSWORD)
    services.catalogue.save(admin, None, code=ABROAD, name="Thủ tục đăng ký khai sinh có yếu tố nước ngoài",
                            field_name="Hộ tịch", durations={"direct": (15, "working_days")},
                            papers=[{"name": "Tờ khai đăng ký khai sinh", "originals": 1},
                                    {"name": "Giấy tờ chứng minh quốc tịch của cha, mẹ", "originals": 1}])
    page = IntakePage(services, desk)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    _activate(qtbot, page)
    return page


def _activate(qtbot, window: QWidget) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def _open_list(qtbot, page: IntakePage, text: str = "khai sinh"):
    """Type into Thủ tục and wait for the list, as the desk officer does; the list's popup."""
    _activate(qtbot, page)  # the list of the round before took activation while it was open
    page.new_form()
    type_text(page.picker, text)
    popup = page.picker.completer_.popup()
    qtbot.waitUntil(popup.isVisible)
    assert [page.picker.results.item(r).text()[:8] for r in range(2)] == ["1.001193", ABROAD]
    return popup


def _assert_abroad_chosen(page: IntakePage) -> None:
    assert page.picker.current is not None and page.picker.current.code == ABROAD
    assert page.picker.text().startswith(ABROAD)
    assert [p.name for p in page.papers.lines] == ["Tờ khai đăng ký khai sinh",
                                                    "Giấy tờ chứng minh quốc tịch của cha, mẹ"]
    assert page.due_label.text().startswith("Hẹn trả: ") and "/2026" in page.due_label.text()


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab])
def test_down_then_enter_or_tab_chooses_the_procedure_highlighted_in_the_list(qtbot, page, services, desk, key):
    popup = _open_list(qtbot, page)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, key)
    _assert_abroad_chosen(page)
    assert not popup.isVisible() and page.papers_view.hasFocus()  # on to the papers, as after Enter in the field

    type_text(page.edits["applicant_name"], "Nguyễn Văn An")
    result = page.save()  # the case is saved with the procedure the field shows
    assert result is not None and not page.errors["procedure_id"].isVisible()
    assert services.casefile.detail(desk, result.code).procedure_code == ABROAD
    assert services.queue.count(desk, QueueFilter(open_only=False)) == 1


def test_a_click_on_the_list_or_enter_with_nothing_highlighted_still_choose(qtbot, page):
    popup = _open_list(qtbot, page)
    qtbot.mouseClick(popup.viewport(), Qt.MouseButton.LeftButton, pos=popup.visualRect(popup.model().index(1, 0)).center())
    _assert_abroad_chosen(page)

    popup = _open_list(qtbot, page)
    qtbot.keyClick(popup, Qt.Key.Key_Return)  # nothing highlighted: the first match, as before
    assert page.picker.current.code == "1.001193" and len(page.papers.lines) == 2

    popup = _open_list(qtbot, page)
    for key in (Qt.Key.Key_Down, Qt.Key.Key_Down, Qt.Key.Key_Escape):  # highlighted, then the list closed:
        qtbot.keyClick(popup, key)
    assert not popup.isVisible() and page.picker.current is None
    qtbot.keyClick(page.picker, Qt.Key.Key_Return)  # Enter takes the procedure the field now names
    _assert_abroad_chosen(page)


def _answer_question(qtbot, press) -> list[tuple[str, str]]:
    """Once the question box is open, note its text and focused button, then `press(box)`."""
    seen: list[tuple[str, str]] = []

    def poll(tries: int = 100) -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or not box.isActiveWindow() or box.focusWidget() is None:
            if tries:
                QTimer.singleShot(20, lambda: poll(tries - 1))
            elif isinstance(box, QMessageBox):
                box.done(0)  # (fail, not hang)
            return
        seen.append((box.text(), box.focusWidget().text()))
        press(box)

    QTimer.singleShot(0, poll)
    return seen


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Escape])
def test_ctrl_n_question_enter_or_escape_keeps_what_was_typed(qtbot, services, desk, monkeypatch, key):
    monkeypatch.setattr(dialogs, "ask_yes_no", real_ask_yes_no)  # the real message box
    window = MainWindow(services, desk)
    qtbot.addWidget(window)
    window.show()
    window.show_page(PAGE_INTAKE)
    page = window.page(PAGE_INTAKE)
    _activate(qtbot, window)
    page.edits["applicant_name"].setText("Trần Thị Bình")
    page.edits["applicant_phone"].setFocus()
    seen = _answer_question(qtbot, lambda box: qtbot.keyClick(box.focusWidget(), key))
    qtbot.keyClick(page.edits["applicant_phone"], Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert seen and seen[0][0].startswith("Hồ sơ đang nhập chưa được lưu") and seen[0][1] == "Không"
    assert page.edits["applicant_name"].text() == "Trần Thị Bình"  # a reflexive Enter threw nothing away

    _activate(qtbot, window)
    seen = _answer_question(qtbot, lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    qtbot.keyClick(page.edits["applicant_phone"], Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert seen and page.edits["applicant_name"].text() == ""  # Có, chosen on purpose, still starts afresh


def test_a_refused_save_goes_to_the_first_field_in_error_down_the_form(qtbot, page):
    page.save()  # neither name nor procedure
    assert page.errors["applicant_name"].isVisible() and page.errors["procedure_id"].isVisible()
    assert page.edits["applicant_name"].hasFocus()
    type_text(page.edits["applicant_name"], "Nguyễn Văn An")
    type_text(page.edits["applicant_phone"], "0912")
    page.picker.setFocus()
    page.save()  # a short phone number above a missing procedure
    assert page.errors["applicant_phone"].isVisible() and page.errors["procedure_id"].isVisible()
    assert page.edits["applicant_phone"].hasFocus()


def _menu_words(qtbot, widget: QWidget) -> list[str]:
    """The words of the widget's right-click menu, without '&' and the shortcut after the tab."""
    words: list[str] = []

    def poll() -> None:
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            QTimer.singleShot(20, poll)
            return
        words.extend(a.text().split("\t")[0].replace("&", "") for a in menu.actions() if not a.isSeparator())
        menu.close()

    QTimer.singleShot(0, poll)
    QApplication.sendEvent(widget, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(5, 5),
                                                     widget.mapToGlobal(QPoint(5, 5))))
    return words


def test_the_menu_of_spin_boxes_and_date_fields_is_vietnamese(qtbot, page):
    for widget in (page.sets, QDateEdit(page), QDoubleSpinBox(page), QSpinBox(page)):
        widget.show()
        widget.setFocus()
        assert _menu_words(qtbot, widget) == ["Hoàn tác", "Làm lại", "Cắt", "Sao chép", "Dán", "Xóa",
                                              "Chọn tất cả", "Tăng lên", "Giảm xuống"]


def test_the_office_tab_shows_a_long_address_from_its_beginning(qtbot, services):
    admin = services.accounts.login("admin", PASSWORD)
    settings = services.office.settings(admin)
    settings.address = ("Tầng 1, Trung tâm Hành chính công huyện, số 125 đường Quang Trung, thị trấn Phú Phong, "
                        "huyện Tây Sơn, tỉnh Bình Định")
    services.office.update(admin, settings)
    tab = OfficeTab(services, admin)
    qtbot.addWidget(tab)
    tab.resize(1100, 640)
    tab.show()
    qtbot.waitExposed(tab)
    assert tab.address.text() == settings.address
    assert tab.address.cursorPosition() == 0
    assert tab.address.cursorRect().left() < 10  # the text's start is in view, not scrolled off to the left


def test_ctrl_n_from_the_queue_opens_a_new_intake_form(qtbot, services, desk):
    """README: Ctrl+N starts a new case from any page, not only on Tiếp nhận."""
    window = MainWindow(services, desk)
    qtbot.addWidget(window)
    window.show()
    _activate(qtbot, window)
    assert window.stack.currentIndex() == PAGE_QUEUE
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentIndex() == PAGE_INTAKE
    page = window.page(PAGE_INTAKE)
    qtbot.waitUntil(lambda: page.edits["applicant_name"].hasFocus())  # a blank form, ready to type in
    assert page.edits["applicant_name"].text() == ""
