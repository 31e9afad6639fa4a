"""mediation

Revision ID: e5a1c0de0004
Revises: d4cc383052f7
Create Date: 2026-11-27

The mediation module's tables; filled in by that module.
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = "e5a1c0de0004"
down_revision = "d4cc383052f7"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
