"""The sync page's first step and its files out: the queue, the cases changed for the portal, the register
(Mẫu 06), and the rows an import refused; each written on a worker thread, in the folder the user last saved
one in."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from tthc_desk.services.queue import QueueFilter
from tthc_desk.sync.writer import write_rejected
from ui import dialogs
from ui.i18n import fmt_datetime, tr
from ui.tasks import run_in_background

XLSX_OUT = "Bảng tính Excel (*.xlsx)"  # what is written
EXPORT_FOLDER = "exports"  # (`UserPrefs.last_folder`), as the queue's export


class FilesOut:
    """Mixed into `SyncPage`, whose state (`services`, `actor`, `prefs`, `plan`, `result`) these use; it builds
    the page's first step: the file to import, or the files out."""

    def _choose_step(self) -> QWidget:
        page = QWidget(self)
        box = QVBoxLayout(page)
        imp = QGroupBox(tr("Nhập hồ sơ từ tệp Excel của cổng"), page)
        row = QVBoxLayout(imp)
        row.addWidget(QLabel(tr("Chọn tệp danh sách hồ sơ xuất từ cổng (.xlsx, .xls, .csv). Phần mềm tìm dòng "
                                "tiêu đề, nhận cột theo tên và cho xem trước; chưa ghi gì cho đến khi bấm Nhập."),
                             imp, wordWrap=True))  # fmt: skip
        self.choose_button = QPushButton(tr("&Chọn tệp Excel…"), imp)
        row.addWidget(self.choose_button, 0, Qt.AlignmentFlag.AlignLeft)
        box.addWidget(imp)
        exp = QGroupBox(tr("Xuất dữ liệu"), page)
        grid = QVBoxLayout(exp)
        self.export_queue_button = QPushButton(tr("Xuất &hàng đợi hiện tại…"), exp)
        self.export_changed_button = QPushButton(tr("Xuất hồ sơ &thay đổi từ lần xuất trước (để cập nhật lên cổng)…"), exp)
        self.last_export_label = QLabel(exp)
        year_row = QHBoxLayout()
        self.year_spin = QSpinBox(exp)
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(self.services.clock.now().year)
        self.export_register_button = QPushButton(tr("Xuất &sổ theo dõi hồ sơ (Mẫu 06) năm…"), exp)
        year_row.addWidget(self.export_register_button)
        year_row.addWidget(self.year_spin)
        year_row.addStretch(1)
        for w in (self.export_queue_button, self.export_changed_button, self.last_export_label):
            grid.addWidget(w, 0, Qt.AlignmentFlag.AlignLeft)
        grid.addLayout(year_row)
        box.addWidget(exp)
        box.addStretch(1)
        return page

    def _show_last_export(self) -> None:
        last = self.services.sync.last_export(self.actor)
        self.last_export_label.setText(tr("Lần xuất cập nhật gần nhất: {at}", at=fmt_datetime(last)) if last
                                       else tr("Chưa xuất cập nhật lần nào."))  # fmt: skip

    def _on_save_rejected_clicked(self) -> None:
        rows = self.result.rejected if self.result else []
        source = Path(self.plan.path) if self.plan is not None else None  # beside the file, named after it
        suggested = str(source.with_name(f"{source.stem}-dong-bi-tu-choi.xlsx")) if source else ""
        path = dialogs.pick_save_file(self, tr("Lưu các dòng bị từ chối"), suggested, XLSX_OUT)
        if path and rows:
            parsed = self.plan.parsed if self.plan is not None else None  # one table: the file's headers, every row
            self._export(lambda c: write_rejected(path, rows, cancel=c.is_set, source=parsed),
                         tr("Đã lưu {n} dòng bị từ chối vào {path}."), path)

    def _on_export_queue_clicked(self) -> None:
        path = dialogs.pick_save_file(self, tr("Xuất hàng đợi"), self._in_export_folder("hang-doi.xlsx"), XLSX_OUT)
        if path:
            s, a = self.services, self.actor
            self._export(lambda c: s.sync.export_cases(a, path, QueueFilter(), cancel=c.is_set), tr("Đã xuất {n} hồ sơ vào {path}."), path)

    def _on_export_changed_clicked(self) -> None:
        path = dialogs.pick_save_file(self, tr("Xuất hồ sơ thay đổi"), self._in_export_folder("ho-so-thay-doi.xlsx"),
                                      XLSX_OUT)  # fmt: skip
        if path:
            s, a = self.services, self.actor
            self._export(lambda c: s.sync.export_changed(a, path, cancel=c.is_set), tr("Đã xuất {n} hồ sơ thay đổi vào {path}."), path)

    def _on_export_register_clicked(self) -> None:
        year = self.year_spin.value()
        path = dialogs.pick_save_file(self, tr("Xuất sổ theo dõi hồ sơ"), self._in_export_folder(f"so-theo-doi-{year}.xlsx"),
                                      XLSX_OUT)  # fmt: skip
        if path:
            s, a = self.services, self.actor
            self._export(lambda c: s.sync.export_register(a, path, year, c.is_set), tr("Đã ghi sổ theo dõi ({n} hồ sơ) vào {path}."), path)

    def _in_export_folder(self, name: str) -> str:
        """`name` in the folder the user last saved an export in (the queue's Ctrl+E shares it)."""
        folder = self.prefs.last_folder(EXPORT_FOLDER) if self.prefs else ""
        return str(Path(folder) / name) if folder else name

    def _export(self, fn, message: str, path: str) -> None:
        def done(count: int) -> None:
            if self.prefs:
                self.prefs.set_last_folder(EXPORT_FOLDER, str(Path(path).parent))
            self._show_last_export()
            note = getattr(count, "note", "")  # (`RowsSaved`: the rows saved as read, the file having changed)
            dialogs.info(self, tr("Đã xuất"), message.format(n=count, path=path) + (f"\n\n{note}" if note else ""))

        run_in_background(fn, done, lambda exc: dialogs.show_error(self, exc), progress=tr("Đang ghi tệp…"), parent=self,
                          cancellable=True)
