"""The owner's access log of a subject in Chromium (issue 16): behind its disclosure, loaded when opened,
with the owner's own view in it; the page itself does not carry it."""
from playwright.sync_api import expect

from extensions import db
from tests import factories
from tests import rehab_factories as rf
from tests.browser.helpers import login, unique


def test_the_access_log_loads_when_opened(page, live_server):
    name = f"韩立平{unique()}"
    with live_server.app.app_context():
        contract = factories.make_contract("150203", factories.org("X"), "assistance")
        subject_id = rf.subject(contract=contract, name=name).id
        db.session.commit()
    login(page, "district_a")
    page.goto(f"{live_server.url}/rehabilitation/{subject_id}")
    expect(page.locator("h1")).to_contain_text(name)
    log = page.locator("#viewers-log")
    expect(log.locator("#viewers")).to_have_count(0)  # not on the page until asked for
    log.locator("summary").click()
    table = log.locator("#viewers")
    expect(table).to_be_visible()
    expect(table.locator("tr", has_text="district_a").first).to_contain_text("查看")
