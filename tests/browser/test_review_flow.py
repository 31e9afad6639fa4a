"""The registration and review of a contractor, end to end in Chromium, as the people involved do it."""
import os

from playwright.sync_api import expect

from demo.helpers import make_uscc
from models.codes import CONDITIONS
from tests.browser.helpers import VIEWPORT, in_days, login, logout, new_uscc, unique, write_pdf

CONTRACTOR_PASSWORD = "Mingli-2026-pw"
REJECTION = "纳税证明为 2024 年度，请上传最近一年的纳税和社会保险缴纳证明。"
# The README's picture: written to the test's tmp folder; `make screenshot` sets FENGQIAO_SCREENSHOT to
# docs/screenshot.png to regenerate it (the suite itself never writes into the working tree).
SCREENSHOT_ENV = "FENGQIAO_SCREENSHOT"


def register(page, tmp_path, name, uscc, username, password=CONTRACTOR_PASSWORD, address=None):
    """Fill every field of /register/ (seat 昆都仑区, so district_a reviews) and submit."""
    page.goto("/register/")
    expect(page.locator("h1")).to_have_text("承接主体注册")
    page.get_by_label("机构名称").fill(name)
    page.get_by_label("机构类型").select_option(label="社会服务机构（民办非企业单位）")
    page.get_by_label("统一社会信用代码").fill(uscc)
    page.get_by_label("住所地（审核单位）").select_option(label="昆都仑区")
    page.get_by_label("法定代表人").fill("王建国")
    page.get_by_label("住所（地址）").fill(address or "内蒙古自治区包头市昆都仑区钢铁大街 66 号")
    page.get_by_label("联系人", exact=True).fill("李秀兰")
    page.get_by_label("联系电话").fill("0472-5123456")
    page.get_by_label("人民调解", exact=True).check()
    page.get_by_label("安置帮教", exact=True).check()
    page.get_by_label("昆都仑区司法局", exact=True).check()
    page.get_by_label("包头市司法局", exact=True).check()
    for n, (_, evidence, expires) in CONDITIONS.items():
        page.get_by_label(f"条件{n}：情况说明").fill(f"条件{n}：本机构符合要求，详见所附{evidence}。")
        page.get_by_label(f"条件{n}：证明材料").set_input_files(write_pdf(tmp_path, f"条件{n}-{evidence}.pdf", f"c{n}"))
        if expires:
            page.locator(f"#registration-expires_{n}").fill(in_days(200))
    page.get_by_label("管理员姓名").fill("李秀兰")
    page.get_by_label("管理员用户名").fill(username)
    page.get_by_label("登录密码").fill(password)
    page.get_by_label("再次输入密码").fill(password)
    page.get_by_role("button", name="提交注册申请").click()


def open_from_review_list(page, name):
    page.locator(".site-nav").get_by_role("link", name="承接主体审核").click()
    expect(page.locator("h1")).to_have_text("住所在本辖区的承接主体")
    page.locator("#contractor-table").get_by_role("link", name=name, exact=True).click()
    expect(page.locator("h1")).to_have_text(name)


def test_contractor_registers_is_rejected_fixes_condition_and_is_approved(page, live_server, tmp_path):
    name = "包头市昆都仑区明理人民调解服务中心"
    username = unique("mingli_")
    # A fixed code (no other test uses it) keeps the README's screenshot the same from run to run.
    register(page, tmp_path, name, make_uscc("52150203MJ0001234"), username)

    # The new contractor lands on its own page, signed in, waiting for the seat unit.
    expect(page).to_have_url(live_server.url + "/organisation/")
    expect(page.locator("#flash")).to_contain_text("注册申请已提交")
    expect(page.locator("h1")).to_have_text(name)
    expect(page.locator("#org-status")).to_have_text("待审核")
    expect(page.locator("main .notice")).to_contain_text("昆都仑区司法局审核")
    expect(page.locator("main tbody tr[id^=condition-]")).to_have_count(6)
    logout(page)

    # 昆都仑区司法局 reviews: conditions 1-4 and 6 accepted, 5 rejected with a reason.
    login(page, "district_a")
    open_from_review_list(page, name)
    # Evidence opens in the browser (inline), as the PDF it is.
    link = page.locator("#condition-1").get_by_role("link", name="条件1-登记证书或营业执照.pdf")
    evidence = page.request.get(link.get_attribute("href"))
    assert evidence.headers["content-disposition"].startswith("inline") and evidence.body()[:5] == b"%PDF-"
    assert evidence.headers["x-content-type-options"] == "nosniff"
    review = page.locator("#review")
    expect(review.locator("fieldset.verdict-row")).to_have_count(6)
    for n in (1, 2, 3, 4, 6):
        review.locator(f"#verdict-{n}").get_by_label("符合", exact=True).check()
    five = review.locator("#verdict-5")
    five.get_by_label("不符合", exact=True).check()
    five.get_by_label("不符合原因").select_option(label="材料已过期")
    five.get_by_label("说明", exact=True).fill(REJECTION)
    review.get_by_role("button", name="提交审核结论").click()
    expect(page.locator("#flash")).to_contain_text("已退回，承接主体可修改后重新提交。")
    expect(page.locator("#org-status")).to_have_text("已退回")
    expect(page.locator("#condition-5")).to_contain_text("不符合")
    expect(page.locator("#review")).to_have_count(0)

    # The contractor reads the reason, replaces condition 5's evidence and resubmits.
    login(page, username, CONTRACTOR_PASSWORD)
    page.locator(".site-nav").get_by_role("link", name="本机构资格").click()
    expect(page.locator("#org-status")).to_have_text("已退回")
    row = page.locator("#condition-5")
    expect(row.locator(".verdict")).to_have_text("不符合")
    expect(row).to_contain_text(f"材料已过期：{REJECTION}")
    expect(page.locator("#condition-4 .verdict")).to_have_text("符合")
    row.get_by_role("link", name="修改").click()
    expect(page.locator("h1")).to_have_text(f"条件5：{CONDITIONS[5][0]}")
    expect(page.locator("main .notice")).to_have_text(f"退回原因：材料已过期：{REJECTION}")
    page.get_by_label("情况说明").fill("已补充 2026 年度纳税证明和社会保险缴纳证明，无欠缴记录。")
    page.locator("#kept-files").get_by_label(f"条件5-{CONDITIONS[5][1]}.pdf").check()  # replaced: removed
    page.get_by_label("新增证明材料").set_input_files(write_pdf(tmp_path, "2026年度纳税和社保证明.pdf", "2026"))
    page.get_by_label("材料有效期至").fill(in_days(365))
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#flash")).to_contain_text("条件5的材料已更新")
    expect(page.locator("#condition-5 .verdict")).to_have_text("待审核")
    expect(page.locator("#condition-5 ul.files li")).to_have_text(["2026年度纳税和社保证明.pdf"])
    page.get_by_role("button", name="重新提交审核").click()
    expect(page.locator("#flash")).to_contain_text("已重新提交，等待审核。")
    expect(page.locator("#org-status")).to_have_text("待审核")

    # district_a finds it in the inbox on the home page (second round); only condition 5 is left to rule on.
    login(page, "district_a")
    page.locator("#inbox-contractors-review").get_by_role("link", name=name, exact=True).click()
    expect(page.locator("h1")).to_have_text(name)
    review = page.locator("#review")
    expect(review.locator("fieldset.verdict-row")).to_have_count(1)
    review.locator("#verdict-5").get_by_label("符合", exact=True).check()
    expect(page.locator("#condition-5")).to_contain_text("2026年度纳税和社保证明.pdf")
    # The README's picture: the page from the top down to the review form (page coordinates).
    bottom = review.evaluate("e => e.getBoundingClientRect().bottom + window.scrollY")
    screenshot = os.environ.get(SCREENSHOT_ENV) or str(tmp_path / "screenshot.png")
    page.screenshot(path=screenshot, full_page=True,
                    clip={"x": 0, "y": 0, "width": VIEWPORT["width"], "height": bottom + 12})
    review.get_by_role("button", name="提交审核结论").click()
    expect(page.locator("#flash")).to_contain_text("审核通过。")
    expect(page.locator("#org-status")).to_have_text("已通过")
    expect(page.locator("main details.round").first).to_contain_text("第 2 轮")

    # The contractor sees the approval.
    login(page, username, CONTRACTOR_PASSWORD)
    expect(page.locator("main")).to_contain_text("资格状态：已通过")
    page.locator(".site-nav").get_by_role("link", name="本机构资格").click()
    expect(page.locator("#org-status")).to_have_text("已通过")
    expect(page.locator("main .verdict")).to_have_text(["符合"] * 6)


def test_hostile_text_typed_at_registration_comes_back_as_text(page, live_server, tmp_path):
    hostile = '<script>alert(1)</script> & "引号" 😀'
    register(page, tmp_path, hostile, new_uscc(), unique("hostile_"), address=f"{hostile} 大街 1 号")
    expect(page.locator("h1")).to_have_text(hostile)
    expect(page.locator("main dl.facts")).to_contain_text(f"{hostile} 大街 1 号")
    expect(page.locator("main script")).to_have_count(0)

    # The seat unit sees the same characters, in its list and on the contractor's page.
    login(page, "district_a")
    open_from_review_list(page, hostile)
    assert page.title().startswith(hostile + " · 枫桥")
    expect(page.locator("main dl.facts")).to_contain_text(f"{hostile} 大街 1 号")
    expect(page.locator("main script")).to_have_count(0)
    # (the page fixture fails the test if any alert() dialog opened)
