import csv
import dataclasses
import unicodedata
from datetime import datetime

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tthc_desk.domain import Channel, Colour, Status
from tthc_desk.paths import resource_path
from tthc_desk.sync.legacy import UNICODE, decode_cell
from tthc_desk.sync.reader import PortalRow, read_cases_file
from tthc_desk.sync.writer import FILL_COLOURS, wrapped_lines, write_cases, write_rejected, write_table
from tthc_desk.text import clean

DANGEROUS = ["=1+2", '=HYPERLINK("http://x")', "+84912345678", "-5", "@SUM(A1)", "=cmd|'/C calc'!A0"]


def test_text_that_looks_like_a_formula_stays_exact_text(tmp_path):
    path = tmp_path / "out.xlsx"
    write_table(path, ["Tiêu đề"], ["A", "B"], [[t, "x"] for t in DANGEROUS])
    ws = openpyxl.load_workbook(path).active
    cells = [ws.cell(4 + i, 1) for i in range(len(DANGEROUS))]  # title, blank row, header
    assert [c.value for c in cells] == DANGEROUS
    assert {c.data_type for c in cells} == {"s"}  # shared strings, no formula, no apostrophe prefix
    assert not any(c.quotePrefix for c in cells)


def test_codes_dates_and_fills(tmp_path):
    path = tmp_path / "out.xlsx"
    rows = [["0012", datetime(2025, 1, 25, 14, 30), 3], ["1.000010", None, 4.5]]
    write_table(path, [], ["Mã", "Ngày", "Số"], rows, fills=[Colour.RED, "amber"])
    ws = openpyxl.load_workbook(path).active
    assert ws["A2"].value == "0012" and ws["A2"].data_type == "s" and ws["A3"].value == "1.000010"
    assert ws["B2"].value == datetime(2025, 1, 25, 14, 30) and ws["B2"].number_format == "dd/mm/yyyy hh:mm"
    assert ws["C2"].value == 3 and ws["C3"].value == 4.5
    assert ws["A2"].fill.fgColor.rgb.endswith(FILL_COLOURS[Colour.RED][1:])
    assert ws["B3"].fill.fgColor.rgb.endswith(FILL_COLOURS[Colour.AMBER][1:])  # blank cells keep the fill


def test_rows_beyond_the_fills_are_unfilled_and_their_empty_values_write_no_cell(tmp_path):
    path = tmp_path / "out.xlsx"
    rows = [["a", ""], ["b", None], ["c", ""]]
    assert write_table(path, [], ["A", "B"], rows, fills=[Colour.GREY]) == 3
    ws = openpyxl.load_workbook(path).active
    assert ws["B2"].fill.fgColor.rgb.endswith(FILL_COLOURS[Colour.GREY][1:])  # a filled row keeps its blanks
    assert ws["A3"].value == "b" and ws["A3"].fill.fill_type is None
    assert ws.max_column == 2 and [c.coordinate for c in ws[3] if c.has_style] == ["A3"]


def test_rejected_rows_can_be_corrected_and_read_again(make_xlsx, tmp_path):
    path = make_xlsx([["1", "HS-1", "An", "", "", "", "", "", "", "", "Đang xử lý", "31/02/2025"]])
    parsed = read_cases_file(path)
    out = tmp_path / "loi.xlsx"
    write_rejected(out, parsed.rejected)
    wb = openpyxl.load_workbook(out)
    ws = wb.active
    header = [c.value for c in ws[3]]
    assert header[-2:] == ["Dòng trong tệp gốc", "Lý do không nhập"]
    assert ws.cell(4, len(header)).value == "Dòng 4: Ngày tiếp nhận '31/02/2025' không hợp lệ"
    ws.cell(4, header.index("Ngày tiếp nhận") + 1).value = "28/02/2025"  # the user's correction
    wb.save(out)
    again = read_cases_file(out)
    assert not again.rejected and again.rows[0].received_at == datetime(2025, 2, 28)


def test_export_reads_back_identically(tmp_path):
    rows = [
        PortalRow(4, "000.00.12.H13-250125-0001", "Nguyễn Văn An", "079123456789", "0912345678", "Số 1", "a@b.vn",
                  "1.000010", "Khai sinh", "Hộ tịch", "UBND xã", Channel.POST, Status.RETURNED,
                  datetime(2025, 1, 25, 14, 30), datetime(2025, 1, 27, 17), datetime(2025, 1, 26, 9, 5),
                  datetime(2025, 1, 27, 8)),
        PortalRow(5, "=1+1", "-", "0001", "", "", "", "", "", "", "", None, None, datetime(2025, 1, 1), None, None, None),
    ]  # fmt: skip
    path = tmp_path / "out.xlsx"
    write_cases(path, rows, fills=[Colour.GREEN, Colour.GREY])
    assert read_cases_file(path).rows == rows


# ---- property: write_cases -> read_cases_file is the identity


def _vocabulary() -> list[str]:
    """Real Vietnamese words (the procedure catalogue's names), in three cases."""
    with resource_path("data", "thu_tuc_cap_xa.csv").open(encoding="utf-8") as fh:
        words = {w.strip(".,;:()\"'") for row in csv.DictReader(fh) for w in row["ten_thu_tuc"].split()}
    words = sorted(w for w in words if w)
    return words + [w.upper() for w in words] + [w.capitalize() for w in words]


_WORDS = _vocabulary()
_ASCII = st.text("abcXYZ0123456789.,-/=+@()'\"&<>", min_size=1, max_size=8)
token = st.sampled_from(_WORDS) | _ASCII
text = st.lists(token, max_size=6).map(lambda ws: clean(" ".join(ws)))
code = st.text("0123456789.-=+@ABCH", min_size=1, max_size=20).map(clean).filter(bool)
moment = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2099, 12, 31)).map(
    lambda d: d.replace(second=0, microsecond=0)
)
rows = st.lists(
    st.builds(
        PortalRow,
        row_number=st.just(0),
        code=code,
        applicant=text,
        citizen_id=st.text("0123456789", max_size=12),
        phone=st.text("0123456789+", max_size=11),
        address=text,
        email=text,
        procedure_code=st.sampled_from(["", "1.000010", "2.002621.H13", "1.001193.02"]),
        procedure_name=text,
        field=text,
        unit=text,
        channel=st.none() | st.sampled_from(Channel),
        status=st.none() | st.sampled_from(Status),
        received_at=moment,
        due_at=st.none() | moment,
        finished_at=st.none() | moment,
        returned_at=st.none() | moment,
    ),  # fmt: skip
    min_size=1,
    max_size=8,
    unique_by=lambda r: r.code,
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=rows)
def test_round_trip_property(tmp_path, rows):
    path = tmp_path / "prop.xlsx"
    write_cases(path, rows)
    parsed = read_cases_file(path)
    assert parsed.rejected == []
    assert [dataclasses.replace(r, row_number=0) for r in parsed.rows] == rows


_VN = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"


@given(st.text(_VN + _VN.upper() + " 0123456789=+-@\n", min_size=1))
def test_text_with_any_letter_beyond_cp1252_is_never_decoded(value):
    # Any arbitrary mix of Vietnamese letters: once one of them is outside cp1252 (ạ, ư, đ, ...), the cell
    # is Unicode whatever the rest looks like. (Latin-1-only mixes such as "EÀ" may read as VNI: that
    # pair never occurs in Vietnamese words, which the vocabulary property above covers.)
    try:
        value.encode("cp1252")
        return
    except UnicodeEncodeError:
        pass
    assert decode_cell(value) == (unicodedata.normalize("NFC", value), UNICODE)
    assert decode_cell(value, "Times New Roman")[1] == UNICODE


@pytest.mark.parametrize(("text", "width", "lines"), [
    ("Thủ tục đăng ký khai sinh", 40, 1),
    ("Thủ tục cấp Giấy xác nhận tình trạng hôn nhân", 40, 2),  # 45 characters, words kept whole
    ("aa bb cc", 6, 2),
    ("a" * 22, 12, 2),  # a word longer than the column is broken
    ("a" * 23, 12, 3),
    ("Dòng một\nDòng hai", 40, 2),  # a line break in the cell
])  # fmt: skip
def test_wrapped_lines_counts_the_lines_excel_wraps_a_text_into(text, width, lines):
    assert wrapped_lines(text, width) == lines
