"""Files of a refused registration, kept for the same browser session so only the wrong field is fixed.

A refused (422) registration stores each evidence file that passed the checks (size and type, as for any
upload) as a PendingUpload; the form carries its random token in a hidden field `kept_<n>`. A token is
honoured only together with the random key kept in the submitter's own signed session cookie, and only
for PENDING_HOURS: another visitor who learns a token gets nothing. Rows older than that are deleted at
each registration post; a registration that succeeds deletes its session's rows.
"""
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import session
from sqlalchemy import delete, func, select

from extensions import db
from models import PendingUpload
from models.attachment import PENDING_HOURS
from models import clock

SESSION_KEY = "pending_uploads"
# All sessions' pending files together stay under this: past it a refused registration keeps no new file
# (its visitor chooses them again), so that anonymous posts cannot fill the database.
MAX_TOTAL_BYTES = 512 * 1024 * 1024


@dataclass
class Upload:
    """A checked file: from this request's form, or kept from an earlier refused one (token set)."""

    filename: str
    content_type: str
    data: bytes
    token: str | None = None


def _key(create=False):
    key = session.get(SESSION_KEY)
    if key is None and create:
        key = session[SESSION_KEY] = secrets.token_urlsafe(32)
    return key


def _cutoff():
    return clock.now() - timedelta(hours=PENDING_HOURS)


def purge():
    """Forget every pending upload past its time, whoever left it."""
    db.session.execute(delete(PendingUpload).where(PendingUpload.created_at < _cutoff()))


def kept(formdata, fields):
    """{field: [Upload]} for the tokens the form sends back, when they are this session's and still fresh."""
    key = _key()
    out = {name: [] for name in fields}
    if key is None:
        return out
    tokens = {t: name for name in fields for t in formdata.getlist(f"kept_{name}") if t}
    if not tokens:
        return out
    rows = db.session.scalars(select(PendingUpload).where(
        PendingUpload.token.in_(list(tokens)), PendingUpload.session_key == key,
        PendingUpload.created_at >= _cutoff()).order_by(PendingUpload.id)).all()
    for row in rows:
        if tokens[row.token] == row.field:
            out[row.field].append(Upload(row.filename, row.content_type, row.data, row.token))
    return out


def keep(uploads):
    """Store the uploads of a refused submission; {field: [Upload]} with every token set.

    The session keeps only what the form now shows: its earlier rows not among them are deleted.
    """
    key = _key(create=True)
    now = clock.now()
    room = MAX_TOTAL_BYTES - (db.session.scalar(select(func.coalesce(func.sum(PendingUpload.size), 0))) or 0)
    for field, files in uploads.items():
        new = [u for u in files if u.token is None]
        if sum(len(u.data) for u in new) > room:
            files[:] = [u for u in files if u.token is not None]  # no room: these must be chosen again
            continue
        room -= sum(len(u.data) for u in new)
        for u in files:
            if u.token is None:
                u.token = secrets.token_urlsafe(32)
                db.session.add(PendingUpload(token=u.token, session_key=key, field=field, filename=u.filename,
                                             content_type=u.content_type, size=len(u.data), data=u.data,
                                             created_at=now))
    shown = [u.token for files in uploads.values() for u in files]
    db.session.execute(delete(PendingUpload).where(PendingUpload.session_key == key,
                                                   PendingUpload.token.not_in(shown)))
    return uploads


def forget():
    """After a registration succeeded: its session's pending uploads are done with."""
    key = _key()
    if key is not None:
        db.session.execute(delete(PendingUpload).where(PendingUpload.session_key == key))
        session.pop(SESSION_KEY, None)
