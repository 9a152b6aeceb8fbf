"""What every sheet loader shares: the caps on a file, the loaded sheet, calamine's rows, and the refusals
worded for the user. A loader (`xlsx_file`, `xls_file`, `csv_file`) checks its own format first and then
reads values here; `workbook.load_sheet` picks the loader."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine as pc

from tthc_desk.errors import ImportFailed

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReadLimits:
    """Caps that keep a hostile or accidental file from exhausting the machine."""

    max_rows: int = 200_000
    max_columns: int = 200
    max_file_bytes: int = 256 << 20
    max_member_bytes: int = 1 << 30
    max_total_bytes: int = 2 << 30
    max_ratio: int = 150  # uncompressed / compressed, checked for members above `ratio_floor_bytes`
    ratio_floor_bytes: int = 16 << 20


DEFAULT_LIMITS = ReadLimits()


class FormulaCells(ImportFailed):
    """The sheet holds formulas; `cells` lists their references (e.g. 'D7')."""

    def __init__(self, message: str, cells: list[str]) -> None:
        super().__init__(message)
        self.cells = cells


@dataclass
class SheetData:
    """One sheet as values: `rows[i][j]` is sheet row i+1, column j+1 (str, float, int, bool, date, datetime)."""

    rows: list[list[Any]]
    sheet_name: str
    source: str  # "xlsx", "xls" or "csv"
    fonts: dict[tuple[int, int], str] = field(default_factory=dict)  # only cells in a legacy font
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)

    def font(self, row: int, col: int) -> str | None:
        return self.fonts.get((row, col)) if self.fonts else None


def in_file(sheet_name: str, source: str, file_name: str) -> str:
    """The sheet and its file as a sentence about them starts: "Trang “DanhSach” của tệp 'ds.xlsx'". A CSV file
    has no sheets (its loader names its one table after the file): "Tệp 'ds.csv'"."""
    if source == "csv":
        return f"Tệp '{file_name}'"
    return f"Trang \u201c{sheet_name}\u201d của tệp '{file_name}'"


def sheet_rows(sheet: pc.CalamineSheet) -> list[list[Any]]:
    """What `sheet.to_python(skip_empty_area=False)` returns (cell A1 at [0][0]), built row by row.

    to_python builds all the rows in one call that holds the GIL: 0.2 s for 50,000 rows, during which the
    window (the GUI thread, while an import runs on a worker) cannot paint. A Python loop over iter_rows
    lets it in between rows. iter_rows leaves out the empty columns left of the data, and may leave out
    empty rows above it: both are put back, so rows and columns keep the sheet's coordinates.
    """
    end = sheet.end
    if end is None:
        return []
    rows = [row for row in sheet.iter_rows()]
    height, width = end[0] + 1, end[1] + 1
    if rows and len(rows[0]) < width:
        pad = [""] * (width - len(rows[0]))
        rows = [pad + row for row in rows]
    if len(rows) < height:
        rows = [[""] * width for _ in range(height - len(rows))] + rows
    return rows


def calamine_rows(path: Path, sheet_name: str, limits: ReadLimits) -> tuple[list[list[Any]], list]:
    try:
        with pc.CalamineWorkbook.from_path(str(path)) as book:
            sheet = book.get_sheet_by_name(sheet_name)
            if sheet.height > limits.max_rows:
                raise too_many_rows(path.name, sheet.height, limits)
            rows = sheet_rows(sheet)
            merged = sheet.merged_cell_ranges or []
    except pc.PasswordError as exc:
        raise encrypted(path.name) from exc
    except (pc.CalamineError, ValueError, OSError) as exc:  # ValueError: unsupported or damaged files
        raise _damaged(path.name, sheet_name, exc) from exc
    except BaseException as exc:
        if not rust_panic(exc):
            raise
        raise _damaged(path.name, sheet_name, exc) from exc
    return rows, list(merged)


def _damaged(name: str, sheet_name: str, exc: BaseException) -> ImportFailed:
    # calamine's own words are English ("I/O error: File is larger than its declared uncompressed size"):
    # they go to the log, the user reads what to do
    log.warning("calamine could not read %s (sheet %r): %s: %s", name, sheet_name, type(exc).__name__, exc)
    return ImportFailed(
        f"Tệp '{name}' bị hỏng hoặc không phải bảng tính hợp lệ (không đọc được trang tính"
        f" '{sheet_name}'); hãy lấy lại tệp từ cổng, hoặc mở bằng Excel, lưu lại rồi nhập lại."
    )


def rust_panic(exc: BaseException) -> bool:
    """Whether `exc` is the PanicException python-calamine raises when its Rust code panics on damaged records
    (about 2 in 100 randomly damaged .xls files). pyo3 derives it from BaseException and its class cannot be
    imported before a panic, so it is told by name: `except Exception` would let it through, and the import
    would end in a traceback instead of saying the file is damaged."""
    return type(exc).__name__ == "PanicException"


def encrypted(name: str) -> ImportFailed:
    return ImportFailed(
        f"Tệp '{name}' được bảo vệ bằng mật khẩu. Hãy mở bằng Excel, gỡ mật khẩu (Tệp > Thông tin > Bảo vệ"
        " sổ làm việc), lưu lại rồi nhập lại."
    )


def formula_cells(name: str, formulas: list[str]) -> FormulaCells:
    shown = ", ".join(formulas[:10]) + (f" … (tổng {len(formulas)} ô)" if len(formulas) > 10 else "")
    return FormulaCells(
        f"Tệp '{name}' có ô chứa công thức ({shown}). Hãy chọn toàn bộ, sao chép rồi dán dạng giá trị"
        " (Paste Values), lưu lại rồi nhập lại.",
        formulas,
    )


def too_many_rows(name: str, rows: int, limits: ReadLimits) -> ImportFailed:
    return ImportFailed(
        f"Tệp '{name}' có {_count(rows)} dòng, vượt giới hạn {_count(limits.max_rows)} dòng mỗi lần nhập;"
        " hãy chia nhỏ tệp."
    )


def _count(n: int) -> str:
    """1000001 -> '1.000.001' (Vietnamese thousands separator)."""
    return f"{n:,}".replace(",", ".")


def column_index(letters: str) -> int:
    """'A' -> 0, 'AB' -> 27."""
    value = 0
    for ch in letters:
        value = value * 26 + ord(ch) - 64
    return value - 1


def column_letter(index: int) -> str:
    """0 -> 'A', 27 -> 'AB'."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
