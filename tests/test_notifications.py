"""Notifications (issue 14): events notify the people concerned, in the app and by e-mail through a real
SMTP server on loopback (aiosmtpd); nothing personal of a party or a subject in any e-mail."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from extensions import db
from models import StaffMember
from models.notification import Notification
from models import clock
from services import notifications
from tests import factories, rehab_factories
from tests.helpers import text
from tests.smtp_server import Controller, Inbox, _free_port, decoded as _decoded, smtp  # noqa: F401  (the fixture)
from tests.mediation_factories import make_case


def _mine(username):
    user = factories.user(username)
    return db.session.scalars(select(Notification).where(Notification.user_id == user.id)
                              .order_by(Notification.id)).all()


def test_assignment_notifies_the_mediator_in_app_and_the_badge_counts_it(app, login):
    case = make_case("contractor_x", state="registered")
    db.session.commit()
    admin = login("contractor_x")
    staff = factories.user("worker_x").staff_member_id
    assert admin.send(f"/mediation/{case.id}/assign", {"staff_ids": [str(staff)]}).status_code == 303
    notes = _mine("worker_x")
    assert [n.kind for n in notes] == ["assignment"] and case.number in notes[0].text
    worker = login("worker_x")
    assert "1 条未读通知" in text(worker.get("/notifications/count"))
    page = text(worker.get("/notifications/"))
    assert f"/mediation/{case.id}#next-steps" in page and "标为已读" in page


def test_mark_read_and_mark_all_read_by_htmx(app, login):
    worker = factories.user("worker_x")
    for i in range(3):
        notifications.notify([worker], "approval", f"事项{i}", "/inbox/")
    db.session.commit()
    c = login("worker_x")
    first = _mine("worker_x")[0]
    r = c.send(f"/notifications/{first.id}/read", headers={"HX-Request": "true", "HX-Target": "notifications"})
    assert r.status_code == 200 and r.headers["HX-Trigger"] == "notifications-changed"
    assert "<html" not in text(r) and "全部标为已读" in text(r)
    assert "2 条未读通知" in text(c.get("/notifications/count"))
    assert c.send("/notifications/read-all").status_code == 303
    assert text(c.get("/notifications/count")).strip() == ""
    assert all(n.read_at for n in _mine("worker_x"))


def test_one_cannot_mark_anothers_notification(app, login):
    n = notifications.notify([factories.user("worker_x")], "approval", "事项", "/inbox/")[0]
    db.session.commit()
    login("contractor_x").send(f"/notifications/{n.id}/read")
    assert db.session.get(Notification, n.id).read_at is None


def test_review_rejection_and_approval_notify_the_contractor(app, login):
    from models.codes import CONDITIONS

    org = factories.make_contractor("草原调解社", factories.make_uscc("52150203MJ0000557"), "150203", status="pending",
                                    admin_username="grass_admin")
    db.session.commit()
    data = {f"c{n}": "accepted" for n in CONDITIONS}
    data.update({"c1": "rejected", "c1_code": "missing", "c1_text": "缺少登记证书"})
    r = login("district_a").send(f"/contractors/{org.id}/review", data)
    assert r.status_code in (200, 303), text(r)[:500]
    notes = _mine("grass_admin")
    assert [n.kind for n in notes] == ["returned"] and "/organisation/" in notes[0].link


def test_risk_alert_notifies_the_unit_staff(app, login):
    s = rehab_factories.privacy_world().subject
    rehab_factories.assess(s, factories.user("counsellor_x"), rehab_factories.HIGHEST)
    db.session.commit()
    notes = _mine("district_a")
    assert any(n.kind == "alert" for n in notes)
    assert all(s.name not in n.text for n in notes)


def test_emails_go_out_after_the_commit_with_kind_and_link_only(app, login, smtp):
    worker = factories.user("worker_x")
    worker.email = "zhang@example.org"
    db.session.commit()
    world = rehab_factories.privacy_world()  # worker_x leads a subject's group: a notice, e-mailed at once
    s = world.subject
    member = db.session.get(StaffMember, worker.staff_member_id)
    case = make_case("contractor_x", state="registered")
    db.session.commit()
    admin = login("contractor_x")
    assert admin.send(f"/mediation/{case.id}/assign", {"staff_ids": [str(member.id)]}).status_code == 303
    assert len(smtp.messages) >= 2
    for rcpt, raw in smtp.messages:
        assert rcpt == ["zhang@example.org"]
        body = _decoded(raw)
        assert s.name not in body and s.id_number not in body and "钱小红" not in body and "赵大海" not in body
        assert "http://localhost:5000/" in body and "枫桥平台通知" in body
    assert all(n.mailed_at and not n.mail_pending for n in _mine("worker_x"))


def test_a_failed_send_is_retried_by_the_cli(app, login, runner):
    worker = factories.user("worker_x")
    worker.email = "zhang@example.org"
    notifications.notify([worker], "approval", "事项", "/inbox/")
    db.session.commit()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=_free_port())  # nobody listens there
    try:
        login("worker_x").get("/inbox/")
        pending = _mine("worker_x")[-1]
        assert pending.mail_pending and pending.mailed_at is None
        handler = Inbox()
        controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
        controller.start()
        try:
            app.config["MAIL_PORT"] = controller.port
            result = runner.invoke(args=["notifications", "send"])
            assert result.exit_code == 0, result.output
            assert len(handler.messages) == 1
        finally:
            controller.stop()
    finally:
        app.config.update(MAIL_SERVER=None, MAIL_PORT=25)
        notifications._state["retry_after"] = None
    db.session.expire_all()
    assert not _mine("worker_x")[-1].mail_pending


def test_no_email_without_smtp_or_without_an_address(app, login):
    n = notifications.notify([factories.user("worker_x")], "approval", "事项", "/inbox/")[0]
    assert n.mail_pending is False and notifications.send_pending() == 0


def test_overdue_notice_once_a_day(app, login, runner):
    make_case("worker_x", state="mediating", received_on=clock.today() - timedelta(days=45))
    db.session.commit()
    result = runner.invoke(args=["notifications", "send"])
    assert result.exit_code == 0, result.output
    notes = [n for n in _mine("worker_x") if n.kind == "overdue"]
    assert len(notes) == 1 and "已逾期" in notes[0].text and notes[0].link == "/inbox/"
    runner.invoke(args=["notifications", "send"])
    login("worker_x").get("/inbox/")
    assert len([n for n in _mine("worker_x") if n.kind == "overdue"]) == 1


def test_a_user_gives_and_removes_their_notification_address(app, login):
    c = login("worker_x")
    r = c.send("/notifications/email", {"email": "不是邮箱"})
    assert r.status_code == 422 and "请填写有效的电子邮箱地址" in text(r)
    assert c.send("/notifications/email", {"email": "zhang@example.org"}).status_code == 303
    assert factories.user("worker_x").email == "zhang@example.org"
    n = notifications.notify([factories.user("worker_x")], "approval", "事项", "/inbox/")[0]
    assert n.mail_pending
    assert c.send("/notifications/email", {"email": ""}).status_code == 303
    assert factories.user("worker_x").email is None


def test_admin_creates_a_user_with_an_address(app, login):
    data = {"username": "mail_user", "display_name": "邮件用户", "role": "admin", "unit_id": "0", "contractor_id": "0",
            "evaluation_body_id": "0", "email": "mail@example.org", "password": "Mail-user-2026"}
    r = login("admin").send("/admin/users", data)
    assert r.status_code == 303, text(r)[:500]
    assert factories.user("mail_user").email == "mail@example.org"
