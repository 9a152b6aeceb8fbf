"""Biểu II.06a as an Excel workbook laid out like the official form (xlsxwriter)."""

from __future__ import annotations

import os
from pathlib import Path

import xlsxwriter

from tthc_desk.files import written_whole
from tthc_desk.reports.figures import Report
from tthc_desk.reports.form import (
    FORM_BASIS,
    FORM_CODE,
    FORM_TITLE,
    N_COLS,
    UNIT_OF_COUNT,
    as_of_words,
    body_values,
    header_cells,
    numbers_row,
    rate_notes,
)
from tthc_desk.text import nfc

HEAD_ROW = 7  # first header row (0-based): rows 0-6 hold the form's heading
WIDTHS = [5, 34, *([9] * 11), 8, 7, 7, 7, 9, 10]
FONT = "Times New Roman"


def _formats(wb):
    base = {"font_name": FONT, "font_size": 11, "text_wrap": True, "valign": "vcenter"}

    def f(**kw):
        return wb.add_format({**base, **kw})

    return {
        "code": f(italic=True, font_size=10), "title": f(bold=True, font_size=13, align="center"),
        "centre_i": f(italic=True, align="center"), "left": f(), "right": f(align="left"),
        "head": f(bold=True, align="center", border=1, font_size=10),
        "num_head": f(italic=True, align="center", border=1, font_size=10),
        "cell": f(border=1), "int": f(border=1, num_format="#,##0", align="center"),
        "rate": f(border=1, num_format='0.00', align="center"),
        "total_label": f(border=1, bold=True, align="center"),
        "total_int": f(border=1, bold=True, num_format="#,##0", align="center"),
        "total_rate": f(border=1, bold=True, num_format='0.00', align="center"),
        "note": f(italic=True, font_size=10, valign="top"), "sign": f(bold=True, align="center"),
        "sign_i": f(italic=True, align="center"),
    }


def write_xlsx(report: Report, path: str | os.PathLike, *, office: str, receiver: str, place_date: str) -> Path:
    """Write the form to `path`, whole or not at all (`written_whole`), and return it."""
    with written_whole(path, make_folder=True) as temporary:
        _build(report, str(temporary), office, receiver, place_date)
    return Path(path)


def _build(report: Report, path: str, office: str, receiver: str, place_date: str) -> None:
    wb = xlsxwriter.Workbook(path)
    fm = _formats(wb)
    ws = wb.add_worksheet("Biểu II.06a")
    for i, w in enumerate(WIDTHS):
        ws.set_column(i, i, w)
    last = N_COLS - 1
    ws.merge_range(0, 0, 0, 5, FORM_CODE, fm["code"])
    ws.merge_range(1, 0, 1, 5, FORM_BASIS, fm["code"])
    ws.merge_range(0, 13, 0, last, f"Đơn vị báo cáo: {nfc(office)}", fm["right"])
    ws.merge_range(1, 13, 1, last, f"Đơn vị nhận báo cáo: {nfc(receiver)}", fm["right"])
    ws.merge_range(2, 13, 2, last, UNIT_OF_COUNT, fm["right"])
    ws.merge_range(3, 0, 3, last, FORM_TITLE, fm["title"])
    ws.set_row(3, 22)
    ws.merge_range(4, 0, 4, last, f"Kỳ báo cáo: {report.period.text().lower().capitalize()}", fm["centre_i"])
    partial = as_of_words(report)
    ws.merge_range(5, 0, 5, last, f"({partial[:1].upper()}{partial[1:]})" if partial else "", fm["centre_i"])
    for cell in header_cells(report.group_by):
        r, c = HEAD_ROW + cell.row, cell.col
        if cell.rows > 1 or cell.cols > 1:
            ws.merge_range(r, c, r + cell.rows - 1, c + cell.cols - 1, cell.text, fm["head"])
        else:
            ws.write(r, c, cell.text, fm["head"])
    ws.set_row(HEAD_ROW + 2, 60)
    for c, text in enumerate(numbers_row()):
        ws.write(HEAD_ROW + 3, c, text, fm["num_head"])
    first = HEAD_ROW + 4
    for i, row in enumerate(report.rows):
        values, rate = body_values(row)
        ws.write_number(first + i, 0, i + 1, fm["int"])
        ws.write_string(first + i, 1, row.label, fm["cell"])
        for j, v in enumerate(values):
            ws.write_number(first + i, 2 + j, v, fm["int"])
        _rate(ws, first + i, rate, fm["rate"])
    total_r = first + len(report.rows)
    _total_row(ws, report, first, total_r, fm)
    ws.freeze_panes(first, 2)
    ws.repeat_rows(HEAD_ROW, HEAD_ROW + 3)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.6, right=0.4, top=0.6, bottom=0.6)
    _footer(ws, report, total_r + 2, place_date, fm)
    wb.close()


def _rate(ws, r: int, rate: float | None, fmt) -> None:
    if rate is None:
        ws.write_string(r, N_COLS - 1, "–", fmt)
    else:
        ws.write_number(r, N_COLS - 1, round(rate, 2), fmt)


def _total_row(ws, report: Report, first: int, r: int, fm) -> None:
    """Sums as formulas (kept editable) with their values cached, so readers without Excel see them too."""
    ws.merge_range(r, 0, r, 1, "Tổng cộng", fm["total_label"])
    values, rate = body_values(report.total)
    for j, v in enumerate(values):
        col = xlsxwriter.utility.xl_col_to_name(2 + j)
        formula = f"=SUM({col}{first + 1}:{col}{r})" if r > first else "=0"
        ws.write_formula(r, 2 + j, formula, fm["total_int"], v)
    _rate(ws, r, rate, fm["total_rate"])


def _footer(ws, report: Report, r: int, place_date: str, fm) -> None:
    last = N_COLS - 1
    for i, note in enumerate(rate_notes(report)):
        ws.merge_range(r + i, 0, r + i, last, f"Ghi chú {i + 1}: {note}", fm["note"])
        ws.set_row(r + i, 30)
    s = r + len(rate_notes(report)) + 1
    ws.merge_range(s, 12, s, last, place_date, fm["sign_i"])
    ws.merge_range(s + 1, 0, s + 1, 5, "NGƯỜI LẬP BIỂU", fm["sign"])
    ws.merge_range(s + 1, 12, s + 1, last, "THỦ TRƯỞNG ĐƠN VỊ", fm["sign"])
    ws.merge_range(s + 2, 0, s + 2, 5, "(Ký, ghi rõ họ tên)", fm["sign_i"])
    ws.merge_range(s + 2, 12, s + 2, last, "(Ký tên, đóng dấu)", fm["sign_i"])
