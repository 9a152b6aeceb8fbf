"""The receipt (Mẫu 01) after saving: the document dialog, or a plain preview of the case if the PDF fails (the
citizen must leave with the code and the appointment whatever happens)."""

from __future__ import annotations

import html
import logging

from PySide6.QtWidgets import QCheckBox, QTextBrowser

from tthc_desk.services import Services
from tthc_desk.services.base import Actor
from ui.documents import DocumentDialog
from ui.i18n import fmt_datetime, tr
from ui.keys import keyed
from ui.prefs import UserPrefs

log = logging.getLogger(__name__)


class ReceiptDialog(DocumentDialog):
    FOLDER = "receipts"

    COPIES_KEY = "receipt/copies"  # the desk's choice of one or two liên, remembered per user

    def __init__(self, services: Services, actor: Actor, code: str, prefs: UserPrefs | None = None,
                 parent=None) -> None:
        copies = 1 if prefs is not None and str(prefs.value(self.COPIES_KEY, 2)) == "1" else 2
        super().__init__(services, actor, code, "receipt", prefs, parent, copies=copies)
        # the form is made in two liên, the applicant's and the file's (TT 01/2018): both by default
        self.two_copies = QCheckBox(keyed(tr("In 2 liên (giao người nộp hồ sơ và lưu hồ sơ)"), "2"), self)
        self.two_copies.setChecked(copies == 2)
        self.two_copies.toggled.connect(self._on_two_copies_toggled)
        self.layout_.insertWidget(self.layout_.indexOf(self.buttons), self.two_copies)

    def _on_two_copies_toggled(self, on: bool) -> None:
        self.copies = 2 if on else 1
        if self.prefs is not None:
            self.prefs.set_value(self.COPIES_KEY, self.copies)
        self._start()

    @classmethod
    def offer(cls, parent, services: Services, actor: Actor, code: str, prefs: UserPrefs | None = None) -> None:
        """Seam: after saving, show the receipt (tests replace this)."""
        cls(services, actor, code, prefs, parent).exec()

    def ready_words(self) -> str:
        return tr("Mẫu 01 — kiểm tra rồi bấm In (Ctrl+P). Hồ sơ {code}.", code=self.code)

    def _show_failure(self, exc: BaseException) -> None:
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
