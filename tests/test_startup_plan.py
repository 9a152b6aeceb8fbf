"""Start-up plans (`tthc_desk.startup`, recorded by `tthc_desk.services.start_plan`): the window's first queue
page read with sqlite3 by SQL the services compiled at an earlier start. What is checked: the replay shows
exactly what the services show (rows, order, colour counts, remaining time) at any `now`; a login by plan
needs the right password; and a plan that may not fit (other code, other schema revision, damaged file,
unknown parameter) is never used."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from tthc_desk import startup
from tthc_desk.clock import FixedClock
from tthc_desk.domain import Colour, Status
from tthc_desk.services import Services
from tthc_desk.services.demo import build_demo
from tthc_desk.services.demo_data import DEMO_PASSWORD
from tthc_desk.services.pending import PendingServices, ServicesUnavailable
from tthc_desk.services.queue_rows import QueueFilter
from tthc_desk.services.start_plan import record_start_plan
from tthc_desk.startup import database_in_use, load_plan, replay, save_plan
from tthc_desk.storage.db import Database, make_url

START = datetime(2025, 3, 3, 8, 0)  # a working Monday morning, as the other core tests


@pytest.fixture(scope="module")
def demo_file(initialised_template, tmp_path_factory) -> Path:
    """A demo office of 300 cases with their histories (built once for the module)."""
    path = tmp_path_factory.mktemp("plans") / "demo.sqlite3"
    shutil.copyfile(initialised_template("sqlite").removeprefix("sqlite:///"), path)
    db = Database(make_url(path))
    build_demo(Services.build(db, FixedClock(START)), cases=300)
    db.dispose()
    return path


@pytest.fixture
def demo(demo_file: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("TTHC_DESK_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_file, path)
    db = Database(make_url(path))
    clock = FixedClock(START)
    yield Services.build(db, clock), clock, path
    db.dispose()


def _recorded(services: Services, username: str = "tiepnhan1", page_size: int = 50):
    actor = services.office.actor_for(username)
    plan = record_start_plan(services, actor, page_size)
    assert plan is not None and save_plan(plan)
    return actor


@pytest.mark.parametrize("page_size", [3, 50, 400])
def test_the_replayed_first_page_is_what_the_services_show(demo, page_size):
    services, clock, path = demo
    actor = _recorded(services, page_size=page_size)
    seen_colours, seen_waiting = set(), False
    for moment in (START, START + timedelta(hours=30), START + timedelta(days=9, hours=3, minutes=17)):
        clock.set(moment)
        first = replay(load_plan(path, " TiepNhan1"), "TIEPNHAN1 ", services.queue.now())
        ids, counts = services.queue.ids_and_counts(actor, QueueFilter())
        assert first is not None and first.actor == actor
        assert first.ids == ids[:page_size] and first.counts == counts and first.total == len(ids)
        assert first.rows == services.queue.rows(actor, ids[:page_size])  # colour, remaining time, unit, all
        assert first.office_name == services.office.settings(actor).name
        seen_colours |= {c for c, n in counts.items() if n}
        seen_waiting |= any(r.status is Status.WAITING_SUPPLEMENT for r in first.rows)
    # the comparisons covered every colour, a case waiting for papers and (3 a page) more than one page
    assert seen_colours == set(Colour)
    assert seen_waiting if page_size >= len(ids) else page_size == 3  # waiting cases come last


def test_a_login_by_plan_needs_the_users_own_password(demo):
    services, _clock, path = demo
    _recorded(services)
    plan, now = load_plan(path, "tiepnhan1"), services.queue.now()
    assert replay(plan, "tiepnhan1", now, DEMO_PASSWORD).actor.username == "tiepnhan1"
    assert replay(plan, "tiepnhan1", now, DEMO_PASSWORD + "x") is None
    assert replay(plan, "tiepnhan1", now, "") is None
    assert replay(plan, "no-such-user", now) is None and replay(plan, "no-such-user", now, DEMO_PASSWORD) is None
    admin = services.office.actor_for("admin")
    user = services.office.actor_for("tiepnhan1")
    services.accounts.set_role(admin, user.user_id, user.role, user.unit_id, active=False)
    assert replay(plan, "tiepnhan1", now, DEMO_PASSWORD) is None and replay(plan, "tiepnhan1", now) is None


def test_a_plan_recorded_by_other_code_or_for_another_revision_is_not_used(demo, monkeypatch):
    services, _clock, path = demo
    _recorded(services)
    assert load_plan(path, "tiepnhan1") is not None
    assert load_plan(path, "lanhdao") is None  # recorded per user
    with monkeypatch.context() as patched:
        patched.setattr(startup, "code_fingerprint", lambda: "other code")
        assert load_plan(path, "tiepnhan1") is None
    plan = load_plan(path, "tiepnhan1")
    with services.db.write() as s:
        s.execute(text("UPDATE alembic_version SET version_num = '0003'"))
    assert replay(plan, "tiepnhan1", services.queue.now()) is None
    services.db.dispose()
    path.unlink()
    assert replay(plan, "tiepnhan1", services.queue.now()) is None
    assert not path.exists()  # the replay never creates a database


def test_a_damaged_or_altered_plan_file_is_ignored(demo):
    services, _clock, path = demo
    _recorded(services)
    plans = startup.plans_path()
    data = json.loads(plans.read_text(encoding="utf-8"))
    entry = next(iter(data["plans"].values()))
    entry["queries"]["ids"]["params"].append(["shell", "rm -rf /"])
    plans.write_text(json.dumps(data), encoding="utf-8")
    assert load_plan(path, "tiepnhan1") is None
    entry["queries"]["ids"]["params"].pop()
    entry["queries"]["ids"]["params"].append(["value", {"not": "a scalar"}])
    plans.write_text(json.dumps(data), encoding="utf-8")
    assert load_plan(path, "tiepnhan1") is None
    del entry["queries"]["rows"]
    plans.write_text(json.dumps(data), encoding="utf-8")
    assert load_plan(path, "tiepnhan1") is None
    plans.write_text('{"format": 1, "plans": {', encoding="utf-8")
    assert load_plan(path, "tiepnhan1") is None
    plans.unlink()
    assert load_plan(path, "tiepnhan1") is None


def test_saving_keeps_one_plan_per_database_and_user_and_the_newest_ones(demo, monkeypatch):
    services, _clock, path = demo
    actor = _recorded(services)
    plan = record_start_plan(services, actor, 50)
    assert save_plan(plan) is False  # unchanged: the file is not written again
    monkeypatch.setattr(startup, "MAX_PLANS", 3)
    for n in range(5):
        save_plan(startup.StartPlan(plan.fingerprint, plan.revision, str(path.with_name(f"other{n}.sqlite3")),
                                    "tiepnhan1", 50, plan.queries))
    kept = json.loads(startup.plans_path().read_text(encoding="utf-8"))["plans"]
    assert len(kept) == 3 and all("other" in key for key in kept)
    assert [p.name for p in startup.plans_path().parent.iterdir()] == [startup.PLAN_FILE]  # no temporary left


def test_no_plan_is_recorded_for_postgresql(services, admin, backend):
    plan = record_start_plan(services, admin, 50)
    assert (plan is None) == (backend == "postgresql")


def test_a_database_is_in_use_once_it_holds_an_office_and_its_users(demo, tmp_path):
    _services, _clock, path = demo
    assert database_in_use(path) and database_in_use(path, with_cases=True)
    assert not database_in_use(tmp_path / "missing.sqlite3")
    (tmp_path / "empty.sqlite3").write_bytes(b"")
    assert not database_in_use(tmp_path / "empty.sqlite3")
    (tmp_path / "text.sqlite3").write_text("not a database", encoding="utf-8")
    assert not database_in_use(tmp_path / "text.sqlite3")


def test_pending_services_wait_for_the_build_and_pass_on_its_failure():
    gate = threading.Event()
    built = []

    def build():
        gate.wait(5)
        built.append(1)
        return type("S", (), {"queue": "the queue"})()

    pending = PendingServices(build, start=False)
    assert not pending.started and not pending.ready  # not begun until asked
    pending.start()
    pending.start()  # once
    assert pending.started and not pending.ready  # building: asking now would wait
    gate.set()
    assert pending.queue == "the queue" and pending.ready and built == [1]
    failing = PendingServices(lambda: (_ for _ in ()).throw(RuntimeError("migration failed")))
    with pytest.raises(ServicesUnavailable, match="migration failed") as raised:
        failing.queue  # noqa: B018  (the window's queries: the start reports the build's own error)
    assert isinstance(raised.value.__cause__, RuntimeError)
    with pytest.raises(RuntimeError, match="migration failed"):
        failing.result()
    assert isinstance(failing.error(), RuntimeError)


def test_what_the_first_paint_needs_loads_without_sqlalchemy():
    """The start-up plan pays only if the window's first page needs nothing of the database layer: the plan's
    replay, the login dialog and the main window with its queue page must import without SQLAlchemy."""
    probe = ("import sys; import tthc_desk.startup, desk_main, ui.app, ui.login, ui.main_window, ui.queue.model; "
             "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic')); "
             "print(loaded); assert not loaded")
    done = subprocess.run([sys.executable, "-c", probe], cwd=Path(__file__).resolve().parents[1],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stdout + done.stderr
