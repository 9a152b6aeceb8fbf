"""One of a case's documents (Mẫu 01–05, 07) as the office prints it: our own PDF previewed with QtPdf, printed
(Ctrl+P) or saved as PDF. The preview is made in the background by `DocumentService.preview`, which records
nothing; printing or saving it issues it (`DocumentService.render`: the letter is recorded on the case, a new one
takes its number, a reprint keeps it) and prints or saves what was issued."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout

from tthc_desk.errors import DeskError
from tthc_desk.services import Services
from tthc_desk.services.base import Actor
from tthc_desk.services.documents import KINDS
from ui import dialogs
from ui.i18n import tr
from ui.keys import keyed
from ui.prefs import UserPrefs
from ui.screen import fit_to_screen
from ui.tasks import run_in_background

log = logging.getLogger(__name__)

FILE_STEMS = {"receipt": "giay-tiep-nhan", "supplement": "phieu-yeu-cau-bo-sung", "refusal": "phieu-tu-choi",
              "apology": "phieu-xin-loi", "stop_notice": "thong-bao-dung",
              "control": "phieu-kiem-soat"}  # a saved PDF is named CODE-stem.pdf


class DocumentDialog(QDialog):
    FOLDER = "documents"  # the remembered folder of "Lưu PDF…"
    issued = Signal(str)  # the kind, each time it is recorded as issued (printed or saved)

    def __init__(self, services: Services, actor: Actor, code: str, kind: str, prefs: UserPrefs | None = None,
                 parent=None, copies: int = 1) -> None:
        super().__init__(parent)
        self.services, self.actor, self.code, self.kind, self.prefs = services, actor, code, kind, prefs
        self.copies = copies
        self.words, self.stem = KINDS[kind], FILE_STEMS[kind]  # (the words the letter is recorded with)
        self.pdf: bytes | None = None
        self.document = None
        self._buffer: QBuffer | None = None
        self.setWindowTitle(tr("{doc} — {code}", doc=self.words, code=code))
        fit_to_screen(self, 760, 700)  # the preview scrolls; In… / Lưu PDF… / Đóng stay above the taskbar
        self.layout_ = QVBoxLayout(self)
        self.status = QLabel(tr("Đang tạo văn bản…"), self, wordWrap=True)
        self.layout_.addWidget(self.status)
        self.buttons = QDialogButtonBox(self)
        self.print_button = self.buttons.addButton(keyed(tr("In…"), "I"), QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.setToolTip(tr("In văn bản (Ctrl+P)"))
        self.save_button = self.buttons.addButton(keyed(tr("Lưu PDF…"), "L"), QDialogButtonBox.ButtonRole.ActionRole)
        close = self.buttons.addButton(tr("Đóng"), QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)
        self.print_button.clicked.connect(self._on_print_clicked)
        self.save_button.clicked.connect(self._on_save_clicked)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Print), self, self._on_print_key)
        self._enable(False)  # until the preview is in
        self.layout_.addWidget(self.buttons)
        self._start()

    def _start(self) -> None:
        services, actor, code, kind = self.services, self.actor, self.code, self.kind
        copies = self.copies
        run_in_background(lambda _c: services.documents.preview(actor, code, kind, copies), self._show_pdf,
                          self._show_failure, progress=tr("Đang tạo văn bản…"), parent=self)

    def _issue(self, then: Callable[[], None]) -> None:
        """Record the document as issued and put what was issued in the preview (its number is taken now, so
        it may differ from the previewed one if another desk took that meanwhile); then print or save it."""
        services, actor, code, kind, copies = self.services, self.actor, self.code, self.kind, self.copies

        def issued(pdf: bytes) -> None:
            self._load(pdf)
            self._enable(True)
            self.issued.emit(kind)
            then()

        def failed(exc: BaseException) -> None:
            self._enable(True)
            dialogs.show_error(self, exc)

        self._enable(False)  # one issue at a time: a second click would record a second printing
        run_in_background(lambda _c: services.documents.render(actor, code, kind, copies), issued, failed,
                          progress=tr("Đang ghi nhận văn bản…"), parent=self)

    def _enable(self, on: bool) -> None:
        for button in (self.print_button, self.save_button):
            button.setEnabled(on)

    @classmethod
    def offer(cls, parent, services: Services, actor: Actor, code: str, kind: str,
              prefs: UserPrefs | None = None) -> None:
        """Seam: show a document the user has just caused (after an action); tests replace this."""
        cls(services, actor, code, kind, prefs, parent).exec()

    def _show_pdf(self, pdf: bytes) -> None:
        from PySide6.QtPdf import QPdfDocument
        from PySide6.QtPdfWidgets import QPdfView

        if self.document is not None:  # previewed again (another number of copies)
            self._load(pdf)
            self.status.setText(self.ready_words())
            return
        self.document = QPdfDocument(self)
        self._load(pdf)
        view = QPdfView(self)
        view.setDocument(self.document)
        view.setPageMode(QPdfView.PageMode.MultiPage)
        view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.status.setText(self.ready_words())
        self.layout_.insertWidget(1, view, 1)
        self._enable(True)
        self.print_button.setFocus()

    def _load(self, pdf: bytes) -> None:
        self.pdf = pdf
        # the buffer owns a copy: QBuffer(QByteArray(pdf)) keeps only a pointer to a temporary that Python frees,
        # and the document then loads garbage (an empty grey preview, a blank printed page)
        old, self._buffer = self._buffer, QBuffer(self)
        self._buffer.setData(QByteArray(pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        if old is not None:
            old.deleteLater()

    def ready_words(self) -> str:
        return tr("{doc} — kiểm tra rồi bấm In (Ctrl+P). Hồ sơ {code}.", doc=self.words, code=self.code)

    def _show_failure(self, exc: BaseException) -> None:
        """An expected refusal (the case has no such letter, no right) in its own words; anything else is logged
        and said in Vietnamese (the exception's own text is the program's, in English)."""
        if isinstance(exc, DeskError):
            self.status.setText(tr("Không tạo được văn bản: {error}", error=exc.message))
        else:
            log.error("document %s failed", self.kind, exc_info=(type(exc), exc, exc.__traceback__))
            self.status.setText(tr("Không tạo được văn bản do một lỗi không mong đợi; chi tiết đã ghi vào nhật ký "
                                   "để gửi bộ phận kỹ thuật. Dữ liệu đã lưu không bị ảnh hưởng."))
        self.status.setObjectName("fieldError")  # red, from the application's style sheet
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)

    def _on_print_key(self) -> None:
        if self.print_button.isEnabled():
            self.print_button.click()

    def _on_save_clicked(self) -> None:
        folder = self.prefs.last_folder(self.FOLDER) if self.prefs else ""
        name = f"{self.code}-{self.stem}.pdf"
        suggested = str(Path(folder) / name) if folder else name
        path = dialogs.pick_save_file(self, tr("Lưu {doc}", doc=self.words[:1].lower() + self.words[1:]),
                                      suggested, "PDF (*.pdf)")
        if not path or self.pdf is None:
            return
        self._issue(lambda: self._write(path))

    def _write(self, path: str) -> None:
        from tthc_desk.documents import write_pdf

        try:
            write_pdf(self.pdf, path)
        except DeskError as exc:  # the file is open in a PDF reader, the folder refuses it, ...
            dialogs.show_error(self, exc)
            return
        if self.prefs:
            self.prefs.set_last_folder(self.FOLDER, str(Path(path).parent))

    def _on_print_clicked(self) -> None:
        printer = dialogs.pick_printer(self)
        if printer is not None and self.document is not None:
            self._issue(lambda: dialogs.print_pdf_document(self.document, printer))
