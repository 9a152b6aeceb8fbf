"""Dialog seams: every message box and file picker goes through here, so tests can replace them."""

from __future__ import annotations

import re
import traceback

from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from tthc_desk.errors import Cancelled, DeskError
from tthc_desk.text import nfc

YES, NO, OK, CANCEL = "Có", "Không", "Đồng ý", "Hủy"


def _box(parent: QWidget | None, icon, title: str, text: str, buttons) -> QMessageBox:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
    for role_button, label in buttons:
        box.addButton(role_button).setText(label)
    return box


def info(parent: QWidget | None, title: str, text: str) -> None:
    _box(parent, QMessageBox.Icon.Information, title, text, [(QMessageBox.StandardButton.Ok, OK)]).exec()


def warn(parent: QWidget | None, title: str, text: str) -> None:
    _box(parent, QMessageBox.Icon.Warning, title, text, [(QMessageBox.StandardButton.Ok, OK)]).exec()


def ask_yes_no(parent: QWidget | None, title: str, text: str, *, default_yes: bool = False) -> bool:
    """A Có/Không question. Enter and Escape answer Không unless `default_yes`: the questions asked so far
    throw typed work away (Hồ sơ mới) or write an imported file over the procedures in use, and a user who
    presses Enter by reflex must not have done either. `default_yes` is for a question whose Có loses nothing."""
    box = _box(parent, QMessageBox.Icon.Question, title, text,
               [(QMessageBox.StandardButton.Yes, YES), (QMessageBox.StandardButton.No, NO)])
    box.setDefaultButton(QMessageBox.StandardButton.Yes if default_yes else QMessageBox.StandardButton.No)
    box.setEscapeButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    """Expected errors as a plain Vietnamese message; anything else with a copyable trace (and logged). A job
    the user cancelled is his own choice, not a fault: said as information."""
    if isinstance(exc, Cancelled):
        info(parent, "Đã hủy", exc.message)
        return
    if isinstance(exc, DeskError):
        warn(parent, "Không thực hiện được", exc.message)
        return
    import logging

    logging.getLogger("tthc_desk.ui").error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    box = _box(parent, QMessageBox.Icon.Critical, "Lỗi không mong đợi",
               "Đã xảy ra lỗi không mong đợi. Dữ liệu đã lưu không bị ảnh hưởng.\n"
               "Bấm 'Hiện chi tiết' để sao chép và gửi cho bộ phận kỹ thuật.",
               [(QMessageBox.StandardButton.Ok, OK)])
    box.setDetailedText(details)
    for button in box.buttons():
        if box.buttonRole(button) == QMessageBox.ButtonRole.ActionRole:
            button.setText("Hiện chi tiết")
    box.exec()


def pick_open_file(parent: QWidget | None, title: str, folder: str = "", filters: str = "") -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, title, folder, filters)
    return nfc(path) or None


def pick_save_file(parent: QWidget | None, title: str, folder: str = "", filters: str = "") -> str | None:
    """The chosen path, ending in one of the filter's suffixes (`with_suffix`), or None when cancelled."""
    path, _ = QFileDialog.getSaveFileName(parent, title, folder, filters)
    return with_suffix(nfc(path), filters) if path else None


def with_suffix(path: str, filters: str) -> str:
    """`path` with the filter's first suffix added when the name ends in none of them: a name typed without
    ".xlsx" (Windows' dialog adds it, other dialogs may not) is still saved as what it is."""
    suffixes = tuple(re.findall(r"\*(\.\w+)", filters))
    if suffixes and not path.lower().endswith(suffixes):
        path += suffixes[0]
    return path


def clipboard_text() -> str:
    return nfc(QApplication.clipboard().text())


def pick_printer(parent: QWidget | None):
    """The print dialog; the chosen QPrinter, or None when cancelled."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    return printer if dialog.exec() == QPrintDialog.DialogCode.Accepted else None


def print_pdf_document(document, printer) -> None:
    """Print every page of a QPdfDocument, each scaled to the printer's page."""
    from PySide6.QtGui import QPainter

    painter = QPainter(printer)
    try:
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            rect = painter.viewport()
            image = document.render(page, rect.size())
            painter.drawImage(rect, image)
    finally:
        painter.end()
