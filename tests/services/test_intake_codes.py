"""Intake (what the desk's form stores and refuses) and the case codes and register numbers it hands out."""

from __future__ import annotations

import unicodedata
from datetime import datetime

import pytest
from svchelpers import OFFICE, case_row

from tthc_desk.errors import NotFound, ValidationError
from tthc_desk.storage.models import (
    Case,
    CaseEvent,
    Sequence,
)

NFD_NAME = unicodedata.normalize("NFD", "Nguyễn Văn Ấn")
NFD_ADDRESS = unicodedata.normalize("NFD", "Thôn Hòa Lạc, xã Bình Tân")


def test_text_is_stored_in_nfc_and_trimmed(services, admin, register) -> None:
    assert NFD_NAME != "Nguyễn Văn Ấn"  # the input really is decomposed
    res = register(f"  {NFD_NAME}  ", applicant_address=f" {NFD_ADDRESS}\n", owner_name="\tTrần   Thị  Bình ",
                   applicant_email="  An.Nguyen@Example.VN ")
    row = case_row(services, res.code)
    assert row.applicant_name == "Nguyễn Văn Ấn"
    assert unicodedata.is_normalized("NFC", row.applicant_name)
    assert row.applicant_address == "Thôn Hòa Lạc, xã Bình Tân"
    assert row.owner_name == "Trần Thị Bình"
    assert row.applicant_email == "an.nguyen@example.vn"


def test_id_and_phone_numbers_are_digits_kept_as_text(services, admin, register) -> None:
    res = register(applicant_id_number="001 234.567 890", applicant_phone="+84 912 345 678",
                   owner_id_number="000000000001")
    detail = services.casefile.detail(admin, res.code).as_dict()
    assert detail["applicant"]["id_number"] == "001234567890"
    assert detail["applicant"]["phone"] == "0912345678"
    assert detail["owner"]["id_number"] == "000000000001"
    assert isinstance(detail["code"], str)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("applicant_id_number", "12345678901", "12 chữ số"),
    ("applicant_id_number", "0012345678901", "12 chữ số"),
    ("owner_id_number", "123", "12 chữ số"),
    ("applicant_phone", "091234567", "Số điện thoại"),
    ("applicant_phone", "1912345678", "Số điện thoại"),
    ("applicant_email", "an@", "thư điện tử"),
    ("applicant_email", "an nguyen@example.vn", "thư điện tử"),
    ("applicant_name", "   ", "họ tên"),
    ("channel", "fax", "Kênh nộp"),
    ("code", "HS-2025-01", "Mã hồ sơ"),
])
def test_invalid_input_is_refused_in_vietnamese_and_writes_nothing(services, register, rows_in, field, value,
                                                                    message) -> None:
    form = {field: value}
    name = form.pop("applicant_name", "Nguyễn Văn An")
    with pytest.raises(ValidationError, match=message) as err:
        register(name, **form)
    assert err.value.field == field
    assert (rows_in(Case), rows_in(CaseEvent), rows_in(Sequence)) == (0, 0, 0)


def test_saving_twice_with_the_same_token_gives_one_case(services, register, rows_in) -> None:
    first = register(intake_token="form-7f3a")
    again = register(intake_token="form-7f3a")
    assert first.created and not again.created
    assert (again.case_id, again.code, again.register_number) == (first.case_id, first.code, first.register_number)
    assert (rows_in(Case), rows_in(CaseEvent)) == (1, 1)
    assert register().register_number == 2  # the repeat consumed no number


def test_intake_result_carries_due_and_trace(services, register) -> None:
    res = register()  # Mon 03/03/2025 08:00, 3 working days
    assert res.due_at == datetime(2025, 3, 6, 8, 0)
    assert res.trace.due_at == res.due_at
    assert res.trace.rule == "3 ngày làm việc"


def test_procedure_with_unclear_time_needs_an_explicit_rule(services, admin, register, make_procedure) -> None:
    unclear = services.catalogue.save(admin, None, code="9.900001", name="Thủ tục chưa rõ thời hạn", confirmed=False)
    with pytest.raises(ValidationError, match="chưa có thời hạn"):
        register(procedure_id=unclear)
    res = register(procedure_id=unclear, rule_amount=2, rule_unit="working_days")
    assert res.due_at == datetime(2025, 3, 5, 8, 0)
    with pytest.raises(NotFound):
        register(procedure_id=999_999)


def test_online_case_keeps_the_code_it_came_with(services, register) -> None:
    code = "000.17.22.H56-250302-0042"
    assert register(code=code, channel="online").code == code
    with pytest.raises(ValidationError, match="đã có trong sổ"):
        register(code=code, channel="online")
    assert register().code == f"{OFFICE}-250303-0001"  # the office's own sequence is untouched


# ====================================================================================== codes, register
def test_codes_restart_every_day_register_numbers_run_through_the_year(services, register, clock) -> None:
    day1 = [register(f"Người {i}") for i in range(3)]
    clock.set(datetime(2025, 3, 4, 9, 0))
    day2 = [register(f"Người {i}") for i in range(2)]
    assert [r.code for r in day1] == [f"{OFFICE}-250303-000{i}" for i in (1, 2, 3)]
    assert [r.code for r in day2] == [f"{OFFICE}-250304-000{i}" for i in (1, 2)]
    assert [r.register_number for r in day1 + day2] == [1, 2, 3, 4, 5]
    # the register is closed at year end: a new year starts again from 1
    clock.set(datetime(2025, 12, 31, 16, 0))
    last = register("Cuối năm")
    clock.set(datetime(2026, 1, 5, 8, 0))
    first = register("Đầu năm")
    assert (last.register_number, first.register_number) == (6, 1)
    assert (case_row(services, last.code).register_year, case_row(services, first.code).register_year) == (2025, 2026)
    assert first.code == f"{OFFICE}-260105-0001"


def test_code_follows_the_receipt_date_not_the_clock(services, register) -> None:
    res = register(received_at=datetime(2025, 2, 28, 16, 30))
    assert res.code == f"{OFFICE}-250228-0001"
    assert res.due_at == datetime(2025, 3, 5, 17, 0)  # after the cut-off (Fri): counted from Mon 07:00
