"""An anonymous visitor finds published results (acceptance, evaluation) on the portal and sends feedback; the unit sees it."""
import re

from playwright.sync_api import expect

from tests.browser.helpers import login, unique


def test_a_visitor_finds_a_result_and_sends_feedback_which_the_unit_then_sees(page, live_server):
    title = unique("昆都仑区人民调解服务")
    with live_server.app.app_context():
        from tests.test_portal import conclude_acceptance, evaluation, published_contract

        c, clerk = published_contract(title=title)
        conclude_acceptance(c, clerk)
        evaluation(c)
        number = c.number

    page.goto("/portal/")
    page.get_by_label("关键词").fill(title)
    page.get_by_role("button", name="查询").click()
    expect(page).to_have_url(re.compile(r"[?&]q="))  # the search has answered (its URL is pushed)
    expect(page.locator("#portal-results")).to_contain_text(number)
    page.locator("#portal-results").get_by_role("link", name=title).click()
    expect(page.locator("h1")).to_contain_text(title)
    expect(page.locator(".acceptance")).to_contain_text("终期验收结果：合格")
    expect(page.locator(".evaluation")).to_contain_text("绩效评价结果：良好（85.50 分）")
    page.get_by_role("link", name="对此合同的履行提出意见").click()
    expect(page.get_by_label("所涉合同")).to_have_value(str(c.id))
    page.get_by_label("发生了什么").fill("周三下午服务点无人接待 & 电话无人接听")
    page.get_by_label("联系电话（可不填）").fill("139 0000 1111")
    page.get_by_role("button", name="提交").click()
    expect(page.locator("#flash")).to_contain_text("受理编号")
    receipt = page.locator("#flash").inner_text().split("受理编号 ")[1].split("，")[0]

    login(page, "district_a")
    page.get_by_role("link", name="公众意见").click()
    expect(page.locator("#feedback-list")).to_contain_text(receipt)
    page.get_by_role("link", name=receipt).click()
    expect(page.locator("main")).to_contain_text("周三下午服务点无人接待 & 电话无人接听")
    expect(page.locator("main")).to_contain_text("139 0000 1111")


def test_the_open_data_page_explains_the_files_and_downloads_one(page, live_server):
    """Issue 14 item 7: a human page says what each file is, its licence and how to use it; the link
    downloads a UTF-8 JSON file whose Chinese is readable."""
    title = unique("开放数据测试服务")
    with live_server.app.app_context():
        from tests.test_portal import published_contract

        c, _ = published_contract(title=title)
        year = c.procurement.year

    page.goto("/portal/")
    page.get_by_role("link", name="开放数据（OCDS）").click()
    expect(page.locator("h1")).to_contain_text("开放数据")
    for heading in ("下载文件", "文件里有什么", "如何使用", "许可协议和发布政策"):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.locator("#policy").locator("..")).to_contain_text("creativecommons.org/licenses/by/4.0")
    with page.expect_download() as info:
        page.get_by_role("link", name=f"{year} 年全市发布包").click()
    download = info.value
    assert download.suggested_filename == f"fengqiao-ocds-{year}.json"
    import json

    with open(download.path(), encoding="utf-8") as f:
        text = f.read()
    assert title in text and "\\u" not in text
    assert json.loads(text)["license"] == "https://creativecommons.org/licenses/by/4.0/"
