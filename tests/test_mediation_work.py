"""Consultations and dispute screening reports: recorded by the organisation, seen by its units, counted."""
from extensions import db
from models.mediation import Consultation, Screening
from tests import factories
from tests.helpers import field_error, row_counts, text
from tests.mediation_factories import HOSTILE


def test_a_mediator_logs_a_consultation_and_the_contract_unit_sees_it(app, login):
    contract = factories.make_contract("150203", factories.org("X"), "mediation")
    db.session.commit()
    c = login("worker_x")
    r = c.send("/mediation/consultations", {"given_on": "2026-11-26", "asker": "来访群众 A&B", "topic": HOSTILE,
                                            "answer": "告知可申请调解", "referred_to": "昆都仑区法律援助中心",
                                            "contract_id": str(contract.id)})
    assert r.status_code == 303
    row = db.session.scalars(db.select(Consultation)).one()
    assert row.contract_id == contract.id and row.topic == HOSTILE
    assert "来访群众 A&amp;B" in text(login("district_a").get("/mediation/consultations"))
    assert "来访群众" not in text(login("district_b").get("/mediation/consultations"))
    assert "来访群众" not in text(login("contractor_y").get("/mediation/consultations"))
    assert "本期法律咨询 1 次" in text(login("district_a").get("/mediation/evaluation?year=2026&quarter=4"))


def test_bad_consultation_is_refused_beside_the_field(app, login):
    before = row_counts()
    r = login("worker_x").send("/mediation/consultations", {"given_on": "2026-11-28", "asker": "x", "topic": "x",
                                                            "answer": "x", "contract_id": "0"})
    assert r.status_code == 422 and field_error(text(r), "given_on") == ["日期不能晚于今天"]
    assert row_counts() == before
    assert login("district_a").send("/mediation/consultations", {}).status_code == 403


def test_a_screening_report_is_seen_by_the_area_unit(app, login):
    c = login("contractor_x")
    data = {"period_start": "2026-11-01", "period_end": "2026-11-20", "area_unit_id": str(factories.unit("150203").id),
            "township": "昆北街道", "disputes_found": "0", "analysis": "未发现新的纠纷", "suggestions": "继续巡查",
            "contract_id": "0"}
    r = c.send("/mediation/screenings", {**data, "period_end": "2026-10-01"})
    assert r.status_code == 422 and field_error(text(r), "period_end")
    assert c.send("/mediation/screenings", data).status_code == 303
    assert db.session.scalars(db.select(Screening)).one().disputes_found == 0
    assert "未发现新的纠纷" in text(login("district_a").get("/mediation/screenings"))
    assert "未发现新的纠纷" not in text(login("district_b").get("/mediation/screenings"))
    assert "排查报告 1 份" in text(login("contractor_x").get("/mediation/evaluation?year=2026&quarter=4"))


def test_the_city_extends_the_dispute_categories_and_failure_reasons(app, login):
    from tests.mediation_factories import make_case

    city = login("city")
    assert city.send("/mediation/codes", {"kind": "category", "label": "邻里纠纷"}).status_code == 422  # exists
    assert city.send("/mediation/codes", {"kind": "category", "label": "草原承包纠纷"}).status_code == 303
    assert city.send("/mediation/codes", {"kind": "fail_reason", "label": "当事人失联"}).status_code == 303
    assert "草原承包纠纷" in text(city.get("/mediation/codes"))
    assert login("district_a").send("/mediation/codes", {"kind": "category", "label": "x"}).status_code == 403
    # The organisations use them at once.
    assert "草原承包纠纷" in text(login("worker_x").get("/mediation/new"))
    case = make_case("worker_x", category="city1", state="mediating")
    db.session.commit()
    assert case.category_label == "草原承包纠纷"
    r = login("worker_x").send(f"/mediation/{case.id}/fail", {"fail_reason": "city1", "routes": ["litigation"],
                                                              "concluded_on": "2026-11-27", "confirm": "y"})
    assert r.status_code == 303 and case.fail_reason_label == "当事人失联"
