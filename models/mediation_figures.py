"""The mediation figures of DOMAIN.md §8, computed by one set of functions for pages, evaluation,
acceptance and reports alike.

"In the period" is by intake date for *received*, by conclusion date (the day the case ended)
for everything else. Rates are Decimal percentages rounded to one place, or None when nothing
is counted below the line.
"""
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace

from sqlalchemy import and_, case, func, or_, select

from extensions import db
from models.mediation import (Agreement, Assignment, FollowUp, MediationCase, Party, PoliceReport, code_table,
                              unit_cases)
from models.mediation_codes import OUTCOMES, SOURCES

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


# Each counted figure defined once: (the date it is counted by, the outcomes it takes, the agreement it
# needs). `counts` tests a loaded case against it, `condition` writes the same test in SQL for the
# grouped queries of the statistical reports. A success without a written agreement counts as oral.
COUNTED = {
    "received": ("received_on", None, None),
    "ended": ("concluded_on", OUTCOMES, None),
    "concluded": ("concluded_on", ("succeeded", "failed"), None),
    "succeeded": ("concluded_on", ("succeeded",), None),
    "written": ("concluded_on", ("succeeded",), "written"),
    "oral": ("concluded_on", ("succeeded",), "oral"),
    "failed": ("concluded_on", ("failed",), None),
    "withdrawn": ("concluded_on", ("withdrawn",), None),
    "refused": ("concluded_on", ("refused",), None),
}


def counts(c, figure, start, end):
    """Whether a loaded case counts in `figure` for the period [start, end]."""
    column, outcomes, kind = COUNTED[figure]
    day = getattr(c, column)
    if day is None or not start <= day <= end or (outcomes is not None and c.outcome not in outcomes):
        return False
    written = c.agreement is not None and c.agreement.kind == "written"
    return kind is None or written == (kind == "written")


def condition(figure, start, end):
    """`counts` as SQL, over MediationCase outer-joined to its Agreement."""
    column, outcomes, kind = COUNTED[figure]
    parts = [getattr(MediationCase, column).between(start, end)]
    if outcomes is not None:
        parts.append(MediationCase.outcome.in_(outcomes))
    if kind == "written":
        parts.append(Agreement.kind == "written")
    elif kind == "oral":
        parts.append(or_(Agreement.kind.is_(None), Agreement.kind != "written"))
    return and_(*parts)


class CaseAgreement:
    __slots__ = ("kind",)
    kind_label = Agreement.kind_label

    def __init__(self, kind):
        self.kind = kind


class CaseFollowUp:
    __slots__ = ("id", "visited_on", "performance")
    performance_label = FollowUp.performance_label

    def __init__(self, id, visited_on, performance):
        self.id, self.visited_on, self.performance = id, visited_on, performance


class CaseMediator:
    """A current assignment, as far as the figures read it: `ended_on` None and the mediator's name."""
    __slots__ = ("staff_member",)
    ended_on = None

    def __init__(self, name):
        self.staff_member = SimpleNamespace(name=name)


CASE_COLUMNS = ("id", "number", "category", "source", "status", "received_on", "concluded_on", "outcome", "due_on",
                "archived_on", "fail_reason")


class CaseFigures:
    """A case as the figures, breakdowns and lists of failures read it: plain columns, the agreement's kind,
    the follow-ups and the current mediators' names, with the model's own labels (issue 8: loading 28,000
    cases as ORM objects with their relations took half a minute)."""
    __slots__ = CASE_COLUMNS + ("agreement", "follow_ups", "assignments")

    def __init__(self, row):
        (self.id, self.number, self.category, self.source, self.status, self.received_on, self.concluded_on,
         self.outcome, self.due_on, self.archived_on, self.fail_reason, kind) = row
        self.agreement = CaseAgreement(kind) if kind is not None else None
        self.follow_ups, self.assignments = [], []

    status_label = MediationCase.status_label
    outcome_key = MediationCase.outcome_key
    outcome_label = MediationCase.outcome_label
    category_label = MediationCase.category_label
    source_label = MediationCase.source_label
    fail_reason_label = MediationCase.fail_reason_label
    latest_follow_up = MediationCase.latest_follow_up
    current_assignments = MediationCase.current_assignments
    is_ended = MediationCase.is_ended

    @property
    def mediator_names(self):
        return "、".join(a.staff_member.name for a in self.current_assignments)


def _in_period(scope, start, end):
    return scope.where(or_(MediationCase.received_on.between(start, end),
                           MediationCase.concluded_on.between(start, end))).order_by(None)


def load(scope, start, end):
    """The cases of a scope (a select of MediationCase) that any figure of the period may count, as
    CaseFigures in id order: three plain queries whatever the number of cases."""
    from models.contractor import StaffMember

    query = _in_period(scope, start, end)
    ids = query.with_only_columns(MediationCase.id)
    db.session.flush()  # what Session.execute would do before reading
    run = db.session.connection().execute  # plain rows: no ORM bookkeeping for tens of thousands of them
    cases = {row[0]: CaseFigures(row) for row in run(
        query.with_only_columns(*(getattr(MediationCase, name) for name in CASE_COLUMNS), Agreement.kind)
        .outerjoin(Agreement, Agreement.case_id == MediationCase.id).order_by(MediationCase.id))}
    if cases:
        for case_id, *visit in run(select(FollowUp.case_id, FollowUp.id, FollowUp.visited_on, FollowUp.performance)
                                   .where(FollowUp.case_id.in_(ids)).order_by(FollowUp.visited_on, FollowUp.id)):
            if case_id in cases:
                cases[case_id].follow_ups.append(CaseFollowUp(*visit))
        for case_id, name in run(select(Assignment.case_id, StaffMember.name)
                                 .join(StaffMember, StaffMember.id == Assignment.staff_member_id)
                                 .where(Assignment.ended_on.is_(None), Assignment.case_id.in_(ids))
                                 .order_by(Assignment.id)):
            if case_id in cases:
                cases[case_id].assignments.append(CaseMediator(name))
    return list(cases.values())


def case_sets(cases, start, end):
    """The sets of cases every figure counts: the figures are their sizes, the drill-down their rows."""
    received = [c for c in cases if counts(c, "received", start, end)]
    ended = [c for c in cases if counts(c, "ended", start, end)]
    concluded = [c for c in ended if counts(c, "concluded", start, end)]
    succeeded = [c for c in concluded if counts(c, "succeeded", start, end)]
    followed = [c for c in succeeded if c.follow_ups]
    latest = {c.id: max(c.follow_ups, key=lambda v: (v.visited_on, v.id)).performance for c in followed}
    file_base = [c for c in ended if (end - c.concluded_on).days > FILE_GRACE_DAYS]
    return {
        "received": received, "ended": ended, "concluded": concluded, "succeeded": succeeded,
        "failed": [c for c in concluded if counts(c, "failed", start, end)],
        "written": [c for c in succeeded if counts(c, "written", start, end)],
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
    n["withdrawn"] = sum(counts(c, "withdrawn", start, end) for c in sets["ended"])
    n["refused"] = sum(counts(c, "refused", start, end) for c in sets["ended"])
    days = sum((c.concluded_on - c.received_on).days for c in sets["concluded"])
    return {**_figures(n, days), "failed_cases": sets["failed"], "unfulfilled_cases": sets["unfulfilled"]}


def _figures(n, days):
    """The figures from the sizes `n` of the case sets (and withdrawn, refused) and the days concluded
    cases took in all."""
    return {
        "received": n["received"],
        "ended": n["ended"],
        "concluded": n["concluded"],
        "succeeded": n["succeeded"],
        "written": n["written"],
        "oral": n["succeeded"] - n["written"],
        "failed": n["failed"],
        "withdrawn": n["withdrawn"],
        "refused": n["refused"],
        "success_rate": rate(n["succeeded"], n["concluded"]),
        "average_days": (Decimal(days) / n["concluded"]).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        if n["concluded"] else None,
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
    }


def _days_between(later, earlier):
    if db.session.get_bind().dialect.name == "sqlite":
        return func.julianday(later) - func.julianday(earlier)
    return later - earlier  # PostgreSQL: date - date is a number of days


def set_conditions(start, end):
    """The sets of `case_sets` (and withdrawn, refused) as SQL conditions over MediationCase outer-joined to
    its Agreement: `condition` for each COUNTED figure, the latest follow-up by (visited_on, id), the file
    grace. For the pages that need only the numbers, or one page of a set."""
    latest = (select(FollowUp.performance).where(FollowUp.case_id == MediationCase.id)
              .order_by(FollowUp.visited_on.desc(), FollowUp.id.desc()).limit(1)
              .correlate(MediationCase).scalar_subquery())
    any_follow_up = select(FollowUp.id).where(FollowUp.case_id == MediationCase.id).correlate(MediationCase).exists()
    sets = {name: condition(name, start, end) for name in COUNTED if name != "oral"}
    succeeded, concluded = sets["succeeded"], sets["concluded"]
    file_base = and_(sets["ended"], MediationCase.concluded_on < end - timedelta(days=FILE_GRACE_DAYS))
    sets.update({
        "followed": and_(succeeded, any_follow_up),
        "fulfilled": and_(succeeded, latest == "full"),
        "partly": and_(succeeded, latest == "partial"),
        "unfulfilled": and_(succeeded, any_follow_up, latest != "full"),
        "in_time": and_(concluded, MediationCase.concluded_on <= MediationCase.due_on),
        "file_base": file_base,
        "archived": and_(file_base, MediationCase.archived_on.is_not(None), MediationCase.archived_on <= end),
    })
    return sets


def in_period(scope, start, end):
    """The scope's cases of the period joined to their agreement, for `set_conditions`."""
    return _in_period(scope, start, end).outerjoin(Agreement, Agreement.case_id == MediationCase.id)


def summary(scope, start, end):
    """`compute`'s figures without the case lists, by one grouped query over `set_conditions`, for pages
    that show only the numbers (the contract's measures)."""
    sets = set_conditions(start, end)
    del sets["unfulfilled"]
    concluded = sets["concluded"]
    row = db.session.execute(
        in_period(scope, start, end).with_only_columns(
            *(func.coalesce(func.sum(case((test, 1), else_=0)), 0).label(name) for name, test in sets.items()),
            func.coalesce(func.sum(case((concluded, _days_between(MediationCase.concluded_on,
                                                                   MediationCase.received_on)), else_=0)), 0)
            .label("days"))).one()._mapping
    n = {name: int(row[name]) for name in sets}
    return _figures(n, int(round(row["days"])))


def set_page(scope, start, end, name, offset, limit, counted=None):
    """One page of set `name` as CaseFigures in (received_on, id) order, each with whether it is also in set
    `counted`: [(case, in counted or None)]."""
    sets = set_conditions(start, end)
    mark = case((sets[counted], True), else_=False) if counted else None
    rows = db.session.execute(
        # The set's test as a value, so that no planner reads a whole city's conclusions by date to find one
        # contract's cases: the scope's own filter (an index on the contract) leads.
        in_period(scope, start, end).where(case((sets[name], 1), else_=0) == 1)
        .with_only_columns(*(getattr(MediationCase, c) for c in CASE_COLUMNS), Agreement.kind,
                           *([mark] if mark is not None else []))
        .order_by(MediationCase.received_on, MediationCase.id).offset(offset).limit(limit)).all()
    return [(CaseFigures(row[:len(CASE_COLUMNS) + 1]), bool(row[-1]) if counted else None) for row in rows]


def set_sizes(scope, start, end, names):
    """The sizes of sets `names` in one query: {name: n}."""
    sets = set_conditions(start, end)
    row = db.session.execute(in_period(scope, start, end).with_only_columns(
        *(func.coalesce(func.sum(case((sets[name], 1), else_=0)), 0).label(name) for name in names))).one()
    return {name: int(n) for name, n in zip(names, row)}


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



# ---------------------------------------------------------------- statistical reports (DOMAIN.md §9)


def month_bounds(year, month):
    """(first day, last day) of a month 1-12, or of the whole year for month 0."""
    if not month:
        return date(year, 1, 1), date(year, 12, 31)
    return date(year, month, 1), date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)


REPORT_COUNTS = ("received", "concluded", "succeeded", "written", "oral", "failed", "withdrawn", "refused")


def _by_category(query):
    return query.group_by(MediationCase.category)


def report(unit_id, start, end):
    """The mediation statistics of DOMAIN.md §9 for a unit (None: the whole city), by grouped queries.

    {"rows": [(category label, figures)], "total": figures}; figures hold REPORT_COUNTS, success_rate,
    amount (in dispute, of the cases received), parties (of the cases received), police (cases with a
    report to the police dated in the period) and by_source {source: cases received}.
    """
    scope = unit_cases(unit_id)
    received = condition("received", start, end)
    counted = [func.sum(case((condition(name, start, end), 1), else_=0)).label(name) for name in REPORT_COUNTS]
    tallies = db.session.execute(
        select(MediationCase.category, MediationCase.source, *counted,
               func.sum(case((received, MediationCase.amount), else_=None)).label("amount"))
        .select_from(MediationCase).outerjoin(Agreement, Agreement.case_id == MediationCase.id)
        .where(scope, or_(received, MediationCase.concluded_on.between(start, end)))
        .group_by(MediationCase.category, MediationCase.source)).all()
    parties = dict(db.session.execute(_by_category(
        select(MediationCase.category, func.count(Party.id)).join(Party, Party.case_id == MediationCase.id)
        .where(scope, received))).all())
    police = dict(db.session.execute(_by_category(
        select(MediationCase.category, func.count(func.distinct(MediationCase.id)))
        .join(PoliceReport, PoliceReport.case_id == MediationCase.id)
        .where(scope, PoliceReport.reported_at >= datetime.combine(start, time()),
               PoliceReport.reported_at < datetime.combine(end + timedelta(days=1), time())))).all())

    def empty():
        return {**{name: 0 for name in REPORT_COUNTS}, "amount": Decimal("0.00"), "parties": 0, "police": 0,
                "by_source": {key: 0 for key in SOURCES}}

    groups = defaultdict(empty)
    for row in tallies:
        g = groups[row.category]
        for name in REPORT_COUNTS:
            g[name] += row._mapping[name] or 0
        g["amount"] += Decimal(str(row.amount or 0)).quantize(Decimal("0.01"))
        g["by_source"][row.source] = g["by_source"].get(row.source, 0) + (row.received or 0)
    for category, n in parties.items():
        groups[category]["parties"] = n
    for category, n in police.items():
        groups[category]["police"] = n
    total = empty()
    for g in groups.values():
        for name in (*REPORT_COUNTS, "amount", "parties", "police"):
            total[name] += g[name]
        for key, n in g["by_source"].items():
            total["by_source"][key] = total["by_source"].get(key, 0) + n
    categories = code_table("category")
    rows = [(label, groups[key] if key in groups else empty()) for key, label in categories.items()]
    rows += [(key, groups[key]) for key in groups if key not in categories]  # a code since removed
    for _, g in rows + [(None, total)]:
        g["success_rate"] = rate(g["succeeded"], g["concluded"])
    return {"rows": rows, "total": total}
