"""The audit trail: every insert, update and delete is logged by a flush hook, so no view can forget.

Entries name the fields changed, never their values (DESIGN.md §3).
"""
from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from models.audit import AuditLog, LoginAttempt
from models import clock
from services import audit_chain

SKIP = {AuditLog, LoginAttempt}


def _who():
    if not has_request_context():
        return None, "system", None
    address = request.remote_addr
    if current_user and getattr(current_user, "is_authenticated", False):
        return current_user.id, current_user.username, address
    return None, None, address


def entry(action, record=None, record_type=None, record_id=None, fields=None, detail=None, user=None):
    user_id, username, address = _who()
    if user is not None:
        user_id, username = user.id, user.username
    return {
        "at": clock.now(),
        "user_id": user_id,
        "username": username,
        "address": address,
        "action": action,
        "record_type": record_type or (record.__tablename__ if record is not None else None),
        "record_id": record_id if record_id is not None else getattr(record, "id", None),
        "fields": fields,
        "detail": detail if detail is not None else getattr(record, "audit_detail", None),
    }


def record(session, action, **kwargs):
    """Add an explicit entry (login, download, reveal) to the current transaction."""
    session.add(AuditLog(**entry(action, **kwargs)))


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
