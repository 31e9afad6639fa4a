"""Audit entries: who did what to which record, naming the fields changed but never their values; `record` adds
an explicit entry (the flush hook in services.audit writes the others)."""
from datetime import datetime

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from models import clock


class AuditLog(db.Model):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_record", "record_type", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    username: Mapped[str | None] = mapped_column(String(80))
    address: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(40), index=True)
    record_type: Mapped[str | None] = mapped_column(String(60))
    record_id: Mapped[int | None]
    fields: Mapped[list | None] = mapped_column(JSON)
    detail: Mapped[str | None] = mapped_column(String(200))  # a state name or code, never personal data
    # The hash chain (services/audit_chain.py): position, the previous entry's hash, this entry's hash.
    # Set when the writing transaction commits; an entry without them was not written by the application.
    seq: Mapped[int | None] = mapped_column(unique=True)
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))


class LoginAttempt(db.Model):
    """Failed logins, counted per account and per address for rate limiting."""

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(index=True)


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
