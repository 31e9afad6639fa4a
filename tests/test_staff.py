"""A contractor's staff roster, worker logins, and the rule for assigning mediation cases."""
from datetime import date, timedelta

from sqlalchemy import select

from extensions import db
from models import StaffMember, User
from models import clock
from tests import factories
from tests.helpers import field_error, row_counts, text

VALID = {"name": "巴特尔 & <老巴>", "id_number": "15020219850615123x", "profession": "mediator", "phone": "13847212345",
         "cert_number": "包司调证〔2026〕8号", "cert_issuer": "包头市司法局", "cert_valid_from": "2026-01-01",
         "cert_valid_until": "2028-12-31"}


def test_contractor_adds_a_certified_mediator(login):
    c = login("contractor_x")
    assert c.send("/organisation/staff", VALID).status_code == 303
    m = db.session.scalar(select(StaffMember).where(StaffMember.name == "巴特尔 & <老巴>"))
    assert m.id_number == "15020219850615123X" and m.contractor_id == factories.org("X").id
    assert m.may_mediate_on(clock.today())
    assert "巴特尔 &amp; &lt;老巴&gt;" in text(c.get("/organisation/staff"))


def test_bad_id_number_is_refused_beside_the_field(login):
    c = login("contractor_x")
    before = row_counts()
    r = c.send("/organisation/staff", dict(VALID, id_number="150202198506151231"))
    assert r.status_code == 422 and any("校验位" in e for e in field_error(text(r), "id_number"))
    assert row_counts() == before


def test_htmx_submission_gets_only_the_form_fragment_with_errors(login):
    c = login("contractor_x")
    r = c.send("/organisation/staff", dict(VALID, phone="abc"),
               headers={"HX-Request": "true", "HX-Target": "staff-form"})
    body = text(r)
    assert r.status_code == 422 and "<html" not in body and 'id="staff-form"' in body
    assert field_error(body, "phone")
    ok = c.send("/organisation/staff", VALID, headers={"HX-Request": "true", "HX-Target": "staff-form"})
    assert ok.status_code == 200 and ok.headers["HX-Location"].endswith("/organisation/staff")


def test_a_mediator_needs_a_certificate_with_a_sensible_validity(login):
    c = login("contractor_x")
    r = c.send("/organisation/staff", dict(VALID, cert_number=""))
    assert r.status_code == 422 and field_error(text(r), "cert_number")
    r = c.send("/organisation/staff", dict(VALID, cert_valid_from="2027-01-01", cert_valid_until="2026-01-01"))
    assert r.status_code == 422 and field_error(text(r), "cert_valid_until")
    r = c.send("/organisation/staff", dict(VALID, cert_valid_from="2026-02-30"))
    assert r.status_code == 422


def test_may_mediate_on_a_day():
    today = date(2026, 11, 27)
    m = StaffMember(name="x", id_number="150203199001010010", profession="mediator", phone="1", active=True,
                    cert_number="证1", cert_issuer="局", cert_valid_from=today - timedelta(days=10),
                    cert_valid_until=today + timedelta(days=10))
    assert m.may_mediate_on(today)
    assert m.may_mediate_on(today + timedelta(days=10))
    assert not m.may_mediate_on(today + timedelta(days=11))
    assert not m.may_mediate_on(today - timedelta(days=11))
    m.active = False
    assert not m.may_mediate_on(today)
    lawyer = StaffMember(name="y", id_number="150203199001010010", profession="lawyer", phone="1", active=True)
    assert not lawyer.may_mediate_on(today)


def test_contractor_creates_a_worker_login_once(login):
    c = login("contractor_y")
    member = factories.org("Y").staff[0]
    assert c.send(f"/organisation/staff/{member.id}/login", {"username": "liu_haiyan", "password": "Worker-pass-1"}).status_code == 303
    user = db.session.scalar(select(User).where(User.username == "liu_haiyan"))
    assert user.role == "worker" and user.staff_member_id == member.id and user.contractor_id == factories.org("Y").id
    assert c.send(f"/organisation/staff/{member.id}/login", {"username": "other", "password": "Worker-pass-1"}).status_code == 409


def test_a_contractor_cannot_touch_another_organisations_staff(login):
    other = factories.org("Y").staff[0]
    c = login("contractor_x")
    assert c.get(f"/organisation/staff/{other.id}/edit").status_code == 404
    assert c.send(f"/organisation/staff/{other.id}", VALID).status_code == 404
    assert other.name == "刘海燕"
