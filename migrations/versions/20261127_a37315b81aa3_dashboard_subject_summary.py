"""dashboard subject summary: subjects counted per unit, contract, status and risk level, their dirty units,
and the indexes the dashboard reads (a unit's recount, the subjects overdue to report)

Every unit holding subjects is marked dirty, so the first dashboard read counts them.

Revision ID: a37315b81aa3
Revises: 0d043b935cc6
Create Date: 2026-11-27 22:23:15.761769

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a37315b81aa3'
down_revision = '0d043b935cc6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('subject_summary',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('risk_level', sa.String(length=10), nullable=True),
    sa.Column('subjects', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subject_summary'))
    )
    with op.batch_alter_table('subject_summary', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subject_summary_unit_id'), ['unit_id'], unique=False)

    op.create_table('subject_summary_dirty',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subject_summary_dirty'))
    )
    with op.batch_alter_table('subject', schema=None) as batch_op:
        batch_op.create_index('ix_subject_unit_contract_status_risk', ['unit_id', 'contract_id', 'status', 'risk_level'], unique=False)
        batch_op.create_index('ix_subject_status_release', ['status', 'release_date', 'unit_id', 'exit_type'], unique=False)

    subjects = sa.table('subject', sa.column('unit_id', sa.Integer))
    dirty = sa.table('subject_summary_dirty', sa.column('unit_id', sa.Integer))
    units = sorted(op.get_bind().scalars(sa.select(subjects.c.unit_id).distinct()))
    if units:
        op.bulk_insert(dirty, [{'unit_id': u} for u in units])



def downgrade():
    with op.batch_alter_table('subject', schema=None) as batch_op:
        batch_op.drop_index('ix_subject_status_release')
        batch_op.drop_index('ix_subject_unit_contract_status_risk')

    op.drop_table('subject_summary_dirty')
    with op.batch_alter_table('subject_summary', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subject_summary_unit_id'))

    op.drop_table('subject_summary')
