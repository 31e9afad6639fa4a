"""The parties' door over HTTP: apply (CSRF, consent, rate limit, challenge), dispatch, accept into a
case or decline, follow with number + code (audit, lock after five wrong codes), and the scopes."""
import re
from datetime import timedelta

from sqlalchemy import func, select

from extensions import db
from models import AuditLog, MediationCase
from models.door import Application, Challenge
from models import clock
from services import settings
from tests import factories
from tests.door_helpers import HOSTILE_A, HOSTILE_B, apply_data, intake_data, receipt
from tests.smtp_server import decoded, smtp  # noqa: F401  (the fixture)


def _apply(client, **overrides):
    return client.send("/apply/", apply_data(**overrides), follow_redirects=True)


def test_apply_page_is_public_and_works_without_login(client):
    r = client.get("/apply/")
    assert r.status_code == 200
    body = r.get_data(as_text=True)
    assert "申请人民调解" in body and "昆都仑区昆北街道" in body and "保存期限" in body
    assert 'id="challenge"' not in body
    assert r.headers["Cache-Control"] == "no-store"


def test_apply_gives_a_number_and_a_code_shown_once_and_stored_hashed(client):
    r = client.send("/apply/", apply_data())
    assert r.status_code == 303 and r.headers["Location"].endswith("/apply/received")  # post/redirect/get
    r = client.get(r.headers["Location"])
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
    number, code = receipt(r)
    assert re.fullmatch(r"SQ2026-\d{5}", number) and len(code) == 8
    item = db.session.scalar(select(Application).where(Application.number == number))
    assert item.applicant_name == HOSTILE_A and item.other_name == HOSTILE_B
    assert item.township == "昆北街道" and item.area_unit.code == "150203" and item.state == "new"
    assert code.encode() not in item.code_hash and code not in repr(item.__dict__)
    assert [s.kind for s in item.steps] == ["received"]
    # hostile text is escaped on the page that shows it
    assert "<script>x</script>" not in r.get_data(as_text=True)
    # a reload of the receipt neither applies again nor shows the code again
    again = client.get("/apply/received")
    assert again.status_code == 200 and code not in again.get_data(as_text=True)
    assert number not in again.get_data(as_text=True) and "只在提交后显示一次" in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Application)) == 1


def test_apply_refuses_bad_input_beside_the_field_and_without_csrf(client):
    r = _apply(client, consent="")
    assert r.status_code == 422 and "须同意按所述目的和期限处理" in r.get_data(as_text=True)
    r = _apply(client, applicant_phone="abc", area="")
    body = r.get_data(as_text=True)
    assert r.status_code == 422 and "请填写有效的电话号码" in body and "请选择纠纷发生地" in body
    r = _apply(client, area=f"{factories.unit('150203').id}|不存在街道")
    assert r.status_code == 422 and "请选择纠纷发生地" in r.get_data(as_text=True)
    r = _apply(client, applicant_email="not-an-address")
    assert r.status_code == 422 and "请填写有效的电子邮箱" in r.get_data(as_text=True)
    r = client.post("/apply/", data=apply_data())
    assert r.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Application)) == 0


def test_repeated_applications_get_a_challenge_then_the_rate_limit(client):
    settings.put("door.challenge_after", 1)
    settings.put("door.max_per_address", 3)
    db.session.commit()
    assert _apply(client).status_code == 200
    page = client.get("/apply/").get_data(as_text=True)
    assert 'id="challenge"' in page
    token = re.search(r'name="challenge_token" type="hidden" value="([^"]+)"', page).group(1)
    r = _apply(client, challenge_token=token, challenge_answer="99")
    assert r.status_code == 422 and "答案不正确" in r.get_data(as_text=True)
    # the question is spent: the right answer to it no longer passes
    question = db.session.scalar(select(Challenge).where(Challenge.token == token))
    assert question.used
    assert _apply(client, challenge_token=token, challenge_answer=str(question.answer)).status_code == 422
    page = client.get("/apply/").get_data(as_text=True)
    token = re.search(r'name="challenge_token" type="hidden" value="([^"]+)"', page).group(1)
    answer = db.session.scalar(select(Challenge.answer).where(Challenge.token == token))
    assert _apply(client, challenge_token=token, challenge_answer=str(answer)).status_code == 200
    page = client.get("/apply/").get_data(as_text=True)
    token = re.search(r'name="challenge_token" type="hidden" value="([^"]+)"', page).group(1)
    answer = db.session.scalar(select(Challenge.answer).where(Challenge.token == token))
    assert _apply(client, challenge_token=token, challenge_answer=str(answer)).status_code == 200
    r = _apply(client)
    assert r.status_code == 429 and "过于频繁" in r.get_data(as_text=True)
    clock.set_now(clock.now() + timedelta(minutes=61))
    assert 'id="challenge"' not in client.get("/apply/").get_data(as_text=True)


def _application(client):
    number, code = receipt(_apply(client))
    return db.session.scalar(select(Application).where(Application.number == number)), number, code


def test_unit_dispatches_org_accepts_into_a_prefilled_case_and_scopes_hold(client, login):
    item, number, code = _application(client)
    unit, other_unit = login("district_a"), login("district_b")
    listed = unit.get("/door/applications").get_data(as_text=True)
    assert number in listed
    assert number not in other_unit.get("/door/applications").get_data(as_text=True)
    assert other_unit.get(f"/door/applications/{item.id}").status_code == 404
    page = unit.get(f"/door/applications/{item.id}")
    assert page.status_code == 200 and "13900001111" in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(AuditLog).where(
        AuditLog.action == "application_viewed", AuditLog.record_id == item.id)) == 1
    # an organisation sees nothing before dispatch, and may not dispatch
    org = login("contractor_x")
    assert org.get(f"/door/applications/{item.id}").status_code == 404
    assert org.send(f"/door/applications/{item.id}/dispatch", {"contractor_id": "1"}).status_code == 403
    r = unit.send(f"/door/applications/{item.id}/dispatch", {"contractor_id": "0"})
    assert r.status_code == 422 and "请选择调解组织" in r.get_data(as_text=True)
    r = unit.send(f"/door/applications/{item.id}/dispatch", {"contractor_id": "999999"})
    assert r.status_code == 422 and "请选择资格有效的人民调解组织" in r.get_data(as_text=True)
    x = factories.org("X")
    assert unit.send(f"/door/applications/{item.id}/dispatch", {"contractor_id": str(x.id)}).status_code == 303
    assert item.state == "dispatched" and item.contractor_id == x.id and item.due_at is not None
    assert unit.send(f"/door/applications/{item.id}/dispatch", {"contractor_id": str(x.id)}).status_code == 409
    assert login("contractor_y").get(f"/door/applications/{item.id}").status_code == 404
    assert number in org.get("/door/applications").get_data(as_text=True)
    form = org.get(f"/door/applications/{item.id}/accept")
    body = form.get_data(as_text=True)
    assert form.status_code == 200 and "13900002222" in body and "楼上装修漏水 &amp; 天花板" in body
    r = org.send(f"/door/applications/{item.id}/accept", intake_data(item, clock.today()))
    assert r.status_code == 303, r.get_data(as_text=True)
    case = db.session.get(MediationCase, item.case_id)
    assert item.state == "accepted" and case.source == "application_written"
    assert [p.name for p in case.parties] == [HOSTILE_A, HOSTILE_B]
    assert org.get(f"/door/cases/{case.id}/application").headers["Location"].endswith(f"/door/applications/{item.id}")
    assert org.send(f"/door/applications/{item.id}/decline", {"decline-reason": "x"}).status_code == 409


def test_org_declines_with_a_reason_and_the_unit_dispatches_again(client, login):
    item, number, code = _application(client)
    unit, org = login("district_a"), login("contractor_x")
    unit.send(f"/door/applications/{item.id}/dispatch", {"contractor_id": str(factories.org("X").id)})
    r = org.send(f"/door/applications/{item.id}/decline", {"decline-reason": ""})
    assert r.status_code == 422
    assert org.send(f"/door/applications/{item.id}/decline", {"decline-reason": "本机构调解员回避 & 冲突"}).status_code == 303
    assert item.state == "declined" and item.contractor_id is None
    assert org.get(f"/door/applications/{item.id}").status_code == 404
    r = client.send("/apply/follow", {"number": number, "code": code})
    page = r.get_data(as_text=True)
    assert r.status_code == 200, re.findall(r'class="error"[^<]*>([^<]+)', page)
    assert "调解组织不予受理" in page and "本机构调解员回避 &amp; 冲突" in page
    y = factories.org("Y")
    assert unit.send(f"/door/applications/{item.id}/dispatch", {"contractor_id": str(y.id)}).status_code == 303
    assert [s.kind for s in item.steps] == ["received", "dispatched", "declined", "dispatched"]


def test_automatic_dispatch_to_the_serving_contracts_organisation(client):
    factories.make_contract("150203", factories.org("X"))
    settings.put("door.auto_dispatch", "yes")
    db.session.commit()
    item, _, _ = _application(client)
    assert item.state == "dispatched" and item.contractor_id == factories.org("X").id
    assert item.steps[-1].kind == "auto_dispatched"
    # no contract in 东河区: left for the unit
    r = _apply(client, area=f"{factories.unit('150202').id}|")
    number, _ = receipt(r)
    assert db.session.scalar(select(Application.state).where(Application.number == number)) == "new"


def test_follow_with_number_and_code_audited_and_locked_after_five_wrong(client, login):
    item, number, code = _application(client)
    r = client.send("/apply/follow", {"number": number, "code": code.lower()})
    body = r.get_data(as_text=True)
    assert r.status_code == 200 and "已收到，待分派" in body and "申请已收到" in body
    assert "13900002222" not in body and "13900001111" not in body
    assert db.session.scalar(select(func.count()).select_from(AuditLog).where(
        AuditLog.action == "application_followed", AuditLog.record_id == item.id)) == 1
    # an unknown number answers like a wrong code
    r = client.send("/apply/follow", {"number": "SQ2026-99999", "code": code})
    assert r.status_code == 422 and "受理编号或查询码不正确" in r.get_data(as_text=True)
    for _ in range(4):
        assert client.send("/apply/follow", {"number": number, "code": "WRONG123"}).status_code == 422
    assert client.send("/apply/follow", {"number": number, "code": code}).status_code == 200  # resets
    for _ in range(5):
        assert client.send("/apply/follow", {"number": number, "code": "WRONG123"}).status_code == 422
    r = client.send("/apply/follow", {"number": number, "code": code})
    assert r.status_code == 429 and "已锁定" in r.get_data(as_text=True)
    clock.set_now(clock.now() + timedelta(minutes=59))
    assert client.send("/apply/follow", {"number": number, "code": code}).status_code == 429
    clock.set_now(clock.now() + timedelta(minutes=2))
    assert client.send("/apply/follow", {"number": number, "code": code}).status_code == 200
    assert client.post("/apply/follow", data={"number": number, "code": code}).status_code == 400


def test_staff_pages_need_a_login_and_a_role(client, login):
    assert client.get("/door/applications").status_code == 302
    assert login("finance_a").get("/door/applications").status_code == 403
    assert login("admin").get("/door/applications").status_code == 403


def test_demo_seeds_every_state_and_a_signing_in_progress_and_a_signed_agreement(app):
    from models.signing import Signing
    from demo.seed import seed

    seed()
    states = set(db.session.scalars(select(Application.state)))
    assert {"new", "dispatched", "accepted", "declined", "closed"} <= states
    signings = {s.state: s for s in db.session.scalars(select(Signing))}
    assert set(signings) == {"open", "complete"}
    assert signings["complete"].case.status == "succeeded" and signings["open"].pending
    assert seed()  # idempotent
    assert db.session.scalar(select(func.count()).select_from(Application)) == 6


def test_the_case_page_links_the_application_and_the_signing(client, login):
    item, _, _ = _application(client)
    login("district_a").send(f"/door/applications/{item.id}/dispatch", {"contractor_id": str(factories.org("X").id)})
    org = login("contractor_x")
    org.send(f"/door/applications/{item.id}/accept", intake_data(item, clock.today()))
    body = org.get(f"/mediation/{item.case_id}").get_data(as_text=True)
    assert f'/door/applications/{item.id}"' in body and f"/door/cases/{item.case_id}/signing" in body


def test_closed_applications_are_purged_after_the_retention_period(client, login, runner):
    item, _, _ = _application(client)
    kept, _, _ = _application(client)
    assert login("district_a").send(f"/door/applications/{item.id}/close",
                                    {"close-reason": "不属于人民调解范围 & 须诉讼"}).status_code == 303
    assert item.state == "closed"
    clock.set_now(clock.now() + timedelta(days=179))
    assert "申请 0 件" in runner.invoke(args=["door", "purge"]).output
    clock.set_now(clock.now() + timedelta(days=2))
    result = runner.invoke(args=["door", "purge"])
    assert "申请 1 件" in result.output, result.output
    assert db.session.get(Application, item.id) is None and db.session.get(Application, kept.id) is not None


def test_the_code_is_mailed_where_an_address_is_given_and_mail_is_configured(app, client, smtp):
    app.config["MAIL_SERVER"], server = None, app.config["MAIL_SERVER"]
    try:  # mail off: nothing sent, the page says nothing of a mail
        assert "已发到您填写的电子邮箱" not in _apply(client, applicant_email="a@example.cn").get_data(as_text=True)
    finally:
        app.config["MAIL_SERVER"] = server
    assert smtp.messages == []
    r = _apply(client, applicant_email="b@example.cn")
    number, code = receipt(r)
    assert "已发到您填写的电子邮箱" in r.get_data(as_text=True)
    assert [rcpt for rcpt, _ in smtp.messages] == [["b@example.cn"]]
    message = decoded(smtp.messages[0][1])
    assert f"人民调解申请 {number}" in message and code in message
    assert HOSTILE_A not in message and HOSTILE_B not in message  # nothing of the parties, only number and code


def test_an_application_waits_in_the_inbox_of_the_side_that_must_act(app, client, login):
    from services import inbox
    from services.door import pending_for

    item, number, _ = _application(client)
    unit, org = login("district_a"), login("contractor_x")
    link = f'href="/door/applications/{item.id}#next-step"'

    def waiting(c):
        return link in c.get("/inbox/").get_data(as_text=True)

    assert waiting(unit) and not waiting(org) and not waiting(login("district_b"))
    district = factories.user("district_a")
    rule = inbox.rule("door.applications")
    assert rule.count(district) == db.session.scalar(select(func.count()).select_from(
        pending_for(district).subquery())) == 1  # one definition: the list page's
    with app.test_request_context():
        assert rule.items(district)[0].due == item.due_at.date()
    x = factories.org("X")
    assert unit.send(f"/door/applications/{item.id}/dispatch", {"contractor_id": str(x.id)}).status_code == 303
    assert not waiting(unit) and waiting(org)  # now the organisation's to accept or decline
    assert org.send(f"/door/applications/{item.id}/accept", intake_data(item, clock.today())).status_code == 303
    assert not waiting(unit) and not waiting(org)
