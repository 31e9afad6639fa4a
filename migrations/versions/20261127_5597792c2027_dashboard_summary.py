"""dashboard summary: maintained mediation counts, their dirty buckets, and the indexes the dashboards read

Existing cases mark their buckets dirty, so the first dashboard read computes the summary.

Revision ID: 5597792c2027
Revises: b1e5d2125456
Create Date: 2026-11-27 19:32:14.792396

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5597792c2027'
down_revision = 'b1e5d2125456'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mediation_summary',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area_unit_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=True),
    sa.Column('contractor_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('received', sa.Integer(), nullable=False),
    sa.Column('written', sa.Integer(), nullable=False),
    sa.Column('oral', sa.Integer(), nullable=False),
    sa.Column('failed', sa.Integer(), nullable=False),
    sa.Column('withdrawn', sa.Integer(), nullable=False),
    sa.Column('refused', sa.Integer(), nullable=False),
    sa.Column('in_time', sa.Integer(), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('followed', sa.Integer(), nullable=False),
    sa.Column('fulfilled', sa.Integer(), nullable=False),
    sa.Column('partly', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediation_summary'))
    )
    with op.batch_alter_table('mediation_summary', schema=None) as batch_op:
        batch_op.create_index('ix_mediation_summary_bucket', ['area_unit_id', 'month'], unique=False)
        batch_op.create_index(batch_op.f('ix_mediation_summary_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index('ix_mediation_summary_month', ['month'], unique=False)

    op.create_table('mediation_summary_dirty',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area_unit_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediation_summary_dirty'))
    )
    with op.batch_alter_table('mediation_case', schema=None) as batch_op:
        batch_op.create_index('ix_mediation_case_area_concluded', ['area_unit_id', 'concluded_on'], unique=False)

    with op.batch_alter_table('subject', schema=None) as batch_op:
        batch_op.create_index('ix_subject_unit_status_risk', ['unit_id', 'status', 'risk_level'], unique=False)

    cases = sa.table('mediation_case', sa.column('area_unit_id', sa.Integer), sa.column('received_on', sa.Date),
                     sa.column('concluded_on', sa.Date))
    dirty = sa.table('mediation_summary_dirty', sa.column('area_unit_id', sa.Integer), sa.column('month', sa.Date))
    buckets = set()
    for area, received, concluded in op.get_bind().execute(
            sa.select(cases.c.area_unit_id, cases.c.received_on, cases.c.concluded_on)):
        buckets.add((area, received.replace(day=1)))
        if concluded is not None:
            buckets.add((area, concluded.replace(day=1)))
    if buckets:
        op.bulk_insert(dirty, [{'area_unit_id': a, 'month': m} for a, m in sorted(buckets)])



def downgrade():
    with op.batch_alter_table('subject', schema=None) as batch_op:
        batch_op.drop_index('ix_subject_unit_status_risk')

    with op.batch_alter_table('mediation_case', schema=None) as batch_op:
        batch_op.drop_index('ix_mediation_case_area_concluded')

    op.drop_table('mediation_summary_dirty')
    with op.batch_alter_table('mediation_summary', schema=None) as batch_op:
        batch_op.drop_index('ix_mediation_summary_month')
        batch_op.drop_index(batch_op.f('ix_mediation_summary_contract_id'))
        batch_op.drop_index('ix_mediation_summary_bucket')

    op.drop_table('mediation_summary')
