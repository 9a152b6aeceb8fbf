"""Mẫu 01–05 on A5: every field prints, Vietnamese survives, the QR decodes, NFD input prints as NFC."""

from __future__ import annotations

import dataclasses
import unicodedata
from datetime import date, datetime

import pytest

from tthc_desk.documents import (
    ApologyDoc,
    HandOff,
    RefusalDoc,
    Signer,
    SupplementDoc,
    get_profile,
    render_apology,
    render_control_sheet,
    render_receipt,
    render_refusal,
    render_supplement,
    write_pdf,
)
from tthc_desk.domain import Timeliness

A5 = (419.5, 595.3)


def assert_a5(sizes: list[tuple[float, float]]) -> None:
    assert sizes, "no pages"
    for w, h in sizes:
        assert w == pytest.approx(A5[0], abs=0.2) and h == pytest.approx(A5[1], abs=0.2)


def assert_header(text: str, date_line: str) -> None:
    for piece in (
        "ỦY BAN NHÂN DÂN",
        "HUYỆN TÂY SƠN",
        "BỘ PHẬN MỘT CỬA",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số:",
        date_line,
    ):
        assert piece in text


def test_receipt_prints_every_field(case, letterhead, probe):
    pdf = render_receipt(case, letterhead)
    text = probe.flat(pdf)
    assert_header(text, "Tây Sơn, ngày 03 tháng 02 năm 2025")
    for piece in (
        "Mẫu số 01",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "Mã hồ sơ: 000.00.17.H10-250203-0001",
        "Bộ phận Một cửa huyện Tây Sơn",
        "Tiếp nhận hồ sơ của: Nguyễn Thị Ánh Tuyết",
        "052190001234",
        "Địa chỉ: Thôn Kiên Long, xã Bình Tân, tỉnh Gia Lai",
        "0905 123 456",
        "anhtuyet@example.vn",
        "Đăng ký khai sinh (mã 1.001193)",
        "Tờ khai đăng ký khai sinh theo mẫu",
        "Tên giấy tờ",
        "chứng thực",
        "Giấy chứng nhận kết hôn của cha, mẹ",
        "2. Số lượng hồ sơ: 01 (bộ)",
        "3 ngày làm việc",
        "4. Thời gian nhận hồ sơ: 14 giờ 30 phút, ngày 03 tháng 02 năm 2025",
        "09 giờ 05 phút, ngày 06 tháng 02 năm 2025",
        "Quyển số: 01",
        "Số thứ tự: 125",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "(Ký và ghi rõ họ tên)",
        "Trần Văn Bình",
    ):
        assert piece in text, piece
    assert "Giấy chứng sinh do cơ sở y tế nơi trẻ sinh" in text  # wrapped inside its cell
    assert_a5(probe.sizes(pdf))


def test_receipt_qr_decodes_to_case_code(case, letterhead, probe):
    assert probe.qr(render_receipt(case, letterhead)) == [case.code]


def test_receipt_two_copies_are_two_pages(case, letterhead, probe):
    pdf = render_receipt(case, letterhead, copies=2)
    pages = probe.text(pdf).split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) == 2
    assert "Liên 1" in pages[0] and "Liên 2" in pages[1]
    assert probe.qr(pdf, page=2) == [case.code]
    assert_a5(probe.sizes(pdf))


def test_long_texts_wrap_inside_the_page(case, letterhead, probe):
    long = dataclasses.replace(
        case,
        applicant_name="Công ty Trách nhiệm hữu hạn Một thành viên Thương mại Dịch vụ Xây dựng Kiên Long Tây Sơn",
        applicant_address="Tổ dân phố số 12, Khu phố Kiên Long, phường Bình Định, thị xã An Nhơn, tỉnh Gia Lai "
        * 2,
        papers=tuple(dataclasses.replace(p, name=p.name * 3) for p in case.papers),
    )
    pdf = render_receipt(long, letterhead)
    text = probe.flat(pdf)
    assert "Thương mại Dịch vụ Xây dựng Kiên Long Tây Sơn" in text
    assert "thị xã An Nhơn, tỉnh Gia Lai" in text
    assert_a5(probe.sizes(pdf))


def test_supplement_request(case, letterhead, probe):
    doc = SupplementDoc(
        case=case,
        items=("Bản sao Giấy chứng nhận kết hôn có chứng thực", "Tờ khai có chữ ký"),
        reason="Hồ sơ thiếu giấy tờ theo quy định",
        contact_person="Trần Văn Bình",
        contact_phone="0256 3880 123",
        guide_name="Lê Thị Hoa",
        issued_on=date(2025, 2, 4),
    )
    pdf = render_supplement(doc, letterhead)
    text = probe.flat(pdf)
    assert_header(text, "Tây Sơn, ngày 04 tháng 02 năm 2025")
    for piece in (
        "Mẫu số 02",
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        "000.00.17.H10-250203-0001",
        "Nguyễn Thị Ánh Tuyết",
        "1. Bản sao Giấy chứng nhận kết hôn có chứng thực",
        "2. Tờ khai có chữ ký",
        "Lý do: Hồ sơ thiếu giấy tờ theo quy định",
        "0256 3880 123",
        "NGƯỜI HƯỚNG DẪN",
        "Lê Thị Hoa",
    ):
        assert piece in text, piece
    assert_a5(probe.sizes(pdf))


def test_refusal(case, letterhead, probe):
    doc = RefusalDoc(
        case=case,
        reason="Thủ tục không thuộc thẩm quyền giải quyết của Ủy ban nhân dân huyện",
        issued_on=date(2025, 2, 3),
        doc_number="15/PTC-MC",
    )
    pdf = render_refusal(doc, letterhead)
    text = probe.flat(pdf)
    assert_header(text, "Tây Sơn, ngày 03 tháng 02 năm 2025")
    for piece in (
        "Mẫu số 03",
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        "Số: 15/PTC-MC",
        "thông báo không tiếp nhận, giải quyết hồ sơ này",
        "Thủ tục không thuộc thẩm quyền giải quyết của Ủy ban nhân dân huyện",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Trần Văn Bình",
        "Nguyễn Thị Ánh Tuyết",
    ):
        assert piece in text, piece
    assert_a5(probe.sizes(pdf))


def _apology(case) -> ApologyDoc:
    return ApologyDoc(
        case=case,
        reason="cần xác minh thông tin hộ tịch tại địa phương khác",
        old_due=datetime(2025, 2, 6, 9, 5),
        new_due=datetime(2025, 2, 11, 16, 0),
        agency_name="Ủy ban nhân dân huyện Tây Sơn",
        signer=Signer(
            authority_prefix="KT.", authority_title="CHỦ TỊCH", title="PHÓ CHỦ TỊCH", name="Lê Văn Hùng"
        ),
        recipients=("Như trên", "- Bộ phận Một cửa huyện;", "Lưu: VT, TP."),
        issued_on=date(2025, 2, 5),
        doc_number="976/UBND-TP",
        summary="V/v xin lỗi và hẹn lại ngày trả kết quả",
    )


def test_apology_letter(case, probe):
    from tthc_desk.documents import Letterhead

    lh = Letterhead(parent_lines=("ỦY BAN NHÂN DÂN",), issuing_body="HUYỆN TÂY SƠN", place="Tây Sơn")
    pdf = render_apology(_apology(case), lh)
    text = probe.flat(pdf)
    for piece in (
        "Mẫu số 04",
        "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
        "Số: 976/UBND-TP",
        "Tây Sơn, ngày 05 tháng 02 năm 2025",
        "Kính gửi: Ông/Bà Nguyễn Thị Ánh Tuyết",
        "000.00.17.H10-250203-0001",
        "Đăng ký khai sinh",
        "09 giờ 05 phút, ngày 06 tháng 02 năm 2025",
        "16 giờ 00 phút, ngày 11 tháng 02 năm 2025",
        "lý do: cần xác minh thông tin hộ tịch",
        "xin lỗi Ông/Bà",
        "Nơi nhận:",
        "- Như trên;",
        "- Bộ phận Một cửa huyện;",
        "- Lưu: VT, TP.",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Lê Văn Hùng",
    ):
        assert piece in text, piece
    assert "dự kiến không trả được" in text  # written before the old due date
    assert_a5(probe.sizes(pdf))


def test_apology_title_follows_the_2025_profile(case, letterhead, probe):
    text = probe.flat(render_apology(_apology(case), letterhead, get_profile("bo_mau_2025")))
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in text


def test_control_sheet(case, letterhead, probe):
    handoffs = (
        HandOff(
            giver_unit="Bộ phận Một cửa",
            giver_person="Trần Văn Bình",
            receiver_unit="Phòng Tư pháp",
            receiver_person="Phạm Thị Lan",
            at=datetime(2025, 2, 3, 15, 0),
            step_due=datetime(2025, 2, 5, 15, 0),
            result=Timeliness.EARLY,
        ),
        HandOff(
            giver_unit="Phòng Tư pháp",
            giver_person="Phạm Thị Lan",
            receiver_unit="Lãnh đạo UBND huyện",
            receiver_person="Lê Văn Hùng",
            at=datetime(2025, 2, 4, 9, 15),
            result="đúng hạn",
            note="Trình ký",
        ),
        HandOff(
            giver_unit="Lãnh đạo UBND huyện",
            giver_person="Lê Văn Hùng",
            receiver_unit="Bộ phận Một cửa",
            receiver_person="Trần Văn Bình",
            at=datetime(2025, 2, 7, 8, 5),
            result=Timeliness.LATE,
        ),
    )
    pdf = render_control_sheet(case, handoffs, letterhead)
    text = probe.flat(pdf, layout=False)
    for piece in (
        "Mẫu số 05",
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        "Nguyễn Thị Ánh Tuyết",
        "000.00.17.H10-250203-0001",
        "Phòng Tư pháp huyện Tây Sơn",
        "Công an xã Bình Tân",
        "TÊN CƠ QUAN",
        "THỜI GIAN GIAO, NHẬN",
        "KẾT QUẢ",
        "GHI CHÚ",
        "1. Giao: Bộ phận Một cửa",
        "2. Nhận: Phòng Tư pháp",
        "5. Giao: Lãnh đạo UBND huyện",
        "Người giao: Trần Văn Bình",
        "Người nhận: Phạm Thị Lan",
        "Trước hạn",
        "Đúng hạn",
        "Quá hạn",
        "Trình ký",
        "Phạm Thị Lan",
    ):
        assert piece in text, piece
    assert "15 giờ 00 phút, ngày 03 tháng 02" in text
    assert_a5(probe.sizes(pdf))


def _nfd(value):
    if isinstance(value, str):
        return unicodedata.normalize("NFD", value)
    if isinstance(value, tuple):
        return tuple(_nfd(v) for v in value)
    if dataclasses.is_dataclass(value):
        return dataclasses.replace(
            value, **{f.name: _nfd(getattr(value, f.name)) for f in dataclasses.fields(value)}
        )
    return value


def test_nfd_input_prints_the_same_as_nfc(case, letterhead, probe):
    assert unicodedata.normalize("NFD", case.applicant_name) != case.applicant_name
    nfc_text = probe.text(render_receipt(case, letterhead))
    nfd_text = probe.text(render_receipt(_nfd(case), _nfd(letterhead)))
    assert nfd_text == nfc_text
    assert unicodedata.is_normalized("NFC", nfd_text)
    assert "Nguyễn Thị Ánh Tuyết" in nfd_text


def test_write_pdf_writes_the_bytes(case, letterhead, tmp_path):
    pdf = render_receipt(case, letterhead)
    path = write_pdf(pdf, tmp_path / "sub" / "giay_tiep_nhan.pdf")
    assert path.read_bytes() == pdf and pdf.startswith(b"%PDF")
    assert [p.name for p in path.parent.iterdir()] == ["giay_tiep_nhan.pdf"]
