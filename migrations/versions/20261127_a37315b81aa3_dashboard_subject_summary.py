"""dashboard subject summary and mediation roll-up: subjects counted per unit, contract, status and risk
level, their dirty units, the indexes the dashboard reads (a unit's recount, the subjects overdue to report),
and the mediation summary rolled up per unit scope and month

Every unit holding subjects is marked dirty, so the first dashboard read counts them; the roll-up is
computed here from the mediation summary (buckets still dirty are rolled up again when refreshed).

Revision ID: a37315b81aa3
Revises: 536c680768ba
Create Date: 2026-11-27 22:23:15.761769

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a37315b81aa3'
down_revision = '536c680768ba'
branch_labels = None
depends_on = None


MEASURES = ('received', 'written', 'oral', 'failed', 'withdrawn', 'refused', 'in_time', 'days', 'followed',
            'fulfilled', 'partly')


def upgrade():
    op.create_table('mediation_rollup',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    *(sa.Column(m, sa.Integer(), nullable=False) for m in MEASURES),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediation_rollup'))
    )
    with op.batch_alter_table('mediation_rollup', schema=None) as batch_op:
        batch_op.create_index('ix_mediation_rollup_read', ['unit_id', 'month'], unique=False)

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

    # the roll-up, as services.dashboard_summary.roll_up computes it
    summary = sa.table('mediation_summary', sa.column('area_unit_id', sa.Integer), sa.column('contract_id', sa.Integer),
                       sa.column('month', sa.Date), sa.column('category', sa.String),
                       *(sa.column(m, sa.Integer) for m in MEASURES))
    contract = sa.table('contract', sa.column('id', sa.Integer), sa.column('unit_id', sa.Integer))
    unit = sa.table('unit', sa.column('id', sa.Integer))
    rollup = sa.table('mediation_rollup', sa.column('unit_id', sa.Integer), sa.column('month', sa.Date),
                      sa.column('category', sa.String), *(sa.column(m, sa.Integer) for m in MEASURES))
    s = summary.c
    sums = [sa.func.sum(s[m]) for m in MEASURES]
    columns = ['unit_id', 'month', 'category', *MEASURES]
    op.execute(rollup.insert().from_select(columns, sa.select(sa.literal(0), s.month, s.category, *sums)
                                           .group_by(s.month, s.category)))
    op.execute(rollup.insert().from_select(columns, sa.select(unit.c.id, s.month, s.category, *sums).select_from(
        summary.outerjoin(contract, contract.c.id == s.contract_id)
        .join(unit, sa.or_(unit.c.id == s.area_unit_id, unit.c.id == contract.c.unit_id)))
        .group_by(unit.c.id, s.month, s.category)))



def downgrade():
    with op.batch_alter_table('subject', schema=None) as batch_op:
        batch_op.drop_index('ix_subject_status_release')
        batch_op.drop_index('ix_subject_unit_contract_status_risk')

    op.drop_table('subject_summary_dirty')
    with op.batch_alter_table('subject_summary', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subject_summary_unit_id'))

    op.drop_table('subject_summary')
    with op.batch_alter_table('mediation_rollup', schema=None) as batch_op:
        batch_op.drop_index('ix_mediation_rollup_read')

    op.drop_table('mediation_rollup')
