"""The contract page's next steps (issue 14, defect 2): the next action open and pointed to, the others
folded, early termination confirmed on the server, and the result shown where the action took place."""
import re

from extensions import db
from tests import factories
from tests.helpers import field_error, text
from tests.purchasing_helpers import pub


def opened(body):
    return re.findall(r'<details class="step[^"]*" id="step-([a-z]+)" open>', body)


def folded(body):
    return re.findall(r'<details class="step[^"]*" id="step-([a-z]+)">', body)


def test_the_unit_sees_its_next_step_open_and_the_rest_folded(app, login):
    c = factories.make_contract("150203", factories.org("X"))
    db.session.commit()
    unit = login("district_a")
    body = text(unit.get(f"/contracts/{c.id}"))
    assert opened(body) == ["publish"] and 'href="#step-publish">记录合同公告</a>' in body
    assert {"filing", "payment", "amend", "consent", "terminate", "quarter"} <= set(folded(body))
    assert '<details class="step step-danger" id="step-terminate">' in body
    # after the action, the page opens at the section that shows it, the message there (not at the top)
    r = unit.send(f"/contracts/{c.id}/publish", pub())
    assert r.status_code == 303 and r.headers["Location"].endswith(f"/contracts/{c.id}?done=deadlines#deadlines")
    body = text(unit.get(r.headers["Location"]))
    section = body[body.index('id="deadlines"'):]
    assert re.match(r'[^<]*<h2>法定时限</h2>\s*<div class="flash flash-success placed" role="status" tabindex="-1" '
                    r'data-place>合同已公告。</div>', section[section.index(">") + 1:])
    assert body.count("合同已公告。") == 1
    assert opened(body) == ["filing"]


def test_early_termination_needs_the_confirmation_and_a_refused_form_stays_open(app, login):
    c = factories.make_contract("150203", factories.org("X"))
    db.session.commit()
    unit = login("district_a")
    r = unit.send(f"/contracts/{c.id}/terminate", {"reason_code": "breach", "reason_text": "长期缺岗"})
    body = text(r)
    assert r.status_code == 422 and field_error(body, "confirm") == ["请勾选确认后再提交"]
    assert "terminate" in opened(body) and "长期缺岗" in body and c.status != "terminated"


def test_the_contractor_is_pointed_to_its_records(app, login):
    c = factories.make_contract("150203", factories.org("X"))
    db.session.commit()
    body = text(login("contractor_x").get(f"/contracts/{c.id}"))
    assert opened(body) == ["deliverable"] and "shift" in folded(body) and "terminate" not in body
