"""Zero console errors: a 422 answer swapped into the case page raises no CSP or htmx error."""
from playwright.sync_api import expect

from extensions import db
from tests import mediation_factories as mf
from tests.browser.helpers import login


def test_a_422_on_the_case_page_raises_no_console_error(page, live_server):
    with live_server.app.app_context():
        case = mf.make_case(state="investigating")
        db.session.commit()
        case_id = case.id
    login(page, "worker_x")
    page.goto(f"/mediation/{case_id}")
    page.locator("#record-form").get_by_role("button", name="保存记录").click()
    expect(page.locator("#record-form .error").first).to_be_visible()
