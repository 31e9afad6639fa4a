"""The registration journey in Chromium, by clicking (issue 14): a registration refused for one field
keeps its files, the seat unit rejects one condition, the contractor fixes that condition (adding a
second file), resubmits, and is approved. After each action the result is where the eye is; no console
error or page error on the way."""
from playwright.sync_api import expect

from models.codes import CONDITIONS
from tests.browser.conftest import FAILED_LOAD
from tests.browser.helpers import in_days, login, logout, new_uscc, unique, write_pdf

PASSWORD = "Anhe-2026-pw"


def _watch(page):
    """Console errors and page errors, but for the browser's own line on a 4xx page the app answers by
    design (the 422 of the refused registration), as tests/browser/conftest.py counts them."""
    problems = []

    def console(m):
        url = m.location.get("url") or ""
        if m.type == "error" and not (FAILED_LOAD.match(m.text) and "/static/" not in url):
            problems.append(f"console {m.type}: {m.text} ({url})")

    page.on("console", console)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    return problems


def _in_view(page, locator):
    expect(locator).to_be_visible()
    expect(locator).to_be_in_viewport()


def test_registration_refused_once_keeps_files_then_rejected_fixed_and_approved(page, live_server, tmp_path):
    problems = _watch(page)
    name = f"包头市昆都仑区安和调解服务中心{unique()}"
    username = unique("anhe_")

    # A visitor finds the registration from the landing page and fills it in, with a wrong phone number.
    page.context.clear_cookies()
    page.goto("/")
    page.get_by_role("link", name="社会组织、企业和机构注册为承接主体").click()
    expect(page.locator("h1")).to_have_text("承接主体注册")
    page.get_by_label("机构名称").fill(name)
    page.get_by_label("机构类型").select_option(label="社会服务机构（民办非企业单位）")
    page.get_by_label("统一社会信用代码").fill(new_uscc("150203"))
    page.get_by_label("住所地（审核单位）").select_option(label="昆都仑区")
    page.get_by_label("法定代表人").fill("王建国")
    page.get_by_label("住所（地址）").fill("内蒙古自治区包头市昆都仑区钢铁大街 88 号")
    page.get_by_label("联系人", exact=True).fill("李秀兰")
    page.get_by_label("联系电话").fill("打电话")
    page.get_by_label("人民调解", exact=True).check()
    page.get_by_label("昆都仑区司法局", exact=True).check()
    for n, (_, evidence, expires) in CONDITIONS.items():
        page.get_by_label(f"条件{n}：情况说明").fill(f"条件{n}：本机构符合要求，详见所附{evidence}。")
        files = [write_pdf(tmp_path, f"条件{n}-{evidence}.pdf", f"c{n}")]
        if n == 2:
            files.append(write_pdf(tmp_path, "人员名册.pdf", "roster"))
        page.get_by_label(f"条件{n}：证明材料").set_input_files(files)
        if expires:
            page.locator(f"#registration-expires_{n}").fill(in_days(200))
    page.get_by_label("管理员姓名").fill("李秀兰")
    page.get_by_label("管理员用户名").fill(username)
    page.get_by_label("登录密码").fill(PASSWORD)
    page.get_by_label("再次输入密码").fill(PASSWORD)
    page.get_by_role("button", name="提交注册申请").click()

    # 422: the phone field has the focus and its message is in view; every file is still there.
    phone = page.get_by_label("联系电话")
    expect(phone).to_be_focused()
    _in_view(page, page.locator("#registration-contact_phone-error"))
    expect(page.locator(".form-errors")).to_contain_text("已上传的文件已保留")
    for n, (_, evidence, _) in CONDITIONS.items():
        extra = "、人员名册.pdf" if n == 2 else ""
        expect(page.locator(f"#registration-evidence_{n}").locator("xpath=..")).to_contain_text(
            f"已上传：条件{n}-{evidence}.pdf{extra}（重新选择可替换）")
    expect(page.get_by_label("机构名称")).to_have_value(name)
    phone.fill("0472-5123456")
    page.get_by_label("登录密码").fill(PASSWORD)  # passwords are never sent back to the page
    page.get_by_label("再次输入密码").fill(PASSWORD)
    page.get_by_role("button", name="提交注册申请").click()
    expect(page.locator("h1")).to_have_text(name)
    _in_view(page, page.locator("#flash"))
    expect(page.locator("#flash")).to_contain_text("注册申请已提交")
    expect(page.locator("#condition-2 ul.files li")).to_have_text([f"条件2-{CONDITIONS[2][1]}.pdf", "人员名册.pdf"])
    logout(page)

    # The seat unit reviews beside the evidence: condition 3 rejected, the others accepted.
    login(page, "district_a")
    page.locator(".site-nav").get_by_role("link", name="承接主体审核").click()
    page.locator("#contractor-table").get_by_role("link", name=name, exact=True).click()
    expect(page.locator("h1")).to_have_text(name)
    review = page.locator("#review")
    expect(review.locator("#condition-2 ul.files li")).to_have_count(2)
    for n in (1, 2, 4, 5, 6):
        review.locator(f"#verdict-{n}").get_by_label("符合", exact=True).check()
    three = review.locator("#verdict-3")
    # The decision sits right under the evidence it judges.
    row, decision = review.locator("#condition-3").bounding_box(), three.bounding_box()
    assert 0 <= decision["y"] - (row["y"] + row["height"]) < 40, (row, decision)
    three.get_by_label("不符合", exact=True).check()
    three.get_by_label("不符合原因").select_option(index=1)
    three.get_by_label("说明", exact=True).fill("缺少财务管理制度")
    review.get_by_role("button", name="提交审核结论").click()
    _in_view(page, page.locator("#flash"))
    expect(page.locator("#flash")).to_contain_text("已退回")
    expect(page.locator("#org-status")).to_have_text("已退回")
    logout(page)

    # The contractor keeps the old file of condition 3, adds the missing one, and resubmits.
    login(page, username, PASSWORD)
    page.locator(".site-nav").get_by_role("link", name="本机构资格").click()
    page.locator("#condition-3").get_by_role("link", name="修改").click()
    expect(page.locator("h1")).to_have_text(f"条件3：{CONDITIONS[3][0]}")
    expect(page.locator("#kept-files").get_by_label(f"条件3-{CONDITIONS[3][1]}.pdf")).not_to_be_checked()  # kept
    page.get_by_label("新增证明材料").set_input_files(write_pdf(tmp_path, "财务管理制度.pdf", "finance"))
    page.get_by_role("button", name="保存").click()
    _in_view(page, page.locator("#flash"))
    expect(page.locator("#flash")).to_contain_text("条件3的材料已更新")
    expect(page.locator("#condition-3 ul.files li")).to_have_text([f"条件3-{CONDITIONS[3][1]}.pdf", "财务管理制度.pdf"])
    page.get_by_role("button", name="重新提交审核").click()
    _in_view(page, page.locator("#flash"))
    expect(page.locator("#flash")).to_contain_text("已重新提交")
    logout(page)

    # Approval: only condition 3 is left, with both files beside its decision.
    login(page, "district_a")
    page.locator(".site-nav").get_by_role("link", name="承接主体审核").click()
    page.locator("#contractor-table").get_by_role("link", name=name, exact=True).click()
    review = page.locator("#review")
    expect(review.locator("fieldset.verdict-row")).to_have_count(1)
    expect(review.locator("#condition-3 ul.files li")).to_have_count(2)
    review.locator("#verdict-3").get_by_label("符合", exact=True).check()
    review.get_by_role("button", name="提交审核结论").click()
    _in_view(page, page.locator("#flash"))
    expect(page.locator("#flash")).to_contain_text("审核通过。")
    expect(page.locator("#org-status")).to_have_text("已通过")
    assert not problems, problems
