"""Safe loading of one sheet from .xlsx / .xls / .csv into plain rows, refusing unsafe or unusable files.

Every refusal is an `ImportFailed` with a Vietnamese message; nothing here crashes on a bad file.
Values come from python-calamine (fast). For .xlsx the package is checked first, without parsing:
member sizes and compression ratios (zip bombs), the sheet's declared dimension and real row count
(a cap), formula cells (fatal: cached values may be stale or missing) and, only when styles.xml names a
legacy font (`.VnTime`, `VNI-Times`), which cells use it — that one streamed pass replaces openpyxl,
whose read-only mode needs 10× calamine's time on 50,000 rows.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import posixpath
import re
import struct
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import python_calamine as pc

from tthc_desk.errors import ImportFailed
from tthc_desk.sync.biff import BIFF_STREAMS, biff_scan, ole_stream
from tthc_desk.sync.legacy import decode_8bit, legacy_font
from tthc_desk.sync.values import zero_pad_width

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTED_NAMES = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))
_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_CHUNK = 1 << 20
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


def load_sheet(
    path: str | Path, *, sheet: str | None = None, limits: ReadLimits = DEFAULT_LIMITS
) -> SheetData:
    """Load the first visible sheet (or `sheet`) of a workbook or CSV file, or raise `ImportFailed`."""
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise ImportFailed(f"Không mở được tệp '{name}': {exc.strerror or exc}.") from exc
    if size == 0:
        raise ImportFailed(f"Tệp '{name}' rỗng (0 byte).")
    if size > limits.max_file_bytes:
        raise ImportFailed(
            f"Tệp '{name}' quá lớn ({size >> 20} MB); giới hạn {limits.max_file_bytes >> 20} MB."
        )
    if head.startswith(ZIP_MAGIC):
        data = _load_xlsx(path, sheet, limits)
    elif head.startswith(OLE_MAGIC):
        data = _load_xls(path, sheet, limits)
    elif path.suffix.lower() in (".csv", ".txt"):
        data = _load_csv(path, limits)
    else:
        raise ImportFailed(f"Tệp '{name}' không phải bảng tính Excel (.xlsx, .xls) hay tệp .csv.")
    if not any(any(v != "" and v is not None for v in row) for row in data.rows):
        raise ImportFailed(f"Trang tính '{data.sheet_name}' của tệp '{name}' không có dữ liệu.")
    return data


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


# ---------------------------------------------------------------- xlsx


def _load_xlsx(path: Path, sheet: str | None, limits: ReadLimits) -> SheetData:
    name = path.name
    try:
        with zipfile.ZipFile(path) as zf:
            _check_members(zf, name, limits)
            sheet_name, part = _pick_sheet(zf, sheet, name)
            legacy_styles, padded_styles = _cell_styles(zf)
            fonts, padded = _scan_sheet(zf, part, legacy_styles, padded_styles, name, limits)
    except zipfile.BadZipFile as exc:
        raise ImportFailed(
            f"Tệp '{name}' bị hỏng hoặc không đầy đủ (có thể chưa tải về xong); hãy lấy lại tệp từ cổng."
        ) from exc
    except (ET.ParseError, KeyError, UnicodeDecodeError, EOFError, ValueError) as exc:
        raise ImportFailed(f"Tệp '{name}' có cấu trúc Excel không hợp lệ ({exc}).") from exc
    rows, merged = _calamine_rows(path, sheet_name, limits)
    if padded:
        _apply_padding(rows, padded)
    return SheetData(rows, sheet_name, "xlsx", fonts, merged)


def _check_members(zf: zipfile.ZipFile, name: str, limits: ReadLimits) -> None:
    """Refuse zip bombs from the central directory's declared sizes, before any decompression."""
    infos = zf.infolist()
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names:
        raise ImportFailed(f"Tệp '{name}' là tệp nén nhưng không phải bảng tính Excel (.xlsx).")
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        too_big = info.file_size > limits.max_member_bytes or total > limits.max_total_bytes
        if too_big or (info.file_size > limits.ratio_floor_bytes and ratio > limits.max_ratio):
            raise ImportFailed(
                f"Tệp '{name}' có nội dung nén bất thường ({info.filename}: {info.file_size >> 20} MB khi giải nén,"
                f" tỉ lệ nén {ratio:.0f}:1); không nhập để bảo vệ máy."
            )


def _pick_sheet(zf: zipfile.ZipFile, wanted: str | None, name: str) -> tuple[str, str]:
    """(sheet name, zip part) of `wanted` or of the first visible worksheet."""
    book = ET.fromstring(zf.read("xl/workbook.xml"))
    rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    for node in book.iterfind("m:sheets/m:sheet", _NS):
        sheet_name = node.get("name", "")
        hidden = node.get("state", "visible") != "visible"
        target = targets.get(node.get(_REL_ID), "")
        if "worksheets/" not in target:
            continue  # chart sheets and macro sheets hold no rows
        if (wanted is None and not hidden) or sheet_name == wanted:
            part = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join("xl", target))
            )
            return sheet_name, part
    if wanted is not None:
        raise ImportFailed(f"Tệp '{name}' không có trang tính '{wanted}'.")
    raise ImportFailed(f"Tệp '{name}' không có trang tính nào để nhập.")


def _cell_styles(zf: zipfile.ZipFile) -> tuple[dict[int, str], dict[int, int]]:
    """From styles.xml, per cell style index: the font name of styles in a legacy (.Vn*/VNI) font, and the
    width of styles whose number format is zeros only ('000000' shows 123 as 000123). Both are usually
    empty, and the sheet scan then looks at no cell."""
    try:
        styles = ET.fromstring(zf.read("xl/styles.xml"))
    except KeyError:
        return {}, {}
    fonts = []
    for font in styles.iterfind("m:fonts/m:font", _NS):
        node = font.find("m:name", _NS)
        fonts.append(node.get("val", "") if node is not None else "")
    widths = {}  # numFmtId -> zeros shown; only custom formats (ids from 164) can be '00…0'
    for fmt in styles.iterfind("m:numFmts/m:numFmt", _NS):
        if width := zero_pad_width(fmt.get("formatCode", "")):
            widths[fmt.get("numFmtId", "")] = width
    has_legacy = any(legacy_font(f) for f in fonts)
    legacy: dict[int, str] = {}
    padded: dict[int, int] = {}
    if not has_legacy and not widths:
        return legacy, padded
    for index, xf in enumerate(styles.iterfind("m:cellXfs/m:xf", _NS)):
        font_id = int(xf.get("fontId", "0"))
        if has_legacy and font_id < len(fonts) and legacy_font(fonts[font_id]):
            legacy[index] = fonts[font_id]
        if width := widths.get(xf.get("numFmtId", "0")):
            padded[index] = width
    return legacy, padded


class PaddedNumber(float):
    """A number cell whose number format shows it zero-padded to `width` digits (123 in '000000' is 000123).

    It is the float calamine gave, so dates and arithmetic work as before; `values.number_text` reads
    `width` and gives the digits the user saw. It never equals a plain number, so one column's 123 and
    000123 stay two values. Its repr is the float's (code reads it as a number). Made by `padded_number`,
    one subclass per width (built in C, no __init__)."""

    __slots__ = ()
    width = 0

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PaddedNumber) and float(self) == float(other) and self.width == other.width

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash((float(self), self.width))

    def __reduce__(self):
        return padded_number, (float(self), self.width)


_PADDED_TYPES: dict[int, type[PaddedNumber]] = {}


def _padded_type(width: int) -> type[PaddedNumber]:
    kind = _PADDED_TYPES.get(width)
    if kind is None:
        kind = _PADDED_TYPES[width] = type(
            f"PaddedNumber{width}", (PaddedNumber,), {"__slots__": (), "width": width}
        )
    return kind


def padded_number(value: float, width: int) -> PaddedNumber:
    """`value` shown zero-padded to `width` digits."""
    return _padded_type(width)(value)


def _apply_padding(rows: list[list[Any]], padded: dict[tuple[int, int], int]) -> None:
    """Turn the number cells (not text, dates or booleans) of zero-padding styles into `PaddedNumber`s."""
    height = len(rows)
    for (r, c), width in padded.items():
        if r < height and c < len(rows[r]):
            value = rows[r][c]
            if type(value) is float or (type(value) is int and -(1 << 53) < value < 1 << 53):
                rows[r][c] = _padded_type(width)(value)


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*\bref=\"([A-Z]*)(\d*):?([A-Z]*)(\d*)\"")
_SHEET_DATA = re.compile(rb"<(\w+:)?sheetData\b")
_ROW_NUM = re.compile(rb"<(?:\w+:)?row\b[^>]*?\br=\"(\d+)\"")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CELL = re.compile(rb"<(?:\w+:)?c\s([^>]*)>")
_ATTR_R = re.compile(rb"\br=\"([A-Z]+)(\d+)\"")
_ATTR_S = re.compile(rb"\bs=\"(\d+)\"")
# a cell reference of two or three letters (column AA or further); the literal first keeps the search fast
_WIDE_REF = re.compile(rb' r="([A-Z]{2,3})[0-9]')


def _scan_sheet(
    zf: zipfile.ZipFile,
    part: str,
    legacy_styles: dict[int, str],
    padded_styles: dict[int, int],
    name: str,
    limits: ReadLimits,
) -> tuple[dict[tuple[int, int], str], dict[tuple[int, int], int]]:
    """One streamed pass over the sheet XML: row cap, formulas, cells in legacy fonts, cells in a
    zero-padding number format (their width).

    Plain byte searches (`count`, `find`) do the work; regexes run only where a search hit, so the
    pass costs about a fifth of calamine's own parse. Cells are looked at one by one only in a file
    whose styles.xml has a legacy font or a zero-padding format, and for the padding only the cells of
    those styles (one regex finds them).
    """
    fonts: dict[tuple[int, int], str] = {}
    padded: dict[tuple[int, int], int] = {}
    padded_cells = _styled_cells(padded_styles) if padded_styles else None
    pad = bool(padded_styles)
    formulas: list[str] = []
    last_row = rows_seen = 0
    last_cell = "?"
    first = True
    row_tag = f_tag = b""
    carry = b""
    with zf.open(part) as fh:
        while True:
            block = fh.read(_CHUNK)
            buf = carry + block
            cut = buf.rfind(b"</") if block else len(buf)
            if cut <= 0:
                cut = len(buf)
            chunk, carry = buf[:cut], buf[cut:]
            if first:
                _check_dimension(chunk, name, limits)
                first = False
            if not row_tag and (m := _SHEET_DATA.search(chunk)):
                prefix = m.group(1) or b""
                row_tag, f_tag = b"<" + prefix + b"row", b"<" + prefix + b"f"
            if row_tag:
                rows_seen += chunk.count(row_tag)
                nums = _ROW_NUM.findall(chunk, max(0, len(chunk) - 4096)) or _ROW_NUM.findall(chunk)
                if nums:
                    last_row = max(last_row, int(nums[-1]))
                if max(last_row, rows_seen) > limits.max_rows:
                    raise _too_many_rows(name, max(last_row, rows_seen), limits)
                if chunk.find(f_tag) >= 0 and _FORMULA.search(chunk):
                    last_cell = _collect_formulas(chunk, formulas, last_cell)
                if wide := _WIDE_REF.findall(chunk):
                    _check_columns(chunk, wide, name, limits)
            if legacy_styles:
                _collect_styled(chunk, legacy_styles, fonts)
            if pad:
                _collect_padded(chunk, padded_cells, padded_styles, padded)
            if not block:
                break
    if formulas:
        raise _formula_cells(name, formulas)
    return fonts, padded


def _formula_cells(name: str, formulas: list[str]) -> FormulaCells:
    shown = ", ".join(formulas[:10]) + (f" … (tổng {len(formulas)} ô)" if len(formulas) > 10 else "")
    return FormulaCells(
        f"Tệp '{name}' có ô chứa công thức ({shown}). Hãy chọn toàn bộ, sao chép rồi dán dạng giá trị"
        " (Paste Values), lưu lại rồi nhập lại.",
        formulas,
    )


def _check_dimension(chunk: bytes, name: str, limits: ReadLimits) -> None:
    match = _DIMENSION.search(chunk[:65536])
    if not match:
        return
    last_col, last_row = (
        (match.group(3), match.group(4)) if match.group(4) else (match.group(1), match.group(2))
    )
    if last_row and int(last_row) > limits.max_rows:
        raise _too_many_rows(name, int(last_row), limits)
    if last_col and column_index(last_col.decode()) + 1 > limits.max_columns:
        raise _too_many_columns(name, last_col.decode(), limits)


def _check_columns(chunk: bytes, letters: list[bytes], name: str, limits: ReadLimits) -> None:
    """The widest cell of `chunk` against the column cap; `letters`: what the quick search found.

    The `dimension` element is optional and may be wrong, and calamine sizes its table from the cells it
    meets: one stray cell in column XFD of row 100,000 would make it ask for 50 GB at once, which ends the
    process (a Rust allocation failure aborts) instead of raising. A quick hit over the cap is confirmed on
    the cells' own tags, so text that merely looks like a reference refuses nothing."""
    if column_index(max(set(letters), key=lambda ref: (len(ref), ref)).decode()) < limits.max_columns:
        return
    refs = (_ATTR_R.search(m.group(1)) for m in _CELL.finditer(chunk))
    widest = max((r.group(1).decode() for r in refs if r), key=lambda ref: (len(ref), ref), default="A")
    if column_index(widest) + 1 > limits.max_columns:
        raise _too_many_columns(name, widest, limits)


def _too_many_columns(name: str, letters: str, limits: ReadLimits) -> ImportFailed:
    return ImportFailed(f"Tệp '{name}' có quá nhiều cột ({letters}); giới hạn {limits.max_columns} cột.")


def _too_many_rows(name: str, rows: int, limits: ReadLimits) -> ImportFailed:
    return ImportFailed(
        f"Tệp '{name}' có {_count(rows)} dòng, vượt giới hạn {_count(limits.max_rows)} dòng mỗi lần nhập;"
        " hãy chia nhỏ tệp."
    )


def _count(n: int) -> str:
    """1000001 -> '1.000.001' (Vietnamese thousands separator)."""
    return f"{n:,}".replace(",", ".")


def _collect_formulas(chunk: bytes, found: list[str], last_cell: str) -> str:
    cells = [(m.start(), m.group(1)) for m in _CELL.finditer(chunk)]
    idx = 0
    for match in _FORMULA.finditer(chunk):
        while idx < len(cells) and cells[idx][0] < match.start():
            ref = _ATTR_R.search(cells[idx][1])
            last_cell = (ref.group(1) + ref.group(2)).decode() if ref else "?"
            idx += 1
        found.append(last_cell)
    if cells:
        ref = _ATTR_R.search(cells[-1][1])
        last_cell = (ref.group(1) + ref.group(2)).decode() if ref else "?"
    return last_cell


def _collect_styled(chunk: bytes, styles: dict[int, Any], found: dict[tuple[int, int], Any]) -> None:
    """(row, col) -> styles[s] for every cell of `chunk` whose style `s` is in `styles`."""
    default = styles.get(0)
    for match in _CELL.finditer(chunk):
        attrs = match.group(1)
        style = _ATTR_S.search(attrs)
        value = styles.get(int(style.group(1))) if style else default
        if value is None:
            continue
        ref = _ATTR_R.search(attrs)
        if ref is None:
            raise ValueError("ô không có địa chỉ (thuộc tính r)")
        found[(int(ref.group(2)) - 1, column_index(ref.group(1).decode()))] = value


@dataclass(frozen=True)
class _StyledCells:
    """Regexes finding the cells of some styles: `uses`, each style attribute naming one of them (a literal
    start keeps it fast: ~0.05 s on a 27 MB sheet); `cells`, (column, row, style) of the cells written
    `<c r="A5" s="3"`, the order Excel, openpyxl and xlsxwriter use (~0.35 s)."""

    uses: re.Pattern[bytes]
    cells: re.Pattern[bytes]


def _styled_cells(styles: dict[int, Any]) -> _StyledCells | None:
    """None when the default style is one of `styles`: cells without an `s` attribute then count too."""
    if 0 in styles:
        return None
    ids = b"|".join(str(i).encode() for i in sorted(styles))
    return _StyledCells(
        re.compile(rb's="(?:' + ids + rb')"'), re.compile(rb'<c r="([A-Z]{1,3})([0-9]+)" s="(' + ids + rb')"')
    )


_CELL_START = re.compile(rb"<(?:\w+:)?c\s")
_XML_SPACE = frozenset(b" \t\r\n")


def _collect_padded(
    chunk: bytes, styled: _StyledCells | None, styles: dict[int, int], found: dict[tuple[int, int], int]
) -> None:
    """(row, col) -> width for the cells of `chunk` in a zero-padding style.

    The usual attribute order is read by one regex; when it does not account for every use of those
    styles (another order, a namespace prefix, or text that merely looks like an attribute), each use is
    checked to be one of a cell's own attributes and the cell's `r` is read from its tag."""
    if styled is None:
        _collect_styled(chunk, styles, found)
        return
    hits = styled.cells.findall(chunk)
    if len(hits) == len(styled.uses.findall(chunk)):
        if hits:  # built in C loops: ~0.05 s for 100,000 cells
            letters, rows, used = zip(*hits, strict=True)
            columns = {ref: column_index(ref.decode()) for ref in set(letters)}
            widths = {style: styles[int(style)] for style in set(used)}
            cells = zip(map((-1).__add__, map(int, rows)), map(columns.__getitem__, letters), strict=True)
            found.update(zip(cells, map(widths.__getitem__, used), strict=True))
        return
    columns: dict[bytes, int] = {}
    rfind, find = chunk.rfind, chunk.find
    for match in styled.uses.finditer(chunk):
        at = match.start()
        if at == 0 or chunk[at - 1] not in _XML_SPACE:
            continue
        start, end = rfind(b"<", 0, at), find(b">", at)
        if start < 0 or end < 0 or not _CELL_START.match(chunk, start):
            continue
        ref, style = _ATTR_R.search(chunk, start, end), _ATTR_S.search(chunk, start, end)
        if ref is None or style is None:
            raise ValueError("ô không có địa chỉ (thuộc tính r)")
        letters = ref.group(1)
        col = columns.get(letters)
        if col is None:
            col = columns[letters] = column_index(letters.decode())
        found[(int(ref.group(2)) - 1, col)] = styles[int(style.group(1))]


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


def _damaged(name: str, sheet_name: str, exc: BaseException) -> ImportFailed:
    # calamine's own words are English ("I/O error: File is larger than its declared uncompressed size"):
    # they go to the log, the user reads what to do
    log.warning("calamine could not read %s (sheet %r): %s: %s", name, sheet_name, type(exc).__name__, exc)
    return ImportFailed(
        f"Tệp '{name}' bị hỏng hoặc không phải bảng tính hợp lệ (không đọc được trang tính"
        f" '{sheet_name}'); hãy lấy lại tệp từ cổng, hoặc mở bằng Excel, lưu lại rồi nhập lại."
    )


def _rust_panic(exc: BaseException) -> bool:
    """Whether `exc` is the PanicException python-calamine raises when its Rust code panics on damaged records
    (about 2 in 100 randomly damaged .xls files). pyo3 derives it from BaseException and its class cannot be
    imported before a panic, so it is told by name: `except Exception` would let it through, and the import
    would end in a traceback instead of saying the file is damaged."""
    return type(exc).__name__ == "PanicException"


def _calamine_rows(path: Path, sheet_name: str, limits: ReadLimits) -> tuple[list[list[Any]], list]:
    try:
        with pc.CalamineWorkbook.from_path(str(path)) as book:
            sheet = book.get_sheet_by_name(sheet_name)
            if sheet.height > limits.max_rows:
                raise _too_many_rows(path.name, sheet.height, limits)
            rows = sheet_rows(sheet)
            merged = sheet.merged_cell_ranges or []
    except pc.PasswordError as exc:
        raise _encrypted(path.name) from exc
    except (pc.CalamineError, ValueError, OSError) as exc:  # ValueError: unsupported or damaged files
        raise _damaged(path.name, sheet_name, exc) from exc
    except BaseException as exc:
        if not _rust_panic(exc):
            raise
        raise _damaged(path.name, sheet_name, exc) from exc
    return rows, list(merged)


# ---------------------------------------------------------------- xls


def _encrypted(name: str) -> ImportFailed:
    return ImportFailed(
        f"Tệp '{name}' được bảo vệ bằng mật khẩu. Hãy mở bằng Excel, gỡ mật khẩu (Tệp > Thông tin > Bảo vệ"
        " sổ làm việc), lưu lại rồi nhập lại."
    )


def _load_xls(path: Path, sheet: str | None, limits: ReadLimits) -> SheetData:
    blob = path.read_bytes()
    if any(marker in blob for marker in _ENCRYPTED_NAMES):
        raise _encrypted(path.name)
    try:  # before calamine, whose compound-file reader panics (aborting the read) on some damaged files
        stream = ole_stream(blob, BIFF_STREAMS)
    except (ValueError, IndexError, struct.error) as exc:
        log.warning("damaged compound file %s: %s: %s", path.name, type(exc).__name__, exc)
        raise _unreadable_xls(path.name) from exc
    try:
        with pc.CalamineWorkbook.from_path(str(path)) as book:
            names = [m.name for m in book.sheets_metadata if m.visible == pc.SheetVisibleEnum.Visible]
            all_names = list(book.sheet_names)
            sheet_name = sheet or (names[0] if names else all_names[0])
    except pc.PasswordError as exc:
        raise _encrypted(path.name) from exc
    except (pc.CalamineError, ValueError, IndexError, OSError) as exc:
        raise _unreadable_xls(path.name) from exc
    except BaseException as exc:
        if not _rust_panic(exc):
            raise
        log.warning("calamine could not open %s: %s: %s", path.name, type(exc).__name__, exc)
        raise _unreadable_xls(path.name) from exc
    formulas, padded = _xls_scan(stream, sheet_name, all_names, path.name) if stream else ([], {})
    if formulas:
        raise _formula_cells(path.name, formulas)
    rows, merged = _calamine_rows(path, sheet_name, limits)
    if padded:
        _apply_padding(rows, padded)
    return SheetData(rows, sheet_name, "xls", {}, merged)


def _unreadable_xls(name: str) -> ImportFailed:
    return ImportFailed(f"Tệp '{name}' không phải bảng tính Excel đọc được (.xls hỏng hoặc định dạng khác).")


def _xls_scan(
    stream: bytes, sheet_name: str, sheet_names: list[str], name: str
) -> tuple[list[str], dict[tuple[int, int], int]]:
    """(references of the formula cells, number cells in a zero-padding format -> width) of `sheet_name`;
    nothing when the records cannot be walked (calamine then has the last word on the file: it reads the
    same records and refuses the file if they are damaged)."""
    try:
        formulas, padded = biff_scan(stream, sheet_name, sheet_names)
        return [f"{column_letter(col)}{row + 1}" for row, col in formulas], padded
    except (ValueError, IndexError, struct.error) as exc:
        log.warning("no BIFF scan of %s: %s: %s", name, type(exc).__name__, exc)
        return [], {}


# ---------------------------------------------------------------- csv


# The file is no Unicode encoding: each cell is decoded from its own bytes (`_decode_8bit_cells`).
EIGHT_BIT = "8-bit"
_DELIMITERS = ",;\t|"
_SNIFF_CHARS = 65536
_SNIFF_RECORDS = 200


def decode_csv_bytes(raw: bytes) -> tuple[str, str]:
    """(text, encoding) for CSV bytes: UTF-8 with or without BOM, UTF-16 with BOM; anything else comes back
    as its bytes one to one (Latin-1) with encoding `EIGHT_BIT`, for each cell to be decoded on its own
    once the records are split: a CSV has no fonts, and the same file may hold Windows-1258 cells next to
    TCVN3 or VNI ones (see `tthc_desk.sync.legacy.decode_8bit`)."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16", errors="replace"), "utf-16"
    bom = raw.startswith(codecs.BOM_UTF8)
    body = raw[3:] if bom else raw
    try:
        return body.decode("utf-8"), "utf-8-sig" if bom else "utf-8"
    except UnicodeDecodeError:
        return body.decode("latin-1"), EIGHT_BIT


def sniff_delimiter(sample: str, complete: bool = True) -> str:
    """The delimiter (',', ';', tab or '|') that splits the sample's records most consistently.

    The records are split by the csv module itself, so a quoted cell holding a line break (Alt+Enter in
    Excel) or a delimiter stays one cell; `csv.Sniffer` works on raw lines, and one such cell made it give
    up. Each candidate scores (records of the commonest width, that width) over the records wider than
    one cell; no candidate splitting anything means ','. `complete`: False when `sample` is a cut-off
    start of the file, whose last record may be incomplete and is left out.
    """
    best, best_score = ",", (0, 0)
    for delimiter in _DELIMITERS:
        widths: list[int] = []
        try:
            for record in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter):
                if any(record):
                    widths.append(len(record))
                    if len(widths) > _SNIFF_RECORDS:
                        break
        except csv.Error:
            pass  # the records read so far still count
        if not complete and 0 < len(widths) <= _SNIFF_RECORDS:
            widths.pop()
        common = Counter(w for w in widths if w > 1).most_common()
        if common:
            freq = common[0][1]
            score = (freq, max(w for w, n in common if n == freq))
            if score > best_score:
                best, best_score = delimiter, score
    return best


def _decode_8bit_cells(rows: list[list[Any]]) -> None:
    """Each non-ASCII cell of an `EIGHT_BIT` file, in place: UTF-8 when its bytes are valid UTF-8 (a file
    pieced together from two exports), else `decode_8bit` (Windows-1258 to Unicode, or TCVN3/VNI kept as
    the cp1252 text a workbook cell holds, which the reader decodes as it does a workbook cell)."""
    seen: dict[str, str] = {}
    for row in rows:
        for j, cell in enumerate(row):
            if cell.isascii():
                continue
            text = seen.get(cell)
            if text is None:
                raw = cell.encode("latin-1")
                try:
                    text = unicodedata.normalize("NFC", raw.decode("utf-8"))
                except UnicodeDecodeError:
                    text = decode_8bit(raw)[0]
                seen[cell] = text
            row[j] = text


def _load_csv(path: Path, limits: ReadLimits) -> SheetData:
    text, encoding = decode_csv_bytes(path.read_bytes())
    if "\x00" in text[:4096]:
        raise ImportFailed(f"Tệp '{path.name}' không phải tệp .csv dạng văn bản.")
    delimiter = sniff_delimiter(text[:_SNIFF_CHARS], complete=len(text) <= _SNIFF_CHARS)
    rows: list[list[Any]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append(row)
            if len(rows) > limits.max_rows:
                raise _too_many_rows(path.name, len(rows), limits)
    except csv.Error as exc:  # a NUL further in, or a cell over 128 KB (an unclosed quote)
        raise ImportFailed(
            f"Tệp '{path.name}' không đọc được dạng .csv (dòng {len(rows) + 1}): có ký tự lạ hoặc dấu ngoặc kép"
            " không đóng. Hãy mở bằng Excel, lưu lại dạng .xlsx rồi nhập lại."
        ) from exc
    if encoding == EIGHT_BIT:
        _decode_8bit_cells(rows)
    return SheetData(rows, path.stem, "csv")
