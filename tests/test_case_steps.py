"""The case page's next steps (issue 14, defects 2 and 3): the state's main action open, the others
loaded on demand, dangerous ones confirmed on the server, and the place kept after an htmx action."""
import re

import pytest

from blueprints.mediation import steps
from extensions import db
from tests.helpers import field_error, text
from tests.mediation_factories import make_case

HX = {"HX-Request": "true", "HX-Target": "case"}
RECORD = {"kind": "session", "held_at": "2026-11-27T10:00", "content": "双方陈述意见。"}


def forms_on(body):
    """The ids of the action forms a page renders (the sign-out form has none)."""
    return re.findall(r'<form[^>]*\bid="([a-z-]+-form)"', body)


@pytest.mark.parametrize("state, main, on_demand, dangerous", [
    ("registered", "notice", ["record", "extend", "police", "file"], ["refuse", "withdraw"]),
    ("investigating", "record", ["extend", "police", "file"], ["withdraw"]),
    ("mediating", "succeed", ["record", "extend", "police", "file"], ["fail", "withdraw"]),
    ("written", "follow_up", ["confirmation", "file", "archive", "police"], []),
    ("failed", "file", ["archive", "police"], []),
])
def test_the_case_page_opens_the_next_step_and_keeps_the_rest_on_demand(app, login, state, main, on_demand,
                                                                        dangerous):
    case = make_case("worker_x", state=state)
    db.session.commit()
    body = text(login("worker_x").get(f"/mediation/{case.id}"))
    assert forms_on(body) == [main.replace("_", "-") + "-form"]  # one form open: the main step's
    for name in on_demand + dangerous:
        assert f'hx-get="/mediation/{case.id}/actions/{name}"' in body, name
        assert f'href="/mediation/{case.id}/actions/{name}"' in body, name  # without JavaScript
    shown = re.findall(r'id="step-([a-z_]+)"', body)
    assert shown == [n for n in steps.ACTIONS if n in on_demand + dangerous]
    # what ends the case sits apart, after the rest
    if dangerous:
        assert body.index("结束案件") > max(body.index(f'id="step-{n}"') for n in on_demand)


def test_an_admin_assigns_first_and_a_unit_clerk_has_no_steps(app, login):
    case = make_case("worker_x")
    db.session.commit()
    body = text(login("contractor_x").get(f"/mediation/{case.id}"))
    assert forms_on(body) == ["assign-form"]
    body = text(login("district_a").get(f"/mediation/{case.id}"))
    assert forms_on(body) == [] and "下一步" not in body


def test_a_step_form_loads_as_a_fragment_or_a_page_of_its_own(app, login):
    case = make_case("worker_x", state="investigating")
    db.session.commit()
    c = login("worker_x")
    r = c.get(f"/mediation/{case.id}/actions/withdraw", headers={"HX-Request": "true",
                                                                 "HX-Target": "step-withdraw-body"})
    body = text(r)
    assert r.status_code == 200 and "<html" not in body and forms_on(body) == ["withdraw-form"]
    assert 'hx-post="/mediation/%d/withdraw"' % case.id in body and 'name="withdraw-confirm"' in body
    r = c.get(f"/mediation/{case.id}/actions/withdraw")  # no JavaScript: a page, posting plainly
    body = text(r)
    assert r.status_code == 200 and "<html" in body and "hx-post" not in body.split("<main id=\"main\" tabindex=\"-1\">")[1]
    assert c.get(f"/mediation/{case.id}/actions/refuse").status_code == 409  # not offered under investigation
    assert c.get(f"/mediation/{case.id}/actions/nothing").status_code == 404
    assert login("district_a").get(f"/mediation/{case.id}/actions/withdraw").status_code == 403


def test_ending_a_case_needs_the_ticked_confirmation(app, login):
    case = make_case("worker_x", state="investigating")
    db.session.commit()
    c = login("worker_x")
    r = c.send(f"/mediation/{case.id}/withdraw", {"withdraw-note": "申请人撤回"}, headers=HX)
    body = text(r)
    assert r.status_code == 422 and field_error(body, "withdraw-confirm") == ["请勾选确认后再提交"]
    # the step comes back open with what was typed, its form in place of the on-demand link
    assert re.search(r'<details class="step step-danger" id="step-withdraw" open', body)
    assert "申请人撤回" in body and case.status == "investigating"
    r = c.send(f"/mediation/{case.id}/withdraw", {"withdraw-note": "申请人撤回", "withdraw-confirm": "y"}, headers=HX)
    assert r.status_code == 200 and case.status == "withdrawn"


def test_after_an_htmx_action_the_changed_section_carries_the_message(app, login):
    case = make_case("worker_x", state="investigating")
    db.session.commit()
    c = login("worker_x")
    r = c.send(f"/mediation/{case.id}/records", RECORD, headers=HX)
    body = text(r)
    assert r.status_code == 200 and "HX-Location" not in r.headers and "<html" not in body
    records = body[body.index('id="records"'):]
    placed = re.search(r'<div class="flash flash-success placed" role="status" tabindex="-1" data-place>(.*?)</div>',
                       records, re.S)
    assert placed and "记录已保存。" in placed.group(1) and "下一步：调解成功" in placed.group(1)
    assert body.count("data-place") == 1
    # the message was given in place, so it is not left over for the next page
    assert "记录已保存" not in text(c.get(f"/mediation/{case.id}"))


def test_without_javascript_a_success_returns_to_the_changed_section(app, login):
    case = make_case("worker_x", state="investigating")
    db.session.commit()
    r = login("worker_x").send(f"/mediation/{case.id}/records", RECORD)
    assert r.status_code == 303 and r.headers["Location"].endswith(f"/mediation/{case.id}#records")
