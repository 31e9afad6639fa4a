"""rehabilitation

Revision ID: f6b2d1ef0005
Revises: e5a1c0de0004
Create Date: 2026-11-27

The rehabilitation module's tables; filled in by that module.
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = "f6b2d1ef0005"
down_revision = "e5a1c0de0004"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
