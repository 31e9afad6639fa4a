"""audit chain and account lockout

Existing audit entries are chained here, in id order, so an upgraded database verifies from its
first entry (the chain vouches for them from the moment of the upgrade on).

Revision ID: 0d043b935cc6
Revises: 7aecd60e00be
Create Date: 2026-11-27 19:29:36.387488

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0d043b935cc6'
down_revision = '7aecd60e00be'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_audit_log_seq'), ['seq'])

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locked_until', sa.DateTime(), nullable=True))

    from services.audit_chain import chain_existing

    audit_log = sa.table(
        'audit_log', sa.column('id', sa.Integer), sa.column('at', sa.DateTime),
        sa.column('user_id', sa.Integer), sa.column('username', sa.String), sa.column('address', sa.String),
        sa.column('action', sa.String), sa.column('record_type', sa.String), sa.column('record_id', sa.Integer),
        sa.column('fields', sa.JSON), sa.column('detail', sa.String), sa.column('seq', sa.Integer),
        sa.column('prev_hash', sa.String), sa.column('hash', sa.String))
    chain_existing(op.get_bind(), audit_log)


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('locked_until')

    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_audit_log_seq'), type_='unique')
        batch_op.drop_column('hash')
        batch_op.drop_column('prev_hash')
        batch_op.drop_column('seq')

