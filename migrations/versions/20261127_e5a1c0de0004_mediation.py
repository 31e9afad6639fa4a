"""mediation

Revision ID: e5a1c0de0004
Revises: d4cc383052f7
Create Date: 2026-11-27

The mediation module's tables: cases, parties, assignments, records, agreements, follow-ups,
judicial confirmations, police reports, file items, consultations, screenings, corrective measures,
quarter closes and the case-number counter.
"""
from alembic import op
import sqlalchemy as sa

revision = "e5a1c0de0004"
down_revision = "d4cc383052f7"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mediation_counter',
    sa.Column('contractor_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contractor_id'], ['contractor.id'], name=op.f('fk_mediation_counter_contractor_id_contractor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('contractor_id', 'year', name=op.f('pk_mediation_counter'))
    )
    op.create_table('mediation_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('key', sa.String(length=30), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_mediation_code_created_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediation_code')),
    sa.UniqueConstraint('kind', 'key', name='uq_mediation_code_key')
    )
    op.create_table('mediation_import',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contractor_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('rows', sa.Text(), nullable=False),
    sa.Column('rejected', sa.Text(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['contractor_id'], ['contractor.id'], name=op.f('fk_mediation_import_contractor_id_contractor')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_mediation_import_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediation_import'))
    )
    op.create_index(op.f('ix_mediation_import_contractor_id'), 'mediation_import', ['contractor_id'], unique=False)
    op.create_table('mediation_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contractor_id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=True),
    sa.Column('area_unit_id', sa.Integer(), nullable=False),
    sa.Column('township', sa.String(length=100), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=80), nullable=False),
    sa.Column('source', sa.String(length=30), nullable=False),
    sa.Column('source_body', sa.Text(), nullable=True),
    sa.Column('source_ref', sa.String(length=200), nullable=True),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('facts', sa.Text(), nullable=False),
    sa.Column('requests', sa.Text(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('extension_consent', sa.Text(), nullable=True),
    sa.Column('registered_by_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=True),
    sa.Column('concluded_on', sa.Date(), nullable=True),
    sa.Column('fail_reason', sa.String(length=30), nullable=True),
    sa.Column('routes', sa.String(length=100), nullable=True),
    sa.Column('outcome_note', sa.Text(), nullable=True),
    sa.Column('file_note', sa.Text(), nullable=True),
    sa.Column('notice_given_on', sa.Date(), nullable=True),
    sa.Column('archived_on', sa.Date(), nullable=True),
    sa.Column('archived_by_id', sa.Integer(), nullable=True),
    sa.Column('retention', sa.String(length=20), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['archived_by_id'], ['user.id'], name=op.f('fk_mediation_case_archived_by_id_user')),
    sa.ForeignKeyConstraint(['area_unit_id'], ['unit.id'], name=op.f('fk_mediation_case_area_unit_id_unit')),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_mediation_case_contract_id_contract')),
    sa.ForeignKeyConstraint(['contractor_id'], ['contractor.id'], name=op.f('fk_mediation_case_contractor_id_contractor')),
    sa.ForeignKeyConstraint(['registered_by_id'], ['user.id'], name=op.f('fk_mediation_case_registered_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediation_case')),
    sa.UniqueConstraint('contractor_id', 'year', 'seq', name='uq_mediation_case_seq'),
    sa.UniqueConstraint('number', name=op.f('uq_mediation_case_number'))
    )
    op.create_index(op.f('ix_mediation_case_archived_on'), 'mediation_case', ['archived_on'], unique=False)
    op.create_index('ix_mediation_case_area_received', 'mediation_case', ['area_unit_id', 'received_on'], unique=False)
    op.create_index(op.f('ix_mediation_case_area_unit_id'), 'mediation_case', ['area_unit_id'], unique=False)
    op.create_index(op.f('ix_mediation_case_category'), 'mediation_case', ['category'], unique=False)
    op.create_index(op.f('ix_mediation_case_concluded_on'), 'mediation_case', ['concluded_on'], unique=False)
    op.create_index(op.f('ix_mediation_case_contract_id'), 'mediation_case', ['contract_id'], unique=False)
    op.create_index(op.f('ix_mediation_case_contractor_id'), 'mediation_case', ['contractor_id'], unique=False)
    op.create_index('ix_mediation_case_contractor_received', 'mediation_case', ['contractor_id', 'received_on'], unique=False)
    op.create_index(op.f('ix_mediation_case_due_on'), 'mediation_case', ['due_on'], unique=False)
    op.create_index(op.f('ix_mediation_case_outcome'), 'mediation_case', ['outcome'], unique=False)
    op.create_index(op.f('ix_mediation_case_received_on'), 'mediation_case', ['received_on'], unique=False)
    op.create_index(op.f('ix_mediation_case_registered_by_id'), 'mediation_case', ['registered_by_id'], unique=False)
    op.create_index(op.f('ix_mediation_case_source'), 'mediation_case', ['source'], unique=False)
    op.create_index(op.f('ix_mediation_case_status'), 'mediation_case', ['status'], unique=False)
    op.create_index(op.f('ix_mediation_case_township'), 'mediation_case', ['township'], unique=False)
    op.create_table('mediation_consultation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contractor_id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=True),
    sa.Column('given_on', sa.Date(), nullable=False),
    sa.Column('asker', sa.Text(), nullable=False),
    sa.Column('topic', sa.Text(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('referred_to', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_mediation_consultation_contract_id_contract')),
    sa.ForeignKeyConstraint(['contractor_id'], ['contractor.id'], name=op.f('fk_mediation_consultation_contractor_id_contractor')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_mediation_consultation_created_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediation_consultation'))
    )
    op.create_index(op.f('ix_mediation_consultation_contract_id'), 'mediation_consultation', ['contract_id'], unique=False)
    op.create_index(op.f('ix_mediation_consultation_contractor_id'), 'mediation_consultation', ['contractor_id'], unique=False)
    op.create_index(op.f('ix_mediation_consultation_given_on'), 'mediation_consultation', ['given_on'], unique=False)
    op.create_table('mediation_quarter_close',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('quarter', sa.Integer(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=False),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('review_note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['closed_by_id'], ['user.id'], name=op.f('fk_mediation_quarter_close_closed_by_id_user')),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_mediation_quarter_close_contract_id_contract')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediation_quarter_close')),
    sa.UniqueConstraint('contract_id', 'year', 'quarter', name='uq_mediation_quarter_close')
    )
    op.create_index(op.f('ix_mediation_quarter_close_contract_id'), 'mediation_quarter_close', ['contract_id'], unique=False)
    op.create_table('mediation_screening',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contractor_id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('area_unit_id', sa.Integer(), nullable=False),
    sa.Column('township', sa.String(length=100), nullable=False),
    sa.Column('disputes_found', sa.Integer(), nullable=False),
    sa.Column('analysis', sa.Text(), nullable=False),
    sa.Column('suggestions', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['area_unit_id'], ['unit.id'], name=op.f('fk_mediation_screening_area_unit_id_unit')),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_mediation_screening_contract_id_contract')),
    sa.ForeignKeyConstraint(['contractor_id'], ['contractor.id'], name=op.f('fk_mediation_screening_contractor_id_contractor')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_mediation_screening_created_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediation_screening'))
    )
    op.create_index(op.f('ix_mediation_screening_contract_id'), 'mediation_screening', ['contract_id'], unique=False)
    op.create_index(op.f('ix_mediation_screening_contractor_id'), 'mediation_screening', ['contractor_id'], unique=False)
    op.create_index(op.f('ix_mediation_screening_period_start'), 'mediation_screening', ['period_start'], unique=False)
    op.create_table('mediation_agreement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('matters', sa.Text(), nullable=False),
    sa.Column('responsibility', sa.Text(), nullable=False),
    sa.Column('terms', sa.Text(), nullable=False),
    sa.Column('performance', sa.Text(), nullable=False),
    sa.Column('performance_due', sa.Date(), nullable=True),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['mediation_case.id'], name=op.f('fk_mediation_agreement_case_id_mediation_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_mediation_agreement_created_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediation_agreement')),
    sa.UniqueConstraint('case_id', name=op.f('uq_mediation_agreement_case_id'))
    )
    op.create_index(op.f('ix_mediation_agreement_effective_on'), 'mediation_agreement', ['effective_on'], unique=False)
    op.create_table('mediation_assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('staff_member_id', sa.Integer(), nullable=False),
    sa.Column('assigned_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['user.id'], name=op.f('fk_mediation_assignment_assigned_by_id_user')),
    sa.ForeignKeyConstraint(['case_id'], ['mediation_case.id'], name=op.f('fk_mediation_assignment_case_id_mediation_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_member_id'], ['staff_member.id'], name=op.f('fk_mediation_assignment_staff_member_id_staff_member')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediation_assignment'))
    )
    op.create_index(op.f('ix_mediation_assignment_case_id'), 'mediation_assignment', ['case_id'], unique=False)
    op.create_index(op.f('ix_mediation_assignment_staff_member_id'), 'mediation_assignment', ['staff_member_id'], unique=False)
    op.create_table('mediation_confirmation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('applied_on', sa.Date(), nullable=False),
    sa.Column('court', sa.Text(), nullable=False),
    sa.Column('court_number', sa.Text(), nullable=False),
    sa.Column('result', sa.String(length=20), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['mediation_case.id'], name=op.f('fk_mediation_confirmation_case_id_mediation_case'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediation_confirmation')),
    sa.UniqueConstraint('case_id', name=op.f('uq_mediation_confirmation_case_id'))
    )
    op.create_table('mediation_corrective_measure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('quarter', sa.Integer(), nullable=False),
    sa.Column('cause', sa.Text(), nullable=False),
    sa.Column('measure', sa.Text(), nullable=False),
    sa.Column('owner', sa.Text(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('done_note', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['mediation_case.id'], name=op.f('fk_mediation_corrective_measure_case_id_mediation_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_mediation_corrective_measure_created_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediation_corrective_measure'))
    )
    op.create_index(op.f('ix_mediation_corrective_measure_case_id'), 'mediation_corrective_measure', ['case_id'], unique=False)
    op.create_table('mediation_file_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('part', sa.Integer(), nullable=False),
    sa.Column('attachment_id', sa.Integer(), nullable=True),
    sa.Column('signed_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['attachment_id'], ['attachment.id'], name=op.f('fk_mediation_file_item_attachment_id_attachment')),
    sa.ForeignKeyConstraint(['case_id'], ['mediation_case.id'], name=op.f('fk_mediation_file_item_case_id_mediation_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_mediation_file_item_created_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediation_file_item'))
    )
    op.create_index(op.f('ix_mediation_file_item_case_id'), 'mediation_file_item', ['case_id'], unique=False)
    op.create_table('mediation_follow_up',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('visited_on', sa.Date(), nullable=False),
    sa.Column('way', sa.String(length=20), nullable=False),
    sa.Column('visited_person', sa.Text(), nullable=False),
    sa.Column('visitor', sa.Text(), nullable=False),
    sa.Column('performance', sa.String(length=20), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['mediation_case.id'], name=op.f('fk_mediation_follow_up_case_id_mediation_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_mediation_follow_up_created_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediation_follow_up'))
    )
    op.create_index(op.f('ix_mediation_follow_up_case_id'), 'mediation_follow_up', ['case_id'], unique=False)
    op.create_index(op.f('ix_mediation_follow_up_visited_on'), 'mediation_follow_up', ['visited_on'], unique=False)
    op.create_table('mediation_party',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('side', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=True),
    sa.Column('gender', sa.String(length=10), nullable=True),
    sa.Column('ethnicity', sa.String(length=40), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('occupation', sa.Text(), nullable=True),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('agent', sa.Text(), nullable=True),
    sa.Column('contact_ok', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['mediation_case.id'], name=op.f('fk_mediation_party_case_id_mediation_case'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediation_party'))
    )
    op.create_index(op.f('ix_mediation_party_case_id'), 'mediation_party', ['case_id'], unique=False)
    op.create_index(op.f('ix_mediation_party_name'), 'mediation_party', ['name'], unique=False)
    op.create_table('mediation_police_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('reported_to', sa.Text(), nullable=False),
    sa.Column('reported_at', sa.DateTime(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['mediation_case.id'], name=op.f('fk_mediation_police_report_case_id_mediation_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_mediation_police_report_created_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediation_police_report'))
    )
    op.create_index(op.f('ix_mediation_police_report_case_id'), 'mediation_police_report', ['case_id'], unique=False)
    op.create_table('mediation_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('held_at', sa.DateTime(), nullable=False),
    sa.Column('place', sa.Text(), nullable=False),
    sa.Column('staff', sa.Text(), nullable=False),
    sa.Column('recorder', sa.Text(), nullable=False),
    sa.Column('persons', sa.Text(), nullable=False),
    sa.Column('helpers', sa.Text(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('facts_verified', sa.Text(), nullable=False),
    sa.Column('risks_explained', sa.Text(), nullable=False),
    sa.Column('result', sa.Text(), nullable=False),
    sa.Column('evidence_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['mediation_case.id'], name=op.f('fk_mediation_record_case_id_mediation_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_mediation_record_created_by_id_user')),
    sa.ForeignKeyConstraint(['evidence_id'], ['attachment.id'], name=op.f('fk_mediation_record_evidence_id_attachment')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediation_record'))
    )
    op.create_index(op.f('ix_mediation_record_case_id'), 'mediation_record', ['case_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_mediation_record_case_id'), table_name='mediation_record')
    op.drop_table('mediation_record')
    op.drop_index(op.f('ix_mediation_police_report_case_id'), table_name='mediation_police_report')
    op.drop_table('mediation_police_report')
    op.drop_index(op.f('ix_mediation_party_name'), table_name='mediation_party')
    op.drop_index(op.f('ix_mediation_party_case_id'), table_name='mediation_party')
    op.drop_table('mediation_party')
    op.drop_index(op.f('ix_mediation_follow_up_visited_on'), table_name='mediation_follow_up')
    op.drop_index(op.f('ix_mediation_follow_up_case_id'), table_name='mediation_follow_up')
    op.drop_table('mediation_follow_up')
    op.drop_index(op.f('ix_mediation_file_item_case_id'), table_name='mediation_file_item')
    op.drop_table('mediation_file_item')
    op.drop_index(op.f('ix_mediation_corrective_measure_case_id'), table_name='mediation_corrective_measure')
    op.drop_table('mediation_corrective_measure')
    op.drop_table('mediation_confirmation')
    op.drop_index(op.f('ix_mediation_assignment_staff_member_id'), table_name='mediation_assignment')
    op.drop_index(op.f('ix_mediation_assignment_case_id'), table_name='mediation_assignment')
    op.drop_table('mediation_assignment')
    op.drop_index(op.f('ix_mediation_agreement_effective_on'), table_name='mediation_agreement')
    op.drop_table('mediation_agreement')
    op.drop_index(op.f('ix_mediation_screening_period_start'), table_name='mediation_screening')
    op.drop_index(op.f('ix_mediation_screening_contractor_id'), table_name='mediation_screening')
    op.drop_index(op.f('ix_mediation_screening_contract_id'), table_name='mediation_screening')
    op.drop_table('mediation_screening')
    op.drop_index(op.f('ix_mediation_quarter_close_contract_id'), table_name='mediation_quarter_close')
    op.drop_table('mediation_quarter_close')
    op.drop_index(op.f('ix_mediation_consultation_given_on'), table_name='mediation_consultation')
    op.drop_index(op.f('ix_mediation_consultation_contractor_id'), table_name='mediation_consultation')
    op.drop_index(op.f('ix_mediation_consultation_contract_id'), table_name='mediation_consultation')
    op.drop_table('mediation_consultation')
    op.drop_index(op.f('ix_mediation_case_township'), table_name='mediation_case')
    op.drop_index(op.f('ix_mediation_case_status'), table_name='mediation_case')
    op.drop_index(op.f('ix_mediation_case_source'), table_name='mediation_case')
    op.drop_index(op.f('ix_mediation_case_registered_by_id'), table_name='mediation_case')
    op.drop_index(op.f('ix_mediation_case_received_on'), table_name='mediation_case')
    op.drop_index(op.f('ix_mediation_case_outcome'), table_name='mediation_case')
    op.drop_index(op.f('ix_mediation_case_due_on'), table_name='mediation_case')
    op.drop_index('ix_mediation_case_contractor_received', table_name='mediation_case')
    op.drop_index(op.f('ix_mediation_case_contractor_id'), table_name='mediation_case')
    op.drop_index(op.f('ix_mediation_case_contract_id'), table_name='mediation_case')
    op.drop_index(op.f('ix_mediation_case_concluded_on'), table_name='mediation_case')
    op.drop_index(op.f('ix_mediation_case_category'), table_name='mediation_case')
    op.drop_index(op.f('ix_mediation_case_area_unit_id'), table_name='mediation_case')
    op.drop_index('ix_mediation_case_area_received', table_name='mediation_case')
    op.drop_index(op.f('ix_mediation_case_archived_on'), table_name='mediation_case')
    op.drop_table('mediation_case')
    op.drop_index(op.f('ix_mediation_import_contractor_id'), table_name='mediation_import')
    op.drop_table('mediation_import')
    op.drop_table('mediation_code')
    op.drop_table('mediation_counter')
