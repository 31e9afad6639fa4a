"""Risk: assessments, warning reports, and the owning unit's alerts."""
from flask import flash, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from blueprints.rehabilitation import forms as F
from blueprints.rehabilitation.subject import _act, _load, _require
from blueprints.rehabilitation.views import UNIT_STAFF, bp
from extensions import db
from models import risk
from models.rehabilitation import Alert, RiskAssessment, WarningReport, sees_restricted, sees_whole
from services.access import get_in_scope, roles_required
from services.web import act, render


@bp.post("/<int:subject_id>/assessments")
@login_required
def create_assessment(subject_id):
    subject, level = _load(subject_id)
    _require(sees_restricted(level))
    form = F.RiskForm()

    def action():
        answers = {f: form[f].data for f in risk.FACTORS}
        a = RiskAssessment.assess(subject, current_user, answers, form.assessed_on.data, form.event.data,
                                  form.note.data)
        db.session.add(a)
        flash(f"评估完成：{a.score} 分，{a.level_label}风险。" + ("已向户籍地司法局发出预警。" if a.level == "high" else ""),
              "success")

    return _act(subject, level, "risk_form", form, action, None, "#restricted")


@bp.post("/<int:subject_id>/warnings")
@login_required
def create_warning(subject_id):
    subject, level = _load(subject_id)
    _require(sees_whole(level))
    form = F.WarningForm()
    return _act(subject, level, "warning_form", form, lambda: db.session.add(WarningReport.report(
        subject, current_user, form.authority.data, form.reported_on.data, form.content.data, form.receipt.data)),
        "预警报告已记录，并已通知户籍地司法局。", "#warnings")


def _unit_alert(alert_id):
    return get_in_scope(select(Alert).where(Alert.id == alert_id, Alert.unit_id == current_user.unit_id))


@bp.get("/alerts")
@roles_required(*UNIT_STAFF)
def alerts():
    rows = db.session.scalars(select(Alert).where(Alert.unit_id == current_user.unit_id)
                              .order_by((Alert.status == "open").desc(), Alert.id.desc()).limit(200)).all()
    return render("rehabilitation/alerts.html", rows=rows, form=F.AcknowledgeForm(), errors_for=None)


@bp.post("/alerts/<int:alert_id>/acknowledge")
@roles_required(*UNIT_STAFF)
def acknowledge(alert_id):
    alert = _unit_alert(alert_id)
    form = F.AcknowledgeForm()

    def again(f):
        rows = db.session.scalars(select(Alert).where(Alert.unit_id == current_user.unit_id)
                                  .order_by(Alert.id.desc()).limit(200)).all()
        return render("rehabilitation/alerts.html", rows=rows, form=f, errors_for=alert.id, status=422)

    return act(form, lambda: alert.acknowledge(current_user, form.action_taken.data), again,
               url_for("rehabilitation.alerts"), "预警已处理。", state=alert.state_check)
