"""Logging in, registering a case typed in Vietnamese, finding it from the queue search."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from uihelpers import PASSWORD, type_text

from tthc_desk.domain import Status
from tthc_desk.services.queue import QueueFilter
from ui.intake.form import IntakePage
from ui.login import LoginDialog
from ui.queue.view import QueuePage


def test_wrong_password_is_refused_and_right_one_logs_in(qtbot, services):
    dialog = LoginDialog(services, "tiepnhan1")
    qtbot.addWidget(dialog)
    type_text(dialog.password, "sai-mat-khau")
    dialog.accept()
    assert dialog.actor is None and dialog.result() == 0
    assert "không đúng" in dialog.error.text()
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, PASSWORD)
    dialog.accept()
    assert dialog.actor is not None and dialog.actor.username == "tiepnhan1"


def test_while_the_services_load_the_login_asks_the_start_up_plan_first(qtbot, services):
    """main.py hands the dialog `quick_login` (the start-up plan) and services still being built: the plan
    answers when it can; when it cannot (None: wrong password, no plan), the services decide, as always."""

    class Loading:  # the services as main.py's PendingServices shows them while SQLAlchemy loads
        ready = False

        def __init__(self) -> None:
            self.asked = 0

        @property
        def accounts(self):
            self.asked += 1
            return services.accounts

    loading, tried = Loading(), []
    planned = services.accounts.login("tiepnhan1", PASSWORD)

    def quick(username, password):
        tried.append((username, password))
        return planned if password == PASSWORD else None

    dialog = LoginDialog(loading, "tiepnhan1", quick_login=quick)
    qtbot.addWidget(dialog)
    type_text(dialog.password, "sai-mat-khau")
    dialog.accept()
    assert tried == [("tiepnhan1", "sai-mat-khau")] and loading.asked == 1  # the services refused it
    assert dialog.actor is None and "không đúng" in dialog.error.text()
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, PASSWORD)
    dialog.accept()
    assert dialog.actor is planned and loading.asked == 1  # the plan answered; the services were not asked
    loading.ready = True
    again = LoginDialog(loading, "tiepnhan1", PASSWORD, quick_login=quick)
    qtbot.addWidget(again)
    again.accept()
    assert again.actor == planned and len(tried) == 2 and loading.asked == 2  # ready: the services answer


def test_qt_standard_buttons_speak_vietnamese(qtbot):
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                           | QDialogButtonBox.StandardButton.Yes | QDialogButtonBox.StandardButton.No)
    qtbot.addWidget(box)
    texts = {box.button(b).text().replace("&", "") for b in (QDialogButtonBox.StandardButton.Ok,
             QDialogButtonBox.StandardButton.Cancel, QDialogButtonBox.StandardButton.Yes, QDialogButtonBox.StandardButton.No)}
    assert texts == {"Đồng ý", "Hủy", "Có", "Không"}


def _fill_form(qtbot, page: IntakePage) -> None:
    type_text(page.edits["applicant_name"], "Nguyễn Văn An")
    qtbot.keyClicks(page.edits["applicant_id_number"], "052090001234")
    type_text(page.edits["applicant_address"], "Thôn Phú Mỹ, xã Bình Tân")
    qtbot.keyClicks(page.edits["applicant_phone"], "0912 345 678")
    page.picker.setFocus()
    qtbot.keyClicks(page.picker, "khai sinh")
    qtbot.keyClick(page.picker, Qt.Key.Key_Return)


def test_register_a_case_typed_in_vietnamese_then_find_it(qtbot, services, desk, seams):
    page = IntakePage(services, desk)
    qtbot.addWidget(page)
    page.show()
    page.activateWindow()
    qtbot.waitActive(page)
    _fill_form(qtbot, page)
    assert page.picker.current is not None and page.picker.current.code == "1.001193"
    assert [p.name for p in page.papers.lines] == ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]
    page.papers.toggle(0)
    assert "Hẹn trả" in page.due_label.text() and "25/11/2026" in page.due_label.text()
    assert page.trace_text.toPlainText()

    page.activateWindow()  # the completer popup took activation while it was open
    qtbot.waitActive(page)
    page.edits["applicant_phone"].setFocus()
    # through the window, as the platform delivers keys, so the shortcut map sees Ctrl+Enter
    qtbot.keyClick(page.windowHandle(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    first = page.last_result
    assert first is not None and first.created
    assert first.code in page.result_label.text()
    assert seams.receipts == [first.code]
    assert page.new_button.hasFocus()  # next: Hồ sơ mới
    qtbot.keyClicks(page.edits["applicant_phone"], "9")  # a change after saving would not reach the case:
    assert page.edits["applicant_phone"].text() == "0912 345 678"  # the saved form is shown, not edited
    assert page.edits["applicant_phone"].isReadOnly() and not page.picker.isEnabled() and not page.sets.isEnabled()
    second = page.save()  # the same form saved twice: the same case (and its receipt again)
    assert second.code == first.code and not second.created
    assert services.queue.count(desk, QueueFilter(open_only=False)) == 1
    detail = services.casefile.detail(desk, first.code)
    assert detail.applicant["name"] == "Nguyễn Văn An" and detail.status is Status.RECEIVED
    assert [p["name"] for p in detail.papers] == ["Tờ khai đăng ký khai sinh"]

    page.ask_new_form()  # saved: nothing to ask, and the next applicant's form is open to typing
    assert page.edits["applicant_name"].text() == "" and not page.edits["applicant_name"].isReadOnly()
    assert page.picker.isEnabled() and page.sets.isEnabled() and page.edits["applicant_name"].hasFocus()

    queue = QueuePage(services, desk)
    qtbot.addWidget(queue)
    qtbot.keyClicks(queue.filters.search, "nguyen van an")
    qtbot.waitUntil(lambda: queue.model.filter.text == "nguyen van an", timeout=2000)
    assert queue.model.rowCount() == 1
    assert queue.model.row_at(0).code == first.code


def test_inline_validation_messages_come_from_the_core(qtbot, services, desk):
    page = IntakePage(services, desk)
    qtbot.addWidget(page)
    qtbot.keyClicks(page.edits["applicant_id_number"], "12345")
    page.edits["applicant_id_number"].editingFinished.emit()
    assert "12 chữ số" in page.errors["applicant_id_number"].text()
    assert page.save() is None  # nothing saved, every message now visible
    assert page.errors["applicant_name"].text() and page.errors["procedure_id"].text()
    assert services.queue.count(desk, QueueFilter(open_only=False)) == 0
