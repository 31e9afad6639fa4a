"""setting revision token: settings cached per process while unchanged (issue 16)

Revision ID: 5e77c0a1b2d3
Revises: c4f1a2b3d5e6
Create Date: 2026-12-04 19:58:00

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e77c0a1b2d3'
down_revision = 'c4f1a2b3d5e6'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table('setting_revision',
                            sa.Column('id', sa.Integer(), nullable=False),
                            sa.Column('token', sa.String(length=32), nullable=False),
                            sa.PrimaryKeyConstraint('id', name=op.f('pk_setting_revision')))
    op.bulk_insert(table, [{'id': 1, 'token': secrets.token_hex(16)}])


def downgrade():
    op.drop_table('setting_revision')
