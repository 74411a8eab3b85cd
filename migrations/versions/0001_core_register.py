"""Core register: catalogue, organisation, assets, interfaces, assignments, change log, tokens.

Revision ID: 0001
Revises: 
Create Date: 2026-11-25 06:26:37.364201

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    # Reviewed by hand after autogenerate.
    op.create_table('api_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("role IN ('admin', 'it', 'hr', 'scanner', 'auditor')", name=op.f('ck_api_token_role')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_token')),
    sa.UniqueConstraint('name', name=op.f('uq_api_token_name')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_token_token_hash'))
    )
    op.create_table('change',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('object_type', sa.String(length=40), nullable=False),
    sa.Column('object_id', sa.BigInteger(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('before', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('after', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('request_id', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_change'))
    )
    with op.batch_alter_table('change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_change_actor'), ['actor'], unique=False)
        batch_op.create_index(batch_op.f('ix_change_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_change_object', ['object_type', 'object_id'], unique=False)

    op.create_table('department',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('cost_center', sa.String(length=50), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_department')),
    sa.UniqueConstraint('name', name=op.f('uq_department_name'))
    )
    op.create_table('location',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('site', 'building', 'floor', 'room')", name=op.f('ck_location_kind')),
    sa.ForeignKeyConstraint(['parent_id'], ['location.id'], name=op.f('fk_location_parent_id_location'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_location')),
    sa.UniqueConstraint('parent_id', 'name', name=op.f('uq_location_parent_id_name'))
    )
    with op.batch_alter_table('location', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_location_parent_id'), ['parent_id'], unique=False)

    op.create_table('manufacturer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('name_key', sa.String(length=100), nullable=False),
    sa.Column('url', sa.String(length=300), nullable=True),
    sa.Column('notes', sa.String(length=2000), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_manufacturer')),
    sa.UniqueConstraint('name', name=op.f('uq_manufacturer_name')),
    sa.UniqueConstraint('name_key', name=op.f('uq_manufacturer_name_key'))
    )
    op.create_table('asset_model',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('manufacturer_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('model_number', sa.String(length=100), nullable=True),
    sa.Column('specs', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('notes', sa.String(length=2000), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('computer', 'phone', 'mobile_device', 'network_device', 'peripheral')", name=op.f('ck_asset_model_kind')),
    sa.ForeignKeyConstraint(['manufacturer_id'], ['manufacturer.id'], name=op.f('fk_asset_model_manufacturer_id_manufacturer'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_asset_model')),
    sa.UniqueConstraint('manufacturer_id', 'name', name=op.f('uq_asset_model_manufacturer_id_name'))
    )
    with op.batch_alter_table('asset_model', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_asset_model_manufacturer_id'), ['manufacturer_id'], unique=False)

    op.create_table('employee',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_number', sa.String(length=50), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('job_title', sa.String(length=200), nullable=True),
    sa.Column('manager_id', sa.Integer(), nullable=True),
    sa.Column('location_id', sa.Integer(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('active', 'leaving', 'left')", name=op.f('ck_employee_status')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_employee_department_id_department'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['location_id'], ['location.id'], name=op.f('fk_employee_location_id_location'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['manager_id'], ['employee.id'], name=op.f('fk_employee_manager_id_employee'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_employee')),
    sa.UniqueConstraint('email', name=op.f('uq_employee_email')),
    sa.UniqueConstraint('employee_number', name=op.f('uq_employee_employee_number'))
    )
    with op.batch_alter_table('employee', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_employee_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_employee_location_id'), ['location_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_employee_manager_id'), ['manager_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_employee_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_employee_status'), ['status'], unique=False)

    op.create_table('asset',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('asset_tag', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('model_id', sa.Integer(), nullable=True),
    sa.Column('manufacturer_id', sa.Integer(), nullable=True),
    sa.Column('serial_number', sa.String(length=100), nullable=True),
    sa.Column('hostname', sa.String(length=255), nullable=True),
    sa.Column('imei', sa.String(length=15), nullable=True),
    sa.Column('phone_number', sa.String(length=32), nullable=True),
    sa.Column('location_id', sa.Integer(), nullable=True),
    sa.Column('purchase_date', sa.Date(), nullable=True),
    sa.Column('purchase_cost_cents', sa.BigInteger(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('supplier', sa.String(length=200), nullable=True),
    sa.Column('order_number', sa.String(length=100), nullable=True),
    sa.Column('warranty_end', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('custom_fields', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('locked_fields', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('computer', 'phone', 'mobile_device', 'network_device', 'peripheral')", name=op.f('ck_asset_kind')),
    sa.CheckConstraint("status IN ('in_stock', 'deployed', 'in_repair', 'lost', 'stolen', 'retired', 'disposed')", name=op.f('ck_asset_status')),
    sa.CheckConstraint('purchase_cost_cents IS NULL OR purchase_cost_cents >= 0', name=op.f('ck_asset_cost')),
    sa.ForeignKeyConstraint(['location_id'], ['location.id'], name=op.f('fk_asset_location_id_location'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['manufacturer_id'], ['manufacturer.id'], name=op.f('fk_asset_manufacturer_id_manufacturer'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['model_id'], ['asset_model.id'], name=op.f('fk_asset_model_id_asset_model'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_asset')),
    sa.UniqueConstraint('asset_tag', name=op.f('uq_asset_asset_tag')),
    sa.UniqueConstraint('imei', name=op.f('uq_asset_imei')),
    sa.UniqueConstraint('manufacturer_id', 'serial_number', name=op.f('uq_asset_manufacturer_id_serial_number'))
    )
    with op.batch_alter_table('asset', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_asset_hostname'), ['hostname'], unique=False)
        batch_op.create_index(batch_op.f('ix_asset_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_asset_location_id'), ['location_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_asset_model_id'), ['model_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_asset_serial_number'), ['serial_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_asset_status'), ['status'], unique=False)

    op.create_table('assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('asset_id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('checked_out_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('due_back', sa.Date(), nullable=True),
    sa.Column('checked_in_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('condition', sa.String(length=50), nullable=True),
    sa.Column('note', sa.String(length=2000), nullable=True),
    sa.Column('checkin_note', sa.String(length=2000), nullable=True),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('checked_out_by', sa.String(length=200), nullable=False),
    sa.Column('checked_in_by', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['asset_id'], ['asset.id'], name=op.f('fk_assignment_asset_id_asset'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_assignment_employee_id_employee'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment'))
    )
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_asset_id'), ['asset_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignment_employee_id'), ['employee_id'], unique=False)
        batch_op.create_index('uq_assignment_open_asset', ['asset_id'], unique=True, sqlite_where=sa.text('checked_in_at IS NULL'), postgresql_where=sa.text('checked_in_at IS NULL'))

    op.create_table('network_interface',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('asset_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=True),
    sa.Column('mac', sa.String(length=17), nullable=True),
    sa.Column('ip_addresses', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['asset_id'], ['asset.id'], name=op.f('fk_network_interface_asset_id_asset'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network_interface')),
    sa.UniqueConstraint('mac', name=op.f('uq_network_interface_mac'))
    )
    with op.batch_alter_table('network_interface', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_network_interface_asset_id'), ['asset_id'], unique=False)




def downgrade():
    # Reviewed by hand after autogenerate.
    with op.batch_alter_table('network_interface', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_network_interface_asset_id'))

    op.drop_table('network_interface')
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.drop_index('uq_assignment_open_asset', sqlite_where=sa.text('checked_in_at IS NULL'), postgresql_where=sa.text('checked_in_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_assignment_employee_id'))
        batch_op.drop_index(batch_op.f('ix_assignment_asset_id'))

    op.drop_table('assignment')
    with op.batch_alter_table('asset', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_asset_status'))
        batch_op.drop_index(batch_op.f('ix_asset_serial_number'))
        batch_op.drop_index(batch_op.f('ix_asset_model_id'))
        batch_op.drop_index(batch_op.f('ix_asset_location_id'))
        batch_op.drop_index(batch_op.f('ix_asset_kind'))
        batch_op.drop_index(batch_op.f('ix_asset_hostname'))

    op.drop_table('asset')
    with op.batch_alter_table('employee', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_employee_status'))
        batch_op.drop_index(batch_op.f('ix_employee_name'))
        batch_op.drop_index(batch_op.f('ix_employee_manager_id'))
        batch_op.drop_index(batch_op.f('ix_employee_location_id'))
        batch_op.drop_index(batch_op.f('ix_employee_department_id'))

    op.drop_table('employee')
    with op.batch_alter_table('asset_model', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_asset_model_manufacturer_id'))

    op.drop_table('asset_model')
    op.drop_table('manufacturer')
    with op.batch_alter_table('location', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_location_parent_id'))

    op.drop_table('location')
    op.drop_table('department')
    with op.batch_alter_table('change', schema=None) as batch_op:
        batch_op.drop_index('ix_change_object')
        batch_op.drop_index(batch_op.f('ix_change_created_at'))
        batch_op.drop_index(batch_op.f('ix_change_actor'))

    op.drop_table('change')
    op.drop_table('api_token')

