"""Conflicts judged against what the portal last showed (`Case.synced_values`, migration 0010): a desk change
the portal has not seen, a portal change to another column, partial takes, and the statuses a file rules out."""

from __future__ import annotations

from datetime import datetime

import openpyxl
import pytest
from portal_files import build_portal, row
from sqlalchemy import select

from tthc_desk.domain import Status
from tthc_desk.services.integrity import check_database
from tthc_desk.services.ledger import verify_events
from tthc_desk.storage.models import Case
from tthc_desk.sync.plan import TAKE_FILE


def cases(services) -> dict[str, Case]:
    with services.db.read() as s:
        return {c.code: c for c in s.execute(select(Case)).scalars()}


def test_a_desk_change_the_portal_has_not_seen_is_kept_without_asking(office, admin, desk_user, tmp_path):
    """The desk corrects a case after importing it (in the same minute): the portal's file, still holding what
    it was sent, brings nothing new. The correction is kept and the case is not listed as a conflict (it would
    be, every morning, for every case the desk had moved on); it stays to be sent with the next export."""
    path = build_portal(tmp_path / "p.xlsx", [row(1, phone="0905000001")])
    office.sync.run_import(admin, path)
    code = next(iter(cases(office)))
    office.workflow.correct_details(desk_user, code, "số mới", applicant_phone="0905000009")
    plan = office.sync.plan_import(admin, path)
    assert (plan.counts["conflict"], plan.counts["updated"], plan.counts["stale"]) == (0, 0, 1)
    assert plan.outcomes[code] == "stale"
    office.sync.run_import(admin, plan)
    assert cases(office)[code].applicant_phone == "0905000009"
    assert office.sync.export_changed(admin, tmp_path / "len-cong.xlsx") == 1  # still to be sent


@pytest.mark.parametrize(("changes", "column"), [
    ({"phone": "0905000002"}, "applicant_phone"),  # the portal changed the column the desk changed, otherwise
    ({"address": "Thôn 9, xã An Bình"}, "applicant_address"),  # the portal changed another column
])  # fmt: skip
def test_a_case_both_sides_changed_is_still_a_conflict(office, admin, desk_user, tmp_path, changes, column):
    office.sync.run_import(admin, build_portal(tmp_path / "p.xlsx", [row(1, phone="0905000001")]))
    code = next(iter(cases(office)))
    office.workflow.correct_details(desk_user, code, "số mới", applicant_phone="0905000009")
    plan = office.sync.plan_import(admin, build_portal(tmp_path / "q.xlsx", [row(1, **{"phone": "0905000001", **changes})]))
    assert plan.counts["conflict"] == 1 and plan.counts["stale"] == 0
    assert column in plan.conflicts[0].changes
    office.sync.run_import(admin, plan)
    assert cases(office)[code].applicant_phone == "0905000009"  # ours is kept unless the user takes the file's


def test_taking_the_portals_change_keeps_the_desks_newer_columns(office, admin, desk_user, tmp_path):
    """The desk corrected the phone; the portal changed the address and still holds the old phone. The conflict
    is about the address only; taking the file takes the address and keeps the desk's phone (it used to put the
    old number back). The case stays to be sent; the same file again has nothing new."""
    office.sync.run_import(admin, build_portal(tmp_path / "p.xlsx", [row(1, phone="0905000001")]))
    code = next(iter(cases(office)))
    office.workflow.correct_details(desk_user, code, "số mới", applicant_phone="0905000009")
    path = build_portal(tmp_path / "q.xlsx", [row(1, phone="0905000001", address="Thôn 9, xã An Bình")])
    plan = office.sync.plan_import(admin, path)
    (conflict,) = plan.conflicts
    assert list(conflict.changes) == ["applicant_address"] and conflict.kept == ("applicant_phone",)
    assert conflict.as_dict()["kept_ours"] == ["applicant_phone"]
    office.sync.run_import(admin, plan, {code: TAKE_FILE})
    case = cases(office)[code]
    assert (case.applicant_address, case.applicant_phone) == ("Thôn 9, xã An Bình", "0905000009")
    assert office.sync.plan_import(admin, path).outcomes[code] == "stale"
    assert office.sync.export_changed(admin, tmp_path / "len-cong.xlsx") == 1
    with office.db.read() as s:
        assert verify_events(s) == []


def test_a_case_moved_on_since_the_export_is_not_put_back_by_the_portals_copy(office, admin, register, desk_user,
                                                                              specialist, units, clock, tmp_path):
    """The desk sends a case to the portal, then hands it to a unit and records its result. The portal's next
    file still says "Đang xử lý" with no result: nothing new, not a conflict, and the result stays."""
    code = register("Nguyễn Văn An").code
    sent = tmp_path / "len-cong.xlsx"
    assert office.sync.export_changed(admin, sent) == 1
    office.workflow.transfer(desk_user, code, units["tu_phap"])
    clock.advance(hours=3)
    office.workflow.record_result(specialist, code)
    plan = office.sync.plan_import(admin, sent)
    assert (plan.counts["conflict"], plan.counts["stale"], plan.counts["updated"]) == (0, 1, 0)
    office.sync.run_import(admin, plan)
    case = cases(office)[code]
    assert case.status == Status.RESULT_READY and case.result_at is not None


def test_the_portal_going_back_after_agreeing_is_a_conflict(office, admin, desk_user, tmp_path):
    """A file showing the desk's new value (unchanged) says what the portal holds now: a later file going back
    to the old value is the portal changing it again, not "nothing new" (the snapshot of the older sync would
    have said so)."""
    office.sync.run_import(admin, build_portal(tmp_path / "p.xlsx", [row(1, phone="0905000001")]))
    code = next(iter(cases(office)))
    office.workflow.correct_details(desk_user, code, "số mới", applicant_phone="0905000009")
    plan = office.sync.plan_import(admin, build_portal(tmp_path / "q.xlsx", [row(1, phone="0905000009")]))
    assert plan.outcomes[code] == "unchanged"
    office.sync.run_import(admin, plan)
    back = office.sync.plan_import(admin, build_portal(tmp_path / "r.xlsx", [row(1, phone="0905000001")]))
    assert back.outcomes[code] == "conflict"
    assert back.conflicts[0].changes["applicant_phone"] == ("0905000009", "0905000001")


def test_a_kept_conflict_is_asked_again_by_the_next_file_that_holds_it(office, admin, desk_user, tmp_path):
    """Keeping ours turns the portal's value down for this run only: the same file tomorrow asks again (and may
    then be taken), rather than reading as an older file whose values the desk has moved on from."""
    office.sync.run_import(admin, build_portal(tmp_path / "p.xlsx", [row(1, phone="0905000001")]))
    code = next(iter(cases(office)))
    office.workflow.correct_details(desk_user, code, "số mới", applicant_phone="0905000009")
    portal = build_portal(tmp_path / "q.xlsx", [row(1, phone="0905000001", address="Thôn 9, xã An Bình")])
    office.sync.run_import(admin, portal)
    assert cases(office)[code].applicant_address == "Thôn 1, xã An Bình"
    again = office.sync.plan_import(admin, portal)
    assert again.outcomes[code] == "conflict" and list(again.conflicts[0].changes) == ["applicant_address"]
    office.sync.run_import(admin, again, {code: TAKE_FILE})
    case = cases(office)[code]
    assert (case.applicant_address, case.applicant_phone) == ("Thôn 9, xã An Bình", "0905000009")


def test_what_the_portal_saw_is_kept_once_per_sync(office, admin, desk_user, tmp_path):
    """The first desk change after a sync keeps the synced values; later changes leave them; the next sync's
    first change keeps that sync's values (an older snapshot is never read for a newer sync)."""
    from tthc_desk.storage.models import synced_values

    office.sync.run_import(admin, build_portal(tmp_path / "p.xlsx", [row(1, phone="0905000001")]))
    code = next(iter(cases(office)))

    def seen() -> dict | None:
        with office.db.read() as s:
            held = s.execute(select(Case.synced_version, Case.synced_values).where(Case.code == code)).one()
        return synced_values(dict(held._mapping))

    assert seen() is None  # nothing changed since the import
    office.workflow.correct_details(desk_user, code, "số mới", applicant_phone="0905000009")
    office.workflow.correct_details(desk_user, code, "số mới", applicant_phone="0905000010")
    assert seen()["applicant_phone"] == "0905000001" and seen()["received_at"] == datetime(2025, 3, 3, 8, 30)
    office.sync.export_changed(admin, tmp_path / "len-cong.xlsx")
    assert seen() is None  # the snapshot names the older sync
    office.workflow.correct_details(desk_user, code, "địa chỉ", applicant_address="Thôn 2, xã An Bình")
    assert seen()["applicant_phone"] == "0905000010"


@pytest.mark.parametrize("how", ["update", "conflict taken"])
def test_an_open_status_from_the_portal_clears_the_result_we_hold(office, admin, register, specialist, units,
                                                                 desk_user, clock, tmp_path, how):
    """The portal reopens a case ("Chờ bổ sung", no result date) that we hold with a result: taking it used to
    leave an open case with a result moment (counted resolved by the reports, open in the queue). As an update
    (the portal has seen our result) and as a conflict taken (the desk recorded the result since)."""
    code = register("Nguyễn Văn An").code
    office.workflow.transfer(desk_user, code, units["tu_phap"])
    sent = tmp_path / "len-cong.xlsx"
    if how == "update":
        clock.advance(hours=2)
        office.workflow.record_result(specialist, code)
        office.sync.export_changed(admin, sent)
    else:
        office.sync.export_changed(admin, sent)
        clock.advance(hours=2)
        office.workflow.record_result(specialist, code)
    book = openpyxl.load_workbook(sent)
    sheet = book.active
    headers = [c.value for c in sheet[4]]
    sheet.cell(5, headers.index("Trạng thái") + 1, "Chờ bổ sung")  # the portal asked for papers meanwhile
    sheet.cell(5, headers.index("Ngày có kết quả") + 1).value = None
    reopened = tmp_path / "cong.xlsx"
    book.save(reopened)
    plan = office.sync.plan_import(admin, reopened)
    changes = (plan.updates if how == "update" else plan.conflicts)[0].changes
    assert changes["status"][1] == "waiting_supplement" and changes["result_at"][1] is None
    office.sync.run_import(admin, plan, {code: TAKE_FILE})
    case = cases(office)[code]
    assert case.status == Status.WAITING_SUPPLEMENT and case.is_open and case.result_at is None
    assert check_database(office) == []


def test_the_columns_kept_for_a_sync_are_the_columns_an_import_compares():
    from tthc_desk.storage.models import SYNCED_COLUMNS
    from tthc_desk.sync.plan import CASE_FIELDS

    assert sorted(SYNCED_COLUMNS) == sorted(CASE_FIELDS)


def _portal_copy(sent, path, **cells):
    """The exported workbook as the portal gives it back, with these cells (by header) changed; None empties."""
    book = openpyxl.load_workbook(sent)
    sheet = book.active
    headers = [c.value for c in sheet[4]]
    for header, value in cells.items():
        sheet.cell(5, headers.index(header) + 1).value = value
    book.save(path)
    return path


def test_a_taken_conflict_stays_to_be_sent_with_what_the_file_left_out(office, admin, register, desk_user, clock,
                                                                       tmp_path):
    """The desk's apology with a new appointment, which the portal's file does not carry ("Ngày hẹn lại" empty:
    it says nothing): taking the portal's new phone keeps the extension and leaves the case to be sent, or the
    new appointment would never reach the portal."""
    code = register("Nguyễn Văn An", applicant_phone="0905000001").code
    sent = tmp_path / "len-cong.xlsx"
    office.sync.export_changed(admin, sent)
    new_due = cases(office)[code].due_at.replace(day=cases(office)[code].due_at.day + 3)
    office.workflow.extend(desk_user, code, "Cần xác minh thêm", new_due)
    portal = _portal_copy(sent, tmp_path / "cong.xlsx", **{"Điện thoại": "0905000002"})
    plan = office.sync.plan_import(admin, portal)
    assert list(plan.conflicts[0].changes) == ["applicant_phone"]
    office.sync.run_import(admin, plan, {code: TAKE_FILE})
    case = cases(office)[code]
    assert (case.applicant_phone, case.due_at, case.extension_count) == ("0905000002", new_due, 1)
    again = tmp_path / "lan-2.xlsx"
    assert office.sync.export_changed(admin, again) == 1
    headers = [c.value for c in openpyxl.load_workbook(again).active[4]]
    assert openpyxl.load_workbook(again).active.cell(5, headers.index("Ngày hẹn lại") + 1).value == new_due


def test_the_portals_result_date_is_taken_without_undoing_the_desks_hand_back(office, admin, register, desk_user,
                                                                              specialist, units, clock, tmp_path):
    """The desk handed the result back; the portal, still at "Đã có kết quả", corrected the result's time. The
    conflict is about that time only: the hand-back (newer, ours) stays, status and moment together."""
    code = register("Nguyễn Văn An").code
    office.workflow.transfer(desk_user, code, units["tu_phap"])
    clock.advance(hours=2)
    office.workflow.record_result(specialist, code)
    sent = tmp_path / "len-cong.xlsx"
    office.sync.export_changed(admin, sent)
    clock.advance(hours=1)
    office.workflow.return_result(desk_user, code)
    result_at = cases(office)[code].result_at
    portal = _portal_copy(sent, tmp_path / "cong.xlsx", **{"Ngày có kết quả": result_at.replace(minute=5)})
    plan = office.sync.plan_import(admin, portal)
    (conflict,) = plan.conflicts
    assert list(conflict.changes) == ["result_at"] and set(conflict.kept) == {"status", "returned_at"}
    office.sync.run_import(admin, plan, {code: TAKE_FILE})
    case = cases(office)[code]
    assert case.status == Status.RETURNED and case.returned_at is not None
    assert case.result_at == result_at.replace(minute=5)
    assert check_database(office) == []


def test_a_status_taken_brings_the_moments_it_rules_out_as_empty(office, admin, register, desk_user, clock,
                                                                tmp_path):
    """The desk refused the case; the portal gave a result. Taking the portal's status clears our closing moment
    (a case with a result is not closed by a refusal), where it used to stay beside the result."""
    code = register("Nguyễn Văn An").code
    sent = tmp_path / "len-cong.xlsx"
    office.sync.export_changed(admin, sent)
    clock.advance(hours=1)
    office.workflow.refuse(desk_user, code, "Không thuộc thẩm quyền")
    finished = cases(office)[code].received_at.replace(hour=15, minute=0)
    portal = _portal_copy(sent, tmp_path / "cong.xlsx", **{"Trạng thái": "Đã có kết quả", "Ngày có kết quả": finished})
    plan = office.sync.plan_import(admin, portal)
    assert set(plan.conflicts[0].changes) == {"status", "result_at", "closed_at"}
    office.sync.run_import(admin, plan, {code: TAKE_FILE})
    case = cases(office)[code]
    assert (case.status, case.result_at, case.closed_at) == (Status.RESULT_READY, finished, None)
    assert check_database(office) == []


def test_a_unit_the_import_will_create_is_named_in_a_conflict(office, admin, desk_user, tmp_path):
    from tthc_desk.sync.plan import changes_text

    office.sync.run_import(admin, build_portal(tmp_path / "p.xlsx", [row(1)]))
    code = next(iter(cases(office)))
    office.workflow.correct_details(desk_user, code, "số mới", applicant_phone="0905000009")
    plan = office.sync.plan_import(admin, build_portal(tmp_path / "q.xlsx", [row(1, unit="UBND xã Mới Lập")]))
    (conflict,) = plan.conflicts
    assert changes_text(conflict.changes, plan.unit_names) == "Đơn vị: Phòng Tư pháp → UBND xã Mới Lập (đơn vị mới)"


def test_a_change_of_unit_is_named_after_an_unknown_unit_is_settled(office, admin, desk_user, units, tmp_path):
    """Settling an unknown unit plans again (`revise_plan`): the update's and the conflict's change of unit then
    read "Đơn vị: #2 → #3", the user deciding a conflict from ids (audit 9, D4). The revised plan names them as
    the first one does."""
    from tthc_desk.sync.plan import changes_text

    office.sync.run_import(admin, build_portal(tmp_path / "a.xlsx", [row(1), row(3, phone="0905000001")]))
    office.workflow.correct_details(desk_user, "000.00.17.H10-250303-0003", "số mới", applicant_phone="0905000009")
    tnmt = "Phòng Tài nguyên và Môi trường"
    later = build_portal(tmp_path / "b.xlsx", [row(1, unit=tnmt), row(3, phone="0905000001", unit=tnmt),
                                               row(4, unit="Phòng Văn hóa")])
    plan = office.sync.plan_import(admin, later)
    revised = office.sync.revise_plan(admin, plan, unit_map={"Phòng Văn hóa": units["tnmt"]})
    assert not plan.importable and revised.importable
    for shown in (plan, revised):
        (update,), (conflict,) = shown.updates, shown.conflicts
        assert changes_text(update.changes, shown.unit_names) == f"Đơn vị: Phòng Tư pháp → {tnmt}"
        assert changes_text(conflict.changes, shown.unit_names) == f"Đơn vị: Phòng Tư pháp → {tnmt}"


def test_a_portal_file_made_before_our_upload_does_not_put_the_desks_change_back(office, admin, desk_user, tmp_path):
    """The officer downloads the portal's file, uploads the desk's changes, then imports the file downloaded
    first: it still holds the phone number the desk corrected. That is no change from the portal (it used to be
    an update, putting the wrong number back without a word); a real change from the portal is still taken."""
    first = build_portal(tmp_path / "p.xlsx", [row(1, phone="0905000001")])
    office.sync.run_import(admin, first)
    code = next(iter(cases(office)))
    office.workflow.correct_details(desk_user, code, "số mới", applicant_phone="0905000009")
    assert office.sync.export_changed(admin, tmp_path / "len-cong.xlsx") == 1
    plan = office.sync.plan_import(admin, first)
    assert plan.outcomes[code] == "stale"
    office.sync.run_import(admin, plan)
    assert cases(office)[code].applicant_phone == "0905000009"
    assert office.sync.export_changed(admin, tmp_path / "lan-2.xlsx") == 0  # still synced: nothing to send again
    changed = office.sync.plan_import(admin, build_portal(tmp_path / "q.xlsx", [row(1, phone="0905000002")]))
    assert changed.outcomes[code] == "updated"


def test_a_portal_file_made_before_our_upload_is_older_after_a_further_desk_change(office, admin, desk_user,
                                                                                    tmp_path):
    """As above, but the desk changes the case again after the upload (another column): the file downloaded
    before the upload still holds the phone number the desk corrected, so it is older than the upload, not a
    conflict (it used to be one, offering to put the wrong number back). A file with a real portal change after
    that is still a conflict about that change only."""
    first = build_portal(tmp_path / "p.xlsx", [row(1, phone="0905000001")])
    office.sync.run_import(admin, first)
    code = next(iter(cases(office)))
    office.workflow.correct_details(desk_user, code, "số mới", applicant_phone="0905000009")
    assert office.sync.export_changed(admin, tmp_path / "len-cong.xlsx") == 1
    office.workflow.correct_details(desk_user, code, "email", applicant_email="dan@example.vn")
    plan = office.sync.plan_import(admin, first)
    assert plan.outcomes[code] == "stale" and not plan.conflicts
    office.sync.run_import(admin, plan)
    case = cases(office)[code]
    assert (case.applicant_phone, case.applicant_email) == ("0905000009", "dan@example.vn")
    moved = build_portal(tmp_path / "q.xlsx", [row(1, phone="0905000009", address="Thôn 9, xã An Bình")])
    (conflict,) = office.sync.plan_import(admin, moved).conflicts
    assert set(conflict.changes) == {"applicant_address"}
    assert office.sync.export_changed(admin, tmp_path / "lan-2.xlsx") == 1  # the email is still to be sent
