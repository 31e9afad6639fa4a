"""Fixtures after flaskr: one database per run (migrated, not created), each test rolled back."""
import os
import re
from datetime import date

import pytest
from flask.testing import FlaskClient
from flask_sqlalchemy.session import Session as AppSession
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app
from extensions import db
from models import clock
from tests import factories

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
TODAY = date(2026, 11, 27)


def reset_database(uri):
    """An empty database: PostgreSQL drops its public schema; SQLite gets a new file."""
    if uri.startswith("postgresql"):
        engine = create_engine(uri.replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()


def own_database(tmp_path, suffix):
    """A database of a test's own, outside the rolled-back transaction of the others: a SQLite file, or
    <name>_<suffix> beside TEST_DATABASE_URL's PostgreSQL database (dropped and created afresh)."""
    if not (TEST_DATABASE_URL and TEST_DATABASE_URL.startswith("postgresql")):
        return "sqlite:///" + str(tmp_path / f"{suffix}.db")
    url = make_url(TEST_DATABASE_URL)
    name = f"{url.database}_{suffix}"
    assert re.fullmatch(r"[A-Za-z0-9_]+", name)
    admin = create_engine(url.set(drivername="postgresql+psycopg", database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def make_app(uri):
    return create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": uri,
        "SECRET_KEY": "test-secret",
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # fast hashes for tests only
        "PROPAGATE_UNHANDLED": True,
    })


class TestSession(AppSession):
    """The app's session, held on the test's connection (Flask-SQLAlchemy would pick the engine)."""

    def get_bind(self, *args, **kwargs):
        return self.bind


class Client(FlaskClient):
    """A test client that sends the CSRF token a real page would carry.

    Each request gets its own app context (so `g` and the signed-in user never leak from one request
    to the next, as in production); afterwards the test's own session re-reads what the request wrote.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()
        return response

    def csrf_token(self):
        page = self.get("/login" if not self._logged_in() else "/password").get_data(as_text=True)
        return re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)

    def _logged_in(self):
        with self.session_transaction() as s:
            return "_user_id" in s

    def send(self, url, data=None, headers=None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token())
        return self.post(url, data=data, headers=headers, **kwargs)


@pytest.fixture(scope="session")
def _app(tmp_path_factory):
    uri = TEST_DATABASE_URL or "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.db")
    reset_database(uri)
    application = make_app(uri)
    application.test_client_class = Client
    with application.app_context():
        from flask_migrate import upgrade

        upgrade()
        clock.set_now(TODAY)
        factories.world()
        db.session.commit()
        clock.reset()
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(_app):
    """Each test runs inside a transaction that is rolled back; commits become savepoints."""
    with _app.app_context():
        conn = db.engine.connect()
        outer = conn.begin()
        original = db.session
        db.session = db._make_scoped_session(
            {"bind": conn, "join_transaction_mode": "create_savepoint", "class_": TestSession})
        clock.set_now(TODAY)
        try:
            yield _app
        finally:
            clock.reset()
            db.session.remove()
            db.session = original
            outer.rollback()
            conn.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def login(app):
    """login("district_a") -> a client signed in as that user of the test world."""

    def _login(username):
        c = app.test_client()
        r = c.send("/login", {"username": username, "password": factories.PASSWORD})
        assert r.status_code == 303, f"login as {username} failed: {r.status_code}"
        return c

    return _login
