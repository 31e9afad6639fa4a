"""The parties' door in Chromium: a visitor applies on a 390 px phone from the portal's link, the unit
dispatches, the organisation accepts into a prefilled case, two parties with hostile names and the
mediator sign with the mouse on the canvas, the party follows the case with number + code."""
import re

from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.helpers import login, logout
from tests.door_helpers import HOSTILE_A, HOSTILE_B

PHONE = {"width": 390, "height": 844}


def _fits(page):
    """Nothing wider than the screen: no sideways scrolling at 390 px."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1, page.url


def _draw(page, seed=0):
    canvas = page.locator("#signature-pad")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    x, y, w, h = box["x"], box["y"], box["width"], box["height"]
    page.mouse.move(x + w * 0.1, y + h * (0.5 + seed * 0.05))
    page.mouse.down()
    for i in range(1, 12):
        page.mouse.move(x + w * (0.1 + 0.07 * i), y + h * (0.3 + 0.4 * (i % 2)), steps=2)
    page.mouse.up()


def _sign_by_link(browser, url, name):
    """The party signs on their own phone: a fresh browser context at 390 px, no login."""
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    try:
        phone = context.new_page()
        errors = []
        phone.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        phone.on("pageerror", lambda e: errors.append(str(e)))
        phone.goto(url)
        expect(phone.locator("#signer")).to_have_text(name)
        expect(phone.locator("#agreement-text")).to_contain_text("赔偿 & <维修>")
        _fits(phone)
        # submitting before drawing is stopped on the page
        phone.get_by_label("我已阅读上述协议全文，同意并签名").check()
        phone.get_by_role("button", name="确认签名").click()
        expect(phone.locator("#signature-missing")).to_have_text("请先在签名框内签名")
        _draw(phone)
        phone.get_by_role("button", name="确认签名").click()
        expect(phone.locator("#sign-result")).to_contain_text("已于")
        # the link is one-time
        phone.goto(url)
        expect(phone.locator("h1")).to_have_text("此签名链接已使用或已失效")
        assert errors == [] or all("409" in e for e in errors), errors
    finally:
        context.close()


def test_apply_dispatch_accept_sign_and_follow(page, live_server, browser):
    page.set_viewport_size(PHONE)
    page.goto("/portal/")
    page.get_by_role("link", name="申请人民调解").click()
    expect(page.locator("h1")).to_have_text("申请人民调解")
    _fits(page)
    page.get_by_label("纠纷发生地").select_option(label="昆都仑区昆北街道")
    page.get_by_label("纠纷类型").select_option(label="邻里纠纷")
    page.get_by_label("纠纷简要情况").fill("楼上漏水 & <天花板> 损坏")
    page.get_by_label("对方当事人姓名或名称（知道的填写）").fill(HOSTILE_B)
    page.get_by_label("您的姓名").fill(HOSTILE_A)
    page.get_by_label("联系电话", exact=True).fill("13900003333")
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator("#consent .error")).to_contain_text("须同意")  # consent is asked for, nothing lost
    expect(page.get_by_label("您的姓名")).to_have_value(HOSTILE_A)
    page.get_by_label("我同意按上述目的和期限处理我填写的信息").check()
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator("h1")).to_have_text("申请已收到")
    _fits(page)
    number = page.locator("#application-number").inner_text()
    code = page.locator("#access-code").inner_text()
    assert re.fullmatch(r"SQ\d{4}-\d{5}", number) and len(code) == 8

    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, "district_a")
    page.locator("nav").get_by_role("link", name="调解申请").click()
    page.get_by_role("link", name=number).click()
    expect(page.locator("main")).to_contain_text(HOSTILE_A)
    page.get_by_label("调解组织").select_option(label="和润调解中心")
    page.get_by_role("button", name="分派").click()
    expect(page.locator("h1")).to_contain_text("已分派调解组织")
    logout(page)

    login(page, "contractor_x")
    page.locator("nav").get_by_role("link", name="调解申请").click()
    page.get_by_role("link", name=number).click()
    page.get_by_role("link", name="受理并登记案件").click()
    expect(page.locator("#party-0").get_by_label("姓名或名称")).to_have_value(HOSTILE_A)
    expect(page.locator("#party-2").get_by_label("姓名或名称")).to_have_value(HOSTILE_B)
    page.get_by_role("button", name="受理并编号").click()
    expect(page.locator("#flash")).to_contain_text("已受理，案件编号")
    case_id = int(re.search(r"/mediation/(\d+)", page.url).group(1))

    with live_server.app.app_context():
        from extensions import db
        from models import MediationCase
        from tests.door_helpers import to_mediating

        to_mediating(db.session.get(MediationCase, case_id))
        db.session.commit()

    page.goto(f"/door/cases/{case_id}/signing")
    page.get_by_label("协议内容").fill("赔偿 & <维修> 费用 3000 元")
    page.get_by_role("button", name="固定文本并发起签署").click()
    expect(page.locator("#signing")).to_contain_text("签署中")
    links = {}
    for name in (HOSTILE_A, HOSTILE_B):
        page.locator("#signers tr", has_text=name).get_by_role("button", name="生成签名链接").click()
        links[name] = page.locator("#signers tr", has_text=name).locator("a.sign-link").inner_text()
    for name, url in links.items():
        _sign_by_link(browser, url, name)

    page.goto(f"/door/cases/{case_id}/signing")
    expect(page.locator("#signers img.signature-image")).to_have_count(2)
    page.set_viewport_size(PHONE)  # the mediator signs on a phone too
    _draw(page, 1)
    page.get_by_label("我已阅读上述协议全文，同意并签名").check()
    page.get_by_role("button", name="确认签名").click()
    expect(page.locator("#effective")).to_contain_text("协议于")
    expect(page.locator("#signers img.signature-image")).to_have_count(3)

    with live_server.app.app_context():
        from extensions import db
        from models import MediationCase
        from models.signing import Signing

        case = db.session.get(MediationCase, case_id)
        assert case.status == "succeeded" and case.agreement.kind == "written"
        signing = db.session.scalar(select(Signing).where(Signing.case_id == case_id))
        assert all(s.image and s.image.startswith(b"\x89PNG") for s in signing.signatures)

    logout(page)
    page.goto("/apply/follow")
    _fits(page)
    page.get_by_label("受理编号").fill(number)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    expect(page.locator("#case-state")).to_have_text("调解成功")
    expect(page.locator("#mediators")).to_contain_text("张志强")
    expect(page.locator("#org")).to_contain_text("0472-5100000")
    _fits(page)


def test_apply_and_follow_without_javascript_at_390_px(browser, live_server):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", java_script_enabled=False,
                                  base_url=live_server.url)
    try:
        page = context.new_page()
        page.goto("/apply/")
        _fits(page)
        page.get_by_label("纠纷发生地").select_option(label="东河区（乡镇、街道不清楚）")
        page.get_by_label("纠纷类型").select_option(label="物业纠纷")
        page.get_by_label("纠纷简要情况").fill("物业费争议 \"收费标准\" 😀")
        page.get_by_label("您的姓名").fill(HOSTILE_B)
        page.get_by_label("联系电话", exact=True).fill("0472-5123456")
        page.get_by_label("我同意按上述目的和期限处理我填写的信息").check()
        page.get_by_role("button", name="提交申请").click()
        expect(page.locator("h1")).to_have_text("申请已收到")
        number = page.locator("#application-number").inner_text()
        code = page.locator("#access-code").inner_text()
        page.get_by_role("link", name="查询办理进度").click()
        expect(page.get_by_label("受理编号")).to_have_value(number)
        page.get_by_label("查询码").fill("WRONG999")
        page.get_by_role("button", name="查询").click()
        expect(page.locator(".error")).to_contain_text("受理编号或查询码不正确")
        page.get_by_label("查询码").fill(code)
        page.get_by_role("button", name="查询").click()
        expect(page.locator("#state")).to_have_text("已收到，待分派")
        expect(page.locator("#mine")).to_contain_text("物业费争议 \"收费标准\" 😀")
        _fits(page)
    finally:
        context.close()
