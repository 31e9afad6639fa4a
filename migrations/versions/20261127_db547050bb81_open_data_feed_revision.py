"""open-data feed revision

One row whose token changes with every change to a record the OCDS feed publishes; the feed keeps
built packages in memory under it (services/ocds.py).

Revision ID: db547050bb81
Revises: a37315b81aa3
Create Date: 2026-11-27 22:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'db547050bb81'
down_revision = 'a37315b81aa3'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table('feed_revision',
                            sa.Column('id', sa.Integer(), nullable=False),
                            sa.Column('token', sa.String(length=32), nullable=False),
                            sa.PrimaryKeyConstraint('id', name=op.f('pk_feed_revision')))
    op.bulk_insert(table, [{'id': 1, 'token': 'initial'}])


def downgrade():
    op.drop_table('feed_revision')
