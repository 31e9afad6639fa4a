"""work revision token: the inbox kept per process while no record changes (issue 16)

Revision ID: b7d2e4f6a9c1
Revises: a1f6c3e9d8b7
Create Date: 2026-12-04 22:30:00

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7d2e4f6a9c1'
down_revision = 'a1f6c3e9d8b7'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table('work_revision',
                            sa.Column('id', sa.Integer(), nullable=False),
                            sa.Column('token', sa.String(length=32), nullable=False),
                            sa.PrimaryKeyConstraint('id', name=op.f('pk_work_revision')))
    op.bulk_insert(table, [{'id': 1, 'token': secrets.token_hex(16)}])


def downgrade():
    op.drop_table('work_revision')
