"""Assistance figures and rates (DOMAIN.md §8) and the rule-driven work lists: one place, used by every page.

`figures(unit_id, start, end)` is the one function acceptance, evaluation and statistics call (unit_id None:
the whole city); `report` adds the further lines of the statistical report of DOMAIN.md §9.
"""
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import and_, func, or_, select, true

from extensions import db
from models.rehabilitation import (END_REASONS, RESETTLED, AssistanceGroup, AssistancePlan, Handover, RiskAssessment,
                                   SERVICE_KINDS, ServiceRecord, Subject, WorkItemSetAside)
from services import clock, settings


def rate(numerator, denominator):
    """{"n", "d", "percent"}: percent as a Decimal with one place, None when nothing to divide by."""
    pct = None
    if denominator:
        pct = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return {"n": numerator, "d": denominator, "percent": pct}


def _of(unit_id):
    """A unit's subjects (registered in it); None: every subject of the city."""
    return true() if unit_id is None else Subject.unit_id == unit_id


def _count(query):
    return db.session.scalar(select(func.count()).select_from(query.subquery()))


def _under_assistance_between(unit_id, start, end):
    """Subjects reported and with a group by `end` (a group formed before release counts from the
    report), whose assistance had not ended before `start`."""
    return (select(Subject.id).join(AssistanceGroup, AssistanceGroup.subject_id == Subject.id)
            .join(Handover, Handover.subject_id == Subject.id)
            .where(_of(unit_id), AssistanceGroup.formed_on <= end, Handover.report_date <= end,
                   or_(Subject.ended_on.is_(None), Subject.ended_on >= start)))


def figures(unit_id, start, end):
    report_days = settings.get("rehab.report_days")
    released = db.session.execute(
        select(Subject.id, Subject.release_date, Subject.flagged, Subject.risk_level, Handover.report_date)
        .join(Handover, Handover.subject_id == Subject.id)
        .where(_of(unit_id), Subject.exit_type == "prison",
               Subject.release_date >= start, Subject.release_date <= end)).all()

    def on_time(row):
        return row.report_date is not None and row.report_date <= row.release_date + timedelta(days=report_days)

    key = [r for r in released if r.flagged or r.risk_level == "high"]
    during = _under_assistance_between(unit_id, start, end)
    at_start = _under_assistance_between(unit_id, start, start)
    under = _count(during)
    served = _count(during.where(Subject.id.in_(
        select(ServiceRecord.subject_id).where(ServiceRecord.on >= start, ServiceRecord.on <= end))))
    resettled = _count(during.where(Subject.resettlement.in_(RESETTLED)))
    reoffended = _count(select(Subject.id).where(_of(unit_id), Subject.end_reason == "reoffended",
                                                 Subject.ended_on >= start, Subject.ended_on <= end))
    started = _count(at_start)
    in_period = and_(ServiceRecord.on >= start, ServiceRecord.on <= end)
    by_kind = dict(db.session.execute(
        select(ServiceRecord.kind, func.count()).join(Subject)
        .where(_of(unit_id), in_period).group_by(ServiceRecord.kind)).all())
    helped = db.session.scalar(
        select(func.count(func.distinct(ServiceRecord.subject_id))).join(Subject)
        .where(_of(unit_id), in_period, ServiceRecord.kind.in_(("employment", "relief"))))
    return {
        "released": len(released),
        "handed_over": sum(1 for r in released if on_time(r)),
        "key_released": len(key),
        "key_handed_over": sum(1 for r in key if on_time(r)),
        "received": _count(select(Subject.id).join(Handover).where(
            _of(unit_id), Handover.report_date >= start, Handover.report_date <= end)),
        "under_assistance": under,
        "under_assistance_at_start": started,
        "plans_in_effect": _count(select(AssistancePlan.id).join(Subject).where(
            _of(unit_id), AssistancePlan.status == "approved")),
        "records_by_kind": {SERVICE_KINDS[k]: n for k, n in sorted(by_kind.items())},
        "assessments": _count(select(RiskAssessment.id).join(Subject).where(
            _of(unit_id), RiskAssessment.assessed_on >= start, RiskAssessment.assessed_on <= end)),
        "helped": helped,
        "reoffended": reoffended,
        "rates": {
            "handover": rate(sum(1 for r in released if on_time(r)), len(released)),
            "key_handover": rate(sum(1 for r in key if on_time(r)), len(key)),
            "assistance": rate(served, under),
            "resettlement": rate(resettled, under),
            "reoffending": rate(reoffended, started),
        },
    }


def _on_register_after(unit_id, day):
    """Subjects still under assistance at the close of `day` (assistance ending that day is over)."""
    return _under_assistance_between(unit_id, day + timedelta(days=1), day)


def report(unit_id, start, end):
    """The assistance statistics of DOMAIN.md §9: figures() plus the register at the end, resettlement by
    way, relief and work help, lost contact and endings by reason; grouped queries throughout."""
    result = figures(unit_id, start, end)
    during = _under_assistance_between(unit_id, start, end)
    by_way = dict(db.session.execute(
        select(Subject.resettlement, func.count()).where(Subject.id.in_(during), Subject.resettlement.in_(RESETTLED))
        .group_by(Subject.resettlement)).all())
    helped = dict(db.session.execute(
        select(ServiceRecord.kind, func.count(func.distinct(ServiceRecord.subject_id))).join(Subject)
        .where(_of(unit_id), ServiceRecord.on >= start, ServiceRecord.on <= end,
               ServiceRecord.kind.in_(("relief", "employment"))).group_by(ServiceRecord.kind)).all())
    ended = dict(db.session.execute(
        select(Subject.end_reason, func.count()).where(_of(unit_id), Subject.ended_on >= start, Subject.ended_on <= end)
        .group_by(Subject.end_reason)).all())
    result.update({
        "register_at_start": result["under_assistance_at_start"],
        "register_at_end": _count(_on_register_after(unit_id, end)),
        "resettled_by_way": {way: by_way.get(way, 0) for way in RESETTLED},
        "resettled": sum(by_way.values()),
        "relief_helped": helped.get("relief", 0),
        "work_helped": helped.get("employment", 0),
        "lost_contact": _count(select(Subject.id).where(
            _of(unit_id), Subject.lost_contact.is_(True), Subject.release_date <= end,
            or_(Subject.ended_on.is_(None), Subject.ended_on >= start))),
        "ended_by_reason": {reason: ended.get(reason, 0) for reason in END_REASONS},
        "ended": sum(ended.values()),
    })
    return result


WORK_LISTS = {
    "period_ending": "帮教期 30 天内届满",
    "reassess_due": "到期应重新评估",
    "downgrade": "重点对象可调整为一般",
    "report_overdue": "逾期未报到",
    "plan_review": "方案到期复核",
    "no_contact": "长期未联系",
}


def _add_months(d, months):
    month = d.month - 1 + months
    year = d.year + month // 12
    month = month % 12 + 1
    for day in (d.day, 30, 29, 28):
        try:
            return d.replace(year=year, month=month, day=day)
        except ValueError:
            continue


def work_lists(unit_id):
    """[(key, title, [(subject, note)])] computed from the records and the clock; set-aside items hidden 30 days."""
    today = clock.today()
    hidden = set(db.session.execute(select(WorkItemSetAside.subject_id, WorkItemSetAside.kind).where(
        WorkItemSetAside.at >= clock.now() - timedelta(days=30))).all())
    open_subjects = db.session.scalars(select(Subject).where(
        Subject.unit_id == unit_id, Subject.status.in_(("pre_release", "reported", "under_assistance")))
        .order_by(Subject.id)).all()
    reassess = settings.get("rehab.reassess_months")
    no_contact = settings.get("rehab.no_contact_days")
    lists = {k: [] for k in WORK_LISTS}
    for s in open_subjects:
        if s.status == "pre_release":
            if s.report_overdue:
                lists["report_overdue"].append((s, f"应于{s.report_deadline:%Y-%m-%d}前报到"))
            continue
        if s.status != "under_assistance":
            continue
        if s.period_end <= today + timedelta(days=30):
            lists["period_ending"].append((s, f"{s.period_end:%Y-%m-%d}届满"))
        last = s.last_assessment
        warned = last is not None and any(w.reported_on >= last.assessed_on for w in s.warning_reports)
        if last is None or _add_months(last.assessed_on, reassess) <= today or warned:
            note = "尚未评估" if last is None else ("评估后有预警报告" if warned else f"上次评估{last.assessed_on:%Y-%m-%d}")
            lists["reassess_due"].append((s, note))
        if s.flagged and s.downgrade_obstacle() is None:
            lists["downgrade"].append((s, "最近两次评估均低于高风险"))
        plan = s.plan_in_effect
        if plan is not None and plan.review_on <= today:
            lists["plan_review"].append((s, f"复核日期{plan.review_on:%Y-%m-%d}"))
        contact = s.last_contact or (s.group.formed_on if s.group else None)
        if contact is not None and contact + timedelta(days=no_contact) < today:
            lists["no_contact"].append((s, f"最近联系{contact:%Y-%m-%d}"))
    return [(k, title, [(s, note) for s, note in lists[k] if (s.id, k) not in hidden])
            for k, title in WORK_LISTS.items()]
