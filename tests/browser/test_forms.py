"""Forms in Chromium: the required mark beside its label, the icon, rows added without losing input,
registration files kept across a refusal."""
import re

from playwright.sync_api import expect

from tests.browser.helpers import VIEWPORT, login


def test_the_required_mark_is_on_the_line_of_its_label_and_the_icon_loads(page, live_server):
    missing = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    page.goto("/register/")
    label = page.locator("label[for=name]")
    mark = label.locator(".req")
    assert mark.evaluate("e => getComputedStyle(e, '::after').content") == '"*"'
    expect(page.get_by_label("机构名称", exact=True)).to_have_count(1)  # the mark is not part of the label's text
    text_box = page.evaluate("""() => {
        const label = document.querySelector('label[for=name]');
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
