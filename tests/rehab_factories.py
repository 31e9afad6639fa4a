"""Factories for the assistance tests: subjects in each state, groups with a leader, a counsellor and a
plain worker, and the people of DESIGN.md §2's privacy table."""
from datetime import date, timedelta
from types import SimpleNamespace

from sqlalchemy import select

from demo.helpers import make_id_number
from extensions import db
from models import StaffMember, User
from models.rehabilitation import RiskAssessment, Subject
from models import clock
from tests import factories

HOSTILE = "A&B <b>粗体</b> \"引号\" '单引' 🙂 " + "长" * 20

_seq = [500]

LOW = {"age_at_release": "over35", "prior_convictions": "0", "first_offence_age": "older", "offence_type": "other",
       "long_sentence": "no", "custody_conduct": "rewarded", "remorse": "clear", "family_housing": "stable",
       "work_income": "stable", "substance_gambling": "none", "antisocial_peers": "no", "mental_health": "none",
       "debts_victim": "no"}
# 2+3+2+2+1+2+2+2+2+2+2+2+1 = 25, the maximum
HIGHEST = {"age_at_release": "under25", "prior_convictions": "2plus", "first_offence_age": "under18",
           "offence_type": "violent", "long_sentence": "yes", "custody_conduct": "punished", "remorse": "none",
           "family_housing": "none", "work_income": "none", "substance_gambling": "current", "antisocial_peers": "yes",
           "mental_health": "untreated", "debts_victim": "yes"}


def id_number(area="150203", born=date(1988, 3, 14)):
    _seq[0] += 1
    return make_id_number(area, born, _seq[0] % 1000)


def staff(org, name, profession="social_worker", username=None):
    """A staff member of `org`, with a worker login if `username` is given."""
    m = StaffMember(contractor=org, name=name, id_number=id_number("150203", date(1982, 5, 6)),
                    profession=profession, phone="13900000000")
    db.session.add(m)
    db.session.flush()
    if username:
        u = User(username=username, display_name=name, role="worker", contractor_id=org.id, staff_member_id=m.id)
        u.set_password(factories.PASSWORD)
        db.session.add(u)
        db.session.flush()
    return m


def subject(unit_code="150203", status="under_assistance", contract=None, exit_type="prison", release=None,
            name="韩立平", **fields):
    """A subject registered by the unit and moved through the model's transitions to `status`."""
    registrar = db.session.scalar(select(User).where(User.unit_id == factories.unit(unit_code).id,
                                                     User.role.in_(("district", "city"))))
    release = release or clock.today() - timedelta(days=60)
    values = dict(name=name, id_number=id_number(unit_code), sex="男", birth_date=date(1988, 3, 14),
                  household_address="包头市昆都仑区少先路 12 号", current_address="包头市昆都仑区团结大街 5 号",
                  township="少先路街道", phone="13812345678", offence="盗窃罪", offence_type="property",
                  sentence="有期徒刑三年", custody_place="内蒙古第一监狱", exit_type=exit_type,
                  release_date=release, key_flags=[], key_reasons="", resettlement="none",
                  contract_id=contract.id if contract else None)
    values.update(fields)
    handover = {"notice_date": release - timedelta(days=30), "institution": "内蒙古第一监狱",
                "report_date": release + timedelta(days=3) if exit_type != "prison" else None}
    s = Subject.register(registrar, values, handover)
    db.session.add(s)
    db.session.flush()
    if status == "pre_release":
        return s
    if s.status == "pre_release":
        s.record_report(registrar, release + timedelta(days=3), "fetched", "少先路司法所", "王建国")
    return s  # under assistance once form_group() has run


def form_group(s, leader, members=(), kind="many_to_one"):
    admin = db.session.scalar(select(User).where(User.role == "contractor",
                                                 User.contractor_id == s.contract.contractor_id))
    s.form_group(admin, kind, leader.id, [m.id for m in members], [("family", "韩母", "家属", "")])
    db.session.flush()
    return s.group


def assess(s, user, answers, on=None):
    a = RiskAssessment.assess(s, user, answers, on or clock.today())
    db.session.add(a)
    db.session.flush()
    return a


def privacy_world():
    """Contractor X's assistance contract with 昆都仑区; one subject under assistance with a group:
    leader (worker_x's 张志强), a counsellor, a plain member; plus a non-member worker of X."""
    x = factories.org("X")
    contract = factories.make_contract("150203", x, "assistance")
    leader = db.session.get(StaffMember, factories.user("worker_x").staff_member_id)
    counsellor = staff(x, "马俊峰", "counsellor", "counsellor_x")
    plain = staff(x, "朱晓燕", "social_worker", "plain_x")
    staff(x, "胡振华", "social_worker", "outsider_x")  # same contractor, not in the group
    s = subject(contract=contract)
    form_group(s, leader, [counsellor, plain])
    profile_user = factories.user("counsellor_x")
    from models.rehabilitation import PsychProfile

    db.session.add(PsychProfile(subject=s, on=clock.today(), content="心理档案：焦虑，睡眠差", author_id=profile_user.id))
    assess(s, profile_user, LOW)
    db.session.commit()
    return SimpleNamespace(subject=s, contract=contract, x=x)


def approved_plan(s, author=None):
    from models.rehabilitation import AssistancePlan

    owner = db.session.scalar(select(User).where(User.unit_id == s.unit_id, User.role == "district"))
    plan = AssistancePlan.draft(s, author or owner, {
        "needs": {"housing": "租住亲属房屋", "work": "无固定工作"}, "goals": "六个月内稳定就业",
        "measures": {"employment": "推荐参加焊工培训", "psychology": "每月一次心理疏导"},
        "responsible": "张志强（组长）", "contact_frequency": "每月走访一次",
        "starts_on": clock.today(), "ends_on": clock.today() + timedelta(days=365),
        "review_on": clock.today() + timedelta(days=90), "consent": True})
    db.session.add(plan)
    db.session.flush()
    plan.approve(owner)
    db.session.flush()
    return plan


def access_refs(r):
    """Records for tests/access_table.py's rehabilitation rows, made once per Refs (inside the test)."""
    cached = getattr(r, "_rehab", None)
    if cached is not None:
        return cached
    from models import Attachment
    from models.rehabilitation import ServiceRecord

    w = privacy_world()
    s = w.subject
    plan = approved_plan(s)
    leader = factories.user("worker_x")
    record = ServiceRecord.add(s, leader, {"kind": "visit", "on": clock.today(), "content": "走访", "outcome": ""})
    record.attachment = Attachment.from_upload("走访记录.pdf", "application/pdf", factories.PDF)
    db.session.add(record)
    high = assess(s, leader, HIGHEST)
    other = subject("150202", name="邓文亮")
    db.session.commit()
    r._rehab = SimpleNamespace(subject=s.id, plan=plan.id, assessment=high.id, record=record.id,
                               alert=s.alerts[0].id, other=other.id)
    return r._rehab
