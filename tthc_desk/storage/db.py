"""Opening the database: SQLite (WAL, foreign keys, busy timeout) or PostgreSQL, migrations, sessions.

Writes go through `Database.write()`: one transaction, which on SQLite starts with BEGIN IMMEDIATE so two
desks never deadlock upgrading a read lock; reads go through `Database.read()`.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from tthc_desk.errors import ConflictError

log = logging.getLogger(__name__)
CONCURRENT_WRITE = ("Không lưu được: dữ liệu vừa được một quầy khác ghi cùng lúc hoặc đã có sẵn. Chưa có gì được "
                    "ghi; hãy tải lại rồi làm lại.")  # fmt: skip
_RETRYABLE = {"40P01", "40001"}  # PostgreSQL: deadlock detected, serialization failure

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def newest_revision_file() -> str:
    """The newest revision id by file name (`NNNN_name.py`), without importing Alembic; a test checks
    that it agrees with Alembic's own head."""
    names = [p.name.split("_", 1)[0] for p in (MIGRATIONS / "versions").glob("[0-9]*_*.py")]
    return max(names, default="")


def make_url(target: str | Path) -> str:
    """A SQLAlchemy URL from `--db`: a URL is kept, anything else is a SQLite file path."""
    text = str(target)
    if "://" in text:
        if text.startswith("postgresql://"):
            text = "postgresql+psycopg://" + text[len("postgresql://") :]
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def in_models(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic comparison filter: the search index (FTS5 table and its shadow tables on SQLite, the pg_trgm
    index on PostgreSQL) is made by hand in migration 0002, not from the models."""
    if type_ == "table" and name and name.startswith("case_search"):
        return False
    return not (type_ == "index" and name == "ix_case_search_trgm")


# Every SQLite connection's settings. synchronous=FULL: in WAL mode each commit is on disk before it returns,
# so a case whose receipt was printed survives a power cut (NORMAL keeps the file whole but may lose the last
# commits); it costs one fsync per commit, 1-4 ms for a desk action here, 0.3 s on a 50,000-case import.
# mmap and the larger page cache: a large queue is read from memory-mapped pages (cold start-up reads).
SQLITE_PRAGMAS = ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "busy_timeout=30000",
                  "mmap_size=268435456", "cache_size=-65536")  # fmt: skip


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self.engine = self._create_engine(url)
        self._writer = self.engine.execution_options(tthc_immediate=True)
        self._read_sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(self._writer, expire_on_commit=False)

    def _create_engine(self, url: str) -> Engine:
        if not self.is_sqlite:
            return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn, _record) -> None:
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
            cur = dbapi_conn.cursor()
            for pragma in SQLITE_PRAGMAS:
                cur.execute(f"PRAGMA {pragma}")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn) -> None:
            immediate = conn.get_execution_options().get("tthc_immediate")
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine

    @property
    def sqlite_path(self) -> Path | None:
        if not self.is_sqlite:
            return None
        return Path(self.url.removeprefix("sqlite:///"))

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One writing transaction: committed on success, rolled back entirely on any exception.

        What another desk's transaction can do to this one on a shared database is said as a `ConflictError`
        (nothing written; try again), not as a traceback: a row written meanwhile with the same unique value (a
        code, a unit's name), a case changed since it was read (its version), a deadlock the server broke by
        ending this transaction. The database's own words go to the log."""
        try:
            with self._write_sessions() as session, session.begin():
                yield session
        except (IntegrityError, StaleDataError) as exc:
            log.warning("write refused: %s", exc)
            raise ConflictError(CONCURRENT_WRITE) from exc
        except OperationalError as exc:
            if getattr(exc.orig, "sqlstate", None) not in _RETRYABLE:
                raise
            log.warning("write ended by the server: %s", exc)
            raise ConflictError(CONCURRENT_WRITE) from exc

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._read_sessions() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()

    # ----- migrations ---------------------------------------------------------------------------------
    def _alembic_config(self):
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.attributes["engine"] = self.engine
        return cfg

    def stamped_revision(self) -> str | None:
        from sqlalchemy import text

        with self.engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()

    def current_revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def head_revision(self) -> str:
        from alembic.script import ScriptDirectory

        return ScriptDirectory.from_config(self._alembic_config()).get_current_head()

    def migrate(self, backup_dir: Path | None = None) -> Path | None:
        """Bring the schema to the newest revision; an existing SQLite file is copied first."""
        if self.stamped_revision() == newest_revision_file():
            return None  # the common case: no Alembic import at start-up
        from alembic import command

        current, head = self.current_revision(), self.head_revision()
        if current == head:
            return None
        backup = None
        has_tables = bool(inspect(self.engine).get_table_names())
        if has_tables and self.is_sqlite:
            backup = self.backup(backup_dir, label=f"truoc-nang-cap-{current or 'khong'}")
        elif has_tables:
            log.warning("PostgreSQL: no automatic copy before migration; take a pg_dump first")
        log.info("migrating database from %s to %s", current, head)
        command.upgrade(self._alembic_config(), "head")
        return backup

    def backup(self, backup_dir: Path | None = None, label: str = "sao-luu") -> Path:
        """A consistent copy of the SQLite file (sqlite3 backup API, safe under WAL)."""
        src = self.sqlite_path
        if src is None:
            raise RuntimeError("backup() is for SQLite files; use pg_dump for PostgreSQL")
        folder = backup_dir or src.parent / "backups"
        folder.mkdir(parents=True, exist_ok=True)
        dest = folder / f"{src.stem}-{datetime.now():%Y%m%d-%H%M%S}-{label}.sqlite3"
        with sqlite3.connect(src) as s, sqlite3.connect(dest) as d:
            s.backup(d)
        log.info("database copied to %s", dest)
        return dest

