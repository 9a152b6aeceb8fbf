"""Catalogue file parsing (tthc_desk.catalogue_files) on the real catalogue files and on small built ones;
the duration texts alone are in test_catalogue_durations.py."""

from __future__ import annotations

import csv
import re
import unicodedata
from pathlib import Path

import openpyxl
import pytest

from tthc_desk.catalogue_files import (
    NO_DURATION_IN_FILE,
    REVIEW,
    CatalogueParse,
    parse_catalogue_csv,
    read_catalogue,
    read_catalogue_csv,
    read_catalogue_xlsx,
)
from tthc_desk.domain import Channel, DurationUnit
from tthc_desk.errors import ImportFailed
from tthc_desk.paths import resource_path

REPO = Path(__file__).resolve().parent.parent
SHARED_CANDIDATES = [REPO.parent / "shared" / "data", Path("/work/shared/data")]
SHARED = next((p for p in SHARED_CANDIDATES if p.is_dir()), None)

CSV_PATH = (
    SHARED / "thu_tuc_cap_xa.csv"
    if SHARED and (SHARED / "thu_tuc_cap_xa.csv").is_file()
    else resource_path("data", "thu_tuc_cap_xa.csv")
)
XLSX_DIR = SHARED / "catalogue_xlsx" if SHARED else None
needs_xlsx = pytest.mark.skipif(
    XLSX_DIR is None or not XLSX_DIR.is_dir(), reason="shared catalogue_xlsx folder not present"
)

XLSX_COUNTS = {
    "danh-sach-tthc-BoCongAn.xlsx": 339,
    "danh-sach-tthc-BoTaiChinh.xlsx": 706,
    "danh-sach-tthc-BoTuPhap.xlsx": 271,
    "danh-sach-tthc-BoXayDung.xlsx": 525,
    "danh-sach-tthc-NganhangNhanuocVietNam.xlsx": 261,
    "danh-sach-tthc-NongNghiepvaMoiTruong.xlsx": 537,
    "toa-an-nhan-dan.xlsx": 3,
}
CODE_SHAPE = re.compile(r"^\d\.\d{6}$")


def is_nfc(text: str) -> bool:
    return unicodedata.normalize("NFC", text) == text


# ------------------------------------------------------------------------------------ the real CSV


@pytest.fixture(scope="module")
def csv_parse() -> CatalogueParse:
    return read_catalogue(CSV_PATH)


@pytest.fixture(scope="module")
def csv_by_code(csv_parse) -> dict:
    return {r.code: r for r in csv_parse.records}


@pytest.fixture(scope="module")
def csv_raw() -> list[dict[str, str]]:
    with CSV_PATH.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_csv_counts(csv_parse, csv_raw):
    assert len(csv_raw) == 588
    assert csv_parse.rows_read == 588
    assert len(csv_parse.records) == 588
    assert csv_parse.duplicates == 0 and csv_parse.skipped == 0 and csv_parse.warnings == []
    assert csv_parse.header_row == 1
    assert read_catalogue_csv(CSV_PATH) == csv_parse.records


def test_csv_codes_are_kept_as_text(csv_parse, csv_raw):
    assert [r.code for r in csv_parse.records] == [row["ma_thu_tuc"] for row in csv_raw]
    codes = {r.code for r in csv_parse.records}
    for code in ("1.000020", "1.000080", "1.000110", "1.003050"):  # trailing zeros survive
        assert code in codes
    assert all(CODE_SHAPE.match(r.code) and r.national_code == r.code for r in csv_parse.records)


def test_csv_clear_rows(csv_by_code):
    r = csv_by_code["1.004194"]  # Đăng ký tạm trú
    assert r.name == "Đăng ký tạm trú"
    assert r.field == "Đăng ký, quản lý cư trú"
    assert (r.direct.amount, r.direct.unit) == (3.0, DurationUnit.WORKING_DAYS)
    assert (r.online.amount, r.online.unit) == (3.0, DurationUnit.WORKING_DAYS)
    assert r.direct.raw == "3 Ngày làm việc" and not r.direct.needs_review

    r = csv_by_code["1.014632"]  # 7 Ngày (calendar days) on every channel
    for ch in Channel:
        assert (r.duration(ch).amount, r.duration(ch).unit) == (7.0, DurationUnit.CALENDAR_DAYS)
    assert not r.needs_review

    r = csv_by_code["1.000253"]  # 7 Ngày direct, nothing on the other channels
    assert (r.direct.amount, r.direct.unit) == (7.0, DurationUnit.CALENDAR_DAYS)
    assert r.online.needs_review and r.post.needs_review and r.needs_review

    r = csv_by_code["1.005458"]  # Thủ tục huỷ tờ khai hải quan: 8 Giờ
    assert (r.direct.amount, r.direct.unit) == (8.0, DurationUnit.WORKING_HOURS)
    assert r.direct.raw == "8 Giờ"

    r = csv_by_code["2.000908"]  # cấp bản sao từ sổ gốc: clear everywhere
    assert all(r.duration(ch).is_clear for ch in Channel)
    assert not r.needs_review and r.review_notes == []
    assert r.decision and r.levels


def test_csv_fields_and_levels(csv_by_code):
    r = csv_by_code["1.004845"]
    assert r.cooperating_units == "Bộ Công an"
    assert r.levels.startswith("Cấp") and "Cấp xã" in r.levels
    assert csv_by_code["1.000014"].decision == "2628/QĐ-BTC"
    assert csv_by_code["1.000014"].issuing_agency == "" and csv_by_code["1.000014"].implementing_agency == ""


def test_csv_bare_one_is_not_guessed(csv_by_code):
    khai_sinh = csv_by_code["1.001193"]  # Hộ tịch, "1" on every channel
    assert khai_sinh.field == "Hộ tịch"
    for ch in Channel:
        spec = khai_sinh.duration(ch)
        assert spec.raw == "1"
        assert spec.needs_review and spec.amount is None and spec.unit is None
        assert (spec.suggested_amount, spec.suggested_unit) == (1.0, DurationUnit.WORKING_DAYS)
        assert "15 giờ" in spec.note
    assert khai_sinh.needs_review
    assert any(n.startswith("Trực tiếp:") for n in khai_sinh.review_notes)

    hai_quan = csv_by_code["1.000096"]  # Hải quan "1": no suggestion of a unit
    assert hai_quan.direct.raw == "1" and hai_quan.direct.needs_review
    assert hai_quan.direct.suggested_unit is None

    ho_tich_5 = csv_by_code["1.000893"]
    assert ho_tich_5.direct.raw == "5" and ho_tich_5.direct.needs_review and ho_tich_5.direct.unit is None


def test_csv_glued_fee_and_empty(csv_by_code):
    r = csv_by_code["1.000014"]  # ?120 on direct and online, flagged by ghi_chu_phan_tich
    assert r.direct.raw == "?120" and r.direct.needs_review and r.direct.amount is None
    assert "'?120'" in r.direct.note and "ghi chú phân tích" in r.direct.note
    assert r.online.raw == "?120" and r.online.needs_review
    assert r.needs_review

    r = csv_by_code["1.000005"]  # direct empty, online ?120,000
    assert r.direct.raw == "" and r.direct.needs_review and "Không có thông tin" in r.direct.note
    assert r.online.raw == "?120,000" and r.online.needs_review

    r = csv_by_code["1.001612"]  # "Không có thông tin"
    assert r.direct.raw == "Không có thông tin" and r.direct.needs_review and r.direct.unit is None

    r = csv_by_code["1.009092"]  # ?1500
    assert r.direct.raw == "?1500" and r.direct.needs_review and "'?1500'" in r.direct.note
    assert r.online.raw == "1" and r.online.needs_review


def test_csv_flagged_rows_need_review(csv_parse, csv_raw):
    flagged = {
        row["ma_thu_tuc"]: row["ghi_chu_phan_tich"] for row in csv_raw if row["ghi_chu_phan_tich"].strip()
    }
    assert len(flagged) == 47
    by_code = {r.code: r for r in csv_parse.records}
    labels = {"Trực tiếp": Channel.DIRECT, "Trực tuyến": Channel.ONLINE, "Dịch vụ bưu chính": Channel.POST}
    for code, note in flagged.items():
        record = by_code[code]
        assert record.needs_review, code
        for label, channel in labels.items():
            if f"{label}:" in note:
                spec = record.duration(channel)
                assert spec.needs_review and spec.amount is None and spec.unit is None, (code, channel)
                assert "ghi chú phân tích" in spec.note


def test_csv_question_mark_values_always_need_review(csv_parse):
    for r in csv_parse.records:
        for ch in Channel:
            spec = r.duration(ch)
            if spec.raw.startswith("?") or spec.raw == "" or spec.raw.isdigit():
                assert spec.needs_review and spec.unit is None, (r.code, ch)


def test_csv_review_summary(csv_parse):
    records = csv_parse.records
    direct_clear = sum(r.direct.is_clear for r in records)
    assert direct_clear == 346
    assert len(records) - direct_clear == 242
    assert sum(r.online.is_clear for r in records) == 335
    assert sum(r.post.is_clear for r in records) == 266
    assert csv_parse.needs_review == 338
    # a record is clear only when every channel is clear and nothing else is doubtful
    for r in records:
        assert r.needs_review == (not all(r.duration(ch).is_clear for ch in Channel))
        assert r.needs_review == bool(r.review_notes)
        assert all(n.endswith(REVIEW) or REVIEW in n for n in r.review_notes)


def test_csv_names_are_clean(csv_parse, csv_by_code):
    for r in csv_parse.records:
        for text in (r.name, r.field, r.levels, r.decision, r.cooperating_units):
            assert is_nfc(text)
            assert text == text.strip() and "\n" not in text and "  " not in text
    multi_line = csv_by_code["2.001428"]
    assert multi_line.name.startswith(
        "Công bố Danh mục và Quy trình nội bộ thủ tục hành chính thuộc thẩm quyền"
    )
    assert "thẩm quyền giải quyết" in multi_line.name
    assert csv_by_code["3.000527"].name == "Đăng ký cai nghiện ma túy tự nguyện"
    assert csv_by_code["1.010101"].field == "Cấp, quản lý căn cước"  # stored decomposed in the file


def test_bundled_copy_reads_the_same():
    bundled = resource_path("data", "thu_tuc_cap_xa.csv")
    if not bundled.is_file() or bundled == CSV_PATH:
        pytest.skip("no separate bundled copy")
    assert read_catalogue_csv(bundled) == read_catalogue_csv(CSV_PATH)


# ------------------------------------------------------------------------------------ the real xlsx


@needs_xlsx
@pytest.mark.parametrize(("name", "count"), sorted(XLSX_COUNTS.items()))
def test_xlsx_counts_and_codes(name, count):
    path = XLSX_DIR / name
    parse = read_catalogue(path)
    assert len(parse.records) == count
    assert parse.rows_read == count and parse.duplicates == 0 and parse.skipped == 0
    assert parse.header_row == 2
    # codes exactly as the cells hold them (text), compared with an independent read
    ws = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    raw_codes = [row[0] for row in ws.iter_rows(min_row=3, values_only=True) if row[0] is not None]
    assert all(isinstance(c, str) for c in raw_codes)
    assert [r.code for r in parse.records] == [c.strip() for c in raw_codes]
    assert all(CODE_SHAPE.match(r.code) and r.national_code == r.code for r in parse.records)


@needs_xlsx
def test_xlsx_total():
    total = sum(len(read_catalogue_xlsx(XLSX_DIR / name)) for name in XLSX_COUNTS)
    assert total == 2642
    assert sorted(p.name for p in XLSX_DIR.glob("*.xlsx")) == sorted(XLSX_COUNTS)


@needs_xlsx
def test_xlsx_records():
    records = {r.code: r for r in read_catalogue_xlsx(XLSX_DIR / "danh-sach-tthc-BoTuPhap.xlsx")}
    r = records["1.014966"]
    assert (
        r.name == "Cấp lại chứng chỉ hành nghề Quản tài viên trong trường hợp bị thu hồi chứng chỉ hành nghề"
    )
    assert r.issuing_agency == "Bộ Tư pháp"
    assert r.implementing_agency == "Chủ tịch ủy ban nhân dân cấp tỉnh\nSở Tư Pháp"
    assert r.field == "Quản tài viên"
    assert "2.002080" in records and "2.001680" in records  # trailing zeros
    assert records["1.000094"].field == "Hộ tịch"
    assert records["1.000094"].source_row == 273

    bxd = {r.code: r for r in read_catalogue_xlsx(XLSX_DIR / "danh-sach-tthc-BoXayDung.xlsx")}
    assert bxd["1.115151"].name.startswith("Thủ tục bán, cho thuê mua")  # leading space removed

    toa_an = {r.code: r for r in read_catalogue_xlsx(XLSX_DIR / "toa-an-nhan-dan.xlsx")}
    agencies = toa_an["3.000163"].implementing_agency.split("\n")
    assert agencies[0] == "Tòa án nhân dân cấp cao" and agencies[-1] == "Tòa án nhân dân khu vực"
    assert "" not in agencies


@needs_xlsx
@pytest.mark.parametrize("name", sorted(XLSX_COUNTS))
def test_xlsx_everything_needs_duration_review_and_is_clean(name):
    for r in read_catalogue_xlsx(XLSX_DIR / name):
        assert r.needs_review
        assert any(NO_DURATION_IN_FILE in n for n in r.review_notes)
        for ch in Channel:
            spec = r.duration(ch)
            assert spec.needs_review and spec.amount is None and spec.unit is None
            assert spec.note == NO_DURATION_IN_FILE
        for text in (r.name, r.field, r.issuing_agency):
            assert is_nfc(text) and text == text.strip() and "\n" not in text and "  " not in text
        assert is_nfc(r.implementing_agency)
        assert all(
            line == line.strip() and line
            for line in r.implementing_agency.split("\n")
            if r.implementing_agency
        )
        assert r.levels == "" and r.decision == ""


# ------------------------------------------------------------------------------------ built files


def _write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_xlsx_header_found_anywhere_and_numeric_codes_flagged(tmp_path):
    path = _write_xlsx(
        tmp_path / "list.xlsx",
        [
            ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập – Tự do – Hạnh phúc"],
            [],
            ["DANH SÁCH THỦ TỤC HÀNH CHÍNH"],
            ["STT", "  MÃ SỐ ", "Tên\nthủ tục", "Lĩnh  vực", "Cơ quan thực hiện", "Cơ quan ban hành"],
            [
                1,
                "1.000010",
                "  Đăng ký\n khai sinh  ",
                "Hộ tịch",
                "UBND cấp xã\n\n Công an xã ",
                "Bộ Tư pháp",
            ],
            [2, 1.00002, "Thủ tục số", "Hộ tịch", "", ""],
            [3, "1.000010", "Bản trùng", "Hộ tịch", "", ""],
            [None, None, None, None, None, None],
            [4, "", "Không có mã", "", "", ""],
            [5, "2.002621.H13", "Biến thể địa phương", "Chứng thực", "", ""],
        ],
    )
    parse = read_catalogue(path)
    assert parse.header_row == 4 and parse.sheet == "Danh sách"
    codes = [r.code for r in parse.records]
    assert codes == ["1.000010", "1.000020", "2.002621.H13"]
    first, numeric, variant = parse.records
    assert first.name == "Đăng ký khai sinh" and first.implementing_agency == "UBND cấp xã\nCông an xã"
    assert first.field == "Hộ tịch"
    assert numeric.needs_review and any("dạng số" in n for n in numeric.review_notes)
    assert numeric.national_code == "1.000020"
    assert variant.national_code == "2.002621"
    assert parse.duplicates == 1 and parse.skipped == 1 and parse.rows_read == 5
    assert len(parse.warnings) == 2
    dup = next(w for w in parse.warnings if w.code == "1.000010")
    assert dup.row == 7 and "dòng 5" in dup.message and str(dup).startswith("Dòng 7:")
    assert parse.counts == {"rows_read": 5, "records": 3, "duplicates": 1, "skipped": 1, "needs_review": 3}


def _write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


HEADER = (
    "ma_thu_tuc,ten_thu_tuc,linh_vuc,cap_thuc_hien,so_quyet_dinh,thoi_han_truc_tiep,"
    "thoi_han_truc_tuyen,thoi_han_buu_chinh,ghi_chu_phan_tich,co_quan_phoi_hop\n"
)


def test_csv_duplicates_and_flags(tmp_path):
    path = _write_csv(
        tmp_path / "c.csv",
        HEADER
        + '1.000010,"Tên\nhai dòng",Hộ tịch,Cấp xã,1/QĐ,3 Ngày làm việc,3 Ngày làm việc,3 Ngày làm việc,,\n'
        + "1.000010,Trùng,Hộ tịch,Cấp xã,1/QĐ,1,1,1,,\n"
        + "1.000020,Ghi chú lạ,Thuế,Cấp xã,2/QĐ,5 Ngày làm việc,5 Ngày làm việc,5 Ngày làm việc,Cần xem lại,\n"
        + "1.000030,Kênh bị đánh dấu,Thuế,Cấp xã,2/QĐ,5 Ngày làm việc,5 Ngày làm việc,5 Ngày làm việc,"
        + "Trực tuyến: không đọc được thời hạn,\n",
    )
    parse = parse_catalogue_csv(path)
    assert [r.code for r in parse.records] == ["1.000010", "1.000020", "1.000030"]
    first, odd_note, flagged = parse.records
    assert first.name == "Tên hai dòng" and not first.needs_review
    assert parse.duplicates == 1 and parse.warnings[0].row == 3
    # a remark naming no channel still flags the record (the durations themselves stay as read)
    assert odd_note.needs_review and any("Cần xem lại" in n for n in odd_note.review_notes)
    # a remark naming a channel flags that channel even if its text looked clear; the value becomes a suggestion
    assert flagged.direct.is_clear and flagged.post.is_clear
    assert flagged.online.needs_review and flagged.online.amount is None
    assert (flagged.online.suggested_amount, flagged.online.suggested_unit) == (
        5.0,
        DurationUnit.WORKING_DAYS,
    )
    assert flagged.needs_review


def test_csv_semicolon_and_bom(tmp_path):
    path = _write_csv(
        tmp_path / "c.csv", "Mã thủ tục;Tên thủ tục;Lĩnh vực\n1.000010;Một;Hộ tịch\n", encoding="utf-8-sig"
    )
    [record] = read_catalogue_csv(path)
    assert record.code == "1.000010" and record.name == "Một"
    assert record.direct.needs_review  # no duration columns in this file


def test_csv_malformed_code_is_flagged(tmp_path):
    path = _write_csv(tmp_path / "c.csv", HEADER + "1.00001,Mất số 0,Thuế,Cấp xã,,1 Ngày,1 Ngày,1 Ngày,,\n")
    [record] = read_catalogue_csv(path)
    assert record.code == "1.00001" and record.national_code == ""
    assert record.needs_review and any("N.NNNNNN" in n for n in record.review_notes)


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("a.txt", b"x", "chỉ nhập được"),
        ("a.csv", "Tên;Cột khác\nA;B\n".encode(), "tiêu đề"),
        ("a.csv", "ma_thu_tuc,ten_thu_tuc\n1.000010,Đăng\n".encode("cp1258"), "UTF-8"),
        ("a.xlsx", b"not a zip file at all", "Không đọc được tệp Excel"),
        ("a.xls", b"\x00\x01garbage", "Không đọc được tệp Excel"),
    ],
)
def test_unreadable_files_raise_import_failed(tmp_path, name, content, words):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportFailed) as info:
        read_catalogue(path)
    assert words in info.value.message


def test_missing_file_and_headerless_workbook(tmp_path):
    with pytest.raises(ImportFailed, match="Không tìm thấy tệp"):
        read_catalogue(tmp_path / "none.csv")
    path = _write_xlsx(tmp_path / "x.xlsx", [["Một", "Hai"], ["1.000010", "Tên"]])
    with pytest.raises(ImportFailed, match="tiêu đề"):
        read_catalogue(path)


def test_csv_rows_too_long_for_their_columns_are_skipped(tmp_path):
    long_code = "1.000020." + "H" * 52  # 61 characters, the column holds 60
    path = _write_csv(
        tmp_path / "c.csv",
        HEADER
        + "1.000010,Đúng cỡ,Hộ tịch,Cấp xã,1/QĐ,3 Ngày làm việc,,,,\n"
        + f"{long_code},Mã quá dài,Hộ tịch,Cấp xã,1/QĐ,3 Ngày làm việc,,,,\n"
        + f"1.000030,Lĩnh vực quá dài,{'L' * 256},Cấp xã,1/QĐ,3 Ngày làm việc,,,,\n"
        + f"1.000030,Cùng mã đúng cỡ,{'L' * 255},{'C' * 120},{'Q' * 255},3 Ngày làm việc,,,,\n"
        + f"1.000040,{'Tên dài ' * 500},Hộ tịch,Cấp xã,1/QĐ,10000 Ngày làm việc,,,,\n",
    )
    parse = parse_catalogue_csv(path)
    assert [r.code for r in parse.records] == ["1.000010", "1.000030", "1.000040"]
    assert parse.records[1].name == "Cùng mã đúng cỡ"  # the row refused before it is not a duplicate's first
    assert parse.counts == {"rows_read": 5, "records": 3, "duplicates": 0, "skipped": 2, "needs_review": 3}
    code_warning, field_warning = parse.warnings
    assert code_warning.row == 3 and code_warning.code == long_code[:60] + "…"
    assert code_warning.message == "mã thủ tục dài 61 ký tự (tối đa 60), bỏ qua"
    assert str(field_warning) == "Dòng 4: lĩnh vực dài 256 ký tự (tối đa 255), bỏ qua"
    # the name is unbounded text; a time longer than an administrator may save is not read as clear
    long_name = parse.records[2]
    assert len(long_name.name) == len("Tên dài " * 500) - 1
    assert long_name.direct.needs_review and long_name.direct.amount is None
    assert long_name.direct.suggested_amount is None and "quá mức tối đa 9999" in long_name.direct.note
