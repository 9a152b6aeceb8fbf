"""The database: migrations (with a copy taken before an upgrade), SQLite settings, the integrity check."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import JSON, bindparam, func, inspect, select, text

from tthc_desk.clock import FixedClock
from tthc_desk.errors import ConflictError
from tthc_desk.services import Services
from tthc_desk.services.demo import build_demo
from tthc_desk.services.integrity import check_database
from tthc_desk.storage import db as db_module
from tthc_desk.storage.models import Base, Case, CaseEvent

EXPECTED_TABLES = set(Base.metadata.tables)

PROBE_REVISION = '''"""a later revision, for the upgrade test only"""

from alembic import op
import sqlalchemy as sa

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("migration_probe", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade() -> None:
    op.drop_table("migration_probe")
'''


def test_a_fresh_database_migrates_to_head(db_url, open_database) -> None:
    db = open_database()
    assert db.current_revision() is None
    assert db.migrate() is None  # nothing to copy in an empty database
    assert db.current_revision() == db.head_revision()
    assert EXPECTED_TABLES <= set(inspect(db.engine).get_table_names())
    assert db.migrate() is None  # at head: a no-op


def test_the_schema_matches_the_models(db_url, open_database) -> None:
    """The migrations create exactly what the models describe (no model change without a migration)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from tthc_desk.storage.db import in_models

    db = open_database()
    db.migrate()
    with db.engine.connect() as conn:
        opts = {"compare_type": True, "include_object": in_models}
        diff = compare_metadata(MigrationContext.configure(conn, opts=opts), Base.metadata)
    assert diff == []


def test_sqlite_connection_settings(sqlite_url, open_database) -> None:
    db = open_database(sqlite_url)
    db.migrate()
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL: a commit survives a power cut
    with pytest.raises(ConflictError) as refused, db.write() as s:  # (said to the user as another desk's doing)
        s.execute(text("INSERT INTO unit (office_id, name, kind, code, active, needs_review) "
                       "VALUES (999, 'x', '', '', 1, 0)"))
    assert "FOREIGN KEY" in str(refused.value.__cause__)


def _office(db) -> None:
    db.migrate()
    Services.build(db, FixedClock(datetime(2025, 3, 3, 8, 0))).office.ensure_office()


def test_a_writer_commits_while_a_reader_is_open(sqlite_url, open_database) -> None:
    db = open_database(sqlite_url)
    _office(db)
    with db.read() as reader:
        reader.execute(text("SELECT count(*) FROM office")).scalar()
        with db.write() as writer:
            writer.execute(text("INSERT INTO sequence (office_id, kind, period, value) VALUES (1, 'x', 'y', 1)"))
    with db.read() as s:
        assert s.execute(text("SELECT count(*) FROM sequence")).scalar() == 1


def test_backup_is_a_consistent_copy(sqlite_url, open_database, tmp_path) -> None:
    db = open_database(sqlite_url)
    _office(db)
    with db.write() as s:
        s.execute(text("INSERT INTO sequence (office_id, kind, period, value) VALUES (1, 'case_code', '250303', 7)"))
    with db.read():  # an open reader under WAL does not stop the copy
        dest = db.backup(tmp_path / "copies", label="thu")
    assert dest.parent == tmp_path / "copies" and dest.name.endswith("-thu.sqlite3")
    with sqlite3.connect(dest) as copy:
        assert copy.execute("SELECT value FROM sequence").fetchone() == (7,)
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_backup_refuses_postgresql() -> None:
    fake = db_module.Database.__new__(db_module.Database)
    fake.url, fake.is_sqlite = "postgresql+psycopg://x/y", False
    with pytest.raises(RuntimeError, match="pg_dump"):
        fake.backup()


def test_upgrading_an_older_sqlite_file_copies_it_first(sqlite_url, open_database, tmp_path, monkeypatch) -> None:
    """There is only one real revision so far, so the 'newer' schema is a probe revision added on top of a copy
    of the migration scripts: the file at today's head is then the 'older' database."""
    db = open_database(sqlite_url)
    _office(db)
    old_head = db.current_revision()
    with db.write() as s:
        s.execute(text("INSERT INTO sequence (office_id, kind, period, value) VALUES (1, 'register', '2025', 41)"))

    _add_probe_revision(tmp_path, monkeypatch, old_head)

    assert db.head_revision() == "9999", list((tmp_path / "migrations" / "versions").iterdir())
    backup = db.migrate(backup_dir=tmp_path / "backups")
    assert backup is not None and backup.parent == tmp_path / "backups", (old_head, db.current_revision())
    assert f"truoc-nang-cap-{old_head}" in backup.name
    assert db.current_revision() == "9999"
    assert "migration_probe" in inspect(db.engine).get_table_names()
    with sqlite3.connect(backup) as copy:  # the copy is the database as it was before the upgrade
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == (old_head,)
        assert copy.execute("SELECT value FROM sequence WHERE kind = 'register'").fetchone() == (41,)
        tables = {r[0] for r in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "migration_probe" not in tables
    assert db.migrate(backup_dir=tmp_path / "backups") is None  # now at the new head: no second copy
    assert [p.name for p in (tmp_path / "backups").glob("*.sqlite3")] == [backup.name]


def test_check_is_clean_on_demo_data(db_url, open_database, backend) -> None:
    db = open_database()
    db.migrate()
    services = Services.build(db, FixedClock(datetime(2026, 11, 20, 10, 0)))
    services.office.ensure_office()
    summary = build_demo(services, cases=300)
    assert summary["cases"] == 300
    assert check_database(services) == []


def test_demo_office_built_on_a_sunday_morning_has_nothing_in_the_future(db_url, open_database, backend) -> None:
    """Evening and weekend receipts just before now used to move to the next working day: tomorrow."""
    db = open_database()
    db.migrate()
    now = datetime(2026, 11, 22, 7, 1)  # a Sunday
    services = Services.build(db, FixedClock(now))
    services.office.ensure_office()
    build_demo(services, cases=2000)  # ~38 h of evening and weekend before now: a few receipts fall there
    with db.read() as s:
        latest_receipt = s.execute(select(func.max(Case.received_at))).scalar_one()
        latest_event = s.execute(select(func.max(CaseEvent.at))).scalar_one()
        codes = s.execute(select(Case.code)).scalars().all()
    assert latest_receipt <= now and latest_event <= now
    assert max(code.split("-")[1] for code in codes) <= f"{now:%y%m%d}"


def test_check_reports_a_tampered_event(services, admin, register, desk_user, clock) -> None:
    code = register().code
    clock.set(datetime(2025, 3, 3, 9, 0))
    services.workflow.record_result(desk_user, code)
    assert check_database(services) == []
    with services.db.write() as s:
        first = s.execute(select(CaseEvent.id).order_by(CaseEvent.id).limit(1)).scalar_one()
        s.execute(text("UPDATE case_event SET data = :data WHERE id = :id").bindparams(bindparam("data", type_=JSON)),
                  {"data": {"channel": "online", "due_at": "2025-12-31T17:00:00"}, "id": first})
    problems = check_database(services)
    assert len(problems) == 1
    assert "sự kiện số 1 đã bị sửa ngoài phần mềm" in problems[0]


def test_check_reports_a_case_without_history(services, register) -> None:
    code = register().code
    with services.db.write() as s:
        s.execute(text("DELETE FROM case_event"))
    assert check_database(services) == [f"Hồ sơ {code} không có sự kiện nào trong lịch sử."]


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_upgrading_postgresql_takes_no_copy_but_says_so(backend, db_url, open_database, tmp_path, monkeypatch,
                                                        caplog) -> None:
    db = open_database()
    db.migrate()
    _add_probe_revision(tmp_path, monkeypatch, db.current_revision())
    with caplog.at_level("WARNING", logger=db_module.__name__):
        assert db.migrate(backup_dir=tmp_path / "backups") is None
    assert "pg_dump" in caplog.text
    assert db.current_revision() == "9999"
    assert not (tmp_path / "backups").exists()


def _add_probe_revision(tmp_path: Path, monkeypatch, head: str) -> None:
    scripts = tmp_path / "migrations"
    shutil.copytree(db_module.MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9999_probe.py").write_text(PROBE_REVISION.format(head=head), encoding="utf-8")
    monkeypatch.setattr(db_module, "MIGRATIONS", scripts)


def test_start_up_shortcut_names_alembics_head(tmp_path):
    """migrate() skips Alembic when the file's revision is the newest by file name; both must agree."""
    from tthc_desk.storage.db import Database, make_url, newest_revision_file

    db = Database(make_url(tmp_path / "head.sqlite3"))
    assert db.head_revision() == newest_revision_file()
    db.migrate()
    assert db.current_revision() == newest_revision_file()
    assert db.migrate() is None


def test_queue_indexes_exist(db_url, open_database) -> None:
    """The expression index behind the queue cannot be compared by Alembic on SQLite: check it by name."""
    db = open_database()
    db.migrate()
    names = {ix["name"] for ix in inspect(db.engine).get_indexes("case_file")}
    assert {"ix_case_open_colour", "ix_case_report", "ix_case_open_due"} <= names
    with db.engine.connect() as conn:
        if db.is_sqlite:
            sql = conn.execute(text("SELECT sql FROM sqlite_master WHERE name = 'ix_case_queue'")).scalar()
        else:
            sql = conn.execute(text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_case_queue'")).scalar()
    assert sql and "search_text" in sql and "waiting_supplement" in sql
