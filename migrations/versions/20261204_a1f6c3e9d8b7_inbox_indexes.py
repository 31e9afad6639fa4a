"""inbox indexes and a subject's kept last contact (issue 16)

An organisation's open and succeeded cases, a mediator's current cases, draft plans, the subject's last
contact (kept, with its index), the id in the received-date index (PostgreSQL INCLUDE).

Revision ID: a1f6c3e9d8b7
Revises: 5e77c0a1b2d3
Create Date: 2026-12-04 22:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1f6c3e9d8b7'
down_revision = '5e77c0a1b2d3'
branch_labels = None
depends_on = None

OPEN = "status IN ('registered', 'investigating', 'mediating')"
SUCCEEDED = "status = 'succeeded'"
# models.rehabilitation.worklist.CONTACT_SQL, as it was when this migration was written
CONTACT_SQL = ("UPDATE subject SET contact_on = coalesce("
               "(SELECT max(service_record.\"on\") FROM service_record WHERE service_record.subject_id = subject.id), "
               "(SELECT assistance_group.formed_on FROM assistance_group WHERE assistance_group.subject_id = subject.id))")


def _partial(name, table, columns, where):
    op.create_index(name, table, columns, unique=False, sqlite_where=sa.text(where), postgresql_where=sa.text(where))


def upgrade():
    with op.batch_alter_table('subject') as batch:
        batch.add_column(sa.Column('contact_on', sa.Date(), nullable=True))
    op.execute(CONTACT_SQL)
    op.create_index('ix_subject_unit_status_contact', 'subject', ['unit_id', 'status', 'contact_on'], unique=False)
    _partial('ix_mediation_case_open_contractor', 'mediation_case', ['contractor_id', 'due_on'], OPEN)
    _partial('ix_mediation_case_succeeded', 'mediation_case', ['contractor_id', 'area_unit_id'], SUCCEEDED)
    _partial('ix_mediation_assignment_current', 'mediation_assignment', ['staff_member_id', 'case_id'],
             "ended_on IS NULL")
    _partial('ix_assistance_plan_draft', 'assistance_plan', ['subject_id'], "status = 'draft'")
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_index('ix_mediation_case_received_scope', table_name='mediation_case')
        op.create_index('ix_mediation_case_received_scope', 'mediation_case',
                        ['received_on', 'area_unit_id', 'contract_id'], unique=False, postgresql_include=['id'])


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_index('ix_mediation_case_received_scope', table_name='mediation_case')
        op.create_index('ix_mediation_case_received_scope', 'mediation_case',
                        ['received_on', 'area_unit_id', 'contract_id'], unique=False)
    op.drop_index('ix_assistance_plan_draft', table_name='assistance_plan')
    op.drop_index('ix_mediation_assignment_current', table_name='mediation_assignment')
    op.drop_index('ix_mediation_case_succeeded', table_name='mediation_case')
    op.drop_index('ix_mediation_case_open_contractor', table_name='mediation_case')
    op.drop_index('ix_subject_unit_status_contact', table_name='subject')
    with op.batch_alter_table('subject') as batch:
        batch.drop_column('contact_on')
