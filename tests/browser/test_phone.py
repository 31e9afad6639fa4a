"""The field pages at phone width (390×844): one column, no sideways scrolling, targets at least 44 px high
(issue 14, phone width). A mediator's case page with its record and follow-up forms open, the inbox."""
import pytest
from playwright.sync_api import expect

from extensions import db
from tests import mediation_factories as mf
from tests.browser.helpers import login

PHONE = {"width": 390, "height": 844}

SMALL_TARGETS = """() => {
  const bad = [];
  const sel = 'main a, main button, main summary, main select, main textarea, ' +
              'main input:not([type=hidden]):not([type=checkbox]):not([type=radio]), main label.check';
  for (const el of document.querySelectorAll(sel)) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;  // folded away
    if (r.height < 44) bad.push(`${el.outerHTML.slice(0, 90)} … ${Math.round(r.height)} px`);
  }
  return bad;
}"""


def check_phone_page(page):
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), (
        page.evaluate("[document.documentElement.scrollWidth, innerWidth]"), page.url)
    assert page.evaluate(SMALL_TARGETS) == [], page.url


def make_case(live_server, state):
    with live_server.app.app_context():
        case = mf.make_case(state=state)
        db.session.commit()
        return case.id


@pytest.mark.parametrize("state, form", [("investigating", "#record-form"), ("written", "#follow-up-form")])
def test_the_case_page_and_its_record_and_follow_up_forms_fit_a_phone(page, live_server, state, form):
    case_id = make_case(live_server, state)
    page.set_viewport_size(PHONE)
    login(page, "worker_x")
    page.goto(f"/mediation/{case_id}")
    expect(page.locator(f"#next-steps .step-main {form}")).to_be_visible()
    check_phone_page(page)
    # one column: the form's fields stand one above the other
    xs = page.locator(f"{form} .field").evaluate_all("els => els.map(e => e.getBoundingClientRect().left)")
    assert len(set(round(x) for x in xs)) == 1, xs
    # a step opened on demand fits too
    page.locator("#next-steps summary", has_text="向公安机关报告").click()
    expect(page.locator("#police-form")).to_be_visible()
    check_phone_page(page)


def test_the_mediators_home_and_case_list_fit_a_phone(page, live_server):
    make_case(live_server, "mediating")
    page.set_viewport_size(PHONE)
    login(page, "worker_x")
    check_phone_page(page)
    if "inbox.index" in live_server.app.view_functions:
        page.goto("/inbox")
        check_phone_page(page)
    page.goto("/mediation/")
    check_phone_page(page)


def test_a_subjects_service_record_fits_a_phone(page, live_server):
    from tests import rehab_factories as rf

    with live_server.app.app_context():
        s = rf.subject(name="巴特尔")
        rf.approved_plan(s)
        db.session.commit()
        subject_id = s.id
    page.set_viewport_size(PHONE)
    login(page, "district_a")
    page.goto(f"/rehabilitation/{subject_id}")
    expect(page.locator("#step-record #record-form")).to_be_visible()  # the next step: a service record
    check_phone_page(page)
    page.locator("#step-consent > summary").click()
    expect(page.locator("#consent-form")).to_be_visible()
    check_phone_page(page)
