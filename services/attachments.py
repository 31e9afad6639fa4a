"""Serving uploaded evidence: only through a record the user may see, always as a download."""
import io

from flask import abort, send_file
from sqlalchemy import select

from extensions import db
from models import Attachment, ConditionReview, Qualification, ReviewRound
from services import audit
from services.uploads import safe_filename


def contractor_attachment_ids(contractor):
    current = select(Qualification.evidence_id).where(Qualification.contractor_id == contractor.id)
    past = (select(ConditionReview.evidence_id).join(ReviewRound)
            .where(ReviewRound.contractor_id == contractor.id))
    return current.union(past)


def send_attachment(contractor, attachment_id):
    owned = db.session.scalar(select(Attachment.id).where(
        Attachment.id == attachment_id, Attachment.id.in_(contractor_attachment_ids(contractor))))
    return send_attachment_of([owned] if owned else [], attachment_id)


def send_attachment_of(allowed_ids, attachment_id):
    """Send the attachment if it is one of the record's own (allowed_ids), else 404."""
    if attachment_id not in allowed_ids:
        abort(404)
    att = db.session.get(Attachment, attachment_id)
    audit.record(db.session, "download", record=att)
    db.session.commit()
    return send_stored(att)


def send_stored(att):
    """The file as a download: its sniffed type, a cleaned name (RFC 6266/5987 filename*), no sniffing,
    no caching."""
    response = send_file(io.BytesIO(att.data), mimetype=att.content_type, as_attachment=True,
                         download_name=safe_filename(att.filename), max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
