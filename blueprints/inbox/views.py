"""The work inbox (/inbox): what waits on the signed-in user, each item with why, when and where to act.

Also the navigation's count (a template global) and the gate that keeps an organisation not yet approved
out of the work it may not do (DESIGN.md §5: 403).
"""
from flask import Blueprint, abort, request
from flask_login import current_user, login_required

from extensions import db
from models import clock
from services import inbox, notifications
from services.web import render

bp = Blueprint("inbox", __name__, url_prefix="/inbox")

# Blueprints an organisation may use only once approved (its admin and its workers): cases, subjects,
# bids and contracts, evaluations. Its own qualification page and staff stay open to fix and resubmit.
APPROVED_ONLY = ("mediation", "rehabilitation", "procurements", "contracts", "evaluation", "acceptance")


def org_not_approved(user):
    return (user.is_authenticated and user.role in ("contractor", "worker") and user.contractor is not None
            and user.contractor.status in ("pending", "rejected"))


@bp.before_app_request
def _approved_organisations_only():
    if request.blueprint in APPROVED_ONLY and org_not_approved(current_user):
        abort(403)


@bp.app_context_processor
def _navigation():
    def inbox_total():
        return inbox.total(current_user) if current_user.is_authenticated else 0

    return {"inbox_total": inbox_total, "org_not_approved": lambda: org_not_approved(current_user),
            "inbox_cap": inbox.CAP}


@bp.get("/count")
@login_required
def count():
    """The navigation's badge, loaded by htmx after the page (so no page pays for the counts)."""
    return render("inbox/_count.html", n=inbox.total(current_user))


@bp.get("/")
@login_required
def index():
    sections = inbox.sections(current_user)
    if notifications.overdue_notice(current_user, sections) is not None:  # the day's overdue notice, on request
        db.session.commit()
    return render("inbox/index.html", "inbox/_sections.html", "inbox", sections=sections, day=clock.today())
