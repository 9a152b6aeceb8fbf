"""A case imported as handed back without a "Ngày có kết quả" takes the hand-back as its result moment

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22

The import left `result_at` empty for a portal row stating "Đã trả kết quả" with only a "Ngày trả": such a case
was counted open, and soon overdue, by every later report, and blamed on its unit. The result was ready by the
hand-back at the latest, which the import now takes (`sync.service_model.result_moment`); the cases already
imported get the same. A finished case with neither moment stays as it is: `check` names how many there are.
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("UPDATE case_file SET result_at = returned_at "
               "WHERE status IN ('result_ready', 'returned') AND result_at IS NULL AND returned_at IS NOT NULL")


def downgrade() -> None:
    raise RuntimeError("Migrations are forward-only; restore the backup taken before the upgrade.")
