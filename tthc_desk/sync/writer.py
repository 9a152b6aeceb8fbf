"""Export workbooks with xlsxwriter in constant-memory mode: safe text, real datetimes, a fill per row.

Every `str` goes through `write_string`, so text beginning with `=`, `+`, `-` or `@` is stored as a
shared string, never as a formula, and reads back as exactly the same text (no apostrophe added).
Codes and ID numbers are passed as `str` and therefore stay text, leading zeros included.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import chain, repeat
from pathlib import Path
from typing import Any

import xlsxwriter

from tthc_desk.domain import Colour
from tthc_desk.errors import Cancelled, ExportFailed
from tthc_desk.files import refuse_overwriting, written_whole
from tthc_desk.sync.fields import FIELD_LABELS, FIELDS
from tthc_desk.sync.reader import ParsedFile, PortalRow, RejectedRow, rejected_cells

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


@dataclass(frozen=True, slots=True)
class _RowStyle:
    """The formats of one kind of row (one fill), looked up once per row rather than once per cell.

    `blank` is None for an unfilled row: an empty value there writes no cell at all.
    """

    text: Any
    datetime: Any
    date: Any
    other: Any
    blank: Any | None


class RunOn(str):
    """A text written unwrapped, running on over the empty cells beside it: a heading across a table's row.
    Every other text wraps within its column (a procedure's name, an address), as a printed list must show it
    whole, in a row made as tall as its longest text needs (`wrapped_lines`)."""

    __slots__ = ()


class RowsSaved(int):
    """The number of rows a save wrote, with `note`: what the user should be told about them beside the count
    ("" when nothing). An int, so a caller that only shows the count shows it as before."""

    note: str

    def __new__(cls, count: int, note: str = "") -> RowsSaved:
        saved = super().__new__(cls, count)
        saved.note = note
        return saved


LINE_HEIGHT = 15  # points: one line of the default 11-point font, as Excel spaces it


def wrapped_lines(text: str, width: float) -> int:
    """How many lines `text` takes wrapped in a column `width` characters wide, its words kept whole as Excel
    keeps them. Excel sizes a row to its wrapped text only when the file leaves the height unset, and
    LibreOffice does not at all: the height is written, from this count (a character counted as one digit's
    width, a little more than Vietnamese text needs on average, so that the estimate errs on the tall side)."""
    room = max(int(width) - 1, 1)
    if len(text) <= room and "\n" not in text:
        return 1
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used = 0
        for word in paragraph.split():
            size = len(word)
            if used and used + 1 + size <= room:
                used += 1 + size
                continue
            if used:
                lines += 1
            more = (size - 1) // room  # lines a word longer than the column runs on to
            lines, used = lines + more, size - more * room
    return max(lines, 1)


class _Styles:
    """A `_RowStyle` per fill, created on first use (xlsxwriter needs formats before the cells using them)."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.book = book
        self.cache: dict[str | None, _RowStyle] = {}

    def get(self, fill: str | Colour | None) -> _RowStyle:
        key = str(fill) if fill else None
        style = self.cache.get(key)
        if style is None:
            style = self.cache[key] = self._make(key)
        return style

    def _make(self, fill: str | None) -> _RowStyle:
        base: dict[str, Any] = {"valign": "top"}
        if fill:
            base.update(bg_color=FILL_COLOURS.get(fill, fill), pattern=1)
        plain = self.book.add_format(base)
        return _RowStyle(
            text=self.book.add_format({**base, "num_format": "@", "text_wrap": True}),
            datetime=self.book.add_format({**base, "num_format": DATETIME_FORMAT}),
            date=self.book.add_format({**base, "num_format": DATE_FORMAT}),
            other=plain,
            blank=plain if fill else None,
        )


def write_table(
    path: str | Path,
    title_lines: Sequence[str],
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    fills: Iterable[str | Colour | None] | None = None,
    *,
    sheet_name: str = "Danh sách",
    widths: Sequence[float] | None = None,
    cancel: Callable[[], bool] | None = None,
    form: FormHead | None = None,
) -> int:
    """Write titles, a header row and `rows` (str, int, float, date, datetime, None); return the row count.

    `fills` gives one fill per row, in step with `rows`; missing ones (or None) mean no fill. `cancel()`
    returning True stops the write (`ExportCancelled`), leaving no file. `form`: the header as a printed
    form has it (`FormHead`).
    """
    padded = chain(fills, repeat(None)) if fills is not None else repeat(None)
    filled = zip(rows, padded, strict=False)  # the fills never run out: padded with None
    return write_filled_table(path, title_lines, headers, filled, sheet_name=sheet_name, widths=widths,
                              cancel=cancel, form=form)


@dataclass(frozen=True)
class FormHead:
    """A form's header (Mẫu 06): `groups` are (first column, last column, words) headed together above their
    own headers, the other columns' headers spanning both rows; `numbered` adds the row (1), (2), … under it."""

    groups: tuple[tuple[int, int, str], ...] = ()
    numbered: bool = False


def write_filled_table(
    path: str | Path,
    title_lines: Sequence[str],
    headers: Sequence[str],
    lines: Iterable[tuple[Sequence[Any], str | Colour | None]],
    *,
    sheet_name: str = "Danh sách",
    widths: Sequence[float] | None = None,
    cancel: Callable[[], bool] | None = None,
    form: FormHead | None = None,
) -> int:
    """`write_table` for (values, fill) pairs, for callers that work out each row's fill with its values.

    The workbook is written to a temporary file beside `path` and moved over it only once complete: an
    error or a cancel while `lines` are produced leaves no half-written workbook that could pass for a whole
    export, and an earlier file of that name as it was."""
    if Path(path).suffix.lower() != ".xlsx":
        raise ExportFailed(f"Tệp xuất là bảng tính Excel: hãy đặt tên tệp có đuôi .xlsx (không phải "
                           f"'{Path(path).name}').")
    if cancel is not None:
        lines = _until_cancelled(lines, cancel)
    with written_whole(path) as temporary:
        book = xlsxwriter.Workbook(str(temporary), _OPTIONS)
        try:
            sheet = book.add_worksheet(sheet_name[:31])
            widths = list(widths or [_width(h) for h in headers])
            header_row = _write_head(book, sheet, title_lines, headers, widths, form or FormHead())
            rows = _DataRows(book, sheet, widths)
            count = 0
            for count, (values, fill) in enumerate(lines, start=1):
                rows.write(header_row + count, values, fill)
            sheet.autofilter(header_row, 0, header_row + count, max(len(headers) - 1, 0))
        except BaseException:
            with contextlib.suppress(Exception):  # only to remove xlsxwriter's own temporary row files
                book.close()
            raise
        book.close()
    return count


class ExportCancelled(Cancelled):
    """The user pressed Hủy while a workbook was being written: no file was written."""

    def __init__(self) -> None:
        super().__init__("Đã hủy xuất tệp theo yêu cầu; không có tệp nào được ghi.")


def _until_cancelled(lines: Iterable[Any], cancel: Callable[[], bool], every: int = 500) -> Iterator[Any]:
    for n, line in enumerate(lines):
        if not n % every and cancel():
            raise ExportCancelled()
        yield line


_HEAD = {"bold": True, "border": 1, "text_wrap": True, "valign": "vcenter", "align": "center", "bg_color": "#DDEBF7",
         "pattern": 1}


def _write_head(book: Any, sheet: Any, title_lines: Sequence[str], headers: Sequence[str],
                widths: Sequence[float] | None, form: FormHead) -> int:
    """Column widths, title lines, a blank line and the frozen header row(s); return the last header row. The
    titles start at the left edge, unmerged (their text runs on over the empty cells), so that they print on
    the first page rather than in the middle of a row of pages."""
    title_fmt = book.add_format({"bold": True, "font_size": 13, "valign": "vcenter"})
    head_fmt = book.add_format(_HEAD)
    for col, width in enumerate(widths or [_width(h) for h in headers]):
        sheet.set_column(col, col, width)
    for r, line in enumerate(title_lines):
        sheet.write_string(r, 0, line, title_fmt)
    first = header_row = len(title_lines) + (1 if title_lines else 0)
    if form.groups:  # the group's words above its columns' headers; every other header over both rows
        # (one box drawn over two cells rather than merged: the workbook is written row by row, and a merge
        # down into the next row would end the first before the rest of it is written)
        header_row += 1
        top = book.add_format({**_HEAD, "bottom": 0, "valign": "bottom"})
        below = book.add_format({**_HEAD, "top": 0})
        grouped = {c: (c0, c1, text) for c0, c1, text in form.groups for c in range(c0, c1 + 1)}
        sheet.set_row(first, 30)  # room for two lines of a heading; (rows are not fitted to text that spans them)
        sheet.set_row(header_row, 45)
        for col, text in enumerate(headers):
            if col not in grouped:
                sheet.write_string(first, col, text, top)
            elif grouped[col][0] == col:
                sheet.merge_range(first, col, first, grouped[col][1], grouped[col][2], head_fmt)
        for col, text in enumerate(headers):
            if col in grouped:
                sheet.write_string(header_row, col, text, head_fmt)
            else:
                sheet.write_blank(header_row, col, None, below)
    else:
        for col, text in enumerate(headers):
            sheet.write_string(header_row, col, text, head_fmt)
        lines = max((wrapped_lines(t, w) for t, w in zip(headers, widths or (), strict=False)), default=1)
        if lines > 1:
            sheet.set_row(header_row, LINE_HEIGHT * lines + 2)
    if form.numbered:  # (1), (2), …: how the form's columns are cited
        header_row += 1
        for col in range(len(headers)):
            sheet.write_string(header_row, col, f"({col + 1})", head_fmt)
    sheet.freeze_panes(header_row + 1, 0)
    # printed: A4 across, at most two pages wide (sixteen columns on one page would be too small to read), and
    # on every page the header row and the first column (the case code), so that the right-hand page still
    # says which case each line is
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(2, 0)
    sheet.repeat_rows(first, header_row)
    sheet.repeat_columns(0)
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    sheet.set_footer("&CTrang &P/&N")
    return header_row


class _DataRows:
    """The data rows of one sheet, each cell written by its value's kind with its row's style.

    This is the export's inner loop (some 850,000 cells for 50,000 cases), so the two kinds nearly every cell
    is, plain `str` and `datetime`, are tested first by exact class; anything else, subclasses included, goes
    through `_write_other`. For those two, xlsxwriter's public `write_string` / `write_datetime` first pass
    through a decorator that also accepts "A1" cell names, at about a sixth of the whole export; only row
    and column numbers are passed here, so the undecorated methods behind them (what xlsxwriter's own
    `write` and `write_row` call) are used when the installed xlsxwriter has them, the public ones if not.
    """

    def __init__(self, book: xlsxwriter.Workbook, sheet: Any, widths: Sequence[float]) -> None:
        self.sheet = sheet
        self.styles = _Styles(book)
        self.write_string = getattr(sheet, "_write_string", sheet.write_string)
        self.write_datetime = getattr(sheet, "_write_datetime", sheet.write_datetime)
        self.room = [max(int(w) - 1, 1) for w in widths]  # characters a line of each column holds
        self.lines: dict[tuple[str, int], int] = {}  # (text, column) -> lines: names and procedures repeat

    def write(self, r: int, values: Sequence[Any], fill: str | Colour | None) -> None:
        style = self.styles.get(fill)
        write_string, write_datetime, room = self.write_string, self.write_datetime, self.room
        lines = 1
        for c, value in enumerate(values):
            kind = value.__class__
            if kind is str and value:
                write_string(r, c, value, style.text)
                if c < len(room) and (len(value) > room[c] or "\n" in value):
                    n = self.lines.get((value, c))
                    if n is None:
                        n = self.lines[(value, c)] = wrapped_lines(value, room[c] + 1)
                    lines = max(lines, n)
            elif kind is datetime:
                write_datetime(r, c, value, style.datetime)
            else:
                _write_other(self.sheet, r, c, value, style)
        if lines > 1:  # (in constant-memory mode a row's height may be set until the next row is begun)
            self.sheet.set_row(r, LINE_HEIGHT * lines)


def _write_other(sheet: Any, r: int, c: int, value: Any, style: _RowStyle) -> None:
    """The rarer cells: blanks (written only in a filled row), str and datetime subclasses, dates, booleans,
    numbers, and anything else as its text."""
    if value is None or value == "":
        if style.blank is not None:
            sheet.write_blank(r, c, None, style.blank)
    elif isinstance(value, RunOn):
        sheet.write_string(r, c, value, style.other)
    elif isinstance(value, str):
        sheet.write_string(r, c, value, style.text)
    elif isinstance(value, datetime):
        sheet.write_datetime(r, c, value, style.datetime)
    elif isinstance(value, date):
        sheet.write_datetime(r, c, datetime(value.year, value.month, value.day), style.date)
    elif isinstance(value, bool):
        sheet.write_boolean(r, c, value, style.other)
    elif isinstance(value, int | float):
        sheet.write_number(r, c, value, style.other)
    else:
        sheet.write_string(r, c, str(value), style.text)


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
    cancel: Callable[[], bool] | None = None,
    *,
    source: ParsedFile | None = None,
) -> RowsSaved:
    """The rejected rows with their original columns, source row number and reason, ready to correct.

    `source` is the `ParsedFile` the rows come from. With it the workbook is ONE table: that file's own header
    row once, then every rejected row in row order, each with its own cells, whether the reader refused it (a
    bad date, a missing code) or the matcher did (due before receipt, an unknown unit; `reader.rejected_cells`).
    The user corrects the cells and imports the workbook again. Without `source` the columns are those the
    rows carry. The count returned carries the note to show when the rows could not be taken whole from the
    file (changed or gone since it was read: `RowsSaved.note`).
    """
    extra = ["Dòng trong tệp gốc", "Lý do không nhập"]
    if source is not None:
        refuse_overwriting(path, source.path, "các dòng bị từ chối")
    note = ""
    if source is None:
        headers: list[str] = []
        for rejected in rejected_rows:
            headers.extend(h for h in rejected.raw if h not in headers)
        raws = [r.raw for r in rejected_rows]
    else:
        rejected_rows = sorted(rejected_rows, key=lambda r: r.row_number)
        headers, raws, note = rejected_cells(source, rejected_rows)
    rows = [[raw.get(h, "") for h in headers] + [r.row_number, r.reason]
            for r, raw in zip(rejected_rows, raws, strict=True)]
    fills = (Colour.RED for _ in rejected_rows)
    widths = [_fitted(h, (row[i] for row in rows)) for i, h in enumerate(headers + extra)]
    count = write_table(path, title_lines, headers + extra, rows, fills, cancel=cancel, widths=widths)
    return RowsSaved(count, note)


def _fitted(header: str, values: Iterable[Any]) -> float:
    """A column as wide as its header or its longest value (a 25-character case code whole), at most 50."""
    longest = max((len(v) if isinstance(v, str) else 16 for v in values if v not in (None, "")), default=0)
    return min(max(_width(header), longest + 2), 50)
