"""What was last sent to (or taken from) the portal, by the case's version instead of by the minute

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22

"Changed since the last export" compared `updated_at` with `synced_at`, both kept to the minute: a correction
made in the same minute as an export was never sent (and an import in the same minute as a desk's change
overwrote it without a conflict). The case's `version` goes up with every change, so `synced_version` (the
version the portal has seen) tells exactly. Cases synced after their last change keep counting as synced.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("case_file", sa.Column("synced_version", sa.Integer(), nullable=True))
    op.execute("UPDATE case_file SET synced_version = version "
               "WHERE synced_at IS NOT NULL AND updated_at <= synced_at")


def downgrade() -> None:
    raise RuntimeError("Migrations are forward-only; restore the backup taken before the upgrade.")
