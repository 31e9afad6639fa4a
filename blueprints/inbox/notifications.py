"""Notifications: the list, the unread count in the navigation, mark one or all read (htmx or plain forms).

E-mail goes out after each request's commit (services.notifications.send_pending), so a failure never
undoes the action that made the notice; what failed is retried on the next request or by the CLI.
"""
from flask import Blueprint, abort, flash, redirect, url_for
from flask_login import current_user, login_required

from blueprints.admin.forms import EmailForm, EmptyForm
from extensions import db, htmx
from services import notification_events, notifications  # noqa: F401  (events: registered on import)
from services.web import done, render

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


def _page(status=200, email_form=None):
    return render("notifications/index.html", "notifications/_list.html", "notifications",
                  rows=notifications.for_user(current_user), form=EmptyForm(), status=status,
                  email_form=email_form or EmailForm(email=current_user.email),
                  mail_enabled=notifications.mail_enabled())


@bp.get("/")
@login_required
def index():
    return _page()


@bp.get("/count")
@login_required
def count():
    return render("notifications/_count.html", n=notifications.unread_count(current_user))


def _marked(notification_id=None):
    if not EmptyForm().validate_on_submit():
        abort(400)
    notifications.mark_read(current_user, notification_id)
    db.session.commit()
    if htmx:
        response, status = _page()
        return response, status, {"HX-Trigger": "notifications-changed"}
    return redirect(url_for("notifications.index"), code=303)


@bp.post("/email")
@login_required
def email():
    """The user's own address for notification e-mail (empty: in the app only)."""
    form = EmailForm()
    if not form.validate_on_submit():
        return _page(status=422, email_form=form)
    current_user.email = (form.email.data or "").strip() or None
    db.session.commit()
    flash("通知邮箱已保存。" if current_user.email else "已取消邮件通知。", "success")
    return done(url_for("notifications.index"))


@bp.post("/<int:notification_id>/read")
@login_required
def read(notification_id):
    return _marked(notification_id)


@bp.post("/read-all")
@login_required
def read_all():
    return _marked()


@bp.after_app_request
def _send_mail(response):
    """E-mail what is pending once the request's work is committed (cheap: off unless SMTP is configured)."""
    if notifications.mail_enabled() and response.status_code < 500:
        try:
            notifications.send_pending()
        except Exception:  # the response stands whatever the mail does; the notice stays pending
            db.session.rollback()
            notifications.log.exception("sending notifications failed")
    return response
