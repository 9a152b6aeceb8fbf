"""The workbook read back cell by cell, the PDFs through pdftotext, the letter through python-docx; the CLI."""

from __future__ import annotations

import json
import shutil
import subprocess

import openpyxl
import pytest
from docx import Document

from tthc_desk import files
from tthc_desk.cli.main import main as cli_main
from tthc_desk.errors import ExportFailed
from tthc_desk.reports import month
from tthc_desk.reports.form import FORM_TITLE

MARCH = month(2025, 3)


def _pdf_text(path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (poppler-utils)")
    out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True)
    return " ".join(out.stdout.decode("utf-8").split())


def test_workbook_cells(march, tmp_path):
    path = march.services.reports.export_form(march.leader, MARCH, tmp_path / "b.xlsx")
    ws = openpyxl.load_workbook(path, data_only=True)["Biểu II.06a"]
    assert ws["A1"].value == "Biểu số II.06a/VPCP/KSTT"
    assert ws["A4"].value == FORM_TITLE
    assert ws["A5"].value == "Kỳ báo cáo: Từ ngày 01/03/2025 đến ngày 31/03/2025"
    assert ws["N1"].value.startswith("Đơn vị báo cáo:") and ws["N3"].value == "Đơn vị tính: Số hồ sơ TTHC"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A8:A10", "B8:B10", "C8:F8", "G8:M8", "C9:C10", "D9:F9", "G9:J9", "K9:M9", "A4:S4"} <= merged
    assert [ws.cell(10, c).value for c in range(4, 14)] == [
        "Số mới tiếp nhận trực tuyến", "Số mới tiếp nhận trực tiếp, dịch vụ bưu chính", "Số kỳ trước chuyển qua",
        "Tổng số", "Trước hạn", "Đúng hạn", "Quá hạn", "Tổng số", "Trong hạn", "Quá hạn"]
    assert [ws.cell(11, c).value for c in (1, 13, 19)] == ["(1)", "(13)", "(19)"]
    assert [ws.cell(12, c).value for c in range(1, 20)] == [
        1, "Phòng Tư pháp", 6, 1, 3, 2, 4, 1, 2, 1, 2, 1, 1, 1, 1, 0, 0, 0, 75.0]
    assert [ws.cell(13, c).value for c in range(2, 20)] == [
        "Phòng Tài nguyên và Môi trường", 4, 0, 3, 1, 2, 0, 0, 2, 2, 1, 1, 0, 1, 1, 0, 2, 0.0]
    assert ws.cell(14, 1).value == "Tổng cộng" and "A14:B14" in merged
    assert [ws.cell(14, c).value for c in range(3, 20)] == [10, 1, 6, 3, 6, 1, 2, 3, 4, 2, 2, 1, 2, 1, 0, 2, 50.0]
    formulas = openpyxl.load_workbook(path)["Biểu II.06a"]
    assert formulas["C14"].value == "=SUM(C12:C13)"


def test_form_pdf_text(march, tmp_path):
    path = march.services.reports.export_form(march.leader, MARCH, tmp_path / "b.pdf")
    text = _pdf_text(path)
    assert "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH" in text
    assert "Phòng Tư pháp 6 1 3 2 4 1 2 1 2 1 1 1 1 0 0 0 75,00" in text
    assert "Tổng cộng 10 1 6 3 6 1 2 3 4 2 2 1 2 1 0 2 50,00" in text
    assert "= 3/6 = 50,00 %" in text and "= 2/7 = 28,57 %" in text


def test_letter_pdf_and_docx(march, tmp_path):
    svc = march.services.reports
    pdf = _pdf_text(svc.export_letter(march.leader, MARCH, tmp_path / "l.pdf"))
    doc = Document(svc.export_letter(march.leader, MARCH, tmp_path / "l.docx"))
    words = " ".join(p.text for p in doc.paragraphs)
    cells = " ".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    for text in (pdf, words):
        assert "tháng 3 năm 2025" in text
        assert "Tỷ lệ giải quyết hồ sơ đúng hạn: 50,00 % (3/6 hồ sơ đã giải quyết" in text
        assert "chưa đạt chỉ tiêu 95 %" in text
        assert "Số hồ sơ giải quyết trễ hạn: 3/6 hồ sơ, chiếm 50,00 %" in text
        assert "trên 5 %: Phòng Tài nguyên và Môi trường 100,00 %; Phòng Tư pháp 25,00 %" in text
        assert "1 hồ sơ có văn bản xin lỗi gửi đúng thời hạn, 1 hồ sơ gửi văn bản xin lỗi muộn, 3 hồ sơ chưa" in text
        assert "Chờ xác minh nguồn gốc đất (1 hồ sơ)" in text
    assert "Số: ……/UBND-KSTT" in pdf and "PHỤ LỤC" in pdf and "Nơi nhận:" in pdf
    assert "Số: ……/UBND-KSTT" in cells and "Phòng Tư pháp" in cells and "75,00" in cells and "Tổng cộng" in cells


@pytest.mark.parametrize("name", ["b.xlsx", "b.pdf", "l.docx", "l.pdf"])
def test_a_report_over_a_file_held_open_keeps_that_file_and_says_so(march, tmp_path, monkeypatch, name):
    """Re-exporting the month while last time's file is open in Excel or Word (Windows refuses to replace it):
    a plain message, the open file as it was, nothing left beside it; once closed, the export goes through."""
    svc = march.services.reports
    export = svc.export_form if name.startswith("b") else svc.export_letter
    folder = tmp_path / "bao-cao"
    folder.mkdir()
    target = folder / name
    target.write_bytes(b"last month's file")
    real_replace = files.os.replace

    def held_open(_src, _dst):
        raise PermissionError(13, "The process cannot access the file because it is being used by another process")

    monkeypatch.setattr(files.os, "replace", held_open)
    with pytest.raises(ExportFailed) as raised:
        export(march.leader, MARCH, target)
    holder = {"b.xlsx": "Excel", "l.docx": "Word"}.get(name, "trình đọc PDF")
    assert raised.value.message.startswith(f"Không ghi được tệp '{name}': tệp đang mở trong {holder} hoặc")
    assert target.read_bytes() == b"last month's file"
    assert [p.name for p in folder.iterdir()] == [name]
    monkeypatch.setattr(files.os, "replace", real_replace)
    export(march.leader, MARCH, target)
    assert target.read_bytes()[:4] in (b"PK\x03\x04", b"%PDF")
    assert [p.name for p in folder.iterdir()] == [name]


def test_a_report_into_a_new_folder_makes_it(march, tmp_path):
    path = march.services.reports.export_form(march.leader, MARCH, tmp_path / "2025" / "thang-3" / "b.xlsx")
    assert path.exists() and openpyxl.load_workbook(path)["Biểu II.06a"]["A1"].value == "Biểu số II.06a/VPCP/KSTT"


def _cli(march, capsys, *args) -> tuple[int, str]:
    url = march.services.db.url
    code = cli_main(["--db", url, "--now", "2025-04-10 09:00", "--user", "lanhdao", *args])
    return code, capsys.readouterr().out


def test_cli_report_and_letter(march, capsys, tmp_path):
    code, out = _cli(march, capsys, "report", "--from", "2025-03-01", "--to", "2025-03-31", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["report"]["total"]["total"] == 10
    assert data["report"]["total"]["rates"]["resolved"]["text"] == "50,00 %"
    assert [f["text"] for f in data["flags"]["late_above_limit"]] == ["100,00 %", "25,00 %"]
    code, out = _cli(march, capsys, "report", "--from", "2025-03-01", "--to", "2025-03-31", "--by", "field")
    assert code == 0 and "Hộ tịch" in out and "= 3/6 = 50,00 %" in out
    for name in ("f.xlsx", "f.pdf"):
        flag = "--xlsx" if name.endswith("xlsx") else "--pdf"
        assert _cli(march, capsys, "report", "--from", "2025-03-01", "--to", "2025-03-31", flag,
                    str(tmp_path / name))[0] == 0
        assert (tmp_path / name).stat().st_size > 1000
    assert _cli(march, capsys, "letter", "--month", "2025-03", "-o", str(tmp_path / "cv.docx"))[0] == 0
    assert (tmp_path / "cv.docx").exists()
    assert cli_main(["--db", march.services.db.url, "letter", "--month", "2025-3x", "-o", "x.docx"]) == 2
