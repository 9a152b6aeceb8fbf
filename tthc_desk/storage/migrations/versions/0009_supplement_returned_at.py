"""When papers were last received back, so that a report for a past period sees the cases waiting at its end

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23

The reports counted a case as "Chờ bổ sung" at a period's end only from its current status: October's report run
in late November no longer saw a case that waited at the end of October and had its papers back in November, and
no longer matched the report submitted on 1 November. `supplement_returned_at` (the end of the latest wait) tells
it. The cases already recorded take it from their latest 'supplement_received' event, when that ended the latest
request; a case asked again since is still waiting (NULL). A partial index finds the few cases whose wait ended
after a period's end, which the reports count again with every column (`reports.aggregate.count`).
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# the latest papers-back moment of each case, one correlated subquery (index on case_event.case_id); portable SQL
LAST_BACK = (
    "(SELECT MAX(e.at) FROM case_event e WHERE e.case_id = case_file.id AND e.kind = 'supplement_received')"
)


def upgrade() -> None:
    # a database stamped back to an earlier revision (as the upgrade tests do) already holds the column
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("case_file")}
    if "supplement_returned_at" not in columns:
        op.add_column("case_file", sa.Column("supplement_returned_at", sa.DateTime(), nullable=True))
    op.execute(
        f"UPDATE case_file SET supplement_returned_at = {LAST_BACK} "
        f"WHERE supplement_requested_at IS NOT NULL AND {LAST_BACK} > supplement_requested_at"
    )
    held = sa.text("supplement_returned_at IS NOT NULL")
    op.create_index("ix_case_returned", "case_file", ["supplement_returned_at"], sqlite_where=held,
                    postgresql_where=held, if_not_exists=True)


def downgrade() -> None:
    raise RuntimeError("Migrations are forward-only; restore the backup taken before the upgrade.")
