"""`tthc-desk case import` after the real run: what the run itself did (another desk may act between the dry
run and the run), and a remembered column mapping forgotten."""

from __future__ import annotations

import json

from portal_files import build_portal, row
from sqlalchemy import func, select

from tthc_desk.cli.main import main
from tthc_desk.storage.models import Case, Unit


def _run(capsys, services, *argv, now: str = "2025-03-06 12:00") -> tuple[int, str, str]:
    code = main(["--db", services.db.url, "--now", now, *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def _after_the_dry_run(monkeypatch, other_desk) -> None:
    """Another desk at work between the command's dry run and its run: `other_desk()` once `plan_import` returns
    (the run takes the write lock after it and matches the file again)."""
    from tthc_desk.sync.service import SyncService

    plan_import = SyncService.plan_import

    def planned(self, *args, **kwargs):
        plan = plan_import(self, *args, **kwargs)
        other_desk()
        return plan

    monkeypatch.setattr(SyncService, "plan_import", planned)


def test_a_unit_another_desk_created_meanwhile_is_not_said_created(office, admin, make_procedure, tmp_path, capsys,
                                                                  monkeypatch):
    """The dry run found the unit and the procedure missing; another desk created both before the run, which
    created nothing. The text said "đã tạo mới" for both beside "mới: 1" (audit 10, F8)."""
    path = build_portal(tmp_path / "u.xlsx", [row(1, unit="Phòng Mới Lập", proc="9.888888", proc_name="Thủ tục mới lạ")])

    def other_desk():
        office.accounts.save_unit(admin, "Phòng Mới Lập", kind="phòng ban")
        make_procedure(code="9.888888", name="Thủ tục mới lạ")

    _after_the_dry_run(monkeypatch, other_desk)
    code, out, _ = _run(capsys, office, "case", "import", str(path), "--create-missing")
    assert code == 0 and "  mới: 1," in out
    assert "tạo mới (cần xác nhận)" not in out and "Đã tạo" not in out
    assert ("  ? Phòng Mới Lập (dòng 4): lúc nhập đã có trong danh sách đơn vị (được thêm sau khi kiểm tra): dùng"
            " đơn vị đó, không tạo mới") in out.splitlines()
    assert ("  ? 9.888888 — Thủ tục mới lạ (dòng 4): lúc nhập đã có trong danh mục (được thêm sau khi kiểm tra): dùng thủ"
            " tục đó, không tạo mới") in out.splitlines()
    with office.db.read() as s:
        assert s.execute(select(func.count()).select_from(Unit).where(Unit.name == "Phòng Mới Lập")).scalar_one() == 1


def test_the_json_of_a_run_lists_no_unit_another_desk_created_meanwhile(office, admin, tmp_path, capsys, monkeypatch):
    path = build_portal(tmp_path / "u.xlsx", [row(1, unit="Phòng Mới Lập")])
    _after_the_dry_run(monkeypatch, lambda: office.accounts.save_unit(admin, "Phòng Mới Lập", kind="phòng ban"))
    code, out, _ = _run(capsys, office, "case", "import", str(path), "--create-missing", "--json")
    data = json.loads(out)
    assert code == 0 and data["result"]["created_units"] == [] and data["counts"]["new"] == 1
    assert data["unknown_units"] == [] and data["result"]["unknown_units"] == []  # the run's: none was missing


def test_a_case_the_desk_changed_meanwhile_is_not_said_updated(office, admin, desk_user, tmp_path, capsys,
                                                              monkeypatch):
    """The dry run found two updates; the desk corrected one of them before the run, which made it a conflict and
    kept the desk's change. The text listed it under "Cập nhật" beside "cập nhật: 1, … xung đột: 1" (audit 10, F8)."""
    office.sync.run_import(admin, build_portal(tmp_path / "a.xlsx", [row(1), row(2)]))
    later = build_portal(tmp_path / "b.xlsx", [row(1, phone="0912000111"), row(2, phone="0912000222")])
    first, second = "000.00.17.H10-250303-0001", "000.00.17.H10-250303-0002"
    _after_the_dry_run(monkeypatch, lambda: office.workflow.correct_details(desk_user, first, "số mới",
                                                                              applicant_phone="0905000009"))
    code, out, _ = _run(capsys, office, "case", "import", str(later))
    lines = out.splitlines()
    assert code == 0 and "cập nhật: 1" in lines[1] and "xung đột: 1" in lines[1]
    assert [ln for ln in lines if ln.startswith("  ✎")] == [
        f"  ✎ {second} (dòng 5): Điện thoại: 0905123456 → 0912000222"]
    assert [ln for ln in lines if ln.startswith("  ⚠")] == [
        f"  ⚠ Xung đột {first} (dòng 4) [đã giữ của mình]: Điện thoại: 0905000009 → 0912000111"]
    with office.db.read() as s:
        assert s.execute(select(Case.applicant_phone).where(Case.code == first)).scalar_one() == "0905000009"


def test_the_json_of_a_run_lists_what_the_run_updated(office, admin, desk_user, tmp_path, capsys, monkeypatch):
    office.sync.run_import(admin, build_portal(tmp_path / "a.xlsx", [row(1), row(2)]))
    later = build_portal(tmp_path / "b.xlsx", [row(1, phone="0912000111"), row(2, phone="0912000222")])
    first, second = "000.00.17.H10-250303-0001", "000.00.17.H10-250303-0002"
    _after_the_dry_run(monkeypatch, lambda: office.workflow.correct_details(desk_user, first, "số mới",
                                                                              applicant_phone="0905000009"))
    code, out, _ = _run(capsys, office, "case", "import", str(later), "--json")
    data = json.loads(out)
    assert code == 0 and data["counts"]["updated"] == 1 and data["result"]["conflicts_kept"] == [first]
    assert [u["code"] for u in data["updates"]] == [second]
    assert [(c["code"], c["decision"]) for c in data["conflicts"]] == [(first, "ours")]
    assert data["result"]["updates"] == data["updates"] and data["result"]["conflicts"] == data["conflicts"]


def test_a_remembered_mapping_can_be_forgotten(office, admin, tmp_path, capsys):
    """A correction kept for these headers (the phone read from no column) could only be undone by choosing
    every column again: `--forget-mapping` reads the columns by their headers, and the real run drops it."""
    from tthc_desk.sync.columns import ColumnMapping

    path = build_portal(tmp_path / "m.xlsx", [row(1)])
    auto = office.sync.plan_import(admin, path).mapping
    corrected = ColumnMapping(auto.header_row, auto.headers, {f: c for f, c in auto.columns.items() if f != "phone"},
                              auto.header_rows)  # fmt: skip
    assert office.sync.run_import(admin, office.sync.plan_import(admin, path, mapping=corrected)).mapping_saved
    assert office.sync.plan_import(admin, path).mapping_source == "remembered"
    code, out, _ = _run(capsys, office, "case", "import", str(path), "--forget-mapping", "--dry-run", "--json")
    assert code == 0 and json.loads(out)["mapping_source"] == "auto" and "phone" in json.loads(out)["mapping"]
    assert len(office.sync.remembered_mappings(admin)) == 1  # a dry run writes nothing
    code, out, _ = _run(capsys, office, "case", "import", str(path), "--forget-mapping")
    assert code == 0 and "Đã bỏ ánh xạ cột đã lưu" in out
    assert office.sync.remembered_mappings(admin) == []
    assert office.sync.plan_import(admin, path).mapping_source == "auto"
