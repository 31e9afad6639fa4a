"""Issue 8's page changes in Chromium: the subject list's keyset pages and capped count, the lists that now
page (follow-ups due, work list), and the organisations' case-number codes."""
from playwright.sync_api import expect

from extensions import db
from tests import rehab_factories as rf
from tests.browser.helpers import login


def test_subject_list_pages_forward_and_back_to_the_first(page, live_server):
    with live_server.app.app_context():
        for i in range(23):
            rf.subject("150203", name=f"浏览翻页{i:02d}")
        db.session.commit()
    login(page, "district_a")
    page.goto("/rehabilitation/?q=浏览翻页")
    rows = page.locator("#subjects tbody tr")
    expect(rows).to_have_count(20)
    expect(page.locator("#subject-table")).to_contain_text("共 23 人")
    expect(rows.first).to_contain_text("浏览翻页22")
    page.get_by_role("link", name="下一页").click()
    expect(rows).to_have_count(3)
    expect(rows.last).to_contain_text("浏览翻页00")
    page.get_by_role("link", name="第一页").click()
    expect(rows.first).to_contain_text("浏览翻页22")


def test_work_list_follow_ups_due_and_case_codes_open(page, live_server):
    login(page, "district_a")
    page.goto("/rehabilitation/worklist")
    expect(page.locator("h1")).to_have_text("安置帮教工作清单")
    page.goto("/mediation/follow-ups-due")
    expect(page.locator("h1")).to_have_text("待回访的调解协议")
    login(page, "admin")
    page.goto("/admin/case-codes")
    expect(page.locator("h1")).to_have_text("调解案件编号代字")
    expect(page.locator("main")).to_contain_text("和润调解中心")
