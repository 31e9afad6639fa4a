"""Error pages in Chinese, and the same errors as fragments for htmx."""
import pytest

from tests.helpers import text


def test_404_page_in_chinese(client):
    r = client.get("/no-such-page")
    assert r.status_code == 404 and "未找到" in text(r) and "<html" in text(r)


def test_htmx_errors_come_back_as_a_fragment_for_the_flash_area(login):
    c = login("district_a")
    r = c.get("/contractors/999999", headers={"HX-Request": "true", "HX-Target": "main"})
    assert r.status_code == 404
    assert "<html" not in text(r) and 'data-status="404"' in text(r)
    assert r.headers["HX-Retarget"] == "#flash"


def test_403_page(login):
    r = login("worker_x").get("/contractors/")
    assert r.status_code == 403 and "无权操作" in text(r)


def test_405_page(client):
    assert client.get("/logout").status_code == 405


@pytest.mark.parametrize("code,title", [(400, "请求无效"), (409, "当前状态不允许此操作"), (413, "提交的内容过大"),
                                        (422, "输入有误"), (500, "系统错误")])
def test_every_status_has_a_chinese_page(app, code, title):
    from werkzeug.exceptions import default_exceptions

    app.config["PROPAGATE_UNHANDLED"] = False
    try:
        with app.test_request_context("/"):
            error = RuntimeError("boom") if code == 500 else default_exceptions[code]()
            response = app.make_response(app.handle_user_exception(error))
    finally:
        app.config["PROPAGATE_UNHANDLED"] = True
    assert response.status_code == code and title in response.get_data(as_text=True)
