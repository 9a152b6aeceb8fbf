"""Mẫu 06 on A4 landscape: row count, continuous numbering, header rows and "Trang x/y" on every page."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest

from tthc_desk.documents import RegisterRow, render_register
from tthc_desk.documents.fonts import register_fonts
from tthc_desk.documents.textfit import text_width, wrap

A4_LANDSCAPE = (841.9, 595.3)
ROW = re.compile(r"^\s*(\d+)\s+(000\.00\.17\.H10-)\s", re.M)  # the code breaks after its office part
NAMES = (
    "Nguyễn Thị Ánh Tuyết",
    "Trần Văn Bình",
    "Lê Thị Hoa",
    "Phạm Quốc Việt",
    "Công ty TNHH Một thành viên Xây dựng Kiên Long",
)


def rows(n: int) -> list[RegisterRow]:
    start = datetime(2025, 1, 2, 7, 30)
    out = []
    for i in range(n):
        received = start + timedelta(minutes=17 * i)
        out.append(
            RegisterRow(
                code=f"000.00.17.H10-{received:%y%m%d}-{i % 10000:04d}",
                procedure_name="Đăng ký khai sinh"
                if i % 3
                else "Cấp bản sao trích lục hộ tịch từ sổ hộ tịch",
                applicant_name=NAMES[i % len(NAMES)],
                applicant_address=f"Thôn Kiên Long {i}, xã Bình Tân, tỉnh Gia Lai",
                applicant_phone="0905123456",
                lead_unit="Phòng Tư pháp",
                received_at=received,
                due_at=received + timedelta(days=3),
                transferred_at=received + timedelta(hours=1),
                result_received_at=(received + timedelta(days=2)).date() if i % 2 else None,
                returned_at=(received + timedelta(days=3)).date() if i % 4 else None,
                note="Trễ hạn" if i % 97 == 0 else "",
            )
        )
    return out


@pytest.mark.slow
def test_register_5000_rows_numbered_with_header_on_every_page(letterhead, probe):
    pdf = render_register(rows(5000), letterhead, "Năm 2025", book="01")
    text = probe.text(pdf)
    pages = [p for p in text.split("\f") if p.strip()]
    numbers = [int(m.group(1)) for m in ROW.finditer(text)]
    assert numbers == list(range(1, 5001))
    assert len(pages) > 100
    for i, page in enumerate(pages, 1):
        assert "Mã hồ sơ" in page and "Tên TTHC" in page and "Ngày, tháng, năm" in page, f"page {i}"
        assert "(13)" in page and f"Trang {i}/{len(pages)}" in page
    assert "SỔ THEO DÕI HỒ SƠ" in pages[0] and "Năm 2025" in pages[0] and "Quyển số: 01" in pages[0]
    assert "Nguyễn Thị Ánh" in text and "Trần Văn Bình" in text and "Cấp bản sao trích lục" in text
    sizes = probe.sizes(pdf)
    assert len(sizes) == len(pages)
    assert all(
        w == pytest.approx(A4_LANDSCAPE[0], abs=0.2) and h == pytest.approx(A4_LANDSCAPE[1], abs=0.2)
        for w, h in sizes
    )


def test_register_numbering_continues_and_keeps_given_numbers(letterhead, probe):
    sample = rows(5)
    sample[2] = RegisterRow(**{**sample[2].__dict__, "number": 999})
    text = probe.text(render_register(sample, letterhead, "Tháng 01 năm 2025", first_number=41))
    assert [int(m.group(1)) for m in ROW.finditer(text)] == [41, 42, 999, 44, 45]
    for piece in ("02/01/2025", "07:30", "05/01/2025", "Trang 1/1", "Tháng 01 năm 2025"):
        assert piece in text


def test_register_empty_still_prints_header(letterhead, probe):
    text = probe.text(render_register([], letterhead, "Năm 2025"))
    assert "Mã hồ sơ" in text and "Trang 1/1" in text


def test_wrap_never_exceeds_the_width():
    font = register_fonts().regular
    samples = [
        "Cấp bản sao trích lục hộ tịch từ sổ hộ tịch lưu tại cơ quan đăng ký hộ tịch",
        "1.004946.000.00.00.H13-4-000.00.17.H10-250203-0001",
        "Xã" * 60,
        "",
        "ngắn",
    ]
    for width in (20, 40, 90):
        for text in samples:
            lines = wrap(text, font, 8.5, width).split("\n")
            assert all(text_width(ln, font, 8.5) <= width + 0.01 for ln in lines), (text, width)
            assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_dates_fit_their_columns():
    from tthc_desk.documents import register

    font = register_fonts().regular
    widest = text_width(f"{date(2025, 12, 28):%d/%m/%Y}", font, register.BODY_SIZE)
    assert widest <= min(register.COL_WIDTHS[7:12]) - 2 * register.PAD
