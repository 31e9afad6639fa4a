"""Migrations on a database that holds data: SQLite rebuilds a table to alter it (copy, drop, rename),
which fails while other rows point to the table unless the migration runs with foreign keys off."""
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text

from extensions import db
from tests import factories
from tests.conftest import make_app

BEFORE_ROW_VERSIONS = "8e7532298082"  # the revision before tables with data (contract ...) were rebuilt


def test_a_database_with_contracts_goes_down_and_up_again_with_every_row_kept(tmp_path):
    uri = "sqlite:///" + str(tmp_path / "data.db")
    app = make_app(uri)
    with app.app_context():
        upgrade()
        factories.world()
        factories.make_contract("150203", factories.org("X"))
        db.session.commit()
        tables = ("contract", "instalment", "milestone", "purchase_plan", "staff_member", "user")
        before = {t: db.session.execute(text(f'SELECT count(*) FROM "{t}"')).scalar() for t in tables}
        assert before["contract"] == 1 and before["instalment"] > 0
        db.session.remove()
        downgrade(revision=BEFORE_ROW_VERSIONS)
        upgrade()
    engine = create_engine(uri)
    with engine.connect() as conn:
        after = {t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar() for t in tables}
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
    engine.dispose()
    assert after == before
    with app.app_context():
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        db.engine.dispose()
