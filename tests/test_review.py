"""Qualification review by the seat unit, resubmission, exits and bars — over HTTP."""
from datetime import timedelta

from sqlalchemy import select

from demo.helpers import make_uscc
from extensions import db
from models import AuditLog, Contractor
from models.codes import CONDITIONS
from models import clock
from tests import factories
from tests.factories import registration_data, upload
from tests.helpers import page_version, row_counts, text

ALL_OK = {f"c{n}": "accepted" for n in CONDITIONS}


def _based_on_page(client, n, data):
    """Condition n's form data with the version its edit page carries."""
    return dict(data, record_version=page_version(client, f"/organisation/conditions/{n}/edit",
                                                  f"/organisation/conditions/{n}"))


def _register(client, **overrides):
    overrides.setdefault("seat_unit_id", str(factories.unit("150203").id))
    data = registration_data(**overrides)
    assert client.send("/register/", data).status_code == 303
    return db.session.scalar(select(Contractor).where(Contractor.uscc == data["uscc"]))


def test_review_flow_end_to_end(client, login):
    org = _register(client)
    unit = login("district_a")
    assert org.name in text(unit.get("/contractors/?status=pending"))
    # evidence opens for the seat unit, and the download is audited
    r = unit.get(f"/contractors/{org.id}/evidence/{org.qualification(1).evidence_id}")
    assert r.status_code == 200 and r.data.startswith(b"%PDF-")
    assert r.headers["Content-Disposition"].startswith("inline")  # a PDF opens in the browser
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "download",
                                                    AuditLog.record_id == org.qualification(1).evidence_id))
    # one condition rejected, the rest accepted
    verdicts = dict(ALL_OK, c5="rejected", c5_code="expired", c5_text="请提供 2026 年度完税证明")
    assert unit.send(f"/contractors/{org.id}/review", verdicts).status_code == 303
    assert org.status == "rejected"
    assert org.qualification(5).verdict == "rejected" and org.qualification(1).verdict == "accepted"
    page = text(client.get("/organisation/"))
    assert "已退回" in page and "材料已过期" in page and "请提供 2026 年度完税证明" in page
    # resubmitting without fixing is refused
    before = row_counts()
    r = client.send("/organisation/resubmit")
    assert r.status_code == 422 and "请先修改" in text(r)
    assert row_counts() == before
    # fix condition 5 and resubmit
    r = client.send("/organisation/conditions/5", _based_on_page(client, 5, {"statement": "已补充 2026 年度完税证明。",
                                                   "evidence": upload(name="完税证明.pdf"),
                                                   "expires_on": "2027-06-30"}),
                    content_type="multipart/form-data")
    assert r.status_code == 303
    assert client.send("/organisation/resubmit").status_code == 303
    assert org.status == "pending" and len(org.rounds) == 2
    # only the fixed condition is under review now; the unit approves
    page = text(unit.get(f"/contractors/{org.id}"))
    assert 'name="c5"' in page and 'name="c1"' not in page
    assert unit.send(f"/contractors/{org.id}/review", {"c5": "accepted"}).status_code == 303
    assert org.status == "approved"
    # history of both rounds stays
    assert [r.outcome for r in org.rounds] == ["rejected", "approved"]
    assert [cr.condition for cr in org.rounds[1].reviews] == [5]
    assert org.rounds[0].reviews[4].reason_text == "请提供 2026 年度完税证明"
    assert "已通过" in text(client.get("/organisation/"))
    assert org.name in text(login("district_b").get("/contractors/directory"))


def test_a_rejection_needs_a_reason_code(client, login):
    org = _register(client)
    before = row_counts()
    r = login("district_a").send(f"/contractors/{org.id}/review", dict(ALL_OK, c2="rejected"))
    assert r.status_code == 422 and "请选择退回原因" in text(r)
    assert row_counts() == before and org.status == "pending"


def test_every_condition_needs_a_verdict(client, login):
    org = _register(client)
    r = login("district_a").send(f"/contractors/{org.id}/review", {"c1": "accepted"})
    assert r.status_code == 422 and org.status == "pending"


def test_only_the_seat_unit_reviews(client, login):
    org = _register(client)
    # another district does not even see a pending organisation
    assert login("district_b").send(f"/contractors/{org.id}/review", ALL_OK).status_code == 404
    assert login("city").send(f"/contractors/{org.id}/review", ALL_OK).status_code == 404
    assert login("finance_a").send(f"/contractors/{org.id}/review", ALL_OK).status_code == 403
    assert org.status == "pending"


def test_reviewing_an_approved_organisation_without_pending_evidence_is_a_409(login):
    x = factories.org("X")
    assert login("district_a").send(f"/contractors/{x.id}/review", ALL_OK).status_code == 409


def test_the_city_reviews_organisations_seated_outside_the_districts(client, login):
    org = _register(client, seat_unit_id=str(factories.unit("150200").id))
    assert login("city").send(f"/contractors/{org.id}/review", ALL_OK).status_code == 303
    assert org.status == "approved"


def test_suspend_lift_and_terminate_by_the_seat_unit(login):
    x = factories.org("X")
    unit = login("district_a")
    r = unit.send(f"/contractors/{x.id}/suspend", {"reason_code": "inspection", "reason_text": "未报送年报"})
    assert r.status_code == 303 and x.status == "suspended"
    assert not x.may_bid(factories.unit("150203").id)
    # lifting needs a reason
    r = unit.send(f"/contractors/{x.id}/lift", {"reason_text": ""})
    assert r.status_code == 422 and x.status == "suspended"
    assert unit.send(f"/contractors/{x.id}/lift", {"reason_text": "已补报年报"}).status_code == 303
    assert x.status == "approved"
    # another unit may not suspend or terminate
    other = login("district_b")
    assert other.send(f"/contractors/{x.id}/suspend", {"reason_code": "inspection"}).status_code == 403
    assert other.send(f"/contractors/{x.id}/terminate", {"reason_code": "fraud"}).status_code == 403
    assert unit.send(f"/contractors/{x.id}/terminate", {"reason_code": "fraud", "reason_text": "虚报"}).status_code == 303
    assert x.status == "terminated"
    # history stays; a terminated organisation cannot be suspended
    kinds = [e.kind for e in x.events]
    assert kinds[-3:] == ["suspended", "lifted", "terminated"]
    assert unit.send(f"/contractors/{x.id}/suspend", {"reason_code": "inspection"}).status_code == 409


def test_a_bar_ends_by_itself_when_the_clock_passes_its_date(login):
    y = factories.org("Y")
    unit_a = factories.unit("150203").id
    until = clock.today() + timedelta(days=10)
    r = login("district_a").send(f"/contractors/{y.id}/bar", {"until": until.isoformat(), "reason_code": "violation",
                                                               "reason_text": "合同履行中严重违约"})
    assert r.status_code == 303
    assert not y.may_bid(unit_a)
    assert y.may_bid(factories.unit("150202").id)  # other units are not affected
    page = text(login("district_a").get(f"/contractors/{y.id}"))
    assert "禁止该机构参与采购至" in page
    clock.set_now(until)
    assert not y.may_bid(unit_a)  # the bar holds through its last day
    clock.advance(days=1)
    assert y.may_bid(unit_a)
    assert "禁止该机构参与采购至" not in text(login("district_a").get(f"/contractors/{y.id}"))


def test_a_bar_in_the_past_is_refused(login):
    y = factories.org("Y")
    before = row_counts()
    r = login("district_a").send(f"/contractors/{y.id}/bar", {"until": (clock.today() - timedelta(days=1)).isoformat(),
                                                               "reason_code": "violation"})
    assert r.status_code == 422 and "不能早于今天" in text(r)
    assert row_counts() == before


def test_expiring_evidence_is_reminded_and_expired_evidence_marks_the_organisation(login):
    x = factories.org("X")
    q = x.qualification(5)
    q.accepted_expires_on = q.expires_on = clock.today() + timedelta(days=20)
    db.session.commit()
    assert "将于" in text(login("contractor_x").get("/"))
    assert x.name in text(login("district_a").get("/"))
    clock.advance(days=21)
    assert x.expired_conditions()
    assert not x.may_bid(factories.unit("150203").id)
    assert "材料过期" in text(login("district_b").get("/contractors/directory"))
    assert "已过期" in text(login("contractor_x").get("/"))
    # the contractor renews: still marked until the seat unit re-checks
    r = login("contractor_x").send("/organisation/conditions/5",
                                   _based_on_page(login("contractor_x"), 5, {"statement": "新的完税证明", "evidence": upload(), "expires_on": "2028-01-31"}),
                                   content_type="multipart/form-data")
    assert r.status_code == 303
    assert x.expired_conditions() and x.status == "approved"
    assert x.rounds[-1].kind == "recheck"
    assert login("district_a").send(f"/contractors/{x.id}/review", {"c5": "accepted"}).status_code == 303
    assert not x.expired_conditions() and x.may_bid(factories.unit("150203").id)
    assert x.rounds[-1].outcome == "rechecked" and x.status == "approved"


def test_renewal_needs_an_expiry_date_for_expiring_evidence(login):
    before = row_counts()
    r = login("contractor_x").send("/organisation/conditions/4", _based_on_page(login("contractor_x"), 4, {"statement": "更新", "evidence": upload()}),
                                   content_type="multipart/form-data")
    assert r.status_code == 422 and "有效期" in text(r)
    assert row_counts() == before


def test_a_pending_application_cannot_be_edited(client):
    _register(client)
    r = client.send("/organisation/conditions/1", _based_on_page(client, 1, {"statement": "改"}), content_type="multipart/form-data")
    assert r.status_code == 409


def test_directory_filters_by_category_and_name(login):
    c = login("finance_a")
    assert "和润调解中心" in text(c.get("/contractors/directory?q=和润"))
    assert "和润调解中心" not in text(c.get("/contractors/directory?q=新起点"))
    fragment = text(c.get("/contractors/directory?q=和润", headers={"HX-Request": "true", "HX-Target": "contractor-table"}))
    assert "<html" not in fragment and "和润调解中心" in fragment


def test_pages_send_vary_hx_request(login):
    r = login("district_a").get("/contractors/")
    assert "HX-Request" in r.headers.get("Vary", "")


def test_uscc_is_unique_even_with_lower_case_input(client):
    code = make_uscc("52150202MJ0000555")
    assert client.send("/register/", registration_data(uscc=code)).status_code == 303
    other = registration_data(uscc=code.lower(), username="second_admin")
    assert client.application.test_client().send("/register/", other).status_code == 422
