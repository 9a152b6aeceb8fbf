"""Statutory holidays already seeded show their legal basis, not the library their dates came from

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23

Offices set up before this revision were seeded from the shipped list of days off with its `nguon` column as the
basis ("Căn cứ" in Danh mục › Lịch làm việc): "python-holidays 0.109 …" on every statutory holiday. New offices
get "Bộ luật Lao động 2019, Điều 112" for those (`calendar_service.STATUTORY_BASIS`); this gives the same to the
days still holding the shipped text. A basis an administrator typed is kept.
"""

import csv
from datetime import date

import sqlalchemy as sa
from alembic import op

from tthc_desk.paths import resource_path

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

BASIS = "Bộ luật Lao động 2019, Điều 112"  # as calendar_service.STATUTORY_BASIS when this was written


def upgrade() -> None:
    stmt = sa.text("UPDATE calendar_override SET source = :basis WHERE day = :day AND source = :shipped").bindparams(
        sa.bindparam("day", type_=sa.Date)
    )
    with resource_path("data", "ngay_nghi_2020_2026.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["loai"] == "le_tet"]
    for row in rows:
        op.get_bind().execute(stmt, {"basis": BASIS, "day": date.fromisoformat(row["ngay"]),
                                     "shipped": " ".join(row["nguon"].split())})


def downgrade() -> None:
    raise RuntimeError("Migrations are forward-only; restore the backup taken before the upgrade.")
