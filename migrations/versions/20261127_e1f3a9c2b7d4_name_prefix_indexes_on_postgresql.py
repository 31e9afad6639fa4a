"""name prefix indexes on PostgreSQL: pattern operators, so that LIKE 'x%' uses them under any collation

Revision ID: e1f3a9c2b7d4
Revises: da2795c55e4a
Create Date: 2026-11-27 22:50:00

Only PostgreSQL changes: SQLite's plain index already serves the prefix as a range (models.base.starts_with).
"""
from alembic import op

revision = 'e1f3a9c2b7d4'
down_revision = 'da2795c55e4a'
branch_labels = None
depends_on = None

INDEXES = (("ix_mediation_party_name", "mediation_party"), ("ix_subject_name", "subject"))


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, table in INDEXES:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, ["name"], postgresql_ops={"name": "varchar_pattern_ops"})


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, table in INDEXES:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, ["name"])
