"""Loading one sheet of an .xlsx file. The package is checked first, without parsing: member sizes and
compression ratios (zip bombs), the sheet's declared dimension and real row count (a cap), formula cells
(fatal: cached values may be stale or missing) and, only when styles.xml names a legacy font (`.VnTime`,
`VNI-Times`) or a zero-padding number format, which cells use it. That one streamed pass replaces
openpyxl, whose read-only mode needs 10x calamine's time on 50,000 rows; calamine then reads the values.
"""

from __future__ import annotations

import logging
import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from tthc_desk.errors import ImportFailed
from tthc_desk.sync.legacy import legacy_font
from tthc_desk.sync.sheet import (
    ReadLimits,
    SheetData,
    calamine_rows,
    column_index,
    formula_cells,
    too_many_rows,
)
from tthc_desk.sync.values import Shown, apply_padding, padding_format

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}

_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"

_CHUNK = 1 << 20

log = logging.getLogger(__name__)


def load_xlsx(path: Path, sheet: str | None, limits: ReadLimits) -> SheetData:
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
    rows, merged = calamine_rows(path, sheet_name, limits)
    if padded:
        apply_padding(rows, padded)
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


def _cell_styles(zf: zipfile.ZipFile) -> tuple[dict[int, str], dict[int, Shown]]:
    """From styles.xml, per cell style index: the font name of styles in a legacy (.Vn*/VNI) font, and the
    `padding_format` of styles whose number format pads whole numbers with zeros or writes text around them
    ('000000' shows 123 as 000123, '"HS"000000' as HS000123). Both are usually empty, and the sheet scan then
    looks at no cell."""
    try:
        styles = ET.fromstring(zf.read("xl/styles.xml"))
    except KeyError:
        return {}, {}
    fonts = []
    for font in styles.iterfind("m:fonts/m:font", _NS):
        node = font.find("m:name", _NS)
        fonts.append(node.get("val", "") if node is not None else "")
    by_format: dict[str, Shown] = {}  # numFmtId -> format shown; only custom formats (ids from 164) can pad
    for fmt in styles.iterfind("m:numFmts/m:numFmt", _NS):
        if shown := padding_format(fmt.get("formatCode", "")):
            by_format[fmt.get("numFmtId", "")] = shown
    has_legacy = any(legacy_font(f) for f in fonts)
    legacy: dict[int, str] = {}
    padded: dict[int, Shown] = {}
    if not has_legacy and not by_format:
        return legacy, padded
    for index, xf in enumerate(styles.iterfind("m:cellXfs/m:xf", _NS)):
        font_id = int(xf.get("fontId", "0"))
        if has_legacy and font_id < len(fonts) and legacy_font(fonts[font_id]):
            legacy[index] = fonts[font_id]
        if shown := by_format.get(xf.get("numFmtId", "0")):
            padded[index] = shown
    return legacy, padded


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
    padded_styles: dict[int, Shown],
    name: str,
    limits: ReadLimits,
) -> tuple[dict[tuple[int, int], str], dict[tuple[int, int], Shown]]:
    """One streamed pass over the sheet XML: row cap, formulas, cells in legacy fonts, cells in a
    padding number format (their `padding_format`).

    Plain byte searches (`count`, `find`) do the work; regexes run only where a search hit, so the
    pass costs about a fifth of calamine's own parse. Cells are looked at one by one only in a file
    whose styles.xml has a legacy font or a zero-padding format, and for the padding only the cells of
    those styles (one regex finds them).
    """
    fonts: dict[tuple[int, int], str] = {}
    padded: dict[tuple[int, int], Shown] = {}
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
                    raise too_many_rows(name, max(last_row, rows_seen), limits)
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
        raise formula_cells(name, formulas)
    return fonts, padded


def _check_dimension(chunk: bytes, name: str, limits: ReadLimits) -> None:
    match = _DIMENSION.search(chunk[:65536])
    if not match:
        return
    last_col, last_row = (
        (match.group(3), match.group(4)) if match.group(4) else (match.group(1), match.group(2))
    )
    if last_row and int(last_row) > limits.max_rows:
        raise too_many_rows(name, int(last_row), limits)
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
    chunk: bytes, styled: _StyledCells | None, styles: dict[int, Shown], found: dict[tuple[int, int], Shown]
) -> None:
    """(row, col) -> `padding_format` for the cells of `chunk` in a padding style.

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
            shown = {style: styles[int(style)] for style in set(used)}
            cells = zip(map((-1).__add__, map(int, rows)), map(columns.__getitem__, letters), strict=True)
            found.update(zip(cells, map(shown.__getitem__, used), strict=True))
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
