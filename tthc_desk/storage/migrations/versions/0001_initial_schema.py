"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22 02:28:45.475835
"""

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('calendar_override',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('working', sa.Boolean(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('confirmed', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_override')),
    sa.UniqueConstraint('day', name=op.f('uq_calendar_override_day'))
    )
    op.create_table('import_mapping',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('signature', sa.String(length=64), nullable=False),
    sa.Column('mapping', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_mapping')),
    sa.UniqueConstraint('signature', name=op.f('uq_import_mapping_signature'))
    )
    op.create_table('office',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('place_name', sa.String(length=100), nullable=False),
    sa.Column('parent_body', sa.Text(), nullable=False),
    sa.Column('issuing_body', sa.String(length=255), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('signers', sa.JSON(), nullable=False),
    sa.Column('sessions', sa.String(length=60), nullable=False),
    sa.Column('cutoff', sa.String(length=5), nullable=False),
    sa.Column('warning_minutes', sa.Integer(), nullable=False),
    sa.Column('supplement_mode', sa.String(length=10), nullable=False),
    sa.Column('on_time_target', sa.Float(), nullable=False),
    sa.Column('form_profile', sa.String(length=40), nullable=False),
    sa.Column('settings', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_office')),
    sa.UniqueConstraint('code', name=op.f('uq_office_code'))
    )
    op.create_table('sequence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], name=op.f('fk_sequence_office_id_office')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sequence')),
    sa.UniqueConstraint('office_id', 'kind', 'period', name=op.f('uq_sequence_office_id'))
    )
    op.create_table('unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('needs_review', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], name=op.f('fk_unit_office_id_office')),
    sa.ForeignKeyConstraint(['parent_id'], ['unit.id'], name=op.f('fk_unit_parent_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit')),
    sa.UniqueConstraint('office_id', 'name', name=op.f('uq_unit_office_id'))
    )
    op.create_table('app_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('username', sa.String(length=60), nullable=False),
    sa.Column('full_name', sa.String(length=255), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], name=op.f('fk_app_user_office_id_office')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_app_user_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_app_user')),
    sa.UniqueConstraint('username', name=op.f('uq_app_user_username'))
    )
    op.create_table('procedure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('national_code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('name_folded', sa.Text(), nullable=False),
    sa.Column('field', sa.String(length=255), nullable=False),
    sa.Column('levels', sa.String(length=120), nullable=False),
    sa.Column('decision', sa.String(length=255), nullable=False),
    sa.Column('agency', sa.Text(), nullable=False),
    sa.Column('fee', sa.Text(), nullable=False),
    sa.Column('direct_amount', sa.Float(), nullable=True),
    sa.Column('direct_unit', sa.String(length=20), nullable=True),
    sa.Column('online_amount', sa.Float(), nullable=True),
    sa.Column('online_unit', sa.String(length=20), nullable=True),
    sa.Column('post_amount', sa.Float(), nullable=True),
    sa.Column('post_unit', sa.String(length=20), nullable=True),
    sa.Column('needs_review', sa.Boolean(), nullable=False),
    sa.Column('review_note', sa.Text(), nullable=False),
    sa.Column('papers', sa.JSON(), nullable=False),
    sa.Column('lead_unit_id', sa.Integer(), nullable=True),
    sa.Column('cooperating', sa.Text(), nullable=False),
    sa.Column('workflow', sa.JSON(), nullable=False),
    sa.Column('supplement_mode', sa.String(length=10), nullable=True),
    sa.Column('warning_minutes', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('source', sa.String(length=120), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['lead_unit_id'], ['unit.id'], name=op.f('fk_procedure_lead_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procedure')),
    sa.UniqueConstraint('code', name=op.f('uq_procedure_code'))
    )
    with op.batch_alter_table('procedure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_procedure_field'), ['field'], unique=False)
        batch_op.create_index(batch_op.f('ix_procedure_national_code'), ['national_code'], unique=False)

    op.create_table('audit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.String(length=80), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_audit_user_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit'))
    )
    op.create_table('case_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=80), nullable=False),
    sa.Column('register_year', sa.Integer(), nullable=True),
    sa.Column('register_number', sa.Integer(), nullable=True),
    sa.Column('procedure_id', sa.Integer(), nullable=True),
    sa.Column('procedure_code', sa.String(length=60), nullable=False),
    sa.Column('procedure_name', sa.Text(), nullable=False),
    sa.Column('field', sa.String(length=255), nullable=False),
    sa.Column('rule_amount', sa.Float(), nullable=True),
    sa.Column('rule_unit', sa.String(length=20), nullable=True),
    sa.Column('supplement_mode', sa.String(length=10), nullable=False),
    sa.Column('rule_snapshot', sa.JSON(), nullable=False),
    sa.Column('applicant_name', sa.String(length=255), nullable=False),
    sa.Column('applicant_id_number', sa.String(length=20), nullable=False),
    sa.Column('applicant_phone', sa.String(length=20), nullable=False),
    sa.Column('applicant_email', sa.String(length=255), nullable=False),
    sa.Column('applicant_address', sa.Text(), nullable=False),
    sa.Column('owner_name', sa.String(length=255), nullable=False),
    sa.Column('owner_id_number', sa.String(length=20), nullable=False),
    sa.Column('owner_address', sa.Text(), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('return_channel', sa.String(length=10), nullable=False),
    sa.Column('papers', sa.JSON(), nullable=False),
    sa.Column('sets_count', sa.Integer(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('clock_from', sa.DateTime(), nullable=True),
    sa.Column('due_at', sa.DateTime(), nullable=True),
    sa.Column('original_due_at', sa.DateTime(), nullable=True),
    sa.Column('warn_at', sa.DateTime(), nullable=True),
    sa.Column('warn_minutes', sa.Integer(), nullable=False),
    sa.Column('lead_unit_id', sa.Integer(), nullable=True),
    sa.Column('current_unit_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('is_open', sa.Boolean(), nullable=False),
    sa.Column('result_at', sa.DateTime(), nullable=True),
    sa.Column('returned_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('close_reason', sa.Text(), nullable=False),
    sa.Column('paused_minutes_left', sa.Integer(), nullable=True),
    sa.Column('supplement_requested_at', sa.DateTime(), nullable=True),
    sa.Column('supplement_count', sa.Integer(), nullable=False),
    sa.Column('extension_count', sa.Integer(), nullable=False),
    sa.Column('received_by_id', sa.Integer(), nullable=True),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('intake_token', sa.String(length=64), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('portal_updated_at', sa.DateTime(), nullable=True),
    sa.Column('synced_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['current_unit_id'], ['unit.id'], name=op.f('fk_case_file_current_unit_id_unit')),
    sa.ForeignKeyConstraint(['lead_unit_id'], ['unit.id'], name=op.f('fk_case_file_lead_unit_id_unit')),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], name=op.f('fk_case_file_office_id_office')),
    sa.ForeignKeyConstraint(['officer_id'], ['app_user.id'], name=op.f('fk_case_file_officer_id_app_user')),
    sa.ForeignKeyConstraint(['procedure_id'], ['procedure.id'], name=op.f('fk_case_file_procedure_id_procedure')),
    sa.ForeignKeyConstraint(['received_by_id'], ['app_user.id'], name=op.f('fk_case_file_received_by_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_file')),
    sa.UniqueConstraint('code', name=op.f('uq_case_file_code')),
    sa.UniqueConstraint('intake_token', name=op.f('uq_case_file_intake_token')),
    sa.UniqueConstraint('office_id', 'register_year', 'register_number', name=op.f('uq_case_file_office_id'))
    )
    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_file_current_unit_id'), ['current_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_file_office_id'), ['office_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_file_officer_id'), ['officer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_file_procedure_id'), ['procedure_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_file_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_file_updated_at'), ['updated_at'], unique=False)
        batch_op.create_index('ix_case_open_due', ['is_open', 'original_due_at'], unique=False)
        batch_op.create_index('ix_case_received', ['received_at'], unique=False)
        batch_op.create_index('ix_case_report', ['lead_unit_id', 'received_at', 'original_due_at', 'result_at', 'status', 'channel'], unique=False)

    op.create_table('export_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('changed_since', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_export_record_user_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_export_record'))
    )
    op.create_table('case_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_case_event_case_id_case_file')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_case_event_unit_id_unit')),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_case_event_user_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_event')),
    sa.UniqueConstraint('case_id', 'seq', name=op.f('uq_case_event_case_id'))
    )
    with op.batch_alter_table('case_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_event_case_id'), ['case_id'], unique=False)

    op.create_table('case_step',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('from_unit_id', sa.Integer(), nullable=True),
    sa.Column('given_by_id', sa.Integer(), nullable=True),
    sa.Column('handled_by_id', sa.Integer(), nullable=True),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('due_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('share_minutes', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_case_step_case_id_case_file')),
    sa.ForeignKeyConstraint(['from_unit_id'], ['unit.id'], name=op.f('fk_case_step_from_unit_id_unit')),
    sa.ForeignKeyConstraint(['given_by_id'], ['app_user.id'], name=op.f('fk_case_step_given_by_id_app_user')),
    sa.ForeignKeyConstraint(['handled_by_id'], ['app_user.id'], name=op.f('fk_case_step_handled_by_id_app_user')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_case_step_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_step'))
    )
    with op.batch_alter_table('case_step', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_step_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_step_unit_id'), ['unit_id'], unique=False)

    op.create_table('letter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('signer', sa.String(length=255), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_letter_case_id_case_file')),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_letter_user_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter'))
    )
    with op.batch_alter_table('letter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letter_case_id'), ['case_id'], unique=False)




def downgrade() -> None:
    raise RuntimeError("Migrations are forward-only; restore the backup taken before the upgrade.")
