"""Small defects of issue 14 item 7, over HTTP: the case-code help, the favicon, the required mark."""
import re

from tests import factories
from tests.helpers import text


def test_the_case_code_help_shows_an_example_not_a_raw_placeholder(login):
    org = factories.org("X")
    for c, url in ((login("district_a"), f"/contractors/{org.id}"), (login("admin"), "/admin/case-codes")):
        body = text(c.get(url))
        assert "{short}" not in body, url
        assert "昆调字第15号" in body, url


def test_every_page_names_an_icon_and_the_icon_is_served(client):
    body = text(client.get("/"))
    href = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', body).group(1)
    with client.get(href) as svg:
        assert svg.status_code == 200 and svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
    with client.get("/favicon.ico") as ico:
        assert ico.status_code == 200 and ico.data[:4] == b"\x00\x00\x01\x00"
        assert ico.mimetype == "image/vnd.microsoft.icon"


def test_the_required_mark_sits_inside_its_label(client):
    body = text(client.get("/register/"))
    assert '<label for="name">机构名称<span class="req" aria-hidden="true"></span></label>' in body
    assert '</label><span class="req"' not in body
