"""Mediation cases for tests, moved through their states by the models' own methods."""
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from demo.helpers import make_id_number
from extensions import db
from models import Attachment
from models.mediation import MediationCase
from models import clock
from tests import factories

HOSTILE = "A&B <b>粗体</b> \"引号\" '单引号' 😀 " + "长" * 5000


def party(side="applicant", name="赵大海", **kw):
    data = {"side": side, "kind": "person", "name": name, "id_number": None, "gender": "male", "ethnicity": "汉族",
            "birth_date": date(1975, 3, 4), "occupation": "个体经营", "address": "包头市昆都仑区阿尔丁大街 5 号",
            "phone": "13900000001", "agent": None, "contact_ok": True}
    data.update(kw)
    return data


def make_case(username="worker_x", state="registered", received_on=None, contract=None, category="neighbour",
              source="application_written", text=None, parties=None, area="150203", township="昆北街道",
              amount="12000.50", concluded_on=None, performance_due=None, **extra):
    """A case of the user's organisation, registered on received_on, then taken to `state`:
    registered, investigating, mediating, written, oral, failed, withdrawn, refused, archived
    (archived: a written agreement, complete file)."""
    user = factories.user(username)
    received_on = received_on or clock.today()
    fields = {"source": source, "source_body": "包头市昆都仑区人民法院" if source == "court" else None,
              "source_ref": "（2026）内0203民诉前调1号" if source == "court" else None, "category": category,
              "area_unit_id": factories.unit(area).id, "township": township,
              "amount": Decimal(amount) if amount is not None else None, "received_on": received_on,
              "facts": text or "邻居装修漏水，损坏楼下天花板。", "requests": text or "1. 赔偿维修费用\n2. 赔礼道歉"}
    fields.update(extra)
    case = MediationCase.register(user, fields, parties or [party(), party("respondent", "钱小红", gender="female")],
                                  contract)
    db.session.flush()
    if state == "registered":
        return case
    admin = factories.user("contractor_x" if user.contractor_id == factories.org("X").id else "contractor_y")
    if state == "refused":
        case.refuse(user, text or "被申请人明确表示拒绝调解。", on=concluded_on or received_on)
        db.session.flush()
        return case
    if not case.current_assignments:
        case.assign(admin, [m for m in case.contractor.staff if m.may_mediate_on()])
    if state == "withdrawn":
        case.withdraw(admin, text or "申请人撤回申请。", on=concluded_on or received_on)
        db.session.flush()
        return case
    case.give_notice(admin, received_on)
    held = datetime.combine(received_on, time(9, 30))
    case.add_record(admin, "investigation", {"held_at": held, "place": "调解室", "staff": "张志强", "recorder": "李秀兰",
                                             "persons": "赵大海", "content": text or "问：何时漏水？答：上月。",
                                             "facts_verified": "", "risks_explained": "", "helpers": "",
                                             "result": ""})
    if state == "investigating":
        db.session.flush()
        return case
    case.add_record(admin, "session", {"held_at": held + timedelta(hours=5), "place": "调解室", "staff": "张志强",
                                       "recorder": "李秀兰", "persons": "赵大海、钱小红", "helpers": "社区网格员",
                                       "content": text or "双方陈述各自意见。", "facts_verified": "漏水属实",
                                       "risks_explained": "告知诉讼风险", "result": "达成协议"})
    if state == "mediating":
        db.session.flush()
        return case
    on = concluded_on or received_on
    if state in ("written", "oral", "archived"):
        case.succeed(admin, "oral" if state == "oral" else "written",
                     {"matters": text or "漏水损失的赔偿", "responsibility": text or "楼上住户承担全部责任",
                      "terms": text or "钱小红赔偿赵大海维修费 3000 元", "performance": text or "一次性现金支付",
                      "performance_due": performance_due, "effective_on": on})
    elif state == "failed":
        case.fail(admin, "gap", ["litigation", "arbitration"], text or "双方差距过大", on)
    if state == "archived":
        case.add_file_item(admin, 3, Attachment.from_upload("身份证.pdf", "application/pdf", factories.PDF),
                           signed_on=on, note="身份证复印件")
        case.archive(admin, "10")
    db.session.flush()
    return case


def access_refs(refs):
    """For tests/access_table.py: a mediating case of X in 昆都仑区 (worker_x its mediator) with a scan."""
    cached = refs.__dict__.get("_mediation")
    if cached is None:
        from types import SimpleNamespace

        case = make_case("worker_x", state="mediating")
        item = case.add_file_item(factories.user("contractor_x"), 3,
                                  Attachment.from_upload("身份证.pdf", "application/pdf", factories.PDF))
        from models.mediation import CorrectiveMeasure

        measure = CorrectiveMeasure(case=case, year=2026, quarter=3, cause="原因", measure="措施", owner="张志强",
                                    due_on=clock.today())
        from models.mediation import CaseImport

        job = CaseImport(contractor_id=case.contractor_id, user_id=factories.user("contractor_x").id,
                         filename="历史案件.xlsx", rows="[]", rejected="[]", total=0, status="finished")
        db.session.add_all([measure, job])
        db.session.commit()
        cached = refs.__dict__["_mediation"] = SimpleNamespace(case=case.id, scan=item.attachment_id,
                                                               measure=measure.id, job=job.id)
    return cached
