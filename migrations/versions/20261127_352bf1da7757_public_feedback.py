"""Public feedback from the portal and its per-address rate-limit counter.

Revision ID: 352bf1da7757
Revises: 5597792c2027
Create Date: 2026-11-27 19:30:20.305419

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '352bf1da7757'
down_revision = '5597792c2027'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('feedback_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_attempt'))
    )
    with op.batch_alter_table('feedback_attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_attempt_address'), ['address'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_attempt_at'), ['at'], unique=False)

    op.create_table('feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=30), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=True),
    sa.Column('contractor_id', sa.Integer(), nullable=True),
    sa.Column('happened_on', sa.Date(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('contact_name', sa.String(length=100), nullable=True),
    sa.Column('contact_phone', sa.String(length=40), nullable=True),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('inspection_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['answered_by_id'], ['user.id'], name=op.f('fk_feedback_answered_by_id_user')),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_feedback_contract_id_contract')),
    sa.ForeignKeyConstraint(['contractor_id'], ['contractor.id'], name=op.f('fk_feedback_contractor_id_contractor')),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'], name=op.f('fk_feedback_inspection_id_inspection')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_feedback_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback')),
    sa.UniqueConstraint('number', name=op.f('uq_feedback_number'))
    )
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_contractor_id'), ['contractor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_received_at'), ['received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_unit_id'), ['unit_id'], unique=False)



def downgrade():
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_unit_id'))
        batch_op.drop_index(batch_op.f('ix_feedback_state'))
        batch_op.drop_index(batch_op.f('ix_feedback_received_at'))
        batch_op.drop_index(batch_op.f('ix_feedback_contractor_id'))
        batch_op.drop_index(batch_op.f('ix_feedback_contract_id'))

    op.drop_table('feedback')
    with op.batch_alter_table('feedback_attempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_attempt_at'))
        batch_op.drop_index(batch_op.f('ix_feedback_attempt_address'))

    op.drop_table('feedback_attempt')
