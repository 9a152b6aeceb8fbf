import re
import subprocess
import sys
import unicodedata
from datetime import datetime

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tthc_desk.domain import Channel, Status
from tthc_desk.errors import ImportFailed
from tthc_desk.sync.columns import ColumnMapping
from tthc_desk.sync.legacy import encode_tcvn3, encode_vni
from tthc_desk.sync.reader import ImportCancelled, read_cases_file

NFD_NAME = unicodedata.normalize("NFD", "Phạm Thị Hường")
# STT, code, applicant, CCCD, phone, address, procedure code, procedure name, field, channel, status,
# received, due, finished, returned
ROWS = [
    ["1", "HS-0001", "Nguyễn Văn An", "079123456789", "0912345678", "Số 1, phố Huế", "1.000010",
     "Đăng ký khai sinh", "Hộ tịch", "Trực tuyến", "Đang xử lý", "25/01/2025 14:30", "27/01/2025", None, None],
    ["2", "HS-0002", encode_tcvn3("Trần Thị Bích"), "001203004005", "", "", "2.000815",
     encode_tcvn3("Chứng thực bản sao"), "Chứng thực", "Trực tiếp", "Đang giải quyết",
     45682.604166666664, 45684, None, None],
    ["3", "HS-0003", "nguyÔn v¨n ®øc", "", "", "", "", "", "", "Bưu chính", "Mới tiếp nhận", "2025-01-25", "", "", ""],
    ["4", "HS-0004", "Lỗi Ngày", "", "", "", "", "", "", "", "Đang xử lý", "31/02/2025", "", "", ""],
    ["5", "HS-0005", encode_vni("Lê Thị Hoa"), "", "", "", "", "", "", "", "Đã trả", datetime(2025, 1, 20, 8, 0),
     datetime(2025, 1, 22, 17, 0), datetime(2025, 1, 21, 10, 0), "14:30 22/01/2025"],
    ["6", "HS-0006", NFD_NAME, "", "", "Thôn 3\nxã An Bình", "", "Cấp bản sao\ntrích lục", "", "", "Hoàn thành",
     "26/01/2025", "", "", ""],
    ["7", "HS-0001", "Trùng Mã", "", "", "", "", "", "", "", "Đang xử lý", "26/01/2025", "", "", ""],
    ["8", "000123", "Mã Có Số Không", 79123456789.0, 912345678.0, "", 1.00001, "", "", "", "Chờ bổ sung",
     "27/01/2025 08:00", "", "", ""],
    [None] * 15,
    ["10", "", "Không Mã", "", "", "", "", "", "", "", "Nhập kho", "27/01/2025", "", "", ""],
    ["11", "HS-0011", "Hoà Bình", "", "", "", "", "", "", "", "Từ chối", "28/01/2025", "", "", ""],
]  # fmt: skip
FONTS = {
    (1, 2): ".VnTime",
    (1, 7): ".VnTime",
    (2, 2): ".VnTimeH",
    (0, 2): "Times New Roman",
    (10, 2): "Arial",
}


@pytest.fixture
def parsed(make_xlsx):
    return read_cases_file(make_xlsx(ROWS, fonts=FONTS))


def _row(parsed, number):
    return next(r for r in parsed.rows if r.row_number == number)


def test_header_and_mapping(parsed):
    assert parsed.header_row == 3
    assert parsed.mapping.columns["code"] == 1 and parsed.mapping.columns["returned_at"] == 14
    assert "phone" in parsed.mapping.columns and "unit" not in parsed.mapping.columns


def test_unicode_row(parsed):
    row = _row(parsed, 4)
    assert (row.code, row.applicant, row.citizen_id, row.phone) == (
        "HS-0001",
        "Nguyễn Văn An",
        "079123456789",
        "0912345678",
    )
    assert (row.procedure_code, row.channel, row.status) == ("1.000010", Channel.ONLINE, Status.PROCESSING)
    assert (row.received_at, row.due_at, row.finished_at) == (
        datetime(2025, 1, 25, 14, 30),
        datetime(2025, 1, 27),
        None,
    )


def test_tcvn3_cells_next_to_unicode_cells_in_one_column(parsed):
    assert _row(parsed, 5).applicant == "Trần Thị Bích"
    assert _row(parsed, 5).procedure_name == "Chứng thực bản sao"
    assert _row(parsed, 6).applicant == "NGUYỄN VĂN ĐỨC"  # .VnTimeH
    assert _row(parsed, 4).applicant == "Nguyễn Văn An"
    assert _row(parsed, 14).applicant == "Hoà Bình"  # Latin-1-only Unicode, never decoded
    assert parsed.encodings["tcvn3"] == 3 and parsed.encodings["vni"] == 1


def test_serial_dates_and_real_dates(parsed):
    row = _row(parsed, 5)
    assert (row.received_at, row.due_at) == (datetime(2025, 1, 25, 14, 30), datetime(2025, 1, 27))
    row = _row(parsed, 8)
    assert row.applicant == "Lê Thị Hoa"  # VNI stored as cp1252, no font hint
    assert row.status is Status.RETURNED
    assert (row.received_at, row.finished_at, row.returned_at) == (
        datetime(2025, 1, 20, 8),
        datetime(2025, 1, 21, 10),
        datetime(2025, 1, 22, 14, 30),
    )


def test_nfd_and_line_breaks(parsed):
    row = _row(parsed, 9)
    assert row.applicant == "Phạm Thị Hường" and unicodedata.is_normalized("NFC", row.applicant)
    assert (row.address, row.procedure_name) == ("Thôn 3 xã An Bình", "Cấp bản sao trích lục")
    assert row.status is Status.RESULT_READY


def test_codes_keep_leading_zeros_and_numeric_cells_are_repaired_with_a_warning(parsed):
    row = _row(parsed, 11)
    assert (row.code, row.citizen_id, row.phone, row.procedure_code) == (
        "000123",
        "079123456789",
        "0912345678",
        "1.000010",
    )
    assert "Dòng 11: Mã thủ tục ô dạng số (1.00001), đã đọc là '1.000010'" in parsed.warnings


def test_rejections(parsed):
    reasons = {r.row_number: r.reason for r in parsed.rejected}
    assert reasons == {
        7: "Dòng 7: Ngày tiếp nhận '31/02/2025' không hợp lệ",
        10: "Dòng 10: Mã hồ sơ 'HS-0001' trùng với dòng 4",
        13: "Dòng 13: Thiếu mã hồ sơ; Trạng thái 'Nhập kho' không nhận ra",
    }
    raw = next(r.raw for r in parsed.rejected if r.row_number == 7)
    assert raw["Chủ hồ sơ"] == "Lỗi Ngày" and raw["Ngày tiếp nhận"] == "31/02/2025"
    assert [r.row_number for r in parsed.rows] == [4, 5, 6, 8, 9, 11, 14]  # blank row 12 skipped silently


def test_missing_required_column(make_xlsx):
    path = make_xlsx([["HS-1", "An"]], headers=["Mã hồ sơ", "Chủ hồ sơ"], title=None)
    with pytest.raises(ImportFailed, match="thiếu cột bắt buộc 'Ngày tiếp nhận'"):
        read_cases_file(path)


def test_a_corrected_mapping_is_used(make_xlsx, tmp_path):
    path = make_xlsx(
        [["HS-1", "Nguyễn An", "25/01/2025"]], headers=["Số HS", "Ghi chú", "Thời điểm"], title=None
    )
    with pytest.raises(ImportFailed):
        read_cases_file(path)
    mapping = ColumnMapping(
        1, ("Số HS", "Ghi chú", "Thời điểm"), {"code": 0, "applicant": 1, "received_at": 2}
    )
    mapping.save(tmp_path / "m.json")
    parsed = read_cases_file(path, mapping=ColumnMapping.load(tmp_path / "m.json"))
    assert parsed.rows[0].applicant == "Nguyễn An" and parsed.rows[0].received_at == datetime(2025, 1, 25)


def test_progress_and_cancel(make_xlsx):
    rows = [[str(i), f"HS-{i:05d}", "An", "", "", "", "", "", "", "", "", "25/01/2025"] for i in range(2500)]
    path = make_xlsx(rows)
    seen = []
    parsed = read_cases_file(path, progress=lambda done, total: seen.append((done, total)))
    assert len(parsed.rows) == 2500 and seen[-1] == (2503, 2503) and len(seen) >= 3
    with pytest.raises(ImportCancelled):
        read_cases_file(path, cancel=lambda: True)


def test_csv_file(tmp_path):
    path = tmp_path / "hs.csv"
    path.write_text(
        "\ufeffMã hồ sơ,Chủ hồ sơ,Ngày tiếp nhận,Trạng thái\n0001,Nguyễn An,25/01/2025,Đã trả\n",
        encoding="utf-8",
    )
    row = read_cases_file(path).rows[0]
    assert (row.code, row.applicant, row.status) == ("0001", "Nguyễn An", Status.RETURNED)


def test_core_never_imports_qt():
    code = "import sys, tthc_desk.sync.reader, tthc_desk.sync.writer; assert 'PySide6' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"[0-9]{2}/[0-9]{2}/[0-9]{4} [0-9]{2}:[0-9]{2}", fullmatch=True)
       | st.from_regex(r"[0-9٠-٩]{1,2}/[0-9]{1,2}/[0-9]{2,4}[ T]?[0-9:]{0,8}", fullmatch=True) | st.text(max_size=20))
@example("31/02/2025 08:00")  # no such day
@example("25/01/2025 24:00")  # no such hour
@example("25/01/2025 14:30")
def test_the_quick_read_of_text_dates_agrees_with_the_general_one(text):
    from tthc_desk.sync import cells
    from tthc_desk.sync.values import parse_datetime

    try:
        expected = parse_datetime(text)
    except ValueError:
        expected = None  # the general path words the problem
    quick = cells._fast_outcome(text, None, cells._DATE, False)
    if quick is not None:
        assert quick == (expected, None, None, None)
    elif expected is not None:  # only other forms are left to the general path
        assert not re.fullmatch(r"[0-9]{2}/[0-9]{2}/[0-9]{4} [0-9]{2}:[0-9]{2}", text)


def test_the_lines_under_the_table_are_no_cases_and_not_refused(make_xlsx):
    """A portal list ends with its total and a place to sign; they were three rows refused as "Thiếu ngày tiếp
    nhận". A case row missing its date at the end is still refused."""
    from tthc_desk.sync.reader import read_cases_file

    headers = ["Mã hồ sơ", "Người nộp", "Ngày tiếp nhận"]
    rows = [["HS-1", "Nguyễn Văn An", "20/11/2026 08:00"], ["HS-2", "Lê Thị Bình", "20/11/2026 09:00"], [],
            ["Tổng số: 2 hồ sơ"], [], [None, "NGƯỜI LẬP BIỂU"], [None, "(Ký, ghi rõ họ tên)"]]
    parsed = read_cases_file(make_xlsx(rows, headers=headers, title=None))
    assert [r.code for r in parsed.rows] == ["HS-1", "HS-2"] and parsed.rejected == []
    assert parsed.warnings == ["Bỏ qua 3 dòng cuối bảng không phải hồ sơ: dòng 5 'Tổng số: 2 hồ sơ', "
                               "dòng 7 'NGƯỜI LẬP BIỂU', dòng 8 '(Ký, ghi rõ họ tên)'."]
    rows[1] = ["HS-2", "Lê Thị Bình"]
    rows.append(["HS-3", "Trần Văn Cường"])  # a case after the footer: the lines above it are judged as rows
    parsed = read_cases_file(make_xlsx(rows, headers=headers, title=None))
    assert [r.row_number for r in parsed.rejected] == [3, 5, 7, 8, 9]


NO_ROWS = ("{where} không có dòng hồ sơ nào dưới dòng tiêu đề (dòng {row}): không có gì để nhập. Hãy xem lại danh"
           " sách xuất từ cổng (bộ lọc khi xuất có thể không ra hồ sơ nào).")


def test_a_header_without_a_case_row_is_refused_with_the_reason(make_xlsx, tmp_path):
    """A list filtered to nothing on the portal (its header, maybe its total): the preview showed zeros and the
    import wrote an audit record of nothing, with no word (audit 9, L7). The file is refused as the other
    unusable files are, saying why; a CSV named as the file it is."""
    for rows in ([], [[], ["Tổng số: 0 hồ sơ"]]):
        with pytest.raises(ImportFailed) as caught:
            read_cases_file(make_xlsx(rows))
        assert caught.value.message == NO_ROWS.format(where="Trang “Hồ sơ” của tệp 'hs.xlsx'", row=3)
    path = tmp_path / "trong.csv"
    path.write_text("Mã hồ sơ,Chủ hồ sơ,Ngày tiếp nhận\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as caught:
        read_cases_file(path)
    assert caught.value.message == NO_ROWS.format(where="Tệp 'trong.csv'", row=1)
    read_cases_file(make_xlsx([["1", "HS-0001"]]))  # a row refused (no receipt date) is a row: saved to correct
