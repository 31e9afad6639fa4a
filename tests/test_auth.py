"""Login, rate limits, sessions and one's own password."""
from datetime import timedelta

from sqlalchemy import select

from app import create_app
from extensions import db
from models import AuditLog
from models import clock
from tests import factories
from tests.helpers import text


def _try(client, username, password, address="10.0.0.1"):
    return client.send("/login", {"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_wrong_password_and_unknown_user_get_the_same_message(client):
    a = _try(client, "district_a", "wrong-password")
    b = _try(client, "nobody", "wrong-password")
    assert a.status_code == b.status_code == 422
    assert "用户名或密码错误" in text(a) and "用户名或密码错误" in text(b)
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "login_failed"))


def test_login_is_audited_and_lands_on_the_dashboard(client):
    r = _try(client, "district_a", factories.PASSWORD)
    assert r.status_code == 303 and r.headers["Location"] == "/"
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "login"))
    assert entry.username == "district_a" and entry.address == "10.0.0.1"


def test_failures_per_account_are_rate_limited_until_the_window_passes(client):
    for _ in range(5):
        assert _try(client, "district_a", "bad").status_code == 422
    r = _try(client, "district_a", factories.PASSWORD, address="10.0.0.2")
    assert r.status_code == 429 and "登录失败次数过多" in text(r)
    assert _try(client, "district_b", factories.PASSWORD, address="10.0.0.2").status_code == 303
    clock.advance(minutes=16)
    assert _try(client.application.test_client(), "district_a", factories.PASSWORD).status_code == 303


def test_failures_per_address_are_rate_limited(client):
    for i in range(20):
        _try(client, f"guess{i}", "bad", address="10.9.9.9")
    assert _try(client, "district_a", factories.PASSWORD, address="10.9.9.9").status_code == 429
    assert _try(client, "district_a", factories.PASSWORD, address="10.9.9.8").status_code == 303


def test_a_disabled_account_cannot_log_in_and_loses_its_session(client, login):
    c = login("district_b")
    factories.user("district_b").active = False
    db.session.commit()
    assert c.get("/contractors/").status_code == 302
    assert _try(client, "district_b", factories.PASSWORD).status_code == 422


def test_next_parameter_cannot_send_users_off_site(client):
    r = client.send("/login?next=//evil.example/x", {"username": "district_a", "password": factories.PASSWORD})
    assert r.headers["Location"] == "/"
    r = client.application.test_client().send("/login?next=/contractors/",
                                              {"username": "district_a", "password": factories.PASSWORD})
    assert r.headers["Location"] == "/contractors/"


def test_protected_pages_redirect_visitors_to_login(client):
    r = client.get("/contractors/")
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_logout_needs_a_post_with_token(login):
    c = login("district_a")
    assert c.get("/logout").status_code == 405
    assert c.post("/logout").status_code == 400
    assert c.send("/logout").status_code == 303
    assert c.get("/contractors/").status_code == 302


def test_session_cookie_is_http_only_lax_and_secure_by_default():
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_change_own_password(login):
    c = login("finance_a")
    r = c.send("/password", {"current": "wrong", "new": "New-password-9", "confirm": "New-password-9"})
    assert r.status_code == 422 and "当前密码不正确" in text(r)
    r = c.send("/password", {"current": factories.PASSWORD, "new": "New-password-9", "confirm": "other-password"})
    assert r.status_code == 422 and "不一致" in text(r)
    r = c.send("/password", {"current": factories.PASSWORD, "new": "short", "confirm": "short"})
    assert r.status_code == 422 and "至少 10 位" in text(r)
    assert c.send("/password", {"current": factories.PASSWORD, "new": "New-password-9",
                                "confirm": "New-password-9"}).status_code == 303
    assert factories.user("finance_a").check_password("New-password-9")


def test_a_reset_password_must_be_changed_before_anything_else(login):
    admin = login("admin")
    uid = factories.user("finance_a").id
    assert admin.send(f"/admin/users/{uid}/password", {"password": "Temp-pass-123"}).status_code == 303
    user_client = admin.application.test_client()
    assert user_client.send("/login", {"username": "finance_a", "password": "Temp-pass-123"}).status_code == 303
    r = user_client.get("/contractors/directory")
    assert r.status_code == 302 and r.headers["Location"].endswith("/password")
    user_client.send("/password", {"current": "Temp-pass-123", "new": "Mine-pass-456", "confirm": "Mine-pass-456"})
    assert user_client.get("/contractors/directory").status_code == 200


def test_login_attempts_older_than_the_window_do_not_count(client):
    for _ in range(5):
        _try(client, "district_a", "bad")
    clock.set_now(clock.now() + timedelta(hours=1))
    assert _try(client, "district_a", factories.PASSWORD).status_code == 303
