"""Importing a catalogue file: pick it, dry run, show the counts, confirm, import, show the report."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from tthc_desk.services.base import Actor
from tthc_desk.services.catalogue import CatalogueImportReport
from ui import dialogs
from ui.settings.common import close_box, run_long

FILE_FILTER = "Danh mục thủ tục (*.xlsx *.xls *.csv);;Tất cả các tệp (*)"


def counts_text(report: CatalogueImportReport) -> str:
    return (f"Tệp {report.source}\n"
            f"Số dòng đọc được: {report.rows}\n"
            f"Thủ tục mới: {report.new}\nCập nhật: {report.updated}\nKhông đổi: {report.unchanged}\n"
            f"Cần xác nhận thời hạn: {report.needs_review}\nCảnh báo: {len(report.warnings)}")


class ImportReportDialog(QDialog):
    """The counts and every warning of an import, copyable."""

    def __init__(self, report: CatalogueImportReport, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Kết quả nhập danh mục")
        self.resize(720, 480)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(counts_text(report)))
        warnings = QPlainTextEdit("\n".join(report.warnings) or "Không có cảnh báo.")
        warnings.setReadOnly(True)
        layout.addWidget(QLabel("Cảnh báo:"))
        layout.addWidget(warnings)
        layout.addWidget(close_box(self))

    @classmethod
    def show_report(cls, parent: QWidget | None, report: CatalogueImportReport) -> None:
        cls(report, parent).exec()


class CatalogueImport(QObject):
    """One import run; emits `imported` after the real import has been written."""

    imported = Signal(object)

    def __init__(self, services, actor: Actor, parent: QWidget) -> None:
        super().__init__(parent)
        self.services, self.actor, self.widget = services, actor, parent
        self.path: str | None = None

    def start(self) -> None:
        self.path = dialogs.pick_open_file(self.widget, "Chọn tệp danh mục thủ tục", "", FILE_FILTER)
        if not self.path:
            return
        path = self.path
        run_long(self.widget, lambda: self.services.catalogue.import_file(self.actor, path, dry_run=True),
                 self._on_dry_run_done, "Đang đọc thử tệp danh mục…")

    def _on_dry_run_done(self, report: CatalogueImportReport) -> None:
        question = counts_text(report) + "\n\nChưa có gì được ghi. Nhập các thủ tục này vào danh mục?"
        if not dialogs.ask_yes_no(self.widget, "Nhập danh mục thủ tục", question):
            return
        path = self.path
        run_long(self.widget, lambda: self.services.catalogue.import_file(self.actor, path),
                 self._on_import_done, "Đang nhập danh mục…")

    def _on_import_done(self, report: CatalogueImportReport) -> None:
        self.imported.emit(report)
        ImportReportDialog.show_report(self.widget, report)
