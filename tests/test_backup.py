"""Backup while serving, damage, restore, find every record; and the audit chain under concurrent writers.

These tests need a database of their own (the shared test database runs each test in a transaction
that is rolled back): a scratch SQLite file, or a scratch PostgreSQL database beside TEST_DATABASE_URL.
"""
import os
import threading

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from extensions import db
from models import Attachment, AuditLog, Contractor, User
from models import clock
from services import audit, audit_chain
from services.backup import BackupError
from tests import factories
from tests.conftest import TEST_DATABASE_URL, TODAY, make_app, reset_database

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF"


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    """A migrated application on its own database; yields (app, backup directory)."""
    folder = tmp_path_factory.mktemp("backup")
    if TEST_DATABASE_URL and TEST_DATABASE_URL.startswith("postgresql"):
        base = make_url(TEST_DATABASE_URL.replace("postgresql://", "postgresql+psycopg://", 1))
        name = f"{base.database}_scratch"
        admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        uri = base.set(database=name).render_as_string(hide_password=False)
    else:
        admin, name = None, None
        uri = "sqlite:///" + str(folder / "live.db")
        reset_database(uri)
    application = make_app(uri)
    with application.app_context():
        from flask_migrate import upgrade

        upgrade()
    yield application, folder
    with application.app_context():
        db.session.remove()
        db.engine.dispose()
    if admin is not None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _write_records(n):
    """The test world plus n evidence files; returns what must come back."""
    clock.set_now(TODAY)
    try:
        factories.world()
        made = []
        for i in range(n):
            evidence = Attachment.from_upload(f"证明 {i} <&>.pdf", "application/pdf", PDF + bytes([i]))
            db.session.add(evidence)
            db.session.flush()
            made.append((evidence.id, evidence.filename, evidence.data))
        db.session.commit()
    finally:
        clock.reset()
    users = dict(db.session.execute(select(User.id, User.username)).all())
    orgs = dict(db.session.execute(select(Contractor.id, Contractor.name)).all())
    return made, users, orgs


def test_backup_while_serving_then_damage_then_restore_finds_every_record(scratch):
    app, folder = scratch
    runner = app.test_cli_runner()
    with app.app_context():
        made, users, orgs = _write_records(5)
        assert users and orgs
        audit_before = db.session.scalar(select(func.count()).select_from(AuditLog))
        db.session.remove()  # end this read transaction before another thread writes

        # A writer keeps working while the backup runs.
        stop = threading.Event()
        errors = []

        def keep_writing():
            with app.app_context():
                try:
                    while not stop.is_set():
                        audit.record(db.session, "view", record_type="attachment", record_id=made[0][0])
                        db.session.commit()
                except Exception as e:  # pragma: no cover - reported below
                    errors.append(e)
                finally:
                    db.session.remove()

        writer = threading.Thread(target=keep_writing)
        writer.start()
        try:
            path = str(folder / "fengqiao.backup")
            result = runner.invoke(args=["backup", path])
        finally:
            stop.set()
            writer.join()
        assert result.exit_code == 0, result.output
        assert not errors and os.path.getsize(path) > len(PDF) * 5

        # Damage: records and attachments deleted (and, on SQLite, the file cut short).
        db.session.execute(Attachment.__table__.delete().where(Attachment.id.in_([m[0] for m in made])))
        db.session.execute(text("UPDATE contractor SET name = 'damaged'"))
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("DROP TABLE attachment CASCADE"))
        db.session.commit()
        db.session.remove()
        if db.engine.dialect.name == "sqlite":
            db.engine.dispose()
            live = make_url(str(db.engine.url)).database
            with open(live, "r+b") as f:
                f.truncate(os.path.getsize(live) // 3)

        refused = runner.invoke(args=["restore", path])
        assert refused.exit_code != 0 and "--yes" in refused.output
        result = runner.invoke(args=["restore", path, "--yes"])
        assert result.exit_code == 0, result.output

    with app.app_context():
        for evidence_id, filename, data in made:
            evidence = db.session.get(Attachment, evidence_id)
            assert evidence.filename == filename and evidence.data == data
        assert dict(db.session.execute(select(User.id, User.username)).all()) == users
        assert dict(db.session.execute(select(Contractor.id, Contractor.name)).all()) == orgs
        assert db.session.scalar(select(func.count()).select_from(AuditLog)) >= audit_before
        count, _, _, broken = audit_chain.verify(db.session.connection())
        assert broken is None and count >= audit_before
        db.session.remove()


def test_restore_refuses_a_file_that_is_not_a_backup(scratch):
    app, folder = scratch
    junk = folder / "junk.backup"
    junk.write_bytes(b"not a database at all" * 100)
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["restore", str(junk), "--yes"])
        assert result.exit_code != 0 and "恢复失败" in result.output
        assert db.session.scalar(select(func.count()).select_from(User)) >= 0  # the database still answers
        db.session.remove()


def test_concurrent_writers_keep_one_chain_in_commit_order(scratch):
    app, _ = scratch
    threads, per_thread, errors = 4, 15, []

    def work(k):
        with app.app_context():
            try:
                for i in range(per_thread):
                    audit.record(db.session, "view", record_type="thread", record_id=k, detail=str(i))
                    audit.record(db.session, "download", record_type="thread", record_id=k, detail=str(i))
                    db.session.commit()
            except Exception as e:  # pragma: no cover - reported below
                errors.append(e)
            finally:
                db.session.remove()

    with app.app_context():
        clock.reset()
        before = db.session.scalar(select(func.count()).select_from(AuditLog))
        db.session.remove()
    workers = [threading.Thread(target=work, args=(k,)) for k in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert not errors, errors
    with app.app_context():
        count, head_seq, _, broken = audit_chain.verify(db.session.connection())
        assert broken is None, str(broken)
        assert count == head_seq == before + threads * per_thread * 2
        # each commit's two entries sit next to each other in the chain
        rows = db.session.execute(select(AuditLog.seq, AuditLog.record_id, AuditLog.detail, AuditLog.action)
                                  .where(AuditLog.record_type == "thread").order_by(AuditLog.seq)).all()
        for a, b in zip(rows[::2], rows[1::2]):
            assert (a.action, b.action) == ("view", "download") and b.seq == a.seq + 1
            assert (a.record_id, a.detail) == (b.record_id, b.detail)
        db.session.remove()

