"""The dry run, the real run, re-import, unknowns, conflicts, remembered mappings, all-or-nothing."""

from __future__ import annotations

from datetime import datetime

import openpyxl
import pytest
from portal_files import KH, KS, build_portal, db_fingerprint, row
from sqlalchemy import select

from tthc_desk.domain import Status
from tthc_desk.errors import ImportFailed
from tthc_desk.services.integrity import check_database
from tthc_desk.services.ledger import verify_events
from tthc_desk.services.queue import QueueFilter
from tthc_desk.storage.models import Case, CaseEvent, ImportMapping, Procedure, Unit
from tthc_desk.sync.columns import ColumnMapping
from tthc_desk.sync.plan import CREATE, TAKE_FILE
from tthc_desk.sync.reader import ImportCancelled


def cases(services) -> dict[str, Case]:
    with services.db.read() as s:
        return {c.code: c for c in s.execute(select(Case)).scalars()}


def test_dry_run_counts_rejects_and_writes_nothing(office, admin, quirky_file):
    before = db_fingerprint(office)
    plan = office.sync.plan_import(admin, quirky_file)
    assert plan.header_row == 3 and plan.mapping_source == "auto"
    assert plan.counts == {"new": 8, "updated": 0, "unchanged": 0, "conflict": 0, "stale": 0, "rejected": 2}
    reasons = {r.row_number: r.reason for r in plan.rejected}
    assert set(reasons) == {10, 11}  # data rows 7 and 8 sit on sheet rows 10 and 11
    assert "trùng với dòng 4" in reasons[10] and "Ngày tiếp nhận" in reasons[11]
    assert plan.encodings.get("tcvn3") == 1 and plan.encodings.get("vni") == 1
    assert [r.applicant for r in plan.preview(6)][3:6] == ["Trần Thị Bích", "Lê Văn Đức", "Phạm Thị Hường"]
    assert not plan.fatal and not plan.unknown_units and not plan.unknown_procedures
    assert db_fingerprint(office) == before


def test_real_run_keeps_the_portal_dates_and_statuses(office, admin, quirky_file, units):
    result = office.sync.run_import(admin, quirky_file)
    assert result.counts["new"] == 8 and len(result.rejected) == 2
    got = cases(office)
    first = got["000.00.17.H10-250303-0001"]
    assert first.source == "import" and first.status == Status.PROCESSING and first.is_open
    assert first.original_due_at == first.due_at == datetime(2025, 3, 6, 8, 30)
    assert first.warn_at is not None and first.warn_at < first.due_at
    assert first.lead_unit_id == units["tu_phap"] and first.synced_at == first.updated_at
    assert got["000.00.17.H10-250303-0002"].received_at == datetime(2025, 3, 3, 9, 15)
    assert got["000.00.17.H10-250303-0003"].received_at == datetime(2025, 3, 3, 10, 0)  # serial date
    done = got["000.00.17.H10-250303-0006"]  # "Hoàn thành" with a return date
    assert done.status == Status.RETURNED and not done.is_open and done.applicant_name == "Phạm Thị Hường"
    assert done.result_at == datetime(2025, 3, 4, 15, 0) and done.returned_at == datetime(2025, 3, 5, 9, 0)
    empty_status = got["000.00.17.H10-250303-0009"]
    assert empty_status.status == Status.RESULT_READY and empty_status.result_at == datetime(2025, 3, 4, 10, 0)
    refused = got["000.00.17.H10-250303-0010"]
    assert refused.status == Status.REFUSED and refused.closed_at == datetime(2025, 3, 3, 11, 0)
    assert refused.result_at is None
    with office.db.read() as s:
        kinds = s.execute(select(CaseEvent.kind)).scalars().all()
        assert kinds == ["imported"] * 8 and verify_events(s) == []
    assert check_database(office) == []  # the chained events and the audit chain verify, nothing else amiss
    found = office.queue.list(admin, QueueFilter(text="tran thi bich", open_only=False))
    assert [r.code for r in found] == ["000.00.17.H10-250303-0004"]


def test_importing_the_same_file_twice_changes_nothing(office, admin, quirky_file):
    office.sync.run_import(admin, quirky_file)
    before = db_fingerprint(office)
    plan = office.sync.plan_import(admin, quirky_file)
    assert plan.counts["unchanged"] == 8 and plan.counts["new"] == plan.counts["updated"] == 0
    result = office.sync.run_import(admin, plan)
    assert result.counts["unchanged"] == 8
    # only the audit line of the second import differs
    with office.db.read() as s:
        assert s.execute(select(CaseEvent)).scalars().all().__len__() == 8
    assert db_fingerprint(office) != before  # the audit entry "import_cases" is the one change


def test_newer_file_updates_a_synced_case(office, admin, tmp_path):
    first = build_portal(tmp_path / "a.xlsx", [row(1)])
    office.sync.run_import(admin, first)
    later = build_portal(tmp_path / "b.xlsx", [row(1, status="Đã trả kết quả", finished=datetime(2025, 3, 5, 9, 0),
                                                    returned=datetime(2025, 3, 5, 14, 0))])
    plan = office.sync.plan_import(admin, later)
    assert plan.counts["updated"] == 1
    office.sync.run_import(admin, plan)
    case = cases(office)["000.00.17.H10-250303-0001"]
    assert case.status == Status.RETURNED and not case.is_open and case.version == 2
    assert case.portal_updated_at == datetime(2025, 3, 5, 14, 0)
    # the older file, read again, is older than what we hold: nothing is rolled back
    stale = office.sync.plan_import(admin, first)
    assert stale.counts["stale"] == 1 and stale.counts["updated"] == 0
    with office.db.read() as s:
        assert verify_events(s) == []
    assert check_database(office) == []  # an update's second event chains onto the first


@pytest.mark.parametrize("decision", ["ours", "file"])
def test_conflicts_are_listed_and_resolved_both_ways(office, admin, register, desk_user, tmp_path, decision):
    desk = register("Nguyễn Văn An", code="000.00.17.H10-250303-0099")  # a desk case, never synced
    path = build_portal(tmp_path / "c.xlsx", [row(99, code=desk.code, applicant="Nguyễn Văn Anh")])
    plan = office.sync.plan_import(admin, path)
    assert plan.counts["conflict"] == 1
    conflict = plan.conflicts[0]
    assert conflict.code == desk.code and conflict.changes["applicant_name"] == ("Nguyễn Văn An", "Nguyễn Văn Anh")
    result = office.sync.run_import(admin, plan, {desk.code: decision})
    case = cases(office)[desk.code]
    if decision == TAKE_FILE:
        assert result.conflicts_taken == [desk.code] and case.applicant_name == "Nguyễn Văn Anh"
    else:
        assert result.conflicts_kept == [desk.code] and case.applicant_name == "Nguyễn Văn An"
    # either way the case is still to be sent: the desk changed it, and the file may leave some of that out
    assert case.synced_at is None and office.sync.export_changed(admin, tmp_path / "len-cong.xlsx") == 1
    with office.db.read() as s:
        assert verify_events(s) == []


def test_a_due_date_without_a_time_is_the_close_of_that_working_day(office, admin, tmp_path):
    """"Ngày hẹn trả 06/03/2025" (text or a date cell) is an appointment for that day: stored at midnight the
    case would show late from the first minute of its last day, and a result at 15:00 would count as late."""
    path = build_portal(tmp_path / "d.xlsx", [row(1, due="06/03/2025"), row(2, due=datetime(2025, 3, 6)),
                                              row(3, due=datetime(2025, 3, 6, 8, 30))])
    office.sync.run_import(admin, path)
    due = {c.code[-4:]: (c.due_at, c.original_due_at) for c in cases(office).values()}
    assert due == {"0001": (datetime(2025, 3, 6, 17, 0),) * 2, "0002": (datetime(2025, 3, 6, 17, 0),) * 2,
                   "0003": (datetime(2025, 3, 6, 8, 30),) * 2}
    assert office.sync.plan_import(admin, path).counts["unchanged"] == 3  # the same file again: nothing to do


def test_a_due_day_without_a_time_leaves_the_time_we_hold_on_that_day(office, admin, desk_user, tmp_path):
    """The portal writes "06/03/2025" for an appointment we hold at 08:30 that day: it says the day, so nothing
    is updated (it used to rewrite 08:30 as 17:00), and for a case the desk has changed since, it is not
    something new from the portal either (no conflict); another day is still a change."""
    moments = [datetime(2025, 3, 6, 8, 30), datetime(2025, 3, 6, 10, 0)]
    office.sync.run_import(admin, build_portal(tmp_path / "a.xlsx", [row(n + 1, due=d) for n, d in enumerate(moments)]))
    office.workflow.correct_details(desk_user, "000.00.17.H10-250303-0002", "số mới", applicant_phone="0905000009")
    plan = office.sync.plan_import(admin, build_portal(tmp_path / "b.xlsx", [row(1, due="06/03/2025"),
                                                                             row(2, due="06/03/2025")]))
    assert [plan.outcomes[f"000.00.17.H10-250303-000{n}"] for n in (1, 2)] == ["unchanged", "stale"]
    office.sync.run_import(admin, plan)
    assert sorted(c.original_due_at for c in cases(office).values()) == moments
    later = office.sync.plan_import(admin, build_portal(tmp_path / "c.xlsx", [row(1, due="07/03/2025")]))
    assert later.updates[0].changes["original_due_at"] == (moments[0], datetime(2025, 3, 7, 17, 0))


EXTENDED = ["Mã hồ sơ", "Người nộp", "Ngày nhận", "Hạn xử lý", "Ngày hẹn lại", "Chủ hồ sơ", "CCCD chủ hồ sơ",
            "Đơn vị xử lý", "Mã TTHC"]  # fmt: skip


def test_the_portals_new_appointment_and_owner_are_kept_beside_the_first(office, admin, tmp_path, units):
    """DOMAIN §4: an apology's new date is recorded as the case's one extension, the original due date still
    judges timeliness; a file naming the owner apart from the applicant keeps both persons."""
    code = "000.00.17.H10-250303-0001"
    received, due = datetime(2025, 3, 3, 8, 30), datetime(2025, 3, 6, 8, 30)
    first = [[code, "Trần Văn Dũng", received, due, None, "", "", "Phòng Tư pháp", KS]]
    office.sync.run_import(admin, build_portal(tmp_path / "a.xlsx", first, headers=EXTENDED))
    case = cases(office)[code]
    assert (case.due_at, case.extension_count, case.owner_name) == (due, 0, "Trần Văn Dũng")  # the owner: the applicant
    later = [[code, "Trần Văn Dũng", received, due, "10/03/2025", "Công ty TNHH Ánh Dương", "052190001111",
              "Phòng Tư pháp", KS]]  # fmt: skip
    plan = office.sync.plan_import(admin, build_portal(tmp_path / "b.xlsx", later, headers=EXTENDED))
    assert plan.counts["updated"] == 1
    office.sync.run_import(admin, plan)
    case = cases(office)[code]
    assert (case.original_due_at, case.due_at, case.extension_count) == (due, datetime(2025, 3, 10, 17, 0), 1)
    assert (case.owner_name, case.owner_id_number, case.applicant_name) == (
        "Công ty TNHH Ánh Dương", "052190001111", "Trần Văn Dũng")
    for words in ("Ánh Dương", "052190001111"):  # the search finds the owner
        assert office.queue.count(admin, QueueFilter(text=words, open_only=False)) == 1
    early = [[code, "Trần Văn Dũng", received, due, datetime(2025, 3, 5, 9, 0), "", "", "Phòng Tư pháp", KS]]
    plan = office.sync.plan_import(admin, build_portal(tmp_path / "c.xlsx", early, headers=EXTENDED))
    assert [r.reason for r in plan.rejected] == ["Dòng 4: Ngày hẹn lại phải sau ngày hẹn trả"]


def test_a_new_applicant_name_from_the_portal_is_the_owners_when_the_owner_was_the_applicant(office, admin, tmp_path):
    office.sync.run_import(admin, build_portal(tmp_path / "a.xlsx", [row(1, applicant="Nguyễn Văn Anh")]))
    office.sync.run_import(admin, build_portal(tmp_path / "b.xlsx", [row(1, applicant="Nguyễn Văn An")]))
    case = cases(office)["000.00.17.H10-250303-0001"]
    assert case.applicant_name == case.owner_name == "Nguyễn Văn An"


def test_the_import_takes_over_the_dry_runs_matching_when_nothing_changed(office, admin, tmp_path, monkeypatch):
    from tthc_desk.sync import service

    calls = []
    real = service.classify
    monkeypatch.setattr(service, "classify", lambda *a, **k: calls.append(1) or real(*a, **k))
    path = build_portal(tmp_path / "r.xlsx", [row(1), row(2, received="31/02/2025"), row(3)])
    result = office.sync.run_import(admin, path)
    assert calls == [1] and result.counts["new"] == 2 and result.counts["rejected"] == 1
    plan = office.sync.plan_import(admin, path)
    assert plan.counts["unchanged"] == 2 and len(calls) == 2
    assert office.sync.run_import(admin, plan).counts["unchanged"] == 2 and len(calls) == 2
    assert check_database(office) == []


def test_the_import_matches_again_when_the_database_changed_after_the_dry_run(office, admin, register, tmp_path):
    path = build_portal(tmp_path / "m.xlsx", [row(1), row(2, applicant="Nguyễn Văn Anh")])
    plan = office.sync.plan_import(admin, path)
    assert plan.counts["new"] == 2
    desk = register("Nguyễn Văn An", code="000.00.17.H10-250303-0002")  # a desk registers one of them meanwhile
    result = office.sync.run_import(admin, plan)
    assert result.counts["new"] == 1 and result.counts["conflict"] == 1 and result.conflicts_kept == [desk.code]
    assert cases(office)[desk.code].applicant_name == "Nguyễn Văn An"
    again = office.sync.plan_import(admin, path)
    office.sync.run_import(admin, again)  # the same file again: the import's own writes are seen too
    assert check_database(office) == []


def _unknown_file(tmp_path):
    return build_portal(tmp_path / "u.xlsx", [
        row(1, proc="2.000815.000.00.00.H55", proc_name="Chứng thực bản sao từ bản chính", unit="Phòng Văn hóa"),
        row(2, proc=KH + ".H13", proc_name="Đăng ký kết hôn"),  # a local variant of a known national code
    ])


def test_unknowns_are_fatal_without_a_choice(office, admin, tmp_path):
    path = _unknown_file(tmp_path)
    before = db_fingerprint(office)
    plan = office.sync.plan_import(admin, path)
    assert [u.key for u in plan.unknown_units] == ["Phòng Văn hóa"]
    assert [u.key for u in plan.unknown_procedures] == ["2.000815.000.00.00.H55"]
    assert len(plan.fatal) == 2 and not plan.importable
    with pytest.raises(ImportFailed):
        office.sync.run_import(admin, plan)
    assert db_fingerprint(office) == before


def test_create_missing_marks_them_for_review(office, admin, tmp_path):
    result = office.sync.run_import(admin, _unknown_file(tmp_path), create_missing=True)
    assert result.created_units == ["Phòng Văn hóa"] and result.created_procedures == ["2.000815.000.00.00.H55"]
    assert result.created_lines() == [  # units and procedures apart, each by its name (audit 9, L11)
        "Đã tạo đơn vị (cần xác nhận trong Danh mục): Phòng Văn hóa.",
        "Đã tạo thủ tục (cần xác nhận trong Danh mục): Chứng thực bản sao từ bản chính (mã 2.000815.000.00.00.H55).",
    ]
    with office.db.read() as s:
        unit = s.execute(select(Unit).where(Unit.name == "Phòng Văn hóa")).scalar_one()
        proc = s.execute(select(Procedure).where(Procedure.code == "2.000815.000.00.00.H55")).scalar_one()
        assert unit.needs_review and proc.needs_review and "Cần xác nhận" in proc.review_note
        case = s.execute(select(Case).where(Case.code.endswith("-0001"))).scalar_one()
        assert case.procedure_id == proc.id and case.lead_unit_id == unit.id
        kh = s.execute(select(Case).where(Case.code.endswith("-0002"))).scalar_one()
        assert kh.procedure_code == KH + ".H13"  # kept as given, linked on its national part
        assert kh.procedure_id == s.execute(select(Procedure.id).where(Procedure.code == KH)).scalar_one()


def test_unknowns_mapped_by_the_user(office, admin, tmp_path, units):
    with office.db.read() as s:
        ks_id = s.execute(select(Procedure.id).where(Procedure.code == KS)).scalar_one()
    plan = office.sync.plan_import(admin, _unknown_file(tmp_path), unit_map={"Phòng Văn hóa": units["tnmt"]},
                                   procedure_map={"2.000815.000.00.00.H55": ks_id})
    assert plan.importable
    result = office.sync.run_import(admin, plan)
    assert not result.created_units and not result.created_procedures
    case = cases(office)["000.00.17.H10-250303-0001"]
    assert case.lead_unit_id == units["tnmt"] and case.procedure_id == ks_id
    # revise_plan: the same file, other choices, no re-read
    revised = office.sync.revise_plan(admin, office.sync.plan_import(admin, _unknown_file(tmp_path)),
                                      procedure_map={"2.000815.000.00.00.H55": CREATE})
    assert [u.resolution for u in revised.unknown_procedures] == [CREATE]


def _two_spellings(tmp_path):
    return build_portal(tmp_path / "hai_cach.xlsx", [
        row(1, unit="Phòng Văn hóa", proc="", proc_name="Cấp giấy phép xây dựng"),
        row(2, unit="phòng văn hoá", proc="", proc_name="CẤP GIẤY PHÉP XÂY DỰNG"),  # the other tone placement
    ])  # fmt: skip


def test_a_unit_or_procedure_written_two_ways_is_one_to_settle_and_one_created(office, admin, tmp_path):
    """"Phòng Văn hóa" and "phòng văn hoá" were two unknown units (keyed as written, where the catalogue matches
    names folded): "Tạo mới" on both created two units, and the next import found only one (audit 9, D6). They
    are one, shown and created as first written; likewise a procedure the file names without a code, whose
    reason no longer shows the internal key ("Thủ tục 'tên: …'", L11)."""
    plan = office.sync.plan_import(admin, _two_spellings(tmp_path))
    assert [(u.key, u.rows) for u in plan.unknown_units] == [("Phòng Văn hóa", [4, 5])]
    assert [(p.key, p.name, p.rows) for p in plan.unknown_procedures] == [("Cấp giấy phép xây dựng",) * 2 + ([4, 5],)]
    assert plan.fatal == [
        "Đơn vị 'Phòng Văn hóa' chưa có trong danh sách đơn vị (2 dòng): hãy chọn đơn vị có sẵn hoặc tạo mới.",
        "Thủ tục 'Cấp giấy phép xây dựng' (tệp không ghi mã) chưa có trong danh mục (2 dòng): hãy chọn thủ tục có"
        " sẵn hoặc tạo mới (cần xác nhận).",
    ]
    result = office.sync.run_import(admin, office.sync.revise_plan(admin, plan, create_missing=True))
    assert result.created_units == ["Phòng Văn hóa"] and len(result.created_procedures) == 1
    with office.db.read() as s:
        assert s.execute(select(Unit.name).where(Unit.needs_review)).scalars().all() == ["Phòng Văn hóa"]
        (proc,) = s.execute(select(Procedure).where(Procedure.needs_review)).scalars().all()
        assert (proc.name, proc.field) == ("Cấp giấy phép xây dựng", "Hộ tịch") and proc.code.startswith("TAM-")
    assert result.created_lines()[1] == ("Đã tạo thủ tục (cần xác nhận trong Danh mục): Cấp giấy phép xây dựng"
                                         f" (mã tạm {proc.code}).")  # not the made-up code alone
    held = cases(office)
    assert {c.lead_unit_id for c in held.values()} == {held["000.00.17.H10-250303-0001"].lead_unit_id}
    assert {c.procedure_id for c in held.values()} == {proc.id}
    again = office.sync.plan_import(admin, _two_spellings(tmp_path))  # both spellings now find what was created
    assert again.importable and again.counts["unchanged"] == 2


@pytest.mark.parametrize("unit_key, procedure_key", [
    ("Phòng Văn hóa", "Cấp giấy phép xây dựng"),  # as shown
    ("PHÒNG VĂN HOÁ", "cấp giấy phép xây dựng"),  # as written elsewhere, or typed
    ("phòng văn hoá", "tên: Cấp giấy phép xây dựng"),  # the key the command line once showed
])  # fmt: skip
def test_a_choice_settles_every_spelling_of_its_name(office, admin, tmp_path, units, unit_key, procedure_key):
    with office.db.read() as s:
        ks_id = s.execute(select(Procedure.id).where(Procedure.code == KS)).scalar_one()
    plan = office.sync.plan_import(admin, _two_spellings(tmp_path), unit_map={unit_key: units["tnmt"]},
                                   procedure_map={procedure_key: ks_id})
    assert plan.importable, plan.fatal
    office.sync.run_import(admin, plan)
    assert {(c.lead_unit_id, c.procedure_id) for c in cases(office).values()} == {(units["tnmt"], ks_id)}


def test_a_corrected_mapping_is_remembered(office, admin, tmp_path):
    headers = ["Mã số phiếu", "Người nộp", "Thời điểm nhận", "Hạn xử lý"]  # no code/receipt words it knows
    path = build_portal(tmp_path / "m.xlsx", [["000.00.17.H10-250303-0001", "Lê An", datetime(2025, 3, 3, 9, 0),
                                                datetime(2025, 3, 6, 9, 0)]], headers=headers)
    with pytest.raises(ImportFailed):
        office.sync.plan_import(admin, path)
    mapping = ColumnMapping(3, tuple(headers), {"code": 0, "applicant": 1, "received_at": 2, "due_at": 3})
    plan = office.sync.plan_import(admin, path, mapping=mapping)
    assert plan.mapping_source == "user" and plan.counts["new"] == 1
    assert office.sync.run_import(admin, plan).mapping_saved
    with office.db.read() as s:
        assert s.execute(select(ImportMapping.signature)).scalars().all() == [mapping.signature]
    again = build_portal(tmp_path / "m2.xlsx", [["000.00.17.H10-250303-0002", "Lê Bình", "03/03/2025 07:30",
                                                  "07/03/2025"]], headers=headers)
    plan = office.sync.plan_import(admin, again)
    assert plan.mapping_source == "remembered" and plan.counts["new"] == 1


@pytest.mark.parametrize("problem", ["formula", "truncated", "no_header", "no_rows", "cancel"])
def test_fatal_files_leave_the_database_byte_for_byte_unchanged(office, admin, tmp_path, problem, quirky_file):
    office.sync.run_import(admin, build_portal(tmp_path / "seed.xlsx", [row(50)]))
    path = quirky_file
    if problem == "formula":
        import openpyxl

        wb = openpyxl.load_workbook(path)
        wb.active["C5"] = '=UPPER("a")'
        wb.save(path)
    elif problem == "truncated":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif problem == "no_header":
        path = build_portal(tmp_path / "x.xlsx", [["a", "b"]], headers=["Cột 1", "Cột 2"])
    elif problem == "no_rows":  # the header alone: it imported nothing, and recorded that it had
        path = build_portal(tmp_path / "x.xlsx", [])
    before = db_fingerprint(office)
    cancel = (lambda: True) if problem == "cancel" else None
    with pytest.raises(ImportCancelled if problem == "cancel" else ImportFailed):
        office.sync.run_import(admin, path, cancel=cancel)
    assert db_fingerprint(office) == before


def test_cancel_during_the_write_rolls_everything_back(office, admin, quirky_file):
    plan = office.sync.plan_import(admin, quirky_file)
    before = db_fingerprint(office)
    calls = iter([False, True])  # past the inserts, before the commit
    with pytest.raises(ImportCancelled):
        office.sync.run_import(admin, plan, cancel=lambda: next(calls, True))
    assert db_fingerprint(office) == before


def test_save_rejected_rows_for_correction(office, admin, quirky_file, tmp_path):

    from tthc_desk.sync.writer import write_rejected

    plan = office.sync.plan_import(admin, quirky_file)
    out = tmp_path / "tu_choi.xlsx"
    write_rejected(out, plan.rejected)
    ws = openpyxl.load_workbook(out).active
    values = [[c.value for c in r] for r in ws.iter_rows(min_row=3)]
    assert values[0][-2:] == ["Dòng trong tệp gốc", "Lý do không nhập"]
    assert [v[-2] for v in values[1:]] == [10, 11]
