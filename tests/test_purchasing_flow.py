"""A purchase from plan to signed, part-paid contract over HTTP, with the documents."""
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from extensions import db
from models import Contract, Publication
from models import clock
from tests import factories
from tests.docs import docx_text, to_pdf
from tests.helpers import row_counts, text, versioned
from tests.purchasing_helpers import bidders, deadline, intention, pub, published_plan

BIDDERS = {0: "contractor_x", 1: "bidder2", 2: "bidder3"}


def _invited_tender_to_award(login):
    plan, unit = published_plan(login)
    p = intention(unit, plan)
    assert p.status == "planned" and p.ocid.startswith("ocds-fq0000-150203-2027-")
    orgs = bidders(3)
    clock.advance(days=31)
    due = deadline()
    r = unit.send(f"/procurements/{p.id}/prepare", versioned({
        "method": "invited_tender", "method_reason": "具备资质的机构较少", "bid_deadline": due.strftime("%Y-%m-%dT%H:%M"),
        "price_weight": "30", "criteria": "服务方案 40\n人员配备 30", "invitees": [str(o.id) for o in orgs]}, p))
    assert r.status_code == 303, text(r)[:3000]
    assert p.method_approval == "pending"
    r = unit.send(f"/procurements/{p.id}/notice", pub())
    assert r.status_code == 422 and "财政部门批准" in text(r)
    assert login("finance_a").send(f"/procurements/{p.id}/method-decision",
                                   {"decision": "approve", "note": "同意邀请招标"}).status_code == 303
    assert unit.send(f"/procurements/{p.id}/notice", pub()).status_code == 303
    prices = ["300000.00", "280000.00", "350000.00"]
    for n, org in enumerate(orgs):
        c = login(BIDDERS[n])
        r = c.send(f"/procurements/{p.id}/bids", {"price": prices[n], "service_plan": factories.upload(name="方案.pdf")},
                   content_type="multipart/form-data")
        assert r.status_code == 303, text(r)[:3000]
    clock.set_now(due + timedelta(minutes=1))
    assert unit.send(f"/procurements/{p.id}/open").status_code == 303
    assert p.status == "bids_open"
    crit = {c.name: c.id for c in p.criteria}
    marks = {0: (35, 25), 1: (30, 20), 2: (38, 28)}
    for member in ("专家甲", "专家乙", "专家丙"):
        for n, bid in enumerate(p.bids):
            plan_score, staff_score = marks[n]
            r = unit.send(f"/procurements/{p.id}/scores", {"bid_id": bid.id, "member": member,
                                                           f"score_{crit['服务方案']}": plan_score,
                                                           f"score_{crit['人员配备']}": staff_score})
            assert r.status_code == 303, text(r)[:2000]
    assert unit.send(f"/procurements/{p.id}/evaluate").status_code == 303
    return p, unit, orgs


def test_price_scores_and_award_on_a_hand_worked_example(login):
    p, unit, orgs = _invited_tender_to_award(login)
    bids = {b.contractor_id: b for b in p.bids}
    # lowest valid price 280000; price weight 30
    # X: 280000/300000*30 = 28.00, other 35+25 = 60 -> 88.00
    # 2: 30.00 + 50 = 80.00;  3: 280000/350000*30 = 24.00 + 66 = 90.00
    assert bids[orgs[0].id].price_score == Decimal("28.00") and bids[orgs[0].id].total_score == Decimal("88.00")
    assert bids[orgs[1].id].price_score == Decimal("30.00") and bids[orgs[1].id].total_score == Decimal("80.00")
    assert bids[orgs[2].id].price_score == Decimal("24.00") and bids[orgs[2].id].total_score == Decimal("90.00")
    assert [bids[o.id].rank for o in orgs] == [2, 3, 1]
    winner = bids[orgs[2].id]
    assert unit.send(f"/procurements/{p.id}/award", pub(bid_id=winner.id)).status_code == 303
    assert p.status == "awarded" and p.award_amount == Decimal("350000.00")
    assert [x.kind for x in p.publications] == ["intention", "notice", "award"]


def _sign(unit, p, **overrides):
    page = text(unit.get(f"/contracts/new?procurement={p.id}"))
    assert "签订合同" in page
    today = clock.today()
    data = {"procurement": p.id, "title": "2027 年人民调解服务合同 & <昆都仑>", "subject": "矛盾纠纷调解服务",
            "scope": "昆都仑区辖区内的经济、民事和商事纠纷", "quantities": "全年调解纠纷不少于 400 件",
            "quality_requirements": "调解成功率不低于 95%", "place_and_manner": "驻点服务",
            "acceptance_requirements": "逐项验收", "rights_obligations": "按约定", "breach_liability": "限期整改",
            "dispute_resolution": "协商；诉讼", "period_start": today.isoformat(),
            "period_end": (today + timedelta(days=364)).isoformat(), "signed_on": today.isoformat(),
            "milestones-0-title": "首期", "milestones-0-kind": "payment", "milestones-0-due_on": today.isoformat(),
            "milestones-0-amount": "105000.00",
            "milestones-1-title": "中期考核", "milestones-1-kind": "assessment",
            "milestones-1-due_on": (today + timedelta(days=180)).isoformat(), "milestones-1-amount": "105000.00",
            "milestones-2-title": "终期验收", "milestones-2-kind": "acceptance",
            "milestones-2-due_on": (today + timedelta(days=364)).isoformat(), "milestones-2-amount": "140000.00",
            "milestones-2-final": "y"}
    data.update(overrides)
    return unit.send("/contracts/", data)


def test_contract_payment_and_document(login):
    p, unit, orgs = _invited_tender_to_award(login)
    winner = next(b for b in p.bids if b.rank == 1)
    unit.send(f"/procurements/{p.id}/award", pub(bid_id=winner.id))
    before = row_counts()
    r = _sign(unit, p, **{"milestones-2-amount": "100000.00"})
    assert r.status_code == 422 and "应等于合同金额" in text(r)
    assert row_counts() == before
    r = _sign(unit, p)
    assert r.status_code == 303, text(r)[:3000]
    c = db.session.scalar(select(Contract).where(Contract.procurement_id == p.id))
    assert c.number == f"包昆司购〔{clock.today().year}〕1号" and c.amount == Decimal("350000.00")
    assert p.status == "contracted" and c.state == "in_performance"
    # the final instalment waits for acceptance; an instalment waits for its milestone
    first, second, final = c.instalments
    r = unit.send(f"/contracts/{c.id}/payments", {"instalment_id": first.id, "paid_on": clock.today().isoformat(),
                                                  "amount": "105000.00", "voucher": "记-001"})
    assert r.status_code == 422 and "尚未完成" in text(r)
    m = first.milestone
    assert unit.send(f"/contracts/{c.id}/milestones/{m.id}", versioned({"status": "met", "status_on": clock.today().isoformat()}, m)).status_code == 303
    r = unit.send(f"/contracts/{c.id}/payments", {"instalment_id": first.id, "paid_on": clock.today().isoformat(),
                                                  "amount": "105000.01", "voucher": "记-001"})
    assert r.status_code == 422 and "超过" in text(r)
    assert unit.send(f"/contracts/{c.id}/payments", {"instalment_id": first.id, "paid_on": clock.today().isoformat(),
                                                     "amount": "105000.00", "voucher": "记-001"}).status_code == 303
    r = unit.send(f"/contracts/{c.id}/payments", {"instalment_id": final.id, "paid_on": clock.today().isoformat(),
                                                  "amount": "1.00", "voucher": "记-002"})
    assert r.status_code == 422 and "终验" in text(r)
    overview = c.money_overview()
    assert overview["paid"] == Decimal("105000.00") and overview["remaining"] == Decimal("245000.00")
    # the contractor sees its contract; another contractor does not
    assert "105,000.00" in text(login(BIDDERS[[o.id for o in orgs].index(c.contractor_id)]).get(f"/contracts/{c.id}"))
    assert login("contractor_y").get(f"/contracts/{c.id}").status_code == 404
    assert login("district_b").get(f"/contracts/{c.id}").status_code == 404
    assert login("city").get(f"/contracts/{c.id}").status_code == 200
    # the Word contract
    r = unit.get(f"/contracts/{c.id}/document")
    assert r.status_code == 200 and r.mimetype.endswith("wordprocessingml.document")
    body = docx_text(r.data)
    for expected in (c.number, "2027 年人民调解服务合同 & <昆都仑>", c.contractor.name, c.contractor.uscc,
                     "人民币叁拾伍万元整", "¥350,000.00", "不得将本合同服务转包", "中期考核", "人民币壹拾万伍仟元整",
                     "甲方（盖章）", "乙方（盖章）", "昆都仑区司法局"):
        assert expected in body, expected
    assert f"{clock.today().year}年{clock.today().month}月{clock.today().day}日" in body
    to_pdf(r.data)


def test_plan_document_has_items_and_total_in_capitals(login):
    plan, unit = published_plan(login)
    r = unit.get(f"/plans/{plan.id}/document")
    body = docx_text(r.data)
    assert "昆都仑区司法局2027年度政府购买人民调解和安置帮教服务计划" in body
    assert "M5 服务内容 & <说明>" in body and "¥350,000.00" in body and "人民币叁拾伍万元整" in body
    assert "上年度调解案件 420 件" in body
    to_pdf(r.data)


def test_publications_record_where_each_step_appeared(login):
    plan, unit = published_plan(login)
    intention(unit, plan)
    kinds = [x.kind for x in db.session.scalars(select(Publication).order_by(Publication.id))]
    assert kinds[-2:] == ["plan", "intention"]
