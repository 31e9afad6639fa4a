"""Assistance figures and rates (DOMAIN.md §8) and the rule-driven work lists: one place, used by every page.

`figures(unit_id, start, end)` is the one function acceptance, evaluation and statistics call (unit_id None:
the whole city); `report` adds the further lines of the statistical report of DOMAIN.md §9.
"""
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Integer, and_, case, extract, func, literal, or_, select, true
from sqlalchemy.orm import aliased, selectinload

from extensions import db
from models.rehabilitation import (COMMUNITY_EXITS, END_REASONS, RESETTLED, SERVICE_KINDS, AssistanceGroup,
                                   AssistancePlan, Handover, RiskAssessment, ServiceRecord, Subject, WarningReport,
                                   WorkItemSetAside, add_years)
from models import clock
from services import settings
from services.paging import COUNT_CAP


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


PER_LIST = 50  # items shown per list on the work-list page (the most urgent first)
OPEN_STATUSES = ("pre_release", "reported", "under_assistance")
_PERIOD_GROUPS = (("prison",), ("probation", "surveillance"))  # others: the parole period


def _plus_days(column, days):
    """A date column `days` later, in SQL each database answers (dates are ISO text on SQLite)."""
    if db.session.get_bind().dialect.name == "sqlite":
        return func.date(column, f"{int(days):+d} days")
    return column + literal(int(days), Integer)


def _latest_bound(shift, limit, guess):
    """The latest day d with shift(d) <= limit, for a shift that never goes backwards (add_years, _add_months);
    `guess` is a day near it (the limit shifted back)."""
    d = guess
    while shift(d) > limit:
        d -= timedelta(days=1)
    while shift(d + timedelta(days=1)) <= limit:
        d += timedelta(days=1)
    return d


def _assessment(column, offset):
    """The subject's assessment `offset` places from the latest (the order of Subject.assessments)."""
    return (select(column).where(RiskAssessment.subject_id == Subject.id)
            .order_by(RiskAssessment.assessed_on.desc(), RiskAssessment.id.desc())
            .limit(1).offset(offset).correlate(Subject).scalar_subquery())


def _per_subject(query, name, ordered):
    """A per-subject derived table. For an ordered list it is computed once, as a materialized CTE: PostgreSQL
    would otherwise inline it and work the derived column out again for the filter and for each sort key
    (four times a subject, 107 ms against 30 ms at 14,000 subjects, issue 16). A count stops at its cap instead."""
    return query.cte(name).prefix_with("MATERIALIZED") if ordered else query.subquery(name)


def _work_query(key, unit_id, ordered=True):
    """(select of the subject's id plus the note's columns, ORDER BY) for one list: the rules of DOMAIN.md §8 in SQL,
    exactly as the model's properties state them, set-aside items (30 days) left out."""
    today = clock.today()
    under = and_(Subject.unit_id == unit_id, Subject.status == "under_assistance")

    def not_set_aside(subject_id):
        return ~select(WorkItemSetAside.id).where(
            WorkItemSetAside.subject_id == subject_id, WorkItemSetAside.kind == key,
            WorkItemSetAside.at >= clock.now() - timedelta(days=30)).exists()

    kept = not_set_aside(Subject.id)
    if key == "report_overdue":
        days = settings.get("rehab.report_days")
        q = (select(Subject.id).outerjoin(Handover, Handover.subject_id == Subject.id)
             .where(Subject.unit_id == unit_id, Subject.status == "pre_release",
                    Subject.exit_type.notin_(COMMUNITY_EXITS),
                    or_(and_(Handover.report_date.is_(None), Subject.release_date < today - timedelta(days=days)),
                        Handover.report_date > _plus_days(Subject.release_date, days))))
        return q.where(kept), (Subject.release_date, Subject.id)
    if key == "period_ending":
        limit = today + timedelta(days=31)  # period_end (= add_years(release, n) - 1 day) <= today + 30
        conditions, offsets, bounds = [], [], []
        for exits, setting in zip(_PERIOD_GROUPS + (None,), ("prison", "probation", "parole")):
            n = settings.get(f"rehab.period_{setting}_years")
            of_group = Subject.exit_type.in_(exits) if exits else Subject.exit_type.notin_(sum(_PERIOD_GROUPS, ()))
            bound = _latest_bound(lambda d, n=n: add_years(d, n), limit, add_years(limit, -n))
            conditions.append(and_(of_group, Subject.release_date <= bound))
            bounds.append(bound)
            offsets.append((of_group, n))
        end_year = extract("year", Subject.release_date) + case(*offsets, else_=0)
        order = (end_year, extract("month", Subject.release_date), extract("day", Subject.release_date), Subject.id)
        # the latest bound again outside the OR: a range on the (unit, status, release date) index
        return select(Subject.id).where(under, Subject.release_date <= max(bounds), or_(*conditions), kept), order
    if key == "reassess_due":
        months = settings.get("rehab.reassess_months")
        last_on = (select(func.max(RiskAssessment.assessed_on)).where(RiskAssessment.subject_id == Subject.id)
                   .correlate(Subject).scalar_subquery())
        inner = _per_subject(select(Subject.id.label("id"), last_on.label("last_on")).where(under), "assessed", ordered)
        warned = select(WarningReport.id).where(WarningReport.subject_id == inner.c.id,
                                                WarningReport.reported_on >= inner.c.last_on).exists()
        bound = _latest_bound(lambda d: _add_months(d, months), today, _add_months(today, -months))
        q = (select(inner.c.id, inner.c.last_on, warned.label("warned"))
             .where(or_(inner.c.last_on.is_(None), inner.c.last_on <= bound, warned), not_set_aside(inner.c.id)))
        return q, (case((inner.c.last_on.is_(None), 0), else_=1), inner.c.last_on, inner.c.id)
    if key == "downgrade":
        level1, level2 = _assessment(RiskAssessment.level, 0), _assessment(RiskAssessment.level, 1)
        on1, on2 = _assessment(RiskAssessment.assessed_on, 0), _assessment(RiskAssessment.assessed_on, 1)
        recent = select(WarningReport.id).where(WarningReport.subject_id == Subject.id,
                                                WarningReport.reported_on >= today - timedelta(days=365)).exists()
        q = select(Subject.id).where(under, Subject.flagged.is_(True), level2.is_not(None), level1 != "high",
                                  level2 != "high", _plus_days(on2, 365) <= on1, ~recent, kept)
        return q, (Subject.id,)
    if key == "plan_review":
        newer = aliased(AssistancePlan)
        superseding = select(newer.id).where(newer.subject_id == AssistancePlan.subject_id, newer.status == "approved",
                                             newer.version > AssistancePlan.version).exists()
        q = (select(Subject.id, AssistancePlan.review_on).join(AssistancePlan, AssistancePlan.subject_id == Subject.id)
             .where(under, AssistancePlan.status == "approved", ~superseding, AssistancePlan.review_on <= today, kept))
        return q, (AssistancePlan.review_on, Subject.id)
    if key == "no_contact":  # Subject.contact_on: the latest record, else the group's forming (kept on write)
        days = settings.get("rehab.no_contact_days")
        q = (select(Subject.id, Subject.contact_on)
             .where(under, Subject.contact_on < today - timedelta(days=days), kept))
        return q, (Subject.contact_on, Subject.id)
    raise KeyError(key)


def _note(key, s, row):
    if key == "report_overdue":
        return f"应于{s.report_deadline:%Y-%m-%d}前报到"
    if key == "period_ending":
        return f"{s.period_end:%Y-%m-%d}届满"
    if key == "reassess_due":
        last_on, warned = row[1], row[2]
        return "尚未评估" if last_on is None else ("评估后有预警报告" if warned else f"上次评估{_as_date(last_on):%Y-%m-%d}")
    if key == "downgrade":
        return "最近两次评估均低于高风险"
    if key == "plan_review":
        return f"复核日期{row[1]:%Y-%m-%d}"
    return f"最近联系{_as_date(row[1]):%Y-%m-%d}"


def _as_date(value):
    """Dates read back through a subquery's column arrive as ISO text on SQLite."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def _work_rows(unit_id, key, limit, offset, with_total=False):
    """([(subject, note)], total): the ordered query reads narrow rows (ids and the note's columns); the page's
    subjects are then loaded by id in one statement."""
    query, order = _work_query(key, unit_id)
    if with_total:  # the list's size in the same pass (the ORDER BY reads every matching row anyway)
        query = query.add_columns(func.count().over().label("total"))
    query = query.order_by(*order).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    rows = db.session.execute(query).all()
    total = rows[0].total if with_total and rows else 0
    if not rows:
        return [], total
    load = select(Subject).where(Subject.id.in_([r[0] for r in rows]))
    if key == "downgrade":  # the model's own rule confirms what SQL found, relations loaded in bulk
        load = load.options(selectinload(Subject.assessments), selectinload(Subject.warning_reports))
    elif key == "plan_review":  # the plan in effect gives the item's due date: the page's plans in one statement
        load = load.options(selectinload(Subject.plans))
    subjects = {s.id: s for s in db.session.scalars(load)}
    items = [(subjects[r[0]], r) for r in rows]
    if key == "downgrade":
        items = [(s, r) for s, r in items if s.downgrade_obstacle() is None]
    return [(s, _note(key, s, r)) for s, r in items], total


def work_list(unit_id, key, limit=PER_LIST, offset=0):
    """[(subject, note)]: the list's most urgent items first; limit None: all of them."""
    return _work_rows(unit_id, key, limit, offset)[0]


def work_list_count(unit_id, key, cap=COUNT_CAP):
    """The list's number of items if at most `cap`, else cap + 1."""
    query, _ = _work_query(key, unit_id, ordered=False)
    inner = query.with_only_columns(query.selected_columns[0]).order_by(None).limit(cap + 1).subquery()
    return db.session.scalar(select(func.count()).select_from(inner))


def work_lists(unit_id, limit=PER_LIST):
    """[(key, title, [(subject, note)])]: each list's first `limit` items (None: all)."""
    return [(k, title, work_list(unit_id, k, limit)) for k, title in WORK_LISTS.items()]


def work_list_page(unit_id, only=None, page=1, size=PER_LIST, cap=COUNT_CAP):
    """The page's lists: every list's first `size` items, or one list (`only`) at `page`; each with its
    total shown capped ("more than cap") and pages over its first `cap` items. One statement per list."""
    result = []
    for k, title in WORK_LISTS.items():
        if only is not None and k != only:
            continue
        page_no = max(1, min(page, -(-cap // size))) if only else 1
        rows, total = _work_rows(unit_id, k, size, (page_no - 1) * size, with_total=True)
        if not rows and page_no > 1:  # past the end: the count tells where the last page is
            total = work_list_count(unit_id, k, cap)
            page_no = max(1, -(-min(total, cap) // size))
            rows, total = _work_rows(unit_id, k, size, (page_no - 1) * size, with_total=True)
        total = min(total, cap + 1)
        result.append({"key": k, "title": title, "total": total, "cap": cap, "page": page_no, "rows": rows,
                       "pages": max(1, -(-min(total, cap) // size))})
    return result
