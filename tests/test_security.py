"""Headers, cookies, session timeouts, password rules, lockout and its unlock by the admin."""
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from extensions import db
from models import AuditLog, User
from models import clock
from services import settings
from models.passwords import problem
from tests import factories
from tests.conftest import make_app
from tests.helpers import field_error, text

ROOT = Path(__file__).resolve().parent.parent


def _login(client, username="district_a", password=factories.PASSWORD, address="10.1.1.1"):
    return client.send("/login", {"username": username, "password": password}, environ_base={"REMOTE_ADDR": address})


# ---- headers

def test_every_page_carries_the_security_headers(client, login):
    for c, url in ((client, "/login"), (login("district_a"), "/"), (login("admin"), "/admin/users")):
        r = c.get(url)
        assert r.status_code == 200
        csp = r.headers["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
        assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
        assert r.headers["X-Frame-Options"] == "DENY"
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["Referrer-Policy"] == "same-origin"
    assert r.headers["Cache-Control"] == "no-store"  # a signed-in page stays out of shared caches


def test_htmx_is_configured_to_work_under_that_policy(client):
    page = text(client.get("/login"))
    config = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", page).group(1)
    assert '"allowEval":false' in config and '"allowScriptTags":false' in config
    assert '"includeIndicatorStyles":false' in config


def test_no_template_relies_on_inline_script_style_or_eval():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        source = path.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", source) or re.search(r"\sstyle=", source) \
                or re.search(r"<style\b", source) or re.search(r"\shx-on[:-]|\shx-vars=|javascript:|\son\w+=\"", source) \
                or re.search(r"hx-trigger=\"[^\"]*\[", source):
            offenders.append(path.name)
    assert offenders == []


def test_https_behind_the_proxy_gets_hsts_and_secure_cookies(app, monkeypatch):
    monkeypatch.setenv("PROXY_FIX", "1")
    proxied = make_app(app.config["SQLALCHEMY_DATABASE_URI"])
    proxied.config["SESSION_COOKIE_SECURE"] = True
    proxied.test_client_class = type(app.test_client())
    c = proxied.test_client()
    r = c.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert r.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "Strict-Transport-Security" not in c.get("/login").headers  # plain HTTP: not claimed
    c = proxied.test_client()
    r = c.get("/login", base_url="https://localhost")
    token = re.search(r'"X-CSRFToken": "([^"]+)"', text(r)).group(1)
    r = c.post("/login", data={"username": "district_a", "password": factories.PASSWORD, "csrf_token": token},
               base_url="https://localhost", headers={"Referer": "https://localhost/login"})
    assert r.status_code == 303
    cookie = r.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_the_session_cookie_is_http_only_and_same_site(client):
    r = _login(client)
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Expires=" in cookie


def test_the_default_configuration_marks_cookies_secure():
    from config import Config

    assert Config.SESSION_COOKIE_SECURE and Config.SESSION_COOKIE_HTTPONLY and Config.SESSION_COOKIE_SAMESITE == "Lax"


# ---- session lifetime and idle timeout (wall-clock time, which the test ages in the session itself)

def _age(client, minutes):
    """As if `minutes` of real time had passed since the session's stamps were written."""
    with client.session_transaction() as s:
        for key in ("seen", "started"):
            if key in s:
                s[key] -= minutes * 60


def test_an_idle_session_ends_and_the_user_must_log_in_again(client):
    _login(client)
    for _ in range(3):  # activity keeps the session alive
        _age(client, 25)
        assert client.get("/").status_code == 200
    _age(client, 31)
    r = client.get("/contractors/")
    assert r.status_code == 302 and r.headers["Location"].startswith("/login?next=/contractors/")
    assert "自动退出" in text(client.get("/login"))
    assert client.get("/contractors/").status_code == 302  # the session is gone, not just refused once
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "session_expired")).one()
    assert entry.username == "district_a" and entry.detail == "idle"


def test_the_business_clock_does_not_end_a_session(client):
    """models.clock is the business date (tests and demos move it by days); idleness is real time."""
    _login(client)
    clock.set_now("2027-03-01 09:00")
    assert client.get("/contractors/").status_code == 200


def test_an_idle_htmx_request_is_sent_to_the_login_page(client):
    _login(client)
    _age(client, 31)
    r = client.get("/", headers={"HX-Request": "true"})
    assert r.headers["HX-Redirect"].startswith("/login")


def test_the_idle_limit_is_a_setting(client):
    settings.put("session.idle_minutes", 5)
    db.session.commit()
    _login(client)
    _age(client, 4)
    assert client.get("/").status_code == 200
    _age(client, 6)
    assert client.get("/contractors/").status_code == 302


def test_a_session_ends_after_its_lifetime_even_when_active(client, app):
    _login(client)
    hours = app.permanent_session_lifetime.total_seconds() / 3600
    for _ in range(int(hours * 60 / 20)):
        _age(client, 20)
        if client.get("/").status_code != 200:
            break
    _age(client, 20)
    assert client.get("/contractors/").status_code == 302
    assert db.session.scalars(select(AuditLog.detail).where(AuditLog.action == "session_expired")).one() == "lifetime"


# ---- password rules

@pytest.mark.parametrize("password, message", [
    ("Ab-1", "至少 10 位"),
    ("abcdefghijkl", "两类"),
    ("12345678901234", "两类"),
    ("ABCDEFGHIJKL", "两类"),
    ("xx-District_A-2026", "用户名"),
    ("Password123", "常见"),
    ("1qaz2wsx3edc", "常见"),
    ("woaini1314", "常见"),
])
def test_weak_passwords_are_refused_with_a_reason(password, message):
    assert message in problem(password, "district_a")


@pytest.mark.parametrize("password", ["Test-password-1", "张三的密码很长很长1", "correct horse battery"])
def test_reasonable_passwords_pass(password):
    assert problem(password, "district_a") is None


def test_the_rules_apply_to_ones_own_change(login):
    c = login("finance_a")
    r = c.send("/password", {"current": factories.PASSWORD, "new": "finance_a-2026", "confirm": "finance_a-2026"})
    assert r.status_code == 422 and field_error(text(r), "new") == ["密码不能包含用户名"]
    r = c.send("/password", {"current": factories.PASSWORD, "new": "abcdefghijkl", "confirm": "abcdefghijkl"})
    assert r.status_code == 422 and "两类" in field_error(text(r), "new")[0]


def test_the_rules_apply_to_an_admin_reset_and_a_new_user(login):
    admin = login("admin")
    uid = factories.user("contractor_x").id
    r = admin.send(f"/admin/users/{uid}/password", {"password": "Password123"})
    assert r.status_code == 422 and "常见" in field_error(text(r), "password")[0]
    r = admin.send("/admin/users", {"username": "new_clerk", "display_name": "新人", "role": "admin",
                                    "unit_id": "0", "contractor_id": "0", "evaluation_body_id": "0",
                                    "password": "New_Clerk!2026"})
    assert r.status_code == 422 and field_error(text(r), "password") == ["密码不能包含用户名"]
    assert db.session.scalar(select(User).where(User.username == "new_clerk")) is None


def test_the_rules_apply_to_registration(client):
    r = client.send("/register/", factories.registration_data(password="1234567890", password2="1234567890"))
    assert r.status_code == 422 and "两类" in field_error(text(r), "password")[0]


def test_the_model_refuses_a_weak_password_whatever_the_caller(app):
    from models import RuleError

    with pytest.raises(RuleError) as e:
        factories.user("district_a").set_password("aaaaaaaaaaaa")
    assert e.value.field == "password"


# ---- lockout and unlock

def test_repeated_failures_lock_the_account_until_the_admin_unlocks_it(client, login):
    for _ in range(5):
        assert _login(client, password="wrong-password").status_code == 422
    user = factories.user("district_a")
    assert user.is_locked
    assert user.locked_until == clock.now() + timedelta(minutes=settings.get("login.lockout_minutes"))
    assert db.session.scalars(select(AuditLog).where(AuditLog.action == "lock", AuditLog.record_id == user.id)).one()
    r = _login(client, address="10.2.2.2")  # the right password does not open a locked account
    assert r.status_code == 429 and "联系管理员解锁" in text(r)

    admin = login("admin")
    page = text(admin.get("/admin/users"))
    assert "已锁定至" in page and f"/admin/users/{user.id}/unlock" in page
    assert login("district_b").send(f"/admin/users/{user.id}/unlock").status_code == 403
    r = admin.send(f"/admin/users/{user.id}/unlock")
    assert r.status_code == 303
    assert not factories.user("district_a").is_locked
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "unlock")).one()
    assert entry.username == "admin" and entry.record_id == user.id
    assert admin.send(f"/admin/users/{user.id}/unlock").status_code == 409  # nothing left to unlock
    assert _login(client.application.test_client()).status_code == 303
    assert f"/admin/users/{user.id}/unlock" not in text(admin.get("/admin/users"))


def test_a_lock_also_ends_by_itself(client):
    for _ in range(5):
        _login(client, password="wrong-password")
    clock.advance(minutes=settings.get("login.lockout_minutes") + 1)
    assert _login(client.application.test_client()).status_code == 303


def test_unknown_names_get_the_same_answers_as_locked_accounts(client):
    for name in ("district_a", "no_such_person"):
        answers = [_login(client, username=name, password="wrong-password").status_code for _ in range(6)]
        assert answers == [422] * 5 + [429]
    assert db.session.scalar(select(User).where(User.username == "no_such_person")) is None


def test_vary_names_the_htmx_headers_the_body_depends_on(app, login):
    """Issue 18 item 7: a page that answers HX-Target with its fragment varies on HX-Target and HX-Boosted."""
    c = login("district_a")
    for headers in ({}, {"HX-Request": "true", "HX-Target": "subject-table"}):
        r = c.get("/rehabilitation/", headers=headers)
        assert r.status_code == 200
        assert {"HX-Request", "HX-Target", "HX-Boosted"} <= set(r.vary), r.headers.get("Vary")
    r = app.test_client().get("/healthz")  # reads no htmx header: varies on none but HX-Request
    assert "HX-Target" not in r.vary and "HX-Boosted" not in r.vary
