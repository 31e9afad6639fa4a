"""row versions for edited records

Every record edited through a form after creation carries `row_version` (SQLAlchemy's version
counter): a save based on an older version is refused with 409. Existing rows start at 1.

Revision ID: 7aecd60e00be
Revises: 8e7532298082
Create Date: 2026-11-27 19:45:00

"""
import sqlalchemy as sa
from alembic import op

revision = "7aecd60e00be"
down_revision = "8e7532298082"
branch_labels = None
depends_on = None

TABLES = ("contract", "milestone", "procurement", "purchase_plan", "qualification", "setting",
          "staff_member", "subject")


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("row_version", sa.Integer(), server_default=sa.text("1"), nullable=False))


def downgrade():
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("row_version")
