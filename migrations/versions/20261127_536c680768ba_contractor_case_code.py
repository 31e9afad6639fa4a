"""contractor case code: each mediation organisation's own {short} in its case numbers

Two organisations seated in one district used the district's short name with counters of their own,
so the second drew numbers the first already had. Existing mediation organisations get a code here:
in each seat unit the one with the most cases keeps the short name (its numbers read as before), the
others get 昆2, 昆3 … Existing case numbers are not changed.

Revision ID: 536c680768ba
Revises: e1f3a9c2b7d4
Create Date: 2026-11-27 22:19:22.651449

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '536c680768ba'
down_revision = 'e1f3a9c2b7d4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('contractor', schema=None) as batch_op:
        batch_op.add_column(sa.Column('case_code', sa.String(length=10), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_contractor_case_code'), ['case_code'])

    contractor = sa.table('contractor', sa.column('id', sa.Integer), sa.column('seat_unit_id', sa.Integer),
                          sa.column('serves_mediation', sa.Boolean), sa.column('case_code', sa.String))
    unit = sa.table('unit', sa.column('id', sa.Integer), sa.column('short_name', sa.String))
    case = sa.table('mediation_case', sa.column('id', sa.Integer), sa.column('contractor_id', sa.Integer))
    bind = op.get_bind()
    cases = dict(bind.execute(sa.select(case.c.contractor_id, sa.func.count(case.c.id))
                              .group_by(case.c.contractor_id)).all())
    short = dict(bind.execute(sa.select(unit.c.id, unit.c.short_name)).all())
    orgs = bind.execute(sa.select(contractor.c.id, contractor.c.seat_unit_id, contractor.c.serves_mediation)
                        .order_by(contractor.c.id)).all()
    orgs = sorted((o for o in orgs if o.serves_mediation or o.id in cases), key=lambda o: (-cases.get(o.id, 0), o.id))
    taken = set()
    for org in orgs:
        base = short[org.seat_unit_id]
        n, code = 1, base
        while code in taken:
            n += 1
            code = f"{base}{n}"
        taken.add(code)
        bind.execute(contractor.update().where(contractor.c.id == org.id).values(case_code=code))


def downgrade():
    with op.batch_alter_table('contractor', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_contractor_case_code'), type_='unique')
        batch_op.drop_column('case_code')
