"""The command line for what the settings pages change: `office show|set`, `user password|set`, `unit set`,
`catalogue show|set` (PRODUCT.md: whatever the window changes, the command line can change too)."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from clirunner import Cli

from tthc_desk.errors import PermissionDenied

REPO = Path(__file__).resolve().parent.parent
PROCEDURE = "1.000314"  # '7 Ngày làm việc' on every channel in the shipped catalogue, confirmed
DOUBTFUL = "1.000005"  # marked 'cần xác nhận' by the import: no time allowed in the file


@pytest.fixture
def office(tmp_path, capsys) -> Cli:
    """An office with the shipped catalogue, a second unit and a desk officer."""
    run = Cli(tmp_path / "desk.sqlite3", capsys)
    code, _, err = run("init", "--office-name", "Bộ phận Một cửa xã An Bình", "--office-code", "000.00.31.H42",
                       "--parent-body", "ỦY BAN NHÂN DÂN|XÃ AN BÌNH", "--admin-password", "quantri-2025",
                       "--load-catalogue")
    assert code == 0, err
    assert run("unit", "add", "Phòng Tư pháp", "--kind", "phòng ban")[0] == 0
    assert run("user", "add", "tiepnhan", "--name", "Nguyễn Thị Tiếp", "--role", "desk", "--password",
               "matkhau-123", "--unit", "1")[0] == 0
    return run


def nfd(text: str) -> str:
    out = unicodedata.normalize("NFD", text)
    assert out != text
    return out


# ----- office ----------------------------------------------------------------------------------------
def test_office_set_changes_only_the_options_given(office: Cli) -> None:
    before = office.json("office", "show")
    assert before["name"] == "Bộ phận Một cửa xã An Bình" and before["signers"] == []
    code, out, err = office("office", "set", "--place", "An Bình",
                            "--signer", "TM.|ỦY BAN NHÂN DÂN|CHỦ TỊCH|Đoàn Văn Phương",
                            "--signer", "||TRƯỞNG BỘ PHẬN MỘT CỬA|Trần Thị Thu Hà")
    assert code == 0 and "Đã lưu thông tin cơ quan" in out, err
    signers = [{"prefix": "TM.", "authority": "ỦY BAN NHÂN DÂN", "title": "CHỦ TỊCH", "name": "Đoàn Văn Phương"},
               {"prefix": "", "authority": "", "title": "TRƯỞNG BỘ PHẬN MỘT CỬA", "name": "Trần Thị Thu Hà"}]
    assert office.json("office", "show") == {**before, "place_name": "An Bình", "signers": signers}
    code, out, _ = office("office", "show")
    assert code == 0 and "TM.|ỦY BAN NHÂN DÂN|CHỦ TỊCH|Đoàn Văn Phương" in out and "An Bình" in out

    # every other field, each with the window's units; the signers the options did not name stay
    office("office", "set", "--name", "Bộ phận Một cửa xã Tây Sơn", "--code", "000.00.31.h43", "--issuing-body",
           "BỘ PHẬN MỘT CỬA", "--address", "Thôn 1, xã Tây Sơn", "--phone", "0256 3880 123",
           "--sessions", "07:30-11:30, 13:30-17:00", "--cutoff", "16:00", "--warning-hours", "4",
           "--supplement-mode", "pause", "--target", "97,5", "--form-profile", "bo_mau_2025",
           "--parent-body", "ỦY BAN NHÂN DÂN|XÃ TÂY SƠN")
    assert office.json("office", "show") == {
        "name": "Bộ phận Một cửa xã Tây Sơn", "code": "000.00.31.H43", "place_name": "An Bình",
        "parent_body": "ỦY BAN NHÂN DÂN\nXÃ TÂY SƠN", "issuing_body": "BỘ PHẬN MỘT CỬA",
        "address": "Thôn 1, xã Tây Sơn", "phone": "0256 3880 123", "signers": signers,
        "sessions": "07:30-11:30,13:30-17:00", "cutoff": "16:00", "warning_minutes": 240,
        "supplement_mode": "pause", "on_time_target": 97.5, "form_profile": "bo_mau_2025"}
    office("office", "set", "--clear-signers")
    assert office.json("office", "show")["signers"] == []


def test_office_set_refuses_bad_values_and_changes_nothing(office: Cli) -> None:
    before = office.json("office", "show")
    assert "Mã định danh" in office.refused("office", "set", "--place", "Tây Sơn", "--code", "H10")
    assert "Giờ làm việc" in office.refused("office", "set", "--sessions", "7h-11h")
    assert "không chồng" in office.refused("office", "set", "--sessions", "07:00-11:30,11:00-17:00")
    assert "Giờ làm việc" in office.refused("office", "set", "--sessions", "07:00-25:00")
    assert "Giờ chốt" in office.refused("office", "set", "--cutoff", "25:00")
    assert "Cảnh báo" in office.refused("office", "set", "--warning-hours", "nhiều")
    assert "Cảnh báo" in office.refused("office", "set", "--warning-hours", "81")
    assert "Chỉ tiêu" in office.refused("office", "set", "--target", "120")
    assert "bộ mẫu" in office.refused("office", "set", "--form-profile", "khong_co")
    assert "Người ký ghi dạng" in office.refused("office", "set", "--signer", "CHỦ TỊCH|Đoàn Văn Phương")
    assert "Tiền tố" in office.refused("office", "set", "--signer", "XX.|ỦY BAN|CHỦ TỊCH|Đoàn Văn Phương")
    assert "Chưa nêu mục nào" in office.refused("office", "set")
    assert office.json("office", "show") == before


def test_office_text_typed_decomposed_is_stored_composed(office: Cli) -> None:
    office("office", "set", "--place", nfd("Tây Sơn"), "--parent-body", nfd("ủy ban nhân dân|xã tây sơn"),
           "--signer", nfd("kt|CHỦ TỊCH|PHÓ CHỦ TỊCH|Nguyễn Thị Ánh"))
    shown = office.json("office", "show")
    assert shown["place_name"] == "Tây Sơn"
    assert shown["parent_body"] == "ủy ban nhân dân\nxã tây sơn"
    assert shown["signers"] == [{"prefix": "KT.", "authority": "CHỦ TỊCH", "title": "PHÓ CHỦ TỊCH",
                                 "name": "Nguyễn Thị Ánh"}]
    for value in (shown["place_name"], shown["parent_body"], *shown["signers"][0].values()):
        assert unicodedata.is_normalized("NFC", value)


def test_a_desk_officer_cannot_change_the_office(office: Cli) -> None:
    before = office.json("office", "show")
    assert office.json("office", "show", user="tiepnhan") == before  # reading is allowed
    err = office.refused("office", "set", "--place", "Tây Sơn", user="tiepnhan")
    assert "không có quyền sửa thông tin cơ quan" in err
    assert office.json("office", "show") == before


def test_main_py_runs_office_as_a_command(office: Cli) -> None:
    done = subprocess.run([sys.executable, "main.py", "--db", str(office.db), "office", "show", "--json"],
                          cwd=REPO, capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["code"] == "000.00.31.H42"


# ----- users and units -------------------------------------------------------------------------------
def test_user_password_replaces_the_old_one(office: Cli) -> None:
    code, out, err = office("user", "password", "TiepNhan", "--password", "mat-khau-moi")
    assert code == 0 and "tiepnhan" in out, err
    accounts = office.services().accounts
    assert accounts.login("tiepnhan", "mat-khau-moi").username == "tiepnhan"
    with pytest.raises(PermissionDenied):
        accounts.login("tiepnhan", "matkhau-123")
    assert "ít nhất 6 ký tự" in office.refused("user", "password", "tiepnhan", "--password", "ngan")
    assert "Không có người dùng 'khongco'" in office.refused("user", "password", "khongco", "--password", "abcdefgh")
    assert "không có quyền" in office.refused("user", "password", "admin", "--password", "abcdefgh", user="tiepnhan")
    assert accounts.login("tiepnhan", "mat-khau-moi")


def test_user_set_keeps_what_is_not_named_and_locking_stops_login(office: Cli) -> None:
    accounts = office.services().accounts

    def row(name: str = "tiepnhan") -> dict:
        return next(u for u in office.json("user", "list") if u["username"] == name)

    assert office("user", "set", "tiepnhan", "--role", "specialist")[0] == 0
    assert row() == {**row(), "role": "specialist", "unit": "Bộ phận Một cửa"}  # the unit kept
    assert office("user", "set", "tiepnhan", "--unit", "Phòng Tư pháp")[0] == 0
    assert row() == {**row(), "role": "specialist", "unit": "Phòng Tư pháp"}  # the role kept
    assert accounts.login("tiepnhan", "matkhau-123").role == "specialist"

    code, out, _ = office("user", "set", "tiepnhan", "--active", "no")
    assert code == 0 and "đã khóa" in out
    with pytest.raises(PermissionDenied):
        accounts.login("tiepnhan", "matkhau-123")
    assert row()["role"] == "specialist" and row()["unit"] == "Phòng Tư pháp"
    assert office("user", "set", "tiepnhan", "--active", "yes")[0] == 0
    assert accounts.login("tiepnhan", "matkhau-123").unit_name == "Phòng Tư pháp"

    assert "chính mình" in office.refused("user", "set", "admin", "--active", "no")
    assert "Không có đơn vị" in office.refused("user", "set", "tiepnhan", "--unit", "99")
    assert "Chưa nêu mục nào" in office.refused("user", "set", "tiepnhan")


def test_unit_set_renames_and_keeps_the_rest(office: Cli) -> None:
    def unit(uid: int) -> dict:
        return next(u for u in office.json("unit", "list") if u["id"] == uid)

    before = unit(2)
    assert office("unit", "set", "2", "--name", nfd("Phòng Tư pháp – Hộ tịch"))[0] == 0
    assert unit(2) == {**before, "name": "Phòng Tư pháp – Hộ tịch"}
    assert office("unit", "set", "Phòng Tư pháp – Hộ tịch", "--parent", "1", "--code", "TP")[0] == 0
    assert unit(2) == {**before, "name": "Phòng Tư pháp – Hộ tịch", "parent_id": 1, "code": "TP"}
    assert office("unit", "set", "2", "--parent", "none")[0] == 0
    assert unit(2)["parent_id"] is None and unit(2)["kind"] == "phòng ban"
    assert "cấp dưới của chính nó" in office.refused("unit", "set", "2", "--parent", "2")
    assert "Đã có đơn vị" in office.refused("unit", "set", "2", "--name", "Bộ phận Một cửa")
    assert "không có quyền" in office.refused("unit", "set", "2", "--name", "Khác", user="tiepnhan")
    assert unit(2)["name"] == "Phòng Tư pháp – Hộ tịch"


# ----- procedures ------------------------------------------------------------------------------------
def give_papers_and_workflow(office: Cli, code: str) -> None:
    """Papers, a workflow, a lead unit and options as the window's dialog would save them."""
    s = office.services()
    actor = s.office.actor_for("admin")
    p = s.catalogue.get(actor, code=code)
    s.catalogue.save(actor, p.id, code=p.code, name=p.name, field_name=p.field, durations=p.raw,
                     papers=[{"name": "Tờ khai", "originals": 1, "certified": 0, "photocopies": 0},
                             {"name": "Căn cước", "originals": 0, "certified": 1, "photocopies": 0}],
                     lead_unit_id=2, workflow=[{"name": "Thẩm định", "unit_id": 2, "days": 3.0, "unit": "Phòng Tư pháp"}],
                     supplement_mode="pause", warning_minutes=240, fee="Miễn phí", confirmed=not p.needs_review)


def test_catalogue_set_duration_and_confirm_keeps_everything_else(office: Cli) -> None:
    give_papers_and_workflow(office, DOUBTFUL)
    before = office.json("catalogue", "show", DOUBTFUL)
    assert before["needs_review"] is True and before["durations"]["direct"] == "Chưa xác định"
    code, out, err = office("catalogue", "set", DOUBTFUL, "--direct", "5 working_days", "--confirm")
    assert code == 0 and "đã xác nhận" in out, err
    after = office.json("catalogue", "show", DOUBTFUL)
    assert after == {**before, "needs_review": False, "review_note": "",
                     "durations": {**before["durations"], "direct": "5 ngày làm việc"},
                     "duration_values": {**before["duration_values"], "direct": {"amount": 5.0, "unit": "working_days"}}}
    assert after["papers"][1] == {"name": "Căn cước", "originals": 0, "certified": 1, "photocopies": 0}
    assert after["workflow"] == [{"name": "Thẩm định", "unit_id": 2, "days": 3.0, "unit": "Phòng Tư pháp"}]
    code, out, _ = office("catalogue", "show", DOUBTFUL)
    assert code == 0 and "5 ngày làm việc" in out and "Thẩm định|Phòng Tư pháp|3" in out


def test_catalogue_set_without_confirm_leaves_the_mark(office: Cli) -> None:
    before = office.json("catalogue", "show", DOUBTFUL)
    office("catalogue", "set", DOUBTFUL, "--fee", "50.000 đồng", "--online", "3 wd", "--lead-unit", "Phòng Tư pháp",
           "--warning-hours", "4", "--supplement-mode", "restart", "--field", nfd("Hộ tịch"))
    after = office.json("catalogue", "show", DOUBTFUL)
    assert after == {**before, "fee": "50.000 đồng", "lead_unit_id": 2, "warning_minutes": 240,
                     "supplement_mode": "restart", "field": "Hộ tịch",
                     "durations": {**before["durations"], "online": "3 ngày làm việc"},
                     "duration_values": {**before["duration_values"], "online": {"amount": 3.0, "unit": "working_days"}}}
    assert after["needs_review"] is True and after["review_note"] == before["review_note"]
    # a confirmed procedure stays confirmed when --confirm is not repeated
    office("catalogue", "set", PROCEDURE, "--fee", "Miễn phí")
    assert office.json("catalogue", "show", PROCEDURE)["needs_review"] is False


def test_catalogue_set_papers_and_steps_replace_the_lists(office: Cli) -> None:
    give_papers_and_workflow(office, PROCEDURE)
    office("catalogue", "set", PROCEDURE, "--paper", "Đơn đề nghị:1:0:0", "--paper", "Bản vẽ::2:1",
           "--step", "Tiếp nhận||0.5", "--step", "Xem xét|2|4")
    p = office.json("catalogue", "show", PROCEDURE)
    assert p["papers"] == [{"name": "Đơn đề nghị", "originals": 1, "certified": 0, "photocopies": 0},
                           {"name": "Bản vẽ", "originals": 0, "certified": 2, "photocopies": 1}]
    assert p["workflow"] == [{"name": "Tiếp nhận", "unit_id": None, "days": 0.5, "unit": ""},
                             {"name": "Xem xét", "unit_id": 2, "days": 4.0, "unit": "Phòng Tư pháp"}]
    office("catalogue", "set", PROCEDURE, "--clear-papers", "--clear-steps")
    p = office.json("catalogue", "show", PROCEDURE)
    assert (p["papers"], p["workflow"], p["lead_unit_id"]) == ([], [], 2)


def test_catalogue_set_refuses_bad_values_and_changes_nothing(office: Cli) -> None:
    before = office.json("catalogue", "show", DOUBTFUL)
    assert "không hợp lệ" in office.refused("catalogue", "set", DOUBTFUL, "--direct", "5 tuần")
    assert "không hợp lệ" in office.refused("catalogue", "set", DOUBTFUL, "--direct", "-1 wd")
    assert "trước khi xác nhận" in office.refused("catalogue", "set", DOUBTFUL, "--confirm")
    assert "Thành phần hồ sơ" in office.refused("catalogue", "set", DOUBTFUL, "--paper", "Tờ khai:một")
    assert "Không có đơn vị" in office.refused("catalogue", "set", DOUBTFUL, "--lead-unit", "99")
    assert "Cảnh báo" in office.refused("catalogue", "set", DOUBTFUL, "--warning-hours", "1000")
    assert "Không tìm thấy thủ tục" in office.refused("catalogue", "show", "9.999999")
    assert "không có quyền" in office.refused("catalogue", "set", DOUBTFUL, "--direct", "5 wd", "--confirm",
                                              user="tiepnhan")
    assert office.json("catalogue", "show", DOUBTFUL) == before



def test_catalogue_set_refuses_a_time_too_large_with_a_message_not_a_traceback(office: Cli) -> None:
    """A time allowed (or a step's days) past what the window accepts is refused by the service: exit 2 and the
    reason in Vietnamese, nothing saved (stored, it would stall the deadline of every new case)."""
    before = office.json("catalogue", "show", PROCEDURE)
    err = office.refused("catalogue", "set", PROCEDURE, "--direct", "1e300 wd")
    assert err == "Lỗi: Thời hạn trực tiếp quá lớn: tối đa 9999 ngày làm việc.\n"
    err = office.refused("catalogue", "set", PROCEDURE, "--step", "Thẩm định|Phòng Tư pháp|1e300")
    assert err == "Lỗi: Số ngày của bước 'Thẩm định' phải là số từ 0 đến 9999.\n"
    assert "Traceback" not in err
    assert office.json("catalogue", "show", PROCEDURE) == before

def test_a_case_registered_after_the_change_gets_the_new_time_allowed(office: Cli) -> None:
    def new_case() -> dict:
        return office.json("case", "new", "--procedure", PROCEDURE, "--applicant", "Nguyễn Văn Ấn", "--id-number",
                           "001234567890", "--phone", "0912345678", "--paper", "Tờ khai:1:0:0", user="tiepnhan")

    assert new_case()["due_at"] == "2025-03-12T08:00:00"  # 7 working days
    office("catalogue", "set", PROCEDURE, "--direct", "5 working_days")
    assert new_case()["due_at"] == "2025-03-10T08:00:00"  # 5 working days
