"""feed revision: when the published records last changed (the open-data feeds' Last-Modified)

Revision ID: c4e1a7f0d218
Revises: b8c3d9bdcf63
Create Date: 2026-12-04 19:10:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'c4e1a7f0d218'
down_revision = 'b8c3d9bdcf63'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('feed_revision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('changed_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('feed_revision', schema=None) as batch_op:
        batch_op.drop_column('changed_at')
