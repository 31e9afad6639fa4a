"""Small factories and the shared test world: two districts, the city, two contractors, every role."""
import io
from datetime import timedelta

from datetime import date

from sqlalchemy import func, select

from demo.helpers import make_id_number, make_uscc, tiny_pdf
from extensions import db
from models import Contractor, EvaluationBody, StaffMember, Unit, User
from models.codes import CONDITIONS
from models import clock
from services.uploads import sniff  # noqa: F401  (re-exported for tests)

PASSWORD = "Test-password-1"
USCC_X = make_uscc("52150203MJ0000901")  # seated in 昆都仑区 (district_a)
USCC_Y = make_uscc("52150202MJ0000902")  # seated in 东河区 (district_b)
PDF = tiny_pdf("evidence")
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
       b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82")

USERS = {
    # username: (role, unit code / contractor key / body)
    "admin": ("admin", None),
    "city": ("city", "150200"),
    "district_a": ("district", "150203"),
    "district_b": ("district", "150202"),
    "finance_a": ("finance", "150203"),
    "contractor_x": ("contractor", "X"),
    "contractor_y": ("contractor", "Y"),
    "worker_x": ("worker", "X"),
    "evaluator": ("evaluator", "E"),
}


def unit(code):
    return db.session.scalar(select(Unit).where(Unit.code == code))


def user(username):
    return db.session.scalar(select(User).where(User.username == username))


def org(key):
    return db.session.scalar(select(Contractor).where(Contractor.uscc == {"X": USCC_X, "Y": USCC_Y}[key]))


def make_contractor(name, uscc, seat_code, status="approved", reviewer=None, admin_username=None):
    """A contractor registered and, unless pending, reviewed through the model's own transitions."""
    from models import Attachment, Qualification

    today = clock.today()
    c = Contractor(name=name, org_type="social_service", uscc=uscc, seat_unit_id=unit(seat_code).id,
                   legal_representative="王建国", address="包头市昆都仑区钢铁大街 1 号", contact_name="李秀兰",
                   contact_phone="0472-5100000", serves_mediation=True, serves_assistance=True,
                   target_units=[unit(seat_code)])
    for n, (_, _, expires) in CONDITIONS.items():
        c.qualifications.append(Qualification(
            condition=n, statement=f"条件{n}的说明", evidence=Attachment.from_upload(f"c{n}.pdf", "application/pdf", PDF),
            expires_on=today + timedelta(days=365) if expires else None))
    admin = User(username=admin_username or f"admin-{uscc}", display_name="机构管理员", role="contractor", contractor=c)
    admin.set_password(PASSWORD)
    db.session.add_all([c, admin])
    db.session.flush()
    c.number_code()  # as registration does: 昆 for the first organisation seated in 昆都仑区, then 昆2 …
    c.submit(admin)
    if status != "pending":
        reviewer = reviewer or db.session.scalar(
            select(User).where(User.unit_id == c.seat_unit_id, User.role.in_(("district", "city"))))
        c.review(reviewer, {n: ("accepted", None, None) for n in CONDITIONS})
    db.session.flush()
    return c


def world():
    body = EvaluationBody(name="正衡评估", uscc=make_uscc("91150200MA0Q00903"), contact_name="孙红霞",
                          contact_phone="0472-5318888")
    db.session.add(body)
    for username, (role, ref) in USERS.items():
        if role in ("city", "district", "finance"):
            u = User(username=username, display_name=username, role=role, unit_id=unit(ref).id)
        elif role == "admin":
            u = User(username=username, display_name=username, role=role)
        else:
            continue
        u.set_password(PASSWORD)
        db.session.add(u)
    db.session.flush()
    x = make_contractor("和润调解中心", USCC_X, "150203", admin_username="contractor_x")
    y = make_contractor("新起点社工中心", USCC_Y, "150202", admin_username="contractor_y")
    staff = StaffMember(contractor=x, name="张志强", id_number=make_id_number("150203", clock.today().replace(year=1980), 11),
                        profession="mediator", phone="13847200000", cert_number="包司调证〔2025〕1号",
                        cert_issuer="包头市司法局", cert_valid_from=clock.today() - timedelta(days=100),
                        cert_valid_until=clock.today() + timedelta(days=300))
    other = StaffMember(contractor=y, name="刘海燕", id_number=make_id_number("150202", clock.today().replace(year=1985), 22),
                profession="social_worker", phone="13847200001")
    db.session.add_all([staff, other])
    db.session.flush()
    for username, role, ref in (("worker_x", "worker", x), ("evaluator", "evaluator", body)):
        u = User(username=username, display_name=username, role=role)
        if role == "worker":
            u.contractor_id, u.staff_member_id = ref.id, staff.id
        else:
            u.evaluation_body_id = ref.id
        u.set_password(PASSWORD)
        db.session.add(u)
    db.session.flush()


def upload(data=PDF, name="evidence.pdf"):
    return (io.BytesIO(data), name)


def registration_data(**overrides):
    """A complete, valid registration form (files as (stream, name) tuples)."""
    data = {
        "name": "包头市东河区和谐人民调解服务中心",
        "org_type": "social_service",
        "uscc": make_uscc("52150202MJ0000777"),
        "seat_unit_id": str(unit("150202").id),
        "legal_representative": "赵文博",
        "address": "包头市东河区巴彦塔拉大街 88 号",
        "contact_name": "黄丽娟",
        "contact_phone": "0472-4123456",
        "serves_mediation": "y",
        "target_units": [str(unit("150202").id), str(unit("150203").id)],
        "admin_name": "黄丽娟",
        "username": "hexie_admin",
        "password": "Hexie-2026-pw",
        "password2": "Hexie-2026-pw",
    }
    for n, (_, _, expires) in CONDITIONS.items():
        data[f"statement_{n}"] = f"条件{n}：本机构符合要求。"
        data[f"evidence_{n}"] = upload(name=f"条件{n}.pdf")
        if expires:
            data[f"expires_{n}"] = (clock.today() + timedelta(days=200)).isoformat()
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def make_contract(unit_code, contractor, category="mediation", amount="300000.00", start=None, months=12):
    """A signed contract built directly (plan → procurement → bid → contract), for tests of later modules."""
    from datetime import datetime
    from decimal import Decimal

    from models import Bid, Contract, Instalment, Milestone, PlanItem, Procurement, PurchasePlan, ServiceItem

    today = clock.today()
    start = start or today.replace(day=1)
    u = unit(unit_code)
    amount = Decimal(amount)
    plan = db.session.scalar(select(PurchasePlan).where(PurchasePlan.unit_id == u.id, PurchasePlan.year == start.year))
    if plan is None:
        plan = PurchasePlan(unit_id=u.id, year=start.year, budget_amount=amount * 10, needs_assessment="需求",
                            affordability_notes="可承受", status="published", published_on=start)
        db.session.add(plan)
    code = "M5" if category == "mediation" else "A3"
    item = PlanItem(plan=plan, service_item=db.session.scalar(select(ServiceItem).where(ServiceItem.code == code)),
                    content="服务", service_standard="标准", quantity=Decimal(1), unit_label="年", budget=amount,
                    target_requirements="目标")
    db.session.add(item)
    ocid, seq = Procurement.mint_ocid(u, start.year)
    proc = Procurement(ocid=ocid, seq=seq, unit_id=u.id, year=start.year, title="测试采购", category=category,
                       requirement_summary="需求", budget=amount, expected_month=start.month, status="contracted",
                       intention_published_on=start, method="competitive_consultation")
    proc.plan_items = [item]
    bid = Bid(contractor=contractor, price=amount, submitted_at=datetime.combine(start, datetime.min.time()))
    proc.bids.append(bid)
    db.session.add(proc)
    db.session.flush()
    proc.award_bid, proc.awarded_on = bid, start
    cseq = (db.session.scalar(select(func.max(Contract.seq)).where(Contract.unit_id == u.id,
                                                                    Contract.year == start.year)) or 0) + 1
    end_month = start.month - 1 + months
    end = date(start.year + end_month // 12, end_month % 12 + 1, 1) - timedelta(days=1)
    contract = Contract(procurement=proc, unit_id=u.id, contractor_id=contractor.id, year=start.year, seq=cseq,
                        number=f"包{u.short_name}司购〔{start.year}〕{cseq}号", title="测试合同", category=category,
                        subject="服务", scope="范围", quantities="数量", quality_requirements="质量",
                        place_and_manner="地点", acceptance_requirements="验收", rights_obligations="权利",
                        breach_liability="违约", dispute_resolution="争议", period_start=start, period_end=end,
                        original_amount=amount, amount=amount, signed_on=start)
    final = Milestone(kind="acceptance", title="终期验收", due_on=end, is_final=True)
    mid = Milestone(kind="payment", title="首期", due_on=start + timedelta(days=30))
    contract.milestones = [mid, final]
    contract.instalments = [Instalment(seq=1, milestone=mid, amount=amount / 2),
                            Instalment(seq=2, milestone=final, amount=amount - amount / 2)]
    db.session.add(contract)
    db.session.flush()
    return contract
