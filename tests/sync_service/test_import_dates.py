"""Timelines that cannot have happened (a result or hand-back before the receipt, a hand-back before the result,
either in the future) are refused with a reason, for new cases and, judged on what the case would hold, for
updates; and every row the matcher refuses is said to be refused, not shown as if it would be imported."""

from __future__ import annotations

from datetime import datetime

from portal_files import build_portal, row
from sqlalchemy import select, update

from tthc_desk.domain import Status
from tthc_desk.storage.models import Case

NOW = datetime(2025, 3, 10, 9, 0)  # a week after the rows' receipt (03/03/2025 08:30)
RECEIVED = datetime(2025, 3, 3, 8, 30)


def code(n: int) -> str:
    return f"000.00.17.H10-250303-{n:04d}"


def held(office, n: int) -> Case:
    with office.db.read() as s:
        return s.execute(select(Case).where(Case.code == code(n))).scalar_one()


def codes_held(office) -> set[str]:
    with office.db.read() as s:
        return set(s.execute(select(Case.code)).scalars())


def reasons(plan_or_result) -> dict[int, str]:
    return {r.row_number: r.reason for r in plan_or_result.rejected}


def test_new_rows_out_of_order_are_refused_and_same_day_dates_are_not(office, admin, clock, tmp_path):
    clock.set(NOW)
    rows = [
        row(1, status="Đã có kết quả", finished=datetime(2025, 3, 2, 15, 0)),            # result before receipt
        row(2, status="Đã trả kết quả", returned=datetime(2025, 3, 2, 9, 0)),             # handed back before receipt
        row(3, status="Đã trả kết quả", finished=datetime(2025, 3, 5, 10, 0),
            returned=datetime(2025, 3, 4, 9, 0)),                                         # handed back before result
        row(4, status="Đã có kết quả", finished=datetime(2025, 3, 11, 8, 0)),            # result tomorrow
        row(5, status="Đã trả kết quả", finished=datetime(2025, 3, 5, 10, 0),
            returned=datetime(2025, 3, 12, 9, 0)),                                        # hand-back in two days
        # a date without a time is 00:00 of that day, and not before a receipt or a result on that day
        row(6, status="Đã có kết quả", finished="03/03/2025"),
        row(7, status="Đã trả kết quả", finished="03/03/2025", returned="03/03/2025"),
        row(8, status="Đã trả kết quả", finished=datetime(2025, 3, 5, 15, 0), returned="05/03/2025"),
        row(9, status="Đã có kết quả", finished=datetime(2025, 3, 10, 16, 0)),           # later today: not future
        row(10, status="Đã có kết quả", finished="02/03/2025"),                           # the day before: refused
    ]  # fmt: skip
    path = build_portal(tmp_path / "ngay.xlsx", rows)
    plan = office.sync.plan_import(admin, path)
    assert reasons(plan) == {
        4: "Dòng 4: Ngày có kết quả trước ngày tiếp nhận",
        5: "Dòng 5: Ngày trả kết quả trước ngày tiếp nhận",
        6: "Dòng 6: Ngày trả kết quả trước ngày có kết quả",
        7: "Dòng 7: Ngày có kết quả ở tương lai",
        8: "Dòng 8: Ngày trả kết quả ở tương lai",
        13: "Dòng 13: Ngày có kết quả trước ngày tiếp nhận",
    }
    assert plan.counts["new"] == 4 and plan.counts["rejected"] == 6
    result = office.sync.run_import(admin, path)
    assert reasons(result) == reasons(plan)
    assert codes_held(office) == {code(n) for n in (6, 7, 8, 9)}
    same_day = held(office, 7)
    assert same_day.received_at == RECEIVED
    assert same_day.result_at == same_day.returned_at == RECEIVED  # the day without a time: stored no earlier


def test_an_update_is_judged_on_the_timeline_it_would_leave(office, admin, clock, tmp_path):
    clock.set(NOW)
    first = [
        row(1, status="Đã có kết quả", finished=datetime(2025, 3, 5, 10, 0)),
        row(2, status="Đã có kết quả", finished=datetime(2025, 3, 5, 10, 0)),
        row(3),
        row(4, status="Đã có kết quả", finished=datetime(2025, 3, 5, 10, 0)),
        row(5),
    ]
    assert office.sync.run_import(admin, build_portal(tmp_path / "a.xlsx", first)).counts["new"] == 5
    # our own data out of order (as an import before this check could leave it): case 5's result before receipt
    with office.db.write() as s:
        table = Case.__table__
        s.execute(
            update(table)
            .where(table.c.code == code(5))
            .values(status=Status.RESULT_READY, is_open=False, result_at=datetime(2025, 3, 1, 10, 0))
        )
    later = [
        # only a hand-back, earlier than the result we hold
        row(1, status="Đã trả kết quả", returned=datetime(2025, 3, 4, 9, 0)),
        # a receipt moved after the result we hold
        row(2, status="Đã có kết quả", received=datetime(2025, 3, 6, 8, 0), due=datetime(2025, 3, 11, 8, 0)),
        # a result dated (no time) on the day of the receipt held at 08:30: in order
        row(3, status="Đã có kết quả", finished="03/03/2025"),
        # a hand-back dated (no time) on the day of the result held at 10:00: in order
        row(4, status="Đã trả kết quả", finished=datetime(2025, 3, 5, 10, 0), returned="05/03/2025"),
        # nothing new about dates (a new phone number): our out-of-order result is not the file's doing
        row(5, status="Đã có kết quả", phone="0912000111"),
    ]
    path = build_portal(tmp_path / "b.xlsx", later)
    plan = office.sync.plan_import(admin, path)
    assert reasons(plan) == {4: "Dòng 4: Ngày trả kết quả trước ngày có kết quả",
                             5: "Dòng 5: Ngày có kết quả trước ngày tiếp nhận"}  # fmt: skip
    assert plan.counts["updated"] == 3 and plan.counts["rejected"] == 2
    office.sync.run_import(admin, path)
    one, two = held(office, 1), held(office, 2)
    assert one.status == Status.RESULT_READY and one.returned_at is None  # as it was
    assert two.received_at == RECEIVED
    assert held(office, 3).result_at == RECEIVED  # "03/03/2025" on the receipt's day, stored no earlier than it
    # the hand-back's day without a time, stored no earlier than the result of that day
    assert held(office, 4).status == Status.RETURNED and held(office, 4).returned_at == datetime(2025, 3, 5, 10, 0)
    assert held(office, 5).applicant_phone == "0912000111"


def test_an_update_bringing_a_future_result_is_refused(office, admin, clock, tmp_path):
    clock.set(NOW)
    office.sync.run_import(admin, build_portal(tmp_path / "a.xlsx", [row(1)]))
    path = build_portal(tmp_path / "b.xlsx", [row(1, status="Đã có kết quả", finished="11/03/2025")])
    plan = office.sync.plan_import(admin, path)
    assert reasons(plan) == {4: "Dòng 4: Ngày có kết quả ở tương lai"}
    office.sync.run_import(admin, path)
    assert held(office, 1).result_at is None and held(office, 1).status == Status.PROCESSING


def test_a_row_with_several_problems_names_each_of_them(office, admin, clock, tmp_path):
    """The person correcting a refused row mends it in one pass: every problem the matcher sees is in the reason,
    not only the first (a name too long, a due before the receipt, a result before the receipt and a hand-back
    in the future, all on one row)."""
    clock.set(NOW)
    rows = [
        row(1, applicant="Nguyễn " * 40, status="Đã trả kết quả", due=datetime(2025, 3, 1, 8, 0),
            finished=datetime(2025, 3, 2, 10, 0), returned=datetime(2025, 3, 12, 9, 0)),
        row(2, status="Đã trả kết quả", finished=datetime(2025, 3, 11, 10, 0), returned=datetime(2025, 3, 2, 9, 0)),
        row(3),
    ]  # fmt: skip
    path = build_portal(tmp_path / "nhieu.xlsx", rows)
    plan = office.sync.plan_import(admin, path)
    assert reasons(plan) == {
        4: "Dòng 4: Người nộp dài quá 255 ký tự; Ngày hẹn trả trước ngày tiếp nhận; "
           "Ngày có kết quả trước ngày tiếp nhận; Ngày trả kết quả ở tương lai",
        5: "Dòng 5: Ngày có kết quả ở tương lai; Ngày trả kết quả trước ngày tiếp nhận; "
           "Ngày trả kết quả trước ngày có kết quả",
    }
    assert plan.counts["new"] == 1 and plan.counts["rejected"] == 2
    assert reasons(office.sync.run_import(admin, path)) == reasons(plan)
    assert codes_held(office) == {code(3)}


def test_rows_the_matcher_refuses_have_the_outcome_rejected(office, admin, clock, tmp_path):
    """The reader leaves the rows it refuses out of the file's rows; the matcher's stay among them (the preview
    shows them), so the plan says what becomes of them: refused, as the rows listed with their reasons."""
    clock.set(NOW)
    rows = [
        row(1),
        row(2, due=datetime(2025, 3, 2, 8, 30)),                                   # due before receipt
        row(3, status="Đã có kết quả", finished=datetime(2025, 3, 2, 15, 0)),      # result before receipt
        row(4, received="31/02/2025"),                                             # the reader refuses it
        row(5),
    ]  # fmt: skip
    plan = office.sync.plan_import(admin, build_portal(tmp_path / "xem.xlsx", rows))
    assert sorted(reasons(plan)) == [5, 6, 7]
    assert [(r.code, plan.outcomes.get(r.code)) for r in plan.preview(20)] == [
        (code(1), "new"),
        (code(2), "rejected"),
        (code(3), "rejected"),
        (code(5), "new"),
    ]
    assert plan.counts["new"] == 2 and plan.counts["rejected"] == 3
    result = office.sync.run_import(admin, plan)
    assert sorted(reasons(result)) == [5, 6, 7] and codes_held(office) == {code(1), code(5)}


def test_a_status_that_says_only_overdue_and_a_twelve_hour_time_import(office, admin, tmp_path, clock):
    """The portal lists overdue cases as "Hồ sơ quá hạn", and Windows in Vietnamese writes "2:30:00 CH": the
    rows were refused; the dates now say what became of the case."""
    clock.set(NOW)
    rows = [row(1, status="Hồ sơ quá hạn"),
            row(2, status="Quá hạn", finished="07/03/2025 2:30:00 CH"),
            row(3, received="03/03/2025 9:15:00 SA")]  # fmt: skip
    result = office.sync.run_import(admin, build_portal(tmp_path / "qua_han.xlsx", rows))
    assert result.counts["new"] == 3 and not result.rejected
    assert held(office, 1).is_open
    finished = held(office, 2)
    assert finished.status == Status.RESULT_READY and finished.result_at == datetime(2025, 3, 7, 14, 30)
    assert held(office, 3).received_at == datetime(2025, 3, 3, 9, 15)


def test_a_date_without_a_time_never_replaces_the_time_we_hold_on_that_day(office, admin, tmp_path, clock):
    """The re-check of the sync audit: a later file writing the receipt as "03/03/2025" turned our 08:30 into
    midnight. The same day without a time says nothing new; another day, or a time, still updates."""
    clock.set(NOW)
    office.sync.run_import(admin, build_portal(tmp_path / "a.xlsx", [row(1), row(2)]))
    again = [row(1, received="03/03/2025", due="06/03/2025 08:30"),
             row(2, received="03/03/2025", due="06/03/2025 08:30", phone="0905999888")]  # fmt: skip
    plan = office.sync.plan_import(admin, build_portal(tmp_path / "b.xlsx", again))
    assert (plan.counts["unchanged"], plan.counts["updated"]) == (1, 1)
    office.sync.run_import(admin, plan)
    assert held(office, 1).received_at == held(office, 2).received_at == RECEIVED
    assert held(office, 2).applicant_phone == "0905999888"


def test_a_result_dated_the_receipts_day_is_stored_no_earlier_than_the_receipt(office, admin, tmp_path, clock):
    """The re-check of the sync audit: "03/03/2025" as the result of a case received 03/03 08:30 was stored at
    00:00, hours before its receipt. It is judged no earlier (`date_problems`) and now stored no earlier."""
    clock.set(NOW)
    rows = [row(1, status="Đã trả kết quả", finished="03/03/2025", returned="03/03/2025"), row(2)]
    office.sync.run_import(admin, build_portal(tmp_path / "a.xlsx", rows))
    first = held(office, 1)
    assert first.result_at == first.returned_at == RECEIVED
    later = [row(2, status="Đã có kết quả", finished="03/03/2025")]
    office.sync.run_import(admin, build_portal(tmp_path / "b.xlsx", later))
    assert held(office, 2).result_at == RECEIVED
    again = office.sync.plan_import(admin, build_portal(tmp_path / "c.xlsx", later))
    assert again.counts["unchanged"] == 1  # the same file again changes nothing


def test_a_tcvn3_file_that_cannot_write_a_toned_capital_changes_no_name(office, admin, clock, tmp_path):
    """TCVN3 (ABC) has no "Á": a TCVN3 export of a case we hold as "Trần Ngọc Ánh" says "Trần Ngọc ánh", and
    updated the name to that. A file that capitalises a name we hold in small letters still corrects it."""
    from portal_files import encode_tcvn3

    clock.set(NOW)
    office.sync.run_import(admin, build_portal(tmp_path / "a.xlsx", [row(1, applicant="Trần Ngọc Ánh"),
                                                                    row(2, applicant="Lê thị ánh")]))
    legacy = [row(1, applicant=encode_tcvn3("Trần Ngọc ánh")), row(2, applicant="Lê Thị Ánh")]
    path = build_portal(tmp_path / "b.xlsx", legacy, fonts={(0, 2): ".VnTime"})
    result = office.sync.run_import(admin, path)
    assert result.counts["unchanged"] == 1 and result.counts["updated"] == 1
    assert held(office, 1).applicant_name == "Trần Ngọc Ánh" and held(office, 2).applicant_name == "Lê Thị Ánh"
