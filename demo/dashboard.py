"""Demo data for the dashboards: a year of concluded cases that two mediation centres brought in through
the historical import, so the monthly charts and rates have something to show. Idempotent.

Parties carry names from PARTY_NAMES only (never the public list) and no ID number or phone.
"""
import json
import random
from datetime import timedelta

from sqlalchemy import select

from demo.helpers import PARTY_NAMES
from extensions import db
from models import Contractor, User, clock
from models.mediation import CaseImport, FollowUp, MediationCase, Party, format_number, take_number
from services import settings

FILENAME = "历史案件台账（演示）.xlsx"
CENTRES = (("包头市昆都仑区和润人民调解服务中心", 26, ("阿尔丁大街街道", "少先路街道", "昆北街道")),
           ("包头市东河区和顺人民调解中心", 12, ("和平路街道", "西脑包街道")))
CATEGORIES = (("neighbour", 24), ("family", 20), ("property", 12), ("contract", 9), ("damage", 9), ("labour", 8),
              ("traffic", 7), ("consumer", 5), ("housing", 4), ("other", 2))
OUTCOMES = (("written", 46), ("oral", 20), ("failed", 16), ("withdrawn", 12), ("refused", 6))


def _pick(rng, weighted):
    return rng.choices([k for k, _ in weighted], weights=[w for _, w in weighted])[0]


def seed_dashboard():
    rng = random.Random(20261127)
    today = clock.today()
    limit = settings.get("mediation.time_limit_days")
    lines = []
    for name, per_month, townships in CENTRES:
        org = db.session.scalar(select(Contractor).where(Contractor.name == name))
        admin = db.session.scalar(select(User).where(User.contractor_id == org.id, User.role == "contractor")
                                  .order_by(User.id)) if org else None
        if org is None or admin is None:
            continue
        if db.session.scalar(select(CaseImport.id).where(CaseImport.contractor_id == org.id,
                                                         CaseImport.filename == FILENAME)):
            lines.append(f"{name}：历史案件演示数据已存在。")
            continue
        made = 0
        for back in range(12, 0, -1):  # the twelve months before the last forty days
            for _ in range(per_month + rng.randint(-4, 4)):
                received = today - timedelta(days=40 + 30 * (back - 1) + rng.randint(0, 29))
                outcome = _pick(rng, OUTCOMES)
                concluded = received + timedelta(days=0 if outcome == "refused" else rng.choice(
                    [rng.randint(2, 20)] * 4 + [rng.randint(21, 45)]))
                seq = take_number(org.id, received.year)
                a, b = rng.sample(PARTY_NAMES, 2)
                case = MediationCase(
                    contractor_id=org.id, contract_id=None, area_unit_id=org.seat_unit_id,
                    township=rng.choice(townships), year=received.year, seq=seq,
                    number=format_number(org, received.year, seq), source=rng.choice(
                        ["application_oral", "application_written", "initiative", "police", "court"]),
                    category=_pick(rng, CATEGORIES), facts=f"{a}与{b}发生纠纷（历史台账导入，详见纸质卷宗）。",
                    requests="见纸质卷宗", received_on=received, due_on=received + timedelta(days=limit),
                    registered_by_id=admin.id)
                if case.source in ("police", "court"):
                    case.source_body = "昆都仑区公安分局" if case.source == "police" else "包头市昆都仑区人民法院"
                case.import_outcome(outcome, concluded, "（见纸质卷宗）")
                case.parties = [Party(side="applicant", kind="person", name=a),
                                Party(side="respondent", kind="person", name=b)]
                if outcome in ("written", "oral") and rng.random() < 0.8:
                    visited = concluded + timedelta(days=rng.randint(10, 35))
                    if visited <= today:
                        case.follow_ups.append(FollowUp(
                            visited_on=visited, way=rng.choice(["phone", "visit"]), visited_person=a,
                            visitor="调解员", performance=_pick(rng, (("full", 80), ("partial", 15), ("none", 5))),
                            created_by_id=admin.id))
                db.session.add(case)
                made += 1
            db.session.flush()
        db.session.add(CaseImport(contractor_id=org.id, user_id=admin.id, filename=FILENAME, rows="[]",
                                  rejected=json.dumps([]), total=made, done=made, status="finished"))
        db.session.commit()
        lines.append(f"{name}：导入近一年历史案件 {made} 件（数据看板的演示数据）。")
    return lines
