"""Loading a .csv (or .txt) file as one sheet: the encoding (UTF-8, UTF-16, or 8-bit decoded cell by cell),
the delimiter, the row cap. A CSV has no formulas or number formats: every cell is text; its only "fonts"
are those the 8-bit reading names for the cells it found in TCVN3 or VNI."""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

from tthc_desk.errors import ImportFailed
from tthc_desk.sync.legacy import CP1258_CELL, ENCODING_FONTS, decode_8bit_cells
from tthc_desk.sync.sheet import ReadLimits, SheetData, too_many_rows

# The file is no Unicode encoding: each cell is decoded from its own bytes (`_decode_8bit_cells`).
EIGHT_BIT = "8-bit"
_DELIMITERS = ",;\t|"
_SNIFF_CHARS = 65536
_SNIFF_RECORDS = 200


def decode_csv_bytes(raw: bytes) -> tuple[str, str]:
    """(text, encoding) for CSV bytes: UTF-8 or UTF-16, with or without BOM; anything else comes back
    as its bytes one to one (Latin-1) with encoding `EIGHT_BIT`, for each cell to be decoded on its own
    once the records are split: a CSV has no fonts, and the same file may hold Windows-1258 cells next to
    TCVN3 or VNI ones (see `tthc_desk.sync.legacy.decode_8bit_cells`)."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16", errors="replace"), "utf-16"
    if (order := _utf16_without_bom(raw[:4096])) is not None:
        return raw.decode(order, errors="replace"), "utf-16"
    bom = raw.startswith(codecs.BOM_UTF8)
    body = raw[3:] if bom else raw
    try:
        return body.decode("utf-8"), "utf-8-sig" if bom else "utf-8"
    except UnicodeDecodeError:
        return body.decode("latin-1"), EIGHT_BIT


def _utf16_without_bom(head: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" for UTF-16 text written without its BOM (some exporters leave it out), else None.
    Neither UTF-8 nor an 8-bit code page writes a NUL byte in text; UTF-16 writes one beside every character of
    the Latin-1 range (digits, separators, unaccented letters; "ư", "ơ", "ạ" have 0x01 or 0x1E there), on the
    same side of each pair. So: NULs on one side only, at least one pair in five, and the text decodes."""
    pairs = len(head) // 2
    if pairs < 2 or b"\x00" not in head:
        return None
    low, high = head[0 : pairs * 2 : 2].count(0), head[1 : pairs * 2 : 2].count(0)
    order = "utf-16-le" if high and not low else "utf-16-be" if low and not high else None
    if order is None or max(low, high) * 5 < pairs:
        return None
    try:
        head[: pairs * 2].decode(order)
    except UnicodeDecodeError:  # a pair split at the cut of a surrogate: judged on the pairs before it
        try:
            head[: pairs * 2 - 2].decode(order)
        except UnicodeDecodeError:
            return None
    return order


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


def _decode_8bit_cells(rows: list[list[Any]]) -> dict[tuple[int, int], str]:
    """Each non-ASCII cell of an `EIGHT_BIT` file, in place: UTF-8 when its bytes are valid UTF-8 (a file
    pieced together from two exports), else per `decode_8bit_cells`: Windows-1258 becomes Unicode, TCVN3
    and VNI stay the cp1252 text a workbook cell in a legacy font holds. Returns those cells' font
    (`ENCODING_FONTS`), for the reader to decode them as it decodes such a workbook cell."""
    seen: dict[str, tuple[str, str | None]] = {}
    legacy: list[bytes] = []
    for cell in dict.fromkeys(cell for row in rows for cell in row if not cell.isascii()):
        raw = cell.encode("latin-1")
        try:
            seen[cell] = (unicodedata.normalize("NFC", raw.decode("utf-8")), None)
        except UnicodeDecodeError:
            legacy.append(raw)
    for raw, (text, encoding) in decode_8bit_cells(legacy).items():
        # TCVN3 and VNI stay bytes for the reader to decode by their font; the rest was read as Windows-1258
        seen[raw.decode("latin-1")] = (text, ENCODING_FONTS.get(encoding, CP1258_CELL))
    fonts: dict[tuple[int, int], str] = {}
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            if not cell.isascii():
                row[j], font = seen[cell]
                if font is not None:
                    fonts[(i, j)] = font
    return fonts


def is_text_table(start: bytes) -> bool:
    """Whether a file's first bytes are a table as text (CSV, or tab-separated as Excel's "Unicode text"): text
    with no control characters but tab and line ends, whose records split into two cells or more. Some portals
    name such a file .xls or .xlsx; its bytes, not its name, say what it is."""
    text, _encoding = decode_csv_bytes(start)
    if not text.strip() or any(ch < " " and ch not in "\t\r\n" for ch in text) or "\x7f" in text:
        return False
    complete = len(start) < _SNIFF_CHARS
    delimiter = sniff_delimiter(text, complete=complete)
    records = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) if any(r)]
    if not complete:
        records = records[:-1]  # cut off
    return bool(records) and max(map(len, records)) > 1


def load_csv(path: Path, limits: ReadLimits) -> SheetData:
    text, encoding = decode_csv_bytes(path.read_bytes())
    if "\x00" in text[:4096]:
        raise ImportFailed(f"Tệp '{path.name}' không phải tệp .csv dạng văn bản.")
    delimiter = sniff_delimiter(text[:_SNIFF_CHARS], complete=len(text) <= _SNIFF_CHARS)
    rows: list[list[Any]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append(row)
            if len(rows) > limits.max_rows:
                raise too_many_rows(path.name, len(rows), limits)
    except csv.Error as exc:  # a NUL further in, or a cell over 128 KB (an unclosed quote)
        raise ImportFailed(
            f"Tệp '{path.name}' không đọc được dạng .csv (dòng {len(rows) + 1}): có ký tự lạ hoặc dấu ngoặc kép"
            " không đóng. Hãy mở bằng Excel, lưu lại dạng .xlsx rồi nhập lại."
        ) from exc
    fonts = _decode_8bit_cells(rows) if encoding == EIGHT_BIT else {}
    return SheetData(rows, path.stem, "csv", fonts)
