"""Discovery: ingest batches, sightings, triage items, alerts; observed columns on assets.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 06:41:38.464400

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    # Reviewed by hand after autogenerate.
    op.create_table('ingest_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('scanner', sa.String(length=100), nullable=False),
    sa.Column('scan_id', sa.String(length=100), nullable=False),
    sa.Column('batch', sa.Integer(), nullable=False),
    sa.Column('complete', sa.Boolean(), nullable=False),
    sa.Column('scope', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('observation_count', sa.Integer(), nullable=False),
    sa.Column('result_json', sa.Text(), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ingest_batch')),
    sa.UniqueConstraint('scanner', 'scan_id', 'batch', name=op.f('uq_ingest_batch_scanner_scan_id_batch'))
    )
    op.create_table('alert',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('asset_id', sa.Integer(), nullable=True),
    sa.Column('employee_id', sa.Integer(), nullable=True),
    sa.Column('message', sa.String(length=500), nullable=False),
    sa.Column('details', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('first_seen', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['asset_id'], ['asset.id'], name=op.f('fk_alert_asset_id_asset'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_alert_employee_id_employee'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert'))
    )
    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_asset_id'), ['asset_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_alert_employee_id'), ['employee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_alert_kind'), ['kind'], unique=False)
        batch_op.create_index('uq_alert_open', ['kind', 'asset_id', 'employee_id'], unique=True, sqlite_where=sa.text('closed_at IS NULL'), postgresql_where=sa.text('closed_at IS NULL'))

    op.create_table('sighting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('asset_id', sa.Integer(), nullable=False),
    sa.Column('ip', sa.String(length=45), nullable=False),
    sa.Column('mac', sa.String(length=17), nullable=False),
    sa.Column('switch', sa.String(length=255), nullable=False),
    sa.Column('port', sa.String(length=100), nullable=False),
    sa.Column('vlan', sa.String(length=10), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('scanner', sa.String(length=100), nullable=False),
    sa.Column('first_seen', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['asset_id'], ['asset.id'], name=op.f('fk_sighting_asset_id_asset'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sighting')),
    sa.UniqueConstraint('asset_id', 'ip', 'mac', 'switch', 'port', 'vlan', 'source', name=op.f('uq_sighting_asset_id_ip_mac_switch_port_vlan_source'))
    )
    with op.batch_alter_table('sighting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sighting_ip'), ['ip'], unique=False)
        batch_op.create_index('ix_sighting_last_seen', ['last_seen'], unique=False)
        batch_op.create_index(batch_op.f('ix_sighting_mac'), ['mac'], unique=False)
        batch_op.create_index('ix_sighting_switch_port', ['switch', 'port'], unique=False)

    op.create_table('triage_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('identity_key', sa.String(length=300), nullable=False),
    sa.Column('identifiers', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('observation', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('candidates', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('sightings', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('scanner', sa.String(length=100), nullable=False),
    sa.Column('first_seen', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen', sa.DateTime(timezone=True), nullable=False),
    sa.Column('seen_count', sa.Integer(), nullable=False),
    sa.Column('asset_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=True),
    sa.Column('resolved_by', sa.String(length=200), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('unmatched', 'conflict')", name=op.f('ck_triage_item_kind')),
    sa.CheckConstraint("status IN ('open', 'promoted', 'linked', 'ignored')", name=op.f('ck_triage_item_status')),
    sa.ForeignKeyConstraint(['asset_id'], ['asset.id'], name=op.f('fk_triage_item_asset_id_asset'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_triage_item')),
    sa.UniqueConstraint('identity_key', name=op.f('uq_triage_item_identity_key'))
    )
    with op.batch_alter_table('triage_item', schema=None) as batch_op:
        batch_op.create_index('ix_triage_item_open', ['status', 'kind'], unique=False)

    with op.batch_alter_table('asset', schema=None) as batch_op:
        batch_op.add_column(sa.Column('device_uuid', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('agent_id', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('os_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('os_version', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('first_seen_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_seen_source', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('missing_since', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('observed', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False, server_default='{}'))
        batch_op.add_column(sa.Column('observed_diff', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False, server_default='{}'))
        batch_op.create_index(batch_op.f('ix_asset_last_seen_at'), ['last_seen_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_asset_missing_since'), ['missing_since'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_asset_agent_id'), ['agent_id'])
        batch_op.create_unique_constraint(batch_op.f('uq_asset_device_uuid'), ['device_uuid'])




def downgrade():
    # Reviewed by hand after autogenerate.
    with op.batch_alter_table('asset', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_asset_device_uuid'), type_='unique')
        batch_op.drop_constraint(batch_op.f('uq_asset_agent_id'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_asset_missing_since'))
        batch_op.drop_index(batch_op.f('ix_asset_last_seen_at'))
        batch_op.drop_column('observed_diff')
        batch_op.drop_column('observed')
        batch_op.drop_column('missing_since')
        batch_op.drop_column('last_seen_source')
        batch_op.drop_column('last_seen_at')
        batch_op.drop_column('first_seen_at')
        batch_op.drop_column('os_version')
        batch_op.drop_column('os_name')
        batch_op.drop_column('agent_id')
        batch_op.drop_column('device_uuid')

    with op.batch_alter_table('triage_item', schema=None) as batch_op:
        batch_op.drop_index('ix_triage_item_open')

    op.drop_table('triage_item')
    with op.batch_alter_table('sighting', schema=None) as batch_op:
        batch_op.drop_index('ix_sighting_switch_port')
        batch_op.drop_index(batch_op.f('ix_sighting_mac'))
        batch_op.drop_index('ix_sighting_last_seen')
        batch_op.drop_index(batch_op.f('ix_sighting_ip'))

    op.drop_table('sighting')
    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.drop_index('uq_alert_open', sqlite_where=sa.text('closed_at IS NULL'), postgresql_where=sa.text('closed_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_alert_kind'))
        batch_op.drop_index(batch_op.f('ix_alert_employee_id'))
        batch_op.drop_index(batch_op.f('ix_alert_asset_id'))

    op.drop_table('alert')
    op.drop_table('ingest_batch')

