"""A portal row that says the result was given, without a "Ngày có kết quả": the case must still have a moment
for its result, or every report would count it open and overdue for ever."""

from __future__ import annotations

from datetime import date, datetime

from portal_files import build_portal, row
from sqlalchemy import select

from tthc_desk.domain import Status
from tthc_desk.reports import Period
from tthc_desk.storage.models import Case

RETURNED_AT = datetime(2025, 3, 5, 10, 0)  # before the due time 06/03 08:30


def held(office, code: str) -> Case:
    with office.db.read() as s:
        return s.execute(select(Case).where(Case.code == code)).scalar_one()


def march(office, admin):
    return office.reports.report(admin, Period(date(2025, 3, 1), date(2025, 3, 31))).total.counts


def test_a_case_handed_back_without_a_result_date_is_resolved_when_it_was_handed_back(office, admin, tmp_path, clock):
    path = build_portal(tmp_path / "tra.xlsx", [row(1, status="Đã trả kết quả", returned=RETURNED_AT), row(2)])
    result = office.sync.run_import(admin, path)
    assert result.counts["new"] == 2 and not result.rejected
    case = held(office, "000.00.17.H10-250303-0001")
    assert case.status == Status.RETURNED and not case.is_open
    assert case.result_at == case.returned_at == RETURNED_AT
    clock.advance(days=60)  # the report of a month long past
    counts = march(office, admin)
    assert (counts.resolved, counts.early, counts.pending, counts.pending_overdue) == (1, 1, 1, 1)  # row 2 is still open
    # the same file again changes nothing: the moment taken is not a difference from the file
    assert office.sync.plan_import(admin, path).counts["unchanged"] == 2


def test_a_known_case_handed_back_later_without_a_result_date_gets_one(office, admin, tmp_path):
    office.sync.run_import(admin, build_portal(tmp_path / "a.xlsx", [row(1)]))
    path = build_portal(tmp_path / "b.xlsx", [row(1, status="Đã trả kết quả", returned=RETURNED_AT)])
    result = office.sync.run_import(admin, path)
    assert result.counts["updated"] == 1
    case = held(office, "000.00.17.H10-250303-0001")
    assert case.status == Status.RETURNED and case.result_at == RETURNED_AT


def test_a_result_stated_with_no_date_at_all_is_rejected_and_named(office, admin, tmp_path):
    path = build_portal(tmp_path / "c.xlsx", [row(1, status="Đã có kết quả"), row(2)])
    plan = office.sync.plan_import(admin, path)
    assert plan.counts["new"] == 1 and plan.counts["rejected"] == 1
    (rejected,) = plan.rejected
    assert rejected.row_number == 4 and "Đã có kết quả" in rejected.reason and "Ngày có kết quả" in rejected.reason


def test_a_known_case_with_its_result_may_be_stated_finished_without_a_date(office, admin, tmp_path):
    finished = datetime(2025, 3, 4, 15, 0)
    office.sync.run_import(admin, build_portal(tmp_path / "a.xlsx", [row(1, status="Đã có kết quả", finished=finished)]))
    plan = office.sync.plan_import(admin, build_portal(tmp_path / "b.xlsx", [row(1, status="Đã có kết quả")]))
    assert plan.counts["rejected"] == 0 and plan.counts["unchanged"] == 1
    assert held(office, "000.00.17.H10-250303-0001").result_at == finished
