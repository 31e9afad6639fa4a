"""Small defects of issue 14 item 7, over HTTP: the case-code help, the favicon, the required mark, the
review beside the evidence."""
import re

from sqlalchemy import select

from extensions import db
from models import Contractor
from tests import factories
from tests.factories import registration_data
from tests.helpers import text
from tests.purchasing_helpers import intention, published_plan


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
    assert '<label for="registration-name">机构名称<span class="req" aria-hidden="true"></span></label>' in body
    assert '</label><span class="req"' not in body


def test_each_conditions_decision_sits_beside_its_evidence_row(client, login):
    data = registration_data(seat_unit_id=str(factories.unit("150203").id))
    assert client.send("/register/", data).status_code == 303
    org = db.session.scalar(select(Contractor).where(Contractor.uscc == data["uscc"]))
    body = text(login("district_a").get(f"/contractors/{org.id}"))
    form = re.search(r'<form method="post" action="/contractors/%d/review" id="review">(.*?)</form>' % org.id,
                     body, re.S).group(1)
    rows = re.findall(r'<tr id="condition-(\d)">|<fieldset class="verdict-row" id="verdict-(\d)">', form)
    # condition 1's row, its decision, condition 2's row, its decision … all inside the one form
    assert rows == [(str(n), "") if i % 2 == 0 else ("", str(n)) for n in range(1, 7) for i in (0, 1)]
    assert 'id="review-c1-0"' in form and 'id="review-c1_code"' in form


def test_the_portal_search_finds_plans_and_procurements_by_their_items_content(client, login):
    plan, unit = published_plan(login)
    plan.items[0].content = "矛盾纠纷驻点调解 & <心理疏导> 服务"
    db.session.commit()
    procurement = intention(unit, plan, [plan.items[0].id])
    found = text(client.get("/portal/", query_string={"q": "心理疏导"}))
    assert f'href="/portal/plans/{plan.id}"' in found
    assert f'href="/portal/procurements/{procurement.id}"' in found
    missing = text(client.get("/portal/", query_string={"q": "没有这样的服务内容"}))
    assert f'href="/portal/plans/{plan.id}"' not in missing
    assert f'href="/portal/procurements/{procurement.id}"' not in missing
