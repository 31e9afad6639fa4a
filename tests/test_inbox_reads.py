"""What the inbox and the case list read at scale (issue 16): a subject's kept last contact, the date-range
list read range first, the partial indexes' conditions written as the indexes say them."""
import re
from datetime import date, timedelta

from sqlalchemy import event, select

from extensions import db
from models import clock
from models.mediation import MediationCase, open_condition, status_condition
from models.rehabilitation import Subject
from models.rehabilitation.worklist import refresh_contact
from services.rehabilitation_figures import work_list
from tests import factories
from tests import rehab_factories as rf
from tests.helpers import text
from tests.mediation_factories import make_case
from tests.test_query_counts import sent


def _contact(subject_id):
    db.session.expire_all()
    return db.session.scalar(select(Subject.contact_on).where(Subject.id == subject_id))


def test_the_last_contact_is_kept_from_the_group_and_every_service_record(app, login):
    w = rf.privacy_world()
    s = w.subject
    assert _contact(s.id) == s.group.formed_on  # no record yet: the day the group was formed
    worker = login("worker_x")
    for day in ("2026-10-02", "2026-11-20", "2026-11-03"):  # a later record, then one entered late
        r = worker.send(f"/rehabilitation/{s.id}/records", {"kind": "visit", "on": day, "content": "走访了解近况"})
        assert r.status_code == 303, text(r)
    assert _contact(s.id) == date(2026, 11, 20)
    # the kept value is the one the whole-table SQL works out (the migration's and the generator's)
    refresh_contact(db.session.connection())
    assert _contact(s.id) == date(2026, 11, 20)


def test_the_no_contact_list_reads_the_kept_contact(app, login):
    w = rf.privacy_world()
    s = w.subject
    db.session.commit()
    clock.set_now((clock.today() + timedelta(days=45)).isoformat())
    assert s.id in [item.id for item, _ in work_list(s.unit_id, "no_contact")]
    r = login("worker_x").send(f"/rehabilitation/{s.id}/records",
                               {"kind": "visit", "on": clock.today().isoformat(), "content": "电话联系"})
    assert r.status_code == 303
    assert s.id not in [item.id for item, _ in work_list(s.unit_id, "no_contact")]


def _listed(client, query):
    """The case numbers the list shows, in its order (each number once: a row links it twice at most)."""
    found = re.findall(r"（\d{4}）\S+?调字第\d+号", text(client.get("/mediation/?" + query)))
    return list(dict.fromkeys(found))


def test_a_narrow_range_in_the_past_lists_the_same_cases_as_a_wide_one(app, login):
    """A March read range first (its cases, then their newest) and the whole year walked from the newest:
    the March cases come in the same order either way."""
    today = clock.today()
    march = [make_case("worker_x", received_on=today.replace(month=3, day=d)) for d in (3, 17, 28)]
    later = [make_case("worker_x", received_on=today - timedelta(days=d)) for d in (1, 10)]
    db.session.commit()
    c = login("district_a")
    year = f"from={today.year}-01-01&to={today.isoformat()}"
    narrow = f"from={today.year}-03-01&to={today.year}-03-31"
    wide = _listed(c, year)
    assert [n for n in _listed(c, narrow)] == [n for n in wide if n in {m.number for m in march}]
    assert {m.number for m in march} <= set(wide) and {m.number for m in later} <= set(wide)
    assert not {m.number for m in later} & set(_listed(c, narrow))


def _plan_as_run(query):
    """SQLite's plan for the statement as SQLAlchemy sends it (its parameters bound as sent)."""
    sent = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        sent.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        rows = db.session.scalars(query).all()
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    statement, parameters = sent[-1]
    plan = db.session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
    return rows, " ".join(str(row) for row in plan)


def test_the_partial_indexes_are_used(app):
    """The organisation's open cases and its succeeded ones come from their partial indexes: the statuses are
    written into the SQL as the indexes say them (a bound parameter matches no index's WHERE)."""
    if db.engine.dialect.name != "sqlite":
        return  # PostgreSQL's choice depends on the table's size; its plans are in bench/README.md
    made = [make_case("worker_x", state=state) for state in ("registered", "mediating", "written", "failed")]
    db.session.commit()
    org = factories.org("X")
    for condition, index, statuses in (
            (open_condition(), "ix_mediation_case_open_contractor", ("registered", "investigating", "mediating")),
            (status_condition("succeeded"), "ix_mediation_case_succeeded", ("succeeded",))):
        rows, plan = _plan_as_run(select(MediationCase.id).where(MediationCase.contractor_id == org.id, condition))
        assert index in plan, plan
        assert sorted(rows) == sorted(c.id for c in made if c.status in statuses) and rows


def _count_statements(client, path):
    statements, response = sent(client, path)
    return len([s for s in statements if "SAVEPOINT" not in s.upper()]), response.get_data(as_text=True)


def test_the_inbox_is_kept_while_nothing_changes_and_a_view_changes_nothing(app, login):
    from models.work_revision import token

    w = rf.privacy_world()
    make_case("worker_x", state="mediating", received_on=clock.today() - timedelta(days=90))  # overdue
    db.session.commit()
    c = login("district_a")
    c.get("/inbox/count")
    worked_out, first = _count_statements(c, "/inbox/count")
    assert worked_out <= 3, worked_out  # the user, the token: the counts come from memory
    before = token()
    assert c.get(f"/rehabilitation/{w.subject.id}").status_code == 200  # a view writes its audit entry only
    assert token() == before
    assert _count_statements(c, "/inbox/count")[1] == first
    # a change renews the token when it commits; one rolled back does not
    make_case("worker_x", state="mediating", received_on=clock.today() - timedelta(days=91))
    db.session.rollback()
    assert token() == before
    make_case("worker_x", state="mediating", received_on=clock.today() - timedelta(days=92))
    db.session.commit()
    assert token() != before
    statements, after = _count_statements(c, "/inbox/count")
    assert statements > worked_out and after != first


def test_postgresql_sessions_run_without_parallel_workers_or_jit(app):
    """Short web requests on PostgreSQL: no parallel query workers, no JIT (app.create_app, PG_OPTIONS)."""
    if db.engine.dialect.name != "postgresql":
        assert "connect_args" not in app.config["SQLALCHEMY_ENGINE_OPTIONS"]
        return
    from sqlalchemy import text as sql

    assert db.session.execute(sql("SHOW max_parallel_workers_per_gather")).scalar() == "0"
    assert db.session.execute(sql("SHOW jit")).scalar() == "off"
