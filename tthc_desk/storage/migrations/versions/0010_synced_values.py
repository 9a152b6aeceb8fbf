"""What the portal last saw of a case, kept when the desk first changes it after a sync

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23

An import listed as a conflict every case the desk had changed since the last sync, even when the portal's file
still held exactly what it was last sent: a desk that moves cases forward every day and imports the portal's
file every morning was asked to decide about each of them. `synced_values` keeps the synced values when the
desk first changes a case after a sync (models._keep_synced), so that an import can tell a file with nothing
new (the desk's change is kept, as for an older row) from one the portal changed too (a conflict). The cases
already changed since their sync have none: they are listed as conflicts, as before.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a database stamped back to an earlier revision (as the upgrade tests do) already holds the column
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("case_file")}
    if "synced_values" not in columns:
        op.add_column("case_file", sa.Column("synced_values", sa.JSON(), nullable=True))


def downgrade() -> None:
    raise RuntimeError("Migrations are forward-only; restore the backup taken before the upgrade.")
