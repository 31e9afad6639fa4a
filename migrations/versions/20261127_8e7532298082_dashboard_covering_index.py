"""dashboard covering index: the summary's read index covers every summed column, in (month, category) order

Revision ID: 8e7532298082
Revises: 803a8b358ce4
Create Date: 2026-11-27 20:42:46.680408

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8e7532298082'
down_revision = '803a8b358ce4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('mediation_summary', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mediation_summary_month'))
        batch_op.create_index('ix_mediation_summary_read', ['month', 'category', 'area_unit_id', 'contract_id', 'contractor_id', 'received', 'written', 'oral', 'failed', 'withdrawn', 'refused', 'in_time', 'days', 'followed', 'fulfilled', 'partly'], unique=False)


def downgrade():
    with op.batch_alter_table('mediation_summary', schema=None) as batch_op:
        batch_op.drop_index('ix_mediation_summary_read')
        batch_op.create_index(batch_op.f('ix_mediation_summary_month'), ['month'], unique=False)

