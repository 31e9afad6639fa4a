"""A mediation case from intake to archive in Chromium, as the mediator, the admin and the unit do it."""
import re

from playwright.sync_api import expect

from tests.browser.helpers import login, logout, write_pdf
from tests.docs import docx_text

NUMBER = re.compile(r"（2026）昆调字第\d+号")


def open_case(page, number):
    page.locator(".site-nav").get_by_role("link", name="调解案件").click()
    expect(page.locator("h1")).to_have_text("调解案件")
    page.locator("#case-table").get_by_role("link", name=number, exact=True).click()
    expect(page.locator("h1")).to_have_text(number)


def test_a_court_referral_from_intake_to_archive(page, live_server, tmp_path):
    # The mediator takes in a case the court referred.
    login(page, "worker_x")
    page.locator(".site-nav").get_by_role("link", name="调解案件").click()
    page.get_by_role("link", name="受理登记").click()
    expect(page.locator("h1")).to_have_text("受理登记")
    page.get_by_label("案件来源").select_option(label="人民法院委托移送")
    page.get_by_label("移送或委托单位").fill("包头市昆都仑区人民法院")
    page.get_by_label("移送单位文号").fill("（2026）内0203民诉前调21号")
    page.get_by_label("纠纷类型").select_option(label="邻里纠纷")
    page.get_by_label("纠纷发生地（旗县区）").select_option(label="昆都仑区")
    page.get_by_label("乡镇（街道）").fill("昆北街道")
    page.get_by_label("争议金额（元）").fill("8000")
    page.get_by_label("纠纷简要情况").fill("楼上卫生间漏水 & 损坏楼下吊顶 <多次协商未果>。")
    page.get_by_label("当事人请求事项").fill("赔偿维修费 8000 元")
    page.locator("#parties-0-name").fill("赵大海")
    page.locator("#parties-0-id_number").fill("150203199001010010")
    page.locator("#parties-0-contact_ok").check()
    page.locator("#parties-2-name").fill("钱小红")
    page.get_by_role("button", name="登记并编号").click()
    expect(page.locator("h1")).to_have_text(NUMBER)
    number = page.locator("h1").inner_text()
    expect(page.locator("#case-facts")).to_have_text("楼上卫生间漏水 & 损坏楼下吊顶 <多次协商未果>。")
    expect(page.locator("#case-mediators")).to_have_text("未指派")
    logout(page)

    # The organisation's admin assigns the mediator.
    login(page, "contractor_x")
    open_case(page, number)
    page.locator("#assign-form").get_by_label("张志强").check()
    page.get_by_role("button", name="保存指派").click()
    expect(page.locator("#case-mediators")).to_have_text("张志强")
    logout(page)

    # The mediator investigates, gives the notice, mediates, and records a written agreement.
    login(page, "worker_x")
    open_case(page, number)
    form = page.locator("#record-form")
    form.get_by_label("记录类型").select_option(label="调查记录")
    form.get_by_label("时间", exact=True).fill("2026-11-27T08:30")
    form.get_by_label("地点").fill("昆北街道调解室")
    form.get_by_label("记录内容（问答或各方陈述）").fill("问：何时发现漏水？答：十一月初。")
    page.get_by_role("button", name="保存记录").click()
    expect(page.locator("#case-status")).to_contain_text("调查中")
    page.locator("#notice-form").get_by_role("button", name="记录已告知").click()
    expect(page.locator("#flash")).to_contain_text("已记录权利义务告知")
    form = page.locator("#record-form")
    form.get_by_label("记录类型").select_option(label="调解记录")
    form.get_by_label("时间", exact=True).fill("2026-11-27T09:00")
    form.get_by_label("记录内容（问答或各方陈述）").fill("双方陈述意见，同意由钱小红赔偿。")
    form.get_by_label("调解结果（协议内容或不成原因及其他途径）").fill("达成协议")
    page.get_by_role("button", name="保存记录").click()
    expect(page.locator("#case-status")).to_contain_text("调解中")
    form = page.locator("#succeed-form")
    form.get_by_label("协议形式").select_option(label="书面调解协议")
    form.get_by_label("主要事实、争议事项").fill("漏水损坏吊顶的赔偿")
    form.get_by_label("达成协议的内容").fill("钱小红赔偿赵大海维修费 6000 元")
    form.get_by_label("履行方式和期限").fill("银行转账")
    page.get_by_role("button", name="记录调解协议").click()
    expect(page.locator("#case-status")).to_contain_text("调解成功（书面协议）")

    # The agreement downloads as a Word document holding the case.
    with page.expect_download() as info:
        page.get_by_role("link", name="调解协议书", exact=True).click()
    with open(info.value.path(), "rb") as fh:
        text = docx_text(fh.read())
    assert "人民调解协议书" in text and number in text and "钱小红赔偿赵大海维修费 6000 元" in text

    # A follow-up visit, the identity proof scanned into the file, then the archive.
    form = page.locator("#follow-up-form")
    form.get_by_label("回访方式").select_option(label="电话回访")
    form.get_by_label("回访对象").fill("赵大海")
    form.get_by_label("协议履行情况").select_option(label="已全部履行")
    page.get_by_role("button", name="保存回访").click()
    expect(page.locator("#follow-ups")).to_contain_text("已全部履行")
    form = page.locator("#file-form")
    form.get_by_label("卷宗材料").select_option(label="3. 当事人身份证明")
    form.get_by_label("扫描件").set_input_files(write_pdf(tmp_path, "身份证.pdf"))
    page.get_by_role("button", name="登记材料").click()
    expect(page.locator("#part-3")).to_contain_text("已有")
    page.locator("#archive-form").get_by_label("保管期限").select_option(label="10年")
    page.get_by_role("button", name="归档", exact=True).click()
    expect(page.locator("#case-status")).to_contain_text("已归档")
    expect(page.locator("#record-form")).to_have_count(0)
    logout(page)

    # The unit sees it on its list and in the quarterly evaluation.
    login(page, "district_a")
    open_case(page, number)
    expect(page.locator("#case-status")).to_contain_text("已归档")
    page.locator(".site-nav").get_by_role("link", name="调解案件").click()
    page.get_by_label("案号或当事人").fill("赵大")
    expect(page.locator("#case-table")).to_contain_text(number)
    page.get_by_role("link", name="季度评估").click()
    expect(page.locator("h1")).to_have_text("人民调解评估 · 2026年第4季度")
    expect(page.locator("#figure-succeeded td")).not_to_have_text("0")
    expect(page.locator("body")).to_contain_text("张志强")
