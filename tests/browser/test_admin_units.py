"""The administrator enters a unit's own unified social credit code (issue 18 item 4): a wrong check
character is refused beside the field, a right one is kept and becomes the buyer's identifier."""
from playwright.sync_api import expect

from demo.helpers import make_uscc
from tests.browser.helpers import login


def test_the_admin_enters_a_units_credit_code(page, live_server):
    login(page, "admin")
    page.get_by_role("link", name="购买单位").click()
    expect(page.locator("h1")).to_have_text("购买单位")
    field = page.get_by_role("textbox", name="青山区司法局的统一社会信用代码")
    field.fill("11150204MB1020401A")
    page.get_by_role("button", name="保存青山区司法局的统一社会信用代码").click()
    expect(page.locator("#unit-%s .error" % field.get_attribute("id").split("-")[1])).to_contain_text(
        "统一社会信用代码")
    code = make_uscc("11150204MB1020401")
    page.get_by_role("textbox", name="青山区司法局的统一社会信用代码").fill(code)
    page.get_by_role("button", name="保存青山区司法局的统一社会信用代码").click()
    expect(page.locator("#flash")).to_contain_text("青山区司法局的统一社会信用代码已保存")
    expect(page.get_by_role("textbox", name="青山区司法局的统一社会信用代码")).to_have_value(code)
