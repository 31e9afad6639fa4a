"""The audit trail: every insert, update and delete is logged by a flush hook, so no view can forget.

Entries name the fields changed, never their values (DESIGN.md §3).
"""
from flask import g, has_request_context, request
from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from extensions import db
from models.audit import AuditLog, LoginAttempt, entry, record  # noqa: F401 (record: the views' explicit entries)
from services import audit_chain

SKIP = {AuditLog, LoginAttempt}


def _changes(obj):
    state = inspect(obj)
    ignore = getattr(obj, "__audit_ignore__", ())
    return [a.key for a in state.mapper.column_attrs
            if a.key not in ignore and a.key != "row_version" and state.attrs[a.key].history.has_changes()]


@event.listens_for(Session, "after_flush")
def _log_flush(session, flush_context):
    rows = []
    for obj in session.new:
        if type(obj) not in SKIP and hasattr(obj, "__tablename__"):
            rows.append(entry("create", obj))
    for obj in session.dirty:
        if type(obj) in SKIP or not session.is_modified(obj, include_collections=False):
            continue
        fields = _changes(obj)
        if not fields:
            continue
        if "status" in fields:
            rows.append(entry("transition", obj, fields=fields, detail=getattr(obj, "status", None)))
        else:
            rows.append(entry("update", obj, fields=fields))
    for obj in session.deleted:
        if type(obj) not in SKIP:
            rows.append(entry("delete", obj))
    pending = session.info.setdefault("audit_pending", [])
    pending.extend(obj.id for obj in session.new if type(obj) is AuditLog)
    if rows:
        result = session.connection().execute(insert(AuditLog.__table__).returning(AuditLog.id), rows)
        pending.extend(result.scalars())


@event.listens_for(Session, "before_commit")
def _chain_on_commit(session):
    """Give this transaction's entries their place in the hash chain, in commit order."""
    session.flush()
    pending = session.info.pop("audit_pending", None)
    if pending:
        audit_chain.append(session.connection(), pending)


@event.listens_for(Session, "after_transaction_end")
def _forget_pending(session, transaction):
    if transaction.parent is None and not transaction.nested:
        session.info.pop("audit_pending", None)


def log_read(action, **kwargs):
    """Log a reading (a view, a download, an export) and commit it at once, in a short write of its own.

    A GET reads as a reader; asking SQLite to turn that reader into a writer fails at once when another writer
    has committed since (the request then ran again whole: app.Fengqiao). So the read transaction ends first
    and the entry goes in a transaction that takes the write lock when it begins (BEGIN IMMEDIATE, waiting its
    turn; on PostgreSQL, outside the read's autocommit): only the entry is written under the lock, never the
    page or the document (issue 16)."""
    session = db.session
    if not has_request_context() or request.method not in ("GET", "HEAD"):
        record(session, action, **kwargs)
        session.commit()
        return
    row = entry(action, **kwargs)
    # Neither commit changes what the page has loaded (the first writes nothing, the second only the entry):
    # it stays loaded instead of being read again, two statements fewer for the page after the entry.
    session = session()
    g.writer, before = True, g.get("writer")
    expire, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()  # nothing written yet: this only ends the read transaction
        log = AuditLog(**row)
        session.add(log)
        session.commit()
        session.expunge(log)  # its place in the chain was written past the ORM: never serve the loaded copy
    finally:
        g.writer, session.expire_on_commit = before, expire
