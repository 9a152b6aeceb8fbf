"""The receipt (Mẫu 01) after saving: a PDF preview with print and save, or a plain preview as a fallback."""

from __future__ import annotations

import html
import logging
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout

from tthc_desk.errors import DeskError
from tthc_desk.services import Services
from tthc_desk.services.base import Actor
from ui import dialogs
from ui.i18n import fmt_datetime, tr
from ui.keys import keyed
from ui.prefs import UserPrefs
from ui.tasks import run_in_background

log = logging.getLogger(__name__)


def official_forms_available(services: Services) -> bool:
    """Whether the documents issue's receipt renderer is present (else a plain preview is shown)."""
    return callable(getattr(getattr(services, "documents", None), "receipt", None))


class ReceiptDialog(QDialog):
    def __init__(self, services: Services, actor: Actor, code: str, prefs: UserPrefs | None = None,
                 parent=None) -> None:
        super().__init__(parent)
        self.services, self.actor, self.code, self.prefs = services, actor, code, prefs
        self.pdf: bytes | None = None
        self.setWindowTitle(tr("Giấy tiếp nhận hồ sơ và hẹn trả kết quả — {code}", code=code))
        self.resize(760, 700)
        self.layout_ = QVBoxLayout(self)
        self.status = QLabel(tr("Đang tạo giấy tiếp nhận…"), self, wordWrap=True)
        self.layout_.addWidget(self.status)
        self.buttons = QDialogButtonBox(self)
        self.print_button = self.buttons.addButton(keyed(tr("In…"), "I"), QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.setToolTip(tr("In giấy tiếp nhận (Ctrl+P)"))
        self.save_button = self.buttons.addButton(keyed(tr("Lưu PDF…"), "L"), QDialogButtonBox.ButtonRole.ActionRole)
        close = self.buttons.addButton(tr("Đóng"), QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)
        self.print_button.clicked.connect(self._on_print_clicked)
        self.save_button.clicked.connect(self._on_save_clicked)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Print), self, self._on_print_key)
        for button in (self.print_button, self.save_button):
            button.setEnabled(False)
        self.layout_.addWidget(self.buttons)
        if official_forms_available(services):
            run_in_background(lambda _c: services.documents.receipt(actor, code), self._show_pdf,
                              self._show_plain_after_error, progress=tr("Đang tạo giấy tiếp nhận…"), parent=self)
        else:
            self._show_plain(tr("Mẫu chính thức (Mẫu 01) sẽ có khi hoàn thành phần văn bản; "
                                "dưới đây là bản xem trước đơn giản."))

    @classmethod
    def offer(cls, parent, services: Services, actor: Actor, code: str, prefs: UserPrefs | None = None) -> None:
        """Seam: after saving, show the receipt (tests replace this)."""
        cls(services, actor, code, prefs, parent).exec()

    def _show_pdf(self, pdf: bytes) -> None:
        from PySide6.QtPdf import QPdfDocument
        from PySide6.QtPdfWidgets import QPdfView

        self.pdf = pdf
        self._buffer = QBuffer(QByteArray(pdf), self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        view = QPdfView(self)
        view.setDocument(self.document)
        view.setPageMode(QPdfView.PageMode.MultiPage)
        view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.status.setText(tr("Mẫu 01 — kiểm tra rồi bấm In. Hồ sơ {code}.", code=self.code))
        self.layout_.insertWidget(1, view, 1)
        for button in (self.print_button, self.save_button):
            button.setEnabled(True)
        self.print_button.setFocus()

    def _on_print_key(self) -> None:
        if self.print_button.isEnabled():
            self.print_button.click()

    def _show_plain_after_error(self, exc: BaseException) -> None:
        log.error("receipt PDF failed", exc_info=(type(exc), exc, exc.__traceback__))
        self._show_plain(tr("Không tạo được Mẫu 01 ({error}); dưới đây là bản xem trước đơn giản.", error=exc))

    def _show_plain(self, note: str) -> None:
        d = self.services.casefile.detail(self.actor, self.code)
        papers = "".join(f"<li>{html.escape(p.get('name', ''))}</li>" for p in d.papers)
        body = (f"<h3>GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ</h3><p>Mã hồ sơ: <b>{html.escape(d.code)}</b></p>"
                f"<p>Tiếp nhận hồ sơ của: {html.escape(d.applicant['name'])}</p>"
                f"<p>Nội dung yêu cầu giải quyết: {html.escape(d.procedure_name)}</p><ol>{papers}</ol>"
                f"<p>Thời gian nhận hồ sơ: {fmt_datetime(d.received_at)}</p>"
                f"<p>Thời gian trả kết quả: <b>{fmt_datetime(d.due_at)}</b></p>")
        self.status.setText(note)
        browser = QTextBrowser(self)
        browser.setHtml(body)
        self.layout_.insertWidget(1, browser, 1)

    def _on_save_clicked(self) -> None:
        folder = self.prefs.last_folder("receipts") if self.prefs else ""
        suggested = str(Path(folder) / f"{self.code}-mau01.pdf") if folder else f"{self.code}-mau01.pdf"
        path = dialogs.pick_save_file(self, tr("Lưu giấy tiếp nhận"), suggested, "PDF (*.pdf)")
        if not path or self.pdf is None:
            return
        from tthc_desk.documents import write_pdf

        try:
            write_pdf(self.pdf, path)
        except DeskError as exc:  # the file is open in a PDF reader, the folder refuses it, ...
            dialogs.show_error(self, exc)
            return
        if self.prefs:
            self.prefs.set_last_folder("receipts", str(Path(path).parent))

    def _on_print_clicked(self) -> None:
        printer = dialogs.pick_printer(self)
        if printer is not None:
            dialogs.print_pdf_document(self.document, printer)
