"""work list indexes: release-date and key-subject rules by unit and status, a subject's latest assessments
and warning reports in order (issue 8)

Revision ID: b8c3d9bdcf63
Revises: db547050bb81
Create Date: 2026-11-27 23:35:24.590231

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b8c3d9bdcf63'
down_revision = 'db547050bb81'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('risk_assessment', schema=None) as batch_op:
        batch_op.create_index('ix_risk_assessment_subject_on', ['subject_id', 'assessed_on', 'id'], unique=False)

    with op.batch_alter_table('subject', schema=None) as batch_op:
        batch_op.create_index('ix_subject_unit_status_flagged', ['unit_id', 'status', 'flagged'], unique=False)
        batch_op.create_index('ix_subject_unit_status_release', ['unit_id', 'status', 'release_date', 'exit_type'], unique=False)

    with op.batch_alter_table('warning_report', schema=None) as batch_op:
        batch_op.create_index('ix_warning_report_subject_on', ['subject_id', 'reported_on'], unique=False)



def downgrade():
    with op.batch_alter_table('warning_report', schema=None) as batch_op:
        batch_op.drop_index('ix_warning_report_subject_on')

    with op.batch_alter_table('subject', schema=None) as batch_op:
        batch_op.drop_index('ix_subject_unit_status_release')
        batch_op.drop_index('ix_subject_unit_status_flagged')

    with op.batch_alter_table('risk_assessment', schema=None) as batch_op:
        batch_op.drop_index('ix_risk_assessment_subject_on')

