"""Case codes under concurrency: several desks (processes) registering at the same moment on one database."""

from __future__ import annotations

import multiprocessing
import traceback
from datetime import datetime

import pytest
from sqlalchemy import select

from tthc_desk.storage.models import Case

WORKERS = 4
PER_WORKER = 250
RECEIVED = datetime(2025, 3, 3, 9, 0)


def _desk(url: str, username: str, procedure_id: int, start, results) -> None:
    """One desk in its own process: wait for the others, then register PER_WORKER cases as fast as it can."""
    try:
        from tthc_desk.clock import FixedClock
        from tthc_desk.services import Services
        from tthc_desk.services.intake import IntakeForm
        from tthc_desk.storage.db import Database

        db = Database(url)
        services = Services.build(db, FixedClock(RECEIVED))
        actor = services.office.actor_for(username)
        start.wait(timeout=300)
        out = []
        for i in range(PER_WORKER):
            res = services.intake.register(actor, IntakeForm(procedure_id=procedure_id,
                                                             applicant_name=f"{username} người nộp {i}"))
            out.append((res.code, res.register_number))
        db.dispose()
        results.put(("ok", username, out))
    except BaseException:  # noqa: BLE001 - everything goes back to the parent
        results.put(("error", username, traceback.format_exc()))


@pytest.mark.slow
def test_codes_stay_unique_with_four_desks_at_once(services, make_user, desk_unit_id, procedure, backend) -> None:
    """4 processes × 250 registrations at the same moment on one database (one SQLite file, or PostgreSQL):
    1,000 distinct codes, no error, register numbers 1..1000 without a gap."""
    names = [make_user(f"ban{k}", "desk", desk_unit_id).username for k in range(WORKERS)]
    url = services.db.url
    ctx = multiprocessing.get_context("spawn")
    start, results = ctx.Barrier(WORKERS), ctx.Queue()
    procs = [ctx.Process(target=_desk, args=(url, name, procedure, start, results)) for name in names]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=600) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    errors = [o[2] for o in outcomes if o[0] == "error"]
    assert errors == [], errors[0]
    assert [p.exitcode for p in procs] == [0] * WORKERS

    got = [item for o in outcomes for item in o[2]]
    codes = [c for c, _ in got]
    assert len(codes) == len(set(codes)) == WORKERS * PER_WORKER
    assert sorted(codes) == [f"000.00.17.H10-250303-{n:04d}" for n in range(1, WORKERS * PER_WORKER + 1)]
    assert sorted(n for _, n in got) == list(range(1, WORKERS * PER_WORKER + 1))
    with services.db.read() as s:
        stored = s.execute(select(Case.code, Case.register_number)).all()
    assert sorted(stored) == sorted(got)
