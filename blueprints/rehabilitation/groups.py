"""The assistance group, formed by the serving contractor's admin."""
from flask_login import current_user, login_required
from sqlalchemy import select

from blueprints.rehabilitation import forms as F
from blueprints.rehabilitation.subject import _act, _load, _require
from blueprints.rehabilitation.views import bp
from extensions import db
from models import StaffMember
from models.rehabilitation import CONTRACTOR_ADMIN


@bp.post("/<int:subject_id>/group")
@login_required
def form_group(subject_id):
    subject, level = _load(subject_id)
    _require(level == CONTRACTOR_ADMIN)
    form = F.GroupForm()
    staff_ids = [m.id for m in db.session.scalars(select(StaffMember).where(
        StaffMember.contractor_id == current_user.contractor_id))]
    form.leader.choices = F.choices([("", "请选择")] + [(i, str(i)) for i in staff_ids])
    form.members.choices = F.choices([(i, str(i)) for i in staff_ids])

    def action():
        others = []
        if (form.other_name.data or "").strip():
            others.append((form.other_side.data, form.other_name.data.strip(), form.other_role.data,
                           form.other_contact.data))
        subject.form_group(current_user, form.kind.data, form.leader.data, form.members.data or [], others)

    return _act(subject, level, "group_form", form, action, "帮教小组已组建。", "#group", state="open")
