"""Forms in Chromium: the required mark beside its label, the icon, rows added without losing input,
registration files kept across a refusal."""
from playwright.sync_api import expect


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
