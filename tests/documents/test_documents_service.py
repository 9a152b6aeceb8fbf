"""Printing stored cases: every form carries the case's data, letters are recorded, the CLI writes PDFs."""

from __future__ import annotations

import subprocess
from datetime import datetime

import pytest

from tthc_desk.cli import main as cli
from tthc_desk.services.intake import IntakeForm, PaperCount


def pdf_text(data: bytes, tmp_path, name="x.pdf") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    raw = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(raw.split())  # phrases may wrap across lines


@pytest.fixture()
def office(tay_son_office):
    sv, admin, clock, db, pid = tay_son_office
    unit = sv.accounts.save_unit(admin, "UBND xã Bình Tân")
    res = sv.intake.register(admin, IntakeForm(
        procedure_id=pid, applicant_name="Nguye\u0302\u0303n Thị Ánh Tuyết", applicant_id_number="052012345678",
        applicant_phone="0905123456", applicant_address="Thôn Kiên Long, xã Bình Tân",
        papers=[PaperCount("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", 1, 0, 0)]))
    return sv, admin, clock, res.code, unit, db


def test_receipt_carries_case_data_and_is_recorded(office, tmp_path):
    sv, admin, _clock, code, _unit, _db = office
    text = pdf_text(sv.documents.receipt(admin, code, copies=2), tmp_path)
    for expected in (code, "Nguyễn Thị Ánh Tuyết", "052012345678", "0905123456", "Thôn Kiên Long",
                     "tình trạng hôn nhân", "3 ngày làm việc", "09 giờ 30 phút, ngày 03 tháng 02 năm 2025",
                     "ỦY BAN NHÂN DÂN", "Độc lập - Tự do - Hạnh phúc"):
        assert expected in text, expected
    detail = sv.casefile.detail(admin, code)
    assert [lt["kind"] for lt in detail.letters] == ["receipt"]
    assert detail.events[-1].kind == "letter_issued"


def test_apology_and_control_sheet(office, tmp_path):
    sv, admin, clock, code, unit, _db = office
    sv.workflow.transfer(admin, code, unit, share_days=2)
    clock.set(datetime(2025, 2, 4, 9, 0))
    sv.workflow.extend(admin, code, "Chờ xác minh nơi cư trú", datetime(2025, 2, 12, 17, 0))
    text = pdf_text(sv.documents.apology(admin, code), tmp_path)
    assert "Kính gửi" in text and "Nguyễn Thị Ánh Tuyết" in text
    assert "Chờ xác minh nơi cư trú" in text and "ngày 12 tháng 02 năm 2025" in text
    assert "KT. CHỦ TỊCH" in text and "Nguyễn Văn Hùng" in text
    first = sv.casefile.detail(admin, code).letters
    sv.documents.apology(admin, code)
    again = sv.casefile.detail(admin, code).letters
    assert len(again) == len(first) == 1 and first[0]["number"] == "01/XL-UBND"  # the symbol of the body whose letterhead it bears
    clock.set(datetime(2025, 2, 6, 10, 0))
    sv.workflow.record_result(admin, code)
    control = pdf_text(sv.documents.control_sheet(admin, code), tmp_path, "c.pdf")
    assert "UBND xã Bình Tân" in control and "Trước hạn" in control


def test_print_cli_and_register(office, tmp_path, capsys):
    _sv, _admin, _clock, code, _unit, db = office
    out = tmp_path / "reg.pdf"
    dbarg = ["--db", db.url, "--now", "2025-02-03 10:00"]
    assert cli([*dbarg, "print", "register", "2025", "-o", str(out)]) == 0
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    # the register breaks a case code after its office part, in a narrow column
    assert code.rsplit("-", 2)[0] in text and code.split("-", 1)[1] in text and "SỔ THEO DÕI HỒ SƠ" in text
    assert cli([*dbarg, "print", "refusal", code, "-o", str(tmp_path / "r.pdf")]) == 2
    assert "từ chối" in capsys.readouterr().err


def pdf_fonts(path) -> dict[str, bool]:
    """Each font a PDF names (subset prefix taken off) and whether it is embedded, as `pdffonts` lists them."""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    return {row[0].split("+")[-1]: row[-5] == "yes" for row in rows}


def test_every_font_a_printed_document_names_is_embedded(office, tmp_path):
    """A PDF naming a font it does not carry (reportlab's starting Helvetica) prints with whatever the printing
    machine substitutes, and a checker of documents flags it: each of forms, register, report and letter
    carries every font it names."""
    sv, admin, clock, code, unit, db = office
    sv.workflow.transfer(admin, code, unit, share_days=2)
    clock.set(datetime(2025, 2, 4, 9, 0))
    sv.workflow.extend(admin, code, "Chờ xác minh nơi cư trú", datetime(2025, 2, 12, 17, 0))
    files = {"receipt.pdf": sv.documents.receipt(admin, code), "apology.pdf": sv.documents.apology(admin, code),
             "control.pdf": sv.documents.control_sheet(admin, code)}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    dbarg = ["--db", db.url, "--now", "2025-03-03 10:00"]
    assert cli([*dbarg, "print", "register", "2025", "-o", str(tmp_path / "register.pdf")]) == 0
    assert cli([*dbarg, "report", "--from", "2025-02-01", "--to", "2025-02-28", "--pdf", str(tmp_path / "report.pdf")]) == 0
    assert cli([*dbarg, "letter", "--month", "2025-02", "-o", str(tmp_path / "letter.pdf")]) == 0
    for name in [*files, "register.pdf", "report.pdf", "letter.pdf"]:
        fonts = pdf_fonts(tmp_path / name)
        assert fonts and all(fonts.values()), (name, fonts)


def test_what_a_case_can_print_follows_its_history_and_the_users_right(office, tmp_path):
    from tthc_desk.domain import Role
    from tthc_desk.errors import InvalidTransition, ValidationError

    sv, admin, clock, code, unit, _db = office

    def offered():
        return {c.kind: c.reason for c in sv.documents.choices(admin, code)}

    choices = sv.documents.choices(admin, code)
    assert [c.kind for c in choices] == ["receipt", "supplement", "refusal", "apology", "control"]
    assert choices[1].label == "Mẫu số 02 — Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"  # from the office's form set
    assert offered() == {"receipt": None, "supplement": "Hồ sơ chưa có yêu cầu bổ sung nào để in phiếu.",
                         "refusal": "Chỉ in phiếu từ chối cho hồ sơ đã bị từ chối.",
                         "apology": "Hồ sơ chưa được ghi nhận xin lỗi và hẹn lại.", "control": None}
    with pytest.raises(InvalidTransition, match="chưa có yêu cầu bổ sung"):  # the printing refuses it likewise
        sv.documents.render(admin, code, "supplement")
    sv.workflow.request_supplement(admin, code, "Thiếu bản sao giấy khai sinh", ["Bản sao giấy khai sinh"])
    assert offered()["supplement"] is None
    assert "Bản sao giấy khai sinh" in pdf_text(sv.documents.render(admin, code, "supplement"), tmp_path)
    sv.workflow.receive_supplement(admin, code)
    clock.set(datetime(2025, 2, 4, 9, 0))
    sv.workflow.extend(admin, code, "Chờ xác minh", datetime(2025, 2, 12, 17, 0))
    assert offered()["apology"] is None and offered()["refusal"] is not None
    sv.accounts.create_user(admin, "xem", "Người Xem", Role.SPECIALIST, "matkhau123", unit_id=unit)
    specialist = sv.accounts.login("xem", "matkhau123")  # every role may print: what differs is the case
    assert {c.kind: c.reason for c in sv.documents.choices(specialist, code)} == offered()
    with pytest.raises(ValidationError):
        sv.documents.render(admin, code, "register")  # not a case document


def test_a_stopped_case_gets_the_2025_stop_notice_and_only_where_the_form_set_has_it(office, tmp_path, capsys):
    from dataclasses import replace

    from tthc_desk.errors import InvalidTransition

    sv, admin, clock, code, _unit, db = office
    assert "stop_notice" not in [c.kind for c in sv.documents.choices(admin, code)]  # TT 01/2018 has no such form
    from tthc_desk.errors import ValidationError

    with pytest.raises(ValidationError, match="không có thông báo dừng giải quyết hồ sơ; bộ mẫu 2025 có"):
        sv.documents.render(admin, code, "stop_notice")
    sv.office.update(admin, replace(sv.office.settings(admin), form_profile="bo_mau_2025"))
    [notice] = [c for c in sv.documents.choices(admin, code) if c.kind == "stop_notice"]
    assert notice.label == "Mẫu số 07 — Thông báo dừng giải quyết hồ sơ"
    assert notice.reason == "Chỉ in thông báo dừng cho hồ sơ đã dừng xử lý."
    with pytest.raises(InvalidTransition, match="đã dừng xử lý"):
        sv.documents.render(admin, code, "stop_notice")
    clock.set(datetime(2025, 2, 5, 14, 0))
    sv.workflow.stop(admin, code, "Người nộp đề nghị dừng để bổ sung giấy tờ theo quy định mới.")
    assert {c.kind: c.reason for c in sv.documents.choices(admin, code)}["stop_notice"] is None
    clock.set(datetime(2025, 2, 7, 8, 0))  # printed two days later: the notice still dates from the stop
    text = pdf_text(sv.documents.render(admin, code, "stop_notice"), tmp_path)
    for expected in ("Mẫu số 07", "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ", "Số: 01/TB-UBND",
                     "Tây Sơn, ngày 05 tháng 02 năm 2025", "Kính gửi: Ông/Bà Nguyễn Thị Ánh Tuyết", code,
                     "Ngày 03 tháng 02 năm 2025, Bộ phận Một cửa huyện Tây Sơn tiếp nhận hồ sơ",
                     "đề nghị giải quyết thủ tục cấp Giấy xác nhận tình trạng hôn nhân (mã 1.004873)",
                     "Ủy ban nhân dân huyện Tây Sơn thông báo dừng giải quyết hồ sơ",
                     "kể từ ngày 05 tháng 02 năm 2025", "lý do: Người nộp đề nghị dừng để bổ sung giấy tờ theo quy định mới.",
                     "Bộ phận Một cửa huyện Tây Sơn để được hướng dẫn và nhận lại hồ sơ", "KT. CHỦ TỊCH",
                     "Nguyễn Văn Hùng", "Nơi nhận", "Lưu: VT, BPMC"):
        assert expected in text, expected
    [letter] = sv.casefile.detail(admin, code).letters
    assert (letter["kind"], letter["number"]) == ("stop_notice", "01/TB-UBND")
    out = tmp_path / "tb.pdf"
    assert cli(["--db", db.url, "--now", "2025-02-07 08:00", "print", "stop_notice", code, "-o", str(out)]) == 0
    assert "Số: 01/TB-UBND" in " ".join(subprocess.run(["pdftotext", str(out), "-"], capture_output=True,
                                                       text=True, check=True).stdout.split())  # a reprint, same number
    assert len(sv.casefile.detail(admin, code).letters) == 1


def test_looking_at_a_letter_issues_nothing_and_takes_no_number(office, tmp_path):
    """A preview shows the number the letter would carry, but only printing or saving it (render) records it:
    a letter looked at and closed leaves no gap in the office's series and no line in the case's history."""
    sv, admin, clock, code, _unit, _db = office
    sv.workflow.refuse(admin, code, "Hồ sơ không thuộc thẩm quyền")
    events = len(sv.casefile.detail(admin, code).events)
    for _ in range(2):
        assert "Số: 01/PTC-BPMC" in pdf_text(sv.documents.preview(admin, code, "refusal"), tmp_path)
    assert sv.casefile.detail(admin, code).letters == [] and len(sv.casefile.detail(admin, code).events) == events
    assert "Số: 01/PTC-BPMC" in pdf_text(sv.documents.render(admin, code, "refusal"), tmp_path)  # the same number
    detail = sv.casefile.detail(admin, code)
    assert [(lt["kind"], lt["number"]) for lt in detail.letters] == [("refusal", "01/PTC-BPMC")]
    assert len(detail.events) == events + 1
    assert "Số: 01/PTC-BPMC" in pdf_text(sv.documents.preview(admin, code, "refusal"), tmp_path)  # its own number
    from tthc_desk.errors import InvalidTransition

    with pytest.raises(InvalidTransition, match="bổ sung"):
        sv.documents.preview(admin, code, "supplement")  # a preview refuses what printing refuses


def test_the_receipt_previews_and_prints_in_two_lien(office, tmp_path):
    from tthc_desk.errors import ValidationError

    sv, admin, _clock, code, _unit, _db = office
    for make in (sv.documents.preview, sv.documents.render):
        text = pdf_text(make(admin, code, "receipt", copies=2), tmp_path)
        assert "Liên 1: Giao cho người nộp hồ sơ" in text and "Liên 2: Lưu tại Bộ phận" in text
        assert text.count(code) >= 2
    assert "Liên 1" not in pdf_text(sv.documents.preview(admin, code, "receipt"), tmp_path)
    with pytest.raises(ValidationError):
        sv.documents.preview(admin, code, "control", copies=2)
