"""Browser tests: Debian's headless Chromium against the app served from a thread on its own database.

One server and one database for the whole session (seeded with the test world), so every test makes
its own records with unique names, codes and usernames and does not depend on the order of tests.
"""
import os
import re
from types import SimpleNamespace

import pytest
from flask import got_request_exception
from playwright.sync_api import expect
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from extensions import db
from models import clock
from tests import factories
from tests.browser.helpers import VIEWPORT, new_uscc, serve, unique
from tests.conftest import TODAY, make_app

CHROMIUM = "/usr/bin/chromium"
HERE = os.path.dirname(os.path.abspath(__file__))

# expect() waits up to 10 s (Playwright's default is 5): room for a busy CI machine, no cost when passing.
# Actions and expectations fail in seconds, not Playwright's 30; CI runs the SQLite and PostgreSQL suites
# side by side on two cores (each with its Chromium and live server), where a page can take longer.
TIMEOUT_MS = 20_000 if os.environ.get("CI") == "true" else 10_000
expect.set_options(timeout=TIMEOUT_MS)


def pytest_collection_modifyitems(config, items):
    """Every test under tests/browser is marked `browser` (deselect with -m "not browser")."""
    for item in items:
        if str(item.path).startswith(HERE + os.sep):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session", autouse=True)
def _chromium():
    """Without Debian's Chromium: skipped on a developer machine, a loud failure under CI=true."""
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} not found: install Debian's chromium and fonts-noto-cjk (never `playwright install`)"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        # Run as root without a sandbox, no GPU, and no background calls to the (closed) network.
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    }


@pytest.fixture(scope="session")
def base_url(live_server):
    """page.goto("/login") goes to the live server (this also replaces pytest-playwright's fallback
    fixture, an instance method that pytest 9 deprecates, which filterwarnings=error would fail)."""
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": VIEWPORT, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


# ---- the live server


def _browser_database(tmp_path_factory):
    """A database of its own: <name>_browser beside TEST_DATABASE_URL's PostgreSQL one, else SQLite."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not (base and base.startswith("postgresql")):
        return "sqlite:///" + str(tmp_path_factory.mktemp("browser-db") / "browser.db")
    url = make_url(base)
    name = f"{url.database}_browser"
    if not re.fullmatch(r"[A-Za-z0-9_]+", name):
        raise pytest.UsageError(f"unexpected database name in TEST_DATABASE_URL: {url.database!r}")
    admin = create_engine(url.set(drivername="postgresql+psycopg", database="postgres"),
                          isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


class LiveServer(SimpleNamespace):
    """The running app: `url`, `app`, `errors` (unhandled exceptions), and factories for test data."""

    def contractor(self, name=None, seat="150203", status="approved"):
        """A contractor made directly in the server's database, with its own admin login."""
        name = name or f"测试调解中心{unique()}"
        username = unique("org_")
        with self.app.app_context():
            org = factories.make_contractor(name, new_uscc(seat), seat, status=status, admin_username=username)
            db.session.commit()
            return SimpleNamespace(id=org.id, name=name, uscc=org.uscc, username=username)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    app = make_app(_browser_database(tmp_path_factory))
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        clock.set_now(TODAY)
        try:
            factories.world()
            db.session.commit()
        finally:
            clock.reset()
            db.session.remove()
    errors = []
    got_request_exception.connect(lambda sender, exception, **kw: errors.append(repr(exception)), app, weak=False)
    with serve(app, "live-server") as url:
        yield LiveServer(url=url, app=app, errors=errors)


@pytest.fixture(autouse=True)
def _clock_and_server_errors(live_server):
    """The clock is process-global: fix it for the server while the test runs, then give it back.

    An unhandled exception in the server fails the test that caused it.
    """
    clock.set_now(TODAY)
    del live_server.errors[:]
    yield
    clock.reset()
    errors, live_server.errors[:] = list(live_server.errors), []
    assert not errors, f"the server raised: {errors}"


# Console errors that say nothing wrong about the page: the browser's own line for an answer of 4xx the
# app gives by design (422 beside the field, 403/404/409 the tests provoke, checked by the tests
# themselves). A 4xx for a static file or the icon (a missing stylesheet, script, favicon) is a defect.
FAILED_LOAD = re.compile(r"^Failed to load resource: the server responded with a status of 4\d\d")


def _console_problem(message):
    if message.type != "error":
        return None
    url = message.location.get("url") or ""
    if FAILED_LOAD.match(message.text) and "/static/" not in url and not url.endswith("/favicon.ico"):
        return None
    return f"console error: {message.text} ({url})"


@pytest.fixture
def page(page):
    """The page, failing the test on any console error (a CSP violation, an htmx error, a script's), a
    JavaScript exception, or any alert() dialog: collected on every page of every browser test."""
    page.set_default_timeout(TIMEOUT_MS)
    problems = []
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))

    def console(message):
        problem = _console_problem(message)
        if problem:
            problems.append(problem)

    page.on("console", console)

    def dialog(d):
        problems.append(f"dialog: {d.message}")
        d.dismiss()

    page.on("dialog", dialog)
    yield page
    assert not problems, problems
