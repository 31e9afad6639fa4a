"""Two app servers on one database (issue #16): what one instance writes, the other sees and continues.

Two application objects, each with its own engine and connection pool (as two gunicorn instances on two
ports would have), share one database of their own: a SQLite file, or <name>_instances beside
TEST_DATABASE_URL's PostgreSQL database. Cases registered through both at the same moment get gap-free
numbers; the audit entries both write form one unbroken chain; a login made on one is valid on the
other; the open-data packages one has built are rebuilt after the other changes a published record.
"""
import re
import threading

from sqlalchemy import func, select

from extensions import db
from models import AuditLog, Unit, User
from models.mediation import MediationCase, intake
from models import clock
from services import audit_chain, ocds
from tests import factories
from tests.conftest import TODAY, Client, make_app, own_database
from tests.mediation_factories import party

THREADS = 8


def _fields(unit_id):
    return {"source": "application_oral", "source_body": None, "source_ref": None, "category": "neighbour",
            "area_unit_id": unit_id, "township": "", "amount": None, "received_on": TODAY,
            "facts": "两台服务器同时受理", "requests": ""}


def _two_apps(tmp_path):
    uri = own_database(tmp_path, "instances")
    first, second = make_app(uri), make_app(uri)
    for app in (first, second):
        app.test_client_class = Client
    with first.app_context():
        from flask_migrate import upgrade

        upgrade()
        clock.set_now(TODAY)
        factories.world()
        db.session.commit()
        db.session.remove()
    return first, second


def _close(*apps):
    clock.reset()
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_two_instances_number_cases_without_gaps_and_keep_one_audit_chain(tmp_path):
    first, second = _two_apps(tmp_path)
    try:
        with first.app_context():
            unit_id = factories.unit("150203").id
            entries_before = db.session.scalar(select(func.count()).select_from(AuditLog))
        barrier = threading.Barrier(THREADS)
        errors, numbers = [], []

        def one(app, username):
            try:
                with app.app_context():
                    user = db.session.scalar(select(User).where(User.username == username))
                    user.role, user.contractor_id  # read before the race, as a request does
                    barrier.wait(timeout=30)
                    case = intake(user, _fields(unit_id), [party(), party("respondent", "钱小红")])
                    numbers.append(case.number)
                    db.session.remove()
            except Exception as e:  # reported below; a thread's exception would otherwise vanish
                errors.append(repr(e))

        threads = [threading.Thread(target=one, args=((first, second)[i % 2], ("worker_x", "contractor_x")[i % 2]))
                   for i in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert not errors, errors
        assert sorted(numbers, key=lambda n: int(re.search(r"第(\d+)号", n).group(1))) == [
            f"（2026）昆调字第{n}号" for n in range(1, THREADS + 1)]
        with second.app_context():
            assert db.session.scalars(select(MediationCase.seq).order_by(MediationCase.seq)).all() == \
                list(range(1, THREADS + 1))
            entries = db.session.scalar(select(func.count()).select_from(AuditLog))
            assert entries > entries_before  # the intakes were audited, by both instances
            with db.engine.connect() as conn:
                count, head_seq, _, broken = audit_chain.verify(conn)
            assert broken is None, str(broken)
            assert count == head_seq == entries  # every entry in the one chain, none outside it
    finally:
        _close(first, second)


def test_a_login_on_one_instance_is_valid_on_the_other(tmp_path):
    first, second = _two_apps(tmp_path)
    try:
        on_first, on_second = first.test_client(), second.test_client()
        with first.app_context():
            r = on_first.send("/login", {"username": "district_a", "password": factories.PASSWORD})
            assert r.status_code == 303
            cookie = on_first.get_cookie("session").value
        with second.app_context():
            assert on_second.get("/password").status_code == 302  # not signed in there: to the login page
            on_second.set_cookie("session", cookie)
            assert on_second.get("/password").status_code == 200  # the other instance's session, honoured
    finally:
        _close(first, second)


def test_packages_built_by_one_instance_are_rebuilt_after_the_other_changes_a_record(tmp_path):
    first, second = _two_apps(tmp_path)
    builds = []
    try:
        def build():
            builds.append(1)
            return len(builds)

        with first.app_context():
            assert ocds.packages.get(("two-instances", 2026, None), build) == 1
            assert ocds.packages.get(("two-instances", 2026, None), build) == 1  # kept while unchanged
        with second.app_context():
            unit = db.session.scalar(select(Unit).where(Unit.code == "150203"))
            unit.name = unit.name + "（改）"
            db.session.commit()
        with first.app_context():
            assert ocds.packages.get(("two-instances", 2026, None), build) == 2  # the other's change seen
    finally:
        _close(first, second)


def test_an_inbox_count_kept_by_one_instance_follows_a_case_registered_on_the_other(tmp_path):
    """The navigation's count is kept per process under the work revision: a case registered through the other
    instance renews the token in the same commit, so the first instance's next count includes it."""
    first, second = _two_apps(tmp_path)
    try:
        on_first, on_second = first.test_client(), second.test_client()
        with first.app_context():
            assert on_first.send("/login", {"username": "worker_x", "password": factories.PASSWORD}).status_code == 303
            before = on_first.get("/inbox/count").get_data(as_text=True)
            assert on_first.get("/inbox/count").get_data(as_text=True) == before  # kept
        with second.app_context():
            assert on_second.send("/login", {"username": "worker_x", "password": factories.PASSWORD}).status_code == 303
            worker = db.session.scalar(select(User).where(User.username == "worker_x"))
            intake(worker, _fields(factories.unit("150203").id),
                   [party(name="第二台服务器的申请人"), party("respondent")])
            db.session.commit()
        with first.app_context():
            after = on_first.get("/inbox/count").get_data(as_text=True)
        count = lambda body: int(re.search(r">(\d+)\+?<", body).group(1)) if re.search(r">(\d+)\+?<", body) else 0
        assert count(after) == count(before) + 1, (before, after)
    finally:
        _close(first, second)


def test_a_download_writes_only_its_audit_entry_under_the_write_lock(tmp_path):
    """SQLite: the document is read and rendered in a reader's transaction; its audit entry goes in a short
    transaction of its own that takes the write lock as it begins (BEGIN IMMEDIATE, waiting its turn), instead
    of turning the reader into a writer, which fails at once after another writer's commit."""
    first, second = _two_apps(tmp_path)
    if first.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        _close(first, second)
        return  # no reader-to-writer upgrade there: a writer waits for the row it needs
    try:
        with first.app_context():
            worker = db.session.scalar(select(User).where(User.username == "worker_x"))
            case = intake(worker, _fields(factories.unit("150203").id), [party(), party("respondent", "钱小红")])
            db.session.commit()
            case_id = case.id
            client = first.test_client()
            assert client.send("/login", {"username": "worker_x", "password": factories.PASSWORD}).status_code == 303
            sent = []

            def tag(conn, cursor, statement, *args):
                head = " ".join(statement.split()).upper()
                sent.append(head if head.startswith("BEGIN") else
                            "INSERT audit" if head.startswith("INSERT INTO AUDIT_LOG") else head.split()[0])

            from sqlalchemy import event

            event.listen(db.engine, "before_cursor_execute", tag)
            try:
                r = client.get(f"/mediation/{case_id}/documents/intake")
            finally:
                event.remove(db.engine, "before_cursor_execute", tag)
            assert r.status_code == 200 and r.data[:2] == b"PK"
            write = sent.index("INSERT audit")
            begins = [i for i in range(write) if sent[i].startswith("BEGIN")]
            assert sent[begins[-1]] == "BEGIN IMMEDIATE", sent  # the entry's own transaction, a writer from the start
            assert "SELECT" not in sent[begins[-1] + 1:write], sent  # nothing of the document read under the lock
            assert sent[begins[0]] == "BEGIN" and "SELECT" in sent[begins[0]:begins[-1]], sent  # read as a reader
    finally:
        _close(first, second)
