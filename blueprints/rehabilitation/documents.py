"""Word documents of a subject: the plan, the handover receipt, the record card, a risk assessment."""
import io

from flask import abort, send_file
from flask_login import login_required
from sqlalchemy import select

import docgen
from blueprints.rehabilitation.subject import _load, _require
from blueprints.rehabilitation.views import bp
from extensions import db
from models.rehabilitation import AssistancePlan, RiskAssessment, sees_restricted, sees_whole
from services import audit
from services.access import get_in_scope


def _send_document(kind, obj, subject):
    data = docgen.render(kind, obj)
    audit.log_read("document", record=subject, detail=kind)
    return send_file(io.BytesIO(data), as_attachment=True, download_name=docgen.filename(kind, obj),
                     mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document")


@bp.get("/<int:subject_id>/plans/<int:plan_id>/document")
@login_required
def plan_document(subject_id, plan_id):
    subject, level = _load(subject_id)
    plan = get_in_scope(select(AssistancePlan).where(AssistancePlan.id == plan_id, AssistancePlan.subject_id == subject.id))
    _require(sees_whole(level))
    return _send_document("assistance_plan", plan, subject)


@bp.get("/<int:subject_id>/documents/<kind>")
@login_required
def document(subject_id, kind):
    subject, level = _load(subject_id)
    if kind not in ("handover_receipt", "record_card"):
        abort(404)
    _require(sees_whole(level))
    return _send_document(kind, subject, subject)


@bp.get("/<int:subject_id>/assessments/<int:assessment_id>/document")
@login_required
def assessment_document(subject_id, assessment_id):
    subject, level = _load(subject_id)
    assessment = get_in_scope(select(RiskAssessment).where(RiskAssessment.id == assessment_id,
                                                           RiskAssessment.subject_id == subject.id))
    _require(sees_restricted(level))
    return _send_document("risk_assessment", assessment, subject)
