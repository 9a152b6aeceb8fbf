"""A portal file that ends a case we hold open (finished, refused, withdrawn, stopped, handed back): the reports
of periods before the import keep saying what they said, and a unit the desk handed the case to is not left
holding it."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from portal_files import build_portal, row
from sqlalchemy import update

from tthc_desk.reports import DrillCriteria, Period
from tthc_desk.services.integrity import check_database
from tthc_desk.storage.models import CaseStep

CODE = "000.00.17.H10-250303-0001"  # received 03/03 08:30, due 06/03 08:30, at Phòng Tư pháp
MARCH = Period(date(2025, 3, 1), date(2025, 3, 31))
APRIL = Period(date(2025, 4, 1), date(2025, 4, 30))


def counts(office, admin, period: Period):
    return office.reports.report(admin, period).total.counts


@pytest.mark.parametrize(("word", "figure"), [("Từ chối", "refused"), ("Rút hồ sơ", "withdrawn"),
                                              ("Dừng xử lý", "stopped")])
def test_a_case_closed_by_a_later_file_without_a_date_is_closed_when_the_file_came(office, admin, tmp_path,
                                                                                   clock, word, figure):
    clock.set(datetime(2025, 3, 20, 9, 0))
    office.sync.run_import(admin, build_portal(tmp_path / "a.xlsx", [row(1)]))
    march = counts(office, admin, MARCH)
    assert (march.pending_overdue, getattr(march, figure)) == (1, 0)
    clock.set(datetime(2025, 4, 10, 9, 0))  # April's file: closed, the portal's list gives no date
    result = office.sync.run_import(admin, build_portal(tmp_path / "b.xlsx", [row(1, status=word)]))
    assert result.counts["updated"] == 1 and not result.rejected
    assert office.casefile.detail(admin, CODE).closed_at == datetime(2025, 4, 10, 9, 0)
    again = counts(office, admin, MARCH)  # March, run again, says what it said
    assert (again.pending_overdue, getattr(again, figure)) == (1, 0)
    april = counts(office, admin, APRIL)  # April counts it apart, carried over from March
    assert (april.carried_over, april.pending, getattr(april, figure)) == (0, 0, 1)


def test_a_result_handed_back_by_a_later_file_without_a_date_is_handed_back_when_the_file_came(office, admin,
                                                                                               tmp_path, clock):
    finished = datetime(2025, 3, 4, 15, 0)
    office.sync.run_import(admin, build_portal(tmp_path / "a.xlsx", [row(1, status="Đã có kết quả",
                                                                        finished=finished)]))
    clock.set(datetime(2025, 3, 12, 9, 0))
    later = row(1, status="Đã trả kết quả", finished=finished)  # the portal's list gives no "Ngày trả"
    result = office.sync.run_import(admin, build_portal(tmp_path / "b.xlsx", [later]))
    assert result.counts["updated"] == 1
    detail = office.casefile.detail(admin, CODE)
    assert (detail.result_at, detail.returned_at) == (finished, datetime(2025, 3, 12, 9, 0))


def _transferred(office, admin, desk_user, units, tmp_path, clock) -> None:
    """The case imported at Phòng Tư pháp, late since 06/03 08:30, handed to TNMT on 07/03 09:00 with two
    working days (its step due 11/03 09:00)."""
    office.sync.run_import(admin, build_portal(tmp_path / "a.xlsx", [row(1)]))
    clock.set(datetime(2025, 3, 7, 9, 0))
    office.workflow.transfer(desk_user, CODE, units["tnmt"], share_days=2)


def _responsible(office, admin) -> str:
    (late,) = [r for r in office.reports.drill(admin, DrillCriteria(MARCH, "late_caused")) if r.code == CODE]
    return late.note


@pytest.mark.parametrize("synced", [True, False], ids=["update", "conflict_taken"])
def test_a_file_that_finishes_a_transferred_case_ends_the_units_step_at_the_result(office, admin, desk_user,
                                                                                    units, tmp_path, clock, synced):
    _transferred(office, admin, desk_user, units, tmp_path, clock)
    if synced:  # the hand-off sent to the portal: the file's result is a plain update
        office.sync.export_changed(admin, tmp_path / "up.xlsx")
    clock.set(datetime(2025, 3, 12, 9, 0))
    result_at = datetime(2025, 3, 10, 10, 0)  # within TNMT's share: the case was late before TNMT had it
    path = build_portal(tmp_path / "b.xlsx", [row(1, status="Đã có kết quả", finished=result_at)])
    result = office.sync.run_import(admin, path, decisions={} if synced else {CODE: "file"})
    assert result.counts["updated" if synced else "conflicts_taken"] == 1
    (step,) = office.casefile.detail(admin, CODE).steps
    assert step.finished_at == result_at
    clock.set(datetime(2025, 4, 1, 9, 0))
    assert _responsible(office, admin).startswith("Trách nhiệm: Phòng Tư pháp")
    assert check_database(office) == []


def test_a_file_that_closes_a_transferred_case_ends_the_step_when_the_file_came(office, admin, desk_user, units,
                                                                                tmp_path, clock):
    _transferred(office, admin, desk_user, units, tmp_path, clock)
    office.sync.export_changed(admin, tmp_path / "up.xlsx")
    clock.set(datetime(2025, 3, 10, 10, 0))
    office.sync.run_import(admin, build_portal(tmp_path / "b.xlsx", [row(1, status="Rút hồ sơ")]))
    (step,) = office.casefile.detail(admin, CODE).steps
    assert step.finished_at == datetime(2025, 3, 10, 10, 0)


def test_a_result_the_file_dates_before_the_hand_off_ends_the_step_when_it_began(office, admin, desk_user, units,
                                                                                tmp_path, clock):
    _transferred(office, admin, desk_user, units, tmp_path, clock)
    clock.set(datetime(2025, 3, 12, 9, 0))
    path = build_portal(tmp_path / "b.xlsx", [row(1, status="Đã có kết quả", finished="07/03/2025")])
    office.sync.run_import(admin, path, decisions={CODE: "file"})
    (step,) = office.casefile.detail(admin, CODE).steps
    assert step.finished_at == datetime(2025, 3, 7, 9, 0)  # not 00:00 of the day, before TNMT was handed it


def test_check_names_a_finished_case_whose_step_is_still_open(office, admin, desk_user, units, tmp_path, clock):
    _transferred(office, admin, desk_user, units, tmp_path, clock)
    office.workflow.record_result(desk_user, CODE)
    assert check_database(office) == []
    with office.db.write() as s:  # as an import before this fix left it
        s.execute(update(CaseStep).values(finished_at=None))
    (problem,) = check_database(office)
    assert problem == f"1 hồ sơ đã kết thúc nhưng còn bước chuyển xử lý chưa kết thúc: {CODE}."
