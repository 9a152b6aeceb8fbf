"""Export workbooks with xlsxwriter in constant-memory mode: safe text, real datetimes, a fill per row.

Every `str` goes through `write_string`, so text beginning with `=`, `+`, `-` or `@` is stored as a
shared string, never as a formula, and reads back as exactly the same text (no apostrophe added).
Codes and ID numbers are passed as `str` and therefore stay text, leading zeros included.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import xlsxwriter

from tthc_desk.domain import Colour
from tthc_desk.sync.columns import FIELD_LABELS, FIELDS
from tthc_desk.sync.reader import PortalRow, RejectedRow

DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
DATE_FORMAT = "dd/mm/yyyy"
FILL_COLOURS: dict[str, str] = {
    Colour.RED: "#FFC7CE",
    Colour.AMBER: "#FFEB9C",
    Colour.GREEN: "#C6EFCE",
    Colour.GREY: "#D9D9D9",
}
_OPTIONS = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
            "strings_to_numbers": False}  # fmt: skip


class _Formats:
    """Cell formats created once per (kind, fill) pair; xlsxwriter needs them before writing."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.book = book
        self.cache: dict[tuple[str, str | None], Any] = {}

    def get(self, kind: str, fill: str | None) -> Any:
        key = (kind, fill)
        if key not in self.cache:
            props: dict[str, Any] = {"valign": "top"}
            if kind == "datetime":
                props["num_format"] = DATETIME_FORMAT
            elif kind == "date":
                props["num_format"] = DATE_FORMAT
            elif kind == "text":
                props["num_format"] = "@"
            if fill:
                props.update(bg_color=FILL_COLOURS.get(fill, fill), pattern=1)
            self.cache[key] = self.book.add_format(props)
        return self.cache[key]


def write_table(
    path: str | Path,
    title_lines: Sequence[str],
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    fills: Iterable[str | Colour | None] | None = None,
    *,
    sheet_name: str = "Danh sách",
    widths: Sequence[float] | None = None,
) -> int:
    """Write titles, a header row and `rows` (str, int, float, date, datetime, None); return the row count."""
    book = xlsxwriter.Workbook(str(path), _OPTIONS)
    try:
        sheet = book.add_worksheet(sheet_name[:31])
        formats = _Formats(book)
        title_fmt = book.add_format({"bold": True, "font_size": 13, "align": "center", "valign": "vcenter"})
        head_fmt = book.add_format({"bold": True, "border": 1, "text_wrap": True, "valign": "vcenter",
                                    "align": "center", "bg_color": "#DDEBF7", "pattern": 1})  # fmt: skip
        last_col = max(len(headers) - 1, 0)
        for col, width in enumerate(widths or [_width(h) for h in headers]):
            sheet.set_column(col, col, width)
        for r, line in enumerate(title_lines):
            if last_col:
                sheet.merge_range(r, 0, r, last_col, "", title_fmt)
            sheet.write_string(r, 0, line, title_fmt)
        header_row = len(title_lines) + (1 if title_lines else 0)
        for col, text in enumerate(headers):
            sheet.write_string(header_row, col, text, head_fmt)
        sheet.freeze_panes(header_row + 1, 0)
        fill_iter = iter(fills) if fills is not None else None
        count = 0
        for count, values in enumerate(rows, start=1):
            fill = next(fill_iter, None) if fill_iter is not None else None
            _write_row(sheet, header_row + count, values, formats, str(fill) if fill else None)
        sheet.autofilter(header_row, 0, header_row + count, last_col)
    finally:
        book.close()
    return count


def _write_row(sheet: Any, r: int, values: Sequence[Any], formats: _Formats, fill: str | None) -> None:
    for c, value in enumerate(values):
        if value is None or value == "":
            if fill:
                sheet.write_blank(r, c, None, formats.get("blank", fill))
        elif isinstance(value, str):
            sheet.write_string(r, c, value, formats.get("text", fill))
        elif isinstance(value, datetime):
            sheet.write_datetime(r, c, value, formats.get("datetime", fill))
        elif isinstance(value, date):
            sheet.write_datetime(
                r, c, datetime(value.year, value.month, value.day), formats.get("date", fill)
            )
        elif isinstance(value, bool):
            sheet.write_boolean(r, c, value, formats.get("blank", fill))
        elif isinstance(value, int | float):
            sheet.write_number(r, c, value, formats.get("blank", fill))
        else:
            sheet.write_string(r, c, str(value), formats.get("text", fill))


def _width(header: str) -> float:
    return min(max(len(header) + 4, 12), 40)


def case_values(row: PortalRow) -> list[Any]:
    """A PortalRow in FIELDS order, statuses and channels as their Vietnamese words."""
    values: list[Any] = []
    for name in FIELDS:
        value = getattr(row, name)
        values.append(value.label if hasattr(value, "label") else value)
    return values


def write_cases(
    path: str | Path,
    rows: Iterable[PortalRow],
    title_lines: Sequence[str] = ("DANH SÁCH HỒ SƠ",),
    fills: Iterable[str | Colour | None] | None = None,
) -> int:
    """Export cases in the portal's column words, so `read_cases_file` reads the same values back."""
    headers = [FIELD_LABELS[f] for f in FIELDS]
    return write_table(path, title_lines, headers, (case_values(r) for r in rows), fills)


def write_rejected(
    path: str | Path,
    rejected_rows: Sequence[RejectedRow],
    title_lines: Sequence[str] = ("CÁC DÒNG CHƯA NHẬP ĐƯỢC",),
) -> int:
    """The rejected rows with their original columns, source row number and reason, ready to correct."""
    headers: list[str] = []
    for rejected in rejected_rows:
        headers.extend(h for h in rejected.raw if h not in headers)
    extra = ["Dòng trong tệp gốc", "Lý do không nhập"]
    rows = ([r.raw.get(h, "") for h in headers] + [r.row_number, r.reason] for r in rejected_rows)
    fills = (Colour.RED for _ in rejected_rows)
    return write_table(path, title_lines, headers + extra, rows, fills)
