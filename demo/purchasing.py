"""Demo data for purchasing: plans in every state, finished procurements of the common methods,
contracts with milestones, payments, shifts and deliverables. Built through the models' own steps
with the clock moved back, so the history (publications, audit) is what real use would leave."""
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from demo.helpers import PASSWORD, at, tiny_pdf, unit_coded, user_named
from extensions import db
from models import (Acceptance, Attachment, Contract, ContractTarget, DutyShift, Inspection, PlanItem, Procurement,
                    PurchasePlan, ServiceItem, User, clock)
from models.workdays import working_days_between
from models import integrity_rules as integrity

MEDIUM = "中国政府采购网内蒙古分网"


def _org(username):
    return user_named(username).contractor


def _item(code):
    return db.session.scalar(select(ServiceItem).where(ServiceItem.code == code))


def _plan(unit_code, year, budget, items, clerk, finance=None, until="published", on=None):
    unit = unit_coded(unit_code)
    on = on or date(year - 1, 12, 10)
    at(on)
    plan = PurchasePlan(unit_id=unit.id, year=year, budget_amount=Decimal(budget),
                        department_budget=Decimal(budget) * 25, last_year_cases=380 + len(items) * 17,
                        last_year_subjects=96,
                        needs_assessment=f"{unit.area_name}上年度受理矛盾纠纷 {380 + len(items) * 17} 件，刑满释放人员 96 人在册；"
                                         "基层调解力量不足，需购买专业化服务。",
                        affordability_notes="购买服务资金已列入部门预算，占部门预算约 4%，财政可承受。")
    db.session.add(plan)
    for code, content, qty, unit_label, amount, targets in items:
        plan.add_item(user_named(clerk), PlanItem(service_item=_item(code), content=content,
                                             service_standard=_item(code).default_standard, quantity=Decimal(qty),
                                             unit_label=unit_label, budget=Decimal(amount), target_requirements=targets))
    if until == "draft":
        return plan
    plan.submit(user_named(clerk))
    if until == "finance_review":
        return plan
    at(on + timedelta(days=5))
    plan.approve(user_named(finance))
    if until == "approved":
        return plan
    at(on + timedelta(days=8))
    plan.publish(user_named(clerk), MEDIUM, f"http://www.ccgp-neimenggu.gov.cn/baotou/{unit_code}/{year}/plan",
                 clock.today())
    return plan


def _procure(plan, codes, clerk, finance, method, bidders, prices, title, start, finance_user=None):
    """Intention, 31 days, method, notice, bids, opening, scores, award: a finished procurement."""
    items = [i for i in plan.items if i.service_item.code in codes]
    at(start)
    p = Procurement.from_intention(user_named(clerk), plan, items, title, f"购买{title}，服务期一年。", start.month + 2,
                                   MEDIUM, "http://www.ccgp-neimenggu.gov.cn/intention", clock.today())
    db.session.flush()
    at(start + timedelta(days=31))
    deadline = datetime.combine(clock.today() + timedelta(days=21), time(9, 30))
    supplier = bidders[0] if method == "single_source" else None
    p.prepare(user_named(clerk), method, None if method == "open_tender" else "服务专业性强，具备条件的机构较少",
              deadline, Decimal(20) if method != "single_source" else None,
              [("服务方案", Decimal(40)), ("人员配备和资质", Decimal(25)), ("类似项目业绩", Decimal(15))]
              if method != "single_source" else [], supplier=supplier)
    if method != "open_tender":
        reviewer = user_named(finance_user or finance)
        if reviewer is None or reviewer.unit_id != p.unit_id:
            reviewer = db.session.scalar(select(User).where(User.role == "finance", User.unit_id == p.unit_id))
        p.decide_method(reviewer, True, "符合该采购方式的适用情形，同意。")
    p.publish_notice(user_named(clerk), MEDIUM, "http://www.ccgp-neimenggu.gov.cn/notice", clock.today())
    for org, price in zip(bidders, prices):
        admin = db.session.scalar(select(User).where(User.contractor_id == org.id, User.role == "contractor"))
        at(clock.today() + timedelta(days=3))
        plan_file = _attachment(f"{org.name[:12]}-服务方案.pdf")
        p.submit_bid(admin, org, Decimal(price), plan_file, list(org.staff[:3]))
    if method == "single_source":
        at(p.objection_ends_on + timedelta(days=1))
        p.award(user_named(clerk), p.bids[0], MEDIUM, "http://www.ccgp-neimenggu.gov.cn/award", clock.today())
        return p
    clock.set_now(deadline + timedelta(minutes=5))
    p.open_bids(user_named(clerk))
    db.session.flush()
    for member, bias in (("杨春梅", 0), ("周卫东", 1), ("何建军", -1)):
        for n, bid in enumerate(p.valid_bids):
            p.record_scores(user_named(clerk), member, bid, {c.id: min(c.weight, c.weight * Decimal("0.9") - n * 2 + bias)
                                                        for c in p.criteria})
    p.evaluate(user_named(clerk))
    winner = min(p.valid_bids, key=lambda b: b.rank)
    at(clock.today() + timedelta(days=1))
    p.award(user_named(clerk), winner, MEDIUM, "http://www.ccgp-neimenggu.gov.cn/award", clock.today())
    return p


def _attachment(name):
    return Attachment.from_upload(name, "application/pdf", tiny_pdf(name.encode("ascii", "replace").decode()))


def _sign(p, clerk, start, months=12, extra=None):
    at(p.awarded_on + timedelta(days=6))
    end = date(start.year + (start.month - 1 + months) // 12, (start.month - 1 + months) % 12 + 1, 1) - timedelta(days=1)
    amount = p.award_amount
    first = (amount * Decimal("0.3")).quantize(Decimal("0.01"))
    fields = dict(title=p.title, subject="；".join(i.service_item.name for i in p.plan_items),
                  scope="；".join(i.content for i in p.plan_items),
                  quantities="；".join(f"{i.quantity.normalize():f}{i.unit_label}" for i in p.plan_items),
                  quality_requirements="服务点每日工作不少于 8 小时，每班不少于 2 人；调解员持证上岗；调解成功率不低于 95%。",
                  place_and_manner=f"在{p.unit.area_name}公共法律服务中心设驻点，驻点与上门相结合。",
                  acceptance_requirements="按合同约定逐项验收，验收数据取自系统记录。",
                  rights_obligations="甲方监督检查、按期付款；乙方如实记录、保护个人信息、接受评价。",
                  breach_liability="未达标准的限期整改；弄虚作假的解除合同并追回款项。",
                  dispute_resolution="协商解决；协商不成向甲方所在地人民法院起诉。",
                  period_start=start, period_end=end, long_period_reason=None, signed_on=clock.today())
    milestones = [dict(kind="payment", title="合同签订后首期", due_on=clock.today()),
                  dict(kind="assessment", title="中期考核", due_on=start + timedelta(days=182)),
                  dict(kind="acceptance", title="终期验收", due_on=end, final=True)]
    instalments = [dict(milestone=0, amount=first), dict(milestone=1, amount=first),
                   dict(milestone=2, amount=amount - 2 * first)]
    c = Contract.from_award(user_named(clerk), p, fields, milestones, instalments)
    db.session.flush()
    at(c.signed_on + timedelta(days=1))
    c.publish(user_named(clerk), MEDIUM, "http://www.ccgp-neimenggu.gov.cn/contract", clock.today())
    at(c.signed_on + timedelta(days=4))
    c.file_with_finance(user_named(clerk), clock.today())
    return c


def _perform(c, clerk, contractor, today):
    """A first instalment paid, a mid-term milestone met (payable), shifts and activities logged."""
    first, mid = c.instalments[0], c.instalments[1]
    at(c.signed_on + timedelta(days=7))
    first.milestone.set_status(user_named(clerk), "met", clock.today(), "合同签订，驻点开设")
    c.record_payment(user_named(clerk), first, clock.today(), first.amount, f"包财支〔{c.year}〕{c.id * 17}号")
    if mid.milestone.due_on <= today:
        at(mid.milestone.due_on)
        mid.milestone.set_status(user_named(clerk), "met", clock.today(), "中期考核合格")
    staff = [m for m in c.contractor.staff if m.active][:4]
    start = max(c.period_start, today - timedelta(days=45))
    for n, day in enumerate(working_days_between(start, today - timedelta(days=1))):
        if n % 11 == 5:
            c.shifts.append(DutyShift(day=day, start=time(9, 0), end=time(15, 30), staff=staff[:2]))  # a short day
            continue
        c.shifts.append(DutyShift(day=day, start=time(8, 30), end=time(12, 30), staff=staff[:2]))
        afternoon = staff[2:4] if n % 13 != 7 else staff[2:3]  # now and then a one-person shift
        c.shifts.append(DutyShift(day=day, start=time(12, 30), end=time(17, 0), staff=afternoon))
    admin = user_named(contractor)
    for kind, days_ago, place, people, content in (
            ("training", 40, "昆都仑区公共法律服务中心", 36, "人民调解员业务培训：婚姻家庭纠纷调解技巧"),
            ("publicity", 25, "阿尔丁广场", 210, "“民法典进社区”法治宣传，发放资料 500 份"),
            ("research", 10, "本机构", 3, "第三季度矛盾纠纷排查分析报告")):
        day = today - timedelta(days=days_ago)
        if c.period_start <= day:
            at(day, 18)
            c.log_deliverable(admin, kind, day, place, people, content, _attachment(f"{kind}-{day}.pdf"))


def seed_purchasing():
    if db.session.scalar(select(PurchasePlan.id).where(PurchasePlan.unit_id == unit_coded("150203").id,
                                                       PurchasePlan.year == 2026)):
        return ["购买计划、采购和合同演示数据已存在。"]
    saved = clock._fixed, clock._offset
    today = clock.today()
    try:
        kdl = _plan("150203", 2026, "1500000.00", [
            ("M5", "受理、调查、调解辖区内经济、民事和商事纠纷，制作调解协议，立卷归档并回访", "1", "年", "600000.00",
             "受理纠纷不少于 400 件，调解成功率不低于 95%，协议履行率不低于 90%"),
            ("M1", "矛盾纠纷排查分析、法律咨询和法治宣传", "12", "次", "80000.00", "每月排查分析报告 1 份，宣传活动 12 场"),
            ("A3", "刑满释放人员安置帮教：衔接、个性化帮教方案、心理矫治、就业帮扶", "1", "年", "400000.00",
             "衔接率 100%，帮教率不低于 95%，安置率不低于 85%"),
            ("M3", "为区司法局培训人民调解员", "4", "期", "60000.00", "每期不少于 30 人，考核合格率 90%"),
        ], "kundulun", "caizheng_kdl", on=date(2025, 12, 10))
        herun, heshun, anhe = _org("herun"), _org("heshun"), _org("anhe")
        mediation = _procure(kdl, ("M5", "M1"), "kundulun", "caizheng_kdl", "open_tender", [herun, heshun, anhe],
                             ["658000.00", "672000.00", "679500.00"], "昆都仑区 2026 年人民调解服务", date(2026, 1, 5))
        c1 = _sign(mediation, "kundulun", date(2026, 3, 1))
        assistance = _procure(kdl, ("A3",), "kundulun", "caizheng_kdl", "competitive_consultation",
                              [_org("xinqidian"), anhe], ["386000.00", "392000.00"], "昆都仑区 2026 年安置帮教服务",
                              date(2026, 1, 8))
        c2 = _sign(assistance, "kundulun", date(2026, 3, 1))
        dh = _plan("150202", 2026, "300000.00", [
            ("M6", "在东河区公共法律服务中心提供人民调解咨询", "1", "年", "90000.00", "咨询不少于 600 人次"),
        ], "donghe", "caizheng_dh", on=date(2025, 12, 20))
        single = _procure(dh, ("M6",), "donghe", "caizheng_dh", "single_source", [heshun], ["88000.00"],
                          "东河区 2026 年人民调解咨询服务（原合同追加）", date(2026, 2, 2))
        c3 = _sign(single, "donghe", date(2026, 4, 1))
        clock.set_now(datetime.combine(today, time(9)))
        _perform(c1, "kundulun", "herun", today)
        _perform(c2, "kundulun", "xinqidian", today)
        _perform(c3, "donghe", "heshun", today)
        # next year's plans in the earlier states
        _plan("150204", 2027, "800000.00", [("M5", "青山区人民调解服务", "1", "年", "500000.00", "成功率 95%")],
              "qingshan", until="draft", on=today - timedelta(days=3))
        _plan("150207", 2027, "500000.00", [("A3", "九原区安置帮教服务", "1", "年", "300000.00", "帮教率 95%")],
              "jiuyuan_sfj", until="finance_review", on=today - timedelta(days=6))
        _plan("150202", 2027, "450000.00", [("M6", "东河区人民调解咨询", "1", "年", "100000.00", "咨询 700 人次")],
              "donghe", "caizheng_dh", until="approved", on=today - timedelta(days=12))
        accepted = _last_year_contracts()
        db.session.commit()
    finally:
        clock._fixed, clock._offset = saved
    return [f"购买计划、采购和合同演示数据已载入：合同 {c1.number}、{c2.number}、{c3.number}；"
            f"上年度合同验收：{accepted}。"]


def _last_year_contracts():
    """2025 contracts accepted in 2026: one passed, one passed with conditions, one failed."""
    done = []
    for unit_code, clerk, finance, org, verdict in (("150203", "kundulun", "caizheng_kdl", "herun", "passed"),
                                                     ("150202", "donghe", "caizheng_dh", "heshun", "conditional"),
                                                     ("150204", "qingshan", None, "anhe", "failed")):
        finance = finance or "caizheng_city"
        plan = _plan(unit_code, 2025, "200000.00", [("M6", "人民调解咨询服务", "1", "年", "120000.00", "咨询 500 人次")],
                     clerk, finance, on=date(2024, 12, 5)) if unit_code != "150204" else None
        if plan is None:  # 青山区's finance account: the demo has none, so its plan is approved by the city's
            plan = _plan_with_finance(unit_code, clerk)
        p = _procure(plan, ("M6",), clerk, None, "single_source", [_org(org)], ["118000.00"],
                     f"{unit_coded(unit_code).area_name} 2025 年人民调解咨询服务", date(2025, 1, 6), finance_user=finance)
        c = _sign(p, clerk, date(2025, 3, 1))
        at(date(2025, 3, 10))
        first = c.instalments[0]
        first.milestone.set_status(user_named(clerk), "met", clock.today(), "驻点开设")
        c.record_payment(user_named(clerk), first, clock.today(), first.amount, f"包财支〔2025〕{c.id * 31}号")
        ContractTarget.set(c, user_named(clerk), "consultations", Decimal(500))
        ContractTarget.set(c, user_named(clerk), "training_sessions", Decimal(4))
        at(date(2026, 3, 10))
        a = Acceptance.open(user_named(clerk), c, "final", None, c.period_start, c.period_end, f"{c.unit.name}会议室",
                            ["documents", "system", "survey"], "合同约定的服务内容、数量和质量标准")
        for name, org_name, role in (("杨春梅", c.unit.name, "组长"), ("周卫东", "财政局", "成员"),
                                     ("林国庆", "包头市律师协会", "成员")):
            a.add_member(user_named(clerk), name, org_name, role)
        if verdict == "failed":
            a.add_problem(user_named(clerk), "咨询台账缺失，服务记录与值班记录不符", "补齐台账并说明差异",
                          clock.today() + timedelta(days=30))
        a.conclude(user_named(clerk), verdict, {"passed": "服务达到合同约定", "conditional": "基本达到合同约定，台账需补齐",
                                           "failed": "服务未达到合同约定"}[verdict],
                   {"passed": "支付尾款", "conditional": "条件满足后支付尾款", "failed": "暂缓支付尾款，限期整改"}[verdict],
                   "电话回访服务对象 30 人，满意 27 人", "补齐 2025 年第四季度咨询台账" if verdict == "conditional" else None)
        if verdict == "conditional":  # the ledger is completed a month later: the conditions are met
            at(date(2026, 4, 10))
            c.conditions_met(user_named(clerk), clock.today(), "已补齐 2025 年第四季度咨询台账，经核对无误")
        if verdict in ("passed", "conditional"):  # final instalment paid, then the contract is closed
            final = c.instalments[-1]
            c.record_payment(user_named(clerk), final, clock.today(), final.amount, f"包财支〔2026〕{c.id * 37}号")
            c.close(user_named(clerk), c.amount, c.period_end, None if c.amount == c.original_amount else "按变更后金额结算")
        done.append(f"{c.number}（{a.verdict_label}）")
    return "、".join(done)


def _plan_with_finance(unit_code, clerk):
    """A published plan for a unit whose demo finance account is missing: one is made for it."""
    unit = unit_coded(unit_code)
    username = f"caizheng_{unit_code}"
    if user_named(username) is None:
        user = User(username=username, display_name=f"{unit.area_name}财政局", role="finance", unit_id=unit.id)
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.flush()
    return _plan(unit_code, 2025, "200000.00", [("M6", "人民调解咨询服务", "1", "年", "120000.00", "咨询 500 人次")],
                 clerk, username, on=date(2024, 12, 5))


def seed_supervision():
    """Integrity checks run on this year's contracts (the demo's records plant findings), one explained,
    and an inspection opened on a complaint and answered."""

    contract = db.session.scalar(select(Contract).where(Contract.number == "包昆司购〔2026〕1号"))
    if contract is None or contract.inspections:
        return []
    for c in db.session.scalars(select(Contract).where(Contract.year == 2026)):
        integrity.run(c)
    findings = [f for c in db.session.scalars(select(Contract)) for f in c.integrity_findings]
    if findings:
        findings[0].decide(user_named("kundulun") if findings[0].contract.unit.code == "150203" else
                           db.session.scalar(select(User).where(User.unit_id == findings[0].contract.unit_id,
                                                                User.role.in_(("district", "city")))),
                           True, "经核实，当事人为同一家庭成员，情况属实")
    inspection = Inspection.open(user_named("caizheng_kdl"), contract, "complaint",
                                 "群众反映服务点午间无人值守，抽查 10 月、11 月值班记录并现场查看",
                                 Attachment.from_upload("检查通知书.pdf", "application/pdf", tiny_pdf("notice")))
    inspection.advance(user_named("herun"), "10 月 15 日午间一名调解员外出调查，已安排轮换，附值班表",
                       Attachment.from_upload("10月值班表.pdf", "application/pdf", tiny_pdf("rota")))
    db.session.commit()
    return [f"监督演示数据：完整性检查发现 {len(findings)} 项，检查 1 项（待购买主体作出结论）。"]
