"""What is done for a subject: service records and their attachments, consents, psychological profile."""
from flask_login import current_user, login_required
from sqlalchemy import select

from blueprints.rehabilitation import forms as F
from blueprints.rehabilitation.subject import _act, _load, _require
from blueprints.rehabilitation.views import bp
from extensions import db
from models import RuleError, clock
from models.rehabilitation import Consent, PsychProfile, ServiceRecord, TransitionalBase, sees_restricted, sees_whole
from services import audit
from services.access import get_in_scope
from services.contractors import optional_upload


@bp.post("/<int:subject_id>/records")
@login_required
def create_record(subject_id):
    subject, level = _load(subject_id)
    _require(sees_whole(level))
    form = F.RecordForm()
    bases = db.session.scalars(select(TransitionalBase).where(TransitionalBase.unit_id == subject.unit_id)).all()
    form.base_id.choices = F.choices([("", "不适用")] + [(b.id, b.name) for b in bases])

    def action():
        fields = {k: form[k].data for k in ("kind", "on", "content", "outcome", "application_status", "result",
                                            "base_id", "shares_data", "late_reason")}
        fields["outcome"] = fields["outcome"] or ""
        attachment = optional_upload(form.attachment)
        record = ServiceRecord.add(subject, current_user, fields)
        record.attachment = attachment
        db.session.add(record)

    return _act(subject, level, "record_form", form, action, "服务记录已保存。", "#records", state="open")


@bp.get("/<int:subject_id>/records/<int:record_id>/attachment")
@login_required
def record_attachment(subject_id, record_id):
    subject, level = _load(subject_id)
    record = get_in_scope(select(ServiceRecord).where(ServiceRecord.id == record_id,
                                                      ServiceRecord.subject_id == subject.id,
                                                      ServiceRecord.attachment_id.is_not(None)))
    _require(sees_whole(level))
    att = record.attachment
    audit.log_read("download", record=subject, detail=f"attachment {att.id}")
    from services.attachments import send_stored

    return send_stored(att)


@bp.post("/<int:subject_id>/consents")
@login_required
def create_consent(subject_id):
    subject, level = _load(subject_id)
    _require(sees_whole(level))
    form = F.ConsentForm()

    def action():
        subject.require_open()
        if form.given_on.data > clock.today():
            raise RuleError("签署日期不能晚于今天", field="given_on")
        db.session.add(Consent(subject=subject, scope=form.scope.data, given_on=form.given_on.data,
                               note=form.note.data or "", recorded_by_id=current_user.id))

    return _act(subject, level, "consent_form", form, action, "同意书已登记。", "#consents")


@bp.post("/<int:subject_id>/profiles")
@login_required
def create_profile(subject_id):
    subject, level = _load(subject_id)
    _require(sees_restricted(level))
    form = F.ProfileForm()

    def action():
        subject.require_open()
        db.session.add(PsychProfile(subject=subject, on=form.on.data, content=form.content.data,
                                    author_id=current_user.id))

    return _act(subject, level, "profile_form", form, action, "心理档案已记录。", "#restricted")
