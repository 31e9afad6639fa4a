"""The home page: a landing page for visitors, a work list for each role."""
import os

from flask import Blueprint, current_app, render_template
from flask_login import current_user
from sqlalchemy import func, select

from extensions import db
from models import User
from models.rehabilitation import Subject
from services import inbox, settings
from services.inbox import mediation as mediation_rules
from services.inbox import organisation as org_rules
from services.inbox import rehabilitation as rehab_rules
from services.purchasing_worklist import worklist

bp = Blueprint("main", __name__)


@bp.get("/healthz")
def healthz():
    """A trivial page: liveness for a load balancer, and the framework's floor in bench/load.py."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}


@bp.get("/favicon.ico")
def favicon():
    """Browsers and tools that ignore the page's <link rel="icon"> ask here."""
    with open(os.path.join(current_app.static_folder, "favicon.ico"), "rb") as f:
        data = f.read()  # 213 bytes, answered whole (no open file handed to the server)
    return data, 200, {"Content-Type": "image/vnd.microsoft.icon", "Cache-Control": "public, max-age=86400"}


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        return render_template("main/landing.html")
    context = {"sections": inbox.sections(current_user)}
    if current_user.role in ("city", "district", "finance"):
        context["purchasing"] = worklist(current_user)
    if current_user.is_unit_staff:
        context.update(_seat_unit_worklist(current_user))
        context["open_alerts"] = db.session.scalars(rehab_rules.open_alerts(current_user)).all()
    elif current_user.role == "contractor":
        context["org"] = current_user.contractor
        context["reminder_days"] = settings.get("qualification.reminder_days")
    elif current_user.role == "worker":
        context["my_subjects"] = db.session.scalars(
            rehab_rules.my_subjects(current_user).with_only_columns(Subject).limit(100)).all()
        context["my_cases"] = db.session.execute(mediation_rules.my_cases(current_user).limit(100)).all()
    elif current_user.role == "admin":
        context["user_counts"] = dict(db.session.execute(
            select(User.role, func.count()).group_by(User.role)).all())
    return render_template("main/dashboard.html", **context)


def _seat_unit_worklist(user):
    """What the seat unit must act on: reviews waiting, evidence about to expire or expired (the inbox's rules)."""
    return {"waiting": db.session.scalars(org_rules.registrations(user)).all(),
            "rechecks": db.session.scalars(org_rules.rechecks(user)).all(),
            "expiring": db.session.scalars(org_rules.expiring(user)).all(),
            "reminder_days": settings.get("qualification.reminder_days")}
