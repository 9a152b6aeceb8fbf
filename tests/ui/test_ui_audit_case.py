"""The case view and its dialogs at the desk (UI audit #2, #3): each action dialog opens on its first field
with the buttons last in the Tab order, so a reflex Enter records nothing nobody chose; the transfer has no
unit until one is chosen (or the procedure names a lead unit); the case view, the document dialog and the
procedure dialog fit a 1366x768 screen at 125 % (1093x614 logical) and a 1280x720 one."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QPushButton, QWidget
from uihelpers import PASSWORD, register, type_text

from tthc_desk.domain import Status
from tthc_desk.services.rights import Action
from ui.case.view import CaseDialog
from ui.documents import DocumentDialog
from ui.settings.procedure_dialog import ProcedureDialog

SMALL_SCREENS = [(1093, 614), (1280, 720)]  # 1366x768 at 125 %; 1280x720 at 100 %


@pytest.fixture
def admin(services):
    return services.accounts.login("admin", PASSWORD)


def _shown(qtbot, dialog: QWidget) -> QWidget:
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def _tab_until(qtbot, stop: QWidget, limit: int = 40) -> list[QWidget]:
    """The widgets Tab visits from the focused one up to and including `stop`."""
    seen = [QApplication.focusWidget()]
    while seen[-1] is not stop and len(seen) < limit:
        qtbot.keyClick(seen[-1], Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    return seen


def _ok(dialog) -> QPushButton:
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def test_alt_c_then_enter_transfers_nothing_until_a_unit_is_chosen(qtbot, services, desk):
    code = register(services, desk, "Nguyễn Văn An")  # the procedure names no lead unit
    view = CaseDialog(services, desk, code)
    qtbot.addWidget(view)
    dialog = _shown(qtbot, view.action_dialog(Action.TRANSFER))
    assert dialog.unit.hasFocus() and dialog.unit.currentIndex() == -1 and dialog.unit.currentText() == ""
    assert _tab_until(qtbot, _ok(dialog)) == [dialog.unit, dialog.own_share, dialog.note, _ok(dialog)]

    dialog.unit.setFocus()
    qtbot.keyClick(dialog.unit, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.outcome is None
    line = dialog.field_errors["to_unit_id"]
    assert line.isVisible() and line.text() == "Chưa chọn đơn vị nhận hồ sơ." and dialog.unit.hasFocus()
    detail = services.casefile.detail(desk, code)
    assert detail.status is Status.RECEIVED and detail.current_unit == "Bộ phận Một cửa"

    dialog.unit.setCurrentIndex(dialog.unit.findText("Phòng Tư pháp"))
    qtbot.keyClick(dialog.unit, Qt.Key.Key_Return)  # now valid: Enter accepts
    assert not dialog.isVisible()
    assert services.casefile.detail(desk, code).current_unit == "Phòng Tư pháp"


def test_the_transfer_starts_on_the_procedures_lead_unit(qtbot, services, desk, admin):
    proc = services.catalogue.get(admin, code="1.001193")
    lead = next(u["id"] for u in services.accounts.list_units(admin) if u["name"] == "Phòng Tư pháp")
    services.catalogue.save(admin, proc.id, code=proc.code, name=proc.name, field_name=proc.field,
                            durations=proc.raw, papers=proc.papers, lead_unit_id=lead)
    code = register(services, desk, "Nguyễn Văn An")
    view = CaseDialog(services, desk, code)
    qtbot.addWidget(view)
    dialog = _shown(qtbot, view.action_dialog(Action.TRANSFER))
    assert dialog.unit.currentText() == "Phòng Tư pháp" != dialog.unit.itemText(0)  # not merely the first
    qtbot.keyClick(dialog.unit, Qt.Key.Key_Return)
    assert services.casefile.detail(desk, code).current_unit == "Phòng Tư pháp"


@pytest.mark.parametrize("action", [Action.REFUSE, Action.WITHDRAW, Action.STOP])
def test_a_reason_dialog_opens_on_the_reason_and_refuses_it_empty(qtbot, services, desk, action):
    code = register(services, desk, "Nguyễn Văn An")
    view = CaseDialog(services, desk, code)
    qtbot.addWidget(view)
    dialog = _shown(qtbot, view.action_dialog(action))
    assert dialog.reason.hasFocus()
    assert _tab_until(qtbot, _ok(dialog)) == [dialog.reason, _ok(dialog)]
    qtbot.keyClick(_ok(dialog), Qt.Key.Key_Return)  # Đồng ý with nothing written
    assert dialog.isVisible() and dialog.error.text() == "Hãy ghi rõ lý do." and dialog.reason.hasFocus()
    assert services.casefile.detail(desk, code).status is Status.RECEIVED
    type_text(dialog.reason, "Hồ sơ không thuộc thẩm quyền")  # typed straight into the reason
    assert dialog.reason.toPlainText() == "Hồ sơ không thuộc thẩm quyền"


def test_the_supplement_request_opens_on_the_reason_then_the_papers(qtbot, services, desk):
    code = register(services, desk, "Nguyễn Văn An")
    view = CaseDialog(services, desk, code)
    qtbot.addWidget(view)
    dialog = _shown(qtbot, view.action_dialog(Action.REQUEST_SUPPLEMENT))
    assert dialog.reason.hasFocus()
    assert _tab_until(qtbot, _ok(dialog)) == [dialog.reason, dialog.papers, dialog.other, _ok(dialog)]
    qtbot.keyClick(_ok(dialog), Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.error.text() == "Hãy ghi lý do và các giấy tờ cần bổ sung."
    assert dialog.reason.hasFocus() and services.casefile.detail(desk, code).status is Status.RECEIVED


def test_the_apology_opens_on_the_reason_and_its_buttons_come_last(qtbot, services, desk):
    code = register(services, desk, "Nguyễn Văn An")
    view = CaseDialog(services, desk, code)
    qtbot.addWidget(view)
    dialog = _shown(qtbot, view.action_dialog(Action.EXTEND))
    assert dialog.reason.hasFocus()
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Tab)
    assert dialog.new_due.hasFocus()
    dialog.letter_number.setFocus()
    assert _tab_until(qtbot, _ok(dialog)) == [dialog.letter_number, _ok(dialog)]
    qtbot.keyClick(_ok(dialog), Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.reason.hasFocus()
    assert dialog.error.text() == "Hãy ghi lý do xin lỗi và hẹn lại."


def test_a_new_procedure_opens_on_its_code_and_reaches_luu_after_every_field(qtbot, services, admin):
    dialog = _shown(qtbot, ProcedureDialog(services, admin, None))
    assert dialog.code.hasFocus()
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    visited = _tab_until(qtbot, save)
    assert visited[:3] == [dialog.code, dialog.name, dialog.field_name]  # Tab leaves the name, adds no tab
    assert dialog.name.toPlainText() == ""
    assert visited[-1] is save and dialog.workflow.isAncestorOf(visited[-2])
    for widget in (dialog.lead_unit, dialog.supplement, dialog.warning_hours, dialog.fee, dialog.confirmed):
        assert widget in visited


def _inside(widget: QWidget, window: QWidget) -> bool:
    top_left = widget.mapTo(window, widget.rect().topLeft())
    return widget.isVisible() and window.rect().contains(QRect(top_left, widget.size()))


@pytest.mark.parametrize("size", SMALL_SCREENS)
def test_the_case_view_shows_every_button_on_a_small_screen(qtbot, services, desk, size):
    code = register(services, desk, "Nguyễn Văn An")
    view = CaseDialog(services, desk, code)
    qtbot.addWidget(view)
    assert view.minimumSizeHint().width() <= 1093 and view.minimumSizeHint().height() <= 614 - 40
    view.show()
    view.resize(*size)
    qtbot.waitExposed(view)
    assert view.width() <= size[0] and view.height() <= size[1]
    close = view.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close)
    for button in [*view.action_buttons.values(), view.print_button, close]:
        assert _inside(button, view), button.text()


@pytest.fixture
def small_screen(monkeypatch):
    """A 1366x768 screen at 125 %: 1093x614 logical, the taskbar's 40 px off the height."""
    monkeypatch.setattr(QScreen, "availableGeometry", lambda self: QRect(0, 0, 1093, 614 - 40))


def test_the_document_dialog_keeps_its_buttons_above_the_taskbar(qtbot, services, desk, small_screen):
    code = register(services, desk, "Nguyễn Văn An")
    dialog = DocumentDialog(services, desk, code, "receipt")
    qtbot.addWidget(dialog)
    assert dialog.height() <= 614 - 40 - 30 and dialog.width() <= 1093  # room for the title bar too
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(dialog.print_button.isEnabled)  # the preview is in
    for button in (dialog.print_button, dialog.save_button, *dialog.buttons.buttons()):
        assert _inside(button, dialog), button.text()


def test_the_case_and_procedure_dialogs_open_no_larger_than_the_screen(qtbot, services, desk, admin,
                                                                       small_screen):
    code = register(services, desk, "Nguyễn Văn An")
    for dialog in (CaseDialog(services, desk, code), ProcedureDialog(services, admin, None)):
        qtbot.addWidget(dialog)
        assert dialog.width() <= 1093 and dialog.height() <= 614 - 40 - 30, type(dialog).__name__


def test_the_drill_down_and_the_main_window_open_no_larger_than_the_screen(qtbot, services, desk, small_screen):
    """The drill-down opened at 1200 px and a first window at 1366x768, wider than the desk's 1093 px."""
    from ui.main_window import MainWindow
    from ui.reports.drill_dialog import DrillDialog

    for window in (DrillDialog("Đang giải quyết quá hạn — toàn bộ", [], None), MainWindow(services, desk)):
        qtbot.addWidget(window)
        assert window.width() <= 1093 and window.height() <= 614 - 40, type(window).__name__
