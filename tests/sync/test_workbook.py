import re
import struct
import time
import unicodedata
import zipfile

import openpyxl
import pytest
from zip_edits import rewrite_member, set_dimension

from tthc_desk.errors import ImportFailed
from tthc_desk.sync.workbook import OLE_MAGIC, FormulaCells, ReadLimits, load_sheet

ROW = ["1", "HS-001", "Nguyễn Văn An", "", "", "", "", "", "", "", "Đang xử lý", "25/01/2025"]


def _failure(path, **kw) -> str:
    with pytest.raises(ImportFailed) as info:
        load_sheet(path, **kw)
    return info.value.message


def test_reads_values_merged_title_and_rows(make_xlsx):
    data = load_sheet(make_xlsx([ROW]))
    assert data.source == "xlsx" and data.sheet_name == "Hồ sơ"
    assert data.rows[0][0].startswith("DANH SÁCH")
    assert data.rows[2][1] == "Mã hồ sơ" and data.rows[3][1] == "HS-001"
    assert ((0, 0), (0, 14)) in data.merged
    assert data.fonts == {}  # no legacy font in styles.xml: no font scan at all


def test_legacy_fonts_are_located_per_cell(make_xlsx):
    path = make_xlsx([ROW, ROW], fonts={(0, 2): ".VnTime", (1, 2): ".VnTimeH"})
    data = load_sheet(path)
    assert data.font(3, 2) == ".VnTime" and data.font(4, 2) == ".VnTimeH"
    assert data.font(3, 1) is None
    # same answer as openpyxl's own font reading
    ws = openpyxl.load_workbook(path).active
    assert ws.cell(4, 3).font.name == ".VnTime" and ws.cell(5, 3).font.name == ".VnTimeH"


def test_not_a_workbook(tmp_path):
    path = tmp_path / "hs.xlsx"
    path.write_text("Đây không phải bảng tính", encoding="utf-8")
    assert "không phải bảng tính" in _failure(path)
    other = tmp_path / "hs.pdf"
    other.write_bytes(b"%PDF-1.7\n")
    assert "không phải bảng tính" in _failure(other)


def test_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "hs.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("word/document.xml", "<w/>")
    assert "không phải bảng tính" in _failure(path)


def test_empty_and_missing_file(tmp_path):
    (tmp_path / "empty.xlsx").write_bytes(b"")
    assert "rỗng" in _failure(tmp_path / "empty.xlsx")
    # in Vietnamese, not the system's English ("No such file or directory": audit 9, L11)
    assert _failure(tmp_path / "absent.xlsx") == ("Không mở được tệp 'absent.xlsx': không tìm thấy tệp (có thể đã"
                                                  " bị xóa, đổi tên hoặc chuyển sang thư mục khác).")
    (tmp_path / "thu_muc.xlsx").mkdir()
    assert _failure(tmp_path / "thu_muc.xlsx") == "Không mở được tệp 'thu_muc.xlsx': đây là một thư mục, không phải tệp."


def test_truncated_file(make_xlsx):
    path = make_xlsx([ROW] * 50)
    blob = path.read_bytes()
    path.write_bytes(blob[: len(blob) // 2])
    assert "không đầy đủ" in _failure(path)


def test_password_protected_file(tmp_path):
    # An encrypted .xlsx is an OLE compound file holding an "EncryptedPackage" stream.
    path = tmp_path / "hs.xlsx"
    name = "EncryptedPackage".encode("utf-16-le")
    path.write_bytes(OLE_MAGIC + b"\x00" * 1016 + name + b"\x00" * 512)
    assert "mật khẩu" in _failure(path)


def test_damaged_ole_file_does_not_crash(tmp_path):
    path = tmp_path / "hs.xls"
    path.write_bytes(OLE_MAGIC + b"\x01" * 2000)
    assert "Tệp 'hs.xls'" in _failure(path)


def test_formula_cells_are_fatal_and_listed(make_xlsx):
    path = make_xlsx([ROW, ROW])
    wb = openpyxl.load_workbook(path)
    wb.active["M4"] = "=L4+3"
    wb.active["N5"] = "=TODAY()"
    wb.save(path)
    with pytest.raises(FormulaCells) as info:
        load_sheet(path)
    assert info.value.cells == ["M4", "N5"]
    assert "M4, N5" in info.value.message and "Paste Values" in info.value.message


def test_empty_sheet(tmp_path):
    path = tmp_path / "hs.xlsx"
    openpyxl.Workbook().save(path)
    assert _failure(path) == "Trang “Sheet” của tệp 'hs.xlsx' không có dữ liệu."
    path = tmp_path / "bom.csv"
    path.write_text(",,\n,,\n", encoding="utf-8")
    assert _failure(path) == "Tệp 'bom.csv' không có dữ liệu."  # a CSV has no sheet: not "trang 'bom'"


def test_sheet_claiming_a_million_rows_is_refused_before_loading(make_xlsx):
    path = make_xlsx([ROW])
    set_dimension(path, "A1:O1048576")
    started = time.perf_counter()
    message = _failure(path)
    assert "1.048.576 dòng" in message and "200.000" in message
    assert time.perf_counter() - started < 1


def test_row_cap_without_dimension(make_xlsx):
    path = make_xlsx([ROW] * 60)
    rewrite_member(path, "xl/worksheets/sheet1.xml", lambda x: x.replace(b'<dimension ref="A1:O63"/>', b""))
    assert "vượt giới hạn 50 dòng" in _failure(path, limits=ReadLimits(max_rows=50))
    assert len(load_sheet(path, limits=ReadLimits(max_rows=100)).rows) == 63


def test_zip_bomb_by_declared_size(make_xlsx):
    path = make_xlsx([ROW])
    blob = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    central = blob.find(b"PK\x01\x02" + b"", blob.find(name) + 1)
    while True:  # find the central-directory entry for the sheet
        if blob[central + 46 : central + 46 + len(name)] == name:
            break
        central = blob.find(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", blob, central + 24, 0xFFFFFF00)  # uncompressed size: 4 GiB
    path.write_bytes(bytes(blob))
    assert "nén bất thường" in _failure(path)


def test_zip_bomb_by_ratio(make_xlsx):
    path = make_xlsx([ROW])
    padding = b" " * (24 << 20)  # 24 MB of blanks compress ~1000:1
    rewrite_member(
        path, "xl/worksheets/sheet1.xml", lambda x: x.replace(b"<sheetData>", padding + b"<sheetData>")
    )
    assert "nén bất thường" in _failure(path)


def test_too_many_columns(make_xlsx):
    path = make_xlsx([ROW])
    set_dimension(path, "A1:XFD3")
    assert "quá nhiều cột" in _failure(path)


def test_a_stray_far_cell_is_refused_before_loading_even_without_a_dimension(make_xlsx, monkeypatch):
    """calamine sizes its table from the cells: a cell in column XFD of row 100,000 would have it allocate
    50 GB and abort the process. The scan refuses the file before calamine sees it."""
    from tthc_desk.sync import xlsx_file

    path = make_xlsx([ROW] * 20)
    far = b'<row r="100000"><c r="XFD100000" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    rewrite_member(path, "xl/worksheets/sheet1.xml",
                   lambda x: re.sub(rb"<dimension[^>]*/>", b"", x).replace(b"</sheetData>", far))  # fmt: skip
    monkeypatch.setattr(xlsx_file, "calamine_rows", lambda *a: pytest.fail("calamine reached"))
    assert "quá nhiều cột (XFD)" in _failure(path)


def test_wide_sheets_within_the_cap_and_reference_like_text_load(make_xlsx):
    wide = [*ROW, *[f"cột {i}" for i in range(len(ROW), 40)]]  # to column AN
    wide[3] = 'ghi chú r="ZZZ1" lạ'  # text shaped like a far cell reference
    path = make_xlsx([wide] * 5)
    rewrite_member(path, "xl/worksheets/sheet1.xml", lambda x: re.sub(rb"<dimension[^>]*/>", b"", x))
    rows = load_sheet(path).rows
    assert len(rows[-1]) == 40 and rows[-1][3] == 'ghi chú r="ZZZ1" lạ'


@pytest.mark.parametrize("cells", [
    {"A1": "a", "B2": 1, "C3": "c"},  # from A1
    {"C4": "a", "D5": 1, "E6": "x"},  # empty rows above and columns left of the data
    {"B2": "một ô"},
    {"A3": "x", "A9": "y", "F6": 2.5},  # empty rows in between
    {},  # nothing at all
])  # fmt: skip
def test_sheet_rows_are_what_to_python_gives_with_the_empty_area(tmp_path, cells):
    import python_calamine as pc

    from tthc_desk.sync.workbook import sheet_rows

    wb = openpyxl.Workbook()
    for ref, value in cells.items():
        wb.active[ref] = value
    if cells:
        wb.active.merge_cells("H1:I2")  # a merged range right of the data
    wb.save(tmp_path / "o.xlsx")
    with pc.CalamineWorkbook.from_path(str(tmp_path / "o.xlsx")) as book:
        sheet = book.get_sheet_by_index(0)
        assert sheet_rows(sheet) == sheet.to_python(skip_empty_area=False)


def _cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: hatted vowels precomposed, tone marks combining."""
    out = []
    for ch in text:
        marks = unicodedata.normalize("NFD", ch)
        tones = "".join(m for m in marks[1:] if m in "\u0300\u0301\u0303\u0309\u0323")
        base = unicodedata.normalize("NFC", "".join(m for m in marks if m not in tones))
        out.append((base + tones).encode("cp1258"))
    return b"".join(out)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1258"])
def test_csv_encodings(tmp_path, encoding):
    path = tmp_path / "hs.csv"
    text = "Mã hồ sơ;Chủ hồ sơ;Ngày tiếp nhận\nHS-1;Nguyễn Thị Ánh;25/01/2025\n"
    path.write_bytes(_cp1258(text) if encoding == "cp1258" else text.encode(encoding))
    data = load_sheet(path)
    assert data.source == "csv"
    assert [unicodedata.normalize("NFC", v) for v in data.rows[1]] == ["HS-1", "Nguyễn Thị Ánh", "25/01/2025"]


def test_an_html_or_xml_2003_export_named_xls_says_how_to_make_it_a_workbook(tmp_path):
    """Some portals export "Excel" as an HTML table, or as Excel 2003 XML: Excel opens them, calamine cannot."""
    html = tmp_path / "DanhSachHoSo.xls"
    html.write_text('\ufeff<html xmlns:o="urn:schemas-microsoft-com:office:office"><body><table><tr>'
                    "<td>Mã hồ sơ</td></tr></table></body></html>", encoding="utf-8")
    assert "là một trang web (HTML) mang đuôi .xls" in _failure(html)
    assert "Lưu thành" in _failure(html)
    xml = tmp_path / "DanhSach.xls"
    xml.write_text('<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
                   '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>', encoding="utf-8")
    assert "là bảng tính dạng XML của Excel 2003" in _failure(xml)


@pytest.mark.parametrize(("name", "encoding", "delimiter"), [
    ("DanhSach.xls", "utf-16", "\t"),  # Excel's "Unicode text", which some portals name .xls
    ("DanhSach.xlsx", "utf-8-sig", ","),
    ("DanhSach.xls", "cp1258", ";"),
    ("DanhSach.xls", "utf-16-le", "\t"),  # "Unicode text" without its BOM
])  # fmt: skip
def test_a_csv_named_xls_or_xlsx_is_read_as_the_csv_it_is(tmp_path, name, encoding, delimiter):
    """The bytes, not the name, say what a file is: a table as text named .xls was refused as "không phải bảng
    tính … hay tệp .csv", while the same bytes named .csv imported."""
    path = tmp_path / name
    text = delimiter.join(["Mã hồ sơ", "Chủ hồ sơ", "Ngày tiếp nhận"]) + "\r\n"
    text += delimiter.join(["HS-1", "Nguyễn Thị Ánh", "25/01/2025"]) + "\r\n"
    path.write_bytes(_cp1258(text) if encoding == "cp1258" else text.encode(encoding))
    data = load_sheet(path)
    assert data.source == "csv"
    assert [unicodedata.normalize("NFC", v) for v in data.rows[1]] == ["HS-1", "Nguyễn Thị Ánh", "25/01/2025"]


def test_binary_or_one_column_text_named_xlsx_is_still_no_workbook(tmp_path):
    garbage = tmp_path / "rac.xlsx"
    garbage.write_bytes(bytes(range(256)) * 4)
    assert "không phải bảng tính" in _failure(garbage)
    note = tmp_path / "ghichu.xls"
    note.write_text("Danh sách hồ sơ tháng 11\nxem tệp đính kèm\n", encoding="utf-8")
    assert "không phải bảng tính" in _failure(note)
