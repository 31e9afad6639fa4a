"""Helpers the browser tests share: the server thread, unique test data, dates, and signing in through the form."""
import itertools
import os
import re
import threading
from contextlib import contextmanager
from datetime import date, timedelta

from playwright.sync_api import expect
from werkzeug.serving import WSGIRequestHandler, make_server

from demo.helpers import make_id_number, make_uscc, tiny_pdf
from extensions import db
from tests import factories
from tests.conftest import TODAY


ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VIEWPORT = {"width": 1280, "height": 900}

_sequence = itertools.count(1)


_answering = threading.Condition()  # guards _open: the requests the servers are answering now
_open = 0


class _QuietHandler(WSGIRequestHandler):
    """Werkzeug's handler without the access log, counting the requests it is answering (wait_idle)."""

    def log_request(self, *args, **kwargs):
        pass  # errors are still logged; the access log would only drown them

    def run_wsgi(self):
        global _open
        with _answering:
            _open += 1
        try:
            super().run_wsgi()
        finally:
            with _answering:
                _open -= 1
                _answering.notify_all()


def wait_idle(timeout=10):
    """Wait until the test servers have written their last answer: none is still on its way to the browser."""
    with _answering:
        assert _answering.wait_for(lambda: _open == 0, timeout), f"{_open} requests still being answered"


def _closing(app):
    """The app with every response body closed, even when the browser drops the connection mid-body.

    Werkzeug's development server closes a body only after writing all of it: when Chromium moves on while
    a stylesheet is still being sent, the file behind it stays open, and its ResourceWarning at garbage
    collection fails whichever test is running (filterwarnings = error). The body is handed out through a
    generator whose `finally` closes it; the server drops the generator when it gives up on the connection.
    (gunicorn, which serves production, closes the body itself.)
    """

    def wsgi(environ, start_response):
        body = app(environ, start_response)

        def chunks():
            try:
                yield from body
            finally:
                if hasattr(body, "close"):
                    body.close()

        return chunks()

    return wsgi


@contextmanager
def serve(app, name):
    """Serve `app` from a thread on a free loopback port; yields its URL, and stops it and its engine after."""
    server = make_server("127.0.0.1", 0, _closing(app), threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def unique(prefix=""):
    """A short token unique in this run (the database is new for each run)."""
    return f"{prefix}{next(_sequence):04d}"


def new_uscc(seat="150203", kind="52", org="MJ1"):
    """A valid unified social credit code no other test uses."""
    return make_uscc(f"{kind}{seat}{org}{next(_sequence):06d}")


def new_id_number(area="150203"):
    n = next(_sequence)
    return make_id_number(area, date(1970 + n % 30, 1 + n % 12, 1 + n % 28), n % 1000)


def write_pdf(directory, filename, title="evidence"):
    path = directory / filename
    path.write_bytes(tiny_pdf(title))
    return path


def in_days(days):
    """An ISO date relative to the tests' fixed today, as a date input takes it."""
    return (TODAY + timedelta(days=days)).isoformat()


def path_is(path):
    """A pattern for expect(page).to_have_url(): this path on the live server, any query string."""
    return re.compile(r"^https?://[^/]+" + re.escape(path) + r"(\?.*)?$")


def mark_page(page):
    """Leave a mark in the page's JavaScript state; htmx swaps keep it, a full page load loses it."""
    page.evaluate("window.__notReloaded = true")


def was_not_reloaded(page):
    return page.evaluate("window.__notReloaded === true")


def login(page, username, password=factories.PASSWORD, lands_on="/"):
    """Sign in through the login form, starting from a fresh session. The page is left first, and the server
    has answered every request before the cookies are cleared: a request still in flight from the page (the
    navigation's badges load by htmx) would otherwise answer afterwards and set the old user's session cookie
    again (the login form then fails its CSRF check)."""
    if page.url.startswith("http"):
        settled(page)
    page.goto("about:blank")
    wait_idle()
    page.context.clear_cookies()
    page.goto("/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(re.compile(r"^https?://[^/]+" + re.escape(lands_on) + "$"))
    expect(page.locator("header .who")).to_be_visible()


def settled(page):
    """Wait until no htmx request of the page is in flight (htmx marks its element .htmx-request meanwhile)."""
    expect(page.locator(".htmx-request")).to_have_count(0)


def logout(page):
    """Sign out through the button, once the page's own requests have answered: a badge's or panel's answer
    arriving after the logout would carry the old session cookie and sign the user in again. A page just loaded
    starts its htmx requests on load, so its network is first let fall quiet, then any later swap's request."""
    page.wait_for_load_state("networkidle")
    settled(page)
    page.locator("header .who").get_by_role("button", name="退出").click()
    expect(page.locator("h1")).to_have_text("登录")


def expect_in_place(page, locator):
    """After an action: the result is on screen (in the viewport) and has the focus (it is announced)."""
    expect(locator).to_be_in_viewport()
    expect(locator).to_be_focused()


def placed(page):
    """The success message the last htmx action left inside the section it changed."""
    return page.locator("[data-place]")
