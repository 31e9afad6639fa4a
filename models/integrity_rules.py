"""The record-integrity checks of DOMAIN.md §8, run on demand and before every acceptance.

Each rule returns findings as (key, description, records); a finding seen again keeps the unit's
earlier decision. Descriptions hold counts, dates and record numbers — never names, ID numbers or
phones, which stay behind the records' own access rules.
"""
import hashlib
import re
from collections import defaultdict
from datetime import timedelta

from sqlalchemy import select

from extensions import db
from models import clock
from models.setting import Setting


def _digest(value):
    """A stable short key for a value the finding must not show (an ID number or a phone)."""
    return hashlib.sha256(value.encode()).hexdigest()[:12]


def _cases(contract):
    from models.mediation import MediationCase

    return db.session.scalars(select(MediationCase).where(MediationCase.contract_id == contract.id)).all()


def _case_ref(case):
    return {"type": "mediation_case", "id": case.id, "label": case.number}


def shared_identity(contract):
    window = Setting.get("integrity.shared_window_days")
    least = Setting.get("integrity.shared_min_cases")
    seen = defaultdict(list)  # (kind, value) -> [(received_on, case)]
    for case in _cases(contract):
        for p in case.parties:
            for kind, value in (("身份证号", p.id_number), ("电话", p.phone)):
                if value:
                    seen[(kind, value)].append((case.received_on, case))
    out = []
    for (kind, value), hits in seen.items():
        hits = sorted({c.id: (d, c) for d, c in hits}.values(), key=lambda x: x[0])
        for i in range(len(hits)):
            group = [c for d, c in hits if hits[i][0] <= d <= hits[i][0] + timedelta(days=window)]
            if len(group) >= least:
                out.append((f"{kind}:{_digest(value)}:{group[0].id}",
                            f"同一{kind}出现在 {len(group)} 件案件的当事人中（{window} 日内）",
                            [_case_ref(c) for c in group]))
                break
    return out


def same_day_cases(contract):
    least = Setting.get("integrity.same_day_cases")
    by = defaultdict(list)
    for case in _cases(contract):
        if case.concluded_on and case.concluded_on == case.received_on:
            for a in case.assignments:
                by[(a.staff_member_id, case.received_on)].append(case)
    return [(f"{staff}:{day}", f"一名调解员于 {day} 登记并结案 {len(cases)} 件", [_case_ref(c) for c in cases])
            for (staff, day), cases in by.items() if len(cases) >= least]


def record_without_shift(contract):
    """Service records and follow-ups dated on a day the worker had no shift under this contract."""
    on_duty = defaultdict(set)
    for shift in contract.shifts:
        for m in shift.staff:
            on_duty[shift.day].add(m.id)
    out = []
    from models.rehabilitation import ServiceRecord, Subject
    from models.user import User

    records = db.session.execute(select(ServiceRecord, User.staff_member_id).join(Subject)
                                 .join(User, User.id == ServiceRecord.worker_id)
                                 .where(Subject.contract_id == contract.id)).all()
    for record, staff_id in records:
        if staff_id and staff_id not in on_duty.get(record.on, set()):
            out.append((f"service:{record.id}", f"{record.on} 的帮教服务记录，记录人当日无值班记录",
                        [{"type": "service_record", "id": record.id, "label": f"服务记录 {record.id}"}]))
    return out


def follow_up_burst(contract):
    least = Setting.get("integrity.follow_ups_per_day")
    by_day, phones = defaultdict(list), defaultdict(set)
    for case in _cases(contract):
        for f in case.follow_ups:
            by_day[(f.created_by_id, f.visited_on)].append(case)
        if case.follow_ups:
            for p in case.parties:
                if p.phone:
                    phones[p.phone].add(case)
    out = [(f"day:{who}:{day}", f"同一人于 {day} 回访 {len(cases)} 次", [_case_ref(c) for c in cases])
           for (who, day), cases in by_day.items() if len(cases) >= least]
    out += [(f"phone:{_digest(phone)}", f"回访案件中同一电话为 {len(cases)} 件案件的当事人共用",
             [_case_ref(c) for c in sorted(cases, key=lambda c: c.id)])
            for phone, cases in phones.items() if len(cases) >= 3]
    return out


def agreement_without_follow_up(contract):
    days = Setting.get("integrity.follow_up_overdue_days")
    today = clock.today()
    return [(f"case:{c.id}", f"调解协议于 {c.agreement.effective_on} 生效，超过 {days} 日未回访", [_case_ref(c)])
            for c in _cases(contract)
            if c.agreement and not c.follow_ups and (today - c.agreement.effective_on).days > days]


def duplicate_service_text(contract):
    from models.rehabilitation import ServiceRecord, Subject

    records = db.session.scalars(select(ServiceRecord).join(Subject).where(Subject.contract_id == contract.id)).all()
    by_text = defaultdict(list)
    for r in records:
        text = re.sub(r"\s+", "", r.content or "")
        if len(text) >= 30:
            by_text[text].append(r)
    out = []
    for text, group in by_text.items():
        if len({r.subject_id for r in group}) >= 2:
            out.append((f"text:{min(r.id for r in group)}", f"{len(group)} 条服务记录（涉及 {len({r.subject_id for r in group})} 名对象）内容完全相同",
                        [{"type": "service_record", "id": r.id, "label": f"服务记录 {r.id}"} for r in group]))
    return out


def record_after_end(contract):
    from models.rehabilitation import ServiceRecord, Subject

    rows = db.session.scalars(select(ServiceRecord).join(Subject).where(
        Subject.contract_id == contract.id, Subject.ended_on.is_not(None), ServiceRecord.on > Subject.ended_on)).all()
    return [(f"service:{r.id}", f"{r.on} 的服务记录晚于帮教结束日期",
             [{"type": "service_record", "id": r.id, "label": f"服务记录 {r.id}"}]) for r in rows]


def changed_after_close(contract):
    """Audit entries on the contract's cases made after the quarter of the case's dates was closed."""
    from models.audit import AuditLog
    from models.mediation.work import QuarterClose

    closes = db.session.scalars(select(QuarterClose).where(QuarterClose.contract_id == contract.id)).all()
    out = []
    cases = {c.id: c for c in _cases(contract)}
    for close in closes:
        first = (close.quarter - 1) * 3 + 1
        in_quarter = [c for c in cases.values()
                      if any(d and d.year == close.year and first <= d.month < first + 3
                             for d in (c.received_on, c.concluded_on))]
        if not in_quarter:
            continue
        entries = db.session.scalars(select(AuditLog).where(
            AuditLog.record_type == "mediation_case", AuditLog.record_id.in_([c.id for c in in_quarter]),
            AuditLog.action.in_(("update", "transition")), AuditLog.at > close.closed_on + timedelta(days=1))).all()
        for e in entries:
            out.append((f"audit:{e.id}", f"{close.year}年第{close.quarter}季度关闭后，于 {e.at:%Y-%m-%d} 修改了案件记录",
                        [_case_ref(cases[e.record_id])]))
    return out


def late_changes(contract):
    """Records entered with a reason into a quarter the unit had closed (each one is a finding)."""
    from models.integrity import LateChange

    rows = db.session.scalars(select(LateChange).where(LateChange.contract_id == contract.id)).all()
    return [(f"late:{r.id}", f"{r.record_date} 所在季度关闭后于 {r.at} 补录，理由：{r.reason[:100]}",
             [{"type": r.record_type, "id": r.record_id, "label": f"记录 {r.record_id}"}]) for r in rows]


CHECKS = {"shared_identity": shared_identity, "same_day_cases": same_day_cases,
          "record_without_shift": record_without_shift, "follow_up_burst": follow_up_burst,
          "agreement_without_follow_up": agreement_without_follow_up,
          "duplicate_service_text": duplicate_service_text, "record_after_end": record_after_end,
          "changed_after_close": changed_after_close, "late_entry": late_changes}


def run(contract):
    """Run every check; new findings are added, earlier ones keep the unit's decision."""
    from models.integrity import IntegrityFinding

    existing = {(f.rule, f.key): f for f in contract.integrity_findings}
    for rule, check in CHECKS.items():
        for key, description, records in check(contract):
            if (rule, key) not in existing:
                finding = IntegrityFinding(rule=rule, key=key[:200], description=description, records=records,
                                           found_on=clock.today(), status="open")
                contract.integrity_findings.append(finding)
                existing[(rule, key)] = finding
    return contract.integrity_findings


def unexplained(contract):
    return [f for f in contract.integrity_findings if f.status != "explained"]
