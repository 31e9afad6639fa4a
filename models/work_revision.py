"""The work revision: a token that every transaction changing a record renews when it commits, so that what
is worked out from all the records — the inbox's counts and items — can be kept per process while the
token is unchanged (issue 16). Like the feed's token (models/portal.py), it is random, one row, read by
primary key, and visible exactly when the change is.

Renewed at commit rather than at the first change, so that on PostgreSQL the row is locked only for the
commit's last moment, not for the whole of a writing transaction. Rows that record a reading rather than
a change of the work (audit entries, failed logins, notifications, files kept for a form) leave it alone.
"""
import secrets
from itertools import chain

from sqlalchemy import String, event, insert, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from extensions import db
from models.base import forget_in_request, once_per_request

QUIET_TABLES = {"audit_log", "login_attempt", "notification", "pending_upload"}
CHANGED = "work_changed"  # session.info flag: this transaction changed a record


class WorkRevision(db.Model):
    __tablename__ = "work_revision"

    id: Mapped[int] = mapped_column(primary_key=True)  # always 1
    token: Mapped[str] = mapped_column(String(32))


def token():
    """The current token, or None in a database without the row (nothing is then kept). Read once per request
    (the inbox's sections and counts ask for it in turn), again after this request's own renewal."""
    return once_per_request("_work_token", lambda: db.session.scalar(select(WorkRevision.token)
                                                                     .where(WorkRevision.id == 1)))


def changed_here(session=None):
    """Whether the session's open transaction has changed a record (its own reads must not come from memory)."""
    session = session if session is not None else db.session()
    return bool(session.info.get(CHANGED)) or any(
        getattr(o, "__tablename__", None) not in QUIET_TABLES for o in chain(session.new, session.dirty, session.deleted))


@event.listens_for(Session, "after_flush")
def _note_change(session, flush_context):
    if not session.info.get(CHANGED) and any(getattr(o, "__tablename__", None) not in QUIET_TABLES
                                             for o in chain(session.new, session.dirty, session.deleted)):
        session.info[CHANGED] = True


@event.listens_for(Session, "before_commit")
def _renew(session):
    session.flush()
    if session.info.pop(CHANGED, False):
        conn, table, new = session.connection(), WorkRevision.__table__, secrets.token_hex(16)
        if conn.execute(update(table).where(table.c.id == 1).values(token=new)).rowcount == 0:
            conn.execute(insert(table).values(id=1, token=new))
        forget_in_request("_work_token")


@event.listens_for(Session, "after_rollback")
def _forget(session):
    session.info.pop(CHANGED, None)
