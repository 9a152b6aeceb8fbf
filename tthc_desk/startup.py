"""Start-up plans: the queue's first page before SQLAlchemy has loaded.

Loading SQLAlchemy, the models and the services takes longer than opening a bare window (0.4–0.6 s of a
1.3 s start on 200,000 cases). Once a start has them loaded, `tthc_desk.services.start_plan` compiles, with
SQLAlchemy's own compiler and the services' own statements, what the window asks before its first paint:
the user, the office, the calendar's edited days, the open cases' order and colour counts, and the rows of
the first page. That compiled SQL is kept here (a small JSON file in the cache folder), keyed by database file
and user. The next start asks those same statements again with the standard library's sqlite3 and builds the
rows with the same core code (`queue_rows.queue_row`, the calendar) while SQLAlchemy loads on another thread.

Nothing is answered from a previous run: every figure is read live, at this start's `now`. A plan is used only
while it provably fits: the code that writes the SQL is byte-for-byte the code that recorded it (fingerprint),
the database is at the revision it was recorded at, and every parameter is one the plan knows how to fill. In
any other case the start simply waits for the services, as it would without a plan. SQLite only.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import tempfile
import zlib
from collections import namedtuple
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple

from tthc_desk import __version__
from tthc_desk.calendar import CalendarOverride, WorkCalendar
from tthc_desk.domain import Colour, WorkingHours
from tthc_desk.paths import cache_dir, package_version
from tthc_desk.services.actor import Actor, actor_from_row
from tthc_desk.services.passwords import check_password, needs_rehash
from tthc_desk.services.queue_rows import QueueRow, colour_counts, queue_row
from tthc_desk.text import clean

log = logging.getLogger(__name__)

FORMAT = 1
PLAN_FILE = "start-plans.json"
MAX_PLANS = 20  # databases x users remembered; the oldest is dropped
QUERIES = ("actor", "password", "office", "overrides", "counts", "ids", "rows")
# the modules whose code decides the SQL text, its parameters or their meaning
SOURCES = ("services/queue.py", "services/queue_rows.py", "services/accounts.py", "services/base.py",
           "services/start_plan.py", "storage/models.py", "storage/db.py", "startup.py")
# how a parameter is filled at replay: a recorded constant, or this start's value
PARAM_KINDS = frozenset({"value", "now", "office_id", "username", "id"})
# how a result column is read back (what SQLAlchemy's SQLite types store as text or integers)
COLUMN_KINDS = {"": None, "datetime": datetime.fromisoformat, "date": date.fromisoformat, "bool": bool}


# (records as NamedTuple: a dataclass costs 1-2 ms of the start to create, generating its methods)
class PlannedQuery(NamedTuple):
    sql: str
    params: tuple[tuple[str, object], ...]  # (kind, value): value for "value", the page position for "id"
    columns: tuple[tuple[str, str], ...]  # (result key, kind)


class StartPlan(NamedTuple):
    fingerprint: str
    revision: str
    database: str
    username: str
    page_size: int
    queries: dict[str, PlannedQuery]

    @property
    def key(self) -> str:
        return plan_key(self.database, self.username)

    def to_json(self) -> dict:
        return {"fingerprint": self.fingerprint, "revision": self.revision, "database": self.database,
                "username": self.username, "page_size": self.page_size,
                "queries": {name: {"sql": q.sql, "params": [list(p) for p in q.params],
                                   "columns": [list(c) for c in q.columns]} for name, q in self.queries.items()}}

    @classmethod
    def from_json(cls, data: dict) -> StartPlan:
        queries = {name: PlannedQuery(str(q["sql"]), tuple((str(k), v) for k, v in q["params"]),
                                      tuple((str(k), str(t)) for k, t in q["columns"]))
                   for name, q in data["queries"].items()}
        plan = cls(str(data["fingerprint"]), str(data["revision"]), str(data["database"]), str(data["username"]),
                   int(data["page_size"]), queries)
        plan.check()
        return plan

    def check(self) -> None:
        """Refuse (ValueError) a plan this module could not replay faithfully."""
        if set(self.queries) != set(QUERIES) or self.page_size < 1:
            raise ValueError("incomplete start-up plan")
        for q in self.queries.values():
            for kind, value in q.params:
                if kind not in PARAM_KINDS or (kind == "value" and not isinstance(value, (int, float, str, type(None)))):
                    raise ValueError(f"start-up plan parameter {kind}={value!r} cannot be replayed")
            for _key, kind in q.columns:
                if kind not in COLUMN_KINDS:
                    raise ValueError(f"start-up plan column kind {kind!r} unknown")


def login_name(username: str) -> str:
    """As the services look a login name up (`clean(...).lower()`)."""
    return clean(username).lower()


def plan_key(database: str | Path, username: str) -> str:
    return f"{Path(database).resolve()}|{login_name(username)}"


def code_fingerprint() -> str:
    """Changes whenever the code that writes the plan's SQL does (or SQLAlchemy, which compiled it)."""
    root = Path(__file__).resolve().parent
    parts = [f"{FORMAT}|{__version__}|{package_version('sqlalchemy')}"]
    for name in SOURCES:  # CRC-32 and length of each (zlib: hashlib's OpenSSL costs 4 ms to load)
        try:
            data = (root / name).read_bytes()
            parts.append(f"{name}:{len(data)}:{zlib.crc32(data):08x}")
        except OSError:
            parts.append(f"{name}:missing")  # a frozen build: its version names the code
    return "|".join(parts)


def plans_path() -> Path:
    return cache_dir() / PLAN_FILE


def _read_all(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data.get("plans", {}) if isinstance(data, dict) and data.get("format") == FORMAT else {}


def load_plan(database: str | Path, username: str, path: Path | None = None) -> StartPlan | None:
    """The plan recorded for this database and user, if there is one and it fits the running code."""
    raw = _read_all(path or plans_path()).get(plan_key(database, username))
    if raw is None:
        return None
    try:
        plan = StartPlan.from_json(raw)
    except (KeyError, TypeError, ValueError) as exc:
        log.info("start-up plan not usable: %s", exc)
        return None
    if plan.fingerprint != code_fingerprint():
        log.info("start-up plan recorded by other code: not used")
        return None
    return plan


def save_plan(plan: StartPlan, path: Path | None = None) -> bool:
    """Keep `plan` (replacing this database and user's); False when it is already the one kept."""
    plan.check()
    path = path or plans_path()
    plans = _read_all(path)
    new = plan.to_json()
    if plans.get(plan.key) == new:
        return False
    plans.pop(plan.key, None)
    plans[plan.key] = new  # last: the most recently recorded
    while len(plans) > MAX_PLANS:
        plans.pop(next(iter(plans)))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".start-plans-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"format": FORMAT, "plans": plans}, f, ensure_ascii=False)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def database_in_use(path: Path, with_cases: bool = False) -> bool:
    """Whether this SQLite file already holds an office and its users (and cases): then the start has nothing to
    set up first (no administrator password to show, no demo office to build) and need not wait for the
    services before the login. Any doubt (no file, no tables, locked) answers False."""
    if not path.is_file():
        return False
    try:
        con = sqlite3.connect(path, timeout=1)
    except sqlite3.Error:
        return False
    try:
        con.execute("PRAGMA query_only=ON")
        tables = ("office", "app_user") + (("case_file",) if with_cases else ())
        return all(con.execute(f"SELECT EXISTS (SELECT 1 FROM {t})").fetchone()[0] for t in tables)  # noqa: S608
    except sqlite3.Error:
        return False
    finally:
        con.close()


class FirstQueue(NamedTuple):
    """What the window shows first, read live by replaying a plan: the open queue's colour counts (their sum is
    its length) and its first page; the rest of its order comes with the services (`QueueSnapshot.total`)."""

    actor: Actor
    office_name: str
    ids: list[int]  # the first page's, in the queue's order
    counts: dict[Colour, int]
    rows: list[QueueRow]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


class _Replay:
    def __init__(self, plan: StartPlan, con: sqlite3.Connection, now: datetime) -> None:
        self.plan, self.con, self.now = plan, con, now

    def run(self, name: str, *, username: str = "", office_id: int | None = None, ids: list[int] = ()) -> list:
        q = self.plan.queries[name]
        values = []
        for kind, value in q.params:
            if kind == "value":
                values.append(value)
            elif kind == "now":
                # SQLAlchemy's SQLite DATETIME text; start_plan checked this format when it recorded the plan
                values.append(self.now.isoformat(" ", "microseconds"))
            elif kind == "office_id":
                values.append(office_id)
            elif kind == "username":
                values.append(username)
            else:  # "id": a position in the page; past the page's end nothing (NULL matches no case)
                values.append(ids[value] if value < len(ids) else None)
        rows = self.con.execute(q.sql, values).fetchall()
        readers = [(i, COLUMN_KINDS[kind]) for i, (_key, kind) in enumerate(q.columns) if COLUMN_KINDS[kind]]
        if readers:
            rows = [list(r) for r in rows]
            for r in rows:
                for i, read in readers:
                    if r[i] is not None:
                        r[i] = read(r[i])
        return rows


def replay(plan: StartPlan, username: str, now: datetime, password: str | None = None) -> FirstQueue | None:
    """The user, office and first queue page by the plan's SQL, or None when the plan does not fit the
    database (another revision, no such user, any SQLite error): the caller then waits for the services.
    With `password`: only if it is the user's (Argon2 check, as `AccountService.login`); a wrong one, or a
    hash the services would renew, also gives None, and the services then answer the login themselves."""
    path = Path(plan.database)
    if not path.is_file():
        return None
    try:
        # read-write open, read-only use: a read-only open of a WAL database fails while its -shm file is absent
        con = sqlite3.connect(path, timeout=5, check_same_thread=False)
    except sqlite3.Error as exc:
        log.info("start-up plan: database not opened (%s)", exc)
        return None
    try:
        con.execute("PRAGMA query_only=ON")
        revision = con.execute("SELECT version_num FROM alembic_version").fetchone()
        if revision is None or revision[0] != plan.revision:
            log.info("start-up plan: database at revision %s, plan at %s", revision, plan.revision)
            return None
        return _first_queue(_Replay(plan, con, now), login_name(username), password)
    except (sqlite3.Error, ValueError, TypeError, IndexError, KeyError) as exc:
        log.info("start-up plan not replayed: %r", exc)
        return None
    finally:
        con.close()


def _first_queue(r: _Replay, username: str, password: str | None) -> FirstQueue | None:
    if password is not None:
        stored = r.run("password", username=username)
        if len(stored) != 1 or not check_password(stored[0][0], password) or needs_rehash(stored[0][0]):
            return None
    found = r.run("actor", username=username)
    if len(found) != 1:
        return None
    actor = actor_from_row(found[0])
    office = r.run("office", office_id=actor.office_id)
    if len(office) != 1:
        return None
    name, sessions, cutoff = office[0]
    # the years around `now` (a queue's due dates): the tables grow by themselves for any other date
    cal = WorkCalendar(WorkingHours.parse(sessions, cutoff), [CalendarOverride(*o) for o in r.run("overrides")],
                       first_year=r.now.year - 1, last_year=r.now.year + 1)
    # the counts, and the first page's ids only: fetching all 12,200 open ids into Python costs more (11 ms)
    # than counting them (the window needs the rest only to scroll, after the services have come)
    counts = colour_counts(r.run("counts", office_id=actor.office_id))
    page = [i for (i,) in r.run("ids", office_id=actor.office_id)]
    keys = [key for key, _kind in r.plan.queries["rows"].columns]
    if keys[0] != "id" or "unit_name" not in keys:
        raise ValueError("rows query does not give id and unit_name")
    shape = namedtuple("PlannedRow", keys, rename=True)
    found_rows = {row.id: row for row in (shape(*v) for v in r.run("rows", office_id=actor.office_id, ids=page))}
    rows = [queue_row(found_rows[i], found_rows[i].unit_name or "", r.now, cal) for i in page if i in found_rows]
    return FirstQueue(actor, name, page, counts, rows)
