"""The papers printed for cases the portal's file brought: what the file does not say (the day a case was
stopped, the reason of a refusal or a stop, who refused) is left for hand filling, never invented or crashed on;
the control sheet's hand-offs start where the file left the case and end at the desk."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from portal_files import build_portal, pdf_words, row

from tthc_desk.documents.words import BLANK_DATE, BLANK_REASON

CODE = "000.00.17.H10-250303-0001"



def _import(office, admin, tmp_path, **values) -> str:
    result = office.sync.run_import(admin, build_portal(tmp_path / "p.xlsx", [row(1, **values)]))
    assert result.counts["new"] == 1 and not result.rejected
    return CODE


def _form_set_2025(office, admin) -> None:
    office.office.update(admin, replace(office.office.settings(admin), form_profile="bo_mau_2025"))


def test_the_stop_notice_of_a_case_the_file_stopped_without_a_day_leaves_day_and_reason_to_fill(
        office, admin, desk_user, tmp_path):
    code = _import(office, admin, tmp_path, status="Dừng xử lý")  # no "Ngày kết thúc xử lý"
    _form_set_2025(office, admin)
    kinds = {c.kind: c.reason for c in office.documents.choices(desk_user, code)}
    assert kinds["stop_notice"] is None  # offered: it must print
    preview = pdf_words(office.documents.preview(desk_user, code, "stop_notice"))
    text = pdf_words(office.documents.render(desk_user, code, "stop_notice"))
    assert preview == text
    blank_reason = " ".join(BLANK_REASON.split())
    assert f"dừng giải quyết hồ sơ nêu trên kể từ {BLANK_DATE}, lý do: {blank_reason}" in text
    assert f"Thử Nghiệm, {BLANK_DATE}" in text  # the letter's own date: to be written by hand too
    assert "lý do: . Đề nghị" not in text


def test_the_stop_notice_of_a_case_the_file_stopped_on_a_day_prints_that_day_and_a_reason_to_fill(
        office, admin, desk_user, tmp_path):
    code = _import(office, admin, tmp_path, status="Dừng xử lý", finished=datetime(2025, 3, 4, 9, 0))
    _form_set_2025(office, admin)
    text = pdf_words(office.documents.render(desk_user, code, "stop_notice"))
    assert f"kể từ ngày 04 tháng 3 năm 2025, lý do: {' '.join(BLANK_REASON.split())}" in text
    assert "lý do: . Đề nghị" not in text


def test_a_refusal_the_file_brought_names_no_officer_of_this_desk_and_leaves_the_reason_to_fill(
        office, admin, desk_user, tmp_path):
    theirs, ours = CODE, "000.00.17.H10-250303-0002"
    rows = [row(1, status="Từ chối", finished=datetime(2025, 3, 4, 9, 0)), row(2)]
    assert office.sync.run_import(admin, build_portal(tmp_path / "p.xlsx", rows)).counts["new"] == 2
    text = pdf_words(office.documents.render(desk_user, theirs, "refusal"))
    assert f"với lý do cụ thể như sau: {' '.join(BLANK_REASON.split())}" in text
    assert "như sau: . Xin" not in text
    # the refusal was another desk's act: whoever prints it does not sign for it
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in text and "Nguyễn Thị Tiếp Nhận" not in text
    # one this desk recorded keeps its reason and the officer who refused, whoever prints it
    office.workflow.refuse(desk_user, ours, "Hồ sơ không thuộc thẩm quyền.")
    text = pdf_words(office.documents.render(admin, ours, "refusal"))
    assert "với lý do cụ thể như sau: Hồ sơ không thuộc thẩm quyền. Xin" in text
    assert "Nguyễn Thị Tiếp Nhận" in text


def test_the_control_sheet_of_a_case_the_file_left_at_a_unit_brings_the_result_back_to_the_desk(
        office, admin, desk_user, clock, tmp_path):
    """The file left the case at Phòng Tư pháp; the desk officer records its transfer to Phòng Kinh tế and the
    result. The result comes back to the desk, not to Phòng Tư pháp, and the desk officer signs for no unit."""
    code = _import(office, admin, tmp_path, unit="Phòng Tư pháp", due=datetime(2025, 3, 14, 17, 0))
    office.workflow.transfer(desk_user, code, office.accounts.save_unit(admin, "Phòng Kinh tế"), 2)
    clock.set(datetime(2025, 3, 7, 9, 0))
    office.workflow.record_result(desk_user, code)
    text = pdf_words(office.documents.control_sheet(desk_user, code), layout=False)
    blocks = text[text.index("1. Giao"):]
    for words in ("1. Giao: Phòng Tư pháp", "2. Nhận: Phòng Kinh tế", "3. Giao: Phòng Kinh tế",
                  "4. Nhận: Bộ phận Một cửa"):
        assert words in blocks
    assert "Nhận: Phòng Tư pháp" not in blocks
    # Phòng Tư pháp's giver is left to sign; the desk officer is named where she acted: recording, receiving
    first, back = blocks[:blocks.index("3. Giao")], blocks[blocks.index("3. Giao"):]
    assert "Người giao: .........." in first and "Nguyễn Thị Tiếp Nhận ghi nhận" in first
    assert "Người nhận: Nguyễn Thị Tiếp Nhận" in back


def test_the_papers_of_a_case_the_file_gave_a_new_appointment_show_both_dates(office, admin, desk_user, tmp_path):
    from portal_files import HEADERS

    line = row(1, due=datetime(2025, 3, 6, 8, 30)) + [datetime(2025, 3, 12, 17, 0)]
    path = build_portal(tmp_path / "p.xlsx", [line], headers=[*HEADERS, "Ngày hẹn lại"])
    assert office.sync.run_import(admin, path).counts["new"] == 1
    for kind in ("receipt", "control"):
        text = pdf_words(office.documents.preview(desk_user, CODE, kind))
        assert "08 giờ 30 phút, ngày 06 tháng 3 năm 2025" in text, kind  # the receipt's appointment, kept
        assert "Hẹn lại: 17 giờ 00 phút, ngày 12 tháng 3 năm 2025 (Phiếu xin lỗi và hẹn lại)" in text, kind
