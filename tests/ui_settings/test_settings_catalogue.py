"""Catalogue tab: editing a procedure saves it and clears 'cần xác nhận'; importing a file dry-runs first."""

from __future__ import annotations

from tthc_desk.domain import DurationUnit
from tthc_desk.paths import resource_path
from ui.settings import SettingsPage
from ui.settings.catalogue_import import ImportReportDialog
from ui.settings.catalogue_model import ProcedureTableModel
from ui.settings.procedure_dialog import ProcedureDialog


def _doubtful_procedure(services, admin) -> int:
    return services.catalogue.save(admin, None, code="1.001193", name="Thủ tục đăng ký khai sinh",
                                   field_name="Hộ tịch", durations={"direct": (None, None)}, confirmed=False)


def test_edit_procedure_saves_and_clears_review(qtbot, services, admin, monkeypatch, type_vietnamese):
    pid = _doubtful_procedure(services, admin)
    page = SettingsPage(services, admin)
    qtbot.addWidget(page)
    tab = page.catalogue
    assert tab.model.rowCount() == 1
    assert tab.model.data(tab.model.index(0, ProcedureTableModel.COL_REVIEW)).startswith("⚠")
    tab.only_review.setChecked(True)
    assert tab.model.rowCount() == 1

    def fill_and_accept(dialog: ProcedureDialog):
        assert not dialog.confirmed.isChecked()  # opened as 'cần xác nhận'
        row = dialog.durations["direct"]
        row.unit.setCurrentIndex(row.unit.findData(str(DurationUnit.WORKING_DAYS)))
        row.amount.setValue(3)
        dialog.papers.model.append({"name": "", "originals": 1, "certified": 0, "photocopies": 0})
        index = dialog.papers.model.index(0, 0)
        dialog.papers.view.setCurrentIndex(index)
        editor = dialog.papers.view.indexWidget(index)
        assert editor is None  # edited through the model, as the delegate would
        dialog.papers.model.setData(index, "Tờ khai đăng ký khai sinh")
        type_vietnamese(dialog.fee, "Miễn lệ phí")
        dialog.warning_hours.setValue(4)
        dialog.confirmed.setChecked(True)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(ProcedureDialog, "exec", fill_and_accept)
    tab.view.setCurrentIndex(tab.proxy.index(0, 0))
    tab.edit_button.click()

    saved = services.catalogue.get(admin, pid)
    assert not saved.needs_review
    assert saved.raw["direct"] == (3.0, "working_days")
    assert saved.durations["direct"] == "3 ngày làm việc"
    assert saved.papers == [{"name": "Tờ khai đăng ký khai sinh", "originals": 1, "certified": 0, "photocopies": 0}]
    assert saved.fee == "Miễn lệ phí"
    assert saved.warning_minutes == 240
    assert tab.model.rowCount() == 0  # the 'cần xác nhận' filter is still on
    tab.only_review.setChecked(False)
    assert tab.model.data(tab.model.index(0, ProcedureTableModel.COL_REVIEW)) == "Đã xác nhận"


def test_confirm_without_duration_stays_open_with_message(qtbot, services, admin):
    pid = _doubtful_procedure(services, admin)
    dialog = ProcedureDialog(services, admin, services.catalogue.get(admin, pid))
    qtbot.addWidget(dialog)
    dialog.confirmed.setChecked(True)
    dialog.accept()
    assert dialog.result() != ProcedureDialog.DialogCode.Accepted
    assert "thời hạn" in dialog.error.text()
    assert services.catalogue.get(admin, pid).needs_review


def test_import_dry_runs_then_asks_then_reports(qtbot, services, admin, seams, monkeypatch):
    reports = []
    monkeypatch.setattr(ImportReportDialog, "show_report", classmethod(lambda cls, parent, r: reports.append(r)))
    seams.open_file = str(resource_path("data", "thu_tuc_cap_xa.csv"))
    page = SettingsPage(services, admin)
    qtbot.addWidget(page)

    seams.answer = False
    page.catalogue.import_button.click()
    assert "Chưa có gì được ghi" in seams.questions[-1]
    assert page.catalogue.model.rowCount() == 0 and services.catalogue.search(admin, limit=5) == []

    seams.answer = True
    page.catalogue.import_button.click()
    assert len(reports) == 1 and not reports[0].dry_run and reports[0].new > 500
    assert f"Thủ tục mới: {reports[0].new}" in seams.questions[-1]
    assert page.catalogue.model.rowCount() == reports[0].new
    assert not seams.errors
