"""Serving uploaded evidence: only through a record the user may see; PDF and images open in the browser,
anything else (DOCX) is a download."""
import io

from flask import abort, send_file
from sqlalchemy import select

from extensions import db
from models import Attachment, ConditionReview, Qualification, ReviewRound
from models.contractor import condition_review_evidence, qualification_evidence
from services import audit
from services.uploads import safe_filename


def contractor_attachment_ids(contractor):
    """Every evidence file of the organisation: its conditions' current files and those its reviews judged."""
    current = (select(qualification_evidence.c.attachment_id).join(Qualification)
               .where(Qualification.contractor_id == contractor.id))
    past = (select(condition_review_evidence.c.attachment_id).join(ConditionReview).join(ReviewRound)
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
    audit.log_read("download", record=att)
    return send_stored(att)


# Types the browser shows itself (its PDF viewer, an image): opened in place. The type is the one sniffed
# from the content at upload, and nosniff keeps the browser to it, so nothing is ever rendered as a page.
INLINE_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png"})


def send_stored(att):
    """The file: its sniffed type, inline for PDF/JPG/PNG and a download otherwise, a cleaned name
    (RFC 6266/5987 filename*), no sniffing, no caching."""
    response = send_file(io.BytesIO(att.data), mimetype=att.content_type,
                         as_attachment=att.content_type not in INLINE_TYPES,
                         download_name=safe_filename(att.filename), max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
