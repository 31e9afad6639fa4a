"""Login, logout and one's own password."""
import math
import time
from datetime import timedelta
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, request, session, url_for
from flask_htmx import make_response as hx_response
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import delete, func, select
from sqlalchemy.orm import joinedload

from blueprints.auth.forms import LoginForm, PasswordForm
from extensions import db, login_manager
from models import LoginAttempt, User
from models import clock
from models.setting import revision_column, use_revision
from services import audit, settings
from extensions import htmx
from services.web import client_address, done, render

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(user_id):
    """The user with the unit (the layout shows it), the organisation of a contractor's staff (their lists,
    inbox and navigation ask for it) and the settings' revision token, in one statement: while no setting
    changed, the request reads its settings from the process's copy (models/setting.py)."""
    row = db.session.execute(select(User, revision_column()).options(joinedload(User.unit), joinedload(User.contractor))
                             .where(User.id == int(user_id))).first()
    if row is None:
        return None
    user, token = row
    use_revision(token)
    return user if user.active else None


SEEN_RESOLUTION = 30  # seconds: the "last seen" stamp in the session is refreshed at most this often


@bp.before_app_request
def _session_timeouts():
    """A signed-in session ends after `session.idle_minutes` without a request, and in any case after
    PERMANENT_SESSION_LIFETIME from the login; the user must log in again."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    now = time.time()  # the wall clock: a person's idleness, not the business date that models.clock may hold
    seen, started = session.get("seen"), session.get("started")
    idle = settings.get("session.idle_minutes") * 60
    lifetime = current_app.permanent_session_lifetime.total_seconds()
    if (seen is not None and now - seen > idle) or (started is not None and now - started > lifetime):
        user = current_user._get_current_object()
        audit.record(db.session, "session_expired", record=user, user=user,
                     detail="idle" if seen is not None and now - seen > idle else "lifetime")
        db.session.commit()
        logout_user()
        session.clear()
        flash("您已较长时间没有操作（或登录时间已满），为保护数据已自动退出，请重新登录。", "info")
        target = url_for("auth.login", next=request.full_path.rstrip("?") if request.method == "GET" else None)
        if htmx:
            return hx_response("", redirect=target)
        return redirect(target)
    if started is None:
        session["started"] = now
    if seen is None or now - seen >= SEEN_RESOLUTION:
        session["seen"] = now
    return None


@bp.before_app_request
def _force_password_change():
    if (current_user.is_authenticated and current_user.must_change_password
            and request.endpoint not in ("auth.password", "auth.change_password", "auth.logout", "static")):
        if htmx:  # a fragment request (a badge, an action) must not swap the password page into the page
            return hx_response("", redirect=url_for("auth.password"))
        return redirect(url_for("auth.password"))


def _failures(cond):
    since = clock.now() - timedelta(minutes=settings.get("login.window_minutes"))
    return db.session.scalar(select(func.count()).select_from(LoginAttempt).where(cond, LoginAttempt.at >= since))


def _blocked_minutes(user, username, address):
    """Minutes until a login may be tried again, or 0. An existing account is blocked by its explicit
    lock (set after repeated failures, lifted by time or by the admin); a name without an account by the
    same count, so that the answer does not tell which names exist."""
    if _failures(LoginAttempt.address == address) >= settings.get("login.max_failures_per_address"):
        return settings.get("login.window_minutes")
    if user is not None:
        if user.locked_until is not None and user.locked_until > clock.now():
            return max(1, math.ceil((user.locked_until - clock.now()).total_seconds() / 60))
        return 0
    if _failures(LoginAttempt.username == username) >= settings.get("login.max_failures_per_account"):
        return settings.get("login.window_minutes")
    return 0


def _lock_if_too_many(user):
    if user is None or not user.active:
        return
    if _failures(LoginAttempt.username == user.username) >= settings.get("login.max_failures_per_account"):
        user.locked_until = clock.now() + timedelta(minutes=settings.get("login.lockout_minutes"))
        audit.record(db.session, "lock", record=user, detail="too_many_failures")


def unlock(user):
    """The admin lifts a lock: the account may log in again and its failure count starts afresh."""
    user.locked_until = None
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.username == user.username))
    audit.record(db.session, "unlock", record=user)


def _safe_next(target):
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.get("/login")
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    return render("auth/login.html", form=LoginForm())


@bp.post("/login")
def login_post():
    form = LoginForm()
    if not form.validate_on_submit():
        return render("auth/login.html", form=form, status=422)
    username, address = form.username.data.strip(), client_address()
    user = db.session.scalar(select(User).where(User.username == username))
    minutes = _blocked_minutes(user, username, address)
    if minutes:
        form.form_errors.append(f"登录失败次数过多，请 {minutes} 分钟后再试，或联系管理员解锁。")
        return render("auth/login.html", form=form, status=429)
    if user is None or not user.active or not user.check_password(form.password.data):
        db.session.add(LoginAttempt(username=username, address=address, at=clock.now()))
        audit.record(db.session, "login_failed", record_type="user", record_id=user.id if user else None)
        db.session.flush()
        _lock_if_too_many(user)
        db.session.commit()
        form.form_errors.append("用户名或密码错误，或账号已停用。")
        return render("auth/login.html", form=form, status=422)
    session.clear()
    login_user(user)
    session.permanent = True
    session["started"] = session["seen"] = time.time()
    user.last_login_at = clock.now()
    audit.record(db.session, "login", record=user, user=user)
    db.session.commit()
    return redirect(_safe_next(request.args.get("next")) or url_for("main.index"), code=303)


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        audit.record(db.session, "logout", record=current_user._get_current_object())
        db.session.commit()
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"), code=303)


@bp.get("/password")
@login_required
def password():
    return render("auth/password.html", form=PasswordForm())


@bp.post("/password")
@login_required
def change_password():
    form = PasswordForm()
    form.password_owner = current_user.username
    valid = form.validate_on_submit()
    if valid and not current_user.check_password(form.current.data):
        form.current.errors.append("当前密码不正确")
        valid = False
    if valid:
        current_user.set_password(form.new.data)
        current_user.must_change_password = False
        db.session.commit()
        flash("密码已修改。", "success")
        return done(url_for("main.index"))
    return render("auth/password.html", form=form, status=422)
