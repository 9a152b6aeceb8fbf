"""Shared sample data and PDF probes (poppler-utils and zbar-tools, as installed in CI)."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from tthc_desk.documents import CaseDoc, Letterhead, PaperLine


def _need(tool: str) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed (apt install poppler-utils zbar-tools)")


def pdf_text(pdf: bytes, tmp_path: Path, *, layout: bool = True) -> str:
    """Text of every page via `pdftotext` (pages separated by form feeds)."""
    _need("pdftotext")
    src = tmp_path / "probe.pdf"
    src.write_bytes(pdf)
    args = ["pdftotext", *(["-layout"] if layout else []), "-enc", "UTF-8", str(src), "-"]
    return subprocess.run(args, check=True, capture_output=True).stdout.decode("utf-8")


def flat(text: str) -> str:
    """Whitespace runs collapsed, so wrapped lines can be searched as one."""
    return " ".join(text.split())


def page_sizes(pdf: bytes, tmp_path: Path) -> list[tuple[float, float]]:
    _need("pdfinfo")
    src = tmp_path / "sizes.pdf"
    src.write_bytes(pdf)
    out = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "9999", str(src)], check=True, capture_output=True
    ).stdout
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", out.decode())
    return [(float(w), float(h)) for w, h in sizes]


def qr_values(pdf: bytes, tmp_path: Path, page: int = 1) -> list[str]:
    """QR payloads found on `page`, rendered at 200 dpi."""
    _need("pdftoppm")
    _need("zbarimg")
    src = tmp_path / "qr.pdf"
    src.write_bytes(pdf)
    prefix = tmp_path / "qr"
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "200",
            "-png",
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(src),
            str(prefix),
        ],
        check=True,
    )
    res = subprocess.run(["zbarimg", "--raw", "-q", f"{prefix}.png"], capture_output=True)
    return res.stdout.decode("utf-8").split()


class PdfProbe:
    """The probes above bound to a temporary folder, handed to tests as the `probe` fixture."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path

    def text(self, pdf: bytes, *, layout: bool = True) -> str:
        return pdf_text(pdf, self.tmp_path, layout=layout)

    def flat(self, pdf: bytes, *, layout: bool = True) -> str:
        """Text with whitespace collapsed; layout=False keeps each table cell's lines together."""
        return flat(pdf_text(pdf, self.tmp_path, layout=layout))

    def sizes(self, pdf: bytes) -> list[tuple[float, float]]:
        return page_sizes(pdf, self.tmp_path)

    def qr(self, pdf: bytes, page: int = 1) -> list[str]:
        return qr_values(pdf, self.tmp_path, page)


@pytest.fixture
def probe(tmp_path: Path) -> PdfProbe:
    return PdfProbe(tmp_path)


@pytest.fixture
def letterhead() -> Letterhead:
    return Letterhead(
        parent_lines=("ỦY BAN NHÂN DÂN", "HUYỆN TÂY SƠN"),
        issuing_body="BỘ PHẬN MỘT CỬA",
        place="Tây Sơn",
        office_code="000.00.17.H10",
        desk_name="Bộ phận Một cửa huyện Tây Sơn",
    )


@pytest.fixture
def case() -> CaseDoc:
    return CaseDoc(
        code="000.00.17.H10-250203-0001",
        applicant_name="Nguyễn Thị Ánh Tuyết",
        applicant_address="Thôn Kiên Long, xã Bình Tân, tỉnh Gia Lai",
        applicant_phone="0905 123 456",
        applicant_email="anhtuyet@example.vn",
        applicant_id="052190001234",
        procedure_code="1.001193",
        procedure_name="Đăng ký khai sinh",
        time_allowed="3 ngày làm việc",
        received_at=datetime(2025, 2, 3, 14, 30),
        due_at=datetime(2025, 2, 6, 9, 5),
        return_channel="Bộ phận Một cửa huyện Tây Sơn",
        papers=(
            PaperLine(name="Tờ khai đăng ký khai sinh theo mẫu", originals=1),
            PaperLine(name="Giấy chứng sinh do cơ sở y tế nơi trẻ sinh ra cấp", originals=1),
            PaperLine(name="Giấy chứng nhận kết hôn của cha, mẹ", certified_copies=1, photocopies=2),
        ),
        sets=1,
        register_book="01",
        register_number="125",
        receiving_officer="Trần Văn Bình",
        lead_unit="Phòng Tư pháp huyện Tây Sơn",
        co_units=("Công an xã Bình Tân",),
    )


@pytest.fixture()
def tay_son_office(tmp_path):
    """A database holding the Tây Sơn district desk (letterhead under the UBND, a vice-chair signing)
    and its 3-working-day procedure 1.004873, the clock at Mon 03/02/2025 09:30: (services, admin, clock,
    database, procedure id)."""
    from tthc_desk.clock import FixedClock
    from tthc_desk.services import Services
    from tthc_desk.services.office import OfficeSettings
    from tthc_desk.storage.db import Database, make_url

    db = Database(make_url(tmp_path / "office.sqlite3"))
    db.migrate()
    clock = FixedClock(datetime(2025, 2, 3, 9, 30))
    sv = Services.build(db, clock)
    sv.office.ensure_office(admin_password="admin123")
    admin = sv.accounts.login("admin", "admin123")
    sv.office.update(admin, OfficeSettings(
        name="Bộ phận Một cửa huyện Tây Sơn", code="000.00.17.H10", place_name="Tây Sơn",
        parent_body="ỦY BAN NHÂN DÂN\nHUYỆN TÂY SƠN", issuing_body="BỘ PHẬN MỘT CỬA",
        signers=[{"prefix": "KT.", "authority": "CHỦ TỊCH", "title": "PHÓ CHỦ TỊCH", "name": "Nguyễn Văn Hùng"}]))
    pid = sv.catalogue.save(admin, None, code="1.004873", name="Thủ tục cấp Giấy xác nhận tình trạng hôn nhân",
                            field_name="Hộ tịch", durations={"direct": (3, "working_days")})
    return sv, admin, clock, db, pid
