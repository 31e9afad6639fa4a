"""The contract page keeps the user's place (issue 14): after each action the changed section comes back
in place (htmx), its message inside it, in view and focused; a refused form focuses the first field in
error with what was typed kept. Console errors fail the test (the page fixture)."""
import re
from datetime import date

from playwright.sync_api import expect

from extensions import db
from tests import factories
from tests.browser.helpers import VIEWPORT, expect_in_place, login, mark_page, was_not_reloaded


def test_contract_actions_leave_the_user_where_they_acted(page, live_server):
    org = live_server.contractor()
    with live_server.app.app_context():
        from models import Contractor

        c = factories.make_contract("150203", db.session.get(Contractor, org.id), start=date(2026, 1, 1))
        db.session.commit()
        contract_id = c.id

    login(page, "district_a")
    page.goto(f"/contracts/{contract_id}")
    mark_page(page)

    # the next step, open: the section comes back with the message, the page's head with the next one
    deadlines = page.locator("#deadlines")
    deadlines.get_by_label("发布日期").fill("2026-01-05")
    deadlines.get_by_role("button", name="记录合同公告").click()
    expect(deadlines.locator("[data-place]")).to_have_text("合同已公告。")
    expect_in_place(page, deadlines.locator("[data-place]"))
    expect(page.locator("#next-steps")).to_contain_text("记录报财政部门备案")
    expect(page.locator("#step-filing")).to_have_attribute("open", "")

    integrity = page.locator("#integrity")
    integrity.get_by_role("button", name="运行检查").click()
    expect(integrity.locator("[data-place]")).to_have_text("已完成记录完整性检查。")
    expect_in_place(page, integrity.locator("[data-place]"))

    quarters = page.locator("#quarters")
    quarters.locator("#step-quarter > summary").click()
    quarters.get_by_label("季度").select_option(label="第一季度")
    quarters.get_by_role("button", name="关闭季度").click()
    expect(quarters.locator("[data-place]")).to_contain_text("季度已关闭")
    expect_in_place(page, quarters.locator("[data-place]"))
    expect(quarters).to_contain_text("2026年第1季度")

    inspections = page.locator("#inspections")
    inspections.locator("#step-inspection > summary").click()
    inspections.get_by_label("检查原因").select_option(label="例行检查")
    inspections.get_by_label("检查决定").fill("抽查 2026 年第一季度的调解卷宗")
    inspections.get_by_role("button", name="决定检查").click()
    expect(inspections.locator("[data-place]")).to_have_text("已决定检查，等待承接主体答复。")
    expect_in_place(page, inspections.locator("[data-place]"))
    expect(inspections).to_contain_text("抽查 2026 年第一季度的调解卷宗")

    # a refused form (nothing paid, nothing to claim back): the section comes back with the message beside
    # the amount, the focus there, the reason typed kept
    money = page.locator("#money")
    money.locator("#step-reclaim > summary").click()
    money.get_by_label("追回金额（元）").fill("100")
    money.get_by_label("追回理由").fill("重复计酬")
    money.get_by_role("button", name="追回款项").click()
    expect(money.locator(".has-error")).to_contain_text("追回金额不能超过")
    expect(money.get_by_label("追回金额（元）")).to_be_focused()
    expect(money.get_by_label("追回理由")).to_have_value("重复计酬")

    targets = page.locator("#targets")
    targets.locator("#step-target > summary").click()
    targets.get_by_label("指标").select_option(label="培训（场）")
    targets.get_by_label("合同约定的目标值").fill("4")
    targets.get_by_role("button", name="设置目标").click()
    expect(targets.locator("[data-place]")).to_have_text("已设置目标。")
    expect_in_place(page, targets.locator("[data-place]"))
    assert was_not_reloaded(page)  # every answer above came in place



def test_without_javascript_the_redirect_opens_the_page_at_the_section(browser, base_url, live_server):
    """No htmx, no place.js: the answer is a redirect to ?done=<section>#<section>, the browser scrolls
    to the section and the message is inside it (not in the flash area at the top)."""
    org = live_server.contractor()
    with live_server.app.app_context():
        from models import Contractor

        c = factories.make_contract("150203", db.session.get(Contractor, org.id), start=date(2026, 1, 1))
        db.session.commit()
        contract_id = c.id
    context = browser.new_context(base_url=base_url, java_script_enabled=False, viewport=VIEWPORT, locale="zh-CN")
    try:
        page = context.new_page()
        login(page, "district_a")
        page.goto(f"/contracts/{contract_id}")
        page.locator("#quarters #step-quarter > summary").click()
        page.locator("#quarters").get_by_label("季度").select_option(label="第二季度")
        page.locator("#quarters").get_by_role("button", name="关闭季度").click()
        expect(page).to_have_url(re.compile(rf"/contracts/{contract_id}\?done=quarters#quarters$"))
        message = page.locator("#quarters [data-place]")
        expect(message).to_contain_text("季度已关闭")
        expect(message).to_be_in_viewport()
        expect(page.locator("#flash .flash")).to_have_count(0)
    finally:
        context.close()


def test_the_contractors_record_comes_back_in_place(page, live_server):
    org = live_server.contractor()
    with live_server.app.app_context():
        from models import Contractor

        c = factories.make_contract("150203", db.session.get(Contractor, org.id), start=date(2026, 1, 1))
        db.session.commit()
        contract_id = c.id
    login(page, org.username)
    page.goto(f"/contracts/{contract_id}")
    mark_page(page)
    deliverables = page.locator("#deliverables")
    deliverables.get_by_label("类别").select_option(label="培训")
    deliverables.get_by_label("日期").fill("2026-11-20")
    deliverables.get_by_label("地点").fill("昆都仑区司法局")
    deliverables.get_by_role("button", name="记录").click()  # no number of participants: 422 in place
    expect(deliverables.get_by_label("参加人数")).to_be_focused()
    expect(deliverables.get_by_label("地点")).to_have_value("昆都仑区司法局")
    deliverables.get_by_label("参加人数").fill("30")
    deliverables.get_by_label("内容").fill("人民调解员业务培训")
    deliverables.get_by_role("button", name="记录").click()
    expect(deliverables.locator("[data-place]")).to_have_text("已记录。")
    expect_in_place(page, deliverables.locator("[data-place]"))
    expect(deliverables).to_contain_text("人民调解员业务培训")
    assert was_not_reloaded(page)
