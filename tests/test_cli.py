"""The command line (`tthc-desk …`, also `python main.py …`): JSON output, case actions, errors, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from clirunner import NOW, Cli

from tthc_desk.paths import resource_path

REPO = Path(__file__).resolve().parent.parent
PROCEDURE = "1.000314"  # '7 Ngày làm việc' on every channel in the shipped catalogue


@pytest.fixture
def run(tmp_path, capsys) -> Cli:
    return Cli(tmp_path / "desk.sqlite3", capsys)


@pytest.fixture
def office(run: Cli) -> Cli:
    """An initialised office with the shipped catalogue, a unit and a desk officer."""
    code, out, _ = run("init", "--office-name", "Bộ phận Một cửa huyện Thử", "--office-code", "000.00.17.H10",
                       "--admin-password", "quantri-2025")
    assert code == 0 and "admin / quantri-2025" in out
    assert run.json("catalogue", "import", str(resource_path("data", "thu_tuc_cap_xa.csv")))["new"] == 588
    assert run("unit", "add", "Phòng Tư pháp", "--kind", "phòng ban")[0] == 0
    assert run("user", "add", "tiepnhan", "--name", "Nguyễn Thị Tiếp", "--role", "desk", "--password",
               "matkhau-123", "--unit", "1")[0] == 0
    return run


def new_case(run: Cli, applicant: str = "Nguyễn Văn Ấn", **extra: str) -> dict:
    args = ["case", "new", "--procedure", PROCEDURE, "--applicant", applicant, "--id-number", "001234567890",
            "--phone", "0912 345 678", "--paper", "Tờ khai:1:0:0"]
    for k, v in extra.items():
        args += [f"--{k.replace('_', '-')}", v]
    return run.json(*args, user="tiepnhan")


def test_init_twice_is_harmless(run: Cli) -> None:
    assert run("init", "--admin-password", "quantri-2025")[0] == 0
    code, out, _ = run("init", "--admin-password", "khac-nua")
    assert code == 0 and "không thay đổi" in out
    assert run.json("user", "list") == [{"id": 1, "username": "admin", "name": "Quản trị hệ thống",
                                         "role": "admin", "unit": "Bộ phận Một cửa"}]


def test_init_sets_up_letterhead_signer_and_catalogue_for_a_first_receipt(run: Cli, tmp_path) -> None:
    """A new office from one command: its letterhead, its head as signer and the commune catalogue; the first
    case's receipt then prints under that letterhead."""
    code, out, _ = run("init", "--office-name", "Bộ phận Một cửa xã An Bình", "--office-code", "000.00.31.H42",
                       "--place", "An Bình", "--parent-body", "ỦY BAN NHÂN DÂN|XÃ AN BÌNH", "--head-title", "Chủ tịch",
                       "--head-name", "Lê Thị Hồng", "--admin-password", "quantri-2025", "--load-catalogue")
    assert code == 0 and "588 thủ tục" in out
    case = run.json(
        "case", "new", "--procedure", PROCEDURE, "--applicant", "Nguyễn Văn Ấn", "--id-number", "001234567890",
        "--phone", "0912345678", "--paper", "Tờ khai:1:0:0")
    assert case["code"].startswith("000.00.31.H42-250303-")
    pdf = tmp_path / "bien-nhan.pdf"
    assert run("print", "receipt", case["code"], "-o", str(pdf))[0] == 0
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "ỦY BAN NHÂN DÂN" in text and "XÃ AN BÌNH" in text and "An Bình, ngày 03 tháng 3 năm 2025" in text


def test_deadline_json(run: Cli) -> None:
    data = run.json("deadline", "--received", "2025-01-24 16:00", "--amount", "3", "--unit", "working_days")
    assert data["due_at"] == "2025-02-05T17:00:00"
    assert data["start_at"] == "2025-02-03T07:00:00"
    assert {"date": "2025-01-29", "reason": "Tết Nguyên Đán"} in data["skipped_days"]
    assert data["steps"][-1] == "Hạn trả kết quả: 17:00 Thứ Tư 05/02/2025."
    same_day = run.json("deadline", "--received", "2025-04-28 15:01", "--unit", "trong_ngay")
    assert same_day["due_at"] == "2025-04-29T17:00:00"


def test_case_new_and_show(office: Cli) -> None:
    made = new_case(office, "Nguyễn Văn Ấn")
    assert made == {**made, "code": "000.00.17.H10-250303-0001", "created": True, "register_number": 1,
                    "due_at": "2025-03-12T08:00:00"}
    shown = office.json("case", "show", made["code"])
    assert isinstance(shown["code"], str) and shown["code"] == made["code"]
    assert shown["applicant"]["id_number"] == "001234567890"  # a string, leading zeros kept
    assert shown["applicant"]["phone"] == "0912345678"
    assert shown["status"] == "received" and shown["time_allowed"] == "7 ngày làm việc"
    assert shown["papers"] == [{"name": "Tờ khai", "originals": 1, "certified": 0, "photocopies": 0}]
    assert [e["kind"] for e in shown["events"]] == ["received"]
    assert shown["trace"]["due_at"] == "2025-03-12T08:00:00"
    code, out, _ = office("case", "show", made["code"])
    assert code == 0 and "Nguyễn Văn Ấn" in out and "Vì sao có hạn này" in out


def test_every_case_action(office: Cli) -> None:
    code = new_case(office)["code"]
    steps = [
        (("transfer", code, "--unit", "Phòng Tư pháp", "--share-days", "3"), "processing"),
        (("supplement", code, "--reason", "Thiếu giấy tờ", "--missing", "Bản sao giấy khai sinh"), "waiting_supplement"),
        (("resume", code, "--note", "Đã bổ sung"), "processing"),
        (("extend", code, "--reason", "Cần xác minh", "--new-due", "2025-03-20 17:00"), "processing"),
        (("result", code), "result_ready"),
        (("return", code), "returned"),
    ]
    for args, status in steps:
        out = office.json("case", *args, now="2025-03-04 09:00")
        assert (out["code"], out["status"]) == (code, status), args
    assert out["due_at"] == "2025-03-20T17:00:00"
    for action, status in (("refuse", "refused"), ("withdraw", "withdrawn"), ("stop", "stopped")):
        other = new_case(office, f"Người {action}")["code"]
        assert office.json("case", action, other, "--reason", "Lý do rõ ràng")["status"] == status
    shown = office.json("case", "show", code)
    assert [e["kind"] for e in shown["events"]] == ["received", "transferred", "supplement_requested",
                                                    "supplement_received", "extended", "result_ready", "returned"]
    assert shown["original_due_at"] == "2025-03-13T09:00:00"  # restarted from Tue 09:00; the apology kept it


def test_case_correct_puts_right_only_the_fields_given(office: Cli) -> None:
    code = new_case(office, "Nguyễn Văn Ấn")["code"]
    out = office.json("case", "correct", code, "--reason", "Nhập nhầm", "--phone", "0987 654 321",
                      "--address", "Thôn Phu\u0301 Mỹ", user="tiepnhan")
    assert out["status"] == "received"
    shown = office.json("case", "show", code)
    assert shown["applicant"] == {**shown["applicant"], "name": "Nguyễn Văn Ấn", "phone": "0987654321",
                                  "address": "Thôn Phú Mỹ", "id_number": "001234567890"}
    assert shown["events"][-1]["kind"] == "updated"
    code_, _out, err = office("case", "correct", code, "--reason", "Nhập nhầm", "--phone", "0987 654 321",
                              user="tiepnhan")
    assert code_ == 2 and "Không có thông tin nào thay đổi" in err


def test_queue_json(office: Cli) -> None:
    first = new_case(office, "Nguyễn Văn Ấn")["code"]
    second = new_case(office, "Trần Thị Bình")["code"]
    rows = office.json("queue", now="2025-03-11 09:00")
    assert [r["code"] for r in rows] == [first, second]
    assert rows[0]["colour"] == "amber" and rows[0]["remaining"] == "còn 7 giờ"
    assert office.json("queue", "--search", "tran thi binh")[0]["code"] == second
    assert office.json("queue", "--colour", "red", now="2025-03-12 08:01") != []
    assert office.json("queue", "--colour", "green", now="2025-03-12 08:01") == []
    assert len(office.json("queue", "--colour", "green")) == 2


def test_errors_go_to_stderr_with_status_2(office: Cli) -> None:
    code, out, err = office("case", "show", "000.00.17.H10-250303-9999")
    assert (code, out) == (2, "")
    assert err.strip() == "Lỗi: Không tìm thấy hồ sơ 000.00.17.H10-250303-9999."
    code, out, err = office("calendar", "set", "2025-03-05", "off", user="tiepnhan")
    assert (code, out) == (2, "") and "không có quyền sửa lịch làm việc" in err
    code, _, err = office("case", "new", "--procedure", PROCEDURE, "--applicant", "An", "--id-number", "123",
                          user="tiepnhan")
    assert code == 2 and "12 chữ số" in err
    code, _, err = office("deadline", "--received", "hôm qua", "--amount", "1", "--unit", "wd")
    assert code == 2 and "không đúng dạng" in err
    code, _, err = office("case", "result", new_case(office)["code"], user="khongco")
    assert code == 2 and "Không có người dùng 'khongco'" in err


def test_calendar_set_previews_then_applies(office: Cli) -> None:
    code = new_case(office)["code"]
    preview = office.json("calendar", "set", "2025-03-05", "off", "--name", "Nghỉ đột xuất", "--dry-run")
    assert [(m["code"], m["old_due"], m["new_due"]) for m in preview] == [
        (code, "2025-03-12T08:00:00", "2025-03-13T08:00:00")]
    assert office.json("case", "show", code)["due_at"] == "2025-03-12T08:00:00"
    assert len(office.json("calendar", "set", "2025-03-05", "off", "--name", "Nghỉ đột xuất")) == 1
    assert office.json("case", "show", code)["due_at"] == "2025-03-13T08:00:00"


def test_check_exit_code(office: Cli) -> None:
    new_case(office)
    code, out, _ = office("check")
    assert code == 0 and "không phát hiện vấn đề" in out
    assert office.json("check") == {"ok": True, "problems": []}


def test_main_py_runs_a_command_in_a_subprocess(tmp_path) -> None:
    """The composition root dispatches a command to the CLI (no window, no Qt needed)."""
    db = tmp_path / "sub.sqlite3"
    done = subprocess.run(
        [sys.executable, "main.py", "--db", str(db), "--now", NOW, "deadline", "--received", "2026-01-01 09:00",
         "--amount", "1", "--unit", "wd", "--json"],
        cwd=REPO, capture_output=True, text=True, encoding="utf-8", timeout=300,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["due_at"] == "2026-01-05T17:00:00"
    assert "Tài khoản quản trị" in done.stderr or "admin" in done.stderr  # a new database announces its admin


def test_the_text_report_says_how_many_cases_the_portal_has_not_yet_received(office: Cli, tmp_path) -> None:
    """The "chưa đồng bộ" count of `--json`, the letter and the Reports page, in the text output too; an
    export of the changes for the portal brings it to 0."""
    for name in ("Nguyễn Văn Ấn", "Trần Thị Bình"):
        new_case(office, name)
    period = ("report", "--from", "2025-03-01", "--to", "2025-03-31")
    assert office.json(*period)["flags"]["unsynced_total"] == 2
    code, out, _ = office(*period)
    assert code == 0 and "Chưa đồng bộ lên cổng tỉnh: 2 hồ sơ" in out.splitlines()[-1]
    assert office("case", "export", str(tmp_path / "cong.xlsx"), "--changed")[0] == 0
    assert office(*period)[1].splitlines()[-1] == "Chưa đồng bộ lên cổng tỉnh: 0 hồ sơ"


def test_the_export_of_changes_says_since_when_in_its_title(office: Cli, tmp_path) -> None:
    """The title of `case export --changed` states from when the cases changed: the last export of changes,
    "chưa từng xuất" before the first, the moment given with --changed-since."""
    def title(name: str) -> str:
        return openpyxl.load_workbook(tmp_path / name).active["A2"].value

    new_case(office)
    code, out, _ = office("case", "export", str(tmp_path / "1.xlsx"), "--changed", now="2025-03-03 10:00")
    assert code == 0 and "chưa từng xuất" in out
    assert title("1.xlsx").endswith("xuất lúc 10:00 03/03/2025 — hồ sơ chưa đồng bộ (chưa từng xuất lên cổng)")
    new_case(office, "Trần Thị Bình")
    code, out, _ = office("case", "export", str(tmp_path / "2.xlsx"), "--changed", now="2025-03-04 09:00")
    assert code == 0 and out.startswith("Đã ghi 1 hồ sơ chưa đồng bộ (thay đổi từ lần xuất trước lúc 10:00 03/03/2025)")
    assert title("2.xlsx").endswith("— hồ sơ chưa đồng bộ, thay đổi từ lần xuất trước lúc 10:00 03/03/2025")
    assert office("case", "export", str(tmp_path / "3.xlsx"), "--changed-since", "2025-03-01 07:30")[0] == 0
    assert title("3.xlsx").endswith("— hồ sơ thay đổi từ 07:30 01/03/2025")
