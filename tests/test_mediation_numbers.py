"""Case numbers: gap-free per organisation and year, also when intakes run at the same moment.

The concurrency test needs real concurrent transactions, so it runs on a database of its own (a
SQLite file, or <name>_numbers beside TEST_DATABASE_URL's PostgreSQL database), not in the rolled-back
transaction of the other tests.
"""
import re
import threading
from datetime import date

import pytest
from sqlalchemy import select

from extensions import db
from models import User
from models.mediation import MediationCase, format_number, intake, take_number
from models import clock
from services import settings
from tests import factories
from tests.conftest import TODAY, make_app, own_database
from tests.mediation_factories import make_case, party

THREADS = 8


def _fields(unit_id, received):
    return {"source": "application_oral", "source_body": None, "source_ref": None, "category": "neighbour",
            "area_unit_id": unit_id, "township": "", "amount": None, "received_on": received,
            "facts": "并发受理", "requests": ""}


def test_concurrent_intakes_get_distinct_numbers_without_gaps(tmp_path):
    app = make_app(own_database(tmp_path, "numbers"))
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        clock.set_now(TODAY)
        factories.world()
        db.session.commit()
        unit_id = factories.unit("150203").id
        db.session.remove()
    barrier = threading.Barrier(THREADS)
    errors, numbers = [], []

    def one(username):
        try:
            with app.app_context():
                user = db.session.scalar(select(User).where(User.username == username))
                user.role, user.contractor_id  # read before the race, as a request does
                barrier.wait(timeout=30)
                case = intake(user, _fields(unit_id, TODAY), [party(), party("respondent", "钱小红")])
                numbers.append(case.number)
                db.session.remove()
        except Exception as e:  # reported below; a thread's exception would otherwise vanish
            errors.append(repr(e))

    try:
        threads = [threading.Thread(target=one, args=(("worker_x", "contractor_x")[i % 2],)) for i in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert not errors, errors
        assert sorted(numbers, key=lambda n: int(re.search(r"第(\d+)号", n).group(1))) == [
            f"（2026）昆调字第{n}号" for n in range(1, THREADS + 1)]
        with app.app_context():
            seqs = db.session.scalars(select(MediationCase.seq).order_by(MediationCase.seq)).all()
            assert seqs == list(range(1, THREADS + 1))
    finally:
        clock.reset()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_numbers_are_per_organisation_and_year(app):
    x1 = make_case("contractor_x")
    y1 = make_case("contractor_y", area="150202")
    x2 = make_case("worker_x")
    x_old = make_case("contractor_x", received_on=date(2025, 12, 31))
    assert (x1.number, x2.number, x_old.number) == ("（2026）昆调字第1号", "（2026）昆调字第2号", "（2025）昆调字第1号")
    assert y1.number == "（2026）东调字第1号"


def test_the_pattern_is_a_setting(app):
    settings.put("mediation.number_pattern", "（{year}）人调字第{seq}号")
    assert format_number(factories.org("X"), 2026, 15) == "（2026）人调字第15号"


def test_a_rolled_back_intake_gives_its_number_back(app):
    org = factories.org("X")
    db.session.commit()
    nested = db.session.begin_nested()
    assert take_number(org.id, 2026) == 1
    nested.rollback()
    assert take_number(org.id, 2026) == 1
    # Imported history: new numbers continue after the highest number already used.
    assert take_number(org.id, 2026, at_least=40) == 41
    assert take_number(org.id, 2026) == 42
