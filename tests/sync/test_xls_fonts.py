"""Legacy fonts in .xls files: the cells in a `.Vn*` / `VNI-*` font are found in the BIFF records (calamine
gives no fonts) and decoded with their font, as in .xlsx: `.VnTimeH` text in capitals, ambiguous text by its
font.

The files are built here by `xls_build` (no .xls writer is installed): four Arial fonts, then the named ones
from font index 5 (BIFF has no font 4), so a scan that forgot the gap would give a cell its neighbour's font.
"""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from sqlalchemy import select
from xls_build import build_styled_xls

from tthc_desk.storage.models import Case
from tthc_desk.sync.biff import BIFF_STREAMS, biff_scan, ole_stream
from tthc_desk.sync.legacy import encode_tcvn3, encode_vni
from tthc_desk.sync.reader import read_cases_file
from tthc_desk.sync.workbook import load_sheet

KS = "1.001193"
TITLE = "DANH SÁCH HỒ SƠ TIẾP NHẬN\nUBND XÃ AN BÌNH"
HEADER = ["STT", "Số hồ sơ", "Người nộp", "Địa chỉ", "Mã TTHC", "Đơn vị xử lý", "Tình trạng", "Ngày nhận"]
VN, VNH, VNI, TNR = ".VnTime", ".VnTimeH", "VNI-Times", "Times New Roman"

# (code, applicant cell, address cell, what the case must show); a cell: Unicode text or (font, text as typed)
CASES = [
    ("HS-0001", (VN, encode_tcvn3("Nguyễn Thị Hương")), (VNI, encode_vni("Thôn Phú Mỹ, xã Tây Phú")),
     ("Nguyễn Thị Hương", "Thôn Phú Mỹ, xã Tây Phú")),
    ("HS-0002", "Trần Văn Đức", "Khu 1, thị trấn Phú Phong", ("Trần Văn Đức", "Khu 1, thị trấn Phú Phong")),
    # an H font shows the lower-case letters typed as capitals
    ("HS-0003", (VNH, encode_tcvn3("hộ kinh doanh phúc lộc")), (VNH, encode_tcvn3("tổ dân phố 3")),
     ("HỘ KINH DOANH PHÚC LỘC", "TỔ DÂN PHỐ 3")),
    # "Vâ Tè Nga", "Sè 5 ngâ Bé" are Unicode-looking letters: only the font tells they are TCVN3
    ("HS-0004", (VN, encode_tcvn3("Võ Tố Nga")), (VN, encode_tcvn3("Số 5 ngõ Bộ")),
     ("Võ Tố Nga", "Số 5 ngõ Bộ")),
    # Unicode typed into a legacy font stays as it is; a Unicode font is no legacy cell
    ("HS-0005", (VNI, "Phạm Thị Hường"), (TNR, "Xóm Bộ, xã Tây Thuận"),
     ("Phạm Thị Hường", "Xóm Bộ, xã Tây Thuận")),
]  # fmt: skip
LEGACY_CELLS = {(2, 2): VNH, (2, 3): VN, (3, 2): VN, (3, 3): VNI, (5, 2): VNH, (5, 3): VNH, (6, 2): VN,
                (6, 3): VN, (7, 2): VNI}  # fmt: skip


def portal_cells(cases=CASES, *, title: str = TITLE) -> dict[tuple[int, int], object]:
    """A portal list: the title merged over row 1, row 2 blank, the header on row 3 (two of its cells typed
    in TCVN3, "NGƯỜI NỘP" in the H font), the cases below; the STT numbers are in .VnTime too."""
    cells: dict[tuple[int, int], object] = {(0, 0): title}
    cells.update({(2, c): h for c, h in enumerate(HEADER)})
    cells[(2, 2)] = (VNH, encode_tcvn3("người nộp"))
    cells[(2, 3)] = (VN, encode_tcvn3("Địa chỉ"))
    for i, (code, applicant, address, _) in enumerate(cases):
        row = [
            (VN, float(i + 1)),
            code,
            applicant,
            address,
            KS,
            "Phòng Tư pháp",
            "Đang xử lý",
            "03/03/2025 08:30",
        ]
        cells.update({(3 + i, c): v for c, v in enumerate(row)})
    return cells


def build(path: Path, **kw) -> Path:
    return build_styled_xls(path, portal_cells(), merged=((0, 0, 0, len(HEADER) - 1),), **kw)


@pytest.mark.parametrize("text_record", ["sst", "label", "rstring"])
def test_the_sheet_gives_exactly_the_text_cells_in_a_legacy_font(tmp_path, text_record):
    data = load_sheet(build(tmp_path / "hs.xls", text_record=text_record))
    assert data.source == "xls" and data.rows[0][0] == TITLE and ((0, 0), (0, 7)) in data.merged
    assert data.fonts == LEGACY_CELLS  # not the numbers in .VnTime, nor the Times New Roman cell
    assert data.font(3, 2) == VN and data.font(4, 2) is None


def test_an_xls_import_decodes_each_cell_with_its_font(tmp_path):
    parsed = read_cases_file(build(tmp_path / "hs.xls"))
    assert parsed.header_row == 3 and parsed.rejected == []
    assert [(r.code, (r.applicant, r.address)) for r in parsed.rows] == [(c[0], c[3]) for c in CASES]
    # the data cells: the unit and status columns and HS-0002/HS-0005 are Unicode, HS-0005's VNI font included
    assert parsed.encodings == {"unicode": 14, "tcvn3": 5, "vni": 1}


def test_an_excel_95_file_is_read_alike(tmp_path):
    """BIFF5 keeps text as 8-bit bytes in the code page (Windows-1252), FONT names as 8-bit strings."""
    cases = [
        ("HS-0001", (VN, encode_tcvn3("Nguyễn Thị Hương")), (VNI, encode_vni("Thôn Phú Mỹ, xã Tây Phú"))),
        ("HS-0003", (VNH, encode_tcvn3("hộ kinh doanh phúc lộc")), (VN, encode_tcvn3("Số 5 ngõ Bộ"))),
        ("HS-0004", "Nguyen Van An", (TNR, "Xom 2")),
    ]
    cases = [(*c, None) for c in cases]
    # all its text is TCVN3; where it is typed in Arial, not a legacy font, it is told by its pattern
    cells = {k: encode_tcvn3(v) if isinstance(v, str) else v for k, v in portal_cells(cases).items()}
    path = build_styled_xls(tmp_path / "hs95.xls", cells, biff5=True)
    assert ole_stream(path.read_bytes(), ("book",)) is not None
    data = load_sheet(path)
    assert data.fonts == {(2, 2): VNH, (2, 3): VN, (3, 2): VN, (3, 3): VNI, (4, 2): VNH, (4, 3): VN}
    got = [(r.code, r.applicant, r.address) for r in read_cases_file(path).rows]
    assert got == [
        ("HS-0001", "Nguyễn Thị Hương", "Thôn Phú Mỹ, xã Tây Phú"),
        ("HS-0003", "HỘ KINH DOANH PHÚC LỘC", "Số 5 ngõ Bộ"),
        ("HS-0004", "Nguyen Van An", "Xom 2"),
    ]


def test_legacy_cells_are_found_among_many_plain_records(tmp_path):
    """Runs of plain records are skipped by one regex: a legacy cell in the middle of one is still seen."""
    cells: dict[tuple[int, int], object] = {}
    legacy = {}
    for r in range(300):
        for c in range(8):
            if (r * 8 + c) % 37 == 0:
                cells[(r, c)] = (VN, encode_tcvn3("Nguyễn Văn An"))
                legacy[(r, c)] = VN
            else:
                cells[(r, c)] = float(r) if c % 3 == 0 else f"Ô {c}-{r % 5}"
    stream = ole_stream(build_styled_xls(tmp_path / "big.xls", cells).read_bytes(), BIFF_STREAMS)
    formulas, padded, fonts = biff_scan(stream, "DanhSach", ["DanhSach"])
    assert fonts == legacy and not formulas and not padded
    assert len(fonts) == 65


def test_font_index_four_names_no_font(tmp_path):
    """XF font indexes skip 4: index 5 is the fifth FONT record. An XF that says 4 (no such font) is no
    legacy style, even when the fifth record is a legacy font."""
    path = build_styled_xls(tmp_path / "hs.xls", {(0, 0): (VN, "bé"), (0, 1): "bé"})
    stream = ole_stream(path.read_bytes(), BIFF_STREAMS)
    assert biff_scan(stream, "DanhSach", ["DanhSach"])[2] == {(0, 0): VN}
    xf = struct.pack("<HH", 0x00E0, 20) + struct.pack("<H", 5)  # the XF of the .VnTime cells names font 5
    assert stream.count(xf) == 1
    stream = stream.replace(xf, struct.pack("<HH", 0x00E0, 20) + struct.pack("<H", 4))
    assert biff_scan(stream, "DanhSach", ["DanhSach"])[2] == {}


def test_a_workbook_without_legacy_fonts_has_no_font_cells(tmp_path):
    cells = {(0, 0): (TNR, "Nguyễn Văn An"), (0, 1): "Xã An Bình", (1, 0): (TNR, 3.0)}
    stream = ole_stream(build_styled_xls(tmp_path / "hs.xls", cells).read_bytes(), BIFF_STREAMS)
    assert biff_scan(stream, "DanhSach", ["DanhSach"]) == ([], {}, {})


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)  # the file, not the database, is under test
def test_the_imported_cases_show_the_legacy_cells_in_unicode(
    tmp_path, services, admin, units, make_procedure
):
    make_procedure(3, "working_days", code=KS, name="Thủ tục đăng ký khai sinh")
    result = services.sync.run_import(admin, build(tmp_path / "cong_tinh.xls"))
    assert result.counts["new"] == len(CASES) and not result.rejected
    with services.db.read() as s:
        got = {c.code: (c.applicant_name, c.applicant_address) for c in s.execute(select(Case)).scalars()}
    assert got == {c[0]: c[3] for c in CASES}
