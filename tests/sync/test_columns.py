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
