"""Evaluation over HTTP: the unit, the contractor and the evaluator; window, de-identification, logging,
refusals, finality, the report, and where grades show (contractor page, bids, next year's plan)."""
import re
from datetime import date, time, timedelta
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from demo.helpers import make_uscc
from extensions import db
from models import AuditLog, ContractTarget, DutyShift, Evaluation, EvaluationBody, IndicatorSet, StaffMember, User
from models.evaluation import GRADES
from models import clock
from models.workdays import working_days_between
from tests import factories
from tests.docs import docx_text, to_pdf
from tests.helpers import text, versioned
from tests.mediation_factories import make_case, party

TODAY = date(2026, 11, 27)
START = date(2026, 9, 1)
PERIOD = (date(2026, 9, 1), date(2026, 10, 31))
SECRET_PHONE = "13911112222"


def _staff_every_day(c, start, end):
    x = factories.org("X")
    second = StaffMember(contractor=x, name="王二", id_number="150203199001010010", profession="mediator", phone="1")
    db.session.add(second)
    for day in working_days_between(start, end):
        c.shifts.append(DutyShift(day=day, start=time(8, 30), end=time(17, 0), staff=[x.staff[0], second]))


@pytest.fixture
def contract(app):
    clock.set_now(TODAY)
    c = factories.make_contract("150203", factories.org("X"), amount="120000.00", start=START)
    c.targets.append(ContractTarget(measure="cases_received", target=D(4)))
    _staff_every_day(c, *PERIOD)
    make_case(received_on=date(2026, 9, 2), contract=c, state="written", concluded_on=date(2026, 9, 20),
              parties=[party(name="甄秘密", phone=SECRET_PHONE, address="秘密路 9 号", id_number="150203199001010010"),
                       party("respondent", "钱不愿", phone="13933334444", contact_ok=False)])
    make_case(received_on=date(2026, 9, 3), contract=c, state="failed", concluded_on=date(2026, 9, 25))
    db.session.commit()
    return c


def _open(client, c):
    r = client.send(f"/contracts/{c.id}/evaluations", {"period_start": PERIOD[0].isoformat(),
                                                       "period_end": PERIOD[1].isoformat()})
    assert r.status_code == 303, text(r)
    return db.session.scalar(select(Evaluation).where(Evaluation.contract_id == c.id))


def _assign(client, e, start=TODAY, end=TODAY + timedelta(days=14)):
    body = db.session.scalar(select(EvaluationBody))
    return client.send(f"/evaluations/{e.id}/assign", {"body_id": str(body.id), "window_start": start.isoformat(),
                                                       "window_end": end.isoformat()})


def _points(e, value):
    """Every judged item at `value` × its weight."""
    return {f"item_{i.id}": str((i.weight * value).quantize(D("0.01"))) for i in e.judged_items()}


def test_the_whole_evaluation_worked_by_hand(contract, login):
    unit, org, ev = login("district_a"), login("contractor_x"), login("evaluator")
    e = _open(unit, contract)
    # measured: received 2 of target 4 (10 pts -> 5.00); success rate 50 % of 95 (6 -> 3.16);
    # staffing 100 % of 100 (5 -> 5.00); in-time 100 % of 95 (10 -> 10.00); complete file 0 % (4 -> 0);
    # follow-up 0 of 1 agreement -> 0; complete file 0 -> 0; fulfilment has no data -> judged instead
    by = {i.name: i for i in e.items}
    assert (by["受理纠纷数量"].kind, by["受理纠纷数量"].points) == ("measure", D("5.00"))
    assert by["调解成功率"].actual == D("50.0") and by["调解成功率"].points == D("3.16")
    assert by["人员配备达标"].points == D("5.00") and by["一个月内按期结案率"].points == D("10.00")
    measured = sum(i.points for i in e.items if i.kind == "measure")
    judged_weight = sum(i.weight for i in e.judged_items())
    assert sum(i.weight for i in e.items if i.kind == "measure") + judged_weight == 100
    assert (measured, judged_weight) == (D("23.16"), D(60))  # 5 + 5 + 3.16 + 10; follow-up and file: 0
    assert by["协议履行率"].kind == "judged" and "无该项数据" in by["协议履行率"].note
    assert e.veto_staffing is False and e.staffing_broken_pct == 0
    assert _assign(unit, e).status_code == 303
    # the evaluator finds it in its space and scores every judged item in full
    assert f"/evaluator/evaluations/{e.id}" in text(ev.get("/evaluator/"))
    r = ev.send(f"/evaluator/evaluations/{e.id}/scores", _points(e, D(1)))
    assert r.status_code == 303, text(r)
    assert org.send(f"/evaluations/{e.id}/scores", _points(e, D(1))).status_code == 303
    assert unit.send(f"/evaluations/{e.id}/scores", _points(e, D("0.5"))).status_code == 303
    r = unit.send(f"/evaluations/{e.id}/complete", {"conclusion": "总体良好 & <继续>"})
    assert r.status_code == 303, text(r)
    db.session.refresh(e)
    # third = self = 23.16 + 60 = 83.16; unit = 23.16 + 30 = 53.16
    # 0.5 × 83.16 + 0.3 × 53.16 + 0.2 × 83.16 = 41.58 + 15.948 + 16.632 = 74.16 -> fair
    assert (e.third_score, e.unit_score, e.self_score) == (D("83.16"), D("53.16"), D("83.16"))
    assert e.state == "completed" and e.score == D("74.16") and e.grade == "fair" and e.completed_at is not None
    page = text(unit.get(f"/evaluations/{e.id}"))
    assert GRADES[e.grade] in page and "总体良好 &amp; &lt;继续&gt;" in page
    # final: no side may change anything
    assert ev.send(f"/evaluator/evaluations/{e.id}/scores", _points(e, D(0))).status_code == 409
    assert unit.send(f"/evaluations/{e.id}/complete", {"conclusion": "再来"}).status_code == 409
    assert unit.send(f"/evaluations/{e.id}/shares", {"share_third": "100", "share_unit": "0",
                                                     "share_self": "0"}).status_code == 409
    # the report
    r = unit.get(f"/evaluations/{e.id}/document")
    assert r.status_code == 200
    body = docx_text(r.data)
    for fragment in ("政府购买服务绩效评价报告", contract.number, "和润调解中心", f"综合得分{e.score.normalize():f}分",
                     GRADES[e.grade], "总体良好 & <继续>", "第三方评价机构", "正衡评估", "调解成功率", "无否决事项"):
        assert fragment in body, fragment
    assert to_pdf(r.data).startswith(b"%PDF")
    # the contractor's page shows the grade
    assert GRADES[e.grade] in text(unit.get(f"/contractors/{contract.contractor_id}"))


def test_the_evaluator_sees_only_assigned_evaluations_within_the_window(contract, login, app):
    unit, ev = login("district_a"), login("evaluator")
    e = _open(unit, contract)
    assert ev.get(f"/evaluator/evaluations/{e.id}").status_code == 404  # not assigned yet
    assert _assign(unit, e, TODAY + timedelta(days=1), TODAY + timedelta(days=10)).status_code == 303
    assert ev.get(f"/evaluator/evaluations/{e.id}").status_code == 404  # window not open yet
    assert f"/evaluator/evaluations/{e.id}" not in text(ev.get("/evaluator/"))
    clock.set_now(TODAY + timedelta(days=1))
    ev = login("evaluator")  # sessions expire when idle (the clock jumps): sign in again
    assert ev.get(f"/evaluator/evaluations/{e.id}").status_code == 200
    clock.set_now(TODAY + timedelta(days=11))
    ev = login("evaluator")
    assert ev.get(f"/evaluator/evaluations/{e.id}").status_code == 404  # window closed
    assert ev.send(f"/evaluator/evaluations/{e.id}/scores", _points(e, D(1))).status_code == 404
    clock.set_now(TODAY + timedelta(days=5))
    ev = login("evaluator")
    # an evaluator of another body sees nothing of it
    other = EvaluationBody(name="另一评估所", uscc=make_uscc("91150200MA0Q00904"), contact_name="李", contact_phone="1")
    db.session.add(other)
    db.session.flush()
    u = User(username="evaluator2", display_name="e2", role="evaluator", evaluation_body_id=other.id)
    u.set_password(factories.PASSWORD)
    db.session.add(u)
    db.session.commit()
    ev2 = login("evaluator2")
    assert ev2.get(f"/evaluator/evaluations/{e.id}").status_code == 404
    assert ev2.get(f"/evaluator/evaluations/{e.id}/samples/{e.samples[0].id}").status_code == 404
    # and the evaluator never reaches the records themselves
    case_id = e.samples[0].case_id
    assert ev.get(f"/mediation/{case_id}").status_code in (403, 404)


def test_sample_is_logged_and_deidentified_and_each_reveal_is_logged(contract, login):
    unit, ev = login("district_a"), login("evaluator")
    e = _open(unit, contract)
    assert _assign(unit, e).status_code == 303
    db.session.refresh(e)
    assert len(e.samples) == 2 and {s.kind for s in e.samples} == {"case"}
    drawn = db.session.scalars(select(AuditLog).where(AuditLog.action == "evaluation_sample",
                                                      AuditLog.record_id == e.id)).all()
    assert len(drawn) == 1 and drawn[0].username == "district_a" and "cases=" in drawn[0].detail
    sample = next(s for s in e.samples if s.case.parties[0].name == "甄秘密")
    url = f"/evaluator/evaluations/{e.id}/samples/{sample.id}"
    page = text(ev.get(url))
    for secret in ("甄秘密", "钱不愿", SECRET_PHONE, "13933334444", "秘密路", "150203199001010010",
                   sample.case.number, "邻居装修漏水"):
        assert secret not in page, secret
    assert "申请人" in page and "未同意回访" in page
    # reveal the consenting party's phone: shown once, logged
    r = ev.send(f"{url}/reveal/1")
    assert r.status_code == 200 and SECRET_PHONE in text(r) and "13933334444" not in text(r)
    r = ev.send(f"{url}/reveal/1")
    reveals = db.session.scalars(select(AuditLog).where(AuditLog.action == "reveal_phone")).all()
    assert len(reveals) == 2 and all(a.username == "evaluator" and a.record_type == "mediation_party" for a in reveals)
    assert all(SECRET_PHONE not in (a.detail or "") for a in reveals)
    # the party who did not agree: refused, nothing logged
    r = ev.send(f"{url}/reveal/2")
    assert r.status_code == 403
    assert len(db.session.scalars(select(AuditLog).where(AuditLog.action == "reveal_phone")).all()) == 2
    # the survey answer
    r = ev.send(f"{url}/survey", {"surveyed_on": TODAY.isoformat(), "reached": "yes", "satisfaction": "satisfied",
                                  "answers": "对调解员态度满意"})
    assert r.status_code == 303, text(r)
    db.session.refresh(sample)
    assert sample.satisfaction == "satisfied" and sample.surveyed_by_id == factories.user("evaluator").id
    r = ev.send(f"{url}/survey", {"surveyed_on": TODAY.isoformat(), "reached": "yes"})
    assert r.status_code == 422 and "请选择满意程度" in text(r)


def test_subject_sample_reveal_needs_the_subjects_consent(contract, login):
    from tests.rehab_factories import subject

    a = factories.make_contract("150203", factories.org("X"), category="assistance", start=START)
    yes = subject(contract=a, phone="13855556666")
    yes.contact_ok = True
    db.session.commit()
    unit, ev = login("district_a"), login("evaluator")
    r = unit.send(f"/contracts/{a.id}/evaluations", {"period_start": PERIOD[0].isoformat(),
                                                     "period_end": PERIOD[1].isoformat()})
    assert r.status_code == 303, text(r)
    e = db.session.scalar(select(Evaluation).where(Evaluation.contract_id == a.id))
    assert _assign(unit, e).status_code == 303
    s = e.samples[0]
    url = f"/evaluator/evaluations/{e.id}/samples/{s.id}"
    page = text(ev.get(url))
    assert yes.name not in page and "13855556666" not in page and yes.id_number not in page
    assert "13855556666" in text(ev.send(f"{url}/reveal/1"))
    yes.contact_ok = False
    db.session.commit()
    assert ev.send(f"{url}/reveal/1").status_code == 403


def test_refusals(contract, login):
    unit, org, ev = login("district_a"), login("contractor_x"), login("evaluator")
    e = _open(unit, contract)
    # a second open evaluation of the same contract: 409; a period outside the contract: 422
    assert unit.send(f"/contracts/{contract.id}/evaluations", {"period_start": "2026-11-01",
                                                               "period_end": "2026-11-20"}).status_code == 409
    # shares must add up to 100
    r = unit.send(f"/evaluations/{e.id}/shares", {"share_third": "50", "share_unit": "30", "share_self": "30"})
    assert r.status_code == 422 and "之和须为 100%" in text(r)
    # scores within 0..weight, all judged items
    item = e.judged_items()[0]
    bad = _points(e, D(1))
    bad[f"item_{item.id}"] = str(item.weight + 1)
    assert org.send(f"/evaluations/{e.id}/scores", bad).status_code == 422
    assert org.send(f"/evaluations/{e.id}/scores", {}).status_code == 422
    # a veto needs its facts written down
    r = unit.send(f"/evaluations/{e.id}/vetoes", {"veto_privacy": "y"})
    assert r.status_code == 422 and "事实和依据" in text(r)
    # the window must not end in the past; the evaluator cannot score before being assigned
    assert _assign(unit, e, TODAY - timedelta(days=10), TODAY - timedelta(days=1)).status_code == 422
    assert ev.send(f"/evaluator/evaluations/{e.id}/scores", _points(e, D(1))).status_code == 404
    # completion needs every side with a share
    r = unit.send(f"/evaluations/{e.id}/complete", {"conclusion": "结论"})
    assert r.status_code == 422 and "尚未提交评分" in text(r)
    # the contractor cannot act for the unit; the other unit cannot see it
    assert org.send(f"/evaluations/{e.id}/complete", {"conclusion": "x"}).status_code == 403
    assert login("district_b").get(f"/evaluations/{e.id}").status_code == 404
    db.session.refresh(e)
    assert e.state == "open" and e.share_self == 20 and not e.veto_privacy


def test_a_veto_caps_the_score_and_a_poor_grade_proposes_exit(contract, login):
    unit, org = login("district_a"), login("contractor_x")
    e = _open(unit, contract)
    # only the unit and the contractor score: shares 0 / 60 / 40
    assert unit.send(f"/evaluations/{e.id}/shares", {"share_third": "0", "share_unit": "60",
                                                     "share_self": "40"}).status_code == 303
    assert unit.send(f"/evaluations/{e.id}/scores", _points(e, D(1))).status_code == 303
    assert org.send(f"/evaluations/{e.id}/scores", _points(e, D(1))).status_code == 303
    assert unit.send(f"/evaluations/{e.id}/vetoes", {"veto_privacy": "y", "veto_note": "泄露当事人电话，已查实"}
                     ).status_code == 303
    assert unit.send(f"/evaluations/{e.id}/complete", {"conclusion": "否决"}).status_code == 303
    db.session.refresh(e)
    assert e.raw_score > 59 and e.score == D("59.00") and e.grade == "poor"
    page = text(unit.get(f"/contractors/{contract.contractor_id}"))
    assert "建议启动退出机制" in page and 'id="exit"' in page
    # a proposal only: the contractor is not suspended
    assert factories.org("X").status == "approved"
    assert "建议启动退出机制" in text(unit.get(f"/evaluations/{e.id}"))
    assert "否决" in docx_text(unit.get(f"/evaluations/{e.id}/document").data)


def test_staffing_broken_on_more_than_a_tenth_of_working_days_is_a_veto(app):
    clock.set_now(TODAY)
    c = factories.make_contract("150203", factories.org("X"), start=START)
    # September 2026 has 22 working days: staffed on 19 (3 broken = 13.6 %) -> veto; on 20 (2 = 9.1 %) -> none
    days = working_days_between(date(2026, 9, 1), date(2026, 9, 30))
    assert len(days) == 22
    x = factories.org("X")
    second = StaffMember(contractor=x, name="王二", id_number="150203199001010010", profession="mediator", phone="1")
    db.session.add(second)
    for day in days[3:]:
        c.shifts.append(DutyShift(day=day, start=time(8, 30), end=time(17, 0), staff=[x.staff[0], second]))
    db.session.flush()
    e = Evaluation.open(factories.user("district_a"), c, date(2026, 9, 1), date(2026, 9, 30))
    assert e.staffing_broken_pct == D("13.6") and e.veto_staffing and e.vetoes == ["staffing"]
    c.shifts.append(DutyShift(day=days[0], start=time(8, 30), end=time(17, 0), staff=[x.staff[0], second]))
    db.session.flush()
    e.refresh()
    assert e.staffing_broken_pct == D("9.1") and not e.veto_staffing


def test_city_keeps_the_indicator_sets(app, login):
    city, unit = login("city"), login("district_a")
    s = IndicatorSet.for_category("mediation")
    db.session.commit()
    item = next(i for i in s.indicators if i.name == "调解成功率")
    url = f"/indicator-sets/mediation/indicators/{item.id}"
    data = {f"i{item.id}-{k}": v for k, v in {"name": "调解成功率", "weight": "6", "kind": "measure",
                                              "measure": "success_rate", "target": "90", "direction": "higher"}.items()}
    assert unit.send(url, data).status_code == 403
    assert "调解成功率" in text(unit.get("/indicator-sets/mediation"))
    r = city.send(url, data)
    assert r.status_code == 303, text(r)
    db.session.refresh(item)
    assert item.target == 90 and s.version == 2
    # moving weight out of output (quality 20 -> 9) breaks the totals: refused, nothing written
    bad = dict(data, **{f"i{item.id}-weight": "0"})
    r = city.send(url, bad)
    assert r.status_code == 422 and "100" in text(r)
    db.session.refresh(item)
    assert item.weight == 6
    # an evaluation opened earlier keeps its own copy
    assert "第 2 版" in text(city.get("/indicator-sets/mediation"))


def test_grades_show_beside_bids_and_next_years_plan_items(contract, login):
    from models import Bid, PlanItem, PurchasePlan, ServiceItem

    unit = login("district_a")
    e = Evaluation.open(factories.user("district_a"), contract, *PERIOD)
    for side in ("third", "unit", "self"):
        for i in e.judged_items():
            from models.evaluation import EvaluationScore

            i.scores.append(EvaluationScore(evaluation=e, side=side, points=i.weight))
        setattr(e, f"{side}_submitted_at", clock.now())
    e.complete(factories.user("district_a"), "好")
    db.session.commit()
    # a new procurement X bids in
    other = factories.make_contract("150203", factories.org("Y"), start=date(2026, 10, 1))
    proc = other.procurement
    proc.bids.append(Bid(contractor=factories.org("X"), price=D(1), submitted_at=clock.now()))
    db.session.commit()
    page = text(unit.get(f"/procurements/{proc.id}"))
    assert f"{GRADES[e.grade]} {e.score}" in page
    # next year's plan, an item of the same service
    plan = PurchasePlan(unit_id=contract.unit_id, year=2027, budget_amount=D(100000), needs_assessment="需求",
                        affordability_notes="可承受")
    plan.items.append(PlanItem(service_item=db.session.scalar(select(ServiceItem).where(ServiceItem.code == "M5")),
                               content="续购", service_standard="标准", quantity=D(1), unit_label="年",
                               budget=D(1000), target_requirements="目标"))
    db.session.add(plan)
    db.session.commit()
    page = text(unit.get(f"/plans/{plan.id}"))
    cell = re.search(r'<td class="last-year-grade">(.*?)</td>', page, re.S).group(1)
    assert GRADES[e.grade] in cell and "和润调解中心" in cell


def test_the_unit_records_a_subjects_consent_to_a_call_back(app, login):
    from tests.rehab_factories import subject

    s = subject()
    db.session.commit()
    assert s.contact_ok is False
    unit = login("district_a")
    assert "同意接受第三方评价机构回访" in text(unit.get(f"/rehabilitation/{s.id}/forms/situation"))  # loaded on demand
    r = unit.send(f"/rehabilitation/{s.id}/situation", versioned({"resettlement": "employed", "contact_ok": "y"}, s))
    assert r.status_code == 303, text(r)
    db.session.refresh(s)
    assert s.contact_ok is True and s.resettlement == "employed"
