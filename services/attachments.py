"""Serving uploaded evidence: only through a record the user may see, always as a download."""
from flask import abort, send_file
import io

from extensions import db
from models import Attachment, ConditionReview, Qualification, ReviewRound
from services import audit
from sqlalchemy import or_, select


def contractor_attachment_ids(contractor):
    current = select(Qualification.evidence_id).where(Qualification.contractor_id == contractor.id)
    past = (select(ConditionReview.evidence_id).join(ReviewRound)
            .where(ReviewRound.contractor_id == contractor.id))
    return current.union(past)


def send_attachment(contractor, attachment_id):
    owned = db.session.scalar(select(Attachment.id).where(
        Attachment.id == attachment_id, Attachment.id.in_(contractor_attachment_ids(contractor))))
    if owned is None:
        abort(404)
    att = db.session.get(Attachment, attachment_id)
    audit.record(db.session, "download", record=att)
    db.session.commit()
    return send_file(io.BytesIO(att.data), mimetype=att.content_type, as_attachment=True,
                     download_name=att.filename)
