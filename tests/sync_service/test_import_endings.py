"""A portal file that ends a case we hold open (refused, withdrawn, stopped, handed back) without a date: the
reports of periods before the import keep saying what they said."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from portal_files import build_portal, row

from tthc_desk.reports import Period

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
