"""Notifications (issue 14): events tell the people concerned, in the app and, where configured, by e-mail.

`notify()` adds the notices to the caller's transaction; e-mail goes out only after the commit
(`send_pending()`, called at the end of each request and by `flask notifications send`): a failure is
logged and the notice stays pending, so the next request or the next run retries it. An e-mail holds the
kind of event and a link, nothing else: no name, no ID number, no text of the record.
"""
import logging
import smtplib
from datetime import timedelta
from email.message import EmailMessage

from flask import current_app, url_for
from sqlalchemy import func, select, update

from extensions import db
from models import User
from models.notification import KINDS, Notification
from models import clock

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5  # a message the server refuses this often stays in the app only
BATCH = 20
BACKOFF_SECONDS = 60  # after the server was unreachable, requests leave it alone this long
_state = {"retry_after": None}


def notify(users, kind, text, link):
    """A notice for each user (None and duplicates skipped); returns the notices added to the session."""
    assert kind in KINDS, kind
    seen, made = set(), []
    for user in users:
        if user is None or user.id in seen or not user.active:
            continue
        seen.add(user.id)
        n = Notification(user_id=user.id, kind=kind, text=text[:300], link=link, created_at=clock.now(),
                         mail_pending=bool(user.email))
        db.session.add(n)
        made.append(n)
    return made


def staff_users(staff_member_ids):
    """The worker accounts of these staff members."""
    if not staff_member_ids:
        return []
    return db.session.scalars(select(User).where(User.staff_member_id.in_(list(staff_member_ids)))).all()


def unit_users(unit_id):
    """The unit's staff who act for it (city and district roles)."""
    return db.session.scalars(select(User).where(User.unit_id == unit_id, User.role.in_(("city", "district")))).all()


def contractor_admins(contractor_id):
    return db.session.scalars(select(User).where(User.contractor_id == contractor_id,
                                                 User.role == "contractor")).all()


def unread_count(user):
    return db.session.scalar(select(func.count()).select_from(
        select(Notification.id).where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .limit(100).subquery()))


def for_user(user, limit=100):
    return db.session.scalars(select(Notification).where(Notification.user_id == user.id)
                              .order_by(Notification.id.desc()).limit(limit)).all()


def mark_read(user, notification_id=None):
    """Mark one notice (or all of them) read; returns how many changed."""
    query = update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    return db.session.execute(query.values(read_at=clock.now())).rowcount


# ---------------------------------------------------------------- e-mail


def mail_enabled():
    return bool(current_app.config.get("MAIL_SERVER"))


def message_for(n, address):
    """The e-mail of a notice: its kind and the link, nothing personal."""
    config = current_app.config
    msg = EmailMessage()
    msg["Subject"] = f"枫桥平台通知：{KINDS[n.kind]}"
    msg["From"] = config["MAIL_DEFAULT_SENDER"]
    msg["To"] = address
    url = config.get("PUBLIC_URL", "").rstrip("/") + n.link
    msg.set_content(f"您在枫桥平台有一条新的{KINDS[n.kind]}通知，请登录后查看：\n{url}\n\n（本邮件由系统自动发送，请勿回复。）")
    return msg


def _smtp():
    """A connection to the configured server, TLS and login as configured."""
    config = current_app.config
    smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10)
    if config.get("MAIL_USE_TLS"):
        smtp.starttls()
    if config.get("MAIL_USERNAME"):
        smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
    return smtp


def send_once(to, subject, body):
    """A message that cannot wait for a retry (it carries what the system does not keep, e.g. the access
    code of a mediation application): sent now, after the caller's commit; True if the server took it,
    False (logged) if mail is off or the server refused it — the page has shown the content anyway."""
    if not mail_enabled():
        return False
    msg = EmailMessage()
    msg["From"] = current_app.config.get("MAIL_DEFAULT_SENDER") or "noreply@localhost"
    msg["To"], msg["Subject"] = to, subject
    msg.set_content(body)
    try:
        with _smtp() as smtp:
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException):
        log.exception("SMTP server %s: a one-time message was not sent", current_app.config["MAIL_SERVER"])
        return False
    return True


def send_pending(limit=BATCH, force=False):
    """E-mail the notices still pending (committed ones only: call after the commit); returns the number sent.
    Requests skip it for a while after the server was unreachable; `force` (the CLI) tries at once."""
    if not mail_enabled():
        return 0
    wait = _state["retry_after"]
    if wait is not None and not force and clock.now() < wait:
        return 0
    rows = db.session.execute(
        select(Notification, User.email).join(User, User.id == Notification.user_id)
        .where(Notification.mail_pending.is_(True), Notification.mail_attempts < MAX_ATTEMPTS)
        .order_by(Notification.id).limit(limit)).all()
    if not rows:
        return 0
    config, sent = current_app.config, 0
    try:
        with _smtp() as smtp:
            for n, address in rows:
                if not address:
                    n.mail_pending = False
                    continue
                try:
                    smtp.send_message(message_for(n, address))
                except smtplib.SMTPException:
                    log.exception("notification %s: e-mail failed, will retry", n.id)
                    n.mail_attempts += 1
                else:
                    n.mail_pending, n.mailed_at = False, clock.now()
                    sent += 1
    except (OSError, smtplib.SMTPException):
        log.exception("SMTP server %s unreachable: e-mails left pending", config["MAIL_SERVER"])
        _state["retry_after"] = clock.now() + timedelta(seconds=BACKOFF_SECONDS)
    else:
        _state["retry_after"] = None
    db.session.commit()
    return sent


# ---------------------------------------------------------------- overdue items (daily)


def overdue_notice(user, sections):
    """Once a day, a notice of how many of the user's inbox items are past due (from the inbox's sections);
    returns it, or None (nothing overdue, or already told today)."""
    today = clock.today()
    late = sum(1 for _, items, _ in sections for item in items if item.overdue(today))
    if not late:
        return None
    start = clock.now().replace(hour=0, minute=0, second=0, microsecond=0)
    told = db.session.scalar(select(Notification.id).where(
        Notification.user_id == user.id, Notification.kind == "overdue", Notification.created_at >= start).limit(1))
    if told is not None:
        return None
    return notify([user], "overdue", f"您有 {late} 项待办已逾期，请尽快处理", url_for("inbox.index"))[0]


def send_overdue(sections_of):
    """For every active user with a work inbox: the day's overdue notice (`sections_of(user)` gives the
    inbox's sections, in a request context). Returns the number of notices made."""
    made = 0
    for user in db.session.scalars(select(User).where(User.active.is_(True), User.role != "admin")).all():
        if overdue_notice(user, sections_of(user)) is not None:
            made += 1
    db.session.commit()
    return made
