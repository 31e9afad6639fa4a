"""Forms in Chromium: the required mark beside its label, the icon, rows added without losing input,
registration files kept across a refusal."""
import re

from playwright.sync_api import expect

from sqlalchemy import select

from extensions import db
from models import PlanItem
from tests import factories
from tests.browser.helpers import VIEWPORT, login, logout, unique
from tests.conftest import Client
from tests.purchasing_helpers import published_plan
from tests.test_portal import published_contract


def test_the_required_mark_is_on_the_line_of_its_label_and_the_icon_loads(page, live_server):
    missing = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    page.goto("/register/")
    label = page.locator("label[for=registration-name]")
    mark = label.locator(".req")
    assert mark.evaluate("e => getComputedStyle(e, '::after').content") == '"*"'
    expect(page.get_by_label("机构名称", exact=True)).to_have_count(1)  # the mark is not part of the label's text
    text_box = page.evaluate("""() => {
        const label = document.querySelector('label[for=registration-name]');
        const range = document.createRange();
        range.setStart(label.firstChild, 0); range.setEnd(label.firstChild, 1);
        return range.getBoundingClientRect().top;
    }""")
    assert abs(mark.bounding_box()["y"] - text_box) < 8, "the * wrapped below its label"
    icon = page.evaluate("() => fetch(document.querySelector('link[rel=icon]').href).then(r => r.status)")
    assert icon == 200
    assert page.request.get("/favicon.ico").status == 200
    assert not missing, missing


HOSTILE_NAMES = ['赵 & 钱 <孙>', '"O\'Neil" 周', '吴 😀 郑']


def _fill_case(page):
    page.get_by_label("案件来源").select_option(label="当事人申请（书面）")
    page.get_by_label("纠纷类型").select_option(label="邻里纠纷")
    page.get_by_label("纠纷发生地（旗县区）").select_option(label="昆都仑区")
    page.get_by_label("纠纷简要情况").fill("院墙 & <排水沟> 之争 😀")


def _add_row_and_check_kept(page, expected_rows):
    for i, name in enumerate(HOSTILE_NAMES):
        expect(page.locator(f"#parties-{i}-name")).to_have_value(name)
    expect(page.get_by_label("纠纷简要情况")).to_have_value("院墙 & <排水沟> 之争 😀")
    expect(page.locator("#parties fieldset.party")).to_have_count(expected_rows)
    new = page.locator(f"#parties-{expected_rows - 1}-name")
    expect(new).to_be_focused()
    expect(new).to_be_in_viewport()


def _register_and_check_names(page, names):
    page.get_by_role("button", name="登记并编号").click()
    expect(page.locator("h1")).to_have_text(re.compile(r"（2026）昆调字第\d+号"))
    cells = page.locator("#parties tbody tr td:nth-child(2)")
    expect(cells).to_have_text(names)


def test_adding_party_rows_keeps_what_was_typed(page, live_server):
    login(page, "worker_x")
    page.goto("/mediation/new")
    _fill_case(page)
    for i, name in enumerate(HOSTILE_NAMES):
        page.locator(f"#parties-{i}-name").fill(name)
    page.get_by_role("button", name="添加当事人").click()
    _add_row_and_check_kept(page, 5)
    expect(page.locator("#parties-4-side")).to_have_value("respondent")
    page.locator("#parties-4-name").fill("王 <五> & 😀")
    page.get_by_role("button", name="添加当事人").click()
    _add_row_and_check_kept(page, 6)
    expect(page.locator("#party-5 legend")).to_have_text("当事人 6")
    page.locator("#parties-5-name").fill("孙 '六'")
    _register_and_check_names(page, HOSTILE_NAMES + ["王 <五> & 😀", "孙 '六'"])


def test_without_javascript_the_button_posts_and_the_page_comes_back_with_input_kept(browser, live_server):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url, viewport=VIEWPORT,
                                  locale="zh-CN")
    page = context.new_page()
    try:
        login(page, "worker_x")
        page.goto("/mediation/new")
        _fill_case(page)
        for i, name in enumerate(HOSTILE_NAMES):
            page.locator(f"#parties-{i}-name").fill(name)
        page.get_by_role("button", name="添加当事人").click()
        expect(page).to_have_url(re.compile(r"/mediation/$"))
        _add_row_and_check_kept(page, 5)
        page.locator("#parties-4-name").fill("王 <五> & 😀")
        _register_and_check_names(page, HOSTILE_NAMES + ["王 <五> & 😀"])
    finally:
        context.close()


def test_the_public_looks_up_the_answer_by_number_and_code(page, live_server):
    title = unique("东河区调解服务")
    with live_server.app.app_context():
        c, _ = published_contract(title=title)
        contract_id = c.id
    page.goto("/portal/")
    page.get_by_role("link", name="提出意见和投诉").click()
    page.get_by_label("所涉合同").select_option(value=str(contract_id))
    page.get_by_label("发生了什么").fill("服务点周末无人 & <值守>")
    page.get_by_label("联系电话（可不填）").fill("139 0000 2222")
    page.get_by_role("button", name="提交").click()
    flash = page.locator("#flash")
    expect(flash).to_contain_text("查询码")
    number, code = re.search(r"受理编号 (GZ\d{4}-\d{5})，查询码 ([A-Z2-9]{8})", flash.inner_text()).groups()

    login(page, "district_a")
    page.get_by_role("link", name="公众意见").click()
    page.get_by_role("link", name=number).click()
    page.get_by_label("答复（核查情况和处理结果）").fill("已核实，责令承接主体周末安排值守。")
    page.locator("#answer-form").get_by_role("button").first.click()
    # the answer's own message: a logout while its request is still in flight would be undone by its cookie
    expect(page.get_by_text("已答复。")).to_be_visible()
    logout(page)

    page.goto("/portal/")
    page.get_by_role("link", name="查询意见答复").click()
    page.get_by_label("受理编号").fill(number)
    page.get_by_label("查询码").fill("WRONG234")
    page.get_by_role("button", name="查询").click()
    expect(page.locator("#feedback-lookup-code-error")).to_have_text("受理编号或查询码不正确")
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    expect(page.locator("#feedback-state")).to_have_text("已答复")
    expect(page.locator("#feedback-reply")).to_have_text("已核实，责令承接主体周末安排值守。")
    expect(page.locator("main")).not_to_contain_text("139 0000 2222")
    expect(page.locator("main")).not_to_contain_text("服务点周末无人")


def test_the_portal_search_finds_a_plan_by_what_its_items_buy(page, live_server):
    word = unique("心理疏导")
    app = live_server.app
    with app.app_context():
        app.test_client_class = Client

        def signed_in(username):
            c = app.test_client()
            assert c.send("/login", {"username": username, "password": factories.PASSWORD}).status_code == 303
            return c

        plan_id = published_plan(signed_in, year=2033)[0].id
        db.session.rollback()  # read what the requests wrote, not this session's earlier snapshot
        item = db.session.scalars(select(PlanItem).where(PlanItem.plan_id == plan_id).order_by(PlanItem.id)).first()
        item.content = f"矛盾纠纷驻点调解 & {word}"
        db.session.commit()
    page.goto("/portal/")
    page.get_by_label("关键词").fill(word)
    page.get_by_role("button", name="查询").click()
    expect(page).to_have_url(re.compile(r"[?&]q="))
    link = page.locator("#portal-plans").get_by_role("link", name="2033 年度购买计划")
    expect(link).to_have_attribute("href", f"/portal/plans/{plan_id}")
    link.click()
    expect(page.locator("main")).to_contain_text(word)
