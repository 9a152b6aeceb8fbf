"""The records of an .xls file that python-calamine does not hand back: which cells are formulas, which
numbers are shown zero-padded and which text cells are in a legacy Vietnamese font. Pure functions over the
file's bytes (no Qt, no database, no calamine); `xls_file.load_xls` uses them before calamine reads the
values. A record that cannot be walked raises ValueError, IndexError or struct.error: the caller decides
what that means."""

from __future__ import annotations

import re
import struct

from tthc_desk.sync.legacy import legacy_font
from tthc_desk.sync.values import Shown, padding_format

# python-calamine parses .xls formulas but gives only their cached values, with no way to tell a formula
# cell from a typed one, and it gives no number formats nor fonts; the sheet's BIFF records have them. They
# live in the "Workbook" stream (BIFF8; "Book" in BIFF5) of the OLE compound file, in sectors chained through
# its allocation table (FAT), or through the mini FAT for a stream under 4 KB: `ole_stream` follows those
# chains, `biff_scan` walks the records (~0.2 s for 50,000 rows x 15 cells; calamine's own parse ~0.5 s).
# Text cells in a legacy font are looked at one by one: ~0.4 s more when all 500,000 text cells are.
_FREE, _END_OF_CHAIN = 0xFFFFFFFF, 0xFFFFFFFE
_BIFF_FORMULA, _BIFF_EOF, _BIFF_BOUNDSHEET, _BIFF_BOF = 0x0006, 0x000A, 0x0085, 0x0809
_BIFF_FONT, _BIFF_XF, _BIFF_FORMAT = 0x0031, 0x00E0, 0x041E
_BIFF_NUMBER, _BIFF_RK, _BIFF_MULRK = 0x0203, 0x027E, 0x00BD
_BIFF_LABELSST, _BIFF_LABEL, _BIFF_RSTRING = 0x00FD, 0x0204, 0x00D6
BIFF_STREAMS = ("workbook", "book")
# Runs of the fixed-size records that fill a sheet: blank, row, boolean/error cells, text (LABELSST) in a
# style whose font is not a legacy one, and numbers (NUMBER, RK) in a style that does not pad. Regex-skipped,
# they take a third of the time of the loop.
_PLAIN_RECORDS = rb"\x01\x02\x06\x00.{6}|\x08\x02\x10\x00.{16}|\x05\x02\x08\x00.{8}"
_LABELSST_HEAD, _NUMBER_HEAD, _RK_HEAD = b"\xfd\x00\x0a\x00", b"\x03\x02\x0e\x00", b"\x7e\x02\x0a\x00"


def _cell_run(padded_xf: dict[int, Shown], legacy_xf: dict[int, str]) -> re.Pattern[bytes]:
    records = [  # text first, the commonest record
        _cell_not_in(_LABELSST_HEAD, 10, legacy_xf),
        _PLAIN_RECORDS,
        _cell_not_in(_NUMBER_HEAD, 14, padded_xf),
        _cell_not_in(_RK_HEAD, 10, padded_xf),
    ]
    return re.compile(rb"(?:" + b"|".join(records) + rb")+", re.DOTALL)


def _cell_not_in(head: bytes, size: int, styles: dict[int, object]) -> bytes:
    """A cell record of `size` body bytes (row, column, style, …) whose style is not one of `styles`."""
    if not styles:
        return re.escape(head) + rb".{%d}" % size
    # the styles as a class of low bytes per high byte: a record costs a test per high byte (mostly one)
    by_high: dict[int, list[int]] = {}
    for xf in sorted(styles):
        by_high.setdefault(xf >> 8, []).append(xf & 0xFF)
    listed = b"|".join(
        b"[" + b"".join(re.escape(bytes([low])) for low in lows) + b"]" + re.escape(bytes([high]))
        for high, lows in by_high.items()
    )
    return re.escape(head) + rb".{4}(?!" + listed + rb").{%d}" % (size - 4)  # row, column, style, rest


_BIFF_CELL_RUN = _cell_run({}, {})


def _biff_run(padded_xf: dict[int, Shown], legacy_xf: dict[int, str]) -> re.Pattern[bytes]:
    if not padded_xf and not legacy_xf:
        return _BIFF_CELL_RUN  # the common file: no legacy font, no zero-padding format
    return _cell_run(padded_xf, legacy_xf)


def ole_stream(blob: bytes, names: tuple[str, ...]) -> bytes | None:
    """The first stream named one of `names` (lower case) in an OLE compound file, or None."""
    major, _order, shift, mini_shift = struct.unpack_from("<4H", blob, 0x1A)
    if shift not in (9, 12) or mini_shift != 6:
        raise ValueError(f"sector size 2^{shift}")
    size = 1 << shift
    per_sector = size // 4
    sectors = (len(blob) + size - 1) // size - 1  # the header takes the first sector's place
    n_fat, dir_start, _sig, cutoff, minifat_start, n_minifat, difat_start, n_difat = struct.unpack_from(
        "<8I", blob, 0x2C
    )

    def sector(index: int, whole: bool = True) -> bytes:
        data = blob[(index + 1) * size : (index + 2) * size]
        if index >= sectors or (whole and len(data) < size):
            raise ValueError(f"sector {index} beyond the file")
        return data

    def stream_sectors(start: int) -> bytes:  # a stream's own last sector may be cut where its data ends
        return b"".join(sector(i, whole=False) for i in chain(start, fat))

    fat_sectors = list(struct.unpack_from("<109I", blob, 0x4C))
    index = difat_start
    for _ in range(min(n_difat, sectors)):
        if index in (_FREE, _END_OF_CHAIN):
            break
        entries = struct.unpack(f"<{per_sector}I", sector(index))
        fat_sectors.extend(entries[:-1])
        index = entries[-1]
    fat_sectors = [i for i in fat_sectors if i != _FREE][: min(n_fat, sectors)]
    fat = struct.unpack(f"<{len(fat_sectors) * per_sector}I", b"".join(map(sector, fat_sectors)))

    def chain(start: int, table: tuple[int, ...]) -> list[int]:
        found: list[int] = []
        while start != _END_OF_CHAIN:
            if start >= len(table) or len(found) >= len(table):
                raise ValueError("broken sector chain")
            found.append(start)
            start = table[start]
        return found

    directory = b"".join(map(sector, chain(dir_start, fat)))
    root_start = root_size = None
    for offset in range(0, len(directory) - 127, 128):
        entry = directory[offset : offset + 128]
        name_len, kind = struct.unpack_from("<HB", entry, 64)
        start, low, high = struct.unpack_from("<3I", entry, 116)
        length = low | (high << 32 if major >= 4 else 0)
        if kind == 5:
            root_start, root_size = start, length
        entry_name = entry[: max(0, min(name_len, 64) - 2)].decode("utf-16-le", errors="replace").lower()
        if kind != 2 or entry_name not in names:
            continue
        if length >= cutoff:
            data = stream_sectors(start)
        else:  # a small stream: 64-byte pieces of the root entry's mini stream, chained by the mini FAT
            if root_start is None:
                raise ValueError("no root entry")
            mini = stream_sectors(root_start)[:root_size]
            minifat_sectors = chain(minifat_start, fat)[:n_minifat] if n_minifat else []
            minifat = struct.unpack(
                f"<{len(minifat_sectors) * per_sector}I", b"".join(map(sector, minifat_sectors))
            )
            data = b"".join(mini[i * 64 : i * 64 + 64] for i in chain(start, minifat))
        if len(data) < length:
            raise ValueError("stream shorter than its entry says")
        return data[:length]
    return None


def biff_scan(
    stream: bytes, sheet_name: str, sheet_names: list[str]
) -> tuple[list[tuple[int, int]], dict[tuple[int, int], Shown], dict[tuple[int, int], str]]:
    """Formula cells (row, column), number cells in a padding format (-> `padding_format`) and text cells in a legacy font
    (-> font name) of one worksheet, from a BIFF5/BIFF8 workbook stream.

    The globals (the records up to the first EOF) hold the fonts (FONT), the number formats (FORMAT), the
    cell styles (XF, in index order, each naming its font and format) and one BOUNDSHEET per sheet, in
    workbook order, with the offset of that sheet's own BOF. In the sheet, FORMULA, NUMBER, RK and the text
    cells (LABELSST, LABEL, RSTRING) start with the cell's row, column and style; a MULRK holds a run of
    styled numbers in one row. A font change inside a text (rich-text runs) is not looked at: a cell has
    its style's font.
    """
    unpack = struct.Struct("<HH").unpack_from
    end = len(stream)
    offsets: list[tuple[int, str]] = []
    formats: dict[int, Shown] = {}  # format id -> `padding_format`, for the formats that pad or add text
    fonts: list[str] = []
    xf_formats: list[int] = []
    xf_fonts: list[int] = []
    biff8 = True
    pos = 0
    while pos + 4 <= end:
        kind, size = unpack(stream, pos)
        body = pos + 4
        if kind == _BIFF_BOF and size >= 2:
            biff8 = unpack(stream, body)[0] >= 0x0600
        elif kind == _BIFF_XF and size >= 4:
            font, number_format = unpack(stream, body)
            xf_fonts.append(font)
            xf_formats.append(number_format)
        elif kind == _BIFF_FONT:
            fonts.append(_font_name(stream[body : body + size], biff8))
        elif kind == _BIFF_FORMAT and size >= 3:
            if shown := padding_format(_biff_format_code(stream[body : body + size], biff8)):
                formats[unpack(stream, body)[0]] = shown
        elif kind == _BIFF_BOUNDSHEET and size >= 8:
            offset = int.from_bytes(stream[body : body + 4], "little")
            offsets.append((offset, _boundsheet_name(stream, body, size)))
        elif kind == _BIFF_EOF:
            break
        pos = body + size
    where = [offset for offset, title in offsets if title == sheet_name]
    if not where and len(offsets) == len(sheet_names) and sheet_name in sheet_names:
        where = [offsets[sheet_names.index(sheet_name)][0]]  # a BIFF5 name in another code page
    if not where or where[0] + 4 > end or unpack(stream, where[0])[0] != _BIFF_BOF:
        raise ValueError(f"no substream for sheet {sheet_name!r}")
    padded_xf = {i: formats[f] for i, f in enumerate(xf_formats) if f in formats}
    legacy_xf = _legacy_styles(fonts, xf_fonts)
    numbers = frozenset((_BIFF_NUMBER, _BIFF_RK, _BIFF_MULRK)) if padded_xf else frozenset()
    texts = frozenset((_BIFF_LABELSST, _BIFF_LABEL, _BIFF_RSTRING)) if legacy_xf else frozenset()
    found: list[tuple[int, int]] = []
    padded: dict[tuple[int, int], Shown] = {}
    in_font: dict[tuple[int, int], str] = {}
    head = struct.Struct("<5H").unpack_from  # record type, size, then row, column, style of a cell record
    stream += bytes(10)  # so that the last record's head can be read whatever its size
    skip = _biff_run(padded_xf, legacy_xf).match
    pos, depth = where[0], 0
    while pos < end:
        if run := skip(stream, pos):  # most of a sheet: one C loop over the records that tell nothing
            pos = run.end()
            continue
        kind, size, row, col, xf = head(stream, pos)
        if kind < 0x000B or kind == _BIFF_BOF:
            if kind == _BIFF_FORMULA and size >= 4:
                found.append((row, col))
            elif kind == _BIFF_BOF:
                depth += 1  # an embedded chart's substream sits inside the sheet's
            elif kind == _BIFF_EOF:
                depth -= 1
                if depth == 0:
                    break
        elif kind in numbers and size >= 6:
            if kind == _BIFF_MULRK:  # row, first column, (style, RK value) per cell, last column
                for i in range((size - 6) // 6):
                    at = pos + 8 + 6 * i
                    if (style := stream[at] | stream[at + 1] << 8) in padded_xf:
                        padded[(row, col + i)] = padded_xf[style]
            elif xf in padded_xf:
                padded[(row, col)] = padded_xf[xf]
        elif kind in texts and size >= 6 and xf in legacy_xf:
            in_font[(row, col)] = legacy_xf[xf]
        pos += 4 + size
    return found, padded, in_font


def _legacy_styles(fonts: list[str], xf_fonts: list[int]) -> dict[int, str]:
    """Style (XF index) -> font name, for the styles in a legacy font; empty, and cheap, when there is none.

    An XF's font index 4 names no font (BIFF leaves it out): from 5 on, index n is FONT record n - 1."""
    if not any(map(legacy_font, fonts)):
        return {}
    by_index = fonts[:4] + [""] + fonts[4:]
    return {
        xf: by_index[font]
        for xf, font in enumerate(xf_fonts)
        if font < len(by_index) and legacy_font(by_index[font])
    }


def _biff_format_code(body: bytes, biff8: bool) -> str:
    """The format string of a FORMAT record body: BIFF8 XLUnicodeString after the id, else 8-bit."""
    if biff8 and len(body) >= 5:
        count, wide = int.from_bytes(body[2:4], "little"), body[4] & 1
        return body[5 : 5 + count * (2 if wide else 1)].decode(
            "utf-16-le" if wide else "latin-1", errors="replace"
        )
    return body[3 : 3 + body[2]].decode("latin-1", errors="replace") if len(body) >= 3 else ""


def _font_name(body: bytes, biff8: bool) -> str:
    """The name of a FONT record body: after 14 bytes of size, style and colour, a BIFF8 ShortXLUnicodeString
    (count, flags, characters), else a count and 8-bit characters (read as Latin-1: font names are ASCII)."""
    if len(body) < 15:
        return ""
    count = body[14]
    if biff8:
        wide = len(body) > 15 and body[15] & 1
        return body[16 : 16 + count * (2 if wide else 1)].decode(
            "utf-16-le" if wide else "latin-1", errors="replace"
        )
    return body[15 : 15 + count].decode("latin-1", errors="replace")


def _boundsheet_name(stream: bytes, start: int, size: int) -> str:
    """The sheet name of a BOUNDSHEET record body: BIFF8 ShortXLUnicodeString, else 8-bit (read as Latin-1)."""
    body = stream[start + 6 : start + size]
    if not body:
        return ""
    count = body[0]
    if len(body) >= 2 and len(body) - 2 in (count, 2 * count) and body[1] in (0, 1):
        chars = body[2:]
        return chars.decode("utf-16-le" if body[1] else "latin-1", errors="replace")
    return body[1 : 1 + count].decode("latin-1", errors="replace")
