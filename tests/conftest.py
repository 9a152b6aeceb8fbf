"""Shared fixtures for the core tests: a fresh database per test (SQLite, and PostgreSQL when configured),
services on it with a fixed clock, the usual actors and a procedure factory.

PostgreSQL: set TTHC_TEST_PG_URL to a server URL (e.g. postgresql+psycopg://postgres@127.0.0.1:55432/postgres);
every test that takes `db_url` then also runs on a database of its own created on that server. Without it the
PostgreSQL variants are reported as skipped; with TTHC_REQUIRE_PG=1 (CI) they fail instead.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# the calendar's cache of the holidays package's days goes to a throwaway folder, not the user's profile
os.environ.setdefault("TTHC_DESK_CACHE_DIR", __import__("tempfile").mkdtemp(prefix="tthc-cache-"))

import itertools  # noqa: E402
import shutil  # noqa: E402
import uuid  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from datetime import datetime  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from argon2 import PasswordHasher  # noqa: E402
from sqlalchemy import create_engine, func, select, text  # noqa: E402
from sqlalchemy.engine import make_url as sa_make_url  # noqa: E402

from tthc_desk.clock import FixedClock  # noqa: E402
from tthc_desk.domain import Role  # noqa: E402
from tthc_desk.services import Services  # noqa: E402
from tthc_desk.services import passwords as passwords_module  # noqa: E402
from tthc_desk.services.base import Actor  # noqa: E402
from tthc_desk.services.intake import IntakeForm, IntakeResult  # noqa: E402
from tthc_desk.services.office import OfficeSettings  # noqa: E402
from tthc_desk.storage.db import Database, make_url  # noqa: E402

PG_URL_ENV = "TTHC_TEST_PG_URL"
REQUIRE_PG_ENV = "TTHC_REQUIRE_PG"

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO.parent / "shared" / "data"

START = datetime(2025, 3, 3, 8, 0)  # Monday 03/03/2025 08:00, an ordinary working morning
OFFICE_CODE = "000.00.17.H10"
ADMIN_PASSWORD = "quantri-2025"
PASSWORD = "matkhau-123"


# ----- speed ---------------------------------------------------------------------------------------------
@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing() -> Iterator[None]:
    """Argon2id with production parameters costs about half a second per hash on the project's machines;
    the tests need real hashes, not expensive ones."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(passwords_module, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        yield


# ----- databases -----------------------------------------------------------------------------------------
def pg_server_url() -> str | None:
    value = os.environ.get(PG_URL_ENV, "").strip()
    return make_url(value) if value else None


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request) -> str:
    """The database engine a storage/service test runs on."""
    if request.param == "postgresql" and pg_server_url() is None:
        reason = f"PostgreSQL not configured: set {PG_URL_ENV} to run the PostgreSQL variant"
        if os.environ.get(REQUIRE_PG_ENV) == "1":
            pytest.fail(f"{reason} ({REQUIRE_PG_ENV}=1 makes this an error)")
        pytest.skip(reason)
    return request.param


@pytest.fixture
def db_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A URL to a brand-new, empty database for this test only (dropped afterwards on PostgreSQL)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'tthc_test.sqlite3'}"
        return
    yield from _pg_database()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """For tests about SQLite itself (pragmas, file copies, several processes on one file)."""
    return f"sqlite:///{tmp_path / 'tthc_test.sqlite3'}"


def _pg_admin_engine():
    return create_engine(sa_make_url(pg_server_url()), isolation_level="AUTOCOMMIT")


def _pg_database(template: str = "template0") -> Iterator[str]:
    """Create a uniquely named database (a copy of `template`), yield its URL, drop it afterwards."""
    server = sa_make_url(pg_server_url())
    name = f"tthc_test_{uuid.uuid4().hex[:16]}"
    admin = _pg_admin_engine()
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE "{template}"'))
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        # engines the test opened are disposed before this runs (fixture teardown order); FORCE ends stragglers
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def initialised_template(tmp_path_factory) -> Iterator[Callable[[str], str]]:
    """Per backend, one database migrated and holding the office (ensure_office) — built once per session,
    then copied for every test that wants services: migrating and seeding the calendar for each test
    would cost more than the tests themselves."""
    built: dict[str, str] = {}
    cleanups: list[Iterator[str]] = []

    def _get(backend: str) -> str:
        if backend not in built:
            if backend == "sqlite":
                url = f"sqlite:///{tmp_path_factory.mktemp('template') / 'template.sqlite3'}"
            else:
                gen = _pg_database()
                cleanups.append(gen)
                url = next(gen)
            db = Database(url)
            db.migrate()
            Services.build(db, FixedClock(START)).office.ensure_office(_office_settings(), ADMIN_PASSWORD)
            db.dispose()  # also checkpoints the SQLite WAL into the main file
            built[backend] = url
        return built[backend]

    yield _get
    for gen in cleanups:
        for _ in gen:
            pass


@pytest.fixture
def database(backend: str, tmp_path: Path, initialised_template, open_database) -> Iterator[Database]:
    """A fresh copy of the initialised template: migrated, one office, its admin, the seeded calendar."""
    template = initialised_template(backend)
    if backend == "sqlite":
        path = tmp_path / "tthc_services.sqlite3"
        shutil.copyfile(template.removeprefix("sqlite:///"), path)
        yield _migrated(open_database(f"sqlite:///{path}"))
        return
    gen = _pg_database(template=sa_make_url(template).database)
    url = next(gen)
    try:
        yield _migrated(open_database(url))
    finally:
        open_database.dispose_all()
        for _ in gen:
            pass


def _migrated(db: Database) -> Database:
    assert db.migrate() is None  # already at the newest revision: nothing to do, no copy taken
    return db


class _Opener:
    def __init__(self, request) -> None:
        self._request = request
        self.opened: list[Database] = []

    def __call__(self, url: str | None = None) -> Database:
        db = Database(url or self._request.getfixturevalue("db_url"))
        self.opened.append(db)
        return db

    def dispose_all(self) -> None:
        while self.opened:
            self.opened.pop().dispose()


@pytest.fixture
def open_database(request) -> Iterator[_Opener]:
    """Open `Database` objects (on the test's `db_url` by default); all are disposed at the end of the test."""
    opener = _Opener(request)
    yield opener
    opener.dispose_all()


# ----- services and actors ---------------------------------------------------------------------------------
@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


def _office_settings() -> OfficeSettings:
    return OfficeSettings(name="Bộ phận Một cửa huyện Thử Nghiệm", code=OFFICE_CODE, place_name="Thử Nghiệm")


@pytest.fixture
def services(database: Database, clock: FixedClock) -> Services:
    """Migrated database with one office (code 000.00.17.H10), its admin and the seeded calendar."""
    svc = Services.build(database, clock)
    office_id, password = svc.office.ensure_office(_office_settings(), admin_password=ADMIN_PASSWORD)
    assert password is None  # the office came with the template; ensure_office leaves it alone
    return svc


@pytest.fixture
def admin(services: Services) -> Actor:
    return services.accounts.login("admin", ADMIN_PASSWORD)


@pytest.fixture
def passwords() -> dict[str, str]:
    """The passwords the office above gives its administrator and the users `make_user` creates, for tests
    that log in again."""
    return {"admin": ADMIN_PASSWORD, "user": PASSWORD}


@pytest.fixture
def desk_unit_id(admin: Actor) -> int:
    return admin.unit_id


@pytest.fixture
def units(services: Services, admin: Actor) -> dict[str, int]:
    """Two processing units besides the desk: 'tu_phap' and 'tnmt'."""
    return {
        "tu_phap": services.accounts.save_unit(admin, "Phòng Tư pháp", kind="phòng ban"),
        "tnmt": services.accounts.save_unit(admin, "Phòng Tài nguyên và Môi trường", kind="phòng ban"),
    }


@pytest.fixture
def make_user(services: Services, admin: Actor) -> Callable[..., Actor]:
    def _make(username: str, role: Role | str, unit_id: int | None = None, full_name: str | None = None) -> Actor:
        return services.accounts.create_user(admin, username, full_name or f"Cán bộ {username}", role, PASSWORD,
                                             unit_id=unit_id)
    return _make


@pytest.fixture
def desk_user(make_user, desk_unit_id: int) -> Actor:
    return make_user("tiepnhan", Role.DESK, desk_unit_id, "Nguyễn Thị Tiếp Nhận")


@pytest.fixture
def specialist(make_user, units: dict[str, int]) -> Actor:
    return make_user("chuyenvien.tp", Role.SPECIALIST, units["tu_phap"], "Lê Văn Chuyên")


@pytest.fixture
def other_specialist(make_user, units: dict[str, int]) -> Actor:
    return make_user("chuyenvien.tnmt", Role.SPECIALIST, units["tnmt"], "Phạm Thị Đất")


@pytest.fixture
def leader(make_user, units: dict[str, int]) -> Actor:
    return make_user("lanhdao", Role.LEADER, units["tu_phap"], "Trần Văn Lãnh")


@pytest.fixture
def make_procedure(services: Services, admin: Actor) -> Callable[..., int]:
    """Create a confirmed procedure with an explicit time allowed (same for every channel); returns its id."""
    numbers = itertools.count(1)

    def _make(amount: float | None = 3, unit: str = "working_days", *, code: str | None = None,
              name: str | None = None, field_name: str = "Hộ tịch", **extra) -> int:
        n = next(numbers)
        return services.catalogue.save(
            admin, None, code=code or f"9.{n:06d}", name=name or f"Thủ tục thử số {n}", field_name=field_name,
            durations={ch: (amount, unit) for ch in ("direct", "online", "post")}, **extra,
        )
    return _make


@pytest.fixture
def procedure(make_procedure) -> int:
    """3 working days."""
    return make_procedure(3, "working_days")


@pytest.fixture
def register(services: Services, desk_user: Actor, procedure: int) -> Callable[..., IntakeResult]:
    """Register a case at the desk (defaults: the 3-working-day procedure, received now)."""
    def _register(applicant_name: str = "Nguyễn Văn An", *, actor: Actor | None = None,
                  procedure_id: int | None = None, **form) -> IntakeResult:
        return services.intake.register(
            actor or desk_user, IntakeForm(procedure_id=procedure_id or procedure, applicant_name=applicant_name, **form)
        )
    return _register


@pytest.fixture
def rows_in(services: Services) -> Callable[[type], int]:
    """Number of rows in a model's table, read in a fresh transaction."""
    def _count(model) -> int:
        with services.db.read() as s:
            return s.execute(select(func.count()).select_from(model)).scalar_one()
    return _count
