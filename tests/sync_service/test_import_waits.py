"""A portal file that moves a case into or out of "Chờ bổ sung": reports on periods before the import keep
saying what they said then."""

from __future__ import annotations

from datetime import date, datetime

from portal_files import build_portal, row
from sqlalchemy import select

from tthc_desk.reports import Period
from tthc_desk.storage.models import Case

CODE = "000.00.17.H10-250303-0001"
MARCH = Period(date(2025, 3, 1), date(2025, 3, 31))


def held(office) -> Case:
    with office.db.read() as s:
        return s.execute(select(Case).where(Case.code == CODE)).scalar_one()


def march(office, admin):
    return office.reports.report(admin, MARCH).total.counts


def test_a_wait_ended_by_an_import_is_still_seen_at_the_end_of_the_month_it_spanned(office, admin, tmp_path, clock):
    clock.set(datetime(2025, 3, 20, 9, 0))  # received 03/03, due 06/03, waiting for papers as the portal says
    office.sync.run_import(admin, build_portal(tmp_path / "a.xlsx", [row(1, status="Chờ bổ sung")]))
    before = march(office, admin)
    assert (before.waiting, before.pending_within, before.pending_overdue) == (1, 1, 0)
    clock.set(datetime(2025, 4, 10, 9, 0))  # April's file: the case is being processed again
    assert march(office, admin).waiting == 1  # as read before the import
    result = office.sync.run_import(admin, build_portal(tmp_path / "b.xlsx", [row(1, status="Đang xử lý")]))
    assert result.counts["updated"] == 1
    assert held(office).supplement_returned_at == datetime(2025, 4, 10, 9, 0)
    after = march(office, admin)
    assert (after.waiting, after.pending_within, after.pending_overdue) == (1, 1, 0)


def test_a_wait_begun_by_an_import_is_not_seen_before_it(office, admin, tmp_path, clock):
    clock.set(datetime(2025, 3, 20, 9, 0))
    office.sync.run_import(admin, build_portal(tmp_path / "a.xlsx", [row(1)]))  # being processed in March
    assert march(office, admin).pending_overdue == 1  # due 06/03, open at the end of March
    clock.set(datetime(2025, 4, 10, 9, 0))
    office.sync.run_import(admin, build_portal(tmp_path / "b.xlsx", [row(1, status="Chờ bổ sung")]))
    assert held(office).supplement_requested_at == datetime(2025, 4, 10, 9, 0)
    counts = march(office, admin)
    assert (counts.waiting, counts.pending_overdue) == (0, 1)
