"""A purchase carried through the browser: plan, finance, publication, invited tender, award, contract,
payment and the Word contract — with the clock moved past the 30 days between intention and notice."""
import re
from datetime import timedelta

from playwright.sync_api import expect

from models import clock
from tests.browser.helpers import login, logout, unique, write_pdf
from tests.conftest import TODAY
from tests.docs import docx_text


def _goto_plan(page, plan_url):
    page.goto(plan_url)
    expect(page.locator("h1")).to_contain_text("年度购买计划")


def test_a_unit_carries_a_purchase_from_plan_to_paid_contract(page, live_server, tmp_path):
    bidders = [live_server.contractor(f"邀标机构{unique()}") for _ in range(3)]
    year = 2031

    # The unit drafts the plan and adds an item (the item table refreshes in place through htmx).
    login(page, "district_a")
    page.locator(".site-nav").get_by_role("link", name="购买计划").click()
    page.get_by_label("年度", exact=True).fill(str(year))
    page.get_by_label("批复的购买服务预算（元）").fill("500000")
    page.get_by_label("需求评估", exact=True).fill("上年度受理纠纷 420 件 & 需求持续增长")
    page.get_by_label("财政承受能力评估", exact=True).fill("占部门预算 3%，可承受")
    page.get_by_role("button", name="创建草稿").click()
    expect(page.locator("h1")).to_contain_text(f"{year} 年度购买计划")
    plan_url = page.url
    page.get_by_label("服务项目", exact=True).select_option(label="M5 调解经济、民事和商事纠纷")
    page.get_by_label("数量", exact=True).fill("1")
    page.get_by_label("计量单位").fill("年")
    page.get_by_label("预算（元）", exact=True).fill("350000")
    page.get_by_label("服务内容", exact=True).fill("调解辖区经济、民事和商事纠纷 <全年>")
    page.get_by_label("服务标准", exact=True).fill("每日 8 小时，每班 2 人")
    page.get_by_label("绩效目标", exact=True).fill("调解成功率不低于 95%")
    page.get_by_role("button", name="添加项目").click()
    expect(page.locator("#plan-items")).to_contain_text("调解辖区经济、民事和商事纠纷 <全年>")
    expect(page.locator("#plan-items tfoot")).to_contain_text("人民币叁拾伍万元整")
    page.get_by_role("button", name="报送财政部门审核").click()
    expect(page.locator("h1")).to_contain_text("财政审核中")

    # Finance approves.
    logout(page)
    login(page, "finance_a")
    _goto_plan(page, plan_url)
    page.get_by_role("button", name="审核通过").click()
    expect(page.locator("h1")).to_contain_text("已批准")

    # The unit publishes the plan and the procurement intention.
    logout(page)
    login(page, "district_a")
    _goto_plan(page, plan_url)
    page.get_by_label("发布日期").fill(TODAY.isoformat())
    page.get_by_role("button", name="公开购买计划").click()
    expect(page.locator("h1")).to_contain_text("已公开")
    page.get_by_label(re.compile("^M5 ")).check()
    page.get_by_label("采购项目名称").fill(f"{year} 年人民调解服务采购")
    page.get_by_label("预计采购月份").fill("3")
    page.get_by_label("采购需求概况").fill("购买矛盾纠纷调解服务一年")
    page.locator("form:has(button:text('公开采购意向'))").get_by_label("发布日期").fill(TODAY.isoformat())
    page.get_by_role("button", name="公开采购意向").click()
    expect(page.locator("h1")).to_contain_text("已公开采购意向")
    procurement_url = page.url

    # Thirty-one days later: an invited tender, approved by finance, then the notice.
    clock.set_now(TODAY + timedelta(days=31))
    deadline = TODAY + timedelta(days=31 + 25)
    page.reload()
    page.get_by_label("采购方式").select_option(label="邀请招标")
    page.get_by_label("采用该方式的理由").fill("具备资质的机构较少，邀请三家")
    page.get_by_label("响应截止时间").fill(f"{deadline.isoformat()}T09:30")
    for b in bidders:
        page.get_by_label(b.name, exact=True).check()
    page.get_by_role("button", name="保存采购方式").click()
    expect(page.locator("dl.facts")).to_contain_text("待财政部门审核")
    logout(page)
    login(page, "finance_a")
    page.goto(procurement_url)
    page.get_by_label("审核意见").fill("符合邀请招标的适用情形，同意")
    page.get_by_role("button", name="提交审核意见").click()
    expect(page.locator("dl.facts")).to_contain_text("财政部门已同意")
    logout(page)
    login(page, "district_a")
    page.goto(procurement_url)
    page.get_by_label("发布日期").fill((TODAY + timedelta(days=31)).isoformat())
    page.get_by_role("button", name="发布采购公告").click()
    expect(page.locator("h1")).to_contain_text("已发布采购公告")

    # Three invited contractors bid.
    for n, (b, price) in enumerate(zip(bidders, ("330000", "300000", "340000"))):
        logout(page)
        login(page, b.username)
        page.goto(procurement_url)
        page.get_by_label("报价（元）").fill(price)
        page.get_by_label("服务方案（PDF 或 DOCX）").set_input_files(write_pdf(tmp_path, f"plan{n}.pdf"))
        page.get_by_role("button", name="提交响应文件").click()
        expect(page.locator("#flash")).to_contain_text("响应文件已提交")

    # After the deadline the unit opens the bids, records the panel's scores, evaluates and awards.
    clock.set_now(deadline + timedelta(days=1))
    logout(page)
    login(page, "district_a")
    page.goto(procurement_url)
    page.get_by_role("button", name="开标").click()
    expect(page.locator("h1")).to_contain_text("已开标")
    for b in bidders:
        details = page.locator("details", has_text=b.name)
        details.locator("summary").click()
        details.get_by_label("评审专家").fill("专家甲")
        details.get_by_label("服务方案（0-40）").fill("35")
        details.get_by_label("人员配备（0-25）").fill("20")
        details.get_by_label("类似项目经验（0-15）").fill("10")
        details.get_by_role("button", name="保存评分").click()
        expect(page.locator("#flash")).to_contain_text("已记录评分")
    page.get_by_role("button", name="完成评审，计算得分").click()
    expect(page.locator("h1")).to_contain_text("已评审")
    page.get_by_label("成交供应商").select_option(index=1)  # ranked first: the lowest price, equal other scores
    page.locator("form:has(button:text('公布成交结果'))").get_by_label("发布日期").fill((deadline + timedelta(days=1)).isoformat())
    page.get_by_role("button", name="公布成交结果").click()
    expect(page.locator("h1")).to_contain_text("已公布成交结果")
    expect(page.locator("dl.facts")).to_contain_text(bidders[1].name)

    # The contract, a milestone met, a payment, and the Word document.
    page.get_by_role("link", name="起草合同").click()
    expect(page.locator("h1")).to_contain_text("签订合同")
    page.get_by_role("button", name="签订合同").click()
    expect(page.locator("h1")).to_contain_text("人民调解服务采购")
    expect(page.locator("h1")).to_contain_text("已签订")
    row = page.locator("tr", has_text="首期")
    row.locator("select").select_option(label="已完成")
    row.get_by_role("button", name="保存").click()
    # The section comes back in place with its message (the row's own select lists "已完成" already, so
    # the row's text alone would match before the answer has arrived and replaced the section).
    expect(page.locator("#payments [data-place]")).to_contain_text("已更新履约节点")
    expect(page.locator("#payments tr", has_text="首期").locator("td").nth(3)).to_contain_text("已完成")
    # The next step, publishing the contract, is open; the payment form is folded until asked for.
    expect(page.locator("#next-steps")).to_contain_text("记录合同公告")
    expect(page.locator("#step-publish")).to_have_attribute("open", "")
    page.locator("#step-payment > summary").click()
    page.get_by_label("分期").select_option(index=1)
    page.get_by_label("金额（元）", exact=True).fill("90000")
    page.get_by_label("凭证号").fill("记-2031-001")
    page.get_by_role("button", name="记录付款").click()
    expect(page.locator("#paid")).to_have_text("90,000.00 元")
    expect(page.locator("#payments [data-place]")).to_contain_text("已记录付款")  # where the action took place
    expect(page.locator("#payments [data-place]")).to_be_in_viewport()
    with page.expect_download() as download:
        page.get_by_role("link", name="下载合同（Word）").click()
    path = tmp_path / "contract.docx"
    download.value.save_as(path)
    body = docx_text(path.read_bytes())
    assert bidders[1].name in body and "人民币叁拾万元整" in body and "不得将本合同服务转包" in body
