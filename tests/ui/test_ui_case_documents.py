"""The case view prints the case's documents (Mẫu 01–05, and 07 of the 2025 set) and offers the one an action
owes the citizen."""

from __future__ import annotations

import subprocess

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from uihelpers import register, type_text

from tthc_desk.domain import Status
from tthc_desk.services.rights import Action
from ui.case.view import CaseDialog
from ui.documents import DocumentDialog


def _menu(view: CaseDialog) -> list[tuple[str, bool, str]]:
    view._fill_print_menu()
    return [(a.text(), a.isEnabled(), a.toolTip()) for a in view.print_menu.actions()]


def _pdf_text(path) -> str:
    return " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split())


def test_the_print_menu_lists_the_forms_and_says_why_one_does_not_apply(qtbot, services, desk):
    code = register(services, desk, "Trần Thị Bình")
    view = CaseDialog(services, desk, code)
    qtbot.addWidget(view)
    menu = _menu(view)
    assert [text for text, _on, _tip in menu] == [
        "&1  Mẫu số 01 — Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        "&2  Mẫu số 02 — Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
        "&3  Mẫu số 03 — Phiếu từ chối tiếp nhận giải quyết hồ sơ",
        "&4  Mẫu số 04 — Phiếu xin lỗi và hẹn lại ngày trả kết quả",
        "&5  Mẫu số 05 — Phiếu kiểm soát quá trình giải quyết hồ sơ"]
    assert [on for _t, on, _tip in menu] == [True, False, False, False, True]
    assert "chưa có yêu cầu bổ sung" in menu[1][2] and "đã bị từ chối" in menu[2][2]


def test_a_document_from_the_menu_is_previewed_saved_and_recorded_on_the_case(qtbot, services, desk, tmp_path,
                                                                             monkeypatch):
    from ui import dialogs

    code = register(services, desk, "Trần Thị Bình")
    view = CaseDialog(services, desk, code)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    before, detail_before = view.letters_model.rowCount(), services.casefile.detail(desk, code)
    view._fill_print_menu()  # (what showing the menu does)
    [control] = [a for a in view.print_menu.actions() if "kiểm soát" in a.text()]
    control.trigger()
    [doc] = [w for w in QApplication.topLevelWidgets() if isinstance(w, DocumentDialog) and w.isVisible()]
    assert doc.pdf.startswith(b"%PDF") and doc.print_button.isEnabled() and doc.kind == "control"
    assert services.casefile.detail(desk, code).letters == detail_before.letters  # looking issues nothing
    target = tmp_path / "pks.pdf"
    monkeypatch.setattr(dialogs, "pick_save_file", lambda *a, **k: None)  # the user cancels the file dialog
    doc.save_button.click()
    assert services.casefile.detail(desk, code).letters == detail_before.letters
    monkeypatch.setattr(dialogs, "pick_save_file", lambda *a, **k: str(target))
    doc.save_button.click()
    text = _pdf_text(target)
    assert code in text and "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    qtbot.waitUntil(lambda: view.letters_model.rowCount() == before + 1)  # saved: issued, and the view shows it
    doc.reject()


def test_actions_offer_the_letter_they_owe_the_citizen(qtbot, services, desk, leader, seams):
    code = register(services, desk, "Lê Văn Cường")
    view = CaseDialog(services, desk, code)
    qtbot.addWidget(view)
    dialog = view.action_dialog(Action.REQUEST_SUPPLEMENT)
    type_text(dialog.reason, "Thiếu giấy chứng sinh bản chính")
    dialog.papers.item(1).setCheckState(Qt.CheckState.Checked)
    dialog.accept()
    assert seams.documents == [("supplement", code)]
    view.action_dialog(Action.RECEIVE_SUPPLEMENT).accept()
    assert seams.documents == [("supplement", code)]  # receiving papers owes no letter
    extend = CaseDialog(services, leader, code)
    qtbot.addWidget(extend)
    from datetime import timedelta

    dialog = extend.action_dialog(Action.EXTEND)
    type_text(dialog.reason, "Chờ ý kiến của cơ quan phối hợp")
    dialog.set_new_due(extend.detail.due_at + timedelta(days=7))
    dialog.accept()
    assert seams.documents[-1] == ("apology", code)
    dialog = view.action_dialog(Action.REFUSE)
    type_text(dialog.reason, "Hồ sơ không thuộc thẩm quyền")
    dialog.accept()
    assert services.casefile.detail(desk, code).status is Status.REFUSED
    assert seams.documents[-1] == ("refusal", code)


def test_under_the_2025_form_set_stopping_a_case_offers_its_stop_notice(qtbot, services, desk, leader, seams):
    from dataclasses import replace

    admin = services.office.actor_for("admin")
    code = register(services, desk, "Lê Văn Cường")
    view = CaseDialog(services, leader, code)
    qtbot.addWidget(view)
    dialog = view.action_dialog(Action.STOP)  # under TT 01/2018 there is no form for it: nothing is offered
    type_text(dialog.reason, "Người nộp đề nghị dừng")
    dialog.accept()
    assert seams.documents == [] and "Thông báo dừng" not in " ".join(t for t, _on, _tip in _menu(view))
    services.office.update(admin, replace(services.office.settings(admin), form_profile="bo_mau_2025"))
    assert _menu(view)[-1][:2] == ("&6  Mẫu số 07 — Thông báo dừng giải quyết hồ sơ", True)
    other = register(services, desk, "Phạm Thị Dung")
    view = CaseDialog(services, leader, other)
    qtbot.addWidget(view)
    text, on, tip = _menu(view)[-1]
    assert "Mẫu số 07" in text and not on and "đã dừng xử lý" in tip
    dialog = view.action_dialog(Action.STOP)
    type_text(dialog.reason, "Chờ kết luận thanh tra")
    dialog.accept()
    assert seams.documents == [("stop_notice", other)]


def test_the_preview_holds_the_pdf_and_printing_draws_its_pages(qtbot, services, desk, tmp_path, monkeypatch):
    """The preview and the printout come from the QPdfDocument, not from the bytes: it must have loaded them
    (it once read a freed buffer: a grey preview and a blank printed page)."""
    import gc

    from PySide6.QtGui import QPageSize
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPrintSupport import QPrinter

    from ui import dialogs
    from ui.intake.receipt import ReceiptDialog

    code = register(services, desk, "Trần Thị Bình")
    receipt = ReceiptDialog(services, desk, code)
    qtbot.addWidget(receipt)
    gc.collect()  # whatever Python no longer holds is gone, as it will be at some point in a real session
    assert receipt.document.status() == QPdfDocument.Status.Ready and receipt.document.pageCount() == 2  # two liên
    assert receipt.two_copies.isChecked()
    receipt.two_copies.click()  # one liên: previewed again, in the same view
    assert receipt.document.status() == QPdfDocument.Status.Ready and receipt.document.pageCount() == 1
    gc.collect()
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A5))
    printer.setResolution(100)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    monkeypatch.setattr(dialogs, "pick_printer", lambda _parent: printer)
    assert [lt["kind"] for lt in services.casefile.detail(desk, code).letters] == []  # not issued by looking
    receipt.print_button.click()
    assert [lt["kind"] for lt in services.casefile.detail(desk, code).letters] == ["receipt"]  # printed: issued
    subprocess.run(["pdftoppm", "-r", "40", "-gray", "-png", str(tmp_path / "printed.pdf"), str(tmp_path / "p")], check=True)
    from PySide6.QtGui import QImage

    [page] = sorted(tmp_path.glob("p*.png"))
    image = QImage(str(page))
    dark = sum(1 for y in range(0, image.height(), 2) for x in range(0, image.width(), 2)
               if image.pixelColor(x, y).lightness() < 128)
    assert dark > 200  # the form's text and rules, not an empty sheet


def test_the_receipt_remembers_one_or_two_lien_and_saves_what_it_shows(qtbot, services, desk, tmp_path,
                                                                       monkeypatch):
    from ui import dialogs
    from ui.intake.receipt import ReceiptDialog
    from ui.prefs import UserPrefs

    prefs = UserPrefs(desk.username)
    code = register(services, desk, "Trần Thị Bình")
    first = ReceiptDialog(services, desk, code, prefs)
    qtbot.addWidget(first)
    first.two_copies.click()  # this desk files its copy otherwise: one liên from now on
    again = ReceiptDialog(services, desk, code, prefs)
    qtbot.addWidget(again)
    assert not again.two_copies.isChecked() and again.document.pageCount() == 1
    again.two_copies.click()
    target = tmp_path / "bien-nhan.pdf"
    monkeypatch.setattr(dialogs, "pick_save_file", lambda *a, **k: str(target))
    again.save_button.click()
    text = _pdf_text(target)
    assert "Liên 1: Giao cho người nộp hồ sơ" in text and "Liên 2: Lưu tại Bộ phận" in text
    assert [lt["kind"] for lt in services.casefile.detail(desk, code).letters] == ["receipt"]


def test_a_second_click_while_the_letter_is_being_issued_records_no_second_printing(qtbot, services, desk, tmp_path,
                                                                                    monkeypatch):
    from ui import dialogs
    from ui.tasks import use_inline_executor

    code = register(services, desk, "Trần Thị Bình")
    saved = []
    monkeypatch.setattr(dialogs, "pick_save_file", lambda *a, **k: str(tmp_path / f"{len(saved)}.pdf"))
    doc = DocumentDialog(services, desk, code, "control")
    qtbot.addWidget(doc)
    use_inline_executor(False)  # as in the window: issuing runs on the thread pool
    try:
        monkeypatch.setattr(doc, "_write", lambda path: saved.append(path))
        doc.save_button.click()
        assert not doc.save_button.isEnabled() and not doc.print_button.isEnabled()
        doc.save_button.click()  # impatient: ignored while the first is on its way
        qtbot.waitUntil(lambda: saved != [])
        qtbot.wait(300)
    finally:
        use_inline_executor(True)
    assert len(saved) == 1 and doc.save_button.isEnabled()
    issued = [e for e in services.casefile.detail(desk, code).events if e.kind == "letter_issued"]
    assert len(issued) == 1


def test_an_unexpected_failure_is_said_in_vietnamese_and_logged(qtbot, services, desk, monkeypatch, caplog):
    """The print window showed the program's own English text ("'NoneType' object has no attribute 'date'")."""
    code = register(services, desk, "Trần Thị Bình")

    def broken(*_args, **_kwargs):
        raise AttributeError("'NoneType' object has no attribute 'date'")

    monkeypatch.setattr(services.documents, "preview", broken)
    with caplog.at_level("ERROR"):
        doc = DocumentDialog(services, desk, code, "control")
        qtbot.addWidget(doc)
        qtbot.waitUntil(lambda: "Không tạo được" in doc.status.text())
    assert "NoneType" not in doc.status.text() and "lỗi không mong đợi" in doc.status.text()
    assert any("NoneType" in (r.exc_text or "") or r.exc_info for r in caplog.records)
