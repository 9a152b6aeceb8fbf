import json
import re

import pytest

from tthc_desk.errors import ImportFailed
from tthc_desk.sync.columns import ColumnMapping, apply_saved, find_header, header_signature, match_header


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Mã hồ sơ", "code"), ("SỐ HỒ SƠ", "code"), ("ma ho so", "code"), ("Mã HS", "code"),
        ("Chủ hồ sơ", "owner"), ("Người nộp", "applicant"), ("Tên công dân", "applicant"),
        ("Họ và tên", "applicant"), ("Họ tên", "applicant"),
        ("Ngày tiếp nhận", "received_at"), ("Ngày nhận", "received_at"),
        ("Ngày hẹn trả", "due_at"), ("Hạn xử lý", "due_at"), ("Ngày hẹn trả kết quả", "due_at"),
        ("Thời hạn giải quyết", "due_at"), ("Thời gian tiếp nhận", "received_at"), ("Hạn trả kết quả", "due_at"),
        ("Ngày có kết quả", "finished_at"), ("Ngày kết thúc xử lý", "finished_at"),
        ("Ngày trả", "returned_at"), ("Ngày trả kết quả", "returned_at"),
        ("Trạng thái", "status"), ("Kênh", "channel"), ("Hình thức nộp", "channel"),
        ("Mã thủ tục", "procedure_code"), ("Tên thủ tục", "procedure_name"), ("Lĩnh vực", "field"),
        ("Đơn vị", "unit"), ("Số CCCD/CMND (*)", "citizen_id"), ("Số định danh", "citizen_id"),
        ("CMND", "citizen_id"), ("Điện thoại", "phone"), ("SĐT", "phone"), ("Địa chỉ", "address"),
        ("E-mail", "email"), ("Email", "email"),
        ("STT", None), ("Ghi chú", None), ("", None),
    ],
)  # fmt: skip
def test_header_words(header, field):
    assert match_header(header)[0] == field


def test_header_under_a_merged_title_on_row_3():
    rows = [
        ["DANH SÁCH HỒ SƠ\nTIẾP NHẬN", "", "", ""],
        ["", "", "", ""],
        ["STT", "Số hồ sơ", "Người nộp", "Ngày nhận"],
        ["1", "HS-1", "An", "25/01/2025"],
    ]
    mapping = find_header(rows)
    assert mapping.header_row == 3
    assert mapping.columns == {"code": 1, "applicant": 2, "received_at": 3}
    assert mapping.missing() == []


def test_the_owner_is_the_applicant_unless_the_file_names_both():
    alone = find_header([["Số hồ sơ", "Chủ hồ sơ", "CCCD chủ hồ sơ", "Địa chỉ", "Ngày nhận"]])
    assert alone.columns == {"code": 0, "applicant": 1, "citizen_id": 2, "address": 3, "received_at": 4}
    both = find_header([["Mã hồ sơ", "Người nộp", "Số CCCD", "Chủ hồ sơ", "Số định danh chủ hồ sơ",
                         "Địa chỉ chủ hồ sơ", "Ngày tiếp nhận"]])  # fmt: skip
    assert both.columns == {"code": 0, "applicant": 1, "citizen_id": 2, "owner": 3, "owner_id": 4,
                            "owner_address": 5, "received_at": 6}  # fmt: skip


@pytest.mark.parametrize("header", ["Ngày hẹn lại", "Hẹn trả mới", "Hạn xử lý mới", "Gia hạn đến"])
def test_the_new_appointment_is_not_the_due_date(header):
    mapping = find_header([["Mã hồ sơ", "Ngày nhận", "Hạn xử lý", header]])
    assert mapping.columns == {"code": 0, "received_at": 1, "due_at": 2, "new_due_at": 3}


def test_header_not_found():
    with pytest.raises(ImportFailed, match="Không tìm thấy dòng tiêu đề"):
        find_header([["Họ tên", "Địa chỉ"], ["An", "Hà Nội"]])


def test_signature_is_accent_and_case_insensitive_and_ignores_trailing_blanks():
    assert header_signature(["Mã hồ sơ", "Ngày nhận"]) == header_signature(["MÃ HỒ SƠ ", "Ngay nhan", "", ""])
    assert header_signature(["Mã hồ sơ", "Ngày nhận"]) != header_signature(["Ngày nhận", "Mã hồ sơ"])


def test_correction_and_json_round_trip(tmp_path):
    mapping = find_header([["Mã hồ sơ", "Ngày nhận", "Ghi chú", "Người nộp"]])
    fixed = mapping.with_column("applicant", 2).with_column("received_at", 1)
    assert fixed.columns == {"code": 0, "received_at": 1, "applicant": 2}
    path = tmp_path / "mapping.json"
    fixed.save(path)
    loaded = ColumnMapping.load(path)
    assert loaded == fixed and loaded.signature == mapping.signature
    assert ("applicant", "Người nộp", "Ghi chú") in loaded.describe()


def test_saved_mapping_fits_a_file_with_same_headers_elsewhere():
    saved = find_header([["Mã hồ sơ", "Ngày nhận", "Ghi chú"]]).with_column("applicant", 2)
    rows = [["Tiêu đề", "", ""], ["Mã hồ sơ", "Ngày nhận", "Ghi chú"], ["HS-1", "1/1/2025", "An"]]
    fitted = apply_saved(saved, rows)
    assert fitted.header_row == 2 and fitted.columns == saved.columns
    # Columns reordered: matched by header words.
    moved = apply_saved(saved, [["Ghi chú", "Mã hồ sơ", "Ngày nhận", "Lĩnh vực"]])
    assert moved.columns == {"code": 1, "received_at": 2, "applicant": 0}
    with pytest.raises(ImportFailed, match="không khớp"):
        apply_saved(saved, [["Số hồ sơ", "Ngày nhận"]])


def test_bad_mapping_file(tmp_path):
    path = tmp_path / "m.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ImportFailed, match="ánh xạ cột"):
        ColumnMapping.load(path)
    path.write_text('{"columns": {"colour": 1}}', encoding="utf-8")
    with pytest.raises(ImportFailed, match="colour"):
        ColumnMapping.load(path)


# ---- the audit's headers (D2): a result date is never the receipt; the portal's other words for the dates


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Ngày nhận kết quả", "finished_at"), ("Nhận kết quả từ cơ quan giải quyết", "finished_at"),
        ("NGÀY NHẬN KẾT QUẢ", "finished_at"), ("Ngày giờ tiếp nhận", "received_at"),
        ("Ngày, giờ tiếp nhận", "received_at"), ("Thời điểm tiếp nhận", "received_at"),
        ("Tiếp nhận", "received_at"), ("Nhận hồ sơ", "received_at"), ("Hạn trả", "due_at"),
        ("Ngày giờ hẹn trả", "due_at"), ("Ngày, giờ hẹn trả", "due_at"), ("Ngày giờ hẹn trả kết quả", "due_at"),
        ("Hẹn trả kết quả", "due_at"), ("Trả kết quả", "returned_at"),
        ("Tên cá nhân, tổ chức", "applicant"), ("Cơ quan chủ trì giải quyết", "unit"),
    ],
)  # fmt: skip
def test_the_portals_other_words_for_the_dates(header, field):
    assert match_header(header)[0] == field


@pytest.mark.parametrize(
    "header", ["Ngày nhận kết quả", "Ngày tiếp nhận kết quả", "Ngày nhận hồ sơ trả kết quả", "Hạn xử lý kết quả"],
)  # fmt: skip
def test_a_header_about_the_result_is_never_the_receipt_nor_the_due_date(header):
    assert match_header(header)[0] not in ("received_at", "due_at")
    assert match_header("Ngày hẹn trả kết quả")[0] == "due_at"  # the appointment to hand the result back


def test_bare_words_name_a_date_only_as_the_whole_header():
    """The receipt is "Tiếp nhận" alone (a sub-header under "Ngày"); in a longer header, who received."""
    assert match_header("Tiếp nhận")[0] == "received_at" and match_header("Nhận hồ sơ")[0] == "received_at"
    for header in ("Cán bộ tiếp nhận", "Người nhận hồ sơ", "Người tiếp nhận"):
        assert match_header(header)[0] is None


@pytest.mark.parametrize(
    ("header", "field"),
    [("Ngày cấp CCCD", None), ("Ngày chuyển hồ sơ đến cơ quan giải quyết", None),
     ("Địa chỉ, số điện thoại", None)],
)  # fmt: skip
def test_a_date_header_names_a_date_and_two_fields_in_one_column_are_neither(header, field):
    assert match_header(header)[0] == field


def test_the_receipt_is_found_beside_a_result_column():
    mapping = find_header([["Mã hồ sơ", "Người nộp", "Mã thủ tục", "Ngày giờ tiếp nhận", "Hạn giải quyết",
                            "Ngày nhận kết quả", "Trạng thái"]])  # fmt: skip
    assert mapping.columns["received_at"] == 3 and mapping.columns["due_at"] == 4
    assert mapping.columns["finished_at"] == 5 and mapping.missing() == []


# ---- two-row headers (D3)

TWO_ROWS = [
    ["DANH SÁCH HỒ SƠ", "", "", "", "", "", "", ""],
    ["STT", "Mã hồ sơ", "Thông tin người nộp", "", "Thủ tục", "Ngày", "", ""],
    ["", "", "Họ tên", "Địa chỉ", "", "Tiếp nhận", "Hẹn trả", "Trả kết quả"],
    [1, "TWO-0001", "Nguyễn Văn Hai", "Thôn 2", "Khai sinh", "20/11/2024 08:00", "24/11/2024 17:00", ""],
]
TWO_ROWS_MERGED = [((0, 0), (0, 7)), ((1, 2), (1, 3)), ((1, 5), (1, 7)), ((1, 0), (2, 0)), ((1, 1), (2, 1)),
                   ((1, 4), (2, 4))]  # fmt: skip


def test_a_group_over_sub_headers_is_read_with_them():
    mapping = find_header(TWO_ROWS, merged=TWO_ROWS_MERGED)
    assert (mapping.first_header_row, mapping.header_row) == (2, 3)  # the data starts on row 4
    assert mapping.columns == {"code": 1, "applicant": 2, "address": 3, "procedure_name": 4, "received_at": 5,
                               "due_at": 6, "returned_at": 7}  # fmt: skip
    assert mapping.headers[5] == "Ngày › Tiếp nhận" and mapping.headers[1] == "Mã hồ sơ"
    # the same rows without the merges (a CSV): the group's row alone, as before
    assert find_header(TWO_ROWS).header_row == 2
    # a merged title over a one-row header is no group: the header is read as it always was
    one = [["DANH SÁCH HỒ SƠ", "", ""], ["Mã hồ sơ", "Người nộp", "Ngày nhận"], ["HS-1", "An", "25/01/2025"]]
    found = find_header(one, merged=[((0, 0), (0, 2))])
    assert found.header_row == 2 and found.headers == ("Mã hồ sơ", "Người nộp", "Ngày nhận")


def test_a_remembered_two_row_mapping_fits_the_next_file():
    saved = find_header(TWO_ROWS, merged=TWO_ROWS_MERGED).with_column("field", 4)
    again = ColumnMapping.from_dict(saved.to_dict())
    assert again == saved
    rows = [["", "", "", "", "", "", "", ""], *TWO_ROWS]  # one row lower
    merged = [((r0 + 1, c0), (r1 + 1, c1)) for (r0, c0), (r1, c1) in TWO_ROWS_MERGED]
    fitted = apply_saved(again, rows, merged=merged)
    assert (fitted.header_row, fitted.header_rows) == (4, 2) and fitted.columns == saved.columns


def test_a_row_numbering_the_columns_belongs_to_the_header():
    rows = [["TT", "Mã hồ sơ", "Ngày tiếp nhận"], ["(1)", "(2)", "(3)"], [1, "HS-1", "25/01/2025"]]
    mapping = find_header(rows)
    assert (mapping.header_row, mapping.header_rows) == (2, 2)
    assert mapping.columns == {"code": 1, "received_at": 2}


def test_a_mapping_file_names_a_column_by_its_number_or_its_header(tmp_path):
    found = find_header([["Mã hồ sơ", "Người nộp", "Thời điểm vào sổ"]])
    assert found.missing() == ["received_at"]
    path = tmp_path / "m.json"
    found.save(path, with_missing=True)  # the field to fill in is there, without a column
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["columns"]["received_at"] == {"index": None, "header": ""}
    assert ColumnMapping.load(path) == found
    data["columns"]["received_at"] = {"index": None, "header": "thoi diem vao so"}
    assert ColumnMapping.from_dict(data).columns["received_at"] == 2
    data["columns"]["received_at"] = {"index": 2}
    assert ColumnMapping.from_dict(data).missing() == []
    data["columns"]["received_at"] = "Thời điểm vào sổ"  # the header as the value itself, as the CLI's hint reads
    assert ColumnMapping.from_dict(data).columns["received_at"] == 2
    data["columns"]["received_at"] = {"index": 7}
    with pytest.raises(ImportFailed, match="không có cột đó"):
        ColumnMapping.from_dict(data)


@pytest.mark.parametrize(
    ("group", "sub", "field"),
    [
        ("Kết quả", "Ngày nhận", "finished_at"),  # the result received back, never the receipt
        ("Kết quả", "Ngày trả", "returned_at"),
        ("Bổ sung", "Ngày tiếp nhận", None),  # papers received later: no receipt
        ("Chủ hồ sơ", "CCCD", "owner_id"),  # the owner's ID, not the applicant's
        ("Chủ hồ sơ", "Họ tên", "owner"),
        ("Người nộp", "Điện thoại", "phone"),
        ("Người nộp", "Họ tên", "applicant"),
        ("Ngày, tháng, năm", "Nhận hồ sơ", "received_at"),
        ("Tiếp nhận", "Ngày", "received_at"),
    ],
)  # fmt: skip
def test_a_group_that_qualifies_its_sub_headers_is_read_with_them(group, sub, field):
    """The re-check of the sync audit: read alone, "Ngày nhận" under "Kết quả" was the receipt, and "CCCD" under
    "Chủ hồ sơ" the applicant's ID."""
    from tthc_desk.sync.columns import GROUP_MARK

    assert match_header(f"{group}{GROUP_MARK}{sub}")[0] == field


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Ngày trả kết quả dự kiến", "due_at"), ("Ngày nhận hồ sơ bổ sung", None),
        ("Thời hạn giải quyết (ngày)", None), ("Ngày hẹn trả kết quả mới", "new_due_at"),
        ("Điện thoại người nộp", "phone"), ("Địa chỉ email", "email"),
        ("Ngày trả kết quả theo hẹn", "due_at"), ("Hạn giải quyết còn lại", None), ("Mã đơn vị", None),
        ("Mã lĩnh vực", None), ("Trạng thái thanh toán", None), ("Nơi cấp CCCD", None),
        ("Hình thức nhận/trả kết quả", None),
    ],
)  # fmt: skip
def test_headers_the_re_check_found_matched_to_the_wrong_field(header, field):
    assert match_header(header)[0] == field


@pytest.mark.parametrize(("text", "words"), [
    ("[1, 2]", "không đúng dạng"),
    ('{"columns": [1, 2], "headers": ["Mã hồ sơ"]}', "không đúng dạng"),
    ('{"header_row": "bốn", "headers": ["Mã hồ sơ"], "columns": {"code": 0}}', '"header_row" phải là một số dòng'),
    ('{"columns": {"code": 99, "received_at": 12}}', 'thiếu danh sách tiêu đề cột ("headers")'),
    ('{"columns": {"code": {"header": "Mã hồ sơ"}}}', 'thiếu danh sách tiêu đề cột ("headers")'),
    ('{"headers": 5, "columns": {}}', 'thiếu danh sách tiêu đề cột ("headers")'),
])  # fmt: skip
def test_a_mapping_file_of_another_shape_is_refused_with_what_is_wrong(tmp_path, text, words):
    """The audit's hand-written files: a list, a row number in words, columns without the file's headers. They
    gave a Python traceback, or were taken and every row refused as "Thiếu mã hồ sơ"."""
    path = tmp_path / "m.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportFailed, match=re.escape(words)):
        ColumnMapping.load(path)


def test_a_missing_or_broken_mapping_file_is_said_in_vietnamese(tmp_path):
    with pytest.raises(ImportFailed, match="Không có tệp ánh xạ cột 'khong.json'"):
        ColumnMapping.load(tmp_path / "khong.json")
    (tmp_path / "hong.json").write_text('{"columns": {', encoding="utf-8")
    with pytest.raises(ImportFailed, match=r"không phải JSON hợp lệ \(dòng 1, cột 14\)"):
        ColumnMapping.load(tmp_path / "hong.json")
