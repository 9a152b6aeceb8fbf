"""What the print audit found wrong on the official forms, as the printed papers now read: both appointments of
an extended case, a receipt that holds on its A5 sheet, the control sheet's return to the desk and co-operating
units, the officer who acted signing, numbers from the issuing body and the letter's own year, the apology's
wording by the moment, organisations addressed by name, the register's columns, the Nơi nhận sizes, the header
breaking between words, and the small ones (Mẫu 02's reason once, Mẫu 05's number and second sheet)."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from datetime import date, datetime, timedelta

import pytest

from tthc_desk.documents import (
    ApologyDoc,
    CaseDoc,
    HandOff,
    Letterhead,
    PaperLine,
    RegisterRow,
    Signer,
    StopNoticeDoc,
    get_profile,
    render_apology,
    render_control_sheet,
    render_receipt,
    render_register,
    render_stop_notice,
)
from tthc_desk.domain import Role, Timeliness
from tthc_desk.services.intake import IntakeForm, PaperCount

DUE = "09 giờ 30 phút, ngày 06 tháng 02 năm 2025"  # 3 working days from Mon 03/02/2025 09:30
NEW_DUE = "17 giờ 00 phút, ngày 12 tháng 02 năm 2025"


@pytest.fixture()
def desk(tay_son_office):
    """An office with a desk officer (Lê Thị Hoa) besides the administrator, and one case received on Mon
    03/02/2025 09:30 for a 3-working-day procedure."""
    sv, admin, clock, db, pid = tay_son_office
    sv.accounts.create_user(admin, "hoa", "Lê Thị Hoa", Role.DESK, "matkhau123", unit_id=admin.unit_id)
    hoa = sv.accounts.login("hoa", "matkhau123")
    code = _register(sv, hoa, pid, "Nguyễn Thị Ánh Tuyết")
    return sv, admin, hoa, clock, code, pid, db


def _register(sv, actor, pid, name: str) -> str:
    return sv.intake.register(
        actor,
        IntakeForm(
            procedure_id=pid,
            applicant_name=name,
            applicant_id_number="052012345678",
            applicant_phone="0905123456",
            applicant_address="Thôn Kiên Long, xã Bình Tân",
            papers=[PaperCount("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", 1, 0, 0)],
        ),
    ).code


def _extended(desk) -> None:
    """The case of `desk` apologised for on Tue 04/02/2025, new appointment Wed 12/02/2025 17:00."""
    sv, _admin, hoa, clock, code, *_ = desk
    clock.set(datetime(2025, 2, 4, 9, 0))
    sv.workflow.extend(hoa, code, "Chờ xác minh nơi cư trú", datetime(2025, 2, 12, 17, 0))


# ----- #1: the receipt's appointment stays what was promised; the new one is added under it -------------------
def test_an_extended_case_reprints_the_receipts_appointment_and_the_apologys_under_it(desk, probe):
    sv, admin, _hoa, _clock, code, *_ = desk
    _extended(desk)
    receipt = probe.flat(sv.documents.render(admin, code, "receipt"))
    assert f"5. Thời gian trả kết quả giải quyết hồ sơ: {DUE}" in receipt
    assert f"Hẹn lại: {NEW_DUE} (Phiếu xin lỗi và hẹn lại ngày 04 tháng 02 năm 2025)" in receipt
    control = probe.flat(sv.documents.render(admin, code, "control"))
    assert f"Thời gian trả kết quả: {DUE} Hẹn lại: {NEW_DUE}" in control
    apology = probe.flat(sv.documents.render(admin, code, "apology"))
    assert f"ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả là {DUE}" in apology  # the three papers agree


def test_the_stop_notice_quotes_the_receipts_appointment_and_the_new_one(desk, probe):
    from dataclasses import replace

    sv, admin, _hoa, clock, code, *_ = desk
    _extended(desk)
    sv.office.update(admin, replace(sv.office.settings(admin), form_profile="bo_mau_2025"))
    clock.set(datetime(2025, 2, 5, 14, 0))
    sv.workflow.stop(admin, code, "Người nộp đề nghị dừng.")
    text = probe.flat(sv.documents.render(admin, code, "stop_notice"))
    assert (
        f"hẹn trả kết quả là {DUE} (đã hẹn lại {NEW_DUE} theo Phiếu xin lỗi và hẹn lại ngày 04 tháng 02 "
        "năm 2025)"
    ) in text


# ----- #2: one A5 sheet per copy of the receipt ------------------------------------------------------------------
# Three procedures of the demo whose receipts ran to a second sheet (applicant data as the demo has them).
EVERYDAY = (
    (
        "Đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn "
        "liền với đất lần đầu đối với tổ chức đang sử dụng đất",
        "1.012753",
        (
            "Đơn đăng ký đất đai, tài sản gắn liền với đất (Mẫu 04/ĐK)",
            "Giấy tờ về quyền sử dụng đất",
            "Mảnh trích đo địa chính",
            "Căn cước công dân",
        ),
    ),
    (
        "Giao đất, cho thuê đất, chuyển mục đích sử dụng đất đối với trường hợp giao đất, cho thuê đất không đấu "
        "giá quyền sử dụng đất, không đấu thầu lựa chọn nhà đầu tư thực hiện dự án có sử dụng đất; trường hợp giao "
        "đất, cho thuê đất thông qua đấu thầu lựa chọn nhà đầu tư thực hiện dự án có sử dụng đất; giao đất và giao "
        "rừng; cho thuê đất và cho thuê rừng, gia hạn sử dụng đất khi hết thời hạn sử dụng đất",
        "1.013949",
        ("Đơn xin giao đất, cho thuê đất", "Trích lục bản đồ địa chính"),
    ),
    (
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của Việt Nam; cơ quan, "
        "tổ chức có thẩm quyền của nước ngoài; cơ quan, tổ chức có thẩm quyền của Việt Nam liên kết với cơ quan, tổ "
        "chức có thẩm quyền của nước ngoài cấp hoặc chứng nhận",
        "2.000815",
        ("Bản chính giấy tờ cần chứng thực", "Bản sao cần chứng thực"),
    ),
)


def _pages(pdf: bytes, probe) -> list[str]:
    return [p for p in probe.text(pdf).split("\f") if p.strip()]


@pytest.mark.parametrize(("name", "code", "papers"), EVERYDAY, ids=[e[1] for e in EVERYDAY])
def test_an_everyday_receipt_holds_each_copy_on_one_sheet(case, letterhead, probe, name, code, papers):
    doc = dataclasses.replace(
        case,
        procedure_name=name,
        procedure_code=code,
        applicant_address="Thôn xuân hòa, xã Tây An, huyện Tây Sơn, tỉnh Bình Định",
        papers=tuple(PaperLine(name=p, originals=1) for p in papers),
    )
    pages = _pages(render_receipt(doc, letterhead, copies=2), probe)
    assert len(pages) == 2
    for page, lien in zip(pages, ("Liên 1", "Liên 2"), strict=True):
        assert lien in page and "NGƯỜI NỘP HỒ SƠ" in page and "Ghi chú: Ông/Bà mang theo" in page


def test_eight_papers_and_a_long_name_still_hold_on_one_sheet(case, letterhead, probe):
    name, code, papers = EVERYDAY[2]
    doc = dataclasses.replace(
        case,
        procedure_name=name,
        procedure_code=code,
        papers=tuple(PaperLine(name=f"{p} ({i})", originals=1) for i, p in enumerate(papers * 4, 1)),
    )
    pages = [" ".join(p.split()) for p in _pages(render_receipt(doc, letterhead), probe)]
    assert len(pages) == 1 and "8 Bản sao cần chứng thực (8)" in pages[0] and "Trần Văn Bình" in pages[0]


def test_a_receipt_too_long_for_a_sheet_runs_on_with_its_code_and_its_signatures_keep_company(
    case, letterhead, probe
):
    doc = dataclasses.replace(
        case, papers=tuple(PaperLine(name=f"Giấy tờ số {i}", originals=1) for i in range(40))
    )
    pages = _pages(render_receipt(doc, letterhead, copies=2), probe)
    starts = [i for i, p in enumerate(pages) if "GIẤY TIẾP NHẬN HỒ SƠ" in p]
    assert starts == [0, len(pages) // 2] and len(pages) > 2
    for copy in (pages[: starts[1]], pages[starts[1] :]):
        assert "(tiếp theo)" not in copy[0]
        assert all(f"Mã hồ sơ: {case.code} (tiếp theo)" in p for p in copy[1:])
        # the signatures come with the items above them, never alone
        assert "6. Đăng ký nhận kết quả tại" in copy[-1] and "NGƯỜI TIẾP NHẬN HỒ SƠ" in copy[-1]


# ----- #3: the control sheet's return to the desk and its co-operating units -------------------------------------
def test_the_control_sheet_shows_the_return_to_the_desk_and_the_co_operating_units(desk, probe):
    sv, admin, hoa, clock, code, *_ = desk
    lead = sv.accounts.save_unit(admin, "Phòng Tư pháp")
    commune = sv.accounts.save_unit(admin, "UBND xã Bình Tân")
    sv.workflow.transfer(hoa, code, lead, share_days=1)
    clock.set(datetime(2025, 2, 3, 14, 0))
    sv.workflow.transfer(admin, code, commune, share_days=1, note="Xác minh")
    clock.set(datetime(2025, 2, 4, 8, 0))
    sv.workflow.record_result(hoa, code)
    text = probe.flat(sv.documents.render(admin, code, "control"), layout=False)
    assert "Cơ quan (bộ phận) giải quyết hồ sơ: Phòng Tư pháp" in text
    assert "Cơ quan phối hợp giải quyết hồ sơ: UBND xã Bình Tân" in text
    assert "1. Giao: Bộ phận Một cửa 2. Nhận: Phòng Tư pháp" in text
    assert "5. Giao: UBND xã Bình Tân 6. Nhận: Bộ phận Một cửa" in text
    assert "08 giờ 00 phút, ngày 04 tháng 02 năm 2025" in text  # when the result came back
    assert "Người nhận: Lê Thị Hoa" in text  # who took it at the desk
    assert "Trước hạn" in text  # the commune's step, due Tue 04/02 14:00, finished that morning


# ----- #4: the officer who acted signs -----------------------------------------------------------------------
def test_refusal_and_supplement_request_are_signed_by_the_officer_who_acted_not_the_one_printing(desk, probe):
    sv, admin, hoa, _clock, code, pid, _db = desk
    sv.workflow.request_supplement(hoa, code, "Thiếu giấy tờ", ["Bản sao giấy khai sinh"])
    text = probe.flat(sv.documents.render(admin, code, "supplement"))
    assert "NGƯỜI HƯỚNG DẪN" in text and "Quản trị hệ thống" not in text
    assert "liên hệ với Lê Thị Hoa" in text and text.rstrip().endswith("Lê Thị Hoa")
    other = _register(sv, admin, pid, "Trần Văn Bình")
    sv.workflow.refuse(hoa, other, "Không thuộc thẩm quyền")
    text = probe.flat(sv.documents.render(admin, other, "refusal"))
    assert "Quản trị hệ thống" not in text and text.rstrip().endswith(
        "NGƯỜI TIẾP NHẬN HỒ SƠ (Ký và ghi rõ họ tên) Lê Thị Hoa"
    )
    assert [lt["signer"] for lt in sv.casefile.detail(admin, other).letters] == ["Lê Thị Hoa"]


# ----- #5 and #10: the number's symbol and year ------------------------------------------------------------------
def test_letters_under_the_ubnd_letterhead_carry_its_symbol_and_desk_forms_the_desks(desk, probe):
    sv, admin, hoa, _clock, code, pid, _db = desk
    _extended(desk)
    text = probe.flat(sv.documents.render(admin, code, "apology"))
    assert "Số: 01/XL-UBND" in text and "BPMC" not in text.split("Nơi nhận")[0]
    other = _register(sv, admin, pid, "Trần Văn Bình")
    sv.workflow.refuse(hoa, other, "Không thuộc thẩm quyền")
    assert "Số: 01/PTC-BPMC" in probe.flat(sv.documents.render(admin, other, "refusal"))


def test_a_letter_is_numbered_in_the_series_of_the_year_it_is_dated(desk, probe):
    sv, admin, hoa, clock, code, pid, _db = desk
    sv.workflow.refuse(hoa, code, "Không thuộc thẩm quyền")
    assert "Số: 01/PTC-BPMC" in probe.flat(sv.documents.render(admin, code, "refusal"))
    clock.set(datetime(2025, 12, 30, 9, 0))
    late = _register(sv, admin, pid, "Trần Văn Bình")
    sv.workflow.refuse(hoa, late, "Không thuộc thẩm quyền")
    clock.set(datetime(2026, 1, 5, 8, 0))  # printed in the new year, dated 30/12/2025
    text = probe.flat(sv.documents.render(admin, late, "refusal"))
    assert "Số: 02/PTC-BPMC" in text and "Tây Sơn, ngày 30 tháng 12 năm 2025" in text
    new = _register(sv, admin, pid, "Lê Văn Cường")
    sv.workflow.refuse(hoa, new, "Không thuộc thẩm quyền")
    assert "Số: 01/PTC-BPMC" in probe.flat(sv.documents.render(admin, new, "refusal"))  # 2026's own series


# ----- #9: "will not" until the due moment has passed ---------------------------------------------------------
def test_an_apology_recorded_earlier_on_the_due_day_says_the_deadline_will_be_missed(desk, probe):
    sv, admin, hoa, clock, code, *_ = desk
    clock.set(datetime(2025, 2, 6, 8, 0))  # due 09:30 today
    sv.workflow.extend(hoa, code, "Chờ xác minh nơi cư trú", datetime(2025, 2, 12, 17, 0))
    text = probe.flat(sv.documents.render(admin, code, "apology"))
    assert "dự kiến không trả được kết quả giải quyết hồ sơ của Ông/Bà đúng thời hạn" in text
    # and one recorded later that day, once the due moment has passed, says it was missed
    doc = ApologyDoc(
        case=CaseDoc(
            code=code, applicant_name="An", procedure_name="x", received_at=datetime(2025, 2, 3, 9, 30)
        ),
        reason="x",
        old_due=datetime(2025, 2, 6, 9, 30),
        new_due=datetime(2025, 2, 12, 17),
        agency_name="Ủy ban",
        signer=Signer(name="Hùng"),
        issued_on=date(2025, 2, 6),
        issued_at=datetime(2025, 2, 6, 10, 0),
    )
    text = probe.flat(render_apology(doc, Letterhead(issuing_body="ỦY BAN NHÂN DÂN")))
    assert "chưa trả kết quả giải quyết hồ sơ của Ông/Bà đúng thời hạn" in text and "dự kiến" not in text


# ----- #6: an organisation is addressed by its name ----------------------------------------------------------
COMPANY = "Công ty Trách nhiệm hữu hạn Xây dựng Kiên Long"


def _letters(case: CaseDoc, letterhead: Letterhead, probe) -> tuple[str, str]:
    signer = Signer(
        authority_prefix="KT.", authority_title="CHỦ TỊCH", title="PHÓ CHỦ TỊCH", name="Lê Văn Hùng"
    )
    apology = ApologyDoc(
        case=case,
        reason="cần xác minh",
        old_due=datetime(2025, 2, 6, 9, 5),
        new_due=datetime(2025, 2, 11, 16, 0),
        agency_name="Ủy ban nhân dân huyện Tây Sơn",
        signer=signer,
        issued_on=date(2025, 2, 5),
    )
    notice = StopNoticeDoc(
        case=case,
        reason="Người nộp đề nghị dừng",
        stopped_on=date(2025, 2, 5),
        agency_name="Ủy ban nhân dân huyện Tây Sơn",
        desk_name="Bộ phận Một cửa huyện Tây Sơn",
        signer=signer,
        issued_on=date(2025, 2, 5),
    )
    return (
        probe.flat(render_apology(apology, letterhead)),
        probe.flat(render_stop_notice(notice, letterhead, get_profile("bo_mau_2025"))),
    )


@pytest.mark.parametrize(
    ("name", "person"),
    [
        (COMPANY, "Nguyễn Thị Ánh Tuyết"),
        ("CONG TY TNHH Kien Long", "Nguyen Van An"),
        ("Hợp tác xã Nông nghiệp Bình Tân", "Hồ Văn Kinh"),
        ("Uỷ ban nhân dân xã Bình Tân", "Hà Thị Hội"),
        ("Trường Tiểu học Bình Tân", "Trương Văn Tâm"),
    ],
)
def test_an_organisation_is_addressed_by_its_name_a_person_as_ong_ba(case, letterhead, probe, name, person):
    for text in _letters(dataclasses.replace(case, applicant_name=name), letterhead, probe):
        assert f"Kính gửi: {name}" in text and f"hồ sơ của {name}, mã hồ sơ" in text
        assert "Ông/Bà" not in text
    # a person whose name begins like one ("Trương" folds as "Trường") is still Ông/Bà
    for text in _letters(dataclasses.replace(case, applicant_name=person), letterhead, probe):
        assert f"Kính gửi: Ông/Bà {person}" in text and f"hồ sơ của Ông/Bà {person}" in text


# ----- #8 and #12: the register's columns, its form number and TT ------------------------------------------------
def _register_rows(n: int) -> list[RegisterRow]:
    long_name = EVERYDAY[2][0]
    start = datetime(2026, 1, 5, 7, 30)
    return [
        RegisterRow(
            code=f"000.00.17.H10-{start:%y%m%d}-{i + 1:04d}",
            procedure_name=long_name if i % 2 else "Đăng ký khai tử",
            applicant_name="Hoàng Thị Thanh Trang",
            applicant_address="Khối hòa lạc, xã Bình Nghi, huyện Tây Sơn, tỉnh Bình Định",
            applicant_phone="0724733174",
            lead_unit="UBND xã Bình Tân",
            received_at=start,
            due_at=start + timedelta(hours=9),
            transferred_at=start + timedelta(hours=1),
            note="Xin lỗi, hẹn lại 10/01/2026 17:00" if i == 0 else "",
        )
        for i in range(n)
    ]


def test_the_register_keeps_dates_whole_numbers_from_01_and_prints_its_form_number(letterhead, probe):
    text = probe.text(render_register(_register_rows(3), letterhead, "Năm 2026", book="2026"))
    assert "Mẫu số 06" in text
    rows = re.findall(r"^\s*(\d+)\s+000\.00\.17\.H10-", text, re.M)
    assert rows == ["01", "02", "03"]
    # the code breaks after its dash, the note's date and time stay whole
    assert re.search(r"^\s*01\s+000\.00\.17\.H10-\s", text, re.M) and "260105-0001" in text
    # Ghi chú, the last column: "Xin lỗi," / "hẹn lại" / "10/01/2026" / "17:00", the date whole on its line
    assert re.search(r"\s10/01/2026$", text, re.M) and not re.search(r"\s10/01/$", text, re.M)


def test_the_register_holds_more_rows_on_a_page(letterhead, probe):
    """120 rows, every other one with a 266-character procedure name: 31 pages with the old columns (the name
    wrapped to 14 lines in 12 % of the width while the code took 15 %), 21 now."""
    pages = _pages(render_register(_register_rows(120), letterhead, "Năm 2026"), probe)
    assert len(pages) <= 22


# ----- #7: Nơi nhận at NĐ 30's sizes --------------------------------------------------------------------------
def _font_sizes(pdf: bytes, tmp_path) -> dict[str, float]:
    """The size each text run is set in, read with `pdftohtml -xml` at 2x zoom (sizes to half a point)."""
    src = tmp_path / "sizes.pdf"
    src.write_bytes(pdf)
    xml = subprocess.run(
        ["pdftohtml", "-xml", "-i", "-stdout", "-zoom", "2", str(src)], capture_output=True, check=True
    ).stdout.decode("utf-8")
    fonts = {m[0]: int(m[1]) / 2 for m in re.findall(r'<fontspec id="(\d+)" size="(\d+)"', xml)}
    return {
        re.sub(r"<[^>]+>", "", m[1]).strip(): fonts[m[0]]
        for m in re.findall(r'<text [^>]*font="(\d+)"[^>]*>(.*?)</text>', xml)
    }


def test_nơi_nhận_is_12_pt_and_its_entries_11_pt_on_the_a4_letter(tmp_path):
    """The monthly letter builds its recipients with `recipients_cell(make_styles(size=11), …)`."""
    from reportlab.lib.pagesizes import A4

    from tthc_desk.documents.layout import build_pdf, make_styles, recipients_cell

    pdf = build_pdf(recipients_cell(make_styles(size=11), ["Như trên", "Lưu: VT, KSTT"]), pagesize=A4)
    sizes = _font_sizes(pdf, tmp_path)
    assert sizes["Nơi nhận:"] == pytest.approx(12, abs=0.3)
    assert sizes["- Như trên;"] == pytest.approx(11, abs=0.3)


def test_the_a5_letters_set_nơi_nhận_in_proportion(case, letterhead, tmp_path):
    """A5 body 10.5 pt stands for A4's 13.5: the entries 11 x 10.5/13.5, the heading 12/11 of that."""
    pdf = render_apology(
        ApologyDoc(
            case=case,
            reason="x",
            old_due=datetime(2025, 2, 6, 9, 5),
            new_due=datetime(2025, 2, 11, 16, 0),
            agency_name="Ủy ban",
            signer=Signer(name="Lê Văn Hùng"),
            recipients=("Như trên", "Lưu: VT"),
        ),
        letterhead,
    )
    sizes = _font_sizes(pdf, tmp_path)
    assert sizes["- Như trên;"] == pytest.approx(8.6, abs=0.3)
    assert sizes["Nơi nhận:"] == pytest.approx(9.4, abs=0.3)


# ----- #11: the header breaks between words of the body's name --------------------------------------------------
HCM_DESK = Letterhead(
    parent_lines=("ỦY BAN NHÂN DÂN", "THÀNH PHỐ HỒ CHÍ MINH"),
    issuing_body="TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG THÀNH PHỐ HỒ CHÍ MINH",
    place="Thành phố Hồ Chí Minh",
)


def test_a_long_place_name_is_not_split_with_a_word_left_alone(case, probe):
    lines = [ln.strip() for ln in probe.text(render_receipt(case, HCM_DESK), layout=False).splitlines()]
    assert "THÀNH PHỐ HỒ CHÍ MINH" in lines  # the parent body's line, whole: the right column made room
    assert "MINH" not in lines and "THÀNH PHỐ HỒ CHÍ" not in lines and "THÀNH PHỐ HỒ" not in lines
    assert "HỒ CHÍ MINH" in lines  # the issuing body breaks before the place's name, not inside it
    issuer = Letterhead(issuing_body="ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HỒ CHÍ MINH", place="Thành phố Hồ Chí Minh")
    doc = ApologyDoc(
        case=case,
        reason="x",
        old_due=datetime(2025, 2, 6, 9, 5),
        new_due=datetime(2025, 2, 11, 16),
        agency_name="Ủy ban nhân dân Thành phố Hồ Chí Minh",
        signer=Signer(name="Lê Văn Hùng"),
    )
    lines = [ln.strip() for ln in probe.text(render_apology(doc, issuer), layout=False).splitlines()]
    assert "MINH" not in lines and "CHÍ MINH" not in lines


# ----- #12: the small ones --------------------------------------------------------------------------------------
def test_a_supplement_request_without_listed_papers_prints_its_reason_once(desk, probe):
    sv, admin, hoa, _clock, code, *_ = desk
    sv.workflow.request_supplement(hoa, code, "Thiếu bản sao Giấy khai sinh", [])
    text = probe.flat(sv.documents.render(admin, code, "supplement"))
    assert text.count("Thiếu bản sao Giấy khai sinh") == 1 and "Lý do: Thiếu bản sao Giấy khai sinh" in text
    assert "1. " not in text.split("Sau khi kiểm tra")[1]


def test_the_control_sheet_has_no_number_line_and_its_second_sheet_names_the_case(case, letterhead, probe):
    handoffs = [
        HandOff(
            giver_unit=f"Đơn vị {i}",
            receiver_unit=f"Đơn vị {i + 1}",
            at=datetime(2025, 2, 3, 8) + timedelta(hours=i),
            step_due=datetime(2025, 2, 5, 8),
            result=Timeliness.ON_TIME,
        )
        for i in range(12)
    ]
    pages = _pages(render_control_sheet(case, handoffs, letterhead), probe)
    assert len(pages) >= 2 and "Số:" not in pages[0]
    assert all(f"Mã hồ sơ: {case.code} (tiếp theo)" in p for p in pages[1:])
