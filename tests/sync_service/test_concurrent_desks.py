"""Several desks on one database while an import or an upload runs (audit 10). On SQLite the writing
transaction holds the whole file and these take turns anyway; on PostgreSQL they ran side by side and
deadlocked, registered a code the import was adding, or uploaded the same cases twice (`storage.locks`).

Each test holds an import (or an upload) open at a chosen point in a thread, starts the other desk's work in
another, lets it reach the database, then lets the first go on."""

from __future__ import annotations

import threading
import time
from datetime import datetime

from portal_files import build_portal, row

from tthc_desk.services import Services
from tthc_desk.storage.db import Database

TODAY = "000.00.17.H10-250306"  # the office's code form for the fixture's day, 06/03/2025
AHEAD = 0.5  # seconds the other desk is given to reach the database before the held work goes on


def _other_desk(services) -> Services:
    """The same office through its own connection, as another desk's program."""
    return Services.build(Database(services.db.url), services.clock)


class _Held:
    """A function of the import or export replaced by one that stops there until `go` (the transaction and
    its locks held), once."""

    def __init__(self, monkeypatch, module, name: str) -> None:
        self.reached, self.go = threading.Event(), threading.Event()
        real, done = getattr(module, name), []

        def held(*args, **kwargs):
            if not done:
                done.append(1)
                self.reached.set()
                self.go.wait(30)
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, held)


def _in_thread(fn, out: dict, key: str) -> threading.Thread:
    def run() -> None:
        try:
            out[key] = fn()
        except Exception as exc:  # noqa: BLE001 - the test looks at what each desk got
            out[key] = exc

    thread = threading.Thread(target=run, name=key)
    thread.start()
    return thread


def _both(first, second, held: _Held) -> dict:
    """`first` runs until it is held; then `second` starts and is given `AHEAD`; then `first` goes on."""
    out: dict = {}
    a = _in_thread(first, out, "first")
    assert held.reached.wait(30), out.get("first")
    b = _in_thread(second, out, "second")
    time.sleep(AHEAD)
    held.go.set()
    for t in (a, b):
        t.join(60)
        assert not t.is_alive()
    return out


def test_a_code_the_portal_already_used_is_passed_over_at_the_desk(office, admin, register, tmp_path):
    """The portal numbers its online cases in the office's own series: one imported ahead of the desk's counter
    made every registration of that receipt day fail on the unique code, for good (the counter went back with
    each failed insert). The desk now takes the next free number."""
    rows = [row(1, code=f"{TODAY}-0001", received=datetime(2025, 3, 6, 7, 30), due=datetime(2025, 3, 11, 17, 0)),
            row(2, code=f"{TODAY}-0003", received=datetime(2025, 3, 6, 7, 40), due=datetime(2025, 3, 11, 17, 0))]
    office.sync.run_import(admin, build_portal(tmp_path / "cong.xlsx", rows))
    codes = [register(f"Người nộp {i}").code for i in range(3)]
    assert codes == [f"{TODAY}-0002", f"{TODAY}-0004", f"{TODAY}-0005"]
