"""Every page a person uses, opened in Chromium at least once, with the htmx behaviour of each."""
import re

import pytest
from playwright.sync_api import expect

from models.user import ROLES
from tests import factories
from tests.browser.helpers import (in_days, login, logout, mark_page, new_id_number, new_uscc, path_is, unique,
                                   was_not_reloaded)
from tests.conftest import TODAY


def cn(iso):
    y, m, d = (int(p) for p in iso.split("-"))
    return f"{y}年{m}月{d}日"


# ---- visitors


def test_landing_page_lists_the_conditions_and_leads_to_registration(page):
    page.goto("/")
    expect(page.locator("h1")).to_have_text("包头市政府购买人民调解和安置帮教服务管理平台")
    expect(page.locator("main ol li")).to_have_count(6)
    expect(page.get_by_role("link", name="工作人员登录")).to_have_attribute("href", "/login")
    page.get_by_role("link", name="社会组织、企业和机构注册为承接主体").click()
    expect(page).to_have_url(path_is("/register/"))
    expect(page.locator("h1")).to_have_text("承接主体注册")


def test_login_with_a_wrong_password_says_so_with_status_422(page):
    page.goto("/login")
    page.get_by_label("用户名").fill("finance_a")
    page.get_by_label("密码", exact=True).fill("not-the-password")
    with page.expect_response(lambda r: r.request.method == "POST" and "/login" in r.url) as response:
        page.get_by_role("button", name="登录", exact=True).click()
    assert response.value.status == 422
    expect(page.locator("main .form-errors")).to_have_text("用户名或密码错误，或账号已停用。")
    expect(page.get_by_label("用户名")).to_have_value("finance_a")
    expect(page.get_by_label("密码", exact=True)).to_have_value("")
    expect(page.locator("header .who")).to_have_count(0)


def test_registration_checks_the_credit_code_while_typing(page):
    page.goto("/register/")
    code = page.get_by_label("统一社会信用代码")
    check = page.locator("#uscc-check")
    good = new_uscc()
    code.press_sequentially(good[:-1] + ("0" if good[-1] != "0" else "1"))
    expect(check.locator(".error")).to_have_text("统一社会信用代码校验位不正确，请核对")
    code.fill("")
    code.press_sequentially(factories.USCC_X)
    expect(check.locator(".error")).to_have_text("该统一社会信用代码已注册。如需找回账号，请联系住所地司法局。")
    code.fill("")
    code.press_sequentially(good)
    expect(check.locator(".ok")).to_have_text("代码校验通过")
    expect(page).to_have_url(path_is("/register/"))


# ---- every role's work list

DASHBOARDS = [
    # username, text on the dashboard, a menu link of the role
    ("admin", "账号概况", "用户管理"),
    ("city", "待审核的注册申请", "审计日志"),
    ("district_a", "资格材料到期提醒", "承接主体审核"),
    ("finance_a", "可查阅承接主体名录", "承接主体名录"),
    ("contractor_x", "资格状态：已通过", "工作人员"),
    ("worker_x", "我承办的调解案件", "工作台"),
    ("evaluator", "购买主体委托给贵机构的评价任务将显示在这里。", "工作台"),
]


@pytest.mark.parametrize("username, text, link", DASHBOARDS, ids=[d[0] for d in DASHBOARDS])
def test_dashboard_of_each_role(page, username, text, link):
    login(page, username)
    expect(page.locator("h1")).to_have_text("工作台")
    expect(page.locator("main")).to_contain_text(text)
    expect(page.locator(".site-nav").get_by_role("link", name=link, exact=True)).to_be_visible()
    expect(page.locator("header .who")).to_contain_text(ROLES[factories.USERS[username][0]])


# ---- the administrator


def create_user(page, username, role, unit=None, password="Initial-pw-2026", display_name="测试用户"):
    page.locator(".site-nav").get_by_role("link", name="用户管理").click()
    form = page.locator("main section.card")
    form.get_by_label("用户名").fill(username)
    form.get_by_label("姓名").fill(display_name)
    form.get_by_label("角色").select_option(label=role)
    if unit:
        form.get_by_label("所属单位").select_option(label=unit)
    form.get_by_label("初始密码").fill(password)
    form.get_by_role("button", name="创建").click()
    expect(page.locator("#flash")).to_contain_text(f"已创建用户 {username}，首次登录须修改密码。")


def test_admin_creates_a_user_and_filters_the_table_by_role(page):
    login(page, "admin")
    username = unique("finance_user_")
    create_user(page, username, "财政部门", unit="东河区司法局", display_name="东河财政测试")
    row = page.locator("#user-rows tr", has_text=username)
    expect(row).to_contain_text("财政部门")
    expect(row).to_contain_text("东河区司法局")

    mark_page(page)
    page.locator("form.filters").get_by_label("角色").select_option("evaluator")
    expect(page.locator("#user-rows")).not_to_contain_text(username)
    expect(page.locator("#user-rows tr")).to_have_count(1)
    expect(page.locator("#user-rows tr")).to_contain_text("第三方评价机构")
    expect(page).to_have_url(re.compile(r"/admin/users\?role=evaluator$"))
    assert was_not_reloaded(page)
    expect(page.get_by_role("heading", name="新建用户")).to_be_visible()


def test_admin_registers_an_evaluation_body(page):
    login(page, "admin")
    page.locator(".site-nav").get_by_role("link", name="评价机构").click()
    expect(page.locator("h1")).to_have_text("第三方评价机构")
    expect(page.locator("main table")).to_contain_text("正衡评估")
    name, code = f"包头市公信评估{unique()}有限公司", new_uscc("150200", kind="91", org="MA1")
    form = page.locator("main section.card")
    form.get_by_label("机构名称").fill(name)
    form.get_by_label("统一社会信用代码").fill(code[:-1] + ("0" if code[-1] != "0" else "1"))
    form.get_by_label("联系人", exact=True).fill("孙红霞")
    form.get_by_label("联系电话").fill("0472-5318888")
    form.get_by_role("button", name="登记").click()
    expect(page.locator("#evaluation-body-uscc-error")).to_have_text("统一社会信用代码校验位不正确，请核对")
    form.get_by_label("统一社会信用代码").fill(code)
    form.get_by_role("button", name="登记").click()
    expect(page.locator("#flash")).to_contain_text("已登记评价机构。")
    expect(page.locator("main table tr", has_text=name)).to_contain_text(code)


def test_admin_saves_a_setting(page):
    login(page, "admin")
    page.locator(".site-nav").get_by_role("link", name="参数设置").click()
    expect(page.locator("h1")).to_have_text("参数设置")
    days = page.get_by_label("调解期限（天）")
    days.fill("0")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main .field.has-error")).to_contain_text("调解期限（天）须为 1 到 100000 之间的整数")
    page.get_by_label("调解期限（天）").fill("45")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#flash")).to_contain_text("设置已保存。")
    expect(page.get_by_label("调解期限（天）")).to_have_value("45")
    expect(page.get_by_label("资格材料到期提醒天数")).to_have_value("30")


def test_the_skip_link_is_the_first_stop_and_leads_to_the_content(page):
    login(page, "district_a")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到正文")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def test_password_reset_by_admin_then_changed_by_the_user(page):
    """The admin creates a user and resets its password; the user must change it, then uses the new one."""
    username = unique("city_user_")
    login(page, "admin")
    create_user(page, username, "市司法局", unit="包头市司法局", display_name="市局测试员")
    page.locator("#user-rows tr", has_text=username).get_by_role("link", name="重置密码").click()
    expect(page.locator("h1")).to_have_text(f"重置密码：{username}（市局测试员）")
    page.get_by_label("新的临时密码").fill("Temporary-2026")
    page.get_by_role("button", name="重置").click()
    expect(page.locator("#flash")).to_contain_text(f"已重置 {username} 的密码")

    login(page, username, "Temporary-2026", lands_on="/password")
    expect(page.locator("h1")).to_have_text("修改密码")
    expect(page.locator("main .notice")).to_contain_text("请先修改密码再继续使用")
    page.get_by_label("当前密码").fill("Temporary-2026")
    page.get_by_label("新密码", exact=True).fill("My-own-password-1")
    page.get_by_label("再次输入新密码").fill("My-own-password-2")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#password-confirm-error")).to_have_text("两次输入的新密码不一致")
    # a plain (non-htmx) 422 page: the first invalid field has the focus and names its message
    confirm = page.get_by_label("再次输入新密码")
    expect(confirm).to_be_focused()
    expect(confirm).to_have_attribute("aria-invalid", "true")
    expect(confirm).to_have_attribute("aria-describedby", "password-confirm-error")
    page.get_by_label("当前密码").fill("Temporary-2026")
    page.get_by_label("新密码", exact=True).fill("My-own-password-1")
    page.get_by_label("再次输入新密码").fill("My-own-password-1")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#flash")).to_contain_text("密码已修改。")
    expect(page.locator("h1")).to_have_text("工作台")
    logout(page)

    login(page, username, "My-own-password-1")
    expect(page.locator("header .who")).to_contain_text("市局测试员（市司法局 · 包头市司法局）")


def test_audit_log_filters_by_action_with_htmx(page):
    login(page, "city")
    page.locator(".site-nav").get_by_role("link", name="审计日志").click()
    expect(page.locator("h1")).to_have_text("审计日志")
    actions = page.locator("#audit-table tbody td:nth-child(4)")
    expect(actions.filter(has_not_text=re.compile(r"^登录$"))).not_to_have_count(0)
    mark_page(page)
    filters = page.locator("form.filters")
    filters.get_by_label("用户名").fill("city")
    filters.get_by_label("操作").select_option(label="登录")
    filters.get_by_role("button", name="筛选").click()
    expect(actions.filter(has_not_text=re.compile(r"^登录$"))).to_have_count(0)
    expect(actions).not_to_have_count(0)
    expect(page.locator("#audit-table tbody td:nth-child(2)").first).to_have_text("city")
    expect(page).to_have_url(re.compile(r"/audit/\?.*action=login"))
    assert was_not_reloaded(page)


# ---- the seat unit (district)


def test_review_list_filters_by_status_with_htmx(page, live_server):
    waiting = live_server.contractor(status="pending")
    approved = live_server.contractor(status="approved")
    login(page, "district_a")
    page.locator(".site-nav").get_by_role("link", name="承接主体审核").click()
    table = page.locator("#contractor-table")
    expect(table).to_contain_text(waiting.name)
    expect(table).to_contain_text(approved.name)
    mark_page(page)
    page.locator("form.filters").get_by_label("状态").select_option(label="待审核")
    expect(table).not_to_contain_text(approved.name)
    expect(table.locator("tr", has_text=waiting.name)).to_contain_text("待审核")
    expect(table.locator("tbody tr").filter(has_not_text="待审核")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/contractors/\?.*status=pending"))
    assert was_not_reloaded(page)


def test_directory_lists_approved_contractors_and_filters_by_seat(page):
    login(page, "district_a")
    page.locator(".site-nav").get_by_role("link", name="承接主体名录").click()
    expect(page.locator("h1")).to_have_text("承接主体名录")
    table = page.locator("#contractor-table")
    expect(table).to_contain_text("和润调解中心")
    expect(table).to_contain_text("新起点社工中心")
    mark_page(page)
    page.locator("form.filters").get_by_label("住所地").select_option(label="东河区")
    expect(table).not_to_contain_text("和润调解中心")
    expect(table.locator("tr", has_text="新起点社工中心")).to_contain_text(factories.USCC_Y)
    assert was_not_reloaded(page)
    table.get_by_role("link", name="新起点社工中心").click()
    expect(page.locator("h1")).to_have_text("新起点社工中心")
    expect(page.locator("#org-status")).to_have_text("已通过")


def test_seat_unit_suspends_and_lifts_a_contractor(page, live_server):
    org = live_server.contractor()
    login(page, "district_a")
    page.goto(f"/contractors/{org.id}")
    expect(page.locator("#org-status")).to_have_text("已通过")
    suspend = page.locator("form", has=page.get_by_role("button", name="暂停资格"))
    suspend.get_by_label("暂停原因").select_option(label="违法违规行为")
    suspend.get_by_label("说明").fill("在调解中收取当事人费用。")
    suspend.get_by_role("button", name="暂停资格").click()
    expect(page.locator("#org-status")).to_have_text("已暂停")
    history = page.locator("main table", has_text="事项")
    expect(history.locator("tbody tr").first).to_contain_text("暂停资格")
    expect(history.locator("tbody tr").first).to_contain_text("违法违规行为：在调解中收取当事人费用。")

    lift = page.locator("form", has=page.get_by_role("button", name="恢复资格"))
    lift.get_by_label("恢复理由").fill("已退还费用并完成整改。")
    lift.get_by_role("button", name="恢复资格").click()
    expect(page.locator("#org-status")).to_have_text("已通过")
    expect(history.locator("tbody tr").first).to_contain_text("恢复资格")
    expect(page.get_by_role("button", name="暂停资格")).to_be_visible()


def test_unit_bars_a_contractor_until_a_date_and_the_notice_appears(page, live_server):
    org = live_server.contractor()
    until = in_days(60)
    login(page, "district_a")
    page.goto(f"/contractors/{org.id}")
    expect(page.locator("main dl.facts + p.flash")).to_have_count(0)
    bar = page.locator("form", has=page.get_by_role("button", name="禁止参与采购"))
    bar.get_by_label("禁止至（含当日）").fill(until)
    bar.get_by_label("禁止原因").select_option(label="绩效评价不合格")
    bar.get_by_label("说明").fill("上一合同期绩效评价不合格。")
    bar.get_by_role("button", name="禁止参与采购").click()
    notice = page.locator("main dl.facts + p.flash")
    expect(notice).to_have_text(f"本单位已禁止该机构参与采购至 {cn(until)}（绩效评价不合格）。")
    expect(page.locator("main section.card", has=page.get_by_role("heading", name="禁止参与本单位采购"))).to_contain_text(
        f"{cn(TODAY.isoformat())} 至 {cn(until)}：绩效评价不合格：上一合同期绩效评价不合格。 生效中")
    expect(page.locator("#org-status")).to_have_text("已通过")


# ---- the contractor


def test_contractor_sees_its_qualification_page(page):
    login(page, "contractor_x")
    page.locator(".site-nav").get_by_role("link", name="本机构资格").click()
    expect(page.locator("h1")).to_have_text("和润调解中心")
    expect(page.locator("#org-status")).to_have_text("已通过")
    expect(page.locator("main .verdict")).to_have_text(["符合"] * 6)
    expect(page.locator("#condition-1")).to_contain_text("c1.pdf")
    page.locator("#condition-4").get_by_role("link", name="更新材料").click()
    expect(page.locator("h1")).to_have_text(re.compile(r"^条件4："))
    expect(page.get_by_label("材料有效期至")).to_have_value(in_days(365))


def staff_page(page, live_server):
    org = live_server.contractor()
    login(page, org.username)
    page.locator(".site-nav").get_by_role("link", name="工作人员").click()
    expect(page.locator("h1")).to_have_text("工作人员")
    return org


def fill_staff(form, name, id_number):
    form.get_by_label("姓名").fill(name)
    form.get_by_label("居民身份证号").fill(id_number)
    form.get_by_label("职业").select_option(label="人民调解员")
    form.get_by_label("联系电话").fill("13847201234")
    form.get_by_label("调解员证书编号").fill("包司调证〔2026〕8号")
    form.get_by_label("发证机关").fill("包头市司法局")
    form.get_by_label("证书有效期自").fill(in_days(-30))
    form.get_by_label("证书有效期至").fill(in_days(700))


def test_staff_form_shows_an_invalid_id_number_inline_then_adds_the_person(page, live_server):
    staff_page(page, live_server)
    expect(page.locator("main table tbody")).to_contain_text("尚未登记工作人员。")
    good = new_id_number()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    mark_page(page)
    fill_staff(page.locator("#staff-form"), "陈立新", bad)
    with page.expect_response(lambda r: r.request.method == "POST") as response:
        page.locator("#staff-form").get_by_role("button", name="添加").click()
    assert response.value.status == 422
    assert "<html" not in response.value.text()  # the form's fragment, not the page
    field = page.locator("#staff-form .field.has-error")
    expect(field).to_have_count(1)
    expect(field.locator("#staff-id_number-error")).to_have_text("身份证号校验位不正确，请核对")
    expect(field.get_by_label("居民身份证号")).to_have_value(bad)
    expect(page.locator("#staff-form").get_by_label("姓名")).to_have_value("陈立新")
    expect(page).to_have_url(path_is("/organisation/staff"))
    assert was_not_reloaded(page)

    page.locator("#staff-form").get_by_label("居民身份证号").fill(good)
    page.locator("#staff-form").get_by_role("button", name="添加").click()
    expect(page.locator("#flash")).to_contain_text("已添加工作人员 陈立新。")
    row = page.locator("main table tbody tr", has_text="陈立新")
    expect(row).to_contain_text("人民调解员")
    expect(row.locator("td").nth(4)).to_have_text("是")  # certified today, may take cases
    expect(page).to_have_url(path_is("/organisation/staff"))


def test_staff_edit_and_worker_login(page, live_server):
    staff_page(page, live_server)
    fill_staff(page.locator("#staff-form"), "杨春梅", new_id_number())
    page.locator("#staff-form").get_by_role("button", name="添加").click()
    row = page.locator("main table tbody tr", has_text="杨春梅")
    row.get_by_role("link", name="编辑").click()
    expect(page.locator("h1")).to_have_text("编辑工作人员：杨春梅")
    page.get_by_label("联系电话").fill("13900001111")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#flash")).to_contain_text("已保存。")
    expect(row).to_contain_text("13900001111")

    worker = unique("worker_")
    row.get_by_role("link", name="编辑").click()
    page.get_by_label("用户名").fill(worker)
    page.get_by_label("初始密码").fill("Worker-first-1")
    page.get_by_role("button", name="创建工作人员账号").click()
    expect(page.locator("#flash")).to_contain_text(f"已为 杨春梅 创建登录账号 {worker}，首次登录须修改密码。")
    expect(row.locator("td").nth(5)).to_have_text(worker)

    login(page, worker, "Worker-first-1", lands_on="/password")
    expect(page.locator("header .who")).to_contain_text("杨春梅（调解员/帮教工作者）")


def test_htmx_request_refused_by_the_server_shows_the_error_in_flash(page, live_server):
    """A stale CSRF token: the 400 answer to the htmx post is retargeted to #flash; the form stays."""
    staff_page(page, live_server)
    fill_staff(page.locator("#staff-form"), "周卫东", new_id_number())
    page.locator("#staff-form input[name=csrf_token]").evaluate("e => e.value = 'stale'")
    page.locator("#staff-form").get_by_role("button", name="添加").click()
    expect(page.locator("#flash [data-status='400']")).to_contain_text("请求无效")
    expect(page.locator("#staff-form").get_by_label("姓名")).to_have_value("周卫东")
    expect(page.locator("main table tbody")).to_contain_text("尚未登记工作人员。")
