"""Agents and users: installed software, employee logins, identities seen on assets, assignment suggestions;
the change log made append-only in the database itself.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 09:00:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


# The change log is append-only for every client of the database, not only for the API.
SQLITE_TRIGGERS = [
    "CREATE TRIGGER change_append_only_update BEFORE UPDATE ON change "
    "BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END",
    "CREATE TRIGGER change_append_only_delete BEFORE DELETE ON change "
    "BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END",
]
POSTGRESQL_TRIGGERS = [
    "CREATE FUNCTION change_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'the change log is append-only' USING ERRCODE = 'integrity_constraint_violation'; END $$",
    "CREATE TRIGGER change_append_only BEFORE UPDATE OR DELETE ON change "
    "FOR EACH ROW EXECUTE FUNCTION change_append_only()",
    "CREATE TRIGGER change_append_only_truncate BEFORE TRUNCATE ON change "
    "FOR EACH STATEMENT EXECUTE FUNCTION change_append_only()",
]


def upgrade():
    # Reviewed by hand after autogenerate.
    op.create_table('employee_login',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('login_key', sa.String(length=254), nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_employee_login_employee_id_employee'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_employee_login')),
    sa.UniqueConstraint('login_key', name=op.f('uq_employee_login_login_key'))
    )
    with op.batch_alter_table('employee_login', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_employee_login_employee_id'), ['employee_id'], unique=False)

    op.create_table('asset_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('asset_id', sa.Integer(), nullable=False),
    sa.Column('login_key', sa.String(length=254), nullable=False),
    sa.Column('login', sa.String(length=254), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('first_seen', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_day', sa.Date(), nullable=False),
    sa.Column('seen_count', sa.Integer(), nullable=False),
    sa.Column('days_seen', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['asset_id'], ['asset.id'], name=op.f('fk_asset_user_asset_id_asset'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_asset_user')),
    sa.UniqueConstraint('asset_id', 'login_key', name=op.f('uq_asset_user_asset_id_login_key'))
    )
    with op.batch_alter_table('asset_user', schema=None) as batch_op:
        batch_op.create_index('ix_asset_user_login_key', ['login_key'], unique=False)

    op.create_table('installed_software',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('asset_id', sa.Integer(), nullable=False),
    sa.Column('name_key', sa.String(length=255), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('version', sa.String(length=100), nullable=False),
    sa.Column('publisher', sa.String(length=255), nullable=True),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('first_seen', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['asset_id'], ['asset.id'], name=op.f('fk_installed_software_asset_id_asset'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_installed_software')),
    sa.UniqueConstraint('asset_id', 'name_key', 'version', name=op.f('uq_installed_software_asset_id_name_key_version'))
    )
    with op.batch_alter_table('installed_software', schema=None) as batch_op:
        batch_op.create_index('ix_software_name', ['name_key', 'version'], unique=False)

    op.create_table('assignment_suggestion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('asset_id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('evidence', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by', sa.String(length=200), nullable=True),
    sa.Column('assignment_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('open', 'accepted', 'rejected', 'superseded')", name=op.f('ck_assignment_suggestion_status')),
    sa.ForeignKeyConstraint(['asset_id'], ['asset.id'], name=op.f('fk_assignment_suggestion_asset_id_asset'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignment.id'], name=op.f('fk_assignment_suggestion_assignment_id_assignment'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_assignment_suggestion_employee_id_employee'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment_suggestion')),
    sa.UniqueConstraint('asset_id', 'employee_id', name=op.f('uq_assignment_suggestion_asset_id_employee_id'))
    )
    with op.batch_alter_table('assignment_suggestion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_suggestion_employee_id'), ['employee_id'], unique=False)
        batch_op.create_index('ix_assignment_suggestion_status', ['status'], unique=False)

    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.add_column(sa.Column('related_employee_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_alert_related_employee_id'), ['related_employee_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_alert_related_employee_id_employee'), 'employee', ['related_employee_id'], ['id'], ondelete='CASCADE')

    with op.batch_alter_table('employee', schema=None) as batch_op:
        batch_op.add_column(sa.Column('logins', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'),
                                      nullable=False, server_default='[]'))

    dialect = op.get_bind().dialect.name
    for statement in POSTGRESQL_TRIGGERS if dialect == "postgresql" else SQLITE_TRIGGERS:
        op.execute(statement)



def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER change_append_only_truncate ON change")
        op.execute("DROP TRIGGER change_append_only ON change")
        op.execute("DROP FUNCTION change_append_only()")
    else:
        op.execute("DROP TRIGGER change_append_only_update")
        op.execute("DROP TRIGGER change_append_only_delete")
    with op.batch_alter_table('employee', schema=None) as batch_op:
        batch_op.drop_column('logins')

    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_alert_related_employee_id_employee'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_alert_related_employee_id'))
        batch_op.drop_column('related_employee_id')

    with op.batch_alter_table('assignment_suggestion', schema=None) as batch_op:
        batch_op.drop_index('ix_assignment_suggestion_status')
        batch_op.drop_index(batch_op.f('ix_assignment_suggestion_employee_id'))

    op.drop_table('assignment_suggestion')
    with op.batch_alter_table('installed_software', schema=None) as batch_op:
        batch_op.drop_index('ix_software_name')

    op.drop_table('installed_software')
    with op.batch_alter_table('asset_user', schema=None) as batch_op:
        batch_op.drop_index('ix_asset_user_login_key')

    op.drop_table('asset_user')
    with op.batch_alter_table('employee_login', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_employee_login_employee_id'))

    op.drop_table('employee_login')
