"""Purchasing rules: who may take each step from which state, deadlines, failures, money limits, staffing."""
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from extensions import db
from models import DutyShift, NotAllowed, Procurement, PurchasePlan, RuleError, ServiceItem, WorkingDayOverride
from models import clock
from models.workdays import add_working_days
from tests import factories
from tests.helpers import row_counts, text, versioned
from tests.purchasing_helpers import bidders, deadline, draft_plan, intention, pub, published_plan


# ---- plans


def test_plan_steps_are_taken_only_by_the_right_role_from_the_right_state(login):
    unit, finance = login("district_a"), login("finance_a")
    plan = draft_plan(unit)
    assert finance.send(f"/plans/{plan.id}/submit").status_code == 403
    assert finance.send(f"/plans/{plan.id}/approve").status_code == 409  # still a draft
    assert unit.send(f"/plans/{plan.id}/approve").status_code == 403
    assert unit.send(f"/plans/{plan.id}/publish", pub()).status_code == 409
    assert login("city").send(f"/plans/{plan.id}/submit").status_code == 403  # the city reads, it does not act
    assert login("district_b").get(f"/plans/{plan.id}").status_code == 404
    assert login("contractor_x").get(f"/plans/{plan.id}").status_code == 403
    assert unit.send(f"/plans/{plan.id}/submit").status_code == 303
    assert plan.status == "finance_review"
    r = unit.send(f"/plans/{plan.id}/items", {"service_item_id": plan.items[0].service_item_id, "content": "x",
                                              "service_standard": "x", "quantity": "1", "unit_label": "年",
                                              "budget": "1.00", "target_requirements": "x"})
    assert r.status_code == 409
    r = finance.send(f"/plans/{plan.id}/return", {"reason": ""})
    assert r.status_code == 422 and plan.status == "finance_review"
    assert finance.send(f"/plans/{plan.id}/return", {"reason": "培训项目预算偏高"}).status_code == 303
    assert plan.status == "draft" and "培训项目预算偏高" in text(unit.get(f"/plans/{plan.id}"))
    assert unit.send(f"/plans/{plan.id}/submit").status_code == 303
    assert finance.send(f"/plans/{plan.id}/approve").status_code == 303
    assert finance.send(f"/plans/{plan.id}/approve").status_code == 409
    assert unit.send(f"/plans/{plan.id}/publish", pub(medium="")).status_code == 422
    assert unit.send(f"/plans/{plan.id}/publish", pub()).status_code == 303
    assert plan.status == "published"


def test_items_cannot_exceed_the_budget_to_the_fen(login):
    unit = login("district_a")
    plan = draft_plan(unit, budget="350000.00")
    assert plan.items_total == Decimal("350000.00")
    before = row_counts()
    r = unit.send(f"/plans/{plan.id}/items", {"service_item_id": plan.items[0].service_item_id, "content": "x",
                                              "service_standard": "x", "quantity": "1", "unit_label": "场",
                                              "budget": "0.01", "target_requirements": "x"})
    assert r.status_code == 422 and "超过批复预算" in text(r)
    assert row_counts() == before


def test_a_second_plan_for_the_same_year_is_refused(login):
    unit = login("district_a")
    draft_plan(unit)
    r = unit.send("/plans/", {"year": 2027, "budget_amount": "1"})
    assert r.status_code == 422 and "已存在" in text(r)


def test_submitting_needs_assessments_and_items(login):
    unit = login("district_a")
    r = unit.send("/plans/", {"year": 2028, "budget_amount": "1000"})
    plan = db.session.scalar(select(PurchasePlan).where(PurchasePlan.year == 2028))
    r = unit.send(f"/plans/{plan.id}/submit")
    assert r.status_code == 422 and plan.status == "draft"


# ---- procurements


def test_the_notice_waits_30_days_after_the_intention(login):
    plan, unit = published_plan(login)
    p = intention(unit, plan)
    unit.send(f"/procurements/{p.id}/prepare", versioned({"method": "open_tender", "bid_deadline": deadline(60).strftime("%Y-%m-%dT%H:%M"),
                                                "price_weight": "20", "criteria": "服务方案 50\n人员 30"}, p))
    assert p.status == "prepared" and p.method_approval is None
    clock.advance(days=29)
    r = unit.send(f"/procurements/{p.id}/notice", pub())
    assert r.status_code == 422 and "满 30 日" in text(r)
    clock.advance(days=1)
    assert unit.send(f"/procurements/{p.id}/notice", pub()).status_code == 303


def test_open_tender_needs_20_days_to_respond(login):
    plan, unit = published_plan(login)
    p = intention(unit, plan)
    clock.advance(days=31)
    unit.send(f"/procurements/{p.id}/prepare", versioned({"method": "open_tender", "bid_deadline": deadline(10).strftime("%Y-%m-%dT%H:%M"),
                                                "price_weight": "20", "criteria": "服务方案 80"}, p))
    r = unit.send(f"/procurements/{p.id}/notice", pub())
    assert r.status_code == 422 and "20 日" in text(r)


def test_price_weight_and_criteria_must_add_up(login):
    plan, unit = published_plan(login)
    p = intention(unit, plan)
    base = {"method": "open_tender", "bid_deadline": deadline().strftime("%Y-%m-%dT%H:%M")}
    r = unit.send(f"/procurements/{p.id}/prepare", versioned(dict(base, price_weight="40", criteria="方案 60"), p))
    assert r.status_code == 422 and "10 至 30" in text(r)
    r = unit.send(f"/procurements/{p.id}/prepare", versioned(dict(base, price_weight="20", criteria="方案 70"), p))
    assert r.status_code == 422 and "合计应为 100" in text(r)
    r = unit.send(f"/procurements/{p.id}/prepare", versioned(dict(base, price_weight="20", criteria="方案七十"), p))
    assert r.status_code == 422 and "格式应为" in text(r)
    r = unit.send(f"/procurements/{p.id}/prepare", versioned(dict(base, method="invited_tender", method_reason="少",
                                                        price_weight="20", criteria="方案 80"), p))
    assert r.status_code == 422 and "至少 3 家" in text(r)
    assert p.status == "planned"


def _open_tender_with_notice(login, method="open_tender", days=25):
    plan, unit = published_plan(login)
    p = intention(unit, plan)
    clock.advance(days=31)
    due = deadline(days)
    data = {"method": method, "method_reason": "服务需求明确", "bid_deadline": due.strftime("%Y-%m-%dT%H:%M"),
            "price_weight": "20", "criteria": "服务方案 80"}
    assert unit.send(f"/procurements/{p.id}/prepare", versioned(data, p)).status_code == 303
    if method != "open_tender":
        login("finance_a").send(f"/procurements/{p.id}/method-decision", {"decision": "approve", "note": "同意"})
    assert unit.send(f"/procurements/{p.id}/notice", pub()).status_code == 303
    return p, unit, due


def _bid(login, username, p, price):
    return login(username).send(f"/procurements/{p.id}/bids", {"price": price, "service_plan": factories.upload()},
                                content_type="multipart/form-data")


def test_an_open_tender_with_two_valid_bids_fails_and_a_new_one_follows(login):
    orgs = bidders(2)
    p, unit, due = _open_tender_with_notice(login)
    assert _bid(login, "contractor_x", p, "300000").status_code == 303
    assert _bid(login, "bidder2", p, "310000").status_code == 303
    clock.set_now(due + timedelta(minutes=1))
    assert unit.send(f"/procurements/{p.id}/open").status_code == 303
    assert p.status == "failed" and "不足 3 家" in p.failed_reason
    r = unit.send(f"/procurements/{p.id}/follow-up", pub(title="重新采购", summary="同前", expected_month="6"))
    assert r.status_code == 303
    successor = db.session.scalar(select(Procurement).where(Procurement.predecessor_id == p.id))
    assert successor.ocid != p.ocid and successor.status == "planned"
    assert [i.procurement_id for i in successor.plan_items] == [successor.id] * len(successor.plan_items)
    assert orgs  # two real bidders took part
    assert unit.send(f"/procurements/{p.id}/follow-up", pub(title="再次", summary="同前", expected_month="6")).status_code == 409


def test_competitive_consultation_may_go_on_with_two(login):
    bidders(2)
    p, unit, due = _open_tender_with_notice(login, "competitive_consultation", days=12)
    _bid(login, "contractor_x", p, "300000")
    _bid(login, "bidder2", p, "310000")
    clock.set_now(due + timedelta(minutes=1))
    unit.send(f"/procurements/{p.id}/open")
    assert p.status == "bids_open"


def test_late_bids_and_ineligible_bidders_are_refused(login):
    orgs = bidders(3)
    p, unit, due = _open_tender_with_notice(login)
    orgs[1].suspend(factories.user("district_a"), "inspection", "年报")
    orgs[2].bar(factories.user("district_a"), clock.today() + timedelta(days=90), "violation", "违约")
    db.session.commit()
    before = row_counts()
    r = _bid(login, "bidder2", p, "300000")
    assert r.status_code == 422 and "已暂停" in text(r)
    r = _bid(login, "bidder3", p, "300000")
    assert r.status_code == 422 and "禁止" in text(r)
    r = _bid(login, "contractor_x", p, "9999999")
    assert r.status_code == 422 and "超过采购预算" in text(r)
    assert row_counts() == before
    clock.set_now(due)
    r = _bid(login, "contractor_x", p, "300000")
    assert r.status_code == 422 and "截止" in text(r)
    assert row_counts() == before


def test_bids_stay_sealed_and_other_contractors_cannot_see_them(login):
    bidders(3)
    p, unit, due = _open_tender_with_notice(login)
    _bid(login, "contractor_x", p, "298765.43")
    bid = p.bids[0]
    assert unit.get(f"/procurements/{p.id}/bids/{bid.id}/plan").status_code == 403
    assert login("bidder2").get(f"/procurements/{p.id}/bids/{bid.id}/plan").status_code == 404
    assert login("contractor_x").get(f"/procurements/{p.id}/bids/{bid.id}/plan").status_code == 200
    assert "298,765.43" not in text(unit.get(f"/procurements/{p.id}"))
    assert "298,765.43" in text(login("contractor_x").get(f"/procurements/{p.id}"))


def test_single_source_is_published_for_objections_for_five_working_days(login):
    orgs = bidders(1)
    plan, unit = published_plan(login)
    p = intention(unit, plan)
    clock.set_now(datetime(2026, 11, 27, 9))  # a Friday
    p.intention_published_on = date(2026, 10, 1)
    db.session.commit()
    r = unit.send(f"/procurements/{p.id}/prepare", versioned({"method": "single_source", "method_reason": "原合同追加服务",
                                                    "bid_deadline": deadline(10).strftime("%Y-%m-%dT%H:%M"),
                                                    "supplier": str(orgs[0].id)}, p))
    assert r.status_code == 303, text(r)[:2000]
    login("finance_a").send(f"/procurements/{p.id}/method-decision", {"decision": "approve", "note": "同意"})
    assert unit.send(f"/procurements/{p.id}/notice", pub()).status_code == 303
    assert p.status == "objection" and p.objection_ends_on == date(2026, 12, 4)  # Mon-Fri after the weekend
    assert _bid(login, "contractor_x", p, "30000").status_code == 303
    bid = p.bids[0]
    clock.set_now(datetime(2026, 12, 4, 17))
    r = unit.send(f"/procurements/{p.id}/award", pub(bid_id=bid.id))
    assert r.status_code == 422 and "公示期" in text(r)
    clock.set_now(datetime(2026, 12, 5, 9))
    assert unit.send(f"/procurements/{p.id}/award", pub(bid_id=bid.id)).status_code == 303
    assert p.status == "awarded"
    assert orgs[0].name in text(login("contractor_y").get(f"/portal/procurements/{p.id}"))


def test_finance_may_refuse_a_method_with_a_reason(login):
    plan, unit = published_plan(login)
    p = intention(unit, plan)
    unit.send(f"/procurements/{p.id}/prepare", versioned({"method": "competitive_negotiation", "method_reason": "急需",
                                                "bid_deadline": deadline().strftime("%Y-%m-%dT%H:%M"),
                                                "price_weight": "20", "criteria": "方案 80"}, p))
    finance = login("finance_a")
    assert finance.send(f"/procurements/{p.id}/method-decision", {"decision": "reject", "note": ""}).status_code == 422
    assert login("district_a").send(f"/procurements/{p.id}/method-decision",
                                    {"decision": "approve", "note": "x"}).status_code == 403
    assert finance.send(f"/procurements/{p.id}/method-decision",
                        {"decision": "reject", "note": "不符合竞争性谈判的适用情形"}).status_code == 303
    assert p.method_approval == "rejected"


# ---- deadlines and the calendar


@pytest.mark.parametrize("start,n,due", [
    (date(2026, 11, 27), 2, date(2026, 12, 1)),   # Friday: the weekend does not count
    (date(2026, 9, 30), 2, date(2026, 10, 9)),    # National Day holiday, 1-7 October
    (date(2026, 10, 9), 1, date(2026, 10, 10)),   # Saturday 10 October is a swapped working day
    (date(2025, 12, 31), 1, date(2026, 1, 4)),    # New Year holiday, then the working Sunday
    (date(2026, 11, 27), 7, date(2026, 12, 8)),
])
def test_working_day_deadlines(app, start, n, due):
    assert add_working_days(start, n) == due


def test_an_admin_override_moves_a_deadline(login):
    assert add_working_days(date(2026, 11, 27), 2) == date(2026, 12, 1)
    r = login("admin").send("/admin/working-days", {"day": "2026-11-30", "is_working": "0", "note": "本地停工"})
    assert r.status_code == 303
    assert db.session.get(WorkingDayOverride, date(2026, 11, 30)).is_working is False
    assert add_working_days(date(2026, 11, 27), 2) == date(2026, 12, 2)


def test_contract_deadlines_are_shown_with_warnings(login):
    c = factories.make_contract("150203", factories.org("X"))
    c.signed_on = date(2026, 11, 27)
    db.session.commit()
    (label1, due1, done1), (label2, due2, done2) = c.deadlines()
    assert due1 == date(2026, 12, 1) and due2 == date(2026, 12, 8) and done1 is None
    clock.set_now(date(2026, 12, 2))
    assert "已逾期" in text(login("district_a").get(f"/contracts/{c.id}"))


# ---- contracts


def test_an_amendment_may_add_at_most_ten_percent(login):
    c = factories.make_contract("150203", factories.org("X"), amount="300000.00")
    db.session.commit()
    unit = login("district_a")
    r = unit.send(f"/contracts/{c.id}/amendments", versioned({"reason_code": "added_quantity", "amount": "330000.01"}, c))
    assert r.status_code == 422 and "10%" in text(r)
    r = unit.send(f"/contracts/{c.id}/amendments", versioned({"reason_code": "scope_change", "amount": "310000"}, c))
    assert r.status_code == 422
    assert unit.send(f"/contracts/{c.id}/amendments", versioned({"reason_code": "added_quantity", "amount": "330000.00",
                                                       "note": "追加 40 件"}, c)).status_code == 303
    assert c.amount == Decimal("330000.00") and c.version == 2
    a = c.amendments[0]
    assert a.changes["amount"] == {"old": "300000.00", "new": "330000.00"}
    assert login("contractor_x").send(f"/contracts/{c.id}/amendments", versioned({"reason_code": "error"}, c)).status_code == 403


def test_early_termination_is_kept_on_the_contractors_record(login):
    c = factories.make_contract("150203", factories.org("X"))
    db.session.commit()
    unit = login("district_a")
    assert unit.send(f"/contracts/{c.id}/terminate", {"reason_code": ""}).status_code == 422
    assert unit.send(f"/contracts/{c.id}/terminate", {"reason_code": "breach", "reason_text": "长期缺岗"}).status_code == 422
    assert unit.send(f"/contracts/{c.id}/terminate", {"reason_code": "breach", "reason_text": "长期缺岗",
                                                    "confirm": "y"}).status_code == 303
    assert c.status == "terminated"
    event = factories.org("X").events[-1]
    assert event.kind == "contract_terminated" and c.number in event.reason_text
    assert unit.send(f"/contracts/{c.id}/terminate", {"reason_code": "breach"}).status_code == 409


def test_subcontracting_consent_is_recorded(login):
    c = factories.make_contract("150203", factories.org("X"))
    db.session.commit()
    r = login("district_a").send(f"/contracts/{c.id}/consents", {"part": "法治宣传资料印制", "subcontractor": "包头市某印刷厂"})
    assert r.status_code == 303 and c.consents[0].approved_by_id == factories.user("district_a").id


def test_staffing_check_on_a_month(login):
    """November 2026: the 2nd is good, the 3rd short, the 4th has a one-person shift; other days no record."""
    x = factories.org("X")
    c = factories.make_contract("150203", x, start=date(2026, 11, 1))
    from models import StaffMember

    second = StaffMember(contractor=x, name="王二", id_number="150203199001010010", profession="mediator", phone="1")
    db.session.add(second)
    db.session.flush()
    both = [x.staff[0], second]
    c.shifts = [
        DutyShift(day=date(2026, 11, 2), start=time(8, 30), end=time(12, 30), staff=both),
        DutyShift(day=date(2026, 11, 2), start=time(12, 0), end=time(17, 30), staff=both),
        DutyShift(day=date(2026, 11, 3), start=time(9, 0), end=time(15, 0), staff=both),
        DutyShift(day=date(2026, 11, 4), start=time(8, 30), end=time(12, 30), staff=both),
        DutyShift(day=date(2026, 11, 4), start=time(12, 30), end=time(17, 0), staff=[second]),
    ]
    db.session.commit()
    clock.set_now(date(2026, 11, 4))
    rows = {r["day"]: r for r in c.staffing(2026, 11)}
    assert rows[date(2026, 11, 2)]["ok"] and rows[date(2026, 11, 2)]["hours"] == 9.0
    assert not rows[date(2026, 11, 3)]["ok"] and "不足 8 小时" in rows[date(2026, 11, 3)]["problems"][0]
    assert not rows[date(2026, 11, 4)]["ok"] and rows[date(2026, 11, 4)]["min_staff"] == 1
    assert date(2026, 11, 1) not in rows  # a Sunday
    page = text(login("district_a").get(f"/contracts/{c.id}?month=2026-11"))
    assert "未达标 2 天" in page and "有班次不足 2 人" in page


def test_contractor_records_shifts_and_deliverables(login):
    c = factories.make_contract("150203", factories.org("X"), start=date(2026, 11, 1))
    db.session.commit()
    cx = login("contractor_x")
    staff_id = factories.org("X").staff[0].id
    r = cx.send(f"/contracts/{c.id}/shifts", {"day": "2026-11-20", "start": "09:00", "end": "08:00", "staff": [staff_id]})
    assert r.status_code == 422 and "晚于开始时间" in text(r)
    r = cx.send(f"/contracts/{c.id}/shifts", {"day": "2026-11-20", "start": "08:30", "end": "17:30", "staff": [staff_id]})
    assert r.status_code == 303 and len(c.shifts) == 1
    r = cx.send(f"/contracts/{c.id}/deliverables", {"kind": "training", "held_on": "2026-11-20", "place": "区司法局会议室",
                                                    "participants": "35", "content": "调解技巧培训 & <案例>",
                                                    "attachment": factories.upload(factories.PNG, "签到.png")},
                content_type="multipart/form-data")
    assert r.status_code == 303 and c.deliverables[0].attachment.content_type == "image/png"
    assert login("district_a").get(f"/contracts/{c.id}/deliverables/{c.deliverables[0].id}/attachment").status_code == 200
    assert login("contractor_y").get(f"/contracts/{c.id}/deliverables/{c.deliverables[0].id}/attachment").status_code == 404
    assert login("district_a").send(f"/contracts/{c.id}/shifts", {"day": "2026-11-20"}).status_code == 403


def test_money_overview_flags_overdue_instalments(app):
    c = factories.make_contract("150203", factories.org("X"), amount="100000.00", start=date(2026, 9, 1))
    first = c.instalments[0]
    first.milestone.status, first.milestone.status_on = "met", date(2026, 10, 1)
    db.session.commit()
    clock.set_now(date(2026, 10, 31))
    assert c.money_overview()["payable"] == Decimal("50000.00") and c.money_overview()["overdue"] == 0
    clock.set_now(date(2026, 11, 1))
    assert c.money_overview()["overdue"] == Decimal("50000.00")


# ---- catalogue and portal


def test_the_city_adds_catalogue_items(login):
    r = login("city").send("/admin/catalogue", {"code": "M8", "category": "mediation", "name": "行业性专业性调解",
                                                "default_standard": "每日 8 小时"})
    assert r.status_code == 303
    assert db.session.scalar(select(ServiceItem).where(ServiceItem.code == "M8"))
    assert login("district_a").send("/admin/catalogue", {"code": "M9"}).status_code == 403
    assert login("city").send("/admin/catalogue", {"code": "M8", "category": "mediation", "name": "x",
                                                   "default_standard": "x"}).status_code == 422


def test_the_portal_shows_published_items_only_to_anyone(client, login):
    unit = login("district_a")
    draft = draft_plan(unit, year=2029, items=(("M3", "1000.00"),))
    plan, _ = published_plan(login)
    page = text(client.get("/portal/"))
    assert "2027 年度购买计划" in page and "2029 年度购买计划" not in page
    assert client.get(f"/portal/plans/{draft.id}").status_code == 404
    detail = text(client.get(f"/portal/plans/{plan.id}"))
    assert "M5 服务内容 &amp; &lt;说明&gt;" in detail
    c = factories.make_contract("150203", factories.org("X"))
    db.session.commit()
    assert c.number not in text(client.get("/portal/"))
    c.published_on = clock.today()
    db.session.commit()
    assert c.number in text(client.get("/portal/"))
    assert "login" not in client.get("/portal/").headers.get("Location", "")


def test_model_rules_raise_domain_errors(app):
    plan = PurchasePlan(unit_id=factories.unit("150203").id, year=2030, budget_amount=Decimal(10), status="draft",
                        needs_assessment="", affordability_notes="")
    with pytest.raises(NotAllowed):
        plan.submit(factories.user("district_b"))
    with pytest.raises(RuleError):
        plan.submit(factories.user("district_a"))


def test_the_dashboard_flags_overdue_instalments_to_the_unit_and_its_finance(login):
    c = factories.make_contract("150203", factories.org("X"), amount="100000.00", start=date(2026, 9, 1))
    first = c.instalments[0]
    first.milestone.status, first.milestone.status_on = "met", date(2026, 10, 1)
    c.published_on = c.filed_on = date(2026, 9, 1)
    db.session.commit()
    for user in ("district_a", "finance_a"):
        page = text(login(user).get("/"))
        assert "逾期未付" in page and c.number in page and "50,000.00" in page
    assert c.number not in text(login("district_b").get("/"))


def test_finance_sees_what_waits_for_its_review(login):
    unit = login("district_a")
    plan = draft_plan(unit)
    unit.send(f"/plans/{plan.id}/submit")
    assert "待审核购买计划" in text(login("finance_a").get("/"))
