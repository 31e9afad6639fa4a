"""A unit accepts a contract in the browser from computed figures; finance then opens the report."""
import re

from playwright.sync_api import expect

from extensions import db
from tests import factories
from tests.browser.helpers import expect_in_place, login, logout
from tests.docs import docx_text


def test_a_unit_accepts_a_contract_and_finance_sees_the_report(page, live_server, tmp_path):
    org = live_server.contractor()
    with live_server.app.app_context():
        from models import Contractor

        c = factories.make_contract("150203", db.session.get(Contractor, org.id), amount="100000.00")
        db.session.commit()
        contract_id = c.id

    login(page, "district_a")
    page.goto(f"/contracts/{contract_id}")
    page.locator("#step-target > summary").click()
    page.locator("#targets").get_by_label("指标").select_option(label="培训（场）")
    page.locator("#targets").get_by_label("合同约定的目标值").fill("4")
    page.get_by_role("button", name="设置目标").click()
    expect(page.locator("#targets")).to_contain_text("未达到")
    page.locator("#targets").get_by_role("link", name="培训").click()  # drill down to the records behind it
    expect(page.locator("h1")).to_contain_text("培训：0 场")
    expect(page.locator("#measure-records")).to_contain_text("没有记录")
    page.go_back()
    page.get_by_role("link", name="开始验收").click()
    page.get_by_label("验收地点").fill("昆都仑区司法局三楼会议室")
    page.get_by_role("button", name="开始验收").click()
    expect(page.locator("h1")).to_contain_text("终期验收")
    training = page.locator("#acceptance-items tr", has_text="培训")
    expect(training).to_contain_text("未达到")
    training.get_by_label("培训的验收意见").fill("全年仅开展 0 场培训")
    training.get_by_role("button", name="保存").click()
    expect(page.locator("#items [data-place]")).to_have_text("已保存验收意见。")  # in place, focused
    expect_in_place(page, page.locator("#items [data-place]"))
    for name, unit in (("杨春梅", "昆都仑区司法局"), ("周卫东", "昆都仑区财政局"), ("林国庆", "律师协会")):
        page.get_by_label("姓名").fill(name)
        page.get_by_label("单位", exact=True).fill(unit)
        page.get_by_role("button", name="添加成员").click()
        expect(page.locator("#members [data-place]")).to_have_text("已添加成员。")
        expect_in_place(page, page.locator("#members [data-place]"))
        expect(page.locator("#members")).to_contain_text(name)
    page.get_by_label("验收结论", exact=True).select_option(label="有条件合格")
    page.get_by_label("结论意见").fill("基本达到约定，培训不足")
    page.get_by_label("合格条件（有条件合格时填写）").fill("三十日内补办 4 场培训")
    page.get_by_role("button", name="提交验收结论").click()
    expect(page.locator("h1")).to_contain_text("有条件合格")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载验收报告（Word）").click()
    path = tmp_path / "report.docx"
    download.value.save_as(path)
    assert "三十日内补办 4 场培训" in docx_text(path.read_bytes())

    logout(page)
    login(page, "finance_a")
    page.goto(f"/contracts/{contract_id}")
    page.locator("#acceptances").get_by_role("link", name=re.compile("终期验收")).click()
    expect(page.locator("h1")).to_contain_text("有条件合格")
    expect(page.locator("#acceptance-items")).to_contain_text("全年仅开展 0 场培训")
