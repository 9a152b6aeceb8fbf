"""Mẫu 06 with cases imported from the portal, which the book never numbered (DOMAIN §3: the register is
numbered continuously through the year, its number separate from the case code): the book's numbered cases
first, TT their number, then the imported ones in order of receipt under a row saying so, with no TT; the
workbook and the printed register agree."""

from __future__ import annotations

import re
from datetime import date, datetime

import openpyxl
import pytest

from tthc_desk.services.intake import IntakeForm

HEADING = "Hồ sơ nhập từ tệp của Cổng dịch vụ công (không có số thứ tự trong sổ)"
# received before the desk's cases, and not in the order of their codes
IMPORTED = (("CONG-0001", datetime(2025, 1, 20, 9, 0)), ("CONG-0002", datetime(2025, 1, 10, 14, 0)),
            ("CONG-0003", datetime(2025, 2, 1, 8, 0)))  # fmt: skip
BY_RECEIPT = ["CONG-0002", "CONG-0001", "CONG-0003"]


@pytest.fixture()
def office(tay_son_office, tmp_path):
    """Three cases registered at the desk (numbers 1-3 of 2025's book) and three imported from the portal."""
    sv, admin, clock, _db, pid = tay_son_office
    desk = []
    for day, name in ((3, "Nguyễn Văn An"), (4, "Trần Thị Bình"), (5, "Lê Văn Cường")):
        clock.set(datetime(2025, 2, day, 9, 30))
        result = sv.intake.register(admin, IntakeForm(procedure_id=pid, applicant_name=name))
        assert result.register_number == len(desk) + 1
        desk.append(result.code)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Số hồ sơ", "Người nộp", "Mã TTHC", "Tên thủ tục", "Tình trạng", "Ngày nhận", "Hạn xử lý"])
    for code, received in IMPORTED:
        ws.append(
            [
                code,
                f"Người nộp {code}",
                "1.004873",
                "Thủ tục cấp Giấy xác nhận tình trạng hôn nhân",
                "Đang xử lý",
                received,
                received.replace(day=received.day + 3),
            ]
        )
    wb.save(tmp_path / "cong.xlsx")
    imported = sv.sync.run_import(admin, tmp_path / "cong.xlsx")
    assert imported.counts["new"] == 3 and not imported.rejected
    return sv, admin, desk


def test_the_register_workbook_numbers_only_the_books_cases(office, tmp_path):
    sv, admin, desk = office
    out = tmp_path / "so.xlsx"
    assert sv.sync.export_register(admin, out, 2025) == 6  # cases, not rows
    ws = openpyxl.load_workbook(out).active
    lines = [[c.value for c in r] for r in ws.iter_rows(min_row=7)]
    assert [(ln[0], ln[1]) for ln in lines] == [
        (1, desk[0]), (2, desk[1]), (3, desk[2]),
        (HEADING, None),
        (None, BY_RECEIPT[0]), (None, BY_RECEIPT[1]), (None, BY_RECEIPT[2]),
    ]  # fmt: skip
    assert lines[3][1:] == [None] * 12  # the heading alone on its row, its words running across
    assert lines[4][7] == datetime(2025, 1, 10, 14, 0)  # the imported case's receipt, in its column
    numbers = [ln[0] for ln in lines if isinstance(ln[0], int)]
    assert len(numbers) == len(set(numbers))  # no TT given twice
    # a procedure's name or an address longer than its column wraps in it (Excel sizes the row), where it was
    # cut off at the filled cell beside it; the heading alone runs on across its row unwrapped
    rows = list(ws.iter_rows(min_row=7))
    assert rows[0][2].value == "Thủ tục cấp Giấy xác nhận tình trạng hôn nhân" and rows[0][2].alignment.wrap_text
    assert all(r[4].alignment.wrap_text for r in rows if r[4].value)
    assert rows[3][0].value == HEADING and not rows[3][0].alignment.wrap_text
    # and the row is as tall as its wrapped text (LibreOffice does not size rows itself): two lines here
    assert ws.row_dimensions[rows[0][0].row].height == 30 and ws.row_dimensions[rows[3][0].row].height is None


def test_the_printed_register_agrees(office, probe):
    sv, admin, desk = office
    text = probe.text(sv.documents.register(admin, date(2025, 1, 1), date(2025, 12, 31)))
    # each row's first line: its TT (if any) then the start of its code ("000.00.17.H10-" / "250203-0001")
    starts = re.findall(r"^ *(\d+)? +(000\.00\.17\.H10-|CONG-\d{4})", text, re.MULTILINE)
    assert starts == [("01", "000.00.17.H10-"), ("02", "000.00.17.H10-"), ("03", "000.00.17.H10-"),
                      ("", BY_RECEIPT[0]), ("", BY_RECEIPT[1]), ("", BY_RECEIPT[2])]  # fmt: skip
    flat = " ".join(text.split())
    assert flat.index(desk[2].split("-", 1)[1]) < flat.index(HEADING) < flat.index(BY_RECEIPT[0])
    assert flat.count(HEADING) == 1
