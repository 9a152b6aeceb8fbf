"""Importing the procedure catalogue through the service: the shipped CSV, portal workbooks, re-imports,
dry runs, an administrator's confirmed time."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from tthc_desk.catalogue_files import read_catalogue
from tthc_desk.paths import resource_path
from tthc_desk.storage.models import (
    AuditEntry,
    Procedure,
)

CSV = resource_path("data", "thu_tuc_cap_xa.csv")
XLSX_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "catalogue_xlsx"


def test_catalogue_import_from_the_shipped_csv(services, admin, rows_in) -> None:
    report = services.catalogue.import_file(admin, CSV)
    assert (report.rows, report.new, report.updated, report.unchanged) == (588, 588, 0, 0)
    assert rows_in(Procedure) == 588
    with services.db.read() as s:
        flagged = s.execute(select(Procedure.code).where(Procedure.needs_review.is_(True))).scalars().all()
        unclear = s.get(Procedure, s.execute(select(Procedure.id).where(Procedure.code == "1.000005")).scalar_one())
        birth = s.execute(select(Procedure).where(Procedure.code == "1.001193")).scalar_one()
        death = s.execute(select(Procedure).where(Procedure.code == "1.000314")).scalar_one()
    assert report.needs_review == len(flagged) > 0
    assert unclear.needs_review and unclear.direct_unit is None and unclear.review_note  # '?120,000' on the portal
    assert birth.needs_review and birth.direct_unit is None and "Thiếu đơn vị" in birth.review_note  # a bare '1'
    assert not death.needs_review and (death.direct_amount, death.direct_unit) == (7, "working_days")
    hits = services.catalogue.search(admin, "dang ky khai sinh")
    assert "1.001193" in {p.code for p in hits}


def test_catalogue_reimport_changes_nothing(services, admin, rows_in) -> None:
    services.catalogue.import_file(admin, CSV)
    with services.db.read() as s:
        before = {p.code: (p.name, p.direct_amount, p.direct_unit, p.needs_review)
                  for p in s.execute(select(Procedure)).scalars()}
    again = services.catalogue.import_file(admin, CSV)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 588)
    with services.db.read() as s:
        after = {p.code: (p.name, p.direct_amount, p.direct_unit, p.needs_review)
                 for p in s.execute(select(Procedure)).scalars()}
    assert after == before


def test_catalogue_dry_run_writes_nothing(services, admin, rows_in) -> None:
    audit = rows_in(AuditEntry)
    report = services.catalogue.import_file(admin, CSV, dry_run=True)
    assert report.dry_run and report.new == 588
    assert (rows_in(Procedure), rows_in(AuditEntry)) == (0, audit)


def test_catalogue_import_keeps_an_administrators_confirmed_time(services, admin) -> None:
    services.catalogue.import_file(admin, CSV)
    pid = services.catalogue.get(admin, code="1.000005").id
    services.catalogue.save(admin, pid, code="1.000005", name="Thủ tục hải quan (đã xác nhận)",
                            durations={"direct": (5, "working_days")})
    services.catalogue.import_file(admin, CSV)
    view = services.catalogue.get(admin, code="1.000005")
    assert not view.needs_review and view.durations["direct"] == "5 ngày làm việc"


def test_catalogue_import_from_a_portal_workbook(services, admin, rows_in) -> None:
    path = XLSX_DIR / "danh-sach-tthc-BoTuPhap.xlsx"
    if not path.is_file():
        pytest.skip(f"shared portal workbook not present: {path}")
    codes = {r.code for r in read_catalogue(path).records}
    report = services.catalogue.import_file(admin, path)
    assert report.rows == 271
    assert report.new == rows_in(Procedure) == len(codes)
    assert report.new + report.updated + report.unchanged == report.rows
    again = services.catalogue.import_file(admin, path)
    assert (again.new, again.updated) == (0, 0)
    assert rows_in(Procedure) == len(codes)
