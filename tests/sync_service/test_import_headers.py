"""Headers the portal words otherwise (D2, D3): a result date is never the receipt, two-row headers, the register
(Mẫu 06) read back, and a file whose receipt column is not found gives a mapping to correct (service and CLI)."""

from __future__ import annotations

import json
from datetime import datetime

import openpyxl
import pytest
from portal_files import HEADERS, KS, KS_NAME, build_portal, db_fingerprint, row
from sqlalchemy import select

from tthc_desk.cli.main import main
from tthc_desk.errors import ImportFailed
from tthc_desk.storage.models import Case

# "Ngày nhận" is the receipt column of `row`; under a header nobody detects
UNKNOWN_RECEIPT = ["Thời điểm vào sổ" if h == "Ngày nhận" else h for h in HEADERS]


def cases(services) -> dict[str, Case]:
    with services.db.read() as s:
        return {c.code: c for c in s.execute(select(Case)).scalars()}


def test_a_result_date_is_never_taken_for_the_receipt(office, admin, tmp_path):
    """The audit's file: "Ngày nhận kết quả" (the result back from the body that resolved the case) beside the
    receipt under "Ngày giờ tiếp nhận": the case is received on 18/02, its result on 20/02."""
    headers = ["Mã hồ sơ", "Người nộp", "Mã thủ tục", "Ngày giờ tiếp nhận", "Hạn giải quyết", "Ngày nhận kết quả",
               "Trạng thái"]  # fmt: skip
    path = build_portal(tmp_path / "nhankq.xlsx", [
        ["KQ-0001", "Nguyễn Văn Ba", KS, "18/02/2025 08:00", "20/02/2025 17:00", "20/02/2025 15:00",
         "Đã có kết quả"]], headers=headers, title=False)  # fmt: skip
    plan = office.sync.plan_import(admin, path)
    assert ("received_at", "Ngày tiếp nhận", "Ngày giờ tiếp nhận") in plan.mapping.describe()
    assert ("finished_at", "Ngày có kết quả", "Ngày nhận kết quả") in plan.mapping.describe()
    office.sync.run_import(admin, plan)
    case = cases(office)["KQ-0001"]
    assert case.received_at == datetime(2025, 2, 18, 8, 0) and case.result_at == datetime(2025, 2, 20, 15, 0)
    assert case.original_due_at == datetime(2025, 2, 20, 17, 0)


def _two_row_workbook(path):
    """A merged title, then "Thông tin người nộp" over "Họ tên | Địa chỉ" and "Ngày" over "Tiếp nhận | Hẹn trả |
    Trả kết quả"; the other headers span both rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "DANH SÁCH HỒ SƠ"
    ws.merge_cells("A1:I1")
    ws.append(["STT", "Mã hồ sơ", "Thông tin người nộp", None, "Mã thủ tục", "Thủ tục", "Ngày", None, None])
    ws.append([None, None, "Họ tên", "Địa chỉ", None, None, "Tiếp nhận", "Hẹn trả", "Trả kết quả"])
    for cells in ("C2:D2", "G2:I2", "A2:A3", "B2:B3", "E2:E3", "F2:F3"):
        ws.merge_cells(cells)
    ws.append([1, "TWO-0001", "Nguyễn Văn Hai", "Thôn 2", KS, KS_NAME, "20/02/2025 08:00", "25/02/2025 17:00",
               "25/02/2025 09:30"])  # fmt: skip
    ws.append(
        [2, "TWO-0002", "Lê Thị Ba", "Thôn 3", KS, KS_NAME, "21/02/2025 14:00", "26/02/2025 17:00", None]
    )
    wb.save(path)
    return path


def test_a_two_row_header_imports_with_the_right_dates(office, admin, tmp_path):
    path = _two_row_workbook(tmp_path / "hai_dong.xlsx")
    plan = office.sync.plan_import(admin, path)
    assert not plan.fatal and (plan.mapping.first_header_row, plan.header_row) == (2, 3)
    shown = {f: h for f, _label, h in plan.mapping.describe() if h}
    assert shown == {"code": "Mã hồ sơ", "applicant": "Thông tin người nộp › Họ tên",
                     "address": "Thông tin người nộp › Địa chỉ", "procedure_code": "Mã thủ tục",
                     "procedure_name": "Thủ tục", "received_at": "Ngày › Tiếp nhận", "due_at": "Ngày › Hẹn trả",
                     "returned_at": "Ngày › Trả kết quả"}  # fmt: skip
    assert [r.row_number for r in plan.preview()] == [4, 5] and not plan.rejected
    office.sync.run_import(admin, plan)
    held = cases(office)
    first, second = held["TWO-0001"], held["TWO-0002"]
    assert first.applicant_name == "Nguyễn Văn Hai" and first.applicant_address == "Thôn 2"
    assert first.received_at == datetime(2025, 2, 20, 8, 0) and first.original_due_at == datetime(
        2025, 2, 25, 17, 0
    )
    assert first.returned_at == datetime(2025, 2, 25, 9, 30) and not first.is_open
    assert (
        second.received_at == datetime(2025, 2, 21, 14, 0) and second.is_open and second.returned_at is None
    )


def test_the_register_export_is_read_back(office, admin, register, tmp_path):
    """Mẫu 06 as exported ("Ngày, tháng, năm" over "Nhận hồ sơ | Hẹn trả kết quả | … | Nhận kết quả từ cơ quan
    giải quyết | Trả kết quả cho cá nhân, tổ chức", then the row numbering the columns): its columns are found,
    its one column of address and phone is left out, and every case reads as the one held."""
    register("Nguyễn Văn An")
    register("Trần Thị Bình")
    out = tmp_path / "so.xlsx"
    assert office.sync.export_register(admin, out, 2025) == 2
    plan = office.sync.plan_import(admin, out)
    assert not plan.fatal and (plan.mapping.first_header_row, plan.header_row) == (4, 6)
    shown = {f: h for f, _label, h in plan.mapping.describe() if h}
    assert shown["received_at"] == "Ngày, tháng, năm › Nhận hồ sơ"
    assert shown["due_at"] == "Ngày, tháng, năm › Hẹn trả kết quả"
    assert shown["finished_at"] == "Ngày, tháng, năm › Nhận kết quả từ cơ quan giải quyết"
    assert shown["returned_at"] == "Ngày, tháng, năm › Trả kết quả cho cá nhân, tổ chức"
    assert shown["applicant"] == "Tên cá nhân, tổ chức" and shown["unit"] == "Cơ quan chủ trì giải quyết"
    assert "address" not in shown and "phone" not in shown
    assert plan.counts["unchanged"] == 2 and plan.counts["rejected"] == 0 and not plan.conflicts
    before = {
        code: (c.received_at, c.original_due_at, c.applicant_name, c.version)
        for code, c in cases(office).items()
    }
    assert office.sync.run_import(admin, plan).counts["unchanged"] == 2
    assert {code: (c.received_at, c.original_due_at, c.applicant_name, c.version)
            for code, c in cases(office).items()} == before  # fmt: skip


def test_a_file_whose_receipt_column_is_not_found_gives_a_mapping_to_correct(office, admin, tmp_path):
    path = build_portal(tmp_path / "khong_ngay.xlsx", [row(1), row(2)], headers=UNKNOWN_RECEIPT)
    before = db_fingerprint(office)
    plan = office.sync.plan_import(admin, path)
    assert plan.fatal == ["Tệp 'khong_ngay.xlsx' thiếu cột bắt buộc 'Ngày tiếp nhận'. Hãy chỉnh ánh xạ cột."]
    assert plan.mapping.missing() == ["received_at"] and plan.mapping.columns["code"] == 1
    assert plan.mapping.headers[12] == "Thời điểm vào sổ" and plan.header_row == 3
    assert plan.preview() == [] and not plan.rejected and set(plan.counts.values()) == {0}  # no row was read
    with pytest.raises(ImportFailed, match="thiếu cột bắt buộc"):
        office.sync.run_import(admin, plan)
    assert db_fingerprint(office) == before
    # a correction that drops a column the headers name is refused, as before
    with pytest.raises(ImportFailed, match="thiếu cột bắt buộc 'Mã hồ sơ'"):
        office.sync.plan_import(admin, path, plan.mapping.with_column("code", None))
    # another correction first, the receipt still to choose: the plan still says what is missing
    still = office.sync.plan_import(admin, path, plan.mapping.with_column("phone", None))
    assert (
        still.fatal == plan.fatal and still.mapping_source == "user" and "phone" not in still.mapping.columns
    )
    corrected = plan.mapping.with_column("received_at", 12)
    fixed = office.sync.plan_import(admin, path, corrected)
    assert not fixed.fatal and fixed.counts["new"] == 2 and fixed.mapping_source == "user"
    result = office.sync.run_import(admin, fixed)
    assert result.counts["new"] == 2 and result.mapping_saved
    assert cases(office)["000.00.17.H10-250303-0001"].received_at == datetime(2025, 3, 3, 8, 30)
    # the correction is remembered for the next file with these headers
    again = office.sync.plan_import(
        admin, build_portal(tmp_path / "lan2.xlsx", [row(3)], headers=UNKNOWN_RECEIPT)
    )
    assert not again.fatal and again.mapping_source == "remembered" and again.counts["new"] == 1


def _run(capsys, services, *argv) -> tuple[int, str, str]:
    code = main(["--db", services.db.url, "--now", "2025-03-03 12:00", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_prints_the_mapping_found_and_saves_it_to_correct(office, tmp_path, capsys):
    path = build_portal(tmp_path / "khong_ngay.xlsx", [row(1), row(2)], headers=UNKNOWN_RECEIPT)
    saved = tmp_path / "anh_xa.json"
    code, out, err = _run(
        capsys, office, "case", "import", str(path), "--dry-run", "--save-mapping", str(saved)
    )
    assert code == 2 and "thiếu cột bắt buộc 'Ngày tiếp nhận'" in err
    assert "Mã hồ sơ ← 'Số hồ sơ'" in out and "Chưa có cột cho: Ngày tiếp nhận" in out
    assert "12 'Thời điểm vào sổ'" in out and f"Đã lưu ánh xạ cột vào {saved}" in out
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert (
        data["columns"]["received_at"] == {"index": None, "header": ""}
        and data["columns"]["code"]["index"] == 1
    )
    code, out, _ = _run(capsys, office, "case", "import", str(path), "--json")
    fatal = json.loads(out)
    assert code == 2 and fatal["mapping"]["code"] == "Số hồ sơ" and "received_at" not in fatal["mapping"]
    assert (
        fatal["column_mapping"]["columns"]["code"]["index"] == 1
        and len(fatal["column_mapping"]["headers"]) == 16
    )
    assert cases(office) == {}
    data["columns"]["received_at"]["index"] = 12  # the user's correction
    saved.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out, _ = _run(capsys, office, "case", "import", str(path), "--mapping", str(saved))
    assert code == 0 and "mới: 2" in out and "Ngày tiếp nhận ← 'Thời điểm vào sổ'" in out
    assert cases(office)["000.00.17.H10-250303-0002"].received_at == datetime(2025, 3, 3, 8, 30)
