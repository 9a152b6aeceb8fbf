"""Values SQLite would store and PostgreSQL refuses: an over-long text rejects the row and a NUL character is
dropped, on both, so an import means the same on either backend (and never ends in a database error)."""

from __future__ import annotations

from portal_files import HEADERS, build_portal, row
from sqlalchemy import func, select

from tthc_desk.storage.models import Case, Unit


def test_an_over_long_email_rejects_the_row(office, admin, tmp_path):
    path = build_portal(tmp_path / "e.xlsx", [row(1) + ["a" * 300 + "@x.vn"], row(2) + ["b@x.vn"]],
                        headers=[*HEADERS, "Email"])
    result = office.sync.run_import(admin, path)
    assert result.counts["new"] == 1 and result.counts["rejected"] == 1
    assert [r.row_number for r in result.rejected] == [4] and "Email dài quá 255" in result.rejected[0].reason


def test_an_over_long_unit_name_is_rejected_not_created(office, admin, tmp_path):
    path = build_portal(tmp_path / "u.xlsx", [row(1, unit="Phòng " * 60), row(2)])
    result = office.sync.run_import(admin, path, create_missing=True)
    assert result.counts["new"] == 1 and result.counts["rejected"] == 1 and result.created_units == []
    with office.db.read() as s:
        assert s.execute(select(func.count()).select_from(Unit).where(Unit.name.like("Phòng Phòng%"))).scalar() == 0


def test_a_nul_character_is_dropped_and_the_row_kept(office, admin, tmp_path):
    """PostgreSQL refuses a NUL in text (SQLite keeps it). A NUL is no part of a name, and the user cannot see
    it to correct the file: it is removed where the file is read, and the row imported on either backend."""
    lines = [",".join(HEADERS)]
    for n in range(1, 80):  # the NUL sits past the part of the file the CSV loader sniffs
        name = "Nguyễn Văn An" + ("\x00" if n == 79 else "")
        lines.append(",".join([str(n), f"000.00.17.H10-250303-{n:04d}", name, "052090001234", "0905123456", "Thôn 1",
                               "1.001193", "Thủ tục đăng ký khai sinh", "Hộ tịch", "Phòng Tư pháp", "Trực tiếp",
                               "Đang xử lý", "03/03/2025 08:30", "06/03/2025 08:30", "", ""]))  # fmt: skip
    path = tmp_path / "n.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    result = office.sync.run_import(admin, path)
    assert result.counts["new"] == 79 and result.counts["rejected"] == 0
    with office.db.read() as s:
        names = s.execute(select(Case.applicant_name)).scalars().all()
    assert len(names) == 79 and set(names) == {"Nguyễn Văn An"}


def test_the_cases_being_written_are_locked_against_other_desks(office, admin, tmp_path):
    """SQLite's write transaction holds the database; on PostgreSQL the matched cases are locked (FOR UPDATE)
    from the re-check to the commit, so no desk can change one between the two (a lost update)."""
    from datetime import datetime

    import pytest
    from sqlalchemy.exc import OperationalError

    code = "000.00.17.H10-250303-0001"
    office.sync.run_import(admin, build_portal(tmp_path / "a.xlsx", [row(1)]))
    later = build_portal(tmp_path / "b.xlsx", [row(1, status="Đã trả kết quả", finished=datetime(2025, 3, 5, 9, 0),
                                                    returned=datetime(2025, 3, 5, 14, 0))])
    plan = office.sync.plan_import(admin, later)
    assert plan.counts["updated"] == 1
    seen = []

    def other_desk() -> bool:
        if not seen:
            with office.db.engine.connect() as conn:
                if office.db.is_sqlite:
                    conn.exec_driver_sql("PRAGMA busy_timeout = 100")
                else:
                    conn.exec_driver_sql("SET lock_timeout = '100ms'")
                with pytest.raises(OperationalError):
                    conn.exec_driver_sql(f"UPDATE case_file SET applicant_name = 'X' WHERE code = '{code}'")
                seen.append(True)
        return False

    office.sync.run_import(admin, plan, cancel=other_desk)
    assert seen
    with office.db.read() as s:
        assert s.execute(select(Case.applicant_name).where(Case.code == code)).scalar() == "Nguyễn Văn An"


def test_an_open_case_without_a_due_time_comes_first_and_says_so(office, admin, tmp_path):
    """A case of a procedure with no rule, imported without a due time, has a deadline nobody knows yet: it heads
    the queue on both backends (PostgreSQL sorted it last), and reads "Chưa có hạn", not "Chờ bổ sung"."""
    from datetime import datetime

    from openpyxl import load_workbook

    from tthc_desk.domain import Colour
    from tthc_desk.services.queue import QueueFilter
    from tthc_desk.sync.service_export import COLOUR_HEADER

    path = build_portal(tmp_path / "d.xlsx", [
        row(1, due=datetime(2025, 3, 10, 8, 30)), row(2, due=datetime(2025, 3, 7, 8, 30)),
        row(3, proc="9.999999", proc_name="Thủ tục chưa có trong danh mục", due=None), row(4, status="Chờ bổ sung"),
    ])
    result = office.sync.run_import(admin, path, create_missing=True)
    assert result.counts["new"] == 4
    code = [r[1] for r in (row(1), row(2), row(3), row(4))]
    rows = office.queue.list(admin, QueueFilter())
    assert [r.code for r in rows] == [code[2], code[1], code[0], code[3]]
    assert [(r.colour, r.chip_label, r.remaining_text) for r in (rows[0], rows[3])] == [
        (Colour.GREY, "Chưa có hạn", "chưa rõ hạn"), (Colour.GREY, "Chờ bổ sung", "đang chờ bổ sung")]
    assert [r.code for r in office.queue.list(admin, QueueFilter(), sort="due_at")] == [code[2], code[3], code[1],
                                                                                       code[0]]
    assert [r.code for r in office.queue.list(admin, QueueFilter(), sort="due_at", descending=True)] == [
        code[0], code[1], code[3], code[2]]
    assert office.casefile.detail(admin, code[2]).chip_label == "Chưa có hạn"
    assert office.sync.export_cases(admin, tmp_path / "q.xlsx", QueueFilter()) == 4
    sheet = load_workbook(tmp_path / "q.xlsx").active
    table = [[c.value for c in r] for r in sheet.iter_rows()]
    head = next(i for i, r in enumerate(table) if COLOUR_HEADER in r)
    col = table[head].index(COLOUR_HEADER)
    said = {r[0]: r[col] for r in table[head + 1:] if r[0]}
    assert said[code[2]] == "Chưa có hạn" and said[code[3]] == "Chờ bổ sung"
