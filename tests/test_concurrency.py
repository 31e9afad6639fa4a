"""Concurrent writers on a file SQLite database (issue #9 item 3): several threads write through the app at
once; no request fails with "database is locked" (or any 5xx), no acknowledged write is lost, and two
saves from the same version never both succeed.

SQLite only (the locking it proves is SQLite's); it builds its own database file, so it runs once.
"""
import re
import sqlite3
import threading

import pytest
from flask import got_request_exception
from sqlalchemy import func, select

from extensions import db
from models import PurchasePlan, StaffMember
from models import clock
from tests import factories
from tests.conftest import TEST_DATABASE_URL, TODAY, Client, make_app
from tests.purchasing_helpers import draft_plan

pytestmark = pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="SQLite's locking; runs once, on SQLite")

THREADS_PER_KIND = 2
ROUNDS = 6
STAFF = {"id_number": "150203199001010010", "profession": "social_worker", "phone": "13900000000"}
PLAN = {"year": "2027", "budget_amount": "500000.00", "department_budget": "10000000", "last_year_cases": "420",
        "affordability_notes": "可承受"}


@pytest.fixture
def file_app(_app, tmp_path):
    """A copy of the suite's migrated database (with the test world), served by an app of its own."""
    path = str(tmp_path / "concurrent.db")
    source = sqlite3.connect(_app.config["SQLALCHEMY_DATABASE_URI"][len("sqlite:///"):])
    target = sqlite3.connect(path)
    source.backup(target)
    source.close()
    target.close()
    app = make_app("sqlite:///" + path)
    app.config["PROPAGATE_UNHANDLED"] = False  # a failure is a 500 answer, counted below
    app.test_client_class = Client
    clock.set_now(TODAY)
    with app.app_context():
        unit = _client(app, "district_a")
        plan = draft_plan(unit)
        plan_id, first_version = plan.id, plan.row_version
        evidence_id = factories.org("X").qualification(1).evidence_id
    try:
        yield app, plan_id, first_version, evidence_id
    finally:
        clock.reset()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _client(app, username):
    c = app.test_client()
    r = c.send("/login", {"username": username, "password": factories.PASSWORD})
    assert r.status_code == 303
    return c


def test_concurrent_writers_never_meet_a_locked_database(file_app):
    app, plan_id, first_version, evidence_id = file_app
    errors, results, lock = [], [], threading.Lock()

    def on_exception(sender, exception, **extra):
        with lock:
            errors.append(repr(exception))

    got_request_exception.connect(on_exception, app)
    start = threading.Barrier(3 * THREADS_PER_KIND)

    def add_staff(n):  # inserts
        with app.app_context():
            c = _client(app, "contractor_x")
            start.wait(timeout=60)
            for i in range(ROUNDS):
                r = c.send("/organisation/staff", dict(STAFF, name=f"并发{n}-{i}"))
                with lock:
                    results.append(("staff", r.status_code, f"并发{n}-{i}"))

    def edit_plan(n):  # read the version, then update the same row as the others: 303 or 409, never lost
        with app.app_context():
            c = _client(app, "district_a")
            start.wait(timeout=60)
            for i in range(ROUNDS):
                page = c.get(f"/plans/{plan_id}").get_data(as_text=True)
                version = re.search(r'name="record_version" value="(\d+)"', page).group(1)
                r = c.send(f"/plans/{plan_id}", dict(PLAN, needs_assessment=f"线程{n}第{i}次",
                                                     record_version=version))
                with lock:
                    results.append(("plan", r.status_code, None))

    def download(n):  # a GET that writes (the audit entry of a download)
        with app.app_context():
            c = _client(app, "contractor_x")
            start.wait(timeout=60)
            for _ in range(ROUNDS):
                r = c.get(f"/organisation/evidence/{evidence_id}")
                with lock:
                    results.append(("download", r.status_code, None))

    def guarded(body):
        def run(n):
            try:
                body(n)
            except Exception as e:  # an assertion in a thread: reported below, the others released
                with lock:
                    errors.append(repr(e))
                start.abort()
        return run

    threads = [threading.Thread(target=guarded(f), args=(n,)) for f in (add_staff, edit_plan, download)
               for n in range(THREADS_PER_KIND)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    got_request_exception.disconnect(on_exception, app)

    assert not errors, errors
    assert len(results) == 3 * THREADS_PER_KIND * ROUNDS
    statuses = {(kind, status) for kind, status, _ in results}
    assert statuses <= {("staff", 303), ("plan", 303), ("plan", 409), ("download", 200)}, statuses
    with app.app_context():
        saved = set(db.session.scalars(select(StaffMember.name).where(StaffMember.name.like("并发%"))))
        assert saved == {name for kind, _, name in results if kind == "staff"}  # every acknowledged insert
        plan = db.session.get(PurchasePlan, plan_id)
        saves = sum(1 for kind, status, _ in results if kind == "plan" and status == 303)
        assert plan.row_version == first_version + saves  # each acknowledged edit is one version: none overwritten unseen
        from models import AuditLog

        downloads = db.session.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "download"))
        assert downloads == THREADS_PER_KIND * ROUNDS
