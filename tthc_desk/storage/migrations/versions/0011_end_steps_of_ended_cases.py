"""A case that ended while a unit held it no longer leaves that unit's step open

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23

An import before a64e149 finished or closed a case the desk had handed to a unit without ending the unit's
step: its `finished_at` stayed empty, so the late-case table blamed the unit for a hand-off that never ends
(`reports.accountability.overran`) and `check` names the case ("đã kết thúc nhưng còn bước chuyển xử lý chưa
kết thúc"). The import now ends such a step (`sync.service_update._close_open_steps`); the steps already left
open get the same end: every open step of a case whose status is not an open one (the very cases `check`
names) ends at the case's result moment, else its closing, else its hand-back, and never before the step began
(a portal day without a time, or a result the portal dates before the desk's hand-off).

A case with none of the three moments (a closing or a finish an import wrote before it took a moment of its
own for them) ends the step when it began. Nothing tells when such a case ended, and the unit must not be
blamed for a time nobody recorded: the reports already read such a closing as the receipt
(`reports.predicates.FULL`), and `check` names a finish without a result moment on its own. (The import takes
its own moment instead; this upgrade runs long after the import did, and its moment would blame the unit for
the time in between.)

The desk's own result and closings have ended the step, at the moment they write on the case, since the first
revision (`WorkflowService._close_open_step`): none of their cases holds such a step, and one would be ended
at that very moment. The handler is left as it was (the import names no officer of the unit). No event is
added to the cases' histories, as 0007 and 0009 added none: each history already holds the import's event that
ended the case, and the step's end follows from it, as it does when the import ends a step now.
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# the statuses of a case still being worked (domain.OPEN_STATUSES), as `check` reads them
OPEN = "('received', 'processing', 'waiting_supplement')"
# when the case ended, no earlier than the step began; a correlated subquery on the step's case, portable SQL
MOMENT = "COALESCE(c.result_at, c.closed_at, c.returned_at, case_step.started_at)"
ENDED_AT = (f"(SELECT CASE WHEN {MOMENT} < case_step.started_at THEN case_step.started_at ELSE {MOMENT} END "
            "FROM case_file c WHERE c.id = case_step.case_id)")


def upgrade() -> None:
    op.execute(f"UPDATE case_step SET finished_at = {ENDED_AT} WHERE finished_at IS NULL "
               f"AND case_id IN (SELECT id FROM case_file WHERE status NOT IN {OPEN})")


def downgrade() -> None:
    raise RuntimeError("Migrations are forward-only; restore the backup taken before the upgrade.")
