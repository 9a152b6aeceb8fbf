"""Several desks on one database while an import or an upload runs (audit 10). On SQLite the writing
transaction holds the whole file and these take turns anyway; on PostgreSQL they ran side by side and
deadlocked, registered a code the import was adding, or uploaded the same cases twice (`storage.locks`).

Each test holds an import (or an upload) open at a chosen point in a thread, starts the other desk's work in
another, lets it reach the database, then lets the first go on."""

from __future__ import annotations

import threading
from datetime import date, datetime

import pytest
from portal_files import build_portal, row
from sqlalchemy import select, text

from tthc_desk.errors import ConflictError, ValidationError
from tthc_desk.services import Services
from tthc_desk.services.calendar_service import DayChange
from tthc_desk.storage.db import Database
from tthc_desk.storage.models import Case, ExportRecord

TODAY = "000.00.17.H10-250306"  # the office's code form for the fixture's day, 06/03/2025


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


def _waiting_for_a_lock(services, thread: threading.Thread) -> bool:
    """Whether the other desk has reached the database and waits there (or has finished without waiting).
    PostgreSQL shows a lock asked for and not granted; a SQLite writer waits inside BEGIN IMMEDIATE, where
    whichever order it comes in the held transaction goes first."""
    if not thread.is_alive() or not services.db.url.startswith("postgresql"):
        return True
    with services.db.read() as s:
        return bool(s.execute(text("SELECT count(*) FROM pg_locks WHERE NOT granted")).scalar())


def _both(services, first, second, held: _Held) -> dict:
    """`first` runs until it is held; then `second` starts and reaches the database; then `first` goes on."""
    out: dict = {}
    a = _in_thread(first, out, "first")
    assert held.reached.wait(30), out.get("first")
    b = _in_thread(second, out, "second")
    for _ in range(1500):  # (30 s at most)
        if _waiting_for_a_lock(services, b):
            break
        b.join(0.02)
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


def test_a_case_registered_with_the_code_an_import_is_adding_waits_and_is_refused(office, admin, desk_user,
                                                                                  procedure, monkeypatch,
                                                                                  tmp_path):
    """Desk 2 registers an online case with the code the portal's file brings while desk 1's import runs. On
    PostgreSQL desk 2's case was saved and the import failed at its end on the unique code, with a traceback."""
    from tthc_desk.services.intake import IntakeForm
    from tthc_desk.sync import service as sync_service

    code = f"{TODAY}-0777"
    path = build_portal(tmp_path / "cong.xlsx", [row(1, code=code, received=datetime(2025, 3, 6, 7, 30),
                                                     due=datetime(2025, 3, 11, 17, 0))])  # fmt: skip
    held = _Held(monkeypatch, sync_service, "insert_new")
    desk2 = _other_desk(office)
    form = IntakeForm(procedure_id=procedure, applicant_name="Trần Văn Bình", code=code, channel="online")
    out = _both(office, lambda: office.sync.run_import(admin, path), lambda: desk2.intake.register(desk_user, form),
                held)
    assert out["first"].counts["new"] == 1
    assert isinstance(out["second"], ValidationError) and "đã có trong sổ" in str(out["second"])
    with office.db.read() as s:
        assert s.execute(select(Case.applicant_name).where(Case.code == code)).scalar_one() == "Nguyễn Văn An"
    desk2.db.dispose()


def test_a_calendar_edit_during_an_import_waits_for_it(office, admin, register, monkeypatch, tmp_path):
    """The import locks the file's known cases, the calendar edit moves the same open cases' due dates. On
    PostgreSQL they took the audit chain's lock and the cases in opposite orders and deadlocked in 4 runs of 4,
    one of them ending with a traceback."""
    from tthc_desk.sync import service as sync_service

    codes = [register(f"Người nộp {i}").code for i in range(3)]
    sent = tmp_path / "len-cong.xlsx"
    office.sync.export_changed(admin, sent)  # the portal's copy of them, imported back (unchanged: locked all the same)
    more = build_portal(tmp_path / "moi.xlsx", [row(9, received=datetime(2025, 3, 6, 7, 30),
                                                    due=datetime(2025, 3, 11, 17, 0))])  # fmt: skip
    held = _Held(monkeypatch, sync_service, "insert_new")
    desk2 = _other_desk(office)
    out = _both(office, lambda: office.sync.run_import(admin, sent),
                lambda: desk2.calendar.apply(admin, [DayChange(date(2025, 3, 7), False, "Nghỉ đột xuất")]), held)
    assert not isinstance(out["first"], Exception), out["first"]
    assert not isinstance(out["second"], Exception), out["second"]
    assert out["first"].counts["unchanged"] == 3
    assert {m.code for m in out["second"]} == set(codes)  # every open case moved, after the import
    assert office.sync.run_import(admin, more).counts["new"] == 1
    desk2.db.dispose()


def test_two_desks_uploading_at_once_send_each_case_once(office, admin, register, monkeypatch, tmp_path):
    """Both desks' "export changed" ran side by side on PostgreSQL: both files held the same cases and both were
    recorded as the upload. The second now waits for the first, then has nothing left to send."""
    from tthc_desk.sync import service_export

    for i in range(4):
        register(f"Người nộp {i}")
    held = _Held(monkeypatch, service_export, "mark_synced")
    desk2 = _other_desk(office)
    out = _both(office, lambda: office.sync.export_changed(admin, tmp_path / "a.xlsx"),
                lambda: desk2.sync.export_changed(admin, tmp_path / "b.xlsx"), held)
    assert (out["first"], out["second"]) == (4, 0)
    with office.db.read() as s:
        assert sorted(s.execute(select(ExportRecord.count).where(ExportRecord.kind == "changed")).scalars()) == [0, 4]
    desk2.db.dispose()


def test_a_duplicate_written_meanwhile_is_a_message_not_a_traceback(office, admin):
    """A unique value another desk wrote between a check and an insert (as a unit added while an import
    created one of the same name) is said in Vietnamese; nothing is written."""
    from tthc_desk.storage.models import Unit

    with pytest.raises(ConflictError, match="quầy khác"):
        with office.db.write() as s:
            s.add(Unit(office_id=admin.office_id, name="Phòng Tư pháp", kind=""))
