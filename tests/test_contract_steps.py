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


# ---- the place kept after the contract actions of blueprints/acceptance (issue 14)

HX = {"HX-Request": "true"}


def test_contract_actions_without_javascript_open_the_page_at_their_section(app, login):
    from datetime import date

    c = factories.make_contract("150203", factories.org("X"), start=date(2026, 1, 1))
    db.session.commit()
    unit = login("district_a")
    for url, data, section, message in (
            (f"/contracts/{c.id}/integrity", {}, "integrity", "已完成记录完整性检查。"),
            (f"/contracts/{c.id}/quarters", {"year": "2026", "quarter": "1"}, "quarters", "季度已关闭"),
            (f"/contracts/{c.id}/targets", {"measure": "training_sessions", "target": "4"}, "targets", "已设置目标。"),
            (f"/contracts/{c.id}/inspections", {"reason_code": "routine", "text": "查台账"}, "inspections",
             "已决定检查，等待承接主体答复。")):
        r = unit.send(url, data)
        assert r.status_code == 303, url
        assert r.headers["Location"].endswith(f"/contracts/{c.id}?done={section}#{section}")
        body = text(unit.get(r.headers["Location"]))
        part = body[body.index(f'id="{section}"'):]
        assert message in part[:part.index("</section>")] and body.count(message) == 1, section
        assert f'<div class="flash flash-success placed" role="status" tabindex="-1" data-place>{message}' in body
    # a ?done= naming no section of the page shows the flash at the top as before
    unit.send(f"/contracts/{c.id}/integrity", {})
    body = text(unit.get(f"/contracts/{c.id}?done=nowhere"))
    assert '<div class="flash flash-success" role="status">已完成记录完整性检查。</div>' in body


def test_contract_actions_with_htmx_answer_with_their_section_and_its_message(app, login):
    from datetime import date

    c = factories.make_contract("150203", factories.org("X"), start=date(2026, 1, 1))
    db.session.commit()
    unit = login("district_a")
    r = unit.send(f"/contracts/{c.id}/integrity", {}, headers={**HX, "HX-Target": "integrity"})
    body = text(r)
    assert r.status_code == 200 and "HX-Location" not in r.headers
    assert "<html" not in body
    assert body.lstrip().startswith('<section class="card" id="integrity" hx-target="this" hx-swap="outerHTML">')
    assert '<div class="flash flash-success placed" role="status" tabindex="-1" data-place>已完成记录完整性检查。</div>' in body
    r = unit.send(f"/contracts/{c.id}/quarters", {"year": "2026", "quarter": "2"}, headers={**HX, "HX-Target": "quarters"})
    assert r.status_code == 200 and text(r).lstrip().startswith('<section class="card" id="quarters"')
    assert "data-place>季度已关闭" in text(r) and "2026年第2季度" in text(r)
    # a refused form: 422, the section alone with the message beside the field, what was typed kept
    r = unit.send(f"/contracts/{c.id}/reclaims", {"amount": "100", "reason": "重复计酬"},
                  headers={**HX, "HX-Target": "money"})
    body = text(r)
    assert r.status_code == 422 and body.lstrip().startswith('<section class="card" id="money"')
    assert field_error(body, "amount") and "重复计酬" in body and "data-place" not in body
    # the finance department opens an inspection: the section back, the message inside it
    r = login("finance_a").send(f"/contracts/{c.id}/inspections", {"reason_code": "audit", "text": "查付款凭证"},
                                headers={**HX, "HX-Target": "inspections"})
    assert r.status_code == 200 and text(r).lstrip().startswith('<section class="card" id="inspections"')
    assert "data-place>已决定检查，等待承接主体答复。</div>" in text(r) and "查付款凭证" in text(r)
    # the contractor answers it: the section back in place (its own view of the page)
    from models import Inspection

    i = db.session.scalar(db.select(Inspection).where(Inspection.contract_id == c.id))
    r = login("contractor_x").send(f"/inspections/{i.id}/advance", {"text": "凭证已整理备查"},
                                   headers={**HX, "HX-Target": "inspections"})
    assert r.status_code == 200 and text(r).lstrip().startswith('<section class="card" id="inspections"')
    assert "data-place>已记录。</div>" in text(r) and "凭证已整理备查" in text(r)
    r = login("contractor_x").send(f"/inspections/{i.id}/advance", {"text": "再答一次"})
    assert r.status_code in (403, 409)


def test_the_contractors_records_come_back_in_their_section_with_htmx(app, login):
    from datetime import date

    c = factories.make_contract("150203", factories.org("X"), start=date(2026, 1, 1))
    db.session.commit()
    cx = login("contractor_x")
    data = {"kind": "training", "held_on": "2026-11-20", "place": "昆都仑区司法局", "participants": "30",
            "content": "人民调解员业务培训"}
    r = cx.send(f"/contracts/{c.id}/deliverables", data, headers={**HX, "HX-Target": "deliverables"})
    body = text(r)
    assert r.status_code == 200 and body.lstrip().startswith('<section class="card" id="deliverables"')
    assert 'data-place>已记录。</div>' in body and "人民调解员业务培训" in body
    # the targets' figures come along out of band (a training counts towards them)
    assert '<section class="card" id="targets" hx-target="this" hx-swap="outerHTML" hx-swap-oob="true">' in body
    r = cx.send(f"/contracts/{c.id}/deliverables", {**data, "place": ""}, headers={**HX, "HX-Target": "deliverables"})
    assert r.status_code == 422 and field_error(text(r), "place") and "人民调解员业务培训" in text(r)
    # without htmx: the redirect to the section
    r = cx.send(f"/contracts/{c.id}/deliverables", data)
    assert r.status_code == 303 and r.headers["Location"].endswith("?done=deliverables#deliverables")


def test_acceptance_page_actions_keep_the_place(app, login):
    from datetime import date

    from models import Acceptance

    c = factories.make_contract("150203", factories.org("X"), start=date(2026, 1, 1))
    db.session.commit()
    unit = login("district_a")
    r = unit.send(f"/contracts/{c.id}/acceptances", {
        "kind": "final", "milestone_id": "0", "period_start": "2026-01-01", "period_end": "2026-11-27",
        "place": "区司法局会议室", "methods": ["documents", "system"]})
    assert r.status_code == 303
    a = db.session.scalar(db.select(Acceptance).where(Acceptance.contract_id == c.id))
    r = unit.send(f"/acceptances/{a.id}/members", {"name": "杨春梅", "unit_name": "昆都仑区司法局"})
    assert r.status_code == 303 and r.headers["Location"].endswith(f"/acceptances/{a.id}?done=members#members")
    body = text(unit.get(r.headers["Location"]))
    part = body[body.index('id="members"'):]
    assert "data-place>已添加成员。</div>" in part[:part.index("</section>")] and body.count("已添加成员。") == 1
    r = unit.send(f"/acceptances/{a.id}/problems", {"description": "值班不足", "required_fix": "补足人员",
                                                    "deadline": "2026-12-31"}, headers={**HX, "HX-Target": "problems"})
    assert r.status_code == 200 and text(r).lstrip().startswith('<section class="card" id="problems"')
    assert "data-place>已记录问题和整改要求。</div>" in text(r) and "值班不足" in text(r)
    r = unit.send(f"/acceptances/{a.id}/refresh", {}, headers={**HX, "HX-Target": "items"})
    assert r.status_code == 200 and text(r).lstrip().startswith('<section class="card" id="items"')
    assert "data-place>已按最新记录重新计算。</div>" in text(r)
    r = unit.send(f"/acceptances/{a.id}/members", {"name": "周卫东"}, headers={**HX, "HX-Target": "members"})
    assert r.status_code == 422 and field_error(text(r), "unit_name") and "周卫东" in text(r)


def test_the_units_own_contract_actions_with_htmx_bring_the_page_head_along(app, login):
    c = factories.make_contract("150203", factories.org("X"))
    db.session.commit()
    unit = login("district_a")
    r = unit.send(f"/contracts/{c.id}/publish", pub(), headers={**HX, "HX-Target": "deadlines"})
    body = text(r)
    assert r.status_code == 200 and body.lstrip().startswith('<section class="card" id="deadlines"')
    assert "data-place>合同已公告。</div>" in body and body.count("合同已公告。") == 1
    # the head out of band: the next step is now the filing, the publication date is shown
    head = body[body.index('<div id="contract-head" hx-swap-oob="true">'):]
    assert 'href="#step-filing">记录合同公告' not in head and 'href="#step-filing">记录报财政部门备案</a>' in head
    assert "未公告" not in head
    r = unit.send(f"/contracts/{c.id}/consents", {"part": "法治宣传资料印制", "subcontractor": "包头市某印刷厂"},
                  headers={**HX, "HX-Target": "amendments"})
    assert r.status_code == 200 and text(r).lstrip().startswith('<section class="card" id="amendments"')
    assert "data-place>已记录分包同意。</div>" in text(r) and "包头市某印刷厂" in text(r)
