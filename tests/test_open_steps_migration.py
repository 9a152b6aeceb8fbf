"""Cases an import before a64e149 finished or closed while a unit held them kept the unit's step open: the
upgrade to 0011 ends those steps when the case ended (never before the step began), and leaves the steps of
open cases, and the steps already ended, as they are."""

from __future__ import annotations

import importlib.util
import re
import sqlite3
from datetime import date, datetime, timedelta

from sqlalchemy import Boolean, DateTime, bindparam, select, text

from tthc_desk.domain import OPEN_STATUSES
from tthc_desk.reports import DrillCriteria, Period
from tthc_desk.services.integrity import check_database
from tthc_desk.storage.db import MIGRATIONS
from tthc_desk.storage.models import Case, CaseStep

MARCH = Period(date(2025, 3, 1), date(2025, 3, 31))
HANDED = datetime(2025, 3, 3, 9, 0)  # the desk hands each case to Phòng Tư pháp (one working day)
PASSED_ON = datetime(2025, 3, 4, 8, 0)  # ... and some on to TNMT (five working days): Tư pháp's step ends
LATE_HAND = datetime(2025, 3, 4, 10, 0)  # a case first handed over after the portal's day of its result
CLOSED_AT, RESULT_AT = datetime(2025, 3, 5, 10, 0), datetime(2025, 3, 4, 15, 0)
RETURNED_AT = datetime(2025, 3, 5, 9, 0)
DESK_RESULT = datetime(2025, 3, 4, 11, 0)


def _ended_by_import(services, code: str, status: str, **moments: datetime | None) -> None:
    """The case as an import before a64e149 ended it: its status and moments, the unit's step left open."""
    values = {"result_at": None, "closed_at": None, "returned_at": None, **moments}
    stmt = text("UPDATE case_file SET status = :st, is_open = :o, result_at = :result_at, "
                "closed_at = :closed_at, returned_at = :returned_at WHERE code = :c")
    # typed as the models store them
    stmt = stmt.bindparams(bindparam("o", type_=Boolean), *(bindparam(k, type_=DateTime) for k in values))
    with services.db.write() as s:
        s.execute(stmt, {"st": status, "o": False, "c": code, **values})


def _steps(services) -> dict[str, list[tuple[datetime, datetime | None]]]:
    with services.db.read() as s:
        rows = s.execute(select(Case.code, CaseStep.started_at, CaseStep.finished_at)
                         .join(Case, Case.id == CaseStep.case_id).order_by(CaseStep.id)).all()
    out: dict[str, list[tuple[datetime, datetime | None]]] = {}
    for code, started, finished in rows:
        out.setdefault(code, []).append((started, finished))
    return out


def _upgrade_from_0010(services, tmp_path):
    with services.db.write() as s:
        s.execute(text("UPDATE alembic_version SET version_num = '0010'"))  # as the file was before 0011
    backup = services.db.migrate(backup_dir=tmp_path / "backups")
    assert services.db.current_revision() == services.db.head_revision()
    assert (backup is not None) == services.db.is_sqlite  # the copy every upgrade of a SQLite file takes
    return backup


def test_the_upgrade_ends_the_steps_an_import_left_open_when_the_case_ended(
        services, register, desk_user, units, clock, tmp_path) -> None:
    tp, tnmt = units["tu_phap"], units["tnmt"]
    refused, withdrawn, finished, returned, early, still_open, desk = (register(f"Người nộp {n}").code
                                                                       for n in range(7))
    clock.set(HANDED)
    for code in (refused, withdrawn, finished, returned, still_open, desk):
        services.workflow.transfer(desk_user, code, tp, share_days=1)
    clock.set(PASSED_ON)
    services.workflow.transfer(desk_user, refused, tnmt, share_days=5)  # Tư pháp's step ends here
    clock.set(LATE_HAND)
    services.workflow.transfer(desk_user, early, tp, share_days=1)
    clock.set(DESK_RESULT)
    services.workflow.record_result(desk_user, desk)  # the desk's own result ends the step (and always did)
    _ended_by_import(services, refused, "refused", closed_at=CLOSED_AT)  # "Từ chối"
    _ended_by_import(services, withdrawn, "withdrawn")  # "Rút hồ sơ", no date: before the import took its own
    _ended_by_import(services, finished, "result_ready", result_at=RESULT_AT)
    _ended_by_import(services, returned, "returned", result_at=RESULT_AT, returned_at=RETURNED_AT)
    _ended_by_import(services, early, "result_ready", result_at=datetime(2025, 3, 4))  # a day without a time
    held = sorted((refused, withdrawn, finished, returned, early))
    assert check_database(services) == [
        f"5 hồ sơ đã kết thúc nhưng còn bước chuyển xử lý chưa kết thúc: {', '.join(held)}."
    ]

    backup = _upgrade_from_0010(services, tmp_path)

    assert _steps(services) == {
        refused: [(HANDED, PASSED_ON), (PASSED_ON, CLOSED_AT)],  # the step the hand-off ended keeps its end
        withdrawn: [(HANDED, HANDED)],  # no moment at all: the step is not blamed for a time nobody recorded
        finished: [(HANDED, RESULT_AT)],
        returned: [(HANDED, RESULT_AT)],  # the result, not the hand-back
        early: [(LATE_HAND, LATE_HAND)],  # never before the step began
        still_open: [(HANDED, None)],  # the case is still worked: its unit still holds it
        desk: [(HANDED, DESK_RESULT)],
    }
    assert check_database(services) == []
    if backup is not None:  # the copy holds the database as it was, to go back to
        with sqlite3.connect(backup) as copy:
            assert copy.execute("SELECT COUNT(*) FROM case_step WHERE finished_at IS NULL").fetchone() == (6,)


def test_after_the_upgrade_the_late_case_table_no_longer_blames_the_unit_for_the_open_step(
        services, register, desk_user, admin, units, clock, tmp_path) -> None:
    """Tư pháp held the case a day (in time) and passed it to TNMT for five; the portal's file gave the result
    an hour after the case's due, within TNMT's share: TNMT did not make the case late, yet its open step was
    due before the period's end, so the table named TNMT."""
    intake = register()
    clock.set(HANDED)
    services.workflow.transfer(desk_user, intake.code, units["tu_phap"], share_days=1)
    clock.set(PASSED_ON)
    services.workflow.transfer(desk_user, intake.code, units["tnmt"], share_days=5)
    _ended_by_import(services, intake.code, "result_ready", result_at=intake.due_at + timedelta(hours=1))
    clock.set(datetime(2025, 4, 1, 9, 0))

    def responsible() -> str:
        rows = services.reports.drill(admin, DrillCriteria(MARCH, "late_caused"))
        (late,) = [r for r in rows if r.code == intake.code]
        return late.note

    assert responsible().startswith("Trách nhiệm: Phòng Tài nguyên và Môi trường")
    _upgrade_from_0010(services, tmp_path)
    assert responsible().startswith("Trách nhiệm: Phòng Tư pháp")  # no step overran: the lead unit answers


def test_the_upgrade_reads_a_case_as_ended_as_check_does() -> None:
    """The migration names the open statuses in its SQL: the domain's, from which `check` reads them."""
    (path,) = (MIGRATIONS / "versions").glob("0011_*.py")
    spec = importlib.util.spec_from_file_location("migration_0011", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert set(re.findall(r"'(\w+)'", module.OPEN)) == {str(s) for s in OPEN_STATUSES}
