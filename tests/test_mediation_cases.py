"""Mediation cases over HTTP: intake, scope, assignment, records, outcomes, follow-ups, archive."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from extensions import db
from models import AuditLog, StaffMember
from models.mediation import MediationCase
from models import clock
from tests import factories
from tests.helpers import field_error, row_counts, text
from tests.mediation_factories import HOSTILE, make_case


def intake_data(**overrides):
    data = {
        "source": "court", "source_body": "包头市昆都仑区人民法院", "source_ref": "（2026）内0203民诉前调8号",
        "category": "neighbour", "area_unit_id": str(factories.unit("150203").id), "township": "昆北街道",
        "contract_id": "0", "amount": "5000.00", "received_on": "2026-11-27",
        "facts": "楼上漏水，损坏楼下吊顶。", "requests": "赔偿维修费",
        "parties-0-side": "applicant", "parties-0-kind": "person", "parties-0-name": "赵大海",
        "parties-0-id_number": "150203199001010010", "parties-0-gender": "male", "parties-0-contact_ok": "y",
        "parties-1-side": "applicant", "parties-1-kind": "person", "parties-1-name": "",
        "parties-2-side": "respondent", "parties-2-kind": "person", "parties-2-name": "钱小红",
        "parties-3-side": "respondent", "parties-3-kind": "organisation", "parties-3-name": "鹿城物业有限公司",
        "parties-3-id_number": "91110000600037341L",
    }
    data.update(overrides)
    return data


def cases():
    return db.session.scalars(select(MediationCase).order_by(MediationCase.id)).all()


# ---------------------------------------------------------------- intake


def test_mediator_takes_in_a_court_referral_and_it_gets_the_first_number(app, login):
    c = login("worker_x")
    assert c.get("/mediation/new").status_code == 200
    r = c.send("/mediation/", intake_data())
    assert r.status_code == 303, text(r)[:2000]
    case = cases()[-1]
    assert case.number == "（2026）昆调字第1号"
    assert [(p.side, p.name) for p in case.parties] == [("applicant", "赵大海"), ("respondent", "钱小红"),
                                                         ("respondent", "鹿城物业有限公司")]
    assert case.parties[0].contact_ok and not case.parties[1].contact_ok
    assert case.source == "court" and case.source_ref == "（2026）内0203民诉前调8号"
    assert case.due_on == date(2026, 12, 27)
    assert case.status == "registered"
    # A certified mediator who registers a case takes it at once (defect 6); the admin may reassign.
    assert case.mediator_names == "张志强" and case.assignments[0].assigned_by_id == factories.user("worker_x").id
    page = c.get(r.headers["Location"])
    assert page.status_code == 200 and "（2026）昆调字第1号" in text(page)


def test_numbers_follow_each_other_and_restart_each_year(app, login):
    c = login("contractor_x")
    for day in ("2025-12-30", "2026-01-02", "2026-03-01"):
        clock.set_now(date.fromisoformat(day))
        assert c.send("/mediation/", intake_data(received_on=day)).status_code == 303
    clock.set_now(date(2026, 11, 27))
    assert c.send("/mediation/", intake_data()).status_code == 303
    assert [x.number for x in cases()] == ["（2025）昆调字第1号", "（2026）昆调字第1号", "（2026）昆调字第2号",
                                         "（2026）昆调字第3号"]


@pytest.mark.parametrize("overrides,field,message", [
    ({"parties-2-name": "", "parties-3-name": ""}, None, "请至少填写一名被申请人"),
    ({"source_body": ""}, "source_body", "移送、委托的案件请填写移送单位"),
    ({"received_on": "2026-11-28"}, "received_on", "受理日期不能晚于今天"),
    ({"facts": ""}, "facts", "请填写纠纷简要情况"),
    ({"category": "nonsense"}, "category", "请从列表中选择"),
    ({"parties-0-id_number": "150203199001010011"}, "parties-0-id_number", None),
    ({"amount": "-1"}, "amount", "争议金额不能为负数"),
])
def test_bad_intake_is_refused_beside_the_field_and_writes_nothing(app, login, overrides, field, message):
    c = login("worker_x")
    before = row_counts()
    r = c.send("/mediation/", intake_data(**overrides))
    assert r.status_code == 422
    body = text(r)
    if field:
        errors = field_error(body, field)
        assert errors, body[:3000]
        if message:
            assert any(message in e for e in errors), errors
    else:
        assert message in body
    assert row_counts() == before


def test_a_contract_of_another_organisation_cannot_serve_the_case(app, login):
    other = factories.make_contract("150202", factories.org("Y"), "mediation")
    db.session.commit()
    r = login("worker_x").send("/mediation/", intake_data(contract_id=str(other.id)))
    assert r.status_code == 422  # not among the choices: refused beside the field
    assert field_error(text(r), "contract_id")


def test_hostile_text_survives_into_the_case_page(app, login):
    c = login("worker_x")
    r = c.send("/mediation/", intake_data(facts=HOSTILE, **{"parties-0-name": "A&B<i>😀"}))
    assert r.status_code == 303
    case = cases()[-1]
    assert case.facts == HOSTILE and case.parties[0].name == "A&B<i>😀"
    body = text(c.get(f"/mediation/{case.id}"))
    assert "A&amp;B &lt;b&gt;粗体&lt;/b&gt;" in body and "<b>粗体" not in body
    assert "长" * 5000 in body


def test_units_and_finance_cannot_register_cases(app, login):
    for user in ("district_a", "city", "finance_a", "admin", "evaluator"):
        assert login(user).send("/mediation/", intake_data()).status_code == 403


# ---------------------------------------------------------------- scope (DESIGN.md §2)


def test_who_sees_a_case(app, login):
    case = make_case("contractor_x")  # registered by the admin, no mediator yet, area 昆都仑区, no contract
    db.session.commit()
    url = f"/mediation/{case.id}"
    expected = {"contractor_x": 200, "district_a": 200, "district_b": 404, "city": 404, "contractor_y": 404,
                "worker_x": 404, "finance_a": 403, "admin": 403, "evaluator": 403}
    assert {u: login(u).get(url).status_code for u in expected} == expected
    # Assigned, the mediator sees it; the lists agree with the pages.
    case.assign(factories.user("contractor_x"), [factories.org("X").staff[0]])
    db.session.commit()
    assert login("worker_x").get(url).status_code == 200
    assert case.number in text(login("worker_x").get("/mediation/"))
    assert case.number not in text(login("district_b").get("/mediation/"))


def test_the_unit_whose_contract_serves_the_case_sees_it_too(app, login):
    contract = factories.make_contract("150202", factories.org("X"), "mediation")
    case = make_case("contractor_x", contract=contract)
    city_contract = factories.make_contract("150200", factories.org("X"), "mediation")
    city_case = make_case("contractor_x", contract=city_contract, area="150202")
    db.session.commit()
    b = login("district_b")
    assert b.get(f"/mediation/{case.id}").status_code == 200  # its contract
    assert b.get(f"/mediation/{city_case.id}").status_code == 200  # its area
    assert login("city").get(f"/mediation/{city_case.id}").status_code == 200
    assert login("city").get(f"/mediation/{case.id}").status_code == 404
    assert login("district_a").get(f"/mediation/{city_case.id}").status_code == 404


def test_a_reassigned_mediator_loses_the_case_and_the_history_keeps_both(app, login):
    org = factories.org("X")
    other = StaffMember(contractor=org, name="陈立新", id_number="150203199001010010", profession="mediator",
                        phone="13800000000", cert_number="包司调证〔2025〕2号", cert_issuer="包头市司法局",
                        cert_valid_from=date(2026, 1, 1), cert_valid_until=date(2027, 12, 31))
    db.session.add(other)
    case = make_case("contractor_x")
    case.assign(factories.user("contractor_x"), [org.staff[0]])
    db.session.commit()
    r = login("contractor_x").send(f"/mediation/{case.id}/assign", {"staff_ids": [str(other.id)]})
    assert r.status_code == 303
    assert [(a.staff_member.name, a.ended_on) for a in case.assignments] == [("张志强", date(2026, 11, 27)),
                                                                           ("陈立新", None)]
    assert login("worker_x").get(f"/mediation/{case.id}").status_code == 404


def test_only_certified_mediators_can_be_assigned_and_only_by_the_admin(app, login):
    org = factories.org("X")
    lapsed = StaffMember(contractor=org, name="周卫东", id_number="150203199001010010", profession="mediator",
                         phone="13800000000", cert_number="包司调证〔2020〕9号", cert_issuer="包头市司法局",
                         cert_valid_from=date(2020, 1, 1), cert_valid_until=date(2025, 12, 31))
    db.session.add(lapsed)
    case = make_case("contractor_x")
    db.session.commit()
    admin = login("contractor_x")
    r = admin.send(f"/mediation/{case.id}/assign", {"staff_ids": [str(lapsed.id)]})
    assert r.status_code == 422 and field_error(text(r), "staff_ids")
    assert case.assignments == []
    assert login("district_a").send(f"/mediation/{case.id}/assign", {"staff_ids": [str(org.staff[0].id)]}
                                    ).status_code == 403


# ---------------------------------------------------------------- the transitions


def record_data(kind, **kw):
    data = {"kind": kind, "held_at": "2026-11-27T10:00", "place": "调解室", "staff": "张志强", "recorder": "李秀兰",
            "persons": "赵大海", "content": "问：漏水何时发生？答：十一月初。"}
    data.update(kw)
    return data


AGREEMENT = {"agreement_kind": "written", "matters": "漏水赔偿", "responsibility": "楼上全责",
             "terms": "赔偿 3000 元", "performance": "现金", "performance_due": "2026-12-10",
             "effective_on": "2026-11-27"}


def test_the_whole_road_to_archive_over_http(app, login):
    case = make_case("worker_x")
    db.session.commit()
    r = login("contractor_x").send(f"/mediation/{case.id}/assign", {"staff_ids": [str(factories.org("X").staff[0].id)]})
    assert r.status_code == 303
    c = login("worker_x")
    url = f"/mediation/{case.id}"
    # No session before the notice of rights and duties.
    r = c.send(url + "/records", record_data("session"))
    assert r.status_code == 422 and "权利义务" in " ".join(field_error(text(r), "kind"))
    assert c.send(url + "/records", record_data("investigation")).status_code == 303
    assert case.status == "investigating"
    assert c.send(url + "/notice", {"given_on": "2026-11-27"}).status_code == 303
    assert c.send(url + "/records", record_data("session", result="达成协议")).status_code == 303
    assert case.status == "mediating"
    assert c.send(url + "/succeed", AGREEMENT).status_code == 303
    assert (case.status, case.outcome, case.agreement.kind) == ("succeeded", "succeeded", "written")
    assert case.follow_up_due_on() == date(2027, 1, 9)
    # Archiving needs the identity proof (part 3).
    r = c.send(url + "/archive", {"retention": "10"})
    assert r.status_code == 422 and "当事人身份证明" in " ".join(field_error(text(r), "retention"))
    assert c.send(url + "/file", {"part": "3", "signed_on": "2026-11-27", "remark": "原件已归档"}).status_code == 303
    r = c.send(url + "/archive", {"retention": "10"})
    assert r.status_code == 422  # a mark is not a scan: identity proof is present when its scan is uploaded
    assert c.send(url + "/file", {"part": "3", "scan": factories.upload(name="身份证.pdf")},
                  content_type="multipart/form-data").status_code == 303
    assert c.send(url + "/follow-ups", {"visited_on": "2026-11-27", "way": "phone", "visited_person": "赵大海",
                                        "visitor": "张志强", "performed": "full"}).status_code == 303
    assert c.send(url + "/archive", {"retention": "10"}).status_code == 303
    assert case.status == "archived" and case.outcome == "succeeded" and case.retention == "10"
    # Archived cases are read-only.
    for path, data in (("/notice", {"given_on": "2026-11-27"}), ("/follow-ups", {
            "visited_on": "2026-11-27", "way": "phone", "visited_person": "赵大海", "performed": "full"}),
                       ("/archive", {"retention": "10"}), ("/file", {"part": "4", "signed_on": "2026-11-27"})):
        assert c.send(url + path, data).status_code == 409, path
    page = text(c.get(url))
    assert "已归档" in page and "10年" in page and "record-form" not in page


def test_refusal_ends_a_registered_case_and_only_a_registered_one(app, login):
    case = make_case("worker_x")
    going = make_case("worker_x", state="investigating")
    db.session.commit()
    c = login("worker_x")
    assert c.send(f"/mediation/{case.id}/refuse", {"refuse-note": ""}).status_code == 422
    # Ending the case asks for a ticked confirmation, on the server (it holds without JavaScript).
    r = c.send(f"/mediation/{case.id}/refuse", {"refuse-note": "被申请人明确拒绝调解"})
    assert r.status_code == 422 and field_error(text(r), "refuse-confirm") == ["请勾选确认后再提交"]
    assert case.status == "registered"
    assert c.send(f"/mediation/{case.id}/refuse", {"refuse-note": "被申请人明确拒绝调解",
                                                   "refuse-confirm": "y"}).status_code == 303
    assert (case.status, case.outcome, case.concluded_on) == ("refused", "refused", date(2026, 11, 27))
    assert c.send(f"/mediation/{going.id}/refuse", {"refuse-note": "拒绝", "refuse-confirm": "y"}).status_code == 409
    # Refused and withdrawn cases archive with the file note and identity proof, no notice needed.
    assert [r["part"] for r in case.missing_parts()] == [3]


@pytest.mark.parametrize("state,action,data,expected", [
    ("registered", "succeed", AGREEMENT, 409),
    ("investigating", "succeed", AGREEMENT, 409),
    ("mediating", "succeed", AGREEMENT, 303),
    ("mediating", "succeed", {**AGREEMENT, "effective_on": "2026-11-28"}, 422),
    ("mediating", "succeed", {**AGREEMENT, "performance_due": "2026-11-01"}, 422),
    ("mediating", "fail", {"fail_reason": "gap", "routes": ["litigation"], "concluded_on": "2026-11-27",
                           "confirm": "y"}, 303),
    ("mediating", "fail", {"fail_reason": "gap", "routes": ["litigation"], "concluded_on": "2026-11-27"}, 422),
    ("mediating", "fail", {"fail_reason": "gap", "concluded_on": "2026-11-27", "confirm": "y"}, 422),
    ("investigating", "fail", {"fail_reason": "gap", "routes": ["litigation"], "concluded_on": "2026-11-27"}, 409),
    ("registered", "withdraw", {"withdraw-note": "撤回", "withdraw-confirm": "y"}, 303),
    ("registered", "withdraw", {"withdraw-note": "撤回"}, 422),
    ("mediating", "withdraw", {"withdraw-note": "撤回", "withdraw-confirm": "y"}, 303),
    ("written", "withdraw", {"withdraw-note": "撤回"}, 409),
    ("failed", "succeed", AGREEMENT, 409),
    ("written", "follow-ups", {"visited_on": "2026-11-27", "way": "visit", "visited_person": "赵大海",
                               "performed": "partial"}, 303),
    ("failed", "follow-ups", {"visited_on": "2026-11-27", "way": "visit", "visited_person": "赵大海",
                              "performed": "partial"}, 409),
    ("mediating", "archive", {"retention": "10"}, 409),
    ("refused", "archive", {"retention": "10"}, 422),
    ("registered", "extend", {"until": "2027-01-10", "consent": "双方同意延长"}, 303),
    ("registered", "extend", {"until": "2026-12-01", "consent": "双方同意延长"}, 422),
    ("written", "extend", {"until": "2027-01-10", "consent": "双方同意延长"}, 409),
    ("archived", "police", {"reported_to": "昆北派出所", "reported_at": "2026-11-27T08:00", "report_content": "可能激化"}, 409),
    ("mediating", "police", {"reported_to": "昆北派出所", "reported_at": "2026-11-27T08:00", "report_content": "可能激化"}, 303),
    ("written", "confirmation", {"applied_on": "2026-11-27", "court": "昆都仑区人民法院", "decision": "pending"}, 303),
    ("oral", "confirmation", {"applied_on": "2026-11-27", "court": "昆都仑区人民法院", "decision": "pending"}, 409),
])
def test_transitions_allowed_and_refused(app, login, state, action, data, expected):
    case = make_case("worker_x", state=state)
    db.session.commit()
    before = row_counts()
    r = login("worker_x").send(f"/mediation/{case.id}/{action}", data)
    assert r.status_code == expected, text(r)[:500]
    if expected != 303:
        assert row_counts() == before


@pytest.mark.parametrize("user,expected", [("contractor_x", 303), ("worker_x", 303), ("district_a", 403),
                                           ("district_b", 404), ("contractor_y", 404), ("finance_a", 403)])
def test_roles_acting_on_a_case(app, login, user, expected):
    case = make_case("worker_x", state="mediating")
    db.session.commit()
    r = login(user).send(f"/mediation/{case.id}/withdraw", {"withdraw-note": "撤回", "withdraw-confirm": "y"})
    assert r.status_code == expected


def test_judicial_confirmation_is_applied_for_within_30_days_of_effect(app, login):
    case = make_case("worker_x", state="written", received_on=date(2026, 10, 1))
    db.session.commit()
    assert case.confirmation_deadline() == date(2026, 10, 31)
    c = login("worker_x")
    r = c.send(f"/mediation/{case.id}/confirmation", {"applied_on": "2026-11-01", "court": "昆都仑区人民法院",
                                                      "decision": "pending"})
    assert r.status_code == 422 and "30 日" in " ".join(field_error(text(r), "applied_on"))
    r = c.send(f"/mediation/{case.id}/confirmation", {"applied_on": "2026-10-31", "court": "昆都仑区人民法院",
                                                      "court_number": "（2026）内0203民特12号", "decision": "confirmed",
                                                      "decided_on": "2026-11-10"})
    assert r.status_code == 303
    assert case.confirmation.court_number == "（2026）内0203民特12号"


def test_an_htmx_form_with_errors_comes_back_as_the_case_fragment(app, login):
    case = make_case("worker_x", state="mediating")
    db.session.commit()
    r = login("worker_x").send(f"/mediation/{case.id}/succeed", {**AGREEMENT, "terms": ""},
                               headers={"HX-Request": "true", "HX-Target": "case"})
    assert r.status_code == 422
    body = text(r)
    assert body.startswith('<div id="case">') or '<div id="case">' in body[:300]
    assert "<html" not in body
    assert field_error(body, "terms") == ["请填写协议内容"]


# ---------------------------------------------------------------- lists


def test_list_filters_search_and_overdue_flag(app, login):
    old = make_case("worker_x", received_on=date(2026, 10, 1), category="family")
    done_case = make_case("worker_x", state="written", received_on=date(2026, 10, 1),
                          parties=[{"side": "applicant", "kind": "person", "name": "欧阳明月"},
                                   {"side": "respondent", "kind": "person", "name": "司马青"}])
    fresh = make_case("worker_x", source="court")
    db.session.commit()
    c = login("district_a")
    body = text(c.get("/mediation/?overdue=1"))
    assert old.number in body and fresh.number not in body and done_case.number not in body
    assert "超期" in body
    assert old.is_overdue() and not done_case.is_overdue()
    body = text(c.get("/mediation/?q=欧阳"))
    assert done_case.number in body and old.number not in body
    body = text(c.get("/mediation/", query_string={"q": fresh.number}))
    assert fresh.number in body and old.number not in body
    body = text(c.get("/mediation/?category=family"))
    assert old.number in body and fresh.number not in body
    body = text(c.get("/mediation/?source=court&from=2026-11-01"))
    assert fresh.number in body and old.number not in body
    # htmx asks for the table alone.
    r = c.get("/mediation/?status=succeeded", headers={"HX-Request": "true", "HX-Target": "case-table"})
    assert "<html" not in text(r) and done_case.number in text(r) and old.number not in text(r)
    # The unit's home page counts overdue cases.
    assert "超期未结的调解案件" in text(c.get("/"))


def test_list_pages_by_keyset(app, login):
    from blueprints.mediation import views

    made = [make_case("contractor_x") for _ in range(3)]
    db.session.commit()
    old, views.PAGE_SIZE = views.PAGE_SIZE, 2
    try:
        c = login("contractor_x")
        first = text(c.get("/mediation/"))
        assert made[2].number in first and made[1].number in first and made[0].number not in first
        second = text(c.get(f"/mediation/?before={made[1].id}"))
        assert made[0].number in second and made[1].number not in second
    finally:
        views.PAGE_SIZE = old


def test_follow_ups_due_list(app, login):
    case = make_case("worker_x", state="written", received_on=date(2026, 9, 1),
                     performance_due=date(2026, 9, 30))
    db.session.commit()
    body = text(login("worker_x").get("/mediation/follow-ups-due"))
    assert case.number in body and "2026年10月30日" in body and "已逾期" in body


def test_follow_ups_due_pages_earliest_first_and_leaves_out_archived(app, login, monkeypatch):
    from blueprints.mediation import views

    late = make_case("worker_x", state="written", received_on=date(2026, 9, 1), performance_due=date(2026, 10, 20))
    early = make_case("worker_x", state="written", received_on=date(2026, 9, 2), performance_due=date(2026, 9, 20))
    archived = make_case("worker_x", state="archived", received_on=date(2026, 8, 1))
    db.session.commit()
    monkeypatch.setattr(views, "FOLLOW_UP_PAGE", 1)
    worker = login("worker_x")
    first = text(worker.get("/mediation/follow-ups-due"))
    assert early.number in first and late.number not in first and "下一页" in first
    second = text(worker.get("/mediation/follow-ups-due?page=2"))
    assert late.number in second and early.number not in second and "上一页" in second
    assert "下一页" not in second
    monkeypatch.setattr(views, "FOLLOW_UP_PAGE", 50)
    assert archived.number not in text(worker.get("/mediation/follow-ups-due"))
    assert early.number not in text(login("district_b").get("/mediation/follow-ups-due"))


def test_document_download_is_audited(app, login):
    case = make_case("worker_x", state="written")
    db.session.commit()
    r = login("district_a").get(f"/mediation/{case.id}/documents/agreement")
    assert r.status_code == 200 and r.data.startswith(b"PK")
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "download")
                               .order_by(AuditLog.id.desc())).first()
    assert entry.record_type == "mediation_case" and entry.record_id == case.id
    assert login("district_a").get(f"/mediation/{case.id}/documents/oral_agreement").status_code == 404
    assert login("district_b").get(f"/mediation/{case.id}/documents/agreement").status_code == 404


def test_date_rules_follow_the_clock(app):
    case = make_case("worker_x")
    clock.set_now(case.due_on)
    assert not case.is_overdue()
    clock.set_now(case.due_on + timedelta(days=1))
    assert case.is_overdue()


def test_more_party_rows_can_be_asked_for(app, login):
    c = login("worker_x")
    body = text(c.get("/mediation/new?parties=8"))
    assert 'id="parties-7-name"' in body and 'id="parties-8-name"' not in body
    data = intake_data()
    for n in range(4, 8):
        data.update({f"parties-{n}-side": "respondent", f"parties-{n}-kind": "person", f"parties-{n}-name": f"第{n}人"})
    assert c.send("/mediation/", data).status_code == 303
    assert len(cases()[-1].respondents) == 6
