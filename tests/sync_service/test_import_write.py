"""How an import writes: in chunks (the SQLite staged move, PostgreSQL's COPY), rolled back whole between
them, reporting its progress; and the rows it writes, whichever the backend."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from portal_files import KS, build_portal, db_fingerprint, row
from sqlalchemy import select

from tthc_desk.services.integrity import check_database
from tthc_desk.services.ledger import verify_events
from tthc_desk.services.queue import QueueFilter
from tthc_desk.storage.models import Case, CaseEvent, Procedure
from tthc_desk.sync.reader import ImportCancelled


def test_a_file_written_in_several_chunks_keeps_each_case_with_its_own_event(office, admin, tmp_path, monkeypatch):
    from tthc_desk.sync import service_write

    monkeypatch.setattr(service_write, "CHUNK", 4)  # 11 rows: chunks of 4, 4, 3, each moved while the next is built
    names = ["Nguyễn Văn An", "Trần Thị Bích", "Lê Hoàng Phúc", "Phạm Thị Hường", "Đỗ Minh Khôi", "Võ Thị Lan",
             "Bùi Văn Mạnh", "Hồ Thị Ngọc", "Đặng Quốc Oai", "Ngô Thị Phượng", "Dương Văn Quý"]  # fmt: skip
    path = build_portal(tmp_path / "lon.xlsx", [row(i + 1, applicant=n, cid=f"0520900{i:05d}") for i, n in enumerate(names)])
    assert office.sync.run_import(admin, path).counts["new"] == 11
    with office.db.read() as s:
        got = {c.id: c for c in s.execute(select(Case)).scalars()}
        events = s.execute(select(CaseEvent)).scalars().all()
        assert verify_events(s) == []
    assert sorted(got) == list(range(min(got), min(got) + 11))  # ids handed out in file order, none skipped
    assert [got[e.case_id].applicant_name for e in sorted(events, key=lambda e: e.case_id)] == names
    assert all(e.data["values"]["applicant"] == got[e.case_id].applicant_name for e in events)
    assert check_database(office) == []
    for name in names:  # the search index was filled for every chunk, with each case's own text
        found = office.queue.list(admin, QueueFilter(text=name, open_only=False))
        assert [r.applicant_name for r in found] == [name]


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)  # COPY is PostgreSQL's path
def test_the_json_a_copy_stores_is_the_text_core_stores(office, admin, tmp_path):
    """COPY stores a json column's text as it is sent: it must be the text Core sends for the value
    (json.dumps, non-ASCII escaped) as for every other row, not the hashed event text (the same JSON,
    written unescaped). The new cases' first events, and an update's."""
    from sqlalchemy import text

    names = ['Nguyễn "Văn" \\ An', "Trần Thị 😀 Bích"]
    path = build_portal(tmp_path / "tệp.xlsx", [row(i + 1, applicant=n) for i, n in enumerate(names)])
    assert office.sync.run_import(admin, path).counts["new"] == 2
    later = build_portal(tmp_path / "tệp sau.xlsx", [row(1, applicant=names[0], status="Đã trả kết quả",
                                                         finished=datetime(2025, 3, 5, 9, 0),
                                                         returned=datetime(2025, 3, 5, 14, 0))])  # fmt: skip
    assert office.sync.run_import(admin, later).counts["updated"] == 1
    with office.db.read() as s:
        stored = s.execute(text("SELECT e.data::text, c.rule_snapshot::text, c.papers::text "
                                "FROM case_event e JOIN case_file c ON c.id = e.case_id ORDER BY e.id")).all()
        values = s.execute(select(CaseEvent.data, Case.rule_snapshot, Case.papers)
                           .join(Case, Case.id == CaseEvent.case_id).order_by(CaseEvent.id)).all()
        assert verify_events(s) == []
    assert [(v[0]["file"], v[0]["values"]["applicant"]) for v in values] == [
        ("tệp.xlsx", names[0]), ("tệp.xlsx", names[1]), ("tệp sau.xlsx", names[0])]
    assert [list(t) for t in stored] == [[json.dumps(v) for v in vs] for vs in values]


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)  # the server's plan cache
def test_the_matching_is_planned_for_its_own_codes_every_time(office, admin, tmp_path):
    """psycopg prepares a statement run five times on a connection, and the server may then keep one generic
    plan for it: one made while the table was empty stayed in the pooled connection and scanned it once
    filled (50 s for the dry run of 50,000 rows just imported). The matching never runs on such a plan."""
    from sqlalchemy import text

    from tthc_desk.sync import service_match

    rows = [row(i) for i in range(1, 21)]
    with office.db.read() as s:
        # no case yet, as before a first import: prepared at the 6th run, a generic plan possible at the 11th
        for _ in range(12):
            assert service_match.held_cases(s, [r[1] for r in rows]) == {}
        plans = s.execute(text("SELECT generic_plans, custom_plans FROM pg_prepared_statements "
                               "WHERE statement LIKE 'SELECT case_file.id, case_file.code, %'")).all()
        assert s.execute(text("SHOW plan_cache_mode")).scalar() == "auto"  # the rest of the import's as usual
    assert plans and [generic for generic, _custom in plans] == [0] * len(plans)
    office.sync.run_import(admin, build_portal(tmp_path / "a.xlsx", rows))
    with office.db.read() as s:
        assert sorted(service_match.held_cases(s, [r[1] for r in rows])) == sorted(r[1] for r in rows)


def _chunked_file(office, admin, tmp_path, monkeypatch):
    """A seeded office, chunks of 3, a 10-row file planned, and the database's fingerprint."""
    from tthc_desk.sync import service_write

    office.sync.run_import(admin, build_portal(tmp_path / "seed.xlsx", [row(50)]))
    monkeypatch.setattr(service_write, "CHUNK", 3)
    path = build_portal(tmp_path / "lon.xlsx", [row(i) for i in range(1, 11)])
    return path, office.sync.plan_import(admin, path), db_fingerprint(office)


@pytest.mark.parametrize("where", ["cancel", "build"])
def test_a_failure_between_chunks_rolls_everything_back(office, admin, tmp_path, monkeypatch, where):
    from tthc_desk.sync import service_new, service_write

    path, plan, before = _chunked_file(office, admin, tmp_path, monkeypatch)
    cancel = None
    if where == "cancel":
        calls = iter([False, False])  # the first chunk is already written (on SQLite: being moved in)
        cancel = lambda: next(calls, True)  # noqa: E731
        expected = ImportCancelled
    else:
        real, built = service_new.event_rows, []

        def failing(*args):
            built.append(1)
            if len(built) == 2:
                raise MemoryError
            return real(*args)

        monkeypatch.setattr(service_write, "event_rows", failing)
        expected = MemoryError
    with pytest.raises(expected):
        office.sync.run_import(admin, plan, cancel=cancel)
    assert db_fingerprint(office) == before
    monkeypatch.undo()
    assert office.sync.run_import(admin, path).counts["new"] == 10  # nothing left behind in the way


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)  # the staged move is SQLite's path
def test_a_failed_move_into_the_tables_rolls_everything_back(office, admin, tmp_path, monkeypatch):
    from tthc_desk.sync import service_write

    path, plan, before = _chunked_file(office, admin, tmp_path, monkeypatch)
    real, moves = service_write._Staging._move, []

    def failing_move(self, offset):
        moves.append(offset)
        if len(moves) == 2:
            raise RuntimeError("disk full")
        real(self, offset)

    monkeypatch.setattr(service_write._Staging, "_move", failing_move)
    with pytest.raises(RuntimeError, match="disk full"):
        office.sync.run_import(admin, plan)
    assert db_fingerprint(office) == before
    monkeypatch.undo()
    assert office.sync.run_import(admin, path).counts["new"] == 10


def test_imported_cases_turn_amber_when_a_desk_case_would(office, admin, tmp_path):
    """warn_minutes / warn_at as intake works them out (`deadline.warning_minutes`, `deadline.warn_moment`):
    the office's window, at most half the time the case is given, counted in working time."""
    from tthc_desk import deadline
    from tthc_desk.storage.models import Office

    spans = [  # receipt, due (before the test clock's Monday 03/03/2025 08:00)
        (datetime(2025, 2, 24, 8, 30), datetime(2025, 3, 3, 8, 30)),  # long: the full window
        (datetime(2025, 2, 25, 8, 30), datetime(2025, 2, 25, 10, 30)),  # short: half the span
        (datetime(2025, 2, 28, 16, 0), datetime(2025, 3, 3, 9, 0)),  # over a weekend
        (datetime(2025, 2, 24, 18, 45), datetime(2025, 2, 26, 17, 0)),  # after the cut-off
        (datetime(2025, 3, 1, 9, 0), datetime(2025, 3, 1, 9, 0)),  # a Saturday, due at receipt
    ]
    path = build_portal(tmp_path / "cua_so.xlsx", [row(i, received=r, due=d) for i, (r, d) in enumerate(spans, 1)])
    office.sync.run_import(admin, path)
    with office.db.read() as s:
        desk = s.execute(select(Office)).scalar_one()
        cal = office.calendars.get(s, desk)
        got = s.execute(select(Case).order_by(Case.id)).scalars().all()
        own = s.execute(select(Procedure.warning_minutes).where(Procedure.code == KS)).scalar_one()
        window = desk.warning_minutes if own is None else own  # as intake takes it
        for case, (received, due) in zip(got, spans, strict=True):
            start = deadline.start_of_clock(cal, received)
            minutes = deadline.warning_minutes(cal, min(start, due), due, window)
            assert (case.warn_minutes, case.warn_at) == (minutes, deadline.warn_moment(cal, due, minutes))
    assert {c.warn_minutes for c in got} - {0, window}  # some windows were cut to half the span


@pytest.mark.parametrize("n", [0, 1, 3, 4999, 5000, 5001, 12345, 50000])
def test_chunks_cover_every_row_once_and_end_short(n):
    from tthc_desk.sync.service_write import _tapered

    bounds = _tapered(n, 5000)
    assert [i for start, end in bounds for i in range(start, end)] == list(range(n))
    assert all(end - start <= 5000 for start, end in bounds)
    assert not bounds or bounds[-1][1] - bounds[-1][0] <= 1250  # the move nothing overlaps is a short one


def test_a_file_with_a_long_name_creates_what_is_missing(office, admin, tmp_path):
    """A portal download's name runs past the 120 characters of a procedure's "source", which PostgreSQL
    enforces: the import failed there with a traceback (SQLite keeps any length)."""
    name = ("Danh sách hồ sơ tiếp nhận tại bộ phận một cửa UBND huyện Tây Sơn từ 01-11-2026 đến 20-11-2026 "
            "(cổng DVC tỉnh).xlsx")
    assert len(name) > 110
    path = build_portal(tmp_path / name, [row(1, proc="9.888888", proc_name="Thủ tục chưa có")])
    result = office.sync.run_import(admin, path, create_missing=True)
    assert result.counts["new"] == 1
    with office.db.read() as s:
        source = s.execute(select(Procedure.source).where(Procedure.code == "9.888888")).scalar_one()
    assert source.startswith("Nhập từ tệp Danh sách hồ sơ") and source.endswith("…") and len(source) == 120


def test_the_write_reports_its_progress_in_cases(office, admin, tmp_path):
    """The page's bar stood still through the write (a busy indicator only): the run now reports the cases
    written, new and updated, up to all of them."""
    office.sync.run_import(admin, build_portal(tmp_path / "a.xlsx", [row(i) for i in range(1, 4)]))
    rows = [row(i, phone="0905000009" if i < 4 else "0905123456") for i in range(1, 2004)]  # 3 updates, 2,000 new
    plan = office.sync.plan_import(admin, build_portal(tmp_path / "b.xlsx", rows))
    seen: list[tuple[int, int]] = []
    result = office.sync.run_import(admin, plan, progress=lambda done, total: seen.append((done, total)))
    assert (result.counts["new"], result.counts["updated"]) == (2000, 3)
    assert seen and seen[-1] == (2003, 2003) and {t for _d, t in seen} == {2003}
    assert [d for d, _t in seen] == sorted(d for d, _t in seen)
