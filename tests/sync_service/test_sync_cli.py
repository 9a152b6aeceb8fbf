"""`case import` / `case export` / `register export` on the command line."""

from __future__ import annotations

import json

import openpyxl
from portal_files import build_portal, row

from tthc_desk.cli.main import main


def _run(capsys, services, *argv) -> tuple[int, str, str]:
    code = main(["--db", services.db.url, "--now", "2025-03-03 12:00", *argv])
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
    assert ws["A3"].value == "Lọc: đơn vị Phòng Tư pháp; lĩnh vực Hộ tịch; kênh “Trực tuyến”"
    assert ws["A6"].value == "000.00.17.H10-250303-0003" and ws["A7"].value is None
    queue = json.loads(_run(capsys, office, "queue", "--unit", "Phòng Tài nguyên và Môi trường", "--json")[1])
    assert sorted(r["code"][-4:] for r in queue) == ["0002", "0004"]
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
    for argv in (("case", "export", str(tmp_path / "ds.xlsx")),
                 ("register", "export", str(tmp_path / "so.xlsx"), "--year", "2025")):
        assert _run(capsys, office, *argv)[0] == 0
        ws = openpyxl.load_workbook(argv[2]).active
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
        assert ws.print_title_rows == "$4:$4" and ws.print_title_cols == "$A:$A"
        assert ws.merged_cells.ranges == set() and ws["A1"].value  # the title starts on the first page
    ws = openpyxl.load_workbook(tmp_path / "ds.xlsx").active
    assert ws.column_dimensions["A"].width >= len("000.00.17.H10-250303-0001")
