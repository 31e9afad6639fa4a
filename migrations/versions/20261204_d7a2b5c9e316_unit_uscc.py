"""units: their own unified social credit code (the open data's buyer identifier, scheme CN-USCI)

Revision ID: d7a2b5c9e316
Revises: c4e7a1b2d3f5
Create Date: 2026-12-04 19:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'd7a2b5c9e316'
down_revision = 'c4e7a1b2d3f5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('uscc', sa.String(length=18), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_unit_uscc'), ['uscc'])


def downgrade():
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_unit_uscc'), type_='unique')
        batch_op.drop_column('uscc')
