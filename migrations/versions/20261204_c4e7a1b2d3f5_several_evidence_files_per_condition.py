"""several evidence files per condition (qualification_evidence, condition_review_evidence, copied from
evidence_id, which goes), the pending uploads of a refused registration, and the public's lookup code of
a feedback (its hash, wrong-code count and lock)

Revision ID: c4e7a1b2d3f5
Revises: a698a5a02c37
Create Date: 2026-12-04 19:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4e7a1b2d3f5'
down_revision = 'a698a5a02c37'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'qualification_evidence',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('qualification_id', sa.Integer(), nullable=False),
        sa.Column('attachment_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['attachment_id'], ['attachment.id'],
                                name=op.f('fk_qualification_evidence_attachment_id_attachment')),
        sa.ForeignKeyConstraint(['qualification_id'], ['qualification.id'],
                                name=op.f('fk_qualification_evidence_qualification_id_qualification'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_qualification_evidence')),
    )
    op.create_index(op.f('ix_qualification_evidence_qualification_id'), 'qualification_evidence',
                    ['qualification_id'])
    op.create_index(op.f('ix_qualification_evidence_attachment_id'), 'qualification_evidence', ['attachment_id'])
    op.create_table(
        'condition_review_evidence',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('condition_review_id', sa.Integer(), nullable=False),
        sa.Column('attachment_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['attachment_id'], ['attachment.id'],
                                name=op.f('fk_condition_review_evidence_attachment_id_attachment')),
        sa.ForeignKeyConstraint(['condition_review_id'], ['condition_review.id'],
                                name=op.f('fk_condition_review_evidence_condition_review_id_condition_review'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_condition_review_evidence')),
    )
    op.create_index(op.f('ix_condition_review_evidence_condition_review_id'), 'condition_review_evidence',
                    ['condition_review_id'])
    op.create_index(op.f('ix_condition_review_evidence_attachment_id'), 'condition_review_evidence',
                    ['attachment_id'])
    op.execute("INSERT INTO qualification_evidence (qualification_id, attachment_id) "
               "SELECT id, evidence_id FROM qualification WHERE evidence_id IS NOT NULL ORDER BY id")
    op.execute("INSERT INTO condition_review_evidence (condition_review_id, attachment_id) "
               "SELECT id, evidence_id FROM condition_review WHERE evidence_id IS NOT NULL ORDER BY id")
    with op.batch_alter_table('qualification', schema=None) as batch_op:
        batch_op.drop_constraint('fk_qualification_evidence_id_attachment', type_='foreignkey')
        batch_op.drop_column('evidence_id')
    with op.batch_alter_table('condition_review', schema=None) as batch_op:
        batch_op.drop_constraint('fk_condition_review_evidence_id_attachment', type_='foreignkey')
        batch_op.drop_column('evidence_id')

    op.create_table(
        'pending_upload',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token', sa.String(length=64), nullable=False),
        sa.Column('session_key', sa.String(length=64), nullable=False),
        sa.Column('field', sa.String(length=40), nullable=False),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('content_type', sa.String(length=100), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_upload')),
        sa.UniqueConstraint('token', name=op.f('uq_pending_upload_token')),
    )
    op.create_index(op.f('ix_pending_upload_session_key'), 'pending_upload', ['session_key'])
    op.create_index(op.f('ix_pending_upload_created_at'), 'pending_upload', ['created_at'])

    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lookup_hash', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('lookup_failures', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('lookup_locked_until', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_column('lookup_locked_until')
        batch_op.drop_column('lookup_failures')
        batch_op.drop_column('lookup_hash')
    op.drop_index(op.f('ix_pending_upload_created_at'), table_name='pending_upload')
    op.drop_index(op.f('ix_pending_upload_session_key'), table_name='pending_upload')
    op.drop_table('pending_upload')
    for table in ('qualification', 'condition_review'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('evidence_id', sa.Integer(), nullable=True))
            batch_op.create_foreign_key(f'fk_{table}_evidence_id_attachment', 'attachment', ['evidence_id'], ['id'])
    # The first file of each condition goes back to evidence_id; further files stay only as attachments.
    op.execute("UPDATE qualification SET evidence_id = (SELECT MIN(e.attachment_id) FROM qualification_evidence e "
               "WHERE e.qualification_id = qualification.id)")
    op.execute("UPDATE condition_review SET evidence_id = (SELECT MIN(e.attachment_id) FROM "
               "condition_review_evidence e WHERE e.condition_review_id = condition_review.id)")
    op.drop_table('condition_review_evidence')
    op.drop_table('qualification_evidence')
