"""The reports audit's findings, read where a user reads them: the JSON of the ReportService, the rows of the
Qt models, the letter through python-docx and pdftotext, the CLI's message."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date, datetime

import pytest
from docx import Document

from tthc_desk.cli.main import main as cli_main
from tthc_desk.errors import ValidationError
from tthc_desk.reports import DrillCriteria, Period, month
from tthc_desk.services.intake import IntakeForm

MARCH, APRIL, MAY = month(2025, 3), month(2025, 4), month(2025, 5)
NOT_BEGUN = ("Kỳ báo cáo bắt đầu từ ngày 01/05/2025, sau thời điểm hiện tại (09:00 ngày 10/04/2025): "
             "chưa có số liệu.")


def _dt(text: str) -> datetime:
    return datetime.strptime(text, "%d/%m/%Y %H:%M")


def _pdf_text(path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (poppler-utils)")
    out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True)
    return " ".join(out.stdout.decode("utf-8").split())


def _account(analysis: dict, unit: str) -> dict:
    return next(a for a in analysis["accountability"] if a["unit"] == unit)


# ----- 1. the officer named belongs to the unit that answers --------------------------------------------------
@pytest.fixture
def handlers(services, clock, desk_user, specialist, leader, units, desk_unit_id, make_procedure):
    """March 2025, procedure of 2 working days led by Phòng Tư pháp. Received by the desk officer:
    K1 Tư pháp's step (1 day) overran; its specialist records the (late) result and so closes the step.
    K2 Tư pháp hands it back within its share; the desk then holds it past its due time (the desk answers).
    K3 Tư pháp's step (1 day) overran; the desk officer records the (late) result and so closes the step."""
    proc = make_procedure(2, "working_days", lead_unit_id=units["tu_phap"])
    wf, codes = services.workflow, {}

    def at(text: str) -> None:
        clock.set(_dt(text))

    def new(name: str, when: str) -> str:
        at(when)
        codes[name] = services.intake.register(desk_user, IntakeForm(procedure_id=proc,
                                                                     applicant_name=f"Người nộp {name}")).code
        return codes[name]

    k1, k3 = new("K1", "03/03/2025 08:00"), new("K3", "03/03/2025 08:00")
    at("03/03/2025 08:10")
    wf.transfer(desk_user, k1, units["tu_phap"], share_days=1)
    at("03/03/2025 08:20")
    wf.transfer(desk_user, k3, units["tu_phap"], share_days=1)
    k2 = new("K2", "03/03/2025 09:00")
    at("03/03/2025 09:10")
    wf.transfer(desk_user, k2, units["tu_phap"], share_days=0.5)
    at("03/03/2025 10:00")
    wf.transfer(specialist, k2, desk_unit_id)
    at("05/03/2025 09:00")
    wf.record_result(specialist, k1)
    at("05/03/2025 10:00")
    wf.record_result(desk_user, k3)
    at("10/04/2025 09:00")
    return codes


def test_the_desk_officer_is_not_named_for_another_units_lateness(services, handlers, leader, units):
    analysis = services.reports.analysis(leader, MARCH).as_dict()
    tp = _account(analysis, "Phòng Tư pháp")
    assert (tp["late_caused"], tp["resolved_late"], tp["still_overdue"]) == (2, 2, 0)
    # K1: Tư pháp's own specialist; K3: closed by the desk officer, so no officer of Tư pháp is on record
    assert sorted((o["name"], o["cases"]) for o in tp["officers"]) == [
        ("Chưa ghi nhận cán bộ", 1), ("Lê Văn Chuyên", 1)]
    assert sum(o["cases"] for o in tp["officers"]) == tp["late_caused"]
    desk = _account(analysis, "Bộ phận Một cửa")
    assert (desk["late_caused"], desk["still_overdue"]) == (1, 1)  # K2: the desk's own step overran
    assert desk["officers"] == [{"officer_id": desk["officers"][0]["officer_id"], "name": "Nguyễn Thị Tiếp Nhận",
                                 "cases": 1}]
    notes = {r.code: r.note for r in services.reports.drill(
        leader, DrillCriteria(MARCH, "late_caused", units["tu_phap"]))}
    assert notes[handlers["K3"]].startswith("Trách nhiệm: Phòng Tư pháp – Chưa ghi nhận cán bộ;")
    assert notes[handlers["K1"]].startswith("Trách nhiệm: Phòng Tư pháp – Lê Văn Chuyên;")


def test_march_names_no_officer_for_tu_phap(march):
    """The hand-counted month: the desk officer received every case and recorded every result; Tư pháp's
    late cases (C2, C9) have no officer of Tư pháp on record."""
    tp = _account(march.services.reports.analysis(march.leader, MARCH).as_dict(), "Phòng Tư pháp")
    assert tp["officers"] == [{"officer_id": None, "name": "Chưa ghi nhận cán bộ", "cases": 2}]


# ----- 2. each column of the accountability table opens exactly its cases --------------------------------------
@pytest.mark.gui
def test_accountability_columns_drill_to_the_cases_they_count(march, qtbot):
    from PySide6.QtCore import Qt

    from ui.reports.models import FIGURE_ROLE, AccountModel

    svc = march.services.reports
    analysis = svc.analysis(march.leader, MARCH)
    model = AccountModel()
    model.set_accounts(analysis.accounts, analysis.officer_names)
    opened = {}
    for r in range(model.rowCount()):
        unit = model.index(r, 0).data(Qt.ItemDataRole.DisplayRole)
        for c in (1, 2, 3):
            index = model.index(r, c)
            rows = svc.drill(march.leader, DrillCriteria(MARCH, index.data(FIGURE_ROLE), analysis.accounts[r].unit_id))
            assert str(len(rows)) == index.data(Qt.ItemDataRole.DisplayRole), (unit, c)
            opened[unit, c] = {row.code for row in rows}
    code = march.codes
    assert opened["Phòng Tư pháp", 2] == {code["C2"]} and opened["Phòng Tư pháp", 3] == {code["C9"]}
    assert opened["Phòng Tài nguyên và Môi trường", 2] == {code["C4"], code["C5"]}
    assert opened["Phòng Tài nguyên và Môi trường", 3] == {code["C13"]}
    tp_row = next(r for r in range(model.rowCount()) if analysis.accounts[r].label == "Phòng Tư pháp")
    assert model.index(tp_row, 4).data(Qt.ItemDataRole.DisplayRole) == "Chưa ghi nhận cán bộ (2)"


# ----- 3. a period not yet begun is refused ---------------------------------------------------------------------
def test_a_period_not_yet_begun_is_refused(march, capsys, tmp_path):
    svc = march.services.reports
    with pytest.raises(ValidationError) as raised:
        svc.analysis(march.leader, MAY)
    assert raised.value.message == NOT_BEGUN
    with pytest.raises(ValidationError):
        svc.export_letter(march.leader, MAY, tmp_path / "l.docx")
    assert not (tmp_path / "l.docx").exists()
    # a period under way is judged now, as before
    assert svc.report(march.leader, APRIL).as_of == datetime(2025, 4, 10, 9, 1)
    assert svc.report(march.leader, Period(date(2025, 4, 10), date(2025, 4, 30))).as_of == datetime(2025, 4, 10, 9, 1)
    url = march.services.db.url
    for args in (["report", "--from", "2025-05-01", "--to", "2025-05-31", "--json"],
                 ["letter", "--month", "2025-05", "-o", str(tmp_path / "cv.docx")]):
        code = cli_main(["--db", url, "--now", "2025-04-10 09:00", "--user", "lanhdao", *args])
        out, err = capsys.readouterr()
        assert (code, err.strip()) == (2, f"Lỗi: {NOT_BEGUN}")
        assert (json.loads(out) if "--json" in args else out) == ({"error": NOT_BEGUN} if "--json" in args else "")


@pytest.mark.gui
def test_the_reports_page_says_a_period_has_not_begun(march, qtbot, monkeypatch):
    from PySide6.QtCore import QDate

    from ui import dialogs
    from ui.reports.page import ReportsPage
    from ui.tasks import use_inline_executor

    shown: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _p, exc: shown.append(exc.message))
    use_inline_executor(True)
    try:
        page = ReportsPage(march.services, march.leader)
        qtbot.addWidget(page)
        assert shown == []
        page.date_to.setDate(QDate(2025, 5, 31))
        page.date_from.setDate(QDate(2025, 5, 1))
        page.refresh()
    finally:
        use_inline_executor(False)
    assert shown and shown[-1] == NOT_BEGUN


# ----- 4, 5. the letter of a month not yet over says where its figures stop; "Kính gửi: " keeps its space -----
def test_the_letter_of_a_running_month_says_its_figures_are_partial(march, tmp_path):
    svc = march.services.reports
    doc = Document(svc.export_letter(march.leader, APRIL, tmp_path / "l.docx"))
    words = " ".join(p.text for p in doc.paragraphs)
    pdf = _pdf_text(svc.export_letter(march.leader, APRIL, tmp_path / "l.pdf"))
    partial = "từ ngày 01/04/2025 đến ngày 30/04/2025; số liệu tính đến 09:01 ngày 10/04/2025"
    for text in (words, pdf):
        assert f"giải quyết TTHC tháng 4 năm 2025 ({partial}) như sau:" in text
        assert f"Kỳ báo cáo: {partial}" in text  # the annex
    done = " ".join(p.text for p in Document(svc.export_letter(march.leader, MARCH, tmp_path / "m.docx")).paragraphs)
    assert "(từ ngày 01/03/2025 đến ngày 31/03/2025) như sau:" in done and "số liệu tính đến" not in done
    assert "Kính gửi: Thủ trưởng các cơ quan, đơn vị thuộc UBND huyện; Chủ tịch UBND các xã, thị trấn." in [
        p.text for p in doc.paragraphs]


# ----- 6. a case is overdue after its due minute, not at it -----------------------------------------------------
def test_a_case_is_not_overdue_at_its_due_minute(march):
    """C10 (Tài nguyên, open) is due 02/04/2025 09:00: the report agrees with the queue ("còn 0 phút") at 09:00
    and counts it overdue from 09:01. C13's result at 09:00 (the same minute) still counts."""
    svc, clock, tnmt, code = march.services.reports, march.clock, march.units["tnmt"], march.codes["C10"]

    def read() -> tuple[dict, dict, list, list]:
        analysis = svc.analysis(march.leader, APRIL).as_dict()
        row = next(r for r in analysis["report"]["rows"] if r["key"] == tnmt)
        overdue = svc.drill(march.leader, DrillCriteria(APRIL, "pending_overdue", tnmt))
        within = svc.drill(march.leader, DrillCriteria(APRIL, "pending_within", tnmt))
        return row, _account(analysis, "Phòng Tài nguyên và Môi trường"), overdue, within

    clock.set(_dt("02/04/2025 09:00"))
    row, account, overdue, within = read()
    assert (row["resolved"], row["late"], row["pending_within"], row["pending_overdue"]) == (1, 1, 1, 0)
    assert (account["late_caused"], account["still_overdue"]) == (1, 0)  # C13 only
    assert overdue == [] and [(r.code, r.timeliness) for r in within] == [(code, "Đang giải quyết, trong hạn")]
    clock.set(_dt("02/04/2025 09:01"))
    row, account, overdue, within = read()
    assert (row["pending_within"], row["pending_overdue"]) == (0, 1)
    assert (account["late_caused"], account["still_overdue"]) == (2, 1)
    assert [(r.code, r.timeliness) for r in overdue] == [(code, "Đang giải quyết, quá hạn")] and within == []
    # a month judged at its end (24:00), or in its last minute, counts as it does later on
    march_later = svc.report(march.leader, MARCH).total.counts
    for moment in ("31/03/2025 23:59", "01/04/2025 00:00"):
        clock.set(_dt(moment))
        assert svc.report(march.leader, MARCH).total.counts == march_later, moment
