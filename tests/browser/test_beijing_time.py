"""A time on a page is Beijing time while the server's own zone is New York's."""
import time

from models import clock
from tests.browser.helpers import login
from tests.tz_flow import beijing_now, minutes


def test_the_audit_log_shows_a_sign_in_at_beijing_time(page, live_server, monkeypatch):
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()  # the live server runs in this process: its local zone is now New York's
    clock.reset()  # real time (the autouse fixture fixed it; it resets it afterwards)
    try:
        before = beijing_now()
        login(page, "admin")
        page.goto("/audit/?action=login&username=admin")
        shown = page.locator("table tbody tr").first.locator("td").first.inner_text()
        after = beijing_now()
        assert shown.strip() in minutes(before, after), (shown, before, after)
    finally:
        monkeypatch.undo()
        time.tzset()
