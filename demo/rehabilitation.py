"""Demo data for resettlement and assistance: subjects in every state and category, plans, groups,
service records, assessments, alerts. Idempotent. Subject names come from SUBJECT_NAMES, never from
demo.helpers.PUBLIC_NAMES (DESIGN.md §3)."""
from datetime import date, timedelta

from sqlalchemy import select

from demo.helpers import PASSWORD, make_id_number
from extensions import db
from models import Contract, Contractor, StaffMember, Unit, User, clock
from models.rehabilitation import (AssistancePlan, Consent, PsychProfile, RiskAssessment, ServiceRecord, Subject,
                                   TransitionalBase, WarningReport)

SUBJECT_NAMES = ["韩立平", "邓文亮", "蒋国富", "葛春生", "苏海龙", "潘小军", "范志刚", "彭永红", "曾凡明", "吕德旺",
                 "丁建平", "魏长青", "段海波", "石磊"]

LOW = {"age_at_release": "over35", "prior_convictions": "0", "first_offence_age": "older", "offence_type": "other",
       "long_sentence": "no", "custody_conduct": "rewarded", "remorse": "clear", "family_housing": "stable",
       "work_income": "unstable", "substance_gambling": "none", "antisocial_peers": "no", "mental_health": "none",
       "debts_victim": "no"}
HIGH = {"age_at_release": "under25", "prior_convictions": "2plus", "first_offence_age": "under18",
        "offence_type": "violent", "long_sentence": "no", "custody_conduct": "punished", "remorse": "partial",
        "family_housing": "weak", "work_income": "none", "substance_gambling": "past", "antisocial_peers": "no",
        "mental_health": "none", "debts_victim": "no"}


def _id(born, seq):
    return make_id_number("150203", born, seq)


def seed_rehabilitation():
    kdl = db.session.scalar(select(Unit).where(Unit.code == "150203"))
    first = _id(date(1990, 4, 12), 811)
    if db.session.scalar(select(Subject.id).where(Subject.id_number == first)):
        return ["安置帮教演示数据已存在。"]
    today = clock.today()
    registrar = db.session.scalar(select(User).where(User.username == "kundulun"))
    contract = db.session.scalar(select(Contract).where(Contract.unit_id == kdl.id, Contract.category == "assistance")
                                 .order_by(Contract.id))
    admin = worker = leader = counsellor = None
    if contract is not None:
        org = db.session.get(Contractor, contract.contractor_id)
        admin = db.session.scalar(select(User).where(User.role == "contractor", User.contractor_id == org.id))
        staff = db.session.scalars(select(StaffMember).where(StaffMember.contractor_id == org.id)
                                   .order_by(StaffMember.id)).all()
        leader = next((m for m in staff if m.profession == "social_worker"), staff[0] if staff else None)
        counsellor = next((m for m in staff if m.profession == "counsellor"), None)
        if leader is not None and leader.user is None:
            worker = User(username="bangjiao", display_name=leader.name, role="worker", contractor_id=org.id,
                          staff_member_id=leader.id)
            worker.set_password(PASSWORD)
            db.session.add(worker)
            db.session.flush()
        worker = leader.user if leader is not None and leader.user is not None else worker
    base = TransitionalBase(unit_id=kdl.id, name="昆都仑区阳光过渡性安置基地", operator="包头市新起点社会工作服务中心",
                            address="包头市昆都仑区阿尔丁大街 201 号", capacity=20, occupancy=6)
    db.session.add(base)
    db.session.flush()

    def subject(i, born, seq, exit_type, release, **fields):
        values = dict(name=SUBJECT_NAMES[i], id_number=_id(born, seq), sex="", birth_date=born,
                      household_address=f"包头市昆都仑区少先路 {10 + i} 号", current_address=f"包头市昆都仑区团结大街 {5 + i} 号",
                      township=("少先路街道", "团结街道", "昆北街道")[i % 3], phone=f"1384721{i:04d}",
                      family_situation="与母亲同住", education="初中", skills="焊工", offence="盗窃罪",
                      offence_type="property", sentence="有期徒刑三年", custody_place="内蒙古第一监狱",
                      exit_type=exit_type, release_date=release, key_flags=[], key_reasons="", resettlement="none",
                      contract_id=contract.id if contract else None)
        values.update(fields)
        values["sex"] = "男" if int(values["id_number"][16]) % 2 else "女"
        handover = {"notice_date": release - timedelta(days=30), "institution": "内蒙古第一监狱",
                    "conduct": "服刑期间遵守监规，参加职业技能培训", "family": "母亲健在，家庭关系一般",
                    "needs": "住房和就业", "sessions": "释放前开展心理矫治 3 次",
                    "report_date": release + timedelta(days=2) if exit_type != "prison" else None}
        s = Subject.register(registrar, values, handover)
        db.session.add(s)
        db.session.flush()
        return s

    def report(s, days=3, how="fetched"):
        s.record_report(registrar, s.release_date + timedelta(days=days), how, "少先路司法所", "王建国")

    def group(s, formed):
        if admin is None or leader is None:
            return
        members = [counsellor.id] if counsellor is not None else []
        s.form_group(admin, "many_to_one", leader.id, members, [("family", "家属", "监护人", ""),
                                                                ("community", "社区网格员", "社区帮教人员", "")])
        s.group.formed_on = formed

    def record(s, kind, on, content, **extra):
        user = worker or registrar
        r = ServiceRecord.add(s, user, {"kind": kind, "on": on, "content": content, "outcome": extra.pop("outcome", ""),
                                        **extra})
        return r

    def assess(s, answers, on):
        a = RiskAssessment.assess(s, worker or registrar, answers, on)
        return a

    # pre-release: the notice arrived, release in ten days
    subject(0, date(1990, 4, 12), 811, "prison", today + timedelta(days=10))
    # released twelve days ago, not reported: overdue
    subject(1, date(1985, 8, 3), 813, "prison", today - timedelta(days=12))
    # reported, group not yet formed
    s = subject(2, date(1979, 1, 20), 815, "prison", today - timedelta(days=5))
    report(s, 2, "self")
    if contract is None:
        db.session.commit()
        return ["安置帮教演示数据已就绪（无安置帮教合同，对象未组建帮教小组）。"]
    # under assistance, plan approved, records, consent, low risk
    s = subject(3, date(1982, 6, 15), 817, "prison", today - timedelta(days=200), resettlement="employed")
    report(s)
    group(s, today - timedelta(days=190))
    plan = AssistancePlan.draft(s, worker, {
        "needs": {"housing": "与母亲同住，住房紧张", "work": "无固定工作，有焊工技能"}, "goals": "半年内稳定就业，修复家庭关系",
        "measures": {"employment": "推荐到钢铁公司焊工岗位", "psychology": "每月一次心理疏导", "education": "每季度一次法治教育"},
        "responsible": f"{leader.name}（组长）", "contact_frequency": "每月走访一次", "starts_on": today - timedelta(days=185),
        "ends_on": today + timedelta(days=180), "review_on": today - timedelta(days=3), "consent": True})
    plan.approve(registrar)
    db.session.add(Consent(subject=s, scope="employer", given_on=today - timedelta(days=150), note="同意向用人单位提供基本信息"))
    db.session.flush()
    record(s, "employment", today - timedelta(days=150), "推荐到包钢协力公司焊工岗位面试", result="已就业",
           shares_data=True, outcome="录用")
    record(s, "education", today - timedelta(days=60), "法治教育：社区矫正和安置帮教政策宣讲")
    record(s, "visit", today - timedelta(days=12), "入户走访，工作稳定，情绪良好")
    assess(s, LOW, today - timedelta(days=190))
    # key subject (drugs), high risk: open alert and a warning report
    s = subject(4, date(2001, 2, 9), 819, "prison", today - timedelta(days=90), key_flags=["drugs", "repeat"],
                key_reasons="涉毒累犯", offence="贩卖毒品罪", offence_type="drugs")
    report(s, 1, "escorted")
    group(s, today - timedelta(days=85))
    db.session.add(PsychProfile(subject=s, on=today - timedelta(days=80), content="焦虑，睡眠差，对就业缺乏信心"))
    assess(s, HIGH, today - timedelta(days=20))
    WarningReport.report(s, worker, "昆都仑区公安分局少先路派出所", today - timedelta(days=8),
                             "近期夜间多次与原涉毒人员接触", "派出所已登记并安排走访")
    s.alerts[-1].acknowledge(registrar, "司法所约谈，通知社区民警关注")
    record(s, "mental_health", today - timedelta(days=40), "心理咨询：情绪疏导")
    # three-without, placed in the transitional base
    s = subject(5, date(1975, 11, 30), 821, "prison", today - timedelta(days=45), no_home=True, no_job=True,
                no_relatives=True, key_flags=["three_without"], key_reasons="无家可归、无业可就、无亲可投",
                resettlement="base")
    report(s, 0, "fetched")
    group(s, today - timedelta(days=44))
    record(s, "base", today - timedelta(days=44), "安置到过渡性安置基地，提供食宿和技能培训", base_id=base.id)
    record(s, "relief", today - timedelta(days=30), "协助申请最低生活保障", application_status="审核中")
    # community-correction exit (probation), under assistance
    s = subject(6, date(1993, 7, 7), 823, "probation", today - timedelta(days=300), resettlement="self_employed")
    group(s, today - timedelta(days=295))
    record(s, "adaptation", today - timedelta(days=100), "社会适应：协助办理个体工商户登记")
    assess(s, LOW, today - timedelta(days=250))
    # ended: period over, re-offended, transferred out
    s = subject(7, date(1970, 3, 3), 825, "prison", today - timedelta(days=5 * 365 + 40), resettlement="farming")
    report(s)
    group(s, s.release_date + timedelta(days=10))
    s.end(registrar, "period_over", today - timedelta(days=30))
    s = subject(8, date(1996, 9, 19), 827, "prison", today - timedelta(days=400))
    report(s)
    group(s, today - timedelta(days=390))
    s.end(registrar, "reoffended", today - timedelta(days=60))
    s = subject(9, date(1988, 12, 1), 829, "parole", today - timedelta(days=500))
    group(s, today - timedelta(days=495))
    s.end(registrar, "transferred", today - timedelta(days=15), db.session.scalar(
        select(Unit.id).where(Unit.code == "150204")))
    # ended more than five years ago: due for anonymisation
    s = subject(10, date(1966, 5, 5), 831, "prison", today - timedelta(days=11 * 365))
    report(s)
    group(s, s.release_date + timedelta(days=10))
    s.end(registrar, "period_over", today - timedelta(days=6 * 365 - 200))
    db.session.commit()
    return ["安置帮教演示数据已就绪：帮教对象 11 人（各状态和类别），帮教工作者账号 bangjiao。"]
