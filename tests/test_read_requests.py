"""PostgreSQL: read requests run in autocommit, and open a transaction only where they write (issue 16).

A GET sends no BEGIN and no ROLLBACK (two round trips of the four a signed-in page's single statement
costs). What a GET does write (a download's audit entry, the dashboard's summary refresh) still runs in a
transaction of its own, opened by its first writing or locking statement, with the audit chain's lock held
to its commit. Observed from the driver: after each statement, the server's transaction status (IDLE: no
transaction open, so none was begun; INTRANS: inside one).
"""
import pytest
from sqlalchemy import event, func, select

from extensions import db
from models import AuditLog, User
from models.mediation import intake
from services import audit_chain
from tests import factories
from tests.conftest import TEST_DATABASE_URL
from tests.mediation_factories import party
from tests.test_two_instances import _close, _fields, _two_apps

pytestmark = pytest.mark.skipif(not (TEST_DATABASE_URL or "").startswith("postgresql"),
                                reason="PostgreSQL's transactions; SQLite's are in test_two_instances")


def _statuses(app, request):
    """[(first words of the statement, the server's transaction status after it)] of one request."""
    seen = []

    def after(conn, cursor, statement, *args):
        words = " ".join(statement.split()[:3])
        seen.append((words, cursor.connection.info.transaction_status.name))

    with app.app_context():
        engine = db.engine
        event.listen(engine, "after_cursor_execute", after)
        try:
            response = request()
        finally:
            event.remove(engine, "after_cursor_execute", after)
    return response, seen


def _register_case():
    """A case registered by the organisation's mediator (its audit entries and dirty summary bucket committed)."""
    worker = db.session.scalar(select(User).where(User.username == "worker_x"))
    case = intake(worker, _fields(factories.unit("150203").id), [party(), party("respondent", "钱小红")])
    db.session.commit()
    return case.id


def _signed_in(app, username):
    client = app.test_client()
    with app.app_context():
        assert client.send("/login", {"username": username, "password": factories.PASSWORD}).status_code == 303
    return client


def test_a_read_request_opens_no_transaction_and_a_form_post_does(tmp_path):
    app, other = _two_apps(tmp_path)
    try:
        client = _signed_in(app, "district_a")
        for path in ("/password", "/mediation/", "/"):
            r, seen = _statuses(app, lambda: client.get(path))
            assert r.status_code == 200, path
            assert seen and all(status == "IDLE" for _, status in seen), (path, seen)
        with app.app_context():
            token = client.csrf_token()
        r, seen = _statuses(app, lambda: client.post("/logout", data={"csrf_token": token}))
        assert r.status_code in (302, 303)
        assert seen and all(status == "INTRANS" for _, status in seen), seen  # a POST: one transaction
    finally:
        _close(app, other)


def test_a_download_writes_its_audit_entry_in_a_transaction_of_its_own_and_the_chain_holds(tmp_path):
    app, other = _two_apps(tmp_path)
    try:
        with app.app_context():
            case_id = _register_case()
            entries_before = db.session.scalar(select(func.count()).select_from(AuditLog))
        client = _signed_in(app, "worker_x")
        r, seen = _statuses(app, lambda: client.get(f"/mediation/{case_id}/documents/intake"))
        assert r.status_code == 200 and r.data[:2] == b"PK"
        write = [i for i, (words, _) in enumerate(seen) if words.startswith("INSERT INTO audit_log")]
        assert len(write) == 1, seen
        assert all(status == "IDLE" for _, status in seen[:write[0]]), seen  # the document read outside it
        lock = next(i for i, (words, _) in enumerate(seen) if "pg_advisory_xact_lock" in words)
        assert lock > write[0] and all(status == "INTRANS" for _, status in seen[write[0]:lock + 1]), seen
        with app.app_context():
            entries = db.session.scalar(select(func.count()).select_from(AuditLog))
            last = db.session.scalar(select(AuditLog).order_by(AuditLog.id.desc()).limit(1))
            assert entries > entries_before
            assert last.record_id == case_id and last.seq is not None  # the download's, chained
            with db.engine.connect() as conn:
                count, head_seq, _, broken = audit_chain.verify(conn)
            assert broken is None and count == head_seq == entries
    finally:
        _close(app, other)


def test_the_dashboards_summary_refresh_in_a_read_request_claims_and_recomputes_in_one_transaction(tmp_path):
    from models.dashboard import MediationSummaryDirty

    app, other = _two_apps(tmp_path)
    try:
        with app.app_context():
            _register_case()
            assert db.session.scalar(select(func.count()).select_from(MediationSummaryDirty)) > 0
        client = _signed_in(app, "district_a")
        r, seen = _statuses(app, lambda: client.get("/dashboard/"))
        assert r.status_code == 200
        lock = next(i for i, (words, _) in enumerate(seen) if "pg_advisory_xact_lock" in words)
        claim = next(i for i, (words, _) in enumerate(seen) if words.startswith("DELETE FROM mediation_summary_dirty"))
        assert lock < claim and all(status == "INTRANS" for _, status in seen[lock:claim + 1]), seen
        with app.app_context():
            assert db.session.scalar(select(func.count()).select_from(MediationSummaryDirty)) == 0
    finally:
        _close(app, other)
