"""Lifecycle: onboarding kits and cases, offboarding cases, acknowledgements, repairs, depreciation.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 09:00:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    # Reviewed by hand after autogenerate.
    op.create_table('kit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('job_title', sa.String(length=200), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.String(length=2000), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_kit_department_id_department'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kit')),
    sa.UniqueConstraint('name', name=op.f('uq_kit_name'))
    )
    with op.batch_alter_table('kit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kit_department_id'), ['department_id'], unique=False)

    op.create_table('kit_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kit_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('model_id', sa.Integer(), nullable=True),
    sa.Column('min_specs', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('requirement', sa.String(length=500), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('computer', 'phone', 'mobile_device', 'network_device', 'peripheral')", name=op.f('ck_kit_line_kind')),
    sa.CheckConstraint('quantity BETWEEN 1 AND 100', name=op.f('ck_kit_line_quantity')),
    sa.ForeignKeyConstraint(['kit_id'], ['kit.id'], name=op.f('fk_kit_line_kit_id_kit'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['model_id'], ['asset_model.id'], name=op.f('fk_kit_line_model_id_asset_model'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kit_line'))
    )
    with op.batch_alter_table('kit_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kit_line_kit_id'), ['kit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_kit_line_model_id'), ['model_id'], unique=False)

    op.create_table('offboarding_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('last_day', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('status_before', sa.String(length=10), nullable=False),
    sa.Column('end_date_before', sa.Date(), nullable=True),
    sa.Column('note', sa.String(length=2000), nullable=True),
    sa.Column('opened_by', sa.String(length=200), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('cleared_by', sa.String(length=200), nullable=True),
    sa.Column('cleared_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_by', sa.String(length=200), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancel_reason', sa.String(length=2000), nullable=True),
    sa.CheckConstraint("state IN ('open', 'cleared', 'cancelled')", name=op.f('ck_offboarding_case_state')),
    sa.CheckConstraint("status_before IN ('active', 'leaving', 'left')", name=op.f('ck_offboarding_case_status_before')),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_offboarding_case_employee_id_employee'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offboarding_case'))
    )
    with op.batch_alter_table('offboarding_case', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_offboarding_case_employee_id'), ['employee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_offboarding_case_state'), ['state'], unique=False)
        batch_op.create_index('uq_offboarding_case_open_employee', ['employee_id'], unique=True, sqlite_where=sa.text("state = 'open'"), postgresql_where=sa.text("state = 'open'"))

    op.create_table('onboarding_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('kit_id', sa.Integer(), nullable=True),
    sa.Column('kit_name', sa.String(length=100), nullable=False),
    sa.Column('needed_by', sa.Date(), nullable=True),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('opened_by', sa.String(length=200), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_by', sa.String(length=200), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancel_reason', sa.String(length=2000), nullable=True),
    sa.CheckConstraint("state IN ('open', 'complete', 'cancelled')", name=op.f('ck_onboarding_case_state')),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_onboarding_case_employee_id_employee'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['kit_id'], ['kit.id'], name=op.f('fk_onboarding_case_kit_id_kit'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_onboarding_case'))
    )
    with op.batch_alter_table('onboarding_case', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_onboarding_case_employee_id'), ['employee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_onboarding_case_kit_id'), ['kit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_onboarding_case_state'), ['state'], unique=False)
        batch_op.create_index('uq_onboarding_case_open_employee', ['employee_id'], unique=True, sqlite_where=sa.text("state = 'open'"), postgresql_where=sa.text("state = 'open'"))

    op.create_table('repair',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('asset_id', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('supplier', sa.String(length=200), nullable=True),
    sa.Column('cost_cents', sa.BigInteger(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('started', sa.Date(), nullable=False),
    sa.Column('completed', sa.Date(), nullable=True),
    sa.Column('notes', sa.String(length=4000), nullable=True),
    sa.Column('opened_by', sa.String(length=200), nullable=False),
    sa.Column('completed_by', sa.String(length=200), nullable=True),
    sa.CheckConstraint("state IN ('open', 'completed')", name=op.f('ck_repair_state')),
    sa.CheckConstraint("type IN ('repair', 'upgrade', 'inspection')", name=op.f('ck_repair_type')),
    sa.CheckConstraint('cost_cents IS NULL OR cost_cents >= 0', name=op.f('ck_repair_cost')),
    sa.ForeignKeyConstraint(['asset_id'], ['asset.id'], name=op.f('fk_repair_asset_id_asset'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_repair'))
    )
    with op.batch_alter_table('repair', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_repair_asset_id'), ['asset_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_repair_state'), ['state'], unique=False)
        batch_op.create_index('uq_repair_open_asset', ['asset_id'], unique=True, sqlite_where=sa.text("state = 'open'"), postgresql_where=sa.text("state = 'open'"))

    op.create_table('acknowledgement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('superseded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('responded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ip_address', sa.String(length=45), nullable=True),
    sa.Column('user_agent', sa.String(length=500), nullable=True),
    sa.Column('reason', sa.String(length=2000), nullable=True),
    sa.CheckConstraint("state IN ('pending', 'accepted', 'refused')", name=op.f('ck_acknowledgement_state')),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignment.id'], name=op.f('fk_acknowledgement_assignment_id_assignment'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_acknowledgement')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_acknowledgement_token_hash'))
    )
    with op.batch_alter_table('acknowledgement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_acknowledgement_assignment_id'), ['assignment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_acknowledgement_state'), ['state'], unique=False)

    op.create_table('offboarding_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('asset_id', sa.Integer(), nullable=True),
    sa.Column('assignment_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=2000), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('added_by', sa.String(length=200), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolution', sa.String(length=20), nullable=True),
    sa.Column('condition', sa.String(length=50), nullable=True),
    sa.Column('note', sa.String(length=2000), nullable=True),
    sa.Column('transferred_to_id', sa.Integer(), nullable=True),
    sa.Column('closed_by', sa.String(length=200), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind = 'to_check' OR asset_id IS NOT NULL", name=op.f('ck_offboarding_line_held_asset')),
    sa.CheckConstraint("kind IN ('held', 'to_check')", name=op.f('ck_offboarding_line_kind')),
    sa.CheckConstraint("resolution IS NULL OR resolution IN ('returned', 'transferred', 'lost', 'stolen', 'confirmed')", name=op.f('ck_offboarding_line_resolution')),
    sa.CheckConstraint("state IN ('open', 'closed')", name=op.f('ck_offboarding_line_state')),
    sa.ForeignKeyConstraint(['asset_id'], ['asset.id'], name=op.f('fk_offboarding_line_asset_id_asset'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignment.id'], name=op.f('fk_offboarding_line_assignment_id_assignment'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['case_id'], ['offboarding_case.id'], name=op.f('fk_offboarding_line_case_id_offboarding_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['transferred_to_id'], ['employee.id'], name=op.f('fk_offboarding_line_transferred_to_id_employee'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offboarding_line'))
    )
    with op.batch_alter_table('offboarding_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_offboarding_line_asset_id'), ['asset_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_offboarding_line_assignment_id'), ['assignment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_offboarding_line_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_offboarding_line_state'), ['state'], unique=False)

    op.create_table('onboarding_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('model_id', sa.Integer(), nullable=True),
    sa.Column('min_specs', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('requirement', sa.String(length=500), nullable=True),
    sa.Column('asset_id', sa.Integer(), nullable=True),
    sa.Column('assignment_id', sa.Integer(), nullable=True),
    sa.Column('fulfilled_by', sa.String(length=200), nullable=True),
    sa.Column('fulfilled_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('computer', 'phone', 'mobile_device', 'network_device', 'peripheral')", name=op.f('ck_onboarding_line_kind')),
    sa.ForeignKeyConstraint(['asset_id'], ['asset.id'], name=op.f('fk_onboarding_line_asset_id_asset'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignment.id'], name=op.f('fk_onboarding_line_assignment_id_assignment'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['case_id'], ['onboarding_case.id'], name=op.f('fk_onboarding_line_case_id_onboarding_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['model_id'], ['asset_model.id'], name=op.f('fk_onboarding_line_model_id_asset_model'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_onboarding_line'))
    )
    with op.batch_alter_table('onboarding_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_onboarding_line_asset_id'), ['asset_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_onboarding_line_case_id'), ['case_id'], unique=False)

    # Column CHECKs in plain ALTER TABLE: the same statement on SQLite and PostgreSQL, no table rebuild.
    op.execute("ALTER TABLE asset_model ADD COLUMN depreciation_months INTEGER CONSTRAINT "
               "ck_asset_model_depreciation_months CHECK (depreciation_months IS NULL OR depreciation_months > 0)")
    op.execute("ALTER TABLE asset_model ADD COLUMN salvage_value_cents BIGINT CONSTRAINT "
               "ck_asset_model_salvage_value CHECK (salvage_value_cents IS NULL OR salvage_value_cents >= 0)")


def downgrade():
    # Reviewed by hand after autogenerate.
    op.execute("ALTER TABLE asset_model DROP COLUMN salvage_value_cents")
    op.execute("ALTER TABLE asset_model DROP COLUMN depreciation_months")

    with op.batch_alter_table('onboarding_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_onboarding_line_case_id'))
        batch_op.drop_index(batch_op.f('ix_onboarding_line_asset_id'))

    op.drop_table('onboarding_line')
    with op.batch_alter_table('offboarding_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_offboarding_line_state'))
        batch_op.drop_index(batch_op.f('ix_offboarding_line_case_id'))
        batch_op.drop_index(batch_op.f('ix_offboarding_line_assignment_id'))
        batch_op.drop_index(batch_op.f('ix_offboarding_line_asset_id'))

    op.drop_table('offboarding_line')
    with op.batch_alter_table('acknowledgement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_acknowledgement_state'))
        batch_op.drop_index(batch_op.f('ix_acknowledgement_assignment_id'))

    op.drop_table('acknowledgement')
    with op.batch_alter_table('repair', schema=None) as batch_op:
        batch_op.drop_index('uq_repair_open_asset', sqlite_where=sa.text("state = 'open'"), postgresql_where=sa.text("state = 'open'"))
        batch_op.drop_index(batch_op.f('ix_repair_state'))
        batch_op.drop_index(batch_op.f('ix_repair_asset_id'))

    op.drop_table('repair')
    with op.batch_alter_table('onboarding_case', schema=None) as batch_op:
        batch_op.drop_index('uq_onboarding_case_open_employee', sqlite_where=sa.text("state = 'open'"), postgresql_where=sa.text("state = 'open'"))
        batch_op.drop_index(batch_op.f('ix_onboarding_case_state'))
        batch_op.drop_index(batch_op.f('ix_onboarding_case_kit_id'))
        batch_op.drop_index(batch_op.f('ix_onboarding_case_employee_id'))

    op.drop_table('onboarding_case')
    with op.batch_alter_table('offboarding_case', schema=None) as batch_op:
        batch_op.drop_index('uq_offboarding_case_open_employee', sqlite_where=sa.text("state = 'open'"), postgresql_where=sa.text("state = 'open'"))
        batch_op.drop_index(batch_op.f('ix_offboarding_case_state'))
        batch_op.drop_index(batch_op.f('ix_offboarding_case_employee_id'))

    op.drop_table('offboarding_case')
    with op.batch_alter_table('kit_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kit_line_model_id'))
        batch_op.drop_index(batch_op.f('ix_kit_line_kit_id'))

    op.drop_table('kit_line')
    with op.batch_alter_table('kit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kit_department_id'))

    op.drop_table('kit')
