"""The home page: a landing page for visitors, a work list for each role."""
import os
from datetime import timedelta

from flask import Blueprint, current_app, render_template
from flask_login import current_user
from sqlalchemy import func, select

from extensions import db
from models import Contractor, Qualification, User
from models import clock
from services import settings

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
    context = {}
    if current_user.role in ("city", "district", "finance"):
        from services.purchasing_worklist import worklist

        context["purchasing"] = worklist(current_user)
    if current_user.is_unit_staff:
        context.update(_seat_unit_worklist(current_user.unit_id))
        context["open_alerts"] = _open_alerts(current_user.unit_id)
    elif current_user.role == "contractor":
        context["org"] = current_user.contractor
        context["reminder_days"] = settings.get("qualification.reminder_days")
    elif current_user.role == "worker":
        context["my_subjects"] = _my_subjects(current_user)
    elif current_user.role == "admin":
        context["user_counts"] = dict(db.session.execute(
            select(User.role, func.count()).group_by(User.role)).all())
    return render_template("main/dashboard.html", **context)


def _seat_unit_worklist(unit_id):
    """What the seat unit must act on: reviews waiting, evidence about to expire or expired."""
    days = settings.get("qualification.reminder_days")
    today = clock.today()
    waiting = db.session.scalars(
        select(Contractor).where(Contractor.seat_unit_id == unit_id, Contractor.status == "pending")
        .order_by(Contractor.id)).all()
    rechecks = db.session.scalars(
        select(Contractor).where(Contractor.seat_unit_id == unit_id,
                                 Contractor.status.in_(("approved", "suspended")),
                                 Contractor.qualifications.any(Qualification.verdict == "pending"))).all()
    soon = db.session.scalars(
        select(Contractor).where(Contractor.seat_unit_id == unit_id,
                                 Contractor.status.in_(("approved", "suspended")),
                                 Contractor.qualifications.any(
                                     Qualification.accepted_expires_on <= today + timedelta(days=days)))
        .order_by(Contractor.id)).all()
    return {"waiting": waiting, "rechecks": rechecks, "expiring": soon, "reminder_days": days}


def _open_alerts(unit_id):
    """Assistance alerts the unit has not yet acknowledged (they stay here until it does)."""
    from models.rehabilitation import Alert

    return db.session.scalars(select(Alert).where(Alert.unit_id == unit_id, Alert.status == "open")
                              .order_by(Alert.id.desc())).all()


def _my_subjects(user):
    """The assistance subjects whose group the worker belongs to."""
    from models.rehabilitation import Subject, listed_subjects

    return db.session.scalars(select(Subject).where(listed_subjects(user), Subject.status != "ended")
                              .order_by(Subject.id.desc()).limit(100)).all()
