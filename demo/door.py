"""Demo data for the parties' door: applications in every state (new, dispatched, accepted, declined,
closed), a signing in progress and an agreement signed on screen. Idempotent.

Applicants' names come from APPLICANT_NAMES, never from the public name list (DESIGN.md §3).
"""
import struct
import zlib
from datetime import datetime, time, timedelta

from sqlalchemy import select

from extensions import db
from models import Contract, Contractor, Unit, User, clock
from models.door import Application
from models.mediation import intake
from models.signing import Signing

APPLICANT_NAMES = ["冯淑芬", "邢国强", "符海英", "樊志勇", "葛秀珍", "伍建平", "鲍丽娜", "翟永福", "祁桂香", "苗卫国",
                   "喻春花", "单德明"]

PLAN = [
    # (state, hours ago, category, township, description)
    ("new", 5, "neighbour", "昆北街道", "邻居在楼道堆放杂物，多次沟通未果，影响通行和消防安全。"),
    ("dispatched", 30, "property", "阿尔丁街道", "物业公司长期不维修电梯，业主拒交物业费，双方发生争执。"),
    ("declined", 80, "labour", "团结街道", "在餐馆打工三个月，老板拖欠工资 6000 元。"),
    ("closed", 120, "other", "", "要求撤销法院已生效的判决。"),
    ("signing", 200, "damage", "少先路街道", "楼上卫生间漏水，损坏楼下天花板和墙面。"),
    ("signed", 300, "consumer", "鞍山道街道", "在商场购买的家电质量问题，商家拒绝退换。"),
]


def signature_png(seed, width=240, height=80):
    """A small PNG that looks like a pen stroke (the demo's "signatures")."""
    rows = []
    for y in range(height):
        row = bytearray(b"\x00")
        for x in range(width):
            wave = height // 2 + ((x * (seed + 2)) % 40 - 20) * (1 if (x // 40) % 2 else -1) // 2
            row += b"\x20\x20\x60" if abs(y - wave) < 3 else b"\xff\xff\xff"
        rows.append(bytes(row))

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b""))


def _accept(application, admin, worker, contract):
    data = application.intake_defaults()
    fields = {"source": data["source"], "source_body": None, "source_ref": None, "category": data["category"],
              "area_unit_id": data["area_unit_id"], "township": data["township"], "amount": None,
              "received_on": clock.today() - timedelta(days=5), "facts": data["facts"], "requests": data["requests"]}
    parties = [{"kind": "person", "id_number": None, "gender": None, "ethnicity": None, "birth_date": None,
                "occupation": None, "agent": None, "contact_ok": False,
                **{k: v or None for k, v in p.items()}} for p in data["parties"]]  # the form's blanks are absent values
    application_id = application.id
    case = intake(worker, fields, parties, contract)
    application = db.session.get(Application, application_id)
    application.accept(worker, case)
    today = case.received_on
    mediators = [m for m in case.contractor.staff if m.may_mediate_on(clock.today())][:1]
    case.assign(admin, mediators)
    case.give_notice(admin, today)
    case.add_record(admin, "session", {
        "held_at": datetime.combine(today + timedelta(days=2), time(9, 30)), "place": "和润调解室",
        "staff": mediators[0].name, "recorder": "调解员", "persons": "双方当事人", "helpers": "",
        "content": "双方陈述各自意见，调解员释明法律规定。", "facts_verified": "情况属实", "risks_explained": "告知诉讼风险和成本",
        "result": "被申请人赔偿申请人损失 2800 元，于十日内付清。"})
    return case


def seed_door():
    if db.session.scalar(select(Application.id).limit(1)) is not None:
        return []
    herun = db.session.scalar(select(Contractor).where(Contractor.name == "包头市昆都仑区和润人民调解服务中心"))
    unit = db.session.scalar(select(Unit).where(Unit.code == "150203"))
    clerk = db.session.scalar(select(User).where(User.username == "kundulun"))
    admin = db.session.scalar(select(User).where(User.username == "herun"))
    worker = db.session.scalar(select(User).where(User.username == "herun_tiaojie"))
    if None in (herun, unit, clerk, admin, worker):
        return []
    contract = db.session.scalar(select(Contract).where(Contract.contractor_id == herun.id,
                                                        Contract.category == "mediation").order_by(Contract.id))
    saved = clock._fixed, clock._offset
    try:
        made = _seed(herun, unit, clerk, admin, worker, contract)
    finally:
        clock._fixed, clock._offset = saved
    return [f"调解申请演示数据：{len(made)} 件（新收到、已分派、已受理并签署中、已签署生效、退回、不予受理），"
            "申请页面 /apply/，司法局 kundulun 和 herun 在“调解申请”办理。"]


def _seed(herun, unit, clerk, admin, worker, contract):
    names = iter(APPLICANT_NAMES)
    start = clock.now()
    made = []
    for i, (state, ago, category, township, text) in enumerate(PLAN):
        clock.set_now(start - timedelta(hours=ago))
        applicant, other = next(names), next(names)
        item, _code = Application.receive(unit, township, {
            "category": category, "description": text, "requests": "请求调解解决。", "applicant_name": applicant,
            "applicant_phone": f"1384720{i:04d}", "applicant_email": None,
            "applicant_address": f"包头市昆都仑区{township or '钢铁大街'}{20 + i}号", "other_name": other,
            "other_phone": f"1394721{i:04d}" if i % 2 else None, "other_address": None, "consent": True})
        db.session.flush()
        if state != "new":
            clock.set_now(start - timedelta(hours=ago - 2))
            if state == "closed":
                item.close(clerk, "申请事项是对人民法院已生效判决的异议，不属于人民调解范围，请依法申请再审或向检察院申请监督。")
            else:
                item.dispatch(clerk, herun)
        if state == "declined":
            clock.set_now(start - timedelta(hours=ago - 20))
            item.decline(admin, "本机构承办的劳动争议已达上限，且申请人与本机构调解员系亲属，须回避。")
        db.session.commit()
        clock.set_now(start)
        if state in ("signing", "signed"):
            case = _accept(item, admin, worker, contract)
            db.session.flush()
            signing = Signing.open_for(admin, case, {
                "matters": case.facts, "responsibility": "被申请人承担主要责任。",
                "terms": "被申请人赔偿申请人损失人民币 2800 元。", "performance": "转账支付，十日内付清。",
                "performance_due": clock.today() + timedelta(days=10)})
            db.session.flush()
            parties = [s for s in signing.signatures if s.role == "party"]
            signing.sign(parties[0], signature_png(i), signing.text_sha256)
            if state == "signed":
                signing.sign(parties[1], signature_png(i + 1), signing.text_sha256)
                mediator_row = next(s for s in signing.signatures if s.role == "mediator")
                signing.sign(mediator_row, signature_png(i + 2), signing.text_sha256)
            db.session.commit()
        made.append(item.number)
    return made
