"""Importing the procedure catalogue through the service: the shipped CSV, portal workbooks, re-imports,
dry runs, an administrator's confirmed time, rows too long for their columns; and what `save` refuses."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from sqlalchemy import select

from tthc_desk.catalogue_files import read_catalogue
from tthc_desk.errors import ValidationError
from tthc_desk.paths import resource_path
from tthc_desk.storage.models import (
    AuditEntry,
    Procedure,
)
from tthc_desk.text import clean

CSV = resource_path("data", "thu_tuc_cap_xa.csv")
XLSX_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "catalogue_xlsx"


def test_catalogue_import_from_the_shipped_csv(services, admin, rows_in) -> None:
    report = services.catalogue.import_file(admin, CSV)
    assert (report.rows, report.new, report.updated, report.unchanged) == (588, 588, 0, 0)
    assert rows_in(Procedure) == 588
    with services.db.read() as s:
        flagged = s.execute(select(Procedure.code).where(Procedure.needs_review.is_(True))).scalars().all()
        unclear = s.get(Procedure, s.execute(select(Procedure.id).where(Procedure.code == "1.000005")).scalar_one())
        birth = s.execute(select(Procedure).where(Procedure.code == "1.001193")).scalar_one()
        death = s.execute(select(Procedure).where(Procedure.code == "1.000314")).scalar_one()
    assert report.needs_review == len(flagged) > 0
    assert unclear.needs_review and unclear.direct_unit is None and unclear.review_note  # '?120,000' on the portal
    assert birth.needs_review and birth.direct_unit is None and "Thiếu đơn vị" in birth.review_note  # a bare '1'
    assert not death.needs_review and (death.direct_amount, death.direct_unit) == (7, "working_days")
    hits = services.catalogue.search(admin, "dang ky khai sinh")
    assert "1.001193" in {p.code for p in hits}


def test_catalogue_reimport_changes_nothing(services, admin, rows_in) -> None:
    services.catalogue.import_file(admin, CSV)
    with services.db.read() as s:
        before = {p.code: (p.name, p.direct_amount, p.direct_unit, p.needs_review)
                  for p in s.execute(select(Procedure)).scalars()}
    again = services.catalogue.import_file(admin, CSV)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 588)
    with services.db.read() as s:
        after = {p.code: (p.name, p.direct_amount, p.direct_unit, p.needs_review)
                 for p in s.execute(select(Procedure)).scalars()}
    assert after == before


def test_catalogue_dry_run_writes_nothing(services, admin, rows_in) -> None:
    audit = rows_in(AuditEntry)
    report = services.catalogue.import_file(admin, CSV, dry_run=True)
    assert report.dry_run and report.new == 588
    assert (rows_in(Procedure), rows_in(AuditEntry)) == (0, audit)


def test_catalogue_import_keeps_an_administrators_confirmed_time(services, admin) -> None:
    services.catalogue.import_file(admin, CSV)
    pid = services.catalogue.get(admin, code="1.000005").id
    services.catalogue.save(admin, pid, code="1.000005", name="Thủ tục hải quan (đã xác nhận)",
                            durations={"direct": (5, "working_days")})
    services.catalogue.import_file(admin, CSV)
    view = services.catalogue.get(admin, code="1.000005")
    assert not view.needs_review and view.durations["direct"] == "5 ngày làm việc"


def test_catalogue_import_from_a_portal_workbook(services, admin, rows_in) -> None:
    path = XLSX_DIR / "danh-sach-tthc-BoTuPhap.xlsx"
    if not path.is_file():
        pytest.skip(f"shared portal workbook not present: {path}")
    codes = {r.code for r in read_catalogue(path).records}
    report = services.catalogue.import_file(admin, path)
    assert report.rows == 271
    assert report.new == rows_in(Procedure) == len(codes)
    assert report.new + report.updated + report.unchanged == report.rows
    again = services.catalogue.import_file(admin, path)
    assert (again.new, again.updated) == (0, 0)
    assert rows_in(Procedure) == len(codes)


# ----- an administrator's edits: what `save` refuses, cleans and notes ----------------------------------
def _state(services, admin, pid: int) -> tuple:
    """The procedure as the window shows it, and how many procedures and audit lines there are."""
    with services.db.read() as s:
        counts = (s.query(Procedure).count(), s.query(AuditEntry).count())
    return services.catalogue.get(admin, pid).as_dict(), counts


def _save_over(services, admin, pid: int, **changes) -> int:
    """Save procedure `pid` again with its stored values, `changes` replacing some."""
    p = services.catalogue.get(admin, pid)
    values = dict(code=p.code, name=p.name, field_name=p.field, durations=dict(p.raw), papers=p.papers,
                  lead_unit_id=p.lead_unit_id, workflow=p.workflow, supplement_mode=p.supplement_mode,
                  warning_minutes=p.warning_minutes, fee=p.fee, confirmed=not p.needs_review)
    return services.catalogue.save(admin, pid, **{**values, **changes})


def test_save_refuses_an_unknown_duration_unit_and_changes_nothing(services, admin, procedure) -> None:
    before = _state(services, admin, procedure)
    with pytest.raises(ValidationError, match="Đơn vị thời hạn trực tiếp 'weeks' không hợp lệ; chỉ dùng: working_days"):
        _save_over(services, admin, procedure, durations={"direct": (2, "weeks")})
    with pytest.raises(ValidationError, match="Đơn vị thời hạn trực tuyến 'ngày' không hợp lệ"):
        services.catalogue.save(admin, None, code="9.900002", name="Thủ tục mới", durations={"online": (1, "ngày")},
                                confirmed=False)
    assert _state(services, admin, procedure) == before


def test_save_stores_workflow_steps_cleaned(services, admin, procedure, units) -> None:
    nfd = unicodedata.normalize("NFD", "  Thẩm   định hồ sơ ")
    assert nfd != unicodedata.normalize("NFC", nfd)
    _save_over(services, admin, procedure, workflow=[
        {"name": nfd, "unit_id": units["tu_phap"], "days": 3, "unit": "tên cũ"},
        {"name": "   ", "unit_id": units["tnmt"], "days": 1, "unit": ""},  # an empty row of the editor
        {"name": "Ký duyệt", "unit_id": None, "days": "0,5"},
    ])
    assert services.catalogue.get(admin, procedure).workflow == [
        {"name": "Thẩm định hồ sơ", "unit_id": units["tu_phap"], "days": 3.0, "unit": "Phòng Tư pháp"},
        {"name": "Ký duyệt", "unit_id": None, "days": 0.5, "unit": ""},
    ]


@pytest.mark.parametrize(("step", "message"), [
    ({"name": "Thẩm định", "unit_id": None, "days": "ba"}, "Số ngày của bước 'Thẩm định' phải là số từ 0 đến 9999"),
    ({"name": "Thẩm định", "unit_id": None, "days": -1}, "Số ngày của bước 'Thẩm định' phải là số từ 0 đến 9999"),
    ({"name": "Thẩm định", "unit_id": None, "days": 1e300}, "Số ngày của bước 'Thẩm định' phải là số từ 0 đến 9999"),
    ({"name": "Thẩm định", "unit_id": 999, "days": 1}, "Bước quy trình 'Thẩm định': không tìm thấy đơn vị"),
    ({"name": "Thẩm định", "unit_id": "Phòng Tư pháp", "days": 1}, "Bước quy trình 'Thẩm định': đơn vị không hợp lệ"),
], ids=["days-text", "days-negative", "days-huge", "unit-missing", "unit-not-an-id"])
def test_save_refuses_a_bad_workflow_step_and_changes_nothing(services, admin, procedure, step, message) -> None:
    before = _state(services, admin, procedure)
    with pytest.raises(ValidationError, match=message):
        _save_over(services, admin, procedure, workflow=[step])
    assert _state(services, admin, procedure) == before


def test_the_needs_review_note_says_what_happened(services, admin, procedure) -> None:
    who = admin.full_name
    # added by hand, not confirmed
    new = services.catalogue.save(admin, None, code="9.900003", name="Thủ tục thêm tay", confirmed=False)
    view = services.catalogue.get(admin, new)
    assert view.needs_review and view.review_note == f"Thêm tay vào danh mục ngày 03/03/2025 ({who}), chưa được xác nhận."
    # a confirmed procedure marked 'cần xác nhận' again
    _save_over(services, admin, procedure, confirmed=False)
    view = services.catalogue.get(admin, procedure)
    assert view.needs_review and view.review_note == f"Đánh dấu cần xác nhận ngày 03/03/2025 ({who})."
    for note in (services.catalogue.get(admin, new).review_note, view.review_note):
        assert "nhập hồ sơ" not in note
    # a procedure the import marked keeps the import's reason when edited without confirming
    services.catalogue.import_file(admin, CSV)
    doubtful = services.catalogue.get(admin, code="1.000005")
    assert doubtful.needs_review and doubtful.review_note
    _save_over(services, admin, doubtful.id, fee="Miễn phí")
    assert services.catalogue.get(admin, doubtful.id).review_note == doubtful.review_note


def test_confirming_uses_the_stored_direct_time_when_none_is_given(services, admin, rows_in) -> None:
    pid = services.catalogue.save(admin, None, code="9.900004", name="Thủ tục chờ xác nhận",
                                  durations={"direct": (5, "working_days")}, confirmed=False)
    services.catalogue.save(admin, pid, code="9.900004", name="Thủ tục chờ xác nhận", confirmed=True)
    view = services.catalogue.get(admin, pid)
    assert not view.needs_review and view.review_note == "" and view.raw["direct"] == (5.0, "working_days")
    services.catalogue.save(admin, pid, code="9.900004", name="Thủ tục chờ xác nhận",
                            durations={"online": (2, "working_days")}, confirmed=True)
    assert services.catalogue.get(admin, pid).raw["direct"] == (5.0, "working_days")
    # with no time stored and none given, confirming is still refused, and nothing is written
    before = (rows_in(Procedure), rows_in(AuditEntry))
    with pytest.raises(ValidationError, match=r"Cần có thời hạn giải quyết \(trực tiếp\) trước khi xác nhận"):
        services.catalogue.save(admin, None, code="9.900005", name="Thủ tục chưa có thời hạn", confirmed=True)
    with pytest.raises(ValidationError, match=r"Cần có thời hạn giải quyết \(trực tiếp\) trước khi xác nhận"):
        services.catalogue.save(admin, pid, code="9.900004", name="Thủ tục chờ xác nhận",
                                durations={"direct": (None, None)}, confirmed=True)
    assert (rows_in(Procedure), rows_in(AuditEntry)) == before
    assert services.catalogue.get(admin, pid).raw["direct"] == (5.0, "working_days")


@pytest.mark.parametrize(("changes", "message"), [
    ({"durations": {"fax": (3, "working_days")}}, "Kênh nộp 'fax' không có"),
    ({"durations": {"direct": "3 ngày"}}, "Thời hạn trực tiếp phải gồm số và đơn vị"),
    ({"durations": {"direct": ("ba", "working_days")}}, "Thời hạn trực tiếp phải là số không âm"),
    ({"durations": {"post": (float("nan"), "working_days")}}, "Thời hạn bưu chính công ích phải là số không âm"),
    ({"durations": {"direct": (1e300, "working_days")}}, "Thời hạn trực tiếp quá lớn: tối đa 9999 ngày làm việc"),
    ({"papers": [{"name": "Tờ khai", "originals": "một"}]}, "Số bản của giấy tờ 'Tờ khai' phải là số nguyên không âm"),
    ({"papers": [{"name": "Tờ khai", "originals": -1}]}, "Số bản của giấy tờ 'Tờ khai' phải là số nguyên không âm"),
    ({"supplement_mode": "weekly"}, "Cách tính khi bổ sung hồ sơ 'weekly' không hợp lệ"),
    ({"warning_minutes": -60}, "Cảnh báo sắp đến hạn là số giờ làm việc từ 0 đến 240"),
    ({"warning_minutes": "bốn giờ"}, "Cảnh báo sắp đến hạn là số giờ làm việc từ 0 đến 240"),
    ({"code": "9." + "1" * 60}, "Mã thủ tục dài quá 60 ký tự"),
    ({"field_name": "L" * 256}, "Lĩnh vực dài quá 255 ký tự"),
], ids=["unknown-channel", "not-a-pair", "amount-text", "amount-nan", "amount-huge", "paper-count-text",
        "paper-count-negative", "supplement-mode", "warning-negative", "warning-text", "code-too-long",
        "field-too-long"])
def test_save_refuses_other_bad_values_and_changes_nothing(services, admin, procedure, changes, message) -> None:
    before = _state(services, admin, procedure)
    with pytest.raises(ValidationError, match=message):
        _save_over(services, admin, procedure, **changes)
    assert _state(services, admin, procedure) == before


# ----- the import keeps to the columns' sizes, as `save` does (PostgreSQL refuses a longer text) -----------
CSV_HEADER = ("ma_thu_tuc,ten_thu_tuc,linh_vuc,cap_thuc_hien,so_quyet_dinh,thoi_han_truc_tiep,"
              "thoi_han_truc_tuyen,thoi_han_buu_chinh,ghi_chu_phan_tich,co_quan_phoi_hop\n")
LONG_CODE = "1.000020." + "H" * 52  # 61 characters: one more than the code column holds
LONG_NAME = "Thủ tục có tên rất dài " * 200  # the name column is unbounded text: not a size problem


def _catalogue_csv(path: Path, rows: list[list[str]]) -> Path:
    path.write_text(CSV_HEADER + "".join(",".join(f'"{v}"' for v in row) + "\n" for row in rows), encoding="utf-8")
    return path


def _procedures(services) -> dict[str, tuple]:
    with services.db.read() as s:
        return {p.code: (p.name, p.field, p.levels, p.decision, p.direct_amount, p.direct_unit, p.needs_review)
                for p in s.execute(select(Procedure)).scalars()}


def test_import_skips_rows_too_long_for_their_columns(services, admin, tmp_path) -> None:
    services.catalogue.save(admin, None, code="1.000030", name="Thủ tục đã có", field_name="Hộ tịch",
                            durations={"direct": (3, "working_days")})
    before = _procedures(services)
    days = "3 Ngày làm việc"
    path = _catalogue_csv(tmp_path / "danh_muc.csv", [
        ["1.000010", "Đăng ký khai sinh", "Hộ tịch", "Cấp xã", "1/QĐ", days, days, days, "", ""],  # row 2
        [LONG_CODE, "Mã quá dài", "Hộ tịch", "Cấp xã", "1/QĐ", days, days, days, "", ""],  # row 3
        ["1.000030", "Thủ tục đã có", "L" * 256, "Cấp xã", "1/QĐ", days, days, days, "", ""],  # row 4
        ["1.000040", LONG_NAME, "Chứng thực", "Cấp xã", "1/QĐ", days, days, days, "", ""],  # row 5
        ["1.000050", "Cấp quá dài", "Thuế", "C" * 121, "Q" * 256, days, days, days, "", ""],  # row 6
        ["1.000050", "Cấp đúng cỡ", "Thuế", "Cấp xã", "2/QĐ", days, days, days, "", ""],  # row 7
        ["1.000060", "Thời hạn quá lớn", "Thuế", "Cấp xã", "3/QĐ", "10000 Ngày làm việc", days, days, "", ""],
    ])
    report = services.catalogue.import_file(admin, path)

    # each refused row is named, in Vietnamese, by its row in the file; the others are imported
    assert "Dòng 3 (1.000020.HHHHHHHH" in report.warnings[0]
    assert report.warnings[0].endswith("mã thủ tục dài 61 ký tự (tối đa 60), bỏ qua")
    assert report.warnings[1] == "Dòng 4 (1.000030): lĩnh vực dài 256 ký tự (tối đa 255), bỏ qua"
    assert report.warnings[2] == ("Dòng 6 (1.000050): cấp thực hiện dài 121 ký tự (tối đa 120); "
                                  "số quyết định dài 256 ký tự (tối đa 255), bỏ qua")
    assert len(report.warnings) == 3
    assert (report.rows, report.new, report.updated, report.unchanged) == (4, 4, 0, 0)
    after = _procedures(services)
    assert set(after) == {"1.000010", "1.000030", "1.000040", "1.000050", "1.000060"}
    assert after["1.000030"] == before["1.000030"]  # the refused row left the stored procedure as it was
    assert after["1.000040"][0] == clean(LONG_NAME)
    assert after["1.000050"][1:4] == ("Thuế", "Cấp xã", "2/QĐ")  # the next row with that code is the one kept
    # a time `save` would refuse is not imported as clear: it waits for an administrator ('cần xác nhận')
    assert after["1.000060"][4:] == (None, None, True)
    assert "10000" in services.catalogue.get(admin, code="1.000060").review_note


def test_import_of_a_file_with_a_long_name_fits_its_labels(services, admin, tmp_path) -> None:
    path = _catalogue_csv(tmp_path / ("danh-muc-" + "x" * 150 + ".csv"),
                          [["1.000010", "Đăng ký khai sinh", "Hộ tịch", "Cấp xã", "", "1 Ngày làm việc", "", "", "", ""]])
    assert services.catalogue.import_file(admin, path).new == 1
    with services.db.read() as s:
        source = s.execute(select(Procedure.source)).scalar_one()
        audit = s.execute(select(AuditEntry.entity_id).where(AuditEntry.action == "catalogue_import")).scalar_one()
    assert source.startswith("danh-muc-xxx") and len(source) == Procedure.source.type.length
    assert audit.startswith("danh-muc-xxx") and len(audit) == AuditEntry.entity_id.type.length
