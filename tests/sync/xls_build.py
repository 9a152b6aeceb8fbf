"""A small .xls writer for the sync tests (no .xls writer is installed): BIFF records, the OLE compound file
that holds them, and `build_styled_xls`, a one-sheet workbook whose cells carry fonts, as Excel writes it."""

from __future__ import annotations

import struct
from pathlib import Path

GENERAL = 15  # the first cell style: after the 15 style XFs every workbook starts with


def xl_string(text: str, length_bytes: int) -> bytes:
    """XLUnicodeString (2-byte length) or ShortXLUnicodeString (1-byte), always stored as UTF-16."""
    return len(text).to_bytes(length_bytes, "little") + b"\x01" + text.encode("utf-16-le")


def record(kind: int, body: bytes) -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def _text_8bit(text: str, length_bytes: int) -> bytes:
    """A BIFF5 string: length, then the text in the workbook's code page (Windows-1252 here)."""
    raw = text.encode("cp1252")
    return len(raw).to_bytes(length_bytes, "little") + raw


def build_styled_xls(
    path: Path,
    cells: dict[tuple[int, int], object],
    *,
    sheet: str = "DanhSach",
    merged: tuple[tuple[int, int, int, int], ...] = (),
    text_record: str = "sst",
    biff5: bool = False,
) -> Path:
    """One sheet; a cell is a number, a text, or (font name, number or text) for a value in that font.

    Text goes in LABELSST records and the shared string table (`text_record="sst"`, what Excel 97+ writes),
    LABEL or RSTRING records; `biff5` writes an Excel 5/95 file (8-bit Windows-1252 text in LABEL records, a
    "Book" stream). The globals hold four Arial FONT records, then one per font named in `cells` (font
    index 5 onwards: BIFF has no font 4), 15 style XFs, the plain cell style `GENERAL`, then one cell style
    per named font. `merged` ranges are (first row, last row, first column, last column).
    """
    fonts = sorted({v[0] for v in cells.values() if isinstance(v, tuple)})
    style = {name: GENERAL + 1 + i for i, name in enumerate(fonts)}
    strings: dict[str, int] = {}
    sheet_body = _sheet(cells, style, strings, merged, "label" if biff5 else text_record, biff5)
    globals_ = _globals(fonts, strings, biff5)

    def boundsheet(offset: int) -> bytes:
        name = _text_8bit(sheet, 1) if biff5 else xl_string(sheet, 1)
        return record(0x0085, struct.pack("<IBB", offset, 0, 0) + name)

    start = len(globals_) + len(boundsheet(0)) + 4  # + EOF
    stream = globals_ + boundsheet(start) + record(0x000A, b"") + sheet_body
    path.write_bytes(compound_file(stream, "Book" if biff5 else "Workbook"))
    return path


def _bof(kind: int, biff5: bool) -> bytes:
    if biff5:
        return record(0x0809, struct.pack("<HHHH", 0x0500, kind, 0x0DBB, 0x07CC))
    return record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 6))


def _font(name: str, biff5: bool) -> bytes:
    head = struct.pack("<HHHHHBBBB", 200, 0, 0x7FFF, 400, 0, 0, 0, 0, 0)  # 10 pt, automatic colour
    return record(0x0031, head + (_text_8bit(name, 1) if biff5 else xl_string(name, 1)))


def _xf(font: int, flags: int, biff5: bool) -> bytes:
    if biff5:
        return record(0x00E0, struct.pack("<HHHBBII", font, 0, flags, 0x20, 0, 0, 0))
    return record(0x00E0, struct.pack("<HHHBBBBIIH", font, 0, flags, 0x20, 0, 0, 0, 0, 0, 0x20C0))


def _globals(fonts: list[str], strings: dict[str, int], biff5: bool) -> bytes:
    out = [_bof(0x0005, biff5), record(0x0042, struct.pack("<H", 1252 if biff5 else 1200))]  # CODEPAGE
    out += [_font("Arial", biff5)] * 4 + [_font(name, biff5) for name in fonts]
    out += [_xf(0, 0xFFF5, biff5)] * 15 + [_xf(0, 0x0001, biff5)]
    out += [_xf(5 + i, 0x0001, biff5) for i in range(len(fonts))]
    if strings:
        sst = struct.pack("<II", len(strings), len(strings)) + b"".join(xl_string(s, 2) for s in strings)
        assert len(sst) <= 8224, "a longer table needs CONTINUE records"
        out.append(record(0x00FC, sst))
    return b"".join(out)


def _sheet(cells, style, strings, merged, text_record, biff5) -> bytes:
    rows = 1 + max((r for r, _ in cells), default=0)
    cols = 1 + max((c for _, c in cells), default=0)
    dimensions = struct.pack("<HHHHH" if biff5 else "<IIHHH", 0, rows, 0, cols, 0)
    out = [_bof(0x0010, biff5), record(0x0200, dimensions)]
    for (r, c), value in sorted(cells.items()):
        xf = GENERAL
        if isinstance(value, tuple):
            xf, value = style[value[0]], value[1]
        head = struct.pack("<HHH", r, c, xf)
        if not isinstance(value, str):
            out.append(record(0x0203, head + struct.pack("<d", value)))  # NUMBER
        elif text_record == "sst":  # each text once in the table, as Excel keeps it
            if value not in strings:
                strings[value] = len(strings)
            out.append(record(0x00FD, head + struct.pack("<I", strings[value])))  # LABELSST
        elif text_record == "label":
            out.append(record(0x0204, head + (_text_8bit(value, 2) if biff5 else xl_string(value, 2))))
        else:  # RSTRING: the text, then its formatting runs (none here: the whole cell in the cell's font)
            runs = b"\x00" if biff5 else b"\x00\x00"
            out.append(record(0x00D6, head + (_text_8bit(value, 2) if biff5 else xl_string(value, 2)) + runs))
    if merged and not biff5:  # MERGEDCELLS is BIFF8's
        ranges = b"".join(struct.pack("<4H", *m) for m in merged)
        out.append(record(0x00E5, struct.pack("<H", len(merged)) + ranges))
    out.append(record(0x000A, b""))
    return b"".join(out)


def compound_file(stream: bytes, name: str = "Workbook") -> bytes:
    """An OLE compound file (512-byte sectors) holding one stream; under 4096 bytes it goes to the mini
    stream, as the format requires."""
    end, fat_sect, nostream = 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    mini = len(stream) < 4096
    sectors: list[bytes] = []
    fat = [fat_sect, end]  # sector 0: the FAT, sector 1: the directory

    def chain(data: bytes, size: int) -> tuple[list[bytes], int]:
        pieces = [data[i : i + size].ljust(size, b"\x00") for i in range(0, max(len(data), 1), size)]
        return pieces, len(pieces)

    minifat_start = root_start = stream_start = end
    root_size = n_minifat = 0
    if mini:
        pieces, n = chain(stream, 64)
        minifat = [i + 1 for i in range(n - 1)] + [end]
        minifat_bytes = struct.pack(f"<{len(minifat)}I", *minifat).ljust(512, b"\xff")
        minifat_start, n_minifat = 2, 1
        sectors.append(minifat_bytes)
        fat.append(end)
        ministream = b"".join(pieces)
        root_pieces, rn = chain(ministream, 512)
        root_start, root_size = 3, len(ministream)
        sectors += root_pieces
        fat += [3 + i + 1 for i in range(rn - 1)] + [end]
        stream_start = 0
    else:
        pieces, n = chain(stream, 512)
        stream_start = 2
        sectors += pieces
        fat += [2 + i + 1 for i in range(n - 1)] + [end]
    assert len(fat) <= 128
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat) + b"\xff" * (512 - 4 * len(fat))

    def entry(title: str, kind: int, child: int, start: int, size: int) -> bytes:
        encoded = (title + "\x00").encode("utf-16-le") if title else b""
        return (
            encoded.ljust(64, b"\x00")
            + struct.pack("<HBB3I", len(encoded), kind, 1, nostream, nostream, child)
            + b"\x00" * 36
            + struct.pack("<3I", start, size, 0)
        )

    directory = (
        entry("Root Entry", 5, 1, root_start, root_size)
        + entry(name, 2, nostream, stream_start, len(stream))
        + entry("", 0, nostream, 0, 0) * 2
    )
    header = (
        bytes.fromhex("D0CF11E0A1B11AE1")
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<9I", 0, 1, 1, 0, 4096, minifat_start, n_minifat, end, 0)
        + struct.pack("<I", 0)
        + b"\xff" * (109 * 4 - 4)
    )
    assert len(header) == 512
    return header + fat_bytes + directory + b"".join(sectors)
