"""The first-run set-up of a new database: office details and letterhead, the administrator's own password and
the commune-level catalogue, in one transaction that leaves the database as it was when anything is refused."""

from __future__ import annotations

import unicodedata

import pytest
from sqlalchemy import select

from tthc_desk.domain import Role
from tthc_desk.errors import ImportFailed, PermissionDenied, ValidationError
from tthc_desk.paths import bundled_catalogue
from tthc_desk.services.office import OfficeSettings
from tthc_desk.storage.models import AuditEntry, Procedure

CSV = bundled_catalogue()
HEAD = {"prefix": "TM.", "authority": "ỦY BAN NHÂN DÂN", "title": "CHỦ TỊCH", "name": "Lê Thị Hồng"}


def _settings(**changes) -> OfficeSettings:
    values = dict(name="Bộ phận Một cửa xã An Bình", code="000.00.31.H42", place_name="An Bình",
                  parent_body="ỦY BAN NHÂN DÂN\nXÃ AN BÌNH", issuing_body="BỘ PHẬN MỘT CỬA", signers=[HEAD])
    return OfficeSettings(**{**values, **changes})


def _state(services, admin):
    """What a refused set-up must leave as it was."""
    with services.db.read() as s:
        procedures = s.execute(select(Procedure.code)).scalars().all()
        audits = s.execute(select(AuditEntry.action)).scalars().all()
    return services.office.settings(admin), sorted(procedures), audits


def test_set_up_a_new_office_in_one_step(services, admin, rows_in, passwords) -> None:
    name = unicodedata.normalize("NFD", "Bộ phận Một cửa xã An Bình")  # as some Vietnamese keyboards type it
    report = services.office.first_setup(admin, _settings(name=name), "matkhau-moi", catalogue=CSV)

    st = services.office.settings(admin)
    assert (st.name, st.code, st.place_name) == ("Bộ phận Một cửa xã An Bình", "000.00.31.H42", "An Bình")
    assert st.parent_body == "ỦY BAN NHÂN DÂN\nXÃ AN BÌNH" and st.signers == [HEAD]
    assert (report.new, rows_in(Procedure)) == (588, 588)
    assert services.accounts.login("admin", "matkhau-moi").username == "admin"
    with pytest.raises(PermissionDenied):
        services.accounts.login("admin", passwords["admin"])  # the generated password no longer opens it
    with services.db.read() as s:
        actions = s.execute(select(AuditEntry.action).order_by(AuditEntry.id)).scalars().all()
    assert actions[-2:] == ["first_setup", "catalogue_import"]


def test_without_the_catalogue(services, admin, rows_in) -> None:
    assert services.office.first_setup(admin, _settings(), "matkhau-moi") is None
    assert rows_in(Procedure) == 0 and services.office.settings(admin).code == "000.00.31.H42"


@pytest.mark.parametrize(("settings", "password", "field"), [
    (_settings(code="17.H10"), "matkhau-moi", "code"),
    (_settings(name="  "), "matkhau-moi", "name"),
    (_settings(), "12345", "password"),
])
def test_a_refused_set_up_changes_nothing(services, admin, settings, password, field, passwords) -> None:
    before = _state(services, admin)
    with pytest.raises(ValidationError) as refused:
        services.office.first_setup(admin, settings, password, catalogue=CSV)
    assert refused.value.field == field
    assert _state(services, admin) == before
    assert services.accounts.login("admin", passwords["admin"]).username == "admin"


def test_a_broken_catalogue_file_changes_nothing(services, admin, tmp_path) -> None:
    broken = tmp_path / "danh_muc.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    before = _state(services, admin)
    with pytest.raises(ImportFailed):
        services.office.first_setup(admin, _settings(), "matkhau-moi", catalogue=broken)
    assert _state(services, admin) == before


def test_only_an_administrator_sets_up(services, make_user, desk_unit_id, passwords) -> None:
    desk = make_user("tiepnhan", Role.DESK, desk_unit_id)
    with pytest.raises(PermissionDenied):
        services.office.first_setup(desk, _settings(), "matkhau-moi")
    assert services.accounts.login("tiepnhan", passwords["user"]).username == "tiepnhan"


def test_not_once_the_office_has_cases(services, admin, register) -> None:
    register("Nguyễn Văn Anh")
    before = _state(services, admin)
    with pytest.raises(ValidationError, match="Cài đặt"):
        services.office.first_setup(admin, _settings(), "matkhau-moi")
    assert _state(services, admin) == before


@pytest.mark.parametrize(("parent", "title", "name", "signer"), [
    ("ỦY BAN NHÂN DÂN\nXÃ AN BÌNH", "Chủ tịch", "Lê Thị Hồng", ("TM.", "ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Lê Thị Hồng")),
    ("ỦY BAN NHÂN DÂN|XÃ AN BÌNH", "phó chủ tịch", "Lê Văn Tư", ("KT.", "CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Văn Tư")),
    ("", "Trưởng Bộ phận Một cửa", "Hà", ("", "", "TRƯỞNG BỘ PHẬN MỘT CỬA", "Hà")),
    ("ỦY BAN NHÂN DÂN", "", "Lê Thị Hồng", ("TM.", "ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Lê Thị Hồng")),
])
def test_the_heads_signature_follows_the_national_layout(parent, title, name, signer) -> None:
    from tthc_desk.services.office import head_signer

    assert head_signer(parent, title, name) == [dict(zip(("prefix", "authority", "title", "name"), signer, strict=True))]
    assert head_signer(parent, " ", "") == []
