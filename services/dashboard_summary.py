"""The mediation summary behind the dashboards: exact, and cheap to read at half a million cases.

How it stays exact: a flush hook marks every (area unit, month) bucket a change of a case, its
agreement or a follow-up touches — the buckets before the change (read from the database in
`before_flush`) and after it (in `after_flush`) — by inserting rows into `mediation_summary_dirty`
in the same transaction. Before a dashboard reads, `refresh()` claims the dirty rows (DELETE …
RETURNING, so a row is claimed once) and recomputes those buckets from the cases with two indexed
queries each. A change committed after the claim leaves its own dirty row behind for the next
refresh. Refreshes are serialised: on PostgreSQL by a transaction advisory lock, on SQLite by the
write lock the claim takes as its transaction's first statement.

The subject counts behind the status × risk grid (SubjectSummary) are kept the same way, by unit: a change
of a subject's unit, contract, status or risk level marks its unit (before and after) in
`subject_summary_dirty`, and `refresh_subjects()` recounts the marked units from an index of the subjects.

A dashboard without a contractor filter reads `MediationRollup` instead: the summary summed per unit scope
(the cases of a unit's area and of its contracts) and for the whole city, per (month, category) — about 150
rows for a year instead of thousands. `refresh()` rolls up again each month whose buckets it recomputed.

Bulk inserts that bypass the ORM (the benchmark's seeder) call `rebuild()` afterwards (`rebuild_all` and
`rebuild_subjects` on the app's session); it rebuilds the summary, the roll-up and the subject counts.

Figures follow DOMAIN.md §8 exactly as `models.mediation_figures.compute` does; the complete-file
rate (which depends on the day a period ends) stays with the quarterly evaluation page.
"""
from collections import defaultdict
from datetime import date

from sqlalchemy import delete, event, func, insert, inspect, literal, or_, select, text
from sqlalchemy.orm import Session

from models.dashboard import (MediationRollup, MediationSummary, MediationSummaryDirty, SubjectSummary,
                              SubjectSummaryDirty)
from models.mediation import Agreement, FollowUp, MediationCase
from models.rehabilitation import Subject
from models.mediation_figures import rate

CASE_FIELDS = ("area_unit_id", "received_on", "concluded_on", "contract_id", "contractor_id", "category",
               "outcome", "due_on")
LOCK_KEY = 7_260_301  # pg_advisory_xact_lock key of the summary refresh
SUBJECT_LOCK_KEY = 7_260_302  # ... of the subject counts' refresh
MEASURES = ("received", "written", "oral", "failed", "withdrawn", "refused", "in_time", "days", "followed",
            "fulfilled", "partly")
OUTCOMES = {"written": "调解成功（书面协议）", "oral": "调解成功（口头协议）", "failed": "调解不成",
            "withdrawn": "撤回", "refused": "当事人拒绝调解"}


def month_of(day):
    return day.replace(day=1)


def next_month(month):
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


# ---------------------------------------------------------------- marking dirty buckets


def _buckets_of_cases(connection, case_ids):
    """The buckets the cases occupy in the database now: (area, intake month), (area, conclusion month)."""
    if not case_ids:
        return set()
    c = MediationCase.__table__.c
    buckets = set()
    ids = sorted(case_ids)
    for i in range(0, len(ids), 500):
        for area, received, concluded in connection.execute(
                select(c.area_unit_id, c.received_on, c.concluded_on).where(c.id.in_(ids[i:i + 500]))):
            buckets.add((area, month_of(received)))
            if concluded is not None:
                buckets.add((area, month_of(concluded)))
    return buckets


def _case_changed(obj):
    state = inspect(obj)
    return any(state.attrs[k].history.has_changes() for k in CASE_FIELDS)


SUBJECT_FIELDS = ("unit_id", "contract_id", "status", "risk_level")


def _subject_changed(obj):
    state = inspect(obj)
    return any(state.attrs[k].history.has_changes() for k in SUBJECT_FIELDS)


def _units_of_subjects(connection, subject_ids):
    units = set()
    ids = sorted(subject_ids)
    for i in range(0, len(ids), 500):
        units.update(connection.scalars(select(Subject.unit_id).where(Subject.id.in_(ids[i:i + 500]))))
    return units


@event.listens_for(Session, "before_flush")
def _buckets_before(session, flush_context, instances):
    ids = {o.id for o in session.deleted if isinstance(o, MediationCase)}
    ids |= {o.id for o in session.dirty if isinstance(o, MediationCase) and o.id is not None and _case_changed(o)}
    if ids:
        session.info.setdefault("summary_buckets", set()).update(_buckets_of_cases(session.connection(), ids))
    subjects = {o.id for o in session.deleted if isinstance(o, Subject)}
    subjects |= {o.id for o in session.dirty if isinstance(o, Subject) and o.id is not None and _subject_changed(o)}
    subjects.discard(None)
    if subjects:  # the units the subjects belong to before the change (a transfer leaves one unit)
        session.info.setdefault("summary_units", set()).update(_units_of_subjects(session.connection(), subjects))


@event.listens_for(Session, "after_flush")
def _buckets_after(session, flush_context):
    ids = set()
    for obj in session.new:
        if isinstance(obj, MediationCase):
            ids.add(obj.id)
        elif isinstance(obj, (Agreement, FollowUp)):
            ids.add(obj.case_id)
    for obj in session.dirty:
        if isinstance(obj, MediationCase) and _case_changed(obj):
            ids.add(obj.id)
        elif isinstance(obj, (Agreement, FollowUp)) and session.is_modified(obj, include_collections=False):
            ids.add(obj.case_id)
    for obj in session.deleted:
        if isinstance(obj, (Agreement, FollowUp)):
            ids.add(obj.case_id)
    units = session.info.pop("summary_units", set())
    units |= {o.unit_id for o in session.new if isinstance(o, Subject)}
    units |= {o.unit_id for o in session.dirty if isinstance(o, Subject) and _subject_changed(o)}
    units.discard(None)
    if units:
        session.connection().execute(insert(SubjectSummaryDirty.__table__), [{"unit_id": u} for u in sorted(units)])
    buckets = session.info.pop("summary_buckets", set())
    ids.discard(None)
    if not ids and not buckets:
        return
    connection = session.connection()
    buckets |= _buckets_of_cases(connection, ids)
    if buckets:
        connection.execute(insert(MediationSummaryDirty.__table__),
                           [{"area_unit_id": a, "month": m} for a, m in sorted(buckets)])


@event.listens_for(Session, "after_rollback")
def _forget(session):
    session.info.pop("summary_buckets", None)
    session.info.pop("summary_units", None)


# ---------------------------------------------------------------- computing buckets


def _latest_performance(rows):
    """{case_id: performance of the latest follow-up (by visit date, then id)}."""
    latest = {}
    for case_id, visited_on, follow_up_id, performance in rows:
        key = (visited_on, follow_up_id)
        if case_id not in latest or key > latest[case_id][0]:
            latest[case_id] = (key, performance)
    return {k: v[1] for k, v in latest.items()}


def _aggregate(received, ended, performance):
    """Summary rows from intake tuples (area, contract, contractor, category, received_on) and ended-case
    tuples (id, area, contract, contractor, category, received_on, concluded_on, outcome, due_on, kind)."""
    acc = defaultdict(lambda: dict.fromkeys(MEASURES, 0))
    for area, contract, contractor, category, received_on in received:
        acc[(area, month_of(received_on), contract, contractor, category)]["received"] += 1
    for cid, area, contract, contractor, category, received_on, concluded_on, outcome, due_on, kind in ended:
        v = acc[(area, month_of(concluded_on), contract, contractor, category)]
        v[outcome if outcome != "succeeded" else ("written" if kind == "written" else "oral")] += 1
        if outcome in ("succeeded", "failed"):
            v["in_time"] += concluded_on <= due_on
            v["days"] += (concluded_on - received_on).days
        if outcome == "succeeded" and cid in performance:
            v["followed"] += 1
            v["fulfilled"] += performance[cid] == "full"
            v["partly"] += performance[cid] == "partial"
    fields = ("area_unit_id", "month", "contract_id", "contractor_id", "category")
    return [dict(zip(fields, key), **values) for key, values in acc.items()]


def _ended_query():
    c = MediationCase
    return (select(c.id, c.area_unit_id, c.contract_id, c.contractor_id, c.category, c.received_on, c.concluded_on,
                   c.outcome, c.due_on, Agreement.kind)
            .outerjoin(Agreement, Agreement.case_id == c.id)
            .where(c.outcome.is_not(None), c.concluded_on.is_not(None)))


def _follow_up_query():
    return (select(FollowUp.case_id, FollowUp.visited_on, FollowUp.id, FollowUp.performance)
            .join(MediationCase, MediationCase.id == FollowUp.case_id)
            .where(MediationCase.outcome == "succeeded"))


def _insert(session, rows):
    for i in range(0, len(rows), 2000):
        session.execute(insert(MediationSummary.__table__), rows[i:i + 2000])


def recompute_bucket(session, area_unit_id, month):
    """Replace the bucket's rows by a fresh count of its cases (two indexed range queries)."""
    c = MediationCase
    end = next_month(month)
    session.execute(delete(MediationSummary.__table__).where(MediationSummary.area_unit_id == area_unit_id,
                                                             MediationSummary.month == month))
    received = session.execute(select(c.area_unit_id, c.contract_id, c.contractor_id, c.category, c.received_on)
                               .where(c.area_unit_id == area_unit_id, c.received_on >= month,
                                      c.received_on < end)).all()
    in_bucket = (c.area_unit_id == area_unit_id, c.concluded_on >= month, c.concluded_on < end)
    ended = session.execute(_ended_query().where(*in_bucket)).all()
    performance = _latest_performance(session.execute(_follow_up_query().where(*in_bucket)).all())
    _insert(session, _aggregate(received, ended, performance))


def roll_up(session, month=None):
    """Recreate the roll-up rows of a month (or of all months) from the summary: per unit scope and for the
    whole city. A summary row counts for its area's unit and for its contract's unit (once if the same)."""
    from models.contract import Contract
    from models.unit import Unit

    s, c, u = MediationSummary.__table__.c, Contract.__table__.c, Unit.__table__.c
    table = MediationRollup.__table__
    where = [] if month is None else [s.month == month]
    session.execute(delete(table).where(*([] if month is None else [table.c.month == month])))
    sums = [func.sum(s[m]) for m in MEASURES]
    columns = ["unit_id", "month", "category", *MEASURES]
    city = select(literal(0), s.month, s.category, *sums).where(*where).group_by(s.month, s.category)
    units = (select(u.id, s.month, s.category, *sums)
             .select_from(MediationSummary.__table__.outerjoin(Contract.__table__, c.id == s.contract_id)
                          .join(Unit.__table__, or_(u.id == s.area_unit_id, u.id == c.unit_id)))
             .where(*where).group_by(u.id, s.month, s.category))
    session.execute(insert(table).from_select(columns, city))
    session.execute(insert(table).from_select(columns, units))


def refresh(session):
    """Recompute the buckets marked dirty, if any; then the summary is exact. Returns how many."""
    if session.scalar(select(MediationSummaryDirty.id).limit(1)) is None:
        return 0
    session.commit()  # end the read snapshot, so the claim below is this transaction's first statement
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
    table = MediationSummaryDirty.__table__
    claimed = set(session.execute(delete(table).returning(table.c.area_unit_id, table.c.month)).all())
    for area_unit_id, month in sorted(claimed):
        recompute_bucket(session, area_unit_id, month)
    for month in sorted({month for _, month in claimed}):
        roll_up(session, month)
    session.commit()
    return len(claimed)


# ---------------------------------------------------------------- subject counts


def _subject_counts(*where):
    """INSERT … SELECT of the subject counts per (unit, contract, status, risk level) of the subjects matched."""
    s = Subject
    counts = (select(s.unit_id, s.contract_id, s.status, s.risk_level, func.count())
              .where(*where).group_by(s.unit_id, s.contract_id, s.status, s.risk_level))
    return insert(SubjectSummary.__table__).from_select(
        ["unit_id", "contract_id", "status", "risk_level", "subjects"], counts)


def recount_unit(session, unit_id):
    """Replace the unit's counts by a fresh count of its subjects (read from an index alone)."""
    session.execute(delete(SubjectSummary.__table__).where(SubjectSummary.unit_id == unit_id))
    session.execute(_subject_counts(Subject.unit_id == unit_id))


def refresh_subjects(session):
    """Recount the units marked dirty, if any; then the subject counts are exact. Returns how many."""
    if session.scalar(select(SubjectSummaryDirty.id).limit(1)) is None:
        return 0
    session.commit()  # as refresh(): the claim is the first statement of its transaction
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SUBJECT_LOCK_KEY})
    table = SubjectSummaryDirty.__table__
    claimed = set(session.scalars(delete(table).returning(table.c.unit_id)).all())
    for unit_id in sorted(claimed):
        recount_unit(session, unit_id)
    session.commit()
    return len(claimed)


def rebuild_subjects(session):
    """Recreate the subject counts from the subjects (after bulk inserts). Commits."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SUBJECT_LOCK_KEY})
    session.execute(delete(SubjectSummaryDirty.__table__))
    session.execute(delete(SubjectSummary.__table__))
    session.execute(_subject_counts())
    session.commit()


def read_subjects(session, unit_id=None, contract_ids=None):
    """[(status, risk level, subjects)] of a unit's subjects (or every unit's), optionally only those served
    by the contracts `contract_ids` (a list or a select of ids) — as a GROUP BY over the subjects would give."""
    refresh_subjects(session)
    s = SubjectSummary
    query = select(s.status, s.risk_level, func.sum(s.subjects)).group_by(s.status, s.risk_level)
    if unit_id is not None:
        query = query.where(s.unit_id == unit_id)
    if contract_ids is not None:
        query = query.where(s.contract_id.in_(contract_ids))
    return [(status, risk, int(n)) for status, risk, n in session.execute(query)]


# ---------------------------------------------------------------- rebuilding


def rebuild_all(session):
    """Recreate the whole summary from the cases (after bulk inserts that bypass the ORM). Commits."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
    session.execute(delete(MediationSummaryDirty.__table__))
    session.execute(delete(MediationSummary.__table__))
    c = MediationCase
    stream = {"yield_per": 20_000}  # half a million cases are read in batches, not held at once
    performance = _latest_performance(session.execute(_follow_up_query(), execution_options=stream))
    received = session.execute(select(c.area_unit_id, c.contract_id, c.contractor_id, c.category, c.received_on),
                               execution_options=stream)
    rows = _aggregate(received, [], {})
    ended = session.execute(_ended_query(), execution_options=stream)
    rows = _merge(rows, _aggregate([], ended, performance))
    _insert(session, rows)
    roll_up(session)
    session.commit()


def rebuild():
    """rebuild_all and rebuild_subjects on the app's session: the name the benchmark's bulk seeder calls."""
    from extensions import db

    rebuild_all(db.session)
    rebuild_subjects(db.session)


def _merge(*row_lists):
    key = ("area_unit_id", "month", "contract_id", "contractor_id", "category")
    merged = {}
    for rows in row_lists:
        for row in rows:
            k = tuple(row[f] for f in key)
            if k in merged:
                for m in MEASURES:
                    merged[k][m] += row[m]
            else:
                merged[k] = row
    return list(merged.values())


# ---------------------------------------------------------------- reading


def read(session, start_month, end_month, unit_id=None, contractor_id=None):
    """Mediation figures of the months [start_month, end_month] for one unit's scope (the cases of its area
    and of its contracts, as visible_cases) or all units, optionally one contractor.

    Returns {"total": figures, "by_month": [(month, figures)], "by_category": [(key, figures)],
    "by_outcome": [(key, label, count)]}; figures carry the keys and meaning of mediation_figures.compute.
    """
    from models.contract import Contract

    refresh(session)
    if contractor_id is None:  # the roll-up holds exactly these rows, one per (month, category)
        r = MediationRollup
        query = (select(r.month, r.category, *(getattr(r, m) for m in MEASURES))
                 .where(r.unit_id == (unit_id or 0), r.month >= start_month, r.month <= end_month))
    else:
        s = MediationSummary
        query = (select(s.month, s.category, *(func.sum(getattr(s, m)) for m in MEASURES))
                 .where(s.month >= start_month, s.month <= end_month, s.contractor_id == contractor_id)
                 .group_by(s.month, s.category))
        if unit_id is not None:
            query = query.where(or_(s.area_unit_id == unit_id,
                                    s.contract_id.in_(select(Contract.id).where(Contract.unit_id == unit_id))))
    width = len(MEASURES)
    total, months, categories = [0] * width, defaultdict(lambda: [0] * width), defaultdict(lambda: [0] * width)
    for month, category, *values in session.execute(query):
        values = [int(v or 0) for v in values]
        for sums in (total, months[month], categories[category]):
            for i, v in enumerate(values):
                sums[i] += v
    total, months = _Tally(total), defaultdict(_Tally, {k: _Tally(v) for k, v in months.items()})
    categories = {k: _Tally(v) for k, v in categories.items()}
    month_list, m = [], start_month
    while m <= end_month:
        month_list.append((m, months[m].figures()))
        m = next_month(m)
    totals = total.figures()
    return {"total": totals, "by_month": month_list,
            "by_category": sorted(((k, t.figures()) for k, t in categories.items()),
                                  key=lambda kv: (-kv[1]["received"] - kv[1]["ended"], kv[0])),
            "by_outcome": [(k, label, totals[k]) for k, label in OUTCOMES.items()]}


class _Tally:
    def __init__(self, sums=None):
        self.sums = dict(zip(MEASURES, sums)) if sums is not None else dict.fromkeys(MEASURES, 0)

    def figures(self):
        from decimal import ROUND_HALF_UP, Decimal

        o = self.sums
        succeeded = o["written"] + o["oral"]
        concluded = succeeded + o["failed"]
        return {
            "received": o["received"],
            "ended": succeeded + o["failed"] + o["withdrawn"] + o["refused"],
            "concluded": concluded,
            "succeeded": succeeded,
            "written": o["written"],
            "oral": o["oral"],
            "failed": o["failed"],
            "withdrawn": o["withdrawn"],
            "refused": o["refused"],
            "success_rate": rate(succeeded, concluded),
            "average_days": (Decimal(o["days"]) / concluded).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            if concluded else None,
            "followed_up": o["followed"],
            "follow_up_rate": rate(o["followed"], succeeded),
            "fulfilled": o["fulfilled"],
            "partly": o["partly"],
            "fulfilment_rate": rate(o["fulfilled"], o["followed"]),
            "partly_rate": rate(o["partly"], o["followed"]),
            "in_time": o["in_time"],
            "in_time_rate": rate(o["in_time"], concluded),
        }
