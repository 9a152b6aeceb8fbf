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
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import python_calamine as pc

from tthc_desk.errors import ImportFailed
from tthc_desk.sync.legacy import legacy_font

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
            legacy_styles = _legacy_styles(zf)
            fonts = _scan_sheet(zf, part, legacy_styles, name, limits)
    except zipfile.BadZipFile as exc:
        raise ImportFailed(
            f"Tệp '{name}' bị hỏng hoặc không đầy đủ (có thể chưa tải về xong); hãy lấy lại tệp từ cổng."
        ) from exc
    except (ET.ParseError, KeyError, UnicodeDecodeError, EOFError, ValueError) as exc:
        raise ImportFailed(f"Tệp '{name}' có cấu trúc Excel không hợp lệ ({exc}).") from exc
    rows, merged = _calamine_rows(path, sheet_name, limits)
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


def _legacy_styles(zf: zipfile.ZipFile) -> dict[int, str]:
    """Cell style index -> font name, for styles whose font is a legacy (.Vn*/VNI) font."""
    try:
        styles = ET.fromstring(zf.read("xl/styles.xml"))
    except KeyError:
        return {}
    fonts = []
    for font in styles.iterfind("m:fonts/m:font", _NS):
        node = font.find("m:name", _NS)
        fonts.append(node.get("val", "") if node is not None else "")
    if not any(legacy_font(f) for f in fonts):
        return {}
    result = {}
    for index, xf in enumerate(styles.iterfind("m:cellXfs/m:xf", _NS)):
        font_id = int(xf.get("fontId", "0"))
        if font_id < len(fonts) and legacy_font(fonts[font_id]):
            result[index] = fonts[font_id]
    return result


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
    zf: zipfile.ZipFile, part: str, legacy_styles: dict[int, str], name: str, limits: ReadLimits
) -> dict[tuple[int, int], str]:
    """One streamed pass over the sheet XML: row cap, formulas, cells in legacy fonts.

    Plain byte searches (`count`, `find`) do the work; regexes run only where a search hit, so the
    pass costs about a fifth of calamine's own parse.
    """
    fonts: dict[tuple[int, int], str] = {}
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
                _collect_fonts(chunk, legacy_styles, fonts)
            if not block:
                break
    if formulas:
        shown = ", ".join(formulas[:10]) + (f" … (tổng {len(formulas)} ô)" if len(formulas) > 10 else "")
        raise FormulaCells(
            f"Tệp '{name}' có ô chứa công thức ({shown}). Hãy chọn toàn bộ, sao chép rồi dán dạng giá trị"
            " (Paste Values), lưu lại rồi nhập lại.",
            formulas,
        )
    return fonts


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


def _collect_fonts(chunk: bytes, legacy_styles: dict[int, str], fonts: dict[tuple[int, int], str]) -> None:
    default = legacy_styles.get(0)
    for match in _CELL.finditer(chunk):
        attrs = match.group(1)
        style = _ATTR_S.search(attrs)
        font = legacy_styles.get(int(style.group(1))) if style else default
        if font is None:
            continue
        ref = _ATTR_R.search(attrs)
        if ref is None:
            raise ValueError("ô không có địa chỉ (thuộc tính r)")
        fonts[(int(ref.group(2)) - 1, column_index(ref.group(1).decode()))] = font


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
        # calamine's own words are English ("I/O error: File is larger than its declared uncompressed size"):
        # they go to the log, the user reads what to do
        log.warning(
            "calamine could not read %s (sheet %r): %s: %s", path.name, sheet_name, type(exc).__name__, exc
        )
        raise ImportFailed(
            f"Tệp '{path.name}' bị hỏng hoặc không phải bảng tính hợp lệ (không đọc được trang tính"
            f" '{sheet_name}'); hãy lấy lại tệp từ cổng, hoặc mở bằng Excel, lưu lại rồi nhập lại."
        ) from exc
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
    try:
        with pc.CalamineWorkbook.from_path(str(path)) as book:
            names = [m.name for m in book.sheets_metadata if m.visible == pc.SheetVisibleEnum.Visible]
            sheet_name = sheet or (names[0] if names else book.sheet_names[0])
    except pc.PasswordError as exc:
        raise _encrypted(path.name) from exc
    except (pc.CalamineError, ValueError, IndexError, OSError) as exc:
        raise ImportFailed(
            f"Tệp '{path.name}' không phải bảng tính Excel đọc được (.xls hỏng hoặc định dạng khác)."
        ) from exc
    rows, merged = _calamine_rows(path, sheet_name, limits)
    return SheetData(rows, sheet_name, "xls", {}, merged)


# ---------------------------------------------------------------- csv


def decode_csv_bytes(raw: bytes) -> tuple[str, str]:
    """(text, encoding) for CSV bytes: UTF-8 with or without BOM, UTF-16 with BOM, else cp1258."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16", errors="replace"), "utf-16"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1258", errors="replace"), "cp1258"


def _load_csv(path: Path, limits: ReadLimits) -> SheetData:
    text, _encoding = decode_csv_bytes(path.read_bytes())
    if "\x00" in text[:4096]:
        raise ImportFailed(f"Tệp '{path.name}' không phải tệp .csv dạng văn bản.")
    try:
        dialect = csv.Sniffer().sniff(text[:65536], delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    rows: list[list[Any]] = []
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        rows.append(row)
        if len(rows) > limits.max_rows:
            raise _too_many_rows(path.name, len(rows), limits)
    return SheetData(rows, path.stem, "csv")
