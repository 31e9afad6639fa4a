"""Login, logout and one's own password."""
from datetime import timedelta
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import func, select

from blueprints.auth.forms import LoginForm, PasswordForm
from extensions import db, login_manager
from models import LoginAttempt, User
from services import audit, clock, settings
from services.web import client_address, done, render

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(user_id):
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.active else None


@bp.before_app_request
def _force_password_change():
    if (current_user.is_authenticated and current_user.must_change_password
            and request.endpoint not in ("auth.password", "auth.change_password", "auth.logout", "static")):
        return redirect(url_for("auth.password"))


def _too_many_failures(username, address):
    since = clock.now() - timedelta(minutes=settings.get("login.window_minutes"))
    count = lambda cond: db.session.scalar(  # noqa: E731
        select(func.count()).select_from(LoginAttempt).where(cond, LoginAttempt.at >= since))
    return (count(LoginAttempt.username == username) >= settings.get("login.max_failures_per_account")
            or count(LoginAttempt.address == address) >= settings.get("login.max_failures_per_address"))


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
    if _too_many_failures(username, address):
        minutes = settings.get("login.window_minutes")
        form.form_errors.append(f"登录失败次数过多，请 {minutes} 分钟后再试。")
        return render("auth/login.html", form=form, status=429)
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None or not user.active or not user.check_password(form.password.data):
        db.session.add(LoginAttempt(username=username, address=address, at=clock.now()))
        audit.record(db.session, "login_failed", record_type="user", record_id=user.id if user else None)
        db.session.commit()
        form.form_errors.append("用户名或密码错误，或账号已停用。")
        return render("auth/login.html", form=form, status=422)
    login_user(user)
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
    return redirect(url_for("auth.login"), code=303)


@bp.get("/password")
@login_required
def password():
    return render("auth/password.html", form=PasswordForm())


@bp.post("/password")
@login_required
def change_password():
    form = PasswordForm()
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
