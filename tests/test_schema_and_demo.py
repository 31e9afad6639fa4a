"""Migrations give exactly the models' schema; the demo seed is complete and idempotent."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from extensions import db
from models import Contractor, Unit, User
from models.unit import UNITS
from tests.helpers import row_counts


def test_upgrade_on_an_empty_database_gives_exactly_the_models_schema(app):
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)
    assert diff == []


def test_units_exist_after_upgrade(app):
    units = {u.code: u.name for u in db.session.scalars(select(Unit))}
    assert units == {code: name for code, name, *_ in UNITS}
    assert units["150203"] == "昆都仑区司法局"


def test_demo_seed_shows_every_state_and_running_it_twice_changes_nothing(runner):
    first = runner.invoke(args=["demo", "seed"])
    assert first.exit_code == 0, first.output
    assert "Fengqiao-2026" in first.output and "kundulun" in first.output
    states = set(db.session.scalars(select(Contractor.status)))
    assert states >= {"pending", "approved", "rejected", "suspended", "terminated"}
    roles = set(db.session.scalars(select(User.role)))
    assert roles == {"admin", "city", "district", "finance", "contractor", "worker", "evaluator"}
    before = row_counts()
    audit_before = db.session.scalar(select(func.count()).select_from(db.metadata.tables["audit_log"]))
    second = runner.invoke(args=["demo", "seed"])
    assert second.exit_code == 0 and "新增 0 个" in second.output
    assert row_counts() == before
    assert db.session.scalar(select(func.count()).select_from(db.metadata.tables["audit_log"])) == audit_before
