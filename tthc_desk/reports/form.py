"""Biểu II.06a/VPCP/KSTT as a table: header cells with their spans, numbered columns, body and total rows.
Shared by the workbook, the PDF and the letter's annex, so all three print the same words and numbers."""

from __future__ import annotations

from dataclasses import dataclass

from tthc_desk.reports.figures import Counts, Report, ReportRow, rates
from tthc_desk.reports.numbers import fmt_int, fmt_pct

FORM_CODE = "Biểu số II.06a/VPCP/KSTT"
FORM_BASIS = "Ban hành kèm theo Thông tư số 01/2020/TT-VPCP"
FORM_TITLE = ("TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC")
UNIT_OF_COUNT = "Đơn vị tính: Số hồ sơ TTHC"
DEFAULT_RECEIVER = "Văn phòng Ủy ban nhân dân tỉnh"
GROUP_WORDS = {"unit": "Đơn vị", "field": "Lĩnh vực"}
N_FORM, N_EXTRA = 13, 6
N_COLS = N_FORM + N_EXTRA


@dataclass(frozen=True)
class HeadCell:
    """A header cell at (row, col) spanning `rows` x `cols` (0-based within the 3 header rows)."""

    row: int
    col: int
    text: str
    rows: int = 1
    cols: int = 1


def as_of_words(report: Report) -> str:
    """'số liệu tính đến 23:01 ngày 22/11/2026' for a period not yet over (its `as_of`): the form's note under
    the period, and the letter's."""
    if report.as_of < report.period.end_at:
        return f"số liệu tính đến {report.as_of:%H:%M ngày %d/%m/%Y}"
    return ""


def header_cells(group_by: str) -> list[HeadCell]:
    return [
        HeadCell(0, 0, "STT", rows=3),
        HeadCell(0, 1, GROUP_WORDS[group_by], rows=3),
        HeadCell(0, 2, "Số hồ sơ nhận giải quyết", cols=4),
        HeadCell(0, 6, "Kết quả giải quyết", cols=7),
        HeadCell(0, 13, "Thông tin bổ sung (không tính trong cột 3)", cols=4),
        HeadCell(0, 17, "Hồ sơ quá hạn có văn bản xin lỗi", rows=3),
        HeadCell(0, 18, "Tỷ lệ giải quyết đúng hạn (%) (8+9)/(7)", rows=3),
        HeadCell(1, 2, "Tổng số", rows=2),
        HeadCell(1, 3, "Trong đó", cols=3),
        HeadCell(1, 6, "Số hồ sơ đã giải quyết", cols=4),
        HeadCell(1, 10, "Số hồ sơ đang giải quyết", cols=3),
        HeadCell(1, 13, "Chờ bổ sung (trong cột 12)", rows=2),
        HeadCell(1, 14, "Rút hồ sơ", rows=2),
        HeadCell(1, 15, "Từ chối", rows=2),
        HeadCell(1, 16, "Dừng xử lý", rows=2),
        HeadCell(2, 3, "Số mới tiếp nhận trực tuyến"),
        HeadCell(2, 4, "Số mới tiếp nhận trực tiếp, dịch vụ bưu chính"),
        HeadCell(2, 5, "Số kỳ trước chuyển qua"),
        HeadCell(2, 6, "Tổng số"),
        HeadCell(2, 7, "Trước hạn"),
        HeadCell(2, 8, "Đúng hạn"),
        HeadCell(2, 9, "Quá hạn"),
        HeadCell(2, 10, "Tổng số"),
        HeadCell(2, 11, "Trong hạn"),
        HeadCell(2, 12, "Quá hạn"),
    ]


def numbers_row() -> list[str]:
    return [f"({i})" for i in range(1, N_COLS + 1)]


def count_values(c: Counts) -> list[int]:
    """Columns 3…18 as integers (the rate, column 19, is separate)."""
    return [*c.form_columns(), c.waiting, c.withdrawn, c.refused, c.stopped, c.apologised]


def body_values(row: ReportRow) -> tuple[list[int], float | None]:
    return count_values(row.counts), rates(row.counts)["resolved"].value


def text_row(index: int | str, row: ReportRow) -> list[str]:
    """One line as printed text ('19.150', '93,96 %')."""
    values, rate = body_values(row)
    return [str(index), row.label, *[fmt_int(v) for v in values], fmt_pct(rate).replace(" %", "")]


def rate_notes(report: Report) -> list[str]:
    """How the rates of the total line were computed: formula, numerator, denominator, value."""
    t = report.total.counts
    out = [f"{r.name}: {r.formula} = {fmt_int(r.numerator)}/{fmt_int(r.denominator)} = {r.text}."
           for r in rates(t).values()]
    out.append("Hồ sơ rút, bị từ chối hoặc dừng xử lý trong kỳ không tính trong các cột (3)–(13), được thống kê riêng "
               "ở các cột (15)–(17); hồ sơ chờ bổ sung được tính là đang giải quyết trong hạn (cột 12). "
               "Quá hạn/đúng hạn tính theo hạn trả kết quả ban đầu (hẹn lại sau xin lỗi không làm thay đổi).")
    return out
