"""The dashboard in Chromium: charts drawn as SVG, and a filter refreshes each panel through htmx."""
from playwright.sync_api import expect

from tests.browser.helpers import login, mark_page, was_not_reloaded


def test_dashboard_shows_charts_and_a_filter_refreshes_a_panel(page):
    login(page, "city")
    page.get_by_role("link", name="数据看板").click()
    expect(page.locator("h1")).to_have_text("数据看板")
    panel = page.locator("#panel-mediation")
    expect(panel.locator("svg").first).to_be_visible()
    expect(panel.locator("table caption", has_text="主要指标")).to_be_visible()
    expect(panel.locator(".panel-scope")).to_contain_text("全市")
    mark_page(page)
    with page.expect_response(lambda r: "/dashboard/mediation" in r.url and "unit=" in r.url) as response:
        page.get_by_label("单位").select_option(label="昆都仑区司法局")
    assert response.value.status == 200 and response.value.request.headers.get("hx-request") == "true"
    expect(panel.locator(".panel-scope")).to_contain_text("昆都仑区")
    expect(page.locator("#panel-money .panel-scope")).to_contain_text("昆都仑区")
    expect(panel.locator("svg").first).to_be_visible()
    assert was_not_reloaded(page)
