"""Who uses what: the days on which each identity was seen on each asset, so that a mismatch counts only the days
since the checkout.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 18:00:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    # Reviewed by hand after autogenerate.
    op.create_table('asset_user_day',
    sa.Column('asset_id', sa.Integer(), nullable=False),
    sa.Column('login_key', sa.String(length=254), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('last_seen', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['asset_id'], ['asset.id'], name=op.f('fk_asset_user_day_asset_id_asset'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('asset_id', 'login_key', 'day', name=op.f('pk_asset_user_day'))
    )
    # Earlier days were only counted: each identity keeps the last day it was seen (days_seen is left as it was).
    op.execute("INSERT INTO asset_user_day (asset_id, login_key, day, last_seen) "
               "SELECT asset_id, login_key, last_day, last_seen FROM asset_user")


def downgrade():
    op.drop_table('asset_user_day')
