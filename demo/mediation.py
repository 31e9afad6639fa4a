"""Demo data for mediation: 和润's cases in every state, with parties, records, agreements, follow-ups,
a judicial confirmation, a police report, corrective measures and a closed quarter. Idempotent.

Party names come from PARTY_NAMES, never from demo.helpers.PUBLIC_NAMES (DESIGN.md §3).
"""
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from demo.helpers import PARTY_NAMES, tiny_pdf
from extensions import db
from models import Attachment, Contract, Contractor, User, clock
from models.mediation import (Consultation, CorrectiveMeasure, MediationCase, QuarterClose, Screening,
                              take_number)
from models.mediation_figures import quarter_bounds

# (state, days before today received, category, source, township)
PLAN = [
    ("registered", 2, "neighbour", "application_oral", "昆北街道"),
    ("investigating", 9, "family", "application_written", "阿尔丁街道"),
    ("mediating", 12, "property", "court", "团结街道"),
    ("overdue", 45, "labour", "petition", "少先路街道"),
    ("written", 40, "damage", "police", "昆北街道"),
    ("oral", 20, "consumer", "application_oral", "鞍山道街道"),
    ("failed", 70, "contract", "court", "阿尔丁街道"),
    ("withdrawn", 25, "housing", "application_written", "沼潭街道"),
    ("refused", 15, "neighbour", "initiative", "昆北街道"),
    ("archived", 100, "traffic", "police", "团结街道"),
    ("failed_last_quarter", 130, "business", "arbitration", "少先路街道"),
]


def _pdf(title):
    return Attachment.from_upload(f"{title}.pdf", "application/pdf", tiny_pdf("scan"))


def seed_mediation():
    herun = db.session.scalar(select(Contractor).where(Contractor.name == "包头市昆都仑区和润人民调解服务中心"))
    if herun is None:
        return []
    if db.session.scalar(select(MediationCase.id).where(MediationCase.contractor_id == herun.id).limit(1)):
        return ["人民调解演示数据已存在。"]
    today = clock.today()
    admin = db.session.scalar(select(User).where(User.username == "herun"))
    worker = db.session.scalar(select(User).where(User.username == "herun_tiaojie"))
    contract = db.session.scalar(select(Contract).where(Contract.contractor_id == herun.id,
                                                        Contract.category == "mediation").order_by(Contract.id))
    area = herun.seat_unit_id
    mediators = [m for m in herun.staff if m.may_mediate_on(today)]
    names = iter(PARTY_NAMES)
    made = {}
    for i, (state, ago, category, source, township) in enumerate(PLAN):
        received = today - timedelta(days=ago)
        a, b = next(names), next(names, "鹿城物业服务有限公司")
        fields = {"source": source, "source_body": {"court": "包头市昆都仑区人民法院", "police": "昆都仑区公安分局昆北派出所",
                                                    "petition": "昆都仑区信访局", "arbitration": "包头仲裁委员会"}.get(source),
                  "source_ref": f"昆转〔{received.year}〕{10 + i}号" if source in ("court", "police", "petition",
                                                                             "arbitration") else None,
                  "category": category, "area_unit_id": area, "township": township,
                  "amount": Decimal(3000 + 1750 * i) if category not in ("family", "neighbour") else None,
                  "received_on": received,
                  "facts": f"{a}与{b}因{'、'.join(['费用', '责任'][: 1 + i % 2])}问题发生争执，经多次协商未果，申请调解。",
                  "requests": f"1. 请求{b}承担相应责任\n2. 请求赔偿损失"}
        parties = [{"side": "applicant", "kind": "person", "name": a, "gender": "male" if i % 2 else "female",
                    "ethnicity": "蒙古族" if i == 3 else "汉族", "birth_date": date(1960 + i * 3, 1 + i, 8),
                    "occupation": "职工", "address": f"包头市昆都仑区{township}{10 + i}号", "phone": f"1390472{i:04d}",
                    "contact_ok": i % 3 != 0},
                   {"side": "respondent", "kind": "person", "name": b, "gender": "female" if i % 2 else "male",
                    "ethnicity": "汉族", "occupation": "个体经营", "address": f"包头市昆都仑区{township}{30 + i}号",
                    "phone": f"1384772{i:04d}", "contact_ok": True}]
        seq = take_number(herun.id, received.year)
        case = MediationCase.register(admin, fields, parties, contract if i % 4 else None, seq=seq)
        db.session.flush()
        made[state] = case
        _advance(case, state, received, admin, worker, mediators, today)
    _other_work(herun, contract, admin, made, today)
    db.session.commit()
    return [f"人民调解演示数据已载入：{len(PLAN)} 件案件（和润人民调解服务中心，调解员 herun_tiaojie）。"]


def _advance(case, state, received, admin, worker, mediators, today):
    if state == "registered":
        return
    if state == "refused":
        case.refuse(admin, "被申请人明确表示不同意调解，告知其可通过诉讼解决。", on=received + timedelta(days=1))
        case.add_file_item(admin, 3, _pdf("身份证明"))
        case.archive(admin, "10")
        return
    case.assign(admin, mediators[:2] if state == "written" else mediators[:1])
    if state == "withdrawn":
        case.withdraw(admin, "申请人与对方自行和解，书面申请撤回。", on=received + timedelta(days=6))
        return
    case.give_notice(admin, received)
    held = datetime.combine(received + timedelta(days=1), time(9, 30))
    case.add_record(admin, "investigation", {
        "held_at": held, "place": "和润调解中心调解室", "staff": case.mediator_names, "recorder": "调解中心书记员",
        "persons": case.applicants[0].name, "helpers": "", "content": "问：纠纷发生的经过？\n答：详见申请书，另有照片为证。",
        "facts_verified": "", "risks_explained": "", "result": ""})
    if state == "investigating":
        return
    if state == "overdue":
        case.report_to_police(admin, {"reported_to": "昆都仑区公安分局少先路派出所",
                                      "reported_at": held + timedelta(hours=2),
                                      "content": "双方情绪激动，一方扬言报复，已报告派出所提前介入。"})
    case.add_record(admin, "session", {
        "held_at": held + timedelta(days=3), "place": "和润调解中心调解室", "staff": case.mediator_names,
        "recorder": "调解中心书记员", "persons": "、".join(p.name for p in case.parties), "helpers": "社区网格员",
        "content": "申请人陈述：……\n被申请人陈述：……", "facts_verified": "争议事实基本清楚。",
        "risks_explained": "告知诉讼的时间和费用成本。",
        "result": "双方差距较大，未能达成一致。" if state.startswith("failed") else "双方达成一致。"})
    if state in ("mediating", "overdue"):
        return
    concluded = received + timedelta(days=10 if state != "failed_last_quarter" else 40)
    if state in ("written", "oral", "archived"):
        case.succeed(admin, "oral" if state == "oral" else "written", {
            "matters": "双方就损失数额及承担方式发生争议。", "responsibility": "被申请人承担主要责任。",
            "terms": f"{case.respondents[0].name}一次性赔偿{case.applicants[0].name}人民币{case.amount or 2000}元。",
            "performance": "于协议生效后十日内银行转账支付。", "performance_due": concluded + timedelta(days=10),
            "effective_on": concluded})
        case.add_follow_up(admin, {"visited_on": min(today, concluded + timedelta(days=15)), "way": "phone",
                                   "visited_person": case.applicants[0].name, "visitor": case.mediator_names,
                                   "performance": "full" if state != "oral" else "partial",
                                   "notes": "已按协议履行。" if state != "oral" else "已支付一半，余款约定下月付清。"})
    else:
        case.fail(admin, "gap", ["litigation", "arbitration"], "已告知当事人可向人民法院起诉或申请仲裁。", concluded)
    if state == "written":
        case.record_confirmation(admin, {"applied_on": concluded + timedelta(days=5), "court": "包头市昆都仑区人民法院",
                                         "court_number": f"（{concluded.year}）内0203民特{case.seq}号",
                                         "result": "confirmed", "decided_on": concluded + timedelta(days=12)})
    if state in ("archived", "failed_last_quarter"):
        case.add_file_item(admin, 3, _pdf("身份证明"))
        case.add_file_item(admin, 7, signed_on=concluded, note="调解记录签字原件")
        case.archive(admin, "10" if state == "archived" else "30")


def _other_work(org, contract, admin, made, today):
    failed = made["failed_last_quarter"]
    quarter = (failed.concluded_on.month - 1) // 3 + 1
    quarter_end = quarter_bounds(failed.concluded_on.year, quarter)[1]
    db.session.add(CorrectiveMeasure(case=failed, year=failed.concluded_on.year, quarter=quarter,
                                     cause="对合同条款理解分歧大，调解前证据准备不足。",
                                     measure="受理合同纠纷时先行指导当事人整理证据；组织调解员学习合同法。",
                                     owner=failed.mediator_names or "中心主任", due_on=today + timedelta(days=20),
                                     created_by_id=admin.id))
    if contract is not None and quarter_end < today:
        db.session.add(QuarterClose(contract_id=contract.id, year=failed.concluded_on.year, quarter=quarter,
                                    closed_on=today - timedelta(days=3), review_note="已审查季度评估，同意关闭。"))
    db.session.add(Consultation(contractor_id=org.id, contract_id=contract.id if contract else None,
                                given_on=today - timedelta(days=4), asker="来访群众", topic="物业费拖欠如何处理",
                                answer="告知可先行协商，协商不成可申请人民调解或向法院起诉。", referred_to="",
                                created_by_id=admin.id))
    db.session.add(Screening(contractor_id=org.id, contract_id=contract.id if contract else None,
                             period_start=today - timedelta(days=30), period_end=today - timedelta(days=1),
                             area_unit_id=org.seat_unit_id, township="昆北街道", disputes_found=7,
                             analysis="物业和邻里纠纷占多数，集中在老旧小区。",
                             suggestions="建议街道牵头召开物业联席会议，对老旧小区加装楼道照明。",
                             created_by_id=admin.id))
