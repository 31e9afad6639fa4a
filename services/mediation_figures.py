"""The mediation figures of DOMAIN.md §8, computed by one set of functions for pages, evaluation,
acceptance and reports alike.

"In the period" is by intake date for *received*, by conclusion date (the day the case ended)
for everything else. Rates are Decimal percentages rounded to one place, or None when nothing
is counted below the line.
"""
from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import or_
from sqlalchemy.orm import selectinload

from extensions import db
from models.mediation import MediationCase, code_table
from models.mediation_codes import SOURCES

FILE_GRACE_DAYS = 30  # complete-file rate: cases ended more than 30 days before the period's end


def quarter_bounds(year, quarter):
    """(first day, last day) of a quarter 1-4, or of the whole year for quarter 0."""
    if not quarter:
        return date(year, 1, 1), date(year, 12, 31)
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - timedelta(days=1)
    return start, end


def rate(part, whole):
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def load(scope, start, end):
    """The cases of a scope (a select of MediationCase) that any figure of the period may count."""
    query = scope.where(or_(MediationCase.received_on.between(start, end),
                            MediationCase.concluded_on.between(start, end)))
    return db.session.scalars(query.options(selectinload(MediationCase.agreement),
                                            selectinload(MediationCase.follow_ups),
                                            selectinload(MediationCase.assignments))).all()


def case_sets(cases, start, end):
    """The sets of cases every figure counts: the figures are their sizes, the drill-down their rows."""
    received = [c for c in cases if start <= c.received_on <= end]
    ended = [c for c in cases if c.outcome and c.concluded_on and start <= c.concluded_on <= end]
    concluded = [c for c in ended if c.outcome in ("succeeded", "failed")]
    succeeded = [c for c in concluded if c.outcome == "succeeded"]
    followed = [c for c in succeeded if c.follow_ups]
    latest = {c.id: max(c.follow_ups, key=lambda v: (v.visited_on, v.id)).performance for c in followed}
    file_base = [c for c in ended if (end - c.concluded_on).days > FILE_GRACE_DAYS]
    return {
        "received": received, "ended": ended, "concluded": concluded, "succeeded": succeeded,
        "failed": [c for c in concluded if c.outcome == "failed"],
        "written": [c for c in succeeded if c.agreement and c.agreement.kind == "written"],
        "followed": followed,
        "fulfilled": [c for c in followed if latest[c.id] == "full"],
        "partly": [c for c in followed if latest[c.id] == "partial"],
        "unfulfilled": [c for c in followed if latest[c.id] != "full"],
        "in_time": [c for c in concluded if c.concluded_on <= c.due_on],
        "file_base": file_base,
        "archived": [c for c in file_base if c.archived_on is not None and c.archived_on <= end],
    }


def compute(cases, start, end):
    """Every figure of DOMAIN.md §8 over `cases` for the period [start, end] (dates inclusive)."""
    sets = case_sets(cases, start, end)
    n = {name: len(rows) for name, rows in sets.items()}
    days = [(c.concluded_on - c.received_on).days for c in sets["concluded"]]
    return {
        "received": n["received"],
        "ended": n["ended"],
        "concluded": n["concluded"],
        "succeeded": n["succeeded"],
        "written": n["written"],
        "oral": n["succeeded"] - n["written"],
        "failed": n["failed"],
        "withdrawn": sum(c.outcome == "withdrawn" for c in sets["ended"]),
        "refused": sum(c.outcome == "refused" for c in sets["ended"]),
        "success_rate": rate(n["succeeded"], n["concluded"]),
        "average_days": (Decimal(sum(days)) / len(days)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        if days else None,
        "followed_up": n["followed"],
        "follow_up_rate": rate(n["followed"], n["succeeded"]),
        "fulfilled": n["fulfilled"],
        "partly": n["partly"],
        "fulfilment_rate": rate(n["fulfilled"], n["followed"]),
        "partly_rate": rate(n["partly"], n["followed"]),
        "in_time": n["in_time"],
        "in_time_rate": rate(n["in_time"], n["concluded"]),
        "file_base": n["file_base"],
        "archived": n["archived"],
        "complete_file_rate": rate(n["archived"], n["file_base"]),
        "failed_cases": sets["failed"],
        "unfulfilled_cases": sets["unfulfilled"],
    }


def breakdown(cases, start, end, by):
    """Figures per category, source or mediator: [(label, figures)] in the code lists' order."""
    groups = defaultdict(list)
    for c in cases:
        if by == "category":
            groups[c.category].append(c)
        elif by == "source":
            groups[c.source].append(c)
        else:
            names = {a.staff_member.name for a in c.assignments if a.ended_on is None} or {"未指派"}
            for name in names:
                groups[name].append(c)
    if by in ("category", "source"):
        table = code_table("category") if by == "category" else SOURCES
        return [(table[k], compute(groups[k], start, end)) for k in table if k in groups]
    return [(name, compute(groups[name], start, end)) for name in sorted(groups)]


def for_period(scope, start, end):
    cases = load(scope, start, end)
    return {"total": compute(cases, start, end),
            "by_category": breakdown(cases, start, end, "category"),
            "by_source": breakdown(cases, start, end, "source"),
            "by_mediator": breakdown(cases, start, end, "mediator")}


def scope_for(user, contractor_id=None, contract_id=None):
    """The cases an evaluation covers: the user's scope, narrowed to one organisation or contract."""
    from models.mediation import visible_cases

    scope = visible_cases(user)
    if contractor_id:
        scope = scope.where(MediationCase.contractor_id == contractor_id)
    if contract_id:
        scope = scope.where(MediationCase.contract_id == contract_id)
    return scope

