"""Portal files in the formats offices really send: ';' and tab CSVs with line breaks in cells, CSVs in TCVN3,
VNI and Windows-1258 bytes, .xls files with formulas, and codes stored as numbers shown with leading zeros.

Every file is built here, in tmp_path: the .xls files by a small BIFF8 writer (`build_xls`, with the record
and compound-file helpers of `xls_build`), as no .xls writer is installed.
"""

from __future__ import annotations

import codecs
import csv
import struct
import unicodedata
from pathlib import Path

import pytest
from xls_build import compound_file, record, xl_string

from tthc_desk.domain import Channel, Status
from tthc_desk.errors import ImportFailed
from tthc_desk.paths import resource_path
from tthc_desk.sync.legacy import encode_tcvn3, encode_vni
from tthc_desk.sync.reader import read_cases_file
from tthc_desk.sync.workbook import FormulaCells, load_sheet

HEADER = ["STT", "Số hồ sơ", "Họ và tên", "Mã TTHC", "Ngày tiếp nhận", "Địa chỉ"]


def _csv_text(rows: list[list[str]], delimiter: str) -> str:
    """Rows as Excel writes them: cells with a delimiter, quote or line break quoted, CRLF between records."""

    def cell(value: str) -> str:
        if any(ch in value for ch in (delimiter, '"', "\n", "\r")):
            return '"' + value.replace('"', '""') + '"'
        return value

    return "".join(delimiter.join(map(cell, row)) + "\r\n" for row in rows)


def _rows_by_code(parsed) -> dict[str, object]:
    return {r.code: r for r in parsed.rows}


# ---------------------------------------------------------------- D3: delimiter with quoted line breaks


@pytest.mark.parametrize(
    ("delimiter", "encode"),
    [
        (";", lambda text: codecs.BOM_UTF8 + text.encode("utf-8")),  # Excel "CSV UTF-8" on a Vietnamese PC
        ("\t", lambda text: text.encode("utf-16")),  # Excel "Unicode Text"
        (";", lambda text: text.encode("utf-8")),
        ("\t", lambda text: text.encode("utf-16-le")),  # UTF-16 without its BOM, as some exporters write it
        (",", lambda text: text.encode("utf-16-be")),
    ],
    ids=["semicolon-utf8-bom", "tab-utf16", "semicolon-utf8", "tab-utf16le-no-bom", "comma-utf16be-no-bom"],
)
def test_a_line_break_in_a_quoted_cell_does_not_defeat_the_delimiter(tmp_path, delimiter, encode):
    rows = [
        HEADER,
        ["1", "CSV-0001", "Nguyễn Thị Hương", "1.000080", "16/11/2026 08:00", "Thôn Phú Mỹ\nxã Tây Phú"],
        ["2", "CSV-0002", "Trần Văn Đức", "1.001193", "17/11/2026 14:30", "Khu 1, thị trấn Phú Phong"],
        ["3", "CSV-0003", "Lê Thị Tuyết", "1.001193", "17/11/2026 14:30", "Tây Sơn"],
    ]
    path = tmp_path / "hs.csv"
    path.write_bytes(encode(_csv_text(rows, delimiter)))
    parsed = read_cases_file(path)
    by_code = _rows_by_code(parsed)
    assert sorted(by_code) == ["CSV-0001", "CSV-0002", "CSV-0003"] and parsed.rejected == []
    assert by_code["CSV-0001"].address == "Thôn Phú Mỹ xã Tây Phú"
    assert by_code["CSV-0002"].address == "Khu 1, thị trấn Phú Phong"
    assert by_code["CSV-0002"].applicant == "Trần Văn Đức"

    # a comma file whose cells hold semicolons, tabs and line breaks is still read as a comma file
    comma = [
        HEADER,
        ["1", "CSV-0004", "Phạm Thị Hường", "1.000080", "16/11/2026", "Số 5; ngõ 3\nphố Huế"],
        ["2", "CSV-0005", "Đỗ Minh Đức", "1.000080", "16/11/2026", "Thôn 1;\txã An Bình"],
    ]
    path.write_bytes(_csv_text(comma, ",").encode("utf-8"))
    by_code = _rows_by_code(read_cases_file(path))
    assert by_code["CSV-0004"].address == "Số 5; ngõ 3 phố Huế"
    assert by_code["CSV-0005"].address == "Thôn 1; xã An Bình"


def test_a_csv_with_a_quote_never_closed_is_refused_with_a_message(tmp_path):
    path = tmp_path / "hs.csv"
    path.write_text(
        'Mã hồ sơ;Chủ hồ sơ;Ngày tiếp nhận\nHS-1;"Nguyễn Văn An;25/01/2025\n' + "x" * 200_000, "utf-8"
    )
    with pytest.raises(ImportFailed) as info:
        load_sheet(path)
    assert info.value.message == (
        "Tệp 'hs.csv' không đọc được dạng .csv (dòng 2): có ký tự lạ hoặc dấu ngoặc kép không đóng."
        " Hãy mở bằng Excel, lưu lại dạng .xlsx rồi nhập lại."
    )


# ---------------------------------------------------------------- D4: TCVN3 / VNI / Windows-1258 bytes

_TCVN3: dict[str, bytes] = {}
_VNI: dict[str, bytes] = {}
with resource_path("data", "vn_legacy_charsets.csv").open(encoding="utf-8") as _fh:
    for _row in csv.DictReader(_fh):
        _TCVN3[_row["unicode_char"]] = bytes.fromhex(_row["tcvn3_byte"])
        _VNI[_row["unicode_char"]] = bytes.fromhex(_row["vni_win_bytes"].replace(" ", ""))


def tcvn3_bytes(text: str) -> bytes:
    """What an old TCVN3 (ABC) program writes: one byte per letter, no toned capitals."""
    return b"".join(_TCVN3.get(ch) or ch.encode("ascii") for ch in unicodedata.normalize("NFC", text))


def vni_bytes(text: str) -> bytes:
    """What a VNI-Windows program writes: base letter + mark byte for most toned letters."""
    return b"".join(_VNI.get(ch) or ch.encode("ascii") for ch in unicodedata.normalize("NFC", text))


def cp1258_bytes(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows (Excel's plain "CSV") writes it: precomposed hats and horns, the tone
    as a combining byte after the letter ("xã" is b"xa\\xde")."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        marks = unicodedata.normalize("NFD", ch)
        tones = "".join(m for m in marks[1:] if m in "\u0300\u0301\u0303\u0309\u0323")
        base = unicodedata.normalize("NFC", "".join(m for m in marks if m not in tones))
        out.append((base + tones).encode("cp1258"))
    return b"".join(out)


ASCII_HEADER = [b"Ma ho so", b"Ho va ten", b"Dia chi", b"Ngay tiep nhan"]


def _csv_bytes(rows: list[list[bytes]]) -> bytes:
    """Comma-separated, every cell quoted (legacy bytes hold no quote)."""
    return b"".join(b",".join(b'"' + v.replace(b'"', b'""') + b'"' for v in row) + b"\r\n" for row in rows)


@pytest.mark.parametrize("encode", [tcvn3_bytes, vni_bytes], ids=["tcvn3", "vni"])
def test_a_legacy_csv_is_decoded_cell_by_cell(tmp_path, encode):
    people = [
        ("CSV-0001", "Nguyễn Thị Hương", "Thôn Phú Mỹ, xã Tây Phú"),
        ("CSV-0002", "Lê Tiến Dũng", "Xã Tây Thuận"),
        ("CSV-0003", "Đỗ Thị Ngã", "Đội 5, thôn Hoà Hiệp"),
        ("CSV-0004", "Trần Văn Đức", "Số 12 đường Trường Chinh"),
    ]
    # in VNI, the header "Số hồ sơ" is "Soá hoà sô": letters Windows-1258 has too, so alone it stays that; the
    # names under it show VNI, and the header is read as the file is
    header = [encode(h) for h in ("Số hồ sơ", "Họ và tên", "Địa chỉ", "Ngày tiếp nhận")]
    rows = [header] + [[c.encode(), encode(n), encode(a), b"16/11/2026 08:00"] for c, n, a in people]
    path = tmp_path / "hs.csv"
    path.write_bytes(_csv_bytes(rows))
    parsed = read_cases_file(path)
    by_code = _rows_by_code(parsed)
    assert [(c, by_code[c].applicant, by_code[c].address) for c, _, _ in people] == people
    encoding = "tcvn3" if encode is tcvn3_bytes else "vni"
    assert parsed.encodings.get(encoding, 0) >= 8 and not parsed.encodings.get("unicode")


@pytest.mark.parametrize("encode", [tcvn3_bytes, vni_bytes], ids=["tcvn3", "vni"])
def test_short_legacy_cells_are_read_in_the_encoding_the_file_shows(tmp_path, encode):
    """An old program's export: statuses and channels are short texts of letters Windows-1258 has too (TCVN3
    "Trùc tiÕp" is also cp1258 letters); read alone, they were garbled and every row was rejected. The
    names and addresses show the file's encoding, and the short cells are read in it."""
    header = ["Mã hồ sơ", "Chủ hồ sơ", "Địa chỉ", "Kênh nộp", "Trạng thái", "Ngày tiếp nhận", "Ngày hẹn trả"]
    cases = [
        ("HS-01", "Nguyễn Văn An", "Số 5, thôn Phú Mỹ", "Trực tiếp", "Mới tiếp nhận"),
        ("HS-02", "Phạm Thị Hường", "Xóm 2, xã An Bình", "Trực tuyến", "Đang giải quyết"),
        ("HS-03", "Lê Hoàng Phúc", "Khu phố Hoà Bình", "Bưu chính", "Đang giải quyết"),
        ("HS-04", "Đỗ Thị Ngã", "Đội 5, xã Tiến Thành", "Trực tiếp", "Chờ bổ sung"),
    ]
    rows = [[encode(h) for h in header]] + [
        [encode(v) for v in case] + [b"16/11/2026 08:00", b"20/11/2026 17:00"] for case in cases
    ]
    path = tmp_path / "hs.csv"
    path.write_bytes(_csv_bytes(rows))
    parsed = read_cases_file(path)
    assert parsed.rejected == []
    got = [(r.code, r.applicant, r.address, r.channel, r.status) for r in parsed.rows]
    channels = {"Trực tiếp": Channel.DIRECT, "Trực tuyến": Channel.ONLINE, "Bưu chính": Channel.POST}
    statuses = {
        "Mới tiếp nhận": Status.RECEIVED,
        "Đang giải quyết": Status.PROCESSING,
        "Chờ bổ sung": Status.WAITING_SUPPLEMENT,
    }
    assert got == [(c, n, a, channels[ch], statuses[st]) for c, n, a, ch, st in cases]


@pytest.mark.parametrize("encode", [encode_tcvn3, encode_vni], ids=["tcvn3", "vni"])
def test_a_workbook_of_legacy_text_without_its_fonts_is_read_in_the_encoding_it_shows(make_xlsx, encode):
    """An old program's export, or values pasted into a sheet in Calibri: TCVN3/VNI text with no legacy font
    to tell it. Cell by cell, the header was not found (VNI) or the short statuses and channels were garbled
    and their rows rejected (TCVN3); the sheet's other cells show the encoding, as a legacy CSV's do."""
    header = ["Mã hồ sơ", "Chủ hồ sơ", "Địa chỉ", "Kênh nộp", "Trạng thái", "Ngày tiếp nhận"]
    cases = [
        ("HS-01", "Nguyễn Văn An", "Số 5, thôn Phú Mỹ", "Trực tiếp", "Mới tiếp nhận"),
        ("HS-02", "Phạm Thị Hường", "Xóm 2, xã An Bình", "Trực tuyến", "Đang giải quyết"),
        ("HS-03", "Lê Hoàng Phúc", "Khu phố Hoà Bình", "Bưu chính", "Đang giải quyết"),
        ("HS-04", "Đỗ Thị Ngã", "Đội 5, xã Tiến Thành", "Trực tiếp", "Chờ bổ sung"),
    ]
    rows = [[encode(v) for v in case] + ["16/11/2026 08:00"] for case in cases]
    parsed = read_cases_file(make_xlsx(rows, headers=[encode(h) for h in header], title=None))
    assert parsed.rejected == []
    got = [(r.code, r.applicant, r.address, r.channel.label, r.status) for r in parsed.rows]
    assert [g[:3] for g in got] == [c[:3] for c in cases]
    assert [g[3] for g in got] == ["Trực tiếp", "Trực tuyến", "Bưu chính công ích", "Trực tiếp"]
    assert [g[4] for g in got] == [Status.RECEIVED, Status.PROCESSING, Status.PROCESSING, Status.WAITING_SUPPLEMENT]


def test_a_unicode_workbook_is_not_read_as_a_legacy_one(make_xlsx):
    """Names of Latin-1 letters only ("Lê Hoàng Phúc") next to Unicode text: the sheet shows Unicode, and no
    cell is decoded."""
    names = ["Lê Hoàng Phúc", "Trần Thị Bích", "Nguyễn Văn An", "Hà Lê", "Tô Hà", "Phan Thị Ánh"]
    rows = [["", f"HS-{i}", name, "", "", "", "", "", "", "", "Đang xử lý", "16/11/2026"] for i, name in enumerate(names)]
    parsed = read_cases_file(make_xlsx(rows))
    assert [r.applicant for r in parsed.rows] == names and not parsed.encodings.get("tcvn3")


def test_cp1258_tcvn3_vni_and_utf8_cells_side_by_side(tmp_path):
    """One file pieced together from several programs: each cell is read on its own bytes, and Unicode
    (Windows-1258 or UTF-8) cells next to legacy ones are left as they are."""
    rows = [
        ASCII_HEADER,
        [b"HS-01", cp1258_bytes("Nguyễn Thị Ánh"), cp1258_bytes("Xã Tây Phú"), b"16/11/2026"],
        [b"HS-02", tcvn3_bytes("Nguyễn Thị Hương"), tcvn3_bytes("Thôn Phú Mỹ"), b"16/11/2026"],
        [b"HS-03", vni_bytes("Lê Tiến Dũng"), cp1258_bytes("Đội 5, xã Ngã Ba"), b"16/11/2026"],
        [b"HS-04", "Phạm Thị Hường".encode(), vni_bytes("Xã Tây Thuận"), b"16/11/2026"],
        [b"HS-05", cp1258_bytes("Hoàng Văn Ngữ"), "Cầu Giấy, Hà Nội".encode(), b"16/11/2026"],
    ]
    path = tmp_path / "hs.csv"
    path.write_bytes(_csv_bytes(rows))
    parsed = read_cases_file(path)
    # the user is told what the file holds: a Windows-1258 file was said to be "Unicode"
    assert parsed.encodings == {"cp1258": 4, "tcvn3": 2, "vni": 2, "unicode": 2}
    by_code = _rows_by_code(parsed)
    assert {c: (r.applicant, r.address) for c, r in by_code.items()} == {
        "HS-01": ("Nguyễn Thị Ánh", "Xã Tây Phú"),
        "HS-02": ("Nguyễn Thị Hương", "Thôn Phú Mỹ"),
        "HS-03": ("Lê Tiến Dũng", "Đội 5, xã Ngã Ba"),
        "HS-04": ("Phạm Thị Hường", "Xã Tây Thuận"),
        "HS-05": ("Hoàng Văn Ngữ", "Cầu Giấy, Hà Nội"),
    }
    for row in load_sheet(path).rows:  # what the sheet holds is NFC text or the cp1252 form of legacy bytes
        assert all(unicodedata.is_normalized("NFC", v) for v in row)


# Procedure names of the shipped catalogue: every one, written by Windows-1258, must come back unchanged next to
# a TCVN3 column (the Windows-1258 tone bytes read as TCVN3 letters, so a pattern test alone would take "xã"
# for TCVN3).
def _catalogue_names() -> list[str]:
    with resource_path("data", "thu_tuc_cap_xa.csv").open(encoding="utf-8") as fh:
        return sorted(
            {unicodedata.normalize("NFC", " ".join(r["ten_thu_tuc"].split())) for r in csv.DictReader(fh)}
        )


def _encodable(text: str) -> bool:
    try:
        cp1258_bytes(text)
    except UnicodeEncodeError:  # cp1258 has no "–"
        return False
    return True


def test_the_whole_catalogue_in_cp1258_next_to_a_tcvn3_column(tmp_path):
    names = [n for n in _catalogue_names() if _encodable(n)]
    places = [
        "thị trấn Phú Phong",
        "Thôn Phú Mỹ",
        "Đội 5, xã Tiến Thành",
        "Khu phố Hoà Bình",
        "phường Trường Thi",
    ]
    rows = [ASCII_HEADER] + [
        [f"HS-{i:04d}".encode(), cp1258_bytes(name), tcvn3_bytes(places[i % 5]), b"16/11/2026"]
        for i, name in enumerate(names)
    ]
    path = tmp_path / "hs.csv"
    path.write_bytes(_csv_bytes(rows))
    parsed = read_cases_file(path)
    got = {r.code: (r.applicant, r.address) for r in parsed.rows}
    assert len(names) > 500
    assert [got[f"HS-{i:04d}"] for i in range(len(names))] == [
        (n, places[i % 5]) for i, n in enumerate(names)
    ]
    assert parsed.encodings["tcvn3"] == len(names) and not parsed.encodings.get("vni")


# ---------------------------------------------------------------- .xls files (BIFF8), built here


GENERAL = 15  # the cell style of plain cells: after the 15 style records every BIFF8 workbook starts with


def _biff_sheet(cells: dict[tuple[int, int], object]) -> bytes:
    """A worksheet substream; a cell value is text, a number, (style, number) or ('formula', cached number)."""
    rows = 1 + max((r for r, _ in cells), default=0)
    cols = 1 + max((c for _, c in cells), default=0)
    out = [record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 6))]
    out.append(record(0x0200, struct.pack("<IIHHH", 0, rows, 0, cols, 0)))  # DIMENSIONS
    for (r, c), value in sorted(cells.items()):
        style = GENERAL
        if isinstance(value, tuple) and value[0] == "formula":  # =1+2 with its cached value
            rgce = b"\x1e\x01\x00\x1e\x02\x00\x03"
            body = struct.pack("<HHHdHIH", r, c, GENERAL, value[1], 0, 0, len(rgce)) + rgce
            out.append(record(0x0006, body))
            continue
        if isinstance(value, tuple):
            style, value = value
        if isinstance(value, str):
            out.append(record(0x0204, struct.pack("<HHH", r, c, style) + xl_string(value, 2)))  # LABEL
        else:
            out.append(record(0x0203, struct.pack("<HHHd", r, c, style, value)))  # NUMBER
    out.append(record(0x000A, b""))
    return b"".join(out)


def _xf(number_format: int, flags: int) -> bytes:
    return record(0x00E0, struct.pack("<HHHBBBBIIH", 0, number_format, flags, 0x20, 0, 0, 0, 0, 0, 0x20C0))


def _biff_workbook(sheets: dict[str, dict[tuple[int, int], object]], formats: list[str]) -> bytes:
    """The Workbook stream: globals (number formats from id 164; 15 style XFs, the plain cell style
    `GENERAL`, then one cell style per format: GENERAL + 1 …; the sheet list), then each sheet."""
    globals_ = [record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 6))]
    globals_.append(record(0x0042, struct.pack("<H", 1200)))  # CODEPAGE: UTF-16
    globals_ += [record(0x041E, struct.pack("<H", 164 + i) + xl_string(f, 2)) for i, f in enumerate(formats)]
    globals_ += [_xf(0, 0xFFF5)] * 15 + [_xf(0, 0x0001)] + [_xf(164 + i, 0x0001) for i in range(len(formats))]
    bodies = [_biff_sheet(cells) for cells in sheets.values()]

    def boundsheets(offsets: list[int]) -> list[bytes]:
        return [
            record(0x0085, struct.pack("<IBB", off, 0, 0) + xl_string(name, 1))
            for name, off in zip(sheets, offsets, strict=True)
        ]

    start = sum(map(len, globals_ + boundsheets([0] * len(sheets)))) + 4  # + EOF
    offsets = [start + sum(map(len, bodies[:i])) for i in range(len(bodies))]
    return b"".join(globals_ + boundsheets(offsets) + [record(0x000A, b"")] + bodies)


def build_xls(path: Path, sheets: dict[str, dict[tuple[int, int], object]], formats: list[str] = ()) -> Path:
    path.write_bytes(compound_file(_biff_workbook(sheets, list(formats))))
    return path


def _cells(rows: list[list[object]]) -> dict[tuple[int, int], object]:
    return {(r, c): v for r, row in enumerate(rows) for c, v in enumerate(row) if v is not None}


XLS_HEADER = ["Mã hồ sơ", "Chủ hồ sơ", "Ngày tiếp nhận", "Số CCCD", "Ghi chú"]


@pytest.mark.parametrize("padding", [0, 5000], ids=["mini-stream", "regular-sectors"])
def test_xls_formula_cells_are_refused_like_xlsx_ones(tmp_path, padding):
    rows = [XLS_HEADER, ["XL-0001", "Nguyễn Văn An", "25/01/2025", "079123456789", "x" * padding]]
    plain = build_xls(tmp_path / "plain.xls", {"Hồ sơ": _cells(rows)})
    assert load_sheet(plain).rows[1][:2] == ["XL-0001", "Nguyễn Văn An"]  # the builder makes readable files

    with_formulas = _cells(rows + [["XL-0002", "Trần Thị Bích", "26/01/2025", ("formula", 3.0)]])
    with_formulas[(4, 4)] = ("formula", 3.0)
    path = build_xls(tmp_path / "hs.xls", {"Hồ sơ": with_formulas})
    with pytest.raises(FormulaCells) as info:
        read_cases_file(path)
    assert info.value.cells == ["D3", "E5"]
    assert info.value.message == (
        "Tệp 'hs.xls' có ô chứa công thức (D3, E5). Hãy chọn toàn bộ, sao chép rồi dán dạng giá trị"
        " (Paste Values), lưu lại rồi nhập lại."
    )
    # a formula on another sheet than the one imported refuses nothing, as in .xlsx
    two = build_xls(tmp_path / "two.xls", {"Hồ sơ": _cells(rows), "Tổng hợp": {(0, 0): ("formula", 3.0)}})
    assert [r.code for r in read_cases_file(two).rows] == ["XL-0001"]
    with pytest.raises(FormulaCells):
        load_sheet(two, sheet="Tổng hợp")


@pytest.mark.parametrize("cut", [1100, 1300])
def test_a_damaged_xls_is_refused_with_a_message(tmp_path, cut):
    """A download cut short inside the directory made calamine panic (an exception that is no Exception, so it
    ended the import); the compound file is checked before calamine reads it."""
    rows = [XLS_HEADER, ["XL-0001", "Nguyễn Văn An", "25/01/2025", "079123456789", "x" * 6000]]
    path = build_xls(tmp_path / "hs.xls", {"Hồ sơ": _cells(rows)})
    whole = path.read_bytes()
    for size in (cut, 5000):  # in the directory sector, then in the Workbook stream
        path.write_bytes(whole[:size])
        with pytest.raises(ImportFailed) as info:
            load_sheet(path)
        assert info.value.message == (
            "Tệp 'hs.xls' không phải bảng tính Excel đọc được (.xls hỏng hoặc định dạng khác)."
        )


@pytest.mark.parametrize("where", ["open", "read"])
def test_a_panic_inside_calamine_is_a_damaged_file_not_a_crash(tmp_path, monkeypatch, where):
    """Some damaged record data makes calamine's Rust code panic; pyo3 raises that as PanicException, which
    derives from BaseException (not Exception). It is a damaged file to the user; anything else still passes
    through. (A file that panics is found only by random damage, so calamine's panic is stood in for.)"""
    import python_calamine as pc

    class PanicException(BaseException):  # the name pyo3 gives it
        pass

    rows = [XLS_HEADER, ["XL-0001", "Nguyễn Văn An", "25/01/2025", "079123456789", "x"]]
    path = build_xls(tmp_path / "hs.xls", {"Hồ sơ": _cells(rows)})
    real = pc.CalamineWorkbook.from_path
    calls = []

    def panicking(name):
        calls.append(name)
        if where == "open" or len(calls) > 1:
            raise PanicException("called `Option::unwrap()` on a `None` value")
        return real(name)

    monkeypatch.setattr(pc.CalamineWorkbook, "from_path", panicking)
    with pytest.raises(ImportFailed, match="hỏng"):
        load_sheet(path)
    monkeypatch.setattr(pc.CalamineWorkbook, "from_path", lambda _n: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):  # a real interruption is not swallowed as a damaged file
        load_sheet(path)


# ---------------------------------------------------------------- D8: numbers shown with leading zeros


def test_xlsx_codes_in_a_zero_padding_format_keep_their_zeros(make_xlsx):
    rows = [
        ["1", 123, "Nguyễn Văn An", 1090001234, "", "", "", "", "", "", "Đang xử lý", "25/01/2025"],
        ["2", 4567, "Trần Thị Bích", 52046928680, 912345678, "", "", "", "", "", "Đang xử lý", "25/01/2025"],
        ["3", 89, "Lê Văn Cường", 79123456789, "", "", "", "", "", "", "Đang xử lý", "25/01/2025"],
        ["4", 12.5, "Phạm Thị Hường", "", "", "", "", "", "", "", "Đang xử lý", "25/01/2025"],
    ]
    formats = {(0, 1): '"HS"000000', (1, 1): "000000", (0, 3): "000000000000", (1, 3): "000000000000",
               (1, 4): "0000000000", (3, 1): "000000"}  # fmt: skip
    parsed = read_cases_file(make_xlsx(rows, number_formats=formats))
    got = [(r.code, r.citizen_id, r.phone) for r in parsed.rows]
    assert got == [
        ("HS000123", "001090001234", ""),  # a format writing text before the zeros: the code the user saw
        ("004567", "052046928680", "0912345678"),
        ("89", "079123456789", ""),  # no format: the zeros cannot be known, and the user is told
        ("12.5", "", ""),  # not a whole number: '000000' would show it rounded, the value is kept
    ]
    assert parsed.warnings == [
        "Dòng 6: Mã hồ sơ ô dạng số (89), đã đọc là '89'",
        "Dòng 6: Số định danh ô dạng số (79123456789), đã đọc là '079123456789'",
        "Dòng 7: Mã hồ sơ ô dạng số (12.5), đã đọc là '12.5'",
    ]


def test_xls_codes_in_a_zero_padding_format_keep_their_zeros(tmp_path):
    six, twelve = GENERAL + 1, GENERAL + 2  # the styles of '"HS-"000000' and "000000000000"
    rows = [
        XLS_HEADER,
        [(six, 123.0), "Nguyễn Văn An", "25/01/2025", (twelve, 1090001234.0)],
        [(six, 4567.0), "Trần Thị Bích", "25/01/2025", 52046928680.0],
    ]
    path = build_xls(tmp_path / "hs.xls", {"Hồ sơ": _cells(rows)}, formats=['"HS-"000000', "000000000000"])
    parsed = read_cases_file(path)
    assert [(r.code, r.citizen_id) for r in parsed.rows] == [
        ("HS-000123", "001090001234"),
        ("HS-004567", "052046928680"),
    ]
    assert parsed.warnings == ["Dòng 3: Số định danh ô dạng số (52046928680), đã đọc là '052046928680'"]
