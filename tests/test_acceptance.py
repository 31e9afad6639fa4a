"""Acceptance from live figures: measures worked out by hand, the verdict's effect on payments, the report."""
from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from extensions import db
from models import Acceptance, DutyShift, Payment, StaffMember
from models import clock
from models import measures
from tests import factories
from tests.docs import docx_text, to_pdf
from tests.helpers import row_counts, text
from tests.mediation_factories import make_case

START = date(2026, 9, 1)


@pytest.fixture
def contract(app):
    clock.set_now(date(2026, 11, 27))
    c = factories.make_contract("150203", factories.org("X"), amount="120000.00", start=START)
    db.session.commit()
    return c


def test_measures_on_a_prepared_contract(contract):
    c = contract
    admin = factories.user("contractor_x")
    # deliverables: 2 trainings, 1 publicity event inside the period, 1 training after it
    for kind, day in (("training", date(2026, 9, 10)), ("training", date(2026, 10, 12)),
                      ("publicity", date(2026, 10, 20)), ("training", date(2026, 11, 20))):
        c.log_deliverable(admin, kind, day, "会议室", 30, "内容")
    # staffing in September 2026 (22 working days): 20 good days, 1 short, 1 with a one-person shift
    x = factories.org("X")
    second = StaffMember(contractor=x, name="王二", id_number="150203199001010010", profession="mediator", phone="1")
    db.session.add(second)
    both = [x.staff[0], second]
    from models.workdays import working_days_between

    days = working_days_between(date(2026, 9, 1), date(2026, 9, 30))
    assert len(days) == 22
    for n, day in enumerate(days):
        if n == 0:
            c.shifts.append(DutyShift(day=day, start=time(9), end=time(16), staff=both))  # 7 hours
        elif n == 1:
            c.shifts.append(DutyShift(day=day, start=time(8, 30), end=time(17, 0), staff=[second]))
        else:
            c.shifts.append(DutyShift(day=day, start=time(8, 30), end=time(17, 0), staff=both))
    # mediation: 4 cases received in the period, 3 concluded: 2 written agreements, 1 failed
    make_case(received_on=date(2026, 9, 2), contract=c, state="written", concluded_on=date(2026, 9, 20))
    make_case(received_on=date(2026, 9, 3), contract=c, state="written", concluded_on=date(2026, 10, 20))
    make_case(received_on=date(2026, 9, 4), contract=c, state="failed", concluded_on=date(2026, 9, 25))
    make_case(received_on=date(2026, 10, 5), contract=c, state="registered")
    # money: 30,000 paid
    first = c.instalments[0]
    first.milestone.status, first.milestone.status_on = "met", date(2026, 9, 5)
    c.payments.append(Payment(instalment=first, paid_on=date(2026, 9, 6), amount=Decimal("30000.00"), voucher="v1"))
    db.session.commit()
    period = (date(2026, 9, 1), date(2026, 10, 31))
    assert measures.value("training_sessions", c, *period) == 2
    assert measures.value("publicity_events", c, *period) == 1
    assert measures.value("research_reports", c, *period) == 0
    # September: 20 of 22 days good. October has 18 working days (1-7 off for National Day, Saturday the
    # 10th swapped to work) and no shifts at all: 20 / 40 = 50.0 %
    assert measures.value("staffing_rate", c, date(2026, 9, 1), date(2026, 9, 30)) == Decimal("90.9")
    assert measures.value("staffing_rate", c, *period) == Decimal("50.0")
    assert measures.value("cases_received", c, *period) == 4
    assert measures.value("cases_succeeded", c, *period) == 2
    assert measures.value("success_rate", c, *period) == Decimal("66.7")  # 2 of 3 concluded
    assert measures.value("cost_per_case", c, *period) == Decimal("7500.00")  # 30,000 / 4 received
    assert measures.met("success_rate", Decimal("95"), Decimal("66.7")) is False
    assert measures.met("cost_per_case", Decimal("8000"), Decimal("7500.00")) is True  # lower is better


def test_each_measure_drills_down_to_its_records_de_identified(login, contract):
    c = contract
    admin = factories.user("contractor_x")
    c.log_deliverable(admin, "training", date(2026, 9, 10), "会议室 & <二楼>", 30, "调解技巧培训")
    c.log_deliverable(admin, "training", date(2026, 11, 20), "会议室", 12, "期外培训")
    won = make_case(received_on=date(2026, 9, 2), contract=c, state="written", concluded_on=date(2026, 9, 20))
    lost = make_case(received_on=date(2026, 9, 4), contract=c, state="failed", concluded_on=date(2026, 9, 25))
    open_ = make_case(received_on=date(2026, 10, 5), contract=c, state="registered")
    db.session.commit()
    unit = login("district_a")
    r = unit.get(f"/contracts/{c.id}/measures/success_rate?start=2026-09-01&end=2026-10-31")
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    rows = text(r)
    assert "调解成功率：50 %" in rows and "1 / 2" in rows  # 1 succeeded of 2 concluded, worked by hand
    assert won.number in page and lost.number in page and open_.number not in page  # only the concluded
    assert f'href="/mediation/{won.id}"' in page
    for party in won.parties + lost.parties:  # de-identified: no names, ID numbers or phones
        assert party.name not in page and (not party.id_number or party.id_number not in page)
    page = text(unit.get(f"/contracts/{c.id}/measures/cases_received?start=2026-09-01&end=2026-10-31"))
    assert "受理纠纷：3 件" in page and open_.number in page
    page = unit.get(f"/contracts/{c.id}/measures/training_sessions?start=2026-09-01&end=2026-10-31")
    assert "培训：1 场" in text(page) and "会议室 &amp; &lt;二楼&gt;" in page.get_data(as_text=True)
    assert "期外培训" not in text(page)
    assert "帮教率" not in text(unit.get(f"/contracts/{c.id}"))  # a mediation contract has no assistance measures
    assert unit.get(f"/contracts/{c.id}/measures/assistance_rate").status_code == 404
    assert unit.get(f"/contracts/{c.id}/measures/no_such").status_code == 404
    assert login("contractor_x").get(f"/contracts/{c.id}/measures/success_rate").status_code == 200
    assert login("district_b").get(f"/contracts/{c.id}/measures/success_rate").status_code == 404
    assert login("contractor_y").get(f"/contracts/{c.id}/measures/success_rate").status_code == 404
    assert login("worker_x").get(f"/contracts/{c.id}/measures/success_rate").status_code == 403
    # a malformed date falls back to the contract's period
    assert unit.get(f"/contracts/{c.id}/measures/success_rate?start=2026-02-30").status_code == 200


def test_assistance_measures_drill_down_to_subjects_without_names(login):
    from models import ServiceRecord
    from tests import rehab_factories as rf

    c = factories.make_contract("150203", factories.org("X"), "assistance", start=date(2026, 1, 1))
    leader = rf.staff(factories.org("X"), "林心怡")
    served = rf.subject(contract=c, name="韩立平", resettlement="employed")
    rf.form_group(served, leader)
    idle = rf.subject(contract=c, name="白文涛", id_number=rf.id_number(born=date(1990, 5, 6)))
    rf.form_group(idle, leader)
    served.records.append(ServiceRecord(kind="employment", on=date(2026, 11, 2), content="就业推荐",
                                        worker_name="林心怡"))
    db.session.commit()
    unit = login("district_a")
    r = unit.get(f"/contracts/{c.id}/measures/resettlement_rate?start=2026-01-01&end=2026-11-27")
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "安置率：50 %" in text(r) and "1 / 2" in text(r)
    assert f"对象 {served.id}" in page and f"对象 {idle.id}" in page
    for s in (served, idle):
        assert s.name not in page and s.id_number not in page and s.phone not in page
    page = text(unit.get(f"/contracts/{c.id}/measures/service_records?start=2026-01-01&end=2026-11-27"))
    assert "帮教服务记录：1 条" in page and f"对象 {served.id}" in page and "就业" in page


def _open(login, c, kind="final", **extra):
    data = {"kind": kind, "milestone_id": "0", "period_start": c.period_start.isoformat(),
            "period_end": clock.today().isoformat(), "place": "区司法局会议室 & <二楼>", "methods": ["documents", "system"]}
    data.update(extra)
    return login("district_a").send(f"/contracts/{c.id}/acceptances", data)


TEAM = (("杨春梅", "昆都仑区司法局"), ("周卫东", "昆都仑区财政局"), ("何建军", "第三方专家"))


def _team(unit, a, n=3, start=0):
    for i, (name, org) in enumerate(TEAM[start:n], start):
        assert unit.send(f"/acceptances/{a.id}/members", {"name": name, "unit_name": org, "role": "组长" if not i else "成员"}).status_code == 303


def test_final_acceptance_passed_releases_the_final_instalment_and_the_report_reads_back(login, contract):
    c = contract
    unit = login("district_a")
    assert unit.send(f"/contracts/{c.id}/targets", {"measure": "training_sessions", "target": "4"}).status_code == 303
    c.log_deliverable(factories.user("contractor_x"), "training", date(2026, 10, 10), "会议室", 30, "培训")
    db.session.commit()
    r = _open(login, c)
    assert r.status_code == 303, text(r)[-3000:]
    a = db.session.scalar(select(Acceptance).where(Acceptance.contract_id == c.id))
    assert c.status == "final_acceptance"
    training = next(i for i in a.items if i.measure == "training_sessions")
    assert training.contracted == 4 and training.delivered == 1 and training.met is False
    # fewer than three members: no verdict
    _team(unit, a, 2)
    before = row_counts()
    r = unit.send(f"/acceptances/{a.id}/conclude", {"verdict": "passed", "conclusion": "合格"})
    assert r.status_code == 422 and "至少 3 人" in text(r)
    assert row_counts() == before
    _team(unit, a, 3, start=2)
    assert unit.send(f"/acceptances/{a.id}/items/{training.id}", {"finding": "培训场次不足", "evidence": "签到表"}).status_code == 303
    final = c.instalments[-1]
    r = unit.send(f"/contracts/{c.id}/payments", {"instalment_id": final.id, "paid_on": clock.today().isoformat(),
                                                  "amount": "1.00", "voucher": "v"})
    assert r.status_code == 422  # the final instalment waits for acceptance
    assert unit.send(f"/acceptances/{a.id}/conclude", {"verdict": "passed", "conclusion": "基本达到合同约定",
                                                       "opinions": "满意度 96%", "payment_recommendation": "支付尾款"}).status_code == 303
    assert a.verdict == "passed" and c.status == "accepted" and final.payable_since == clock.today()
    assert unit.send(f"/contracts/{c.id}/payments", {"instalment_id": final.id, "paid_on": clock.today().isoformat(),
                                                     "amount": str(final.amount), "voucher": "v2"}).status_code == 303
    # concluded: read-only
    assert unit.send(f"/acceptances/{a.id}/members", {"name": "甲", "unit_name": "乙"}).status_code == 409
    # finance sees the report; another unit does not
    r = login("finance_a").get(f"/acceptances/{a.id}/document")
    assert r.status_code == 200
    body = docx_text(r.data)
    for expected in ("政府购买服务履约验收报告", c.number, c.contractor.uscc, "培训", "培训场次不足", "签到表", "杨春梅",
                     "周卫东", "何建军", "合格", "基本达到合同约定", "满意度 96%", "区司法局会议室 & <二楼>", "人民币壹拾贰万元整"):
        assert expected in body, expected
    to_pdf(r.data)
    assert login("district_b").get(f"/acceptances/{a.id}").status_code == 404
    assert login("contractor_y").get(f"/acceptances/{a.id}").status_code == 404


def test_conditional_acceptance_holds_the_final_instalment_until_the_conditions_are_met(login, contract):
    c = contract
    unit = login("district_a")
    _open(login, c)
    a = c.acceptances[0]
    _team(unit, a)
    r = unit.send(f"/acceptances/{a.id}/conclude", {"verdict": "conditional", "conclusion": "基本合格"})
    assert r.status_code == 422 and "写明条件" in text(r)
    unit.send(f"/acceptances/{a.id}/conclude", {"verdict": "conditional", "conclusion": "基本合格",
                                               "conditions": "补齐 3 份卷宗"})
    assert c.status == "accepted_conditional" and c.instalments[-1].payable_since is None
    r = unit.send(f"/contracts/{c.id}/conditions-met", {"on": clock.today().isoformat(), "note": "已补齐"})
    assert r.status_code == 303 and r.headers["Location"].endswith("?done=acceptances#acceptances")  # the place kept
    assert c.status == "accepted" and c.instalments[-1].payable_since == clock.today()


def test_failed_acceptance_sends_the_contract_to_rectification_and_a_new_acceptance(login, contract):
    c = contract
    unit = login("district_a")
    _open(login, c)
    a = c.acceptances[0]
    _team(unit, a)
    r = unit.send(f"/acceptances/{a.id}/conclude", {"verdict": "failed", "conclusion": "不合格"})
    assert r.status_code == 422 and "整改要求" in text(r)
    assert unit.send(f"/acceptances/{a.id}/problems", {"description": "值班不足", "required_fix": "补足人员",
                                                      "deadline": (clock.today() + timedelta(days=30)).isoformat()}).status_code == 303
    assert unit.send(f"/acceptances/{a.id}/conclude", {"verdict": "failed", "conclusion": "不合格"}).status_code == 303
    assert c.status == "rectification" and c.instalments[-1].payable_since is None
    assert _open(login, c).status_code == 303 and len(c.acceptances) == 2


def test_stage_acceptance_makes_its_instalment_payable(login, contract):
    c = contract
    unit = login("district_a")
    first = c.instalments[0]
    assert _open(login, c, kind="stage", milestone_id=str(first.milestone_id)).status_code == 303
    a = c.acceptances[0]
    assert c.status == "signed"  # a stage acceptance leaves the state as it is
    _team(unit, a)
    unit.send(f"/acceptances/{a.id}/conclude", {"verdict": "passed", "conclusion": "阶段合格"})
    assert first.milestone.status == "met" and first.payable_since == clock.today()


def test_only_the_unit_opens_and_only_once(login, contract):
    c = contract
    assert login("finance_a").send(f"/contracts/{c.id}/acceptances", {}).status_code == 403
    assert login("district_b").send(f"/contracts/{c.id}/acceptances", {}).status_code == 404
    assert login("city").send(f"/contracts/{c.id}/acceptances", {}).status_code == 403
    assert _open(login, c).status_code == 303
    assert _open(login, c).status_code == 409
    r = _open(login, factories.make_contract("150203", factories.org("X")), methods=[])
    assert r.status_code == 422


def test_the_portal_publishes_the_verdict_of_a_published_contract(client, login, contract):
    c = contract
    unit = login("district_a")
    _open(login, c)
    a = c.acceptances[0]
    _team(unit, a)
    unit.send(f"/acceptances/{a.id}/conclude", {"verdict": "passed", "conclusion": "服务达到约定 & 满意"})
    thread = f"/portal/procurements/{c.procurement_id}"
    assert "服务达到约定 &amp; 满意" not in text(client.get(thread))  # the contract itself is not yet published
    c.published_on = clock.today()
    db.session.commit()
    page = text(client.get(thread))
    assert "服务达到约定 &amp; 满意" in page and c.number in page


def test_an_inspection_runs_its_steps_between_unit_and_contractor(login, contract):
    c = contract
    finance, cx, unit = login("finance_a"), login("contractor_x"), login("district_a")
    assert finance.send(f"/contracts/{c.id}/inspections", {"reason_code": "complaint", "text": ""}).status_code == 422
    assert finance.send(f"/contracts/{c.id}/inspections", {"reason_code": "complaint",
                                                           "text": "群众投诉值班缺岗，抽查 10 月值班"}).status_code == 303
    i = c.inspections[0]
    assert unit.send(f"/inspections/{i.id}/advance", {"text": "结论"}).status_code == 403  # the contractor answers first
    assert cx.send(f"/inspections/{i.id}/advance", {"text": "10 月 3 日因病缺岗一人"}).status_code == 303
    assert unit.send(f"/inspections/{i.id}/advance", {"text": "情况属实，限期整改"}).status_code == 303
    assert cx.send(f"/inspections/{i.id}/advance", {"text": "已增派人员"}).status_code == 303
    assert unit.send(f"/inspections/{i.id}/advance", {"text": "整改到位"}).status_code == 303
    assert i.status == "closed" and i.closed_on == clock.today()
    assert cx.send(f"/inspections/{i.id}/advance", {"text": "x"}).status_code == 409
    assert login("contractor_y").send(f"/inspections/{i.id}/advance", {"text": "x"}).status_code == 404


def test_inspection_steps_carry_documents_seen_only_by_the_contract_s_parties(login, contract):
    c = contract
    finance, cx = login("finance_a"), login("contractor_x")
    r = finance.send(f"/contracts/{c.id}/inspections", {"reason_code": "audit", "text": "审计抽查",
                                                        "document": factories.upload(name="检查通知 & <审计>.pdf")},
                     content_type="multipart/form-data")
    assert r.status_code == 303
    i = c.inspections[0]
    before = row_counts()
    r = cx.send(f"/inspections/{i.id}/advance", {"text": "答复意见", "document": factories.upload(b"not a pdf", "a.pdf")},
                content_type="multipart/form-data")
    assert r.status_code == 422 and "答复意见" in text(r)  # the text typed comes back beside the refusal
    assert '<p class="error">文件类型不受支持' in r.get_data(as_text=True)
    assert row_counts() == before and i.status == "decided"
    assert cx.send(f"/inspections/{i.id}/advance", {"text": "答复意见", "document": factories.upload(name="答复.pdf")},
                   content_type="multipart/form-data").status_code == 303
    assert [(d.step, d.attachment.filename) for d in i.documents] == [("decided", "检查通知 & <审计>.pdf"),
                                                                     ("answered", "答复.pdf")]
    page = login("district_a").get(f"/contracts/{c.id}").get_data(as_text=True)
    assert "检查通知 &amp; &lt;审计&gt;.pdf" in page
    url = f"/inspections/{i.id}/documents/{i.documents[0].id}"
    r = cx.get(url)
    assert r.status_code == 200 and r.data == factories.PDF
    assert r.headers["Content-Disposition"].startswith("inline")  # a PDF opens in the browser (issue 14, item 7)
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert login("contractor_y").get(url).status_code == 404
    assert login("district_b").get(url).status_code == 404
    assert login("worker_x").get(url).status_code == 403
    assert cx.get(f"/inspections/{i.id}/documents/{i.documents[0].id + 999}").status_code == 404


def test_reclaim_arithmetic_and_closing(login, contract):
    c = contract
    unit = login("district_a")
    first = c.instalments[0]
    first.milestone.status, first.milestone.status_on = "met", clock.today()
    c.payments.append(Payment(instalment=first, paid_on=clock.today(), amount=Decimal("60000.00"), voucher="v"))
    db.session.commit()
    r = unit.send(f"/contracts/{c.id}/reclaims", {"amount": "60000.01", "reason": "虚报"})
    assert r.status_code == 422 and "60000.00" in text(r)
    assert unit.send(f"/contracts/{c.id}/reclaims", {"amount": "5000.00", "reason": "虚报 10 件案件"}).status_code == 303
    assert unit.send(f"/contracts/{c.id}/reclaims", {"amount": "55000.01", "reason": "再次"}).status_code == 422
    overview = c.money_overview()
    assert overview["paid"] == Decimal("60000.00") and overview["reclaimed"] == Decimal("5000.00")
    rec = c.reclaims[0]
    assert unit.send(f"/contracts/{c.id}/reclaims/{rec.id}/repaid", {"on": clock.today().isoformat()}).status_code == 303
    assert rec.repaid_on == clock.today()
    # closing waits for a passed acceptance, and explains a changed value
    assert unit.send(f"/contracts/{c.id}/close", {"final_value": "55000", "end_date": clock.today().isoformat()}).status_code == 409
    _open(login, c)
    a = c.acceptances[0]
    _team(unit, a)
    unit.send(f"/acceptances/{a.id}/conclude", {"verdict": "passed", "conclusion": "合格"})
    r = unit.send(f"/contracts/{c.id}/close", {"final_value": "55000", "end_date": clock.today().isoformat()})
    assert r.status_code == 422 and "须说明原因" in text(r)
    r = unit.send(f"/contracts/{c.id}/close", {"final_value": "55000", "end_date": clock.today().isoformat(),
                                               "explanation": "追回虚报款 5000 元，尾款未付"})
    assert r.status_code == 303 and r.headers["Location"].endswith("?done=money#money")  # the place kept
    body = text(unit.get(r.headers["Location"]))
    part = body[body.index('id="money"'):]
    assert "data-place>合同已结束。</div>" in part[:part.index("</section>")] and body.count("合同已结束。") == 1
    assert c.status == "closed" and c.final_value == Decimal("55000.00")
