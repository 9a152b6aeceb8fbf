"""`case import` / `case export` / `register export` on the command line."""

from __future__ import annotations

import json
import os
from datetime import datetime

import openpyxl
from portal_files import HEADERS, build_portal, row
from sqlalchemy import func, select

from tthc_desk.cli.main import main
from tthc_desk.storage.models import Case, Procedure, Unit
from tthc_desk.sync.legacy import encode_tcvn3


def _run(capsys, services, *argv, now: str = "2025-03-06 12:00") -> tuple[int, str, str]:
    code = main(["--db", services.db.url, "--now", now, *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_import_dry_run_json_then_real_run(office, quirky_file, capsys, tmp_path):
    code, out, _ = _run(capsys, office, "case", "import", str(quirky_file), "--dry-run", "--json",
                        "--save-rejected", str(tmp_path / "rej.xlsx"))
    data = json.loads(out)
    assert code == 0 and data["dry_run"] and data["counts"]["new"] == 8
    assert [r["row"] for r in data["rejected"]] == [10, 11] and data["header_row"] == 3
    assert openpyxl.load_workbook(tmp_path / "rej.xlsx").active.max_row == 5
    code, out, _ = _run(capsys, office, "case", "import", str(quirky_file), "--json")
    assert code == 0 and json.loads(out)["result"]["counts"]["new"] == 8
    code, out, _ = _run(capsys, office, "case", "import", str(quirky_file))
    assert code == 0 and "không đổi: 8" in out


def test_fatal_problems_exit_non_zero(office, tmp_path, capsys):
    path = build_portal(tmp_path / "u.xlsx", [row(1, unit="Phòng Không Có")])
    code, out, _ = _run(capsys, office, "case", "import", str(path), "--json")
    data = json.loads(out)
    assert code == 2 and not data["importable"] and data["unknown_units"][0]["key"] == "Phòng Không Có"
    broken = tmp_path / "hong.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    code, _out, err = _run(capsys, office, "case", "import", str(broken))
    assert code == 2 and "không ghi gì" in err
    code, out, _ = _run(capsys, office, "case", "import", str(path), "--create-missing", "--json")
    assert code == 0 and json.loads(out)["result"]["created_units"] == ["Phòng Không Có"]


def test_a_file_without_a_case_row_is_refused_with_the_reason(office, tmp_path, capsys):
    """A header without a case row under it: exit 2 and why, in text and in --json (audit 9, L7)."""
    from portal_files import db_fingerprint

    path = build_portal(tmp_path / "chi_tieu_de.xlsx", [])
    reason = ("Trang “DanhSach” của tệp 'chi_tieu_de.xlsx' không có dòng hồ sơ nào dưới dòng tiêu đề (dòng 3): không"
              " có gì để nhập. Hãy xem lại danh sách xuất từ cổng (bộ lọc khi xuất có thể không ra hồ sơ nào).")
    before = db_fingerprint(office)
    code, out, err = _run(capsys, office, "case", "import", str(path))
    assert code == 2 and err == f"Không nhập tệp (không ghi gì vào cơ sở dữ liệu):\n  - {reason}\n" and out == ""
    code, out, _ = _run(capsys, office, "case", "import", str(path), "--json")
    assert code == 2 and json.loads(out) == {"fatal": [reason], "importable": False}
    assert db_fingerprint(office) == before


def test_unknown_units_and_procedures_are_mapped_by_name_or_code_or_refused(office, tmp_path, capsys):
    """`--map-unit "Phòng TP Xã=Phòng Tư pháp"`: a desk officer names the unit, not its number. The name (or, for a
    procedure, its code or name) is looked up; one that names nothing stops the import, where it used to be
    taken and the cases stored with no unit and no procedure."""
    path = build_portal(tmp_path / "u.xlsx", [row(1, unit="Phòng TP Xã", proc="9.999999", proc_name="Thủ tục lạ"),
                                              row(2, unit="Phòng TP Xã")])
    code, out, err = _run(capsys, office, "case", "import", str(path), "--map-unit", "Phòng TP Xã=Phòng Tư Pháp",
                          "--map-procedure", "9.999999=Dịch vụ không có")
    assert code == 2 and "Không có thủ tục 'Dịch vụ không có'" in out + err
    code, out, err = _run(capsys, office, "case", "import", str(path), "--map-unit", "Phòng TP Xã=Phòng Lạ",
                          "--map-procedure", "9.999999=1.001193")
    assert code == 2 and "Không có đơn vị 'Phòng Lạ'" in out + err
    with office.db.read() as s:
        assert s.execute(select(func.count()).select_from(Case)).scalar_one() == 0
    code, out, _ = _run(capsys, office, "case", "import", str(path), "--map-unit", "Phòng TP Xã=phòng tư pháp",
                        "--map-procedure", "9.999999=1.001193", "--json")
    assert code == 0 and json.loads(out)["result"]["counts"]["new"] == 2
    with office.db.read() as s:
        held = s.execute(select(Unit.name, Procedure.code).select_from(Case).join(Unit, Unit.id == Case.lead_unit_id)
                         .join(Procedure, Procedure.id == Case.procedure_id)).all()
    assert sorted(held) == [("Phòng Tư pháp", "1.001193")] * 2


def test_the_text_says_what_will_be_created_then_what_was(office, tmp_path, capsys):
    path = build_portal(tmp_path / "u.xlsx", [row(1, unit="Phòng Mới Lập"),
                                              row(2, unit="Phòng Kinh tế, Hạ tầng và Đô thị", proc="",
                                                  proc_name="Cấp phép đào đường")])  # fmt: skip
    code, out, _ = _run(capsys, office, "case", "import", str(path), "--dry-run")
    assert code == 2 and '--map-unit "Phòng Mới Lập=SỐ_HIỆU hoặc TÊN"' in out
    code, out, _ = _run(capsys, office, "case", "import", str(path), "--create-missing", "--dry-run")
    assert code == 0 and "Phòng Mới Lập (dòng 4): sẽ tạo mới (cần xác nhận)" in out
    code, out, _ = _run(capsys, office, "case", "import", str(path), "--create-missing")
    assert code == 0 and "Phòng Mới Lập (dòng 4): đã tạo mới (cần xác nhận)" in out
    with office.db.read() as s:
        made_up = s.execute(select(Procedure.code).where(Procedure.name == "Cấp phép đào đường")).scalar_one()
    # units and procedures apart, by name: the made-up code alone ("TAM-94487DD8") named nothing (audit 9, L11)
    assert out.splitlines()[-2:] == [
        "Đã tạo đơn vị (cần xác nhận trong Danh mục): Phòng Mới Lập; Phòng Kinh tế, Hạ tầng và Đô thị.",
        f"Đã tạo thủ tục (cần xác nhận trong Danh mục): Cấp phép đào đường (mã tạm {made_up}).",
    ]


def test_a_name_written_two_ways_is_one_unknown_mapped_by_either_spelling(office, tmp_path, capsys):
    """One unit (and one procedure without a code) written two ways in the file: one line to settle, named as
    first written, the hint without the internal "tên: " key; `--map-unit` / `--map-procedure` take either
    spelling (audit 9, D6 and L11)."""
    path = build_portal(tmp_path / "u.xlsx", [
        row(1, unit="Phòng Văn hóa", proc="", proc_name="Cấp giấy phép xây dựng"),
        row(2, unit="phòng văn hoá", proc="", proc_name="cấp giấy phép xây dựng"),
    ])  # fmt: skip
    code, out, err = _run(capsys, office, "case", "import", str(path), "--dry-run")
    assert code == 2 and "tên:" not in out + err
    assert "Đơn vị chưa có trong danh sách đơn vị (1):" in out and "Thủ tục chưa có trong danh mục (1):" in out
    assert '? Phòng Văn hóa (2 dòng: 4, 5): chưa chọn (--map-unit "Phòng Văn hóa=SỐ_HIỆU hoặc TÊN"' in out
    assert '--map-procedure "Cấp giấy phép xây dựng=SỐ_HIỆU hoặc MÃ"' in out
    assert "Thủ tục 'Cấp giấy phép xây dựng' (tệp không ghi mã) chưa có trong danh mục (2 dòng)" in err
    code, out, _ = _run(capsys, office, "case", "import", str(path), "--map-unit", "PHÒNG VĂN HOÁ=Phòng Tư pháp",
                        "--map-procedure", "cấp giấy phép xây dựng=1.001193", "--json")
    assert code == 0 and json.loads(out)["result"]["counts"]["new"] == 2
    with office.db.read() as s:
        held = s.execute(select(Unit.name, Procedure.code).select_from(Case).join(Unit, Unit.id == Case.lead_unit_id)
                         .join(Procedure, Procedure.id == Case.procedure_id)).all()
    assert sorted(held) == [("Phòng Tư pháp", "1.001193")] * 2


def test_the_text_names_the_sheet_read_and_a_csv_file_as_a_file(office, tmp_path, capsys):
    """A CSV file was described as "trang 'bom'", its name shown as a sheet's (audit 9, L11)."""
    code, out, _ = _run(capsys, office, "case", "import", str(build_portal(tmp_path / "ds.xlsx", [row(1)])),
                        "--dry-run")
    assert code == 0 and out.splitlines()[0] == "Kiểm tra (chưa ghi): ds.xlsx, trang “DanhSach”, dòng tiêu đề 3"
    path = tmp_path / "bom.csv"
    path.write_text("\ufeffMã hồ sơ,Người nộp,Ngày tiếp nhận\n000.00.17.H10-250303-0001,Nguyễn Văn An,03/03/2025\n",
                    encoding="utf-8")
    code, out, _ = _run(capsys, office, "case", "import", str(path), "--dry-run")
    assert code == 0 and out.splitlines()[0] == "Kiểm tra (chưa ghi): bom.csv, tệp văn bản CSV, dòng tiêu đề 1"


def test_errors_of_a_json_command_come_as_json_too(office, tmp_path, capsys):
    """A program reading --json got nothing on stdout when the file could not be written or the user had no
    right: it gets {"error": …} beside the message on stderr."""
    code, out, err = _run(capsys, office, "case", "export", str(tmp_path / "khong" / "co.xlsx"), "--json")
    assert code == 2 and "Lỗi:" in err and "không có thư mục" in json.loads(out)["error"]


def test_the_dry_run_lists_what_each_update_changes(office, tmp_path, capsys):
    """Only conflicts were itemised: an update said only that it was one (audit 6)."""
    _run(capsys, office, "case", "import", str(build_portal(tmp_path / "a.xlsx", [row(1), row(2)])))
    later = build_portal(tmp_path / "b.xlsx", [row(1, phone="0912000111", unit="Phòng Tài nguyên và Môi trường"),
                                              row(2)])
    code, out, _ = _run(capsys, office, "case", "import", str(later), "--dry-run")
    assert code == 0 and "Cập nhật (1; của mình → của tệp):" in out
    assert ("✎ 000.00.17.H10-250303-0001 (dòng 4): Điện thoại: 0905123456 → 0912000111; "
            "Đơn vị: Phòng Tư pháp → Phòng Tài nguyên và Môi trường") in out
    code, out, _ = _run(capsys, office, "case", "import", str(later), "--dry-run", "--json")
    [update] = json.loads(out)["updates"]
    assert update["row"] == 4 and update["changes"]["applicant_phone"] == ["0905123456", "0912000111"]


def test_a_row_with_an_open_status_and_a_result_date_is_refused(office, tmp_path, capsys):
    """"Đang xử lý" beside a "Ngày có kết quả" left a case open in the queue that the report counted resolved."""
    path = build_portal(tmp_path / "mo.xlsx", [
        row(1, status="Đang xử lý", finished=datetime(2025, 3, 4, 10, 0)),
        row(2, status="Chờ bổ sung", returned=datetime(2025, 3, 5, 9, 0)),
        row(3, status="Đã có kết quả", finished=datetime(2025, 3, 4, 10, 0)),
    ])  # fmt: skip
    code, out, _ = _run(capsys, office, "case", "import", str(path), "--json")
    data = json.loads(out)
    assert code == 0 and data["result"]["counts"]["new"] == 1
    assert [r["reason"] for r in data["result"]["rejected"]] == [
        "Dòng 4: Trạng thái \u201cĐang xử lý\u201d nhưng có Ngày có kết quả",
        "Dòng 5: Trạng thái \u201cChờ bổ sung\u201d nhưng có Ngày trả kết quả",
    ]


def test_a_save_over_the_file_being_imported_is_refused(office, quirky_file, tmp_path, capsys):
    """A slip in the name (`--save-rejected` given the file itself) replaced the portal's workbook with the
    five-row table of rejected rows, or with JSON; the file is kept and the command says why."""
    source = tmp_path / "cong.xlsx"
    source.write_bytes(quirky_file.read_bytes())
    before = source.read_bytes()
    for option in ("--save-rejected", "--save-mapping"):
        code, out, err = _run(capsys, office, "case", "import", str(source), "--dry-run", option, str(source))
        assert code == 2 and "đè lên tệp đang nhập 'cong.xlsx'" in out + err, option
        assert source.read_bytes() == before


def test_exports(office, quirky_file, tmp_path, capsys):
    _run(capsys, office, "case", "import", str(quirky_file))
    code, out, _ = _run(capsys, office, "case", "export", str(tmp_path / "q.xlsx"), "--json")
    assert code == 0 and json.loads(out)["count"] == 5  # the open ones
    code, out, _ = _run(capsys, office, "case", "export", str(tmp_path / "all.xlsx"), "--all", "--json")
    assert json.loads(out)["count"] == 8
    code, out, _ = _run(capsys, office, "case", "export", str(tmp_path / "c.xlsx"), "--changed-since",
                        "2025-03-01 00:00", "--json")
    assert json.loads(out)["count"] == 8
    code, out, _ = _run(capsys, office, "register", "export", str(tmp_path / "so.xlsx"), "--year", "2025")
    assert code == 0 and "8 hồ sơ" in out


def test_a_filtered_export_has_those_cases_and_says_its_filter(office, tmp_path, capsys):
    """The queue page's filters as options (`queue` takes the same): the unit by name, the field, the
    channel; the title states them. A unit or officer that does not exist is an error, not an empty file."""
    path = build_portal(tmp_path / "p.xlsx", [
        row(1), row(2, unit="Phòng Tài nguyên và Môi trường"), row(3, channel="Trực tuyến"),
        row(4, channel="Trực tuyến", unit="Phòng Tài nguyên và Môi trường")])
    assert _run(capsys, office, "case", "import", str(path))[0] == 0
    out = tmp_path / "loc.xlsx"
    code, text, _ = _run(capsys, office, "case", "export", str(out), "--unit", "phòng tư pháp", "--channel", "online",
                         "--field", "Hộ tịch", "--json")
    assert code == 0 and json.loads(text)["count"] == 1
    ws = openpyxl.load_workbook(out).active
    assert ws["A3"].value == "Lọc: hồ sơ đang ở Phòng Tư pháp; lĩnh vực Hộ tịch; kênh “Trực tuyến”"
    assert ws["A6"].value == "000.00.17.H10-250303-0003" and ws["A7"].value is None
    queue = json.loads(_run(capsys, office, "queue", "--unit", "Phòng Tài nguyên và Môi trường", "--json")[1])
    assert sorted(r["code"][-4:] for r in queue) == ["0002", "0004"]
    # a field typed without its capital or accents is the field the cases are in, not an empty list
    code, text, _ = _run(capsys, office, "case", "export", str(out), "--field", "ho tich", "--json")
    assert code == 0 and json.loads(text)["count"] == 4
    assert openpyxl.load_workbook(out).active["A3"].value == "Lọc: lĩnh vực Hộ tịch"
    code, _text, err = _run(capsys, office, "case", "export", str(out), "--field", "Đất đai")
    assert code == 2 and "Không có hồ sơ nào thuộc lĩnh vực 'Đất đai'" in err
    code, _text, err = _run(capsys, office, "case", "export", str(tmp_path / "x.xlsx"), "--unit", "Phòng Không Có")
    assert code == 2 and "Không có đơn vị 'Phòng Không Có'" in err and not (tmp_path / "x.xlsx").exists()
    code, _text, err = _run(capsys, office, "queue", "--officer", "khongco")
    assert code == 2 and "Không có cán bộ có tên đăng nhập 'khongco'" in err


def test_the_changes_for_the_portal_are_all_of_them_not_a_filtered_part(office, quirky_file, tmp_path, capsys):
    """`--changed` marks what it writes as sent: with a queue filter it would mark a part and say nothing of
    the rest, so the combination is refused and nothing is marked."""
    _run(capsys, office, "case", "import", str(quirky_file))
    code, _out, err = _run(capsys, office, "case", "export", str(tmp_path / "c.xlsx"), "--changed-since",
                           "2025-03-01 00:00", "--unit", "Phòng Tư pháp")
    assert code == 2 and "không dùng kèm bộ lọc" in err and not (tmp_path / "c.xlsx").exists()
    code, out, _ = _run(capsys, office, "case", "export", str(tmp_path / "c.xlsx"), "--changed-since",
                        "2025-03-01 00:00", "--all", "--json")
    assert code == 0 and json.loads(out)["count"] == 8


def test_an_export_is_an_xlsx_workbook_laid_out_for_printing(office, quirky_file, tmp_path, capsys):
    """A name ending in .csv would get a workbook under a CSV name: refused. The list prints across A4 with
    its header row and the case code on every page, and the code column is wide enough for a whole code."""
    _run(capsys, office, "case", "import", str(quirky_file))
    code, _out, err = _run(capsys, office, "case", "export", str(tmp_path / "ds.csv"))
    assert code == 2 and ".xlsx" in err and not (tmp_path / "ds.csv").exists()
    for argv, heads, merged in ((("case", "export", str(tmp_path / "ds.xlsx")), "$4:$4", set()),
                                (("register", "export", str(tmp_path / "so.xlsx"), "--year", "2025"), "$4:$6",
                                 {"H4:L4"})):  # Mẫu 06's three header rows, the dates' heading over five columns
        assert _run(capsys, office, *argv)[0] == 0
        ws = openpyxl.load_workbook(argv[2]).active
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
        assert ws.print_title_rows == heads and ws.print_title_cols == "$A:$A"
        assert {str(r) for r in ws.merged_cells.ranges} == merged and ws["A1"].value  # the title prints on page 1
    ws = openpyxl.load_workbook(tmp_path / "ds.xlsx").active
    assert ws.column_dimensions["A"].width >= len("000.00.17.H10-250303-0001")
    names = [r[7] for r in ws.iter_rows(min_row=5) if r[7].value]  # "Tên thủ tục": wrapped, not cut off
    assert names and all(c.alignment.wrap_text for c in names)


def test_saved_rejected_rows_are_one_table_of_the_files_own_columns_ready_to_import_again(office, tmp_path, capsys):
    """Rows the reader refuses (an impossible date) and rows the matcher refuses (received in the future, due
    before receipt) come out under the file's own header row, once, in row order, each with its own cells —
    the unmapped STT column, the date text as typed, a TCVN3 name decoded — its row number and its reason.
    Corrected, the workbook imports."""
    rows = [row(1, received="04/03/2025 08:30", due="07/03/2025 08:30", applicant=encode_tcvn3("Trần Thị Bích")),
            row(2, received="31/02/2025"),
            row(3),
            row(4, due=datetime(2025, 3, 2, 17, 0))]  # fmt: skip
    path = build_portal(tmp_path / "hon_hop.xlsx", rows, fonts={(0, 2): ".VnTime"})
    out = tmp_path / "tu_choi.xlsx"
    code, text, _ = _run(capsys, office, "case", "import", str(path), "--dry-run", "--save-rejected", str(out),
                         now="2025-03-03 12:00")
    assert code == 0 and "bị từ chối: 3" in text and f"Đã lưu 3 dòng bị từ chối vào {out}" in text
    ws = openpyxl.load_workbook(out).active
    values = [[c.value for c in r] for r in ws.iter_rows(min_row=3)]
    assert values[0] == [*HEADERS, "Dòng trong tệp gốc", "Lý do không nhập"]
    assert [v[0] for v in values[1:]] == [1, 2, 4]  # the file's STT column, the rows in the file's order
    first, second, fourth = values[1:]
    assert first[1:3] == ["000.00.17.H10-250303-0001", "Trần Thị Bích"]
    assert first[12:14] == ["04/03/2025 08:30", "07/03/2025 08:30"] and first[-2:] == [4, "Dòng 4: Ngày tiếp nhận ở tương lai"]
    assert second[12] == "31/02/2025" and second[-2] == 5
    assert fourth[13] == datetime(2025, 3, 2, 17, 0) and fourth[-1] == "Dòng 7: Ngày hẹn trả trước ngày tiếp nhận"
    assert all(len(v) == len(HEADERS) + 2 for v in values) and ws.max_row == 6  # one header row, three rows
    assert ws.column_dimensions["B"].width >= len("000.00.17.H10-250303-0001")  # as wide as the code, not its header
    wb = openpyxl.load_workbook(out)
    ws = wb.active
    ws["M4"], ws["M5"], ws["N6"] = "03/03/2025 08:30", "28/02/2025 08:00", "06/03/2025 17:00"  # the corrections
    wb.save(out)
    code, text, _ = _run(capsys, office, "case", "import", str(out), "--json")
    data = json.loads(text)
    assert code == 0 and data["result"]["counts"]["new"] == 3 and data["rejected"] == []


def test_the_text_dry_run_shows_every_rejected_row_and_goes_on_past_the_fatal_problems(office, tmp_path, capsys):
    """60 bad rows: each with its number and reason, none cut off at 50. With an unknown unit besides: the
    counts, the fatal problem (stderr, exit 2), then still the 60 rows, then the unknown unit with its row."""
    bad = [row(n, received="32/03/2025") for n in range(1, 61)]
    expected = [f"✗ Dòng {n}: Ngày tiếp nhận '32/03/2025' không hợp lệ" for n in range(4, 64)]
    code, text, _ = _run(capsys, office, "case", "import", str(build_portal(tmp_path / "loi.xlsx", bad)), "--dry-run")
    assert code == 0 and [ln.strip() for ln in text.splitlines() if ln.strip().startswith("✗")] == expected
    path = build_portal(tmp_path / "loi_va_don_vi_la.xlsx", [*bad, row(61, unit="Phòng Không Có")])
    code, text, err = _run(capsys, office, "case", "import", str(path), "--dry-run")
    assert code == 2 and "Phòng Không Có" in err and "không ghi gì" in err
    lines = text.splitlines()
    assert lines[1].strip().startswith("mới: 1") and "bị từ chối: 60" in lines[1]
    assert [ln.strip() for ln in lines if ln.strip().startswith("✗")] == expected
    unit = lines.index("Đơn vị chưa có trong danh sách đơn vị (1):")
    assert unit > lines.index("Dòng bị từ chối (60):")
    assert lines[unit + 1].strip().startswith("? Phòng Không Có (dòng 64): chưa chọn")


def test_the_text_dry_run_lists_each_conflict_in_the_portals_words(office, register, tmp_path, capsys):
    desk = register("Nguyễn Văn An", code="000.00.17.H10-250303-0099")
    path = build_portal(tmp_path / "c.xlsx", [row(99, code=desk.code, applicant="Nguyễn Văn Anh")])
    code, text, _ = _run(capsys, office, "case", "import", str(path), "--dry-run")
    conflict = [ln for ln in text.splitlines() if ln.strip().startswith("⚠")]
    assert code == 0 and len(conflict) == 1 and f"Xung đột {desk.code} (dòng 4)" in conflict[0]
    assert "Người nộp: Nguyễn Văn An → Nguyễn Văn Anh" in conflict[0] and "applicant_name" not in conflict[0]


def test_rejected_rows_of_a_file_gone_meanwhile_still_come_out_as_one_table(office, admin, tmp_path):
    """The file moved away between the dry run and the save: the rows the matcher refused cannot be read
    again, so the values it read go under the file's columns they came from (one header row still)."""
    from tthc_desk.sync.writer import write_rejected

    path = build_portal(tmp_path / "di_mat.xlsx", [row(1, received="31/02/2025"), row(2, due=datetime(2025, 3, 2))])
    plan = office.sync.plan_import(admin, path)
    path.unlink()
    out = tmp_path / "tu_choi.xlsx"
    saved = write_rejected(out, plan.rejected, source=plan.parsed)
    assert saved == 2 and saved.note == (
        "Tệp gốc 'di_mat.xlsx' không đọc lại được (đã bị xóa, đổi tên hoặc hỏng): 1 dòng bị từ chối khi đối chiếu"
        " được ghi theo giá trị đã đọc lúc nhập, không phải nguyên các ô của tệp (các cột không dùng khi nhập để"
        " trống).")  # fmt: skip
    values = [[c.value for c in r] for r in openpyxl.load_workbook(out).active.iter_rows(min_row=3)]
    assert values[0] == [*HEADERS, "Dòng trong tệp gốc", "Lý do không nhập"] and len(values) == 3
    assert values[1][0] == 1 and values[1][12] == "31/02/2025" and values[1][-2] == 4
    assert values[2][0] is None and values[2][1] == "000.00.17.H10-250303-0002"  # STT is not read: left empty
    assert values[2][2] == "Nguyễn Văn An" and values[2][-1] == "Dòng 5: Ngày hẹn trả trước ngày tiếp nhận"


CHANGED_NOTE = ("Tệp gốc '{name}' đã thay đổi sau khi đọc: 1 dòng bị từ chối khi đối chiếu được ghi theo giá trị đã"
                " đọc lúc nhập, không phải nguyên các ô của tệp (các cột không dùng khi nhập để trống).")


def test_rejected_rows_of_a_file_changed_meanwhile_are_the_rows_refused(office, admin, tmp_path):
    """The officer imports, deletes the imported first row in Excel and saves, then saves the rejected rows: the
    rows were read again by number, so the workbook held the next case (imported) under the refused row's
    reason, and the row to correct was lost (audit 9, D5). The file is not the one read: the values read are
    saved, and the note says why."""
    from tthc_desk.sync.writer import write_rejected

    path = build_portal(tmp_path / "nguon.xlsx", [
        row(1, applicant="Người Một"),
        row(2, applicant="Người Hai", received=datetime(2025, 3, 3, 9, 0), due=datetime(2025, 3, 1, 9, 0)),
        row(3, applicant="Người Ba")])  # fmt: skip
    plan = office.sync.plan_import(admin, path)
    result = office.sync.run_import(admin, plan)
    wb = openpyxl.load_workbook(path)
    wb.active.delete_rows(4)
    wb.save(path)
    out = tmp_path / "tu_choi.xlsx"
    saved = write_rejected(out, result.rejected, source=plan.parsed)
    assert saved == 1 and saved.note == CHANGED_NOTE.format(name="nguon.xlsx")
    values = [[c.value for c in r] for r in openpyxl.load_workbook(out).active.iter_rows(min_row=4)]
    assert len(values) == 1 and values[0][1:3] == ["000.00.17.H10-250303-0002", "Người Hai"]
    assert values[0][-2:] == [5, "Dòng 5: Ngày hẹn trả trước ngày tiếp nhận"]


def test_a_row_read_again_with_another_code_is_not_saved_as_the_row_refused(office, admin, tmp_path):
    """An edit that keeps the file's size and time of change (a code retyped, the time put back) is caught by
    the code of the row read again: the values read are saved, not the other case's cells."""
    from tthc_desk.sync.writer import write_rejected

    def line(n: int, due: str) -> str:
        return ",".join([str(n), f"000.00.17.H10-250303-{n:04d}", "Người Hai", "052090001234", "0905123456",
                         "Thôn 1", "1.001193", "Thủ tục đăng ký khai sinh", "Hộ tịch", "Phòng Tư pháp", "Trực tiếp",
                         "Đang xử lý", "03/03/2025 08:30", due, "", ""])  # fmt: skip

    path = tmp_path / "nguon.csv"
    path.write_text("\n".join([",".join(HEADERS), line(1, "06/03/2025 08:30"), line(2, "01/03/2025 08:30")]),
                    encoding="utf-8")
    plan = office.sync.plan_import(admin, path)
    assert [r.row_number for r in plan.rejected] == [3]
    out = tmp_path / "tu_choi.xlsx"
    assert write_rejected(out, plan.rejected, source=plan.parsed).note == ""  # the same file: its own cells
    assert [c.value for c in openpyxl.load_workbook(out).active[4]][:2] == ["2", "000.00.17.H10-250303-0002"]
    before = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("-0002", "-0009"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    saved = write_rejected(out, plan.rejected, source=plan.parsed)
    assert saved.note == CHANGED_NOTE.format(name="nguon.csv")
    assert [c.value for c in openpyxl.load_workbook(out).active[4]][:2] == [None, "000.00.17.H10-250303-0002"]


def test_the_command_line_says_when_the_rejected_rows_are_the_values_read(office, tmp_path, capsys, monkeypatch):
    from tthc_desk.cli import sync_cmds

    path = build_portal(tmp_path / "di_mat.xlsx", [row(1), row(2, due=datetime(2025, 3, 2))])
    real = sync_cmds.write_rejected
    monkeypatch.setattr(sync_cmds, "write_rejected", lambda *a, **k: (path.unlink(), real(*a, **k))[1])
    out = tmp_path / "tu_choi.xlsx"
    code, text, _ = _run(capsys, office, "case", "import", str(path), "--dry-run", "--save-rejected", str(out))
    lines = text.splitlines()
    assert code == 0 and lines[-2] == f"Đã lưu 1 dòng bị từ chối vào {out} (sửa rồi nhập lại tệp đó)."
    assert lines[-1] == "  Tệp gốc 'di_mat.xlsx' không đọc lại được (đã bị xóa, đổi tên hoặc hỏng): 1 dòng bị từ" \
        " chối khi đối chiếu được ghi theo giá trị đã đọc lúc nhập, không phải nguyên các ô của tệp (các cột không" \
        " dùng khi nhập để trống)."


def test_the_text_dry_run_and_json_give_every_note_the_reader_made(office, tmp_path, capsys):
    """A repaired value (a procedure code typed as a number, a phone number without its 0) is imported with a
    note for the office to correct its source; the text dry run printed none of them, --json cut at 200."""
    rows = [row(n, proc=1.001193, phone=905123000 + n) for n in range(1, 206)]
    path = build_portal(tmp_path / "so.xlsx", rows)
    code, out, _ = _run(capsys, office, "case", "import", str(path), "--dry-run")
    assert code == 0
    notes = [line for line in out.splitlines() if line.startswith("  · ")]
    assert "Ghi chú khi đọc tệp (410; dòng có giá trị được sửa khi đọc vẫn được nhập, nên sửa ở tệp gốc):" in out
    assert notes[:2] == [
        "  · Dòng 4: Điện thoại ô dạng số (905123001), đã đọc là '0905123001'",
        "  · Dòng 4: Mã thủ tục ô dạng số (1.001193), đã đọc là '1.001193'",
    ]
    assert len(notes) == 410 and notes[-1] == "  · Dòng 208: Mã thủ tục ô dạng số (1.001193), đã đọc là '1.001193'"
    code, out, _ = _run(capsys, office, "case", "import", str(path), "--dry-run", "--json")
    assert len(json.loads(out)["warnings"]) == 410


def test_case_show_of_an_imported_case_says_it_has_no_register_number(office, tmp_path, capsys):
    path = build_portal(tmp_path / "p.xlsx", [row(1)])
    assert _run(capsys, office, "case", "import", str(path))[0] == 0
    status, out, _ = _run(capsys, office, "case", "show", row(1)[1])
    assert status == 0 and "None" not in out
    assert "Sổ theo dõi: không có số (hồ sơ nhập từ tệp)" in out


def test_the_dry_run_names_the_cases_whose_row_is_older(office, admin, desk_user, tmp_path, capsys):
    """A case the desk corrected after the import, and the portal's file still holding what it was sent: no
    conflict to decide, but the officer is told which cases the file is older for (text and JSON)."""
    path = build_portal(tmp_path / "p.xlsx", [row(1, phone="0905000001"), row(2)])
    office.sync.run_import(admin, path)
    office.workflow.correct_details(desk_user, "000.00.17.H10-250303-0002", "số mới", applicant_phone="0905000009")
    code, text, _ = _run(capsys, office, "case", "import", str(path), "--dry-run")
    assert code == 0 and "xung đột: 0, cũ hơn: 1" in text
    assert "Tệp cũ hơn (1; giữ nguyên dữ liệu của mình): 000.00.17.H10-250303-0002" in text.splitlines()
    code, out, _ = _run(capsys, office, "case", "import", str(path), "--dry-run", "--json")
    assert json.loads(out)["stale"] == ["000.00.17.H10-250303-0002"]


def test_take_file_on_a_code_that_is_no_conflict_says_it_is_ignored(office, admin, desk_user, tmp_path, capsys):
    """--take-file decides conflicts only: given a case whose row is older (the desk's correction the portal has
    not seen) or a code the file lacks, the officer is told it did nothing, and why."""
    path = build_portal(tmp_path / "p.xlsx", [row(1, phone="0905000001")])
    office.sync.run_import(admin, path)
    stale = "000.00.17.H10-250303-0001"
    office.workflow.correct_details(desk_user, stale, "số mới", applicant_phone="0905000009")
    code, _out, err = _run(capsys, office, "case", "import", str(path), "--take-file", stale, "--take-file", "KHONG-CO")
    assert code == 0
    assert f"Bỏ qua --take-file {stale}: tệp còn ghi giá trị cũ hơn hồ sơ đang giữ" in err
    assert "Bỏ qua --take-file KHONG-CO: mã này không có trong tệp." in err
    code, out, _ = _run(capsys, office, "case", "import", str(path), "--dry-run", "--json", "--take-file", stale)
    assert [i["code"] for i in json.loads(out)["take_file_ignored"]] == [stale]
    with office.db.read() as s:
        assert s.execute(select(Case.applicant_phone)).scalar_one() == "0905000009"


def test_a_conflict_line_says_which_desk_changes_stay(office, admin, desk_user, tmp_path, capsys):
    office.sync.run_import(admin, build_portal(tmp_path / "p.xlsx", [row(1, phone="0905000001")]))
    office.workflow.correct_details(desk_user, "000.00.17.H10-250303-0001", "số mới", applicant_phone="0905000009")
    path = build_portal(tmp_path / "q.xlsx", [row(1, phone="0905000001", address="Thôn 9, xã An Bình")])
    code, text, _ = _run(capsys, office, "case", "import", str(path), "--dry-run")
    (line,) = [ln for ln in text.splitlines() if ln.strip().startswith("⚠")]
    assert line.endswith("Địa chỉ: Thôn 1, xã An Bình → Thôn 9, xã An Bình; giữ của mình (tệp còn giá trị cũ): "
                         "Điện thoại")
