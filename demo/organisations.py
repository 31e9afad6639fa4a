"""Demo data: every role's accounts, contractors in every state, their staff. Idempotent.

Public names (legal representatives, staff) come from demo.helpers.PUBLIC_NAMES; the other modules take
party and subject names from separate lists, so a scan for leaked personal names is meaningful.
"""
from datetime import date, timedelta

from sqlalchemy import select

from demo.helpers import PASSWORD, PUBLIC_NAMES, make_id_number, make_uscc, tiny_pdf, unit_coded
from extensions import db
from models import Attachment, Contractor, EvaluationBody, Qualification, StaffMember, Unit, User, clock
from models.codes import CONDITIONS

def _user(username, name, role, **kw):
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        user = User(username=username, display_name=name, role=role, **kw)
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.flush()
    return user


STATEMENTS = {
    1: "本机构依法登记，具有独立法人资格，能够独立承担民事责任。",
    2: "在{area}设有固定服务场所 120 平方米，配备接待室、调解室和档案室；专职人员 8 名，其中持证人民调解员 5 名。",
    3: "已制定章程、财务管理制度和资产管理制度，设理事会和监事，财务独立核算。",
    4: "近三年无重大违法记录，已按时报送年度报告，信用记录良好。",
    5: "依法按时缴纳税款和社会保险费，无欠缴记录。",
    6: "符合项目规定的其他条件。",
}

ORGS = [
    # key, name, type, uscc prefix, seat, categories, target units, final state
    ("herun", "包头市昆都仑区和润人民调解服务中心", "social_service", "52150203MJ0000101", "150203",
     ("mediation",), ("150203", "150200"), "approved"),
    ("xinqidian", "包头市新起点社会工作服务中心", "social_service", "52150202MJ0000102", "150202",
     ("assistance",), ("150202", "150203", "150204"), "approved"),
    ("anhe", "包头市青山区安和社会工作服务社", "social_service", "52150204MJ0000103", "150204",
     ("mediation", "assistance"), ("150204",), "approved_expiring"),
    ("lucheng", "包头市鹿城法律服务有限公司", "enterprise", "91150203MA0Q00104", "150203",
     ("mediation",), ("150203", "150207"), "pending"),
    ("beifang", "包头市北方调解咨询有限公司", "enterprise", "91150203MA0Q00105", "150203",
     ("mediation",), ("150203",), "rejected"),
    ("jiuyuan", "包头市九原区同心社会工作服务中心", "social_service", "52150207MJ0000106", "150207",
     ("assistance",), ("150207",), "suspended"),
    ("xitu", "包头稀土高新区融和法律咨询有限公司", "enterprise", "91150200MA0Q00107", "150200",
     ("mediation",), ("150200", "150203"), "approved_expired_barred"),
    ("guyang", "固阳县惠民社会服务中心", "social_service", "52150222MJ0000108", "150222",
     ("assistance",), ("150222",), "terminated"),
    ("heshun", "包头市东河区和顺人民调解中心", "social_service", "52150202MJ0000109", "150202",
     ("mediation",), ("150202", "150203"), "approved"),
]


def _reviewer(seat_code):
    unit = unit_coded(seat_code)
    role = "city" if unit.is_city else "district"
    return db.session.scalar(select(User).where(User.unit_id == unit.id, User.role == role))


def _org(key, name, org_type, prefix, seat, cats, targets, state, today, names):
    uscc = make_uscc(prefix)
    org = db.session.scalar(select(Contractor).where(Contractor.uscc == uscc))
    if org is not None:
        return org, False
    seat_unit = unit_coded(seat)
    org = Contractor(name=name, org_type=org_type, uscc=uscc, seat_unit_id=seat_unit.id,
                     legal_representative=names[0], address=f"内蒙古自治区包头市{seat_unit.area_name}阿尔丁大街{len(name) * 7}号",
                     contact_name=names[1], contact_phone=f"0472-{5100000 + len(name) * 131}",
                     serves_mediation="mediation" in cats, serves_assistance="assistance" in cats,
                     target_units=[unit_coded(c) for c in targets])
    for n, (title, evidence, expires) in CONDITIONS.items():
        data = tiny_pdf(f"{key} condition {n}")
        files = [Attachment.from_upload(f"条件{n}-{evidence}.pdf", "application/pdf", data)]
        if n == 2:  # a condition may carry several files: the premises and the staff roster apart
            files.append(Attachment.from_upload("人员名册及资格证书.pdf", "application/pdf",
                                                tiny_pdf(f"{key} condition 2 roster")))
        org.qualifications.append(Qualification(
            condition=n, statement=STATEMENTS[n].format(area=seat_unit.area_name), files=files,
            expires_on=today + timedelta(days=300) if expires else None))
    admin = User(username=f"{key}", display_name=names[1], role="contractor", contractor=org)
    admin.set_password(PASSWORD)
    db.session.add_all([org, admin])
    db.session.flush()
    if org.serves_mediation:
        org.number_code()  # 昆 for the first mediation organisation seated in Kundulun, then 昆2, 昆3
    org.submit(admin)
    reviewer = _reviewer(seat)
    if state == "pending":
        return org, True
    if state == "rejected":
        org.review(reviewer, {n: ("accepted", None, None) if n != 5 else
                              ("rejected", "expired", "纳税证明为 2024 年度，请提供最近一年的证明。")
                              for n in CONDITIONS})
        return org, True
    org.review(reviewer, {n: ("accepted", None, None) for n in CONDITIONS})
    if state == "approved_expiring":
        org.qualification(4).accepted_expires_on = org.qualification(4).expires_on = today + timedelta(days=18)
    if state == "approved_expired_barred":
        org.qualification(5).accepted_expires_on = org.qualification(5).expires_on = today - timedelta(days=12)
        org.bar(_reviewer("150203"), today + timedelta(days=90), "poor_performance",
                "上一合同期绩效评价为「一般」，整改未完成。")
    if state == "suspended":
        org.suspend(reviewer, "inspection", "未按期报送 2025 年度报告。")
    if state == "terminated":
        org.terminate(reviewer, "voluntary", "机构书面申请退出承接主体名录。")
    return org, True


def _staff(org, names, today, area):
    if org.staff:
        return
    plan = [("mediator", True), ("mediator", True), ("lawyer", True), ("mediator", False),
            ("counsellor", False), ("social_worker", False)]
    for i, (profession, certified) in enumerate(plan):
        born = date(1965 + i * 5, 1 + i, 10 + i)
        m = StaffMember(contractor=org, name=names[i], id_number=make_id_number(area, born, 101 + i * 2),
                        profession=profession, phone=f"1384720{org.id:02d}{i:02d}")
        if certified:
            m.cert_number = f"包司调证〔{today.year - 1}〕{org.id * 10 + i}号"
            m.cert_issuer = "包头市司法局"
            m.cert_valid_from = today - timedelta(days=400)
            m.cert_valid_until = today + timedelta(days=700)
        elif profession == "mediator":  # certificate lapsed: may not take cases
            m.cert_number = f"包司调证〔{today.year - 4}〕{org.id * 10 + i}号"
            m.cert_issuer = "包头市司法局"
            m.cert_valid_from = today - timedelta(days=1500)
            m.cert_valid_until = today - timedelta(days=35)
        db.session.add(m)
    db.session.flush()


def _unit_credit_codes():
    """Each justice bureau's own unified social credit code (an organ of state: 11, its division code, an
    organisation code), where none was entered yet: the open data identifies the buyer by it."""
    for n, unit in enumerate(db.session.scalars(select(Unit).order_by(Unit.code)), start=1):
        if unit.uscc is None:
            unit.uscc = make_uscc(f"11{unit.code}MB1{unit.code[2:]}{n:02d}")


def seed_organisations():
    """Every role's accounts, the evaluation body, contractors in every state with staff; the names of the
    organisations added."""
    today = clock.today()
    created = []
    _unit_credit_codes()
    _user("admin", "系统管理员", "admin")
    staff_users = [("city", "市局审核员（王建国）", "city", "150200")]
    for code, username in (("150203", "kundulun"), ("150202", "donghe"), ("150204", "qingshan"),
                           ("150207", "jiuyuan_sfj"), ("150222", "guyang_sfj")):
        unit = unit_coded(code)
        staff_users.append((username, f"{unit.area_name}司法局科员", "district", code))
    for code, username in (("150203", "caizheng_kdl"), ("150202", "caizheng_dh"), ("150200", "caizheng_city")):
        unit = unit_coded(code)
        staff_users.append((username, f"{unit.area_name}财政局", "finance", code))
    for username, name, role, code in staff_users:
        _user(username, name, role, unit_id=unit_coded(code).id)
    body = db.session.scalar(select(EvaluationBody).where(EvaluationBody.uscc == make_uscc("91150200MA0Q00201")))
    if body is None:
        body = EvaluationBody(name="内蒙古正衡评估咨询有限公司", uscc=make_uscc("91150200MA0Q00201"),
                              contact_name="孙红霞", contact_phone="0472-5318888")
        db.session.add(body)
        db.session.flush()
    _user("pingjia", "评价机构评估员（孙红霞）", "evaluator", evaluation_body_id=body.id)

    for i, spec in enumerate(ORGS):
        names = PUBLIC_NAMES[(i * 3) % len(PUBLIC_NAMES):] + PUBLIC_NAMES
        org, new = _org(*spec, today, names)
        if new:
            created.append(org.name)
        if org.status in ("approved", "suspended"):
            _staff(org, names[2:], today, org.seat_unit.code)
    herun = db.session.scalar(select(Contractor).where(Contractor.uscc == make_uscc("52150203MJ0000101")))
    member = herun.staff[0]
    _user("herun_tiaojie", member.name, "worker", contractor_id=herun.id, staff_member_id=member.id)
    db.session.commit()
    return created
