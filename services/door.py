"""Work of the parties' door that spans models: the automatic dispatch rule, the e-mail hook, the work
items for a user's inbox, and the scopes of applications (DESIGN.md §2: outside scope is 404)."""
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, false, select

from extensions import db
from models import clock
from models.door import Application, ApplicationAttempt, Challenge, serving_contractor
from services import notifications, settings

UNIT_ROLES = ("city", "district")
ORG_ROLES = ("contractor", "worker")


def visible_applications(user):
    """The area unit's staff see its area's applications; an organisation those dispatched to it or
    accepted by it; nobody else any."""
    query = select(Application)
    if user.role in UNIT_ROLES:
        return query.where(Application.area_unit_id == user.unit_id)
    if user.role in ORG_ROLES and user.contractor_id is not None:
        return query.where(Application.contractor_id == user.contractor_id)
    return query.where(false())


def pending_for(user):
    """The applications waiting for this user's side: the unit dispatches new and declined ones, the
    organisation accepts or declines dispatched ones."""
    query = visible_applications(user)
    if user.role in UNIT_ROLES:
        return query.where(Application.state.in_(("new", "declined")))
    return query.where(Application.state == "dispatched")


def auto_dispatch(application):
    """Where the setting allows, pass a new application to the serving contract's organisation."""
    if settings.get("door.auto_dispatch") != "yes":
        return None
    org = serving_contractor(application)
    if org is not None:
        application.dispatch(None, org)
    return org


def send_code(application, code):
    """E-mail the number and code where an address was given and mail is configured (MAIL_SERVER): sent
    once, after the commit — the code itself is not kept, so there is nothing to retry with. True if sent."""
    if not application.applicant_email:
        return False
    body = (f"您的人民调解申请已收到。\n受理编号：{application.number}\n查询码：{code}\n"
            f"请凭受理编号和查询码查询办理进度。查询码只发送这一次，请妥善保存，不要告诉他人。")
    return notifications.send_once(application.applicant_email, f"人民调解申请 {application.number}", body)


def purge_expired():
    """Keep the promise of the consent text: an application no organisation took (closed by the unit)
    is deleted `door.retention_days` after it was closed; the rate-limit counters and spent questions
    older than a day go too. Accepted applications stay with their case file. Returns what was deleted."""
    now = clock.now()
    before = now - timedelta(days=settings.get("door.retention_days"))
    old = db.session.scalars(select(Application).where(Application.state == "closed",
                                                       Application.state_since < before)).all()
    for item in old:
        db.session.delete(item)  # its steps go with it (cascade)
    day_ago = now - timedelta(days=1)
    attempts = db.session.execute(delete(ApplicationAttempt).where(ApplicationAttempt.at < day_ago)).rowcount
    challenges = db.session.execute(delete(Challenge).where(Challenge.created_at < day_ago)).rowcount
    return {"applications": len(old), "attempts": attempts, "challenges": challenges}
