"""Resettlement and assistance end to end in Chromium: a prison's notice, the report, the group, a needs
assessment and plan, the unit's approval and Word download, a risk assessment that raises an alert, and
the unit acknowledging it."""
import re

from playwright.sync_api import expect

from extensions import db
from tests import factories
from tests.browser.helpers import expect_in_place, login, logout, placed, new_id_number, unique
from tests.docs import docx_text


def _assistance_contract(live_server):
    with live_server.app.app_context():
        contract = factories.make_contract("150203", factories.org("X"), "assistance")
        db.session.commit()
        return contract.id


def test_notice_report_plan_approval_word_risk_alert(page, live_server):
    contract_id = _assistance_contract(live_server)
    name = f"韩立平{unique()}"
    goal = "三个月内稳定就业 & 不再与原同案人员来往 <承诺>"

    # 昆都仑区司法局 registers the prison's notice.
    login(page, "district_a")
    page.locator(".site-nav").get_by_role("link", name="安置帮教").click()
    expect(page.locator("h1")).to_have_text("安置帮教对象")
    page.get_by_role("link", name="登记帮教对象").click()
    page.get_by_label("姓名").fill(name)
    page.get_by_label("居民身份证号").fill(new_id_number())
    page.get_by_label("户籍地址").fill("包头市昆都仑区少先路 12 号")
    page.get_by_label("所属司法所（乡镇、街道）").fill("少先路街道")
    page.get_by_label("联系电话").fill("13812345678")
    page.get_by_label("罪名").fill("盗窃罪")
    page.get_by_label("犯罪类型").select_option(label="财产犯罪")
    page.get_by_label("解除类型").select_option(label="刑满释放")
    page.get_by_label("释放或解除日期").fill("2026-11-20")
    page.get_by_label("服务合同").select_option(value=str(contract_id))
    page.get_by_label("监狱通知日期").fill("2026-10-20")
    page.get_by_label("通知监狱").fill("内蒙古第一监狱")
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.locator("#flash")).to_contain_text("帮教对象已登记")
    expect(page.locator("h1")).to_have_text(name)
    expect(page.locator("#subject-status")).to_have_text("待释放（已接收通知）")
    expect(page.locator("#identity")).to_contain_text("138****5678")
    subject_url = page.url
    page.locator("#identity").get_by_role("button", name="显示完整号码（将记录）").click()
    expect(page.locator("#identity")).to_contain_text("13812345678")
    expect(page).to_have_url(subject_url)

    # The person reports at the justice office.
    form = page.locator("#report-form")
    form.get_by_label("报到日期").fill("2026-11-24")
    form.get_by_label("接收方式").select_option(label="接回")
    form.get_by_label("接收司法所").fill("少先路司法所")
    form.get_by_label("经办人").fill("王建国")
    form.get_by_role("button", name="登记报到").click()
    expect(page.locator("#subject-status")).to_have_text("已报到")
    expect(page.locator("#report-line")).to_contain_text("接回")

    # The contractor's admin forms the group, led by worker_x's 张志强.
    login(page, "contractor_x")
    page.goto(subject_url)
    group = page.locator("#group-form")
    group.get_by_label("帮教形式").select_option(label="多帮一")
    group.get_by_label("组长").select_option(label="张志强（人民调解员）")
    group.get_by_label("其他成员所属方面").select_option(label="家庭")
    group.get_by_label("其他成员姓名").fill("韩母")
    group.get_by_role("button", name="组建帮教小组").click()
    expect(page.locator("#group [data-place]")).to_contain_text("帮教小组已组建")
    expect_in_place(page, placed(page))
    expect(page.locator("#group")).to_contain_text("张志强")

    # The worker assesses needs and writes the plan.
    login(page, "worker_x")
    page.goto(subject_url)
    expect(page.locator("#subject-status")).to_have_text("帮教中")
    expect(page.locator("#step-plan")).to_have_attribute("open", "")  # the next step, open
    expect(page.locator("#step-record")).not_to_have_attribute("open", "")
    plan = page.locator("#plan-form")
    plan.get_by_label("需求评估：住房").fill("与母亲同住，房屋狭小")
    plan.get_by_label("需求评估：就业和收入").fill("无固定工作")
    plan.get_by_label("帮教目标").fill(goal)
    plan.get_by_label("帮教措施：就业").fill("推荐焊工培训")
    plan.get_by_label("责任人").fill("张志强（组长）")
    plan.get_by_label("对象已签署隐私保护同意书").check()
    plan.get_by_role("button", name="提交方案").click()
    expect(page.locator("#plans [data-place]")).to_contain_text("待户籍地司法局审批")
    expect_in_place(page, placed(page))
    expect(page.locator("#plans")).to_contain_text("待审批")

    # The unit approves it and downloads the Word plan.
    login(page, "district_a")
    page.goto(subject_url)
    page.locator("#plans").get_by_role("button", name="审批通过").click()
    expect(page.locator("#plans [data-place]")).to_contain_text("帮教方案已审批")
    expect_in_place(page, placed(page))
    expect(page.locator("#plan-in-effect")).to_contain_text(goal)
    with page.expect_download() as download:
        page.locator("#plans").get_by_role("link", name="下载 Word").click()
    assert download.value.suggested_filename == "个性化帮教方案-第1版.docx"
    with open(download.value.path(), "rb") as f:
        body = docx_text(f.read())
    assert goal in body and "推荐焊工培训" in body and "张志强（组长）" in body and "与母亲同住，房屋狭小" in body

    # The group leader records a visit in the service record: now the next step. Without its content
    # the form comes back (422) open with the typed text; saved, the record shows where the eye is.
    login(page, "worker_x")
    page.goto(subject_url)
    record = page.locator("#step-record #record-form")
    record.get_by_label("服务类别").select_option(label="走访谈话")
    record.get_by_label("服务结果").fill("情绪稳定 & <已落实>")
    record.get_by_role("button", name="保存记录").click()
    expect(page.locator("#record-form").get_by_label("服务内容")).to_be_focused()
    expect(page.locator("#record-form").get_by_label("服务结果")).to_have_value("情绪稳定 & <已落实>")
    page.locator("#record-form").get_by_label("服务内容").fill("入户走访，了解就业意向。")
    page.locator("#record-form").get_by_role("button", name="保存记录").click()
    expect(page.locator("#records [data-place]")).to_contain_text("服务记录已保存")
    expect_in_place(page, placed(page))
    expect(page.locator("#records")).to_contain_text("入户走访，了解就业意向。")

    # The group leader's risk assessment comes out high and raises an alert.
    page.locator("#step-risk > summary").click()  # its form loads on demand
    risk = page.locator("#risk-form")
    for label, value in (("释放时年龄", "under25"), ("前科次数", "2plus"), ("初次犯罪年龄", "under18"),
                         ("犯罪类型", "violent"), ("刑期五年以上", "no"), ("服刑（矫正）期间表现", "punished"),
                         ("悔罪态度", "partial"), ("家庭支持和住所", "weak"), ("工作和收入", "none"),
                         ("吸毒、酗酒或赌博", "none"), ("不良交往", "no"), ("心理健康问题", "none"),
                         ("债务或与被害人矛盾", "yes")):
        risk.get_by_label(label, exact=True).select_option(value=value)
    risk.get_by_role("button", name="评估").click()
    # 2+3+2+2+0+2+1+1+2+0+0+0+1 = 16
    expect(page.locator("#restricted [data-place]")).to_contain_text("评估完成：16 分，高风险。已向户籍地司法局发出预警。")
    expect_in_place(page, placed(page))
    logout(page)

    # The unit sees it on its home page and acknowledges it.
    login(page, "district_a")
    alerts = page.locator("#open-alerts")
    expect(alerts).to_contain_text(name)
    alerts.get_by_role("link", name=re.compile(name)).click()
    expect(page.locator("h1")).to_have_text("帮教预警")
    row = page.locator("#alerts tr", has_text=name).filter(has_text="待处理")
    row.get_by_label("采取的措施").fill("司法所当日约谈，通知社区民警关注")
    row.get_by_role("button", name="确认处理").click()
    expect(page.locator("#flash")).to_contain_text("预警已处理")
    page.locator(".site-nav").get_by_role("link", name="工作台").click()
    expect(page.locator("#open-alerts")).not_to_contain_text(name)
