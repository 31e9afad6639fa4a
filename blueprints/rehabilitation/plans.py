"""The assistance plan: drafted by the group, approved by the owning unit."""
from flask_login import current_user, login_required
from sqlalchemy import select

from blueprints.rehabilitation import forms as F
from blueprints.rehabilitation.subject import _act, _load, _require
from blueprints.rehabilitation.views import bp
from extensions import db
from models.rehabilitation import FULL, MEASURE_AREAS, NEED_AREAS, AssistancePlan, sees_whole
from services.access import get_in_scope


@bp.post("/<int:subject_id>/plans")
@login_required
def create_plan(subject_id):
    subject, level = _load(subject_id)
    _require(sees_whole(level))
    form = F.PlanForm()

    def action():
        fields = {"needs": {a: (form[f"need_{a}"].data or "").strip() for a in NEED_AREAS},
                  "measures": {a: (form[f"measure_{a}"].data or "").strip() for a in MEASURE_AREAS},
                  "goals": form.goals.data, "responsible": form.responsible.data,
                  "contact_frequency": form.contact_frequency.data, "starts_on": form.starts_on.data,
                  "ends_on": form.ends_on.data, "review_on": form.review_on.data, "consent": form.consent.data}
        fields["needs"] = {k: v for k, v in fields["needs"].items() if v}
        fields["measures"] = {k: v for k, v in fields["measures"].items() if v}
        db.session.add(AssistancePlan.draft(subject, current_user, fields))

    return _act(subject, level, "plan_form", form, action, "帮教方案已提交，待户籍地司法局审批。", "#plans",
                state="plan")


@bp.post("/<int:subject_id>/plans/<int:plan_id>/approve")
@login_required
def approve_plan(subject_id, plan_id):
    subject, level = _load(subject_id)
    plan = get_in_scope(select(AssistancePlan).where(AssistancePlan.id == plan_id, AssistancePlan.subject_id == subject.id))
    _require(level == FULL)
    return _act(subject, level, "approve_form", F.EmptyForm(), lambda: plan.approve(current_user),
                "帮教方案已审批，开始执行。", "#plans")
