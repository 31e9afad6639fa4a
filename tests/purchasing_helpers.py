"""Shared steps for the purchasing tests: a plan carried through the HTTP layer to each stage."""
import re
from datetime import timedelta

from sqlalchemy import select

from demo.helpers import make_uscc
from extensions import db
from models import Procurement, PurchasePlan, ServiceItem
from models import clock
from tests import factories

PUB = {"medium": "中国政府采购网内蒙古分网", "url": "http://www.ccgp-neimenggu.gov.cn/x", "published_on": None}


def pub(**kw):
    data = dict(PUB, published_on=clock.today().isoformat())
    data.update(kw)
    return data


def service_item(code):
    return db.session.scalar(select(ServiceItem).where(ServiceItem.code == code))


def draft_plan(unit_client, year=2027, budget="500000.00", items=(("M5", "300000.00"), ("M1", "50000.00"))):
    r = unit_client.send("/plans/", {"year": year, "budget_amount": budget, "department_budget": "10000000",
                                     "last_year_cases": 420, "needs_assessment": "上年度受理纠纷 420 件，需求稳定增长。",
                                     "affordability_notes": "占部门预算 3.5%，财政可承受。"})
    assert r.status_code == 303, r.get_data(as_text=True)[:2000]
    plan_id = int(re.search(r"/plans/(\d+)", r.headers["Location"]).group(1))
    for code, amount in items:
        r = unit_client.send(f"/plans/{plan_id}/items", {
            "service_item_id": service_item(code).id, "content": f"{code} 服务内容 & <说明>", "service_standard": "每日 8 小时，每班 2 人",
            "quantity": "1", "unit_label": "年", "budget": amount, "target_requirements": "调解成功率不低于 95%"})
        assert r.status_code == 303, r.get_data(as_text=True)[:3000]
    return db.session.get(PurchasePlan, plan_id)


def published_plan(login, **kw):
    unit = login("district_a")
    plan = draft_plan(unit, **kw)
    assert unit.send(f"/plans/{plan.id}/submit").status_code == 303
    assert login("finance_a").send(f"/plans/{plan.id}/approve").status_code == 303
    assert unit.send(f"/plans/{plan.id}/publish", pub()).status_code == 303
    return plan, unit


def intention(unit, plan, item_ids=None):
    item_ids = item_ids or [i.id for i in plan.items]
    r = unit.send(f"/plans/{plan.id}/intentions", pub(items=[str(i) for i in item_ids], title="2027 年人民调解服务采购",
                                                      summary="购买矛盾纠纷调解服务", expected_month="3"))
    assert r.status_code == 303, r.get_data(as_text=True)[:3000]
    return db.session.get(Procurement, int(re.search(r"/procurements/(\d+)", r.headers["Location"]).group(1)))


def bidders(n=3):
    """Approved mediation contractors seated in 昆都仑区, with admin logins bidder1..n."""
    orgs = [factories.org("X")]
    for i in range(2, n + 1):
        orgs.append(factories.make_contractor(f"投标机构{i}", make_uscc(f"52150203MJ00008{i:02d}"), "150203",
                                              admin_username=f"bidder{i}"))
    db.session.commit()
    return orgs


def deadline(days=25):
    return (clock.now() + timedelta(days=days)).replace(second=0, microsecond=0)
