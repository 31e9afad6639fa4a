"""The figures of DOMAIN.md §8 on a prepared set of cases, with the answers worked out by hand."""
from datetime import date
from decimal import Decimal

import pytest

from extensions import db
from models import Attachment
from models import clock
from models.mediation_figures import compute, for_period, load, quarter_bounds, scope_for
from tests import factories
from tests.conftest import TODAY
from tests.helpers import text
from tests.mediation_factories import make_case

Q3 = (date(2026, 7, 1), date(2026, 9, 30))


def _archive(case, on):
    admin = factories.user("contractor_x")
    case.add_file_item(admin, 3, Attachment.from_upload("身份证.pdf", "application/pdf", factories.PDF))
    clock.set_now(on)
    case.archive(admin, "10")
    clock.set_now(TODAY)


def _follow_up(case, on, performance):
    case.add_follow_up(factories.user("contractor_x"), {"visited_on": on, "way": "phone", "visited_person": "赵大海",
                                                         "visitor": "张志强", "performance": performance, "notes": ""})


@pytest.fixture
def prepared(app):
    """Organisation X's cases around the third quarter of 2026 (time limit 30 days):

    A received 6-20, written agreement 7-05 (15 days, in time), follow-ups 7-20 partly then 8-10 fully,
      archived 7-10
    B received 7-01, oral agreement 8-15 (45 days, due 7-31: late), one follow-up 8-20 partly
    C received 7-10, failed 7-30 (20 days, in time), archived 8-05
    D received 8-01, extension with consent to 9-25, written agreement 9-20 (50 days, in time), no follow-up
    E received 9-01, withdrawn 9-05
    F received 9-10, refused 9-10
    G received 9-15, still open
    H received 6-01, concluded 6-25: before the quarter, counts for nothing
    Y's case received 9-28: another organisation
    """
    a = make_case("worker_x", "written", received_on=date(2026, 6, 20), concluded_on=date(2026, 7, 5), category="family")
    _follow_up(a, date(2026, 7, 20), "partial")
    _follow_up(a, date(2026, 8, 10), "full")
    _archive(a, date(2026, 7, 10))
    b = make_case("worker_x", "oral", received_on=date(2026, 7, 1), concluded_on=date(2026, 8, 15), category="family",
                  source="court")
    _follow_up(b, date(2026, 8, 20), "partial")
    c = make_case("worker_x", "failed", received_on=date(2026, 7, 10), concluded_on=date(2026, 7, 30))
    _archive(c, date(2026, 8, 5))
    d = make_case("worker_x", "mediating", received_on=date(2026, 8, 1))
    d.extend(factories.user("contractor_x"), date(2026, 9, 25), "双方书面同意延长")
    d.succeed(factories.user("contractor_x"), "written", {"matters": "x", "terms": "y", "effective_on": date(2026, 9, 20)})
    make_case("worker_x", "withdrawn", received_on=date(2026, 9, 1), concluded_on=date(2026, 9, 5))
    make_case("worker_x", "refused", received_on=date(2026, 9, 10), concluded_on=date(2026, 9, 10))
    make_case("worker_x", "registered", received_on=date(2026, 9, 15))
    make_case("worker_x", "written", received_on=date(2026, 6, 1), concluded_on=date(2026, 6, 25))
    make_case("contractor_y", "registered", received_on=date(2026, 9, 28), area="150202")
    db.session.flush()
    return {"a": a, "b": b, "c": c, "d": d}


def test_every_figure_of_the_quarter(prepared):
    f = compute(load(scope_for(factories.user("contractor_x")), *Q3), *Q3)
    # received by intake date: B, C, D, E, F, G
    assert f["received"] == 6
    # ended by conclusion date: A, B, C, D, E, F; concluded (a mediation took place): A, B, C, D
    assert (f["ended"], f["concluded"]) == (6, 4)
    assert (f["succeeded"], f["written"], f["oral"], f["failed"], f["withdrawn"], f["refused"]) == (3, 2, 1, 1, 1, 1)
    # success = 3 / 4
    assert f["success_rate"] == Decimal("75.0")
    # average days over concluded = (15 + 45 + 20 + 50) / 4 = 32.5
    assert f["average_days"] == Decimal("32.5")
    # follow-up = agreements with a follow-up (A, B) / agreements (A, B, D) = 2 / 3
    assert (f["followed_up"], f["follow_up_rate"]) == (2, Decimal("66.7"))
    # fulfilment = latest follow-up "fully" (A) / followed (A, B) = 1 / 2; "partly" (B) reported beside it
    assert (f["fulfilled"], f["fulfilment_rate"], f["partly"], f["partly_rate"]) == (1, Decimal("50.0"), 1,
                                                                                    Decimal("50.0"))
    # in time: A, C, and D within its consented extension; B late = 3 / 4
    assert (f["in_time"], f["in_time_rate"]) == (3, Decimal("75.0"))
    # complete file: ended more than 30 days before 9-30 = A (7-05), B (8-15), C (7-30); archived by then A, C = 2 / 3
    assert (f["file_base"], f["archived"], f["complete_file_rate"]) == (3, 2, Decimal("66.7"))
    assert [c.id for c in f["failed_cases"]] == [prepared["c"].id]
    assert [c.id for c in f["unfulfilled_cases"]] == [prepared["b"].id]


def test_breakdowns_by_category_source_and_mediator(prepared):
    figures = for_period(scope_for(factories.user("contractor_x")), *Q3)
    family = dict(figures["by_category"])["婚姻家庭（含继承）"]
    assert (family["concluded"], family["succeeded"], family["success_rate"]) == (2, 2, Decimal("100.0"))
    court = dict(figures["by_source"])["人民法院委托移送"]
    assert (court["received"], court["oral"]) == (1, 1)
    by_mediator = dict(figures["by_mediator"])
    assert by_mediator["张志强"]["concluded"] == 4
    assert by_mediator["未指派"]["ended"] == 1  # the refused case never had a mediator


def test_empty_periods_have_no_rates(app):
    f = compute([], *Q3)
    assert f["received"] == 0 and f["success_rate"] is None and f["average_days"] is None


def test_quarter_bounds():
    assert quarter_bounds(2026, 1) == (date(2026, 1, 1), date(2026, 3, 31))
    assert quarter_bounds(2026, 4) == (date(2026, 10, 1), date(2026, 12, 31))
    assert quarter_bounds(2026, 0) == (date(2026, 1, 1), date(2026, 12, 31))


def test_the_unit_sees_the_quarter_on_its_evaluation_page(prepared, login):
    db.session.commit()
    body = text(login("district_a").get("/mediation/evaluation?year=2026&quarter=3"))
    assert "2026年第3季度" in body and "75.0%" in body and "32.5" in body and "66.7%" in body
    assert prepared["c"].number in body and prepared["b"].number in body
    # Another unit sees none of X's cases.
    assert prepared["c"].number not in text(login("district_b").get("/mediation/evaluation?year=2026&quarter=3"))


def test_the_organisation_writes_measures_and_the_next_quarter_shows_them_carried_out(prepared, login):
    db.session.commit()
    c = login("contractor_x")
    failed = prepared["c"]
    r = c.send("/mediation/evaluation/measures?year=2026&quarter=3",
               {"case_id": str(failed.id), "cause": "双方分歧过大", "measure": "加强庭前沟通", "owner": "张志强",
                "due_on": "2026-11-20"})
    assert r.status_code == 422  # the due date has passed
    r = c.send("/mediation/evaluation/measures?year=2026&quarter=3",
               {"case_id": str(failed.id), "cause": "双方分歧过大", "measure": "加强庭前沟通", "owner": "张志强",
                "due_on": "2026-12-20"})
    assert r.status_code == 303
    assert "加强庭前沟通" in text(c.get("/mediation/evaluation?year=2026&quarter=3"))
    q4 = text(c.get("/mediation/evaluation?year=2026&quarter=4"))
    assert "上一季度整改措施落实情况" in q4 and "加强庭前沟通" in q4 and "记录落实" in q4
    from models.mediation import CorrectiveMeasure

    measure = db.session.scalars(db.select(CorrectiveMeasure)).one()
    assert login("district_a").send(f"/mediation/measures/{measure.id}/done", {"done_note": "x"}).status_code == 403
    assert login("district_b").send(f"/mediation/measures/{measure.id}/done", {"done_note": "x"}).status_code == 404
    assert c.send(f"/mediation/measures/{measure.id}/done", {"done_note": "已组织培训"}).status_code == 303
    assert "已落实" in text(login("district_a").get("/mediation/evaluation?year=2026&quarter=4"))
    # Another organisation cannot write measures on X's case.
    r = login("contractor_y").send("/mediation/evaluation/measures?year=2026&quarter=3",
                                   {"case_id": str(failed.id), "cause": "x", "measure": "x", "owner": "x",
                                    "due_on": "2026-12-20"})
    assert r.status_code == 404


def test_the_unit_closes_a_finished_quarter_for_its_contract(app, login):
    from models.mediation import QuarterClose

    contract = factories.make_contract("150203", factories.org("X"), "mediation")
    db.session.commit()
    c = login("district_a")
    assert c.send("/mediation/evaluation/close?year=2026&quarter=4",
                  {"contract_id": str(contract.id)}).status_code == 422  # not over yet
    assert c.send("/mediation/evaluation/close?year=2026&quarter=3",
                  {"contract_id": str(contract.id), "review_note": "已审查"}).status_code == 303
    assert db.session.scalars(db.select(QuarterClose)).one().review_note == "已审查"
    assert c.send("/mediation/evaluation/close?year=2026&quarter=3",
                  {"contract_id": str(contract.id)}).status_code == 409
    assert login("district_b").send("/mediation/evaluation/close?year=2026&quarter=3",
                                    {"contract_id": str(contract.id)}).status_code == 404
    assert login("contractor_x").send("/mediation/evaluation/close?year=2026&quarter=3",
                                      {"contract_id": str(contract.id)}).status_code == 403


def test_the_evaluation_exports_as_word_and_excel(prepared, login):
    import io

    from openpyxl import load_workbook

    from tests.docs import docx_text

    db.session.commit()
    c = login("district_a")
    r = c.get("/mediation/evaluation/report?year=2026&quarter=3")
    assert r.status_code == 200
    out = docx_text(r.data)
    assert "昆都仑区司法局人民调解工作评估报告" in out and "2026年第3季度" in out and "75.0%" in out
    assert prepared["c"].number in out and "双方分歧过大" in out
    r = c.get("/mediation/evaluation/workbook?year=2026&quarter=3")
    wb = load_workbook(io.BytesIO(r.data))
    rows = {row[0]: row[1] for row in wb["总体"].iter_rows(values_only=True) if row and len(row) > 1}
    assert rows["调解成功率"] == pytest.approx(0.75) and rows["平均办结天数"] == 32.5 and rows["受理"] == 6
    assert [row[0] for row in wb["不成和未履行"].iter_rows(min_row=2, values_only=True)] == [
        prepared["c"].number, prepared["b"].number]


def test_a_closed_quarter_takes_records_dated_in_it_only_with_a_logged_reason(app, login):
    """DESIGN.md §3: after the unit closes a quarter, a record dated in it needs a reason; each such
    record is logged and becomes an integrity finding of the contract."""
    from models.integrity import LateChange
    from models.mediation import FollowUp, QuarterClose
    from models.integrity_rules import late_changes

    contract = factories.make_contract("150203", factories.org("X"), "mediation", start=date(2026, 1, 1))
    case = make_case("worker_x", "written", received_on=date(2026, 9, 1), contract=contract)
    mediating = make_case("worker_x", "mediating", received_on=date(2026, 9, 1), contract=contract)
    db.session.add(QuarterClose(contract_id=contract.id, year=2026, quarter=3, closed_on=date(2026, 10, 10)))
    db.session.commit()
    c = login("worker_x")
    page = text(c.get(f"/mediation/{case.id}"))
    assert "补录理由" in page
    data = {"visited_on": "2026-09-20", "way": "phone", "visited_person": "赵大海", "performed": "full"}
    before = db.session.query(FollowUp).count()
    r = c.send(f"/mediation/{case.id}/follow-ups", data)
    assert r.status_code == 422 and "2026年第3季度已由购买主体关闭" in text(r)
    assert db.session.query(FollowUp).count() == before and db.session.query(LateChange).count() == 0
    assert c.send(f"/mediation/{case.id}/follow-ups", {**data, "late_reason": "纸质回访单迟交 & <补录>"}
                  ).status_code == 303
    assert c.send(f"/mediation/{case.id}/follow-ups", {**data, "visited_on": "2026-10-02"}).status_code == 303
    # a conclusion dated in the closed quarter goes through the same gate
    fail = {"fail_reason": "other", "routes": ["litigation"], "concluded_on": "2026-09-28", "confirm": "y"}
    r = c.send(f"/mediation/{mediating.id}/fail", fail)
    assert r.status_code == 422 and "补录" in text(r)
    assert db.session.get(type(mediating), mediating.id).status == "mediating"
    assert c.send(f"/mediation/{mediating.id}/fail", {**fail, "late_reason": "结案材料迟交"}).status_code == 303
    logged = db.session.query(LateChange).order_by(LateChange.id).all()
    assert [(x.record_type, x.record_date, x.reason) for x in logged] == [
        ("follow_up", date(2026, 9, 20), "纸质回访单迟交 & <补录>"),
        ("mediation_case", date(2026, 9, 28), "结案材料迟交")]
    assert logged[1].record_id == mediating.id
    findings = late_changes(contract)
    assert len(findings) == 2 and "纸质回访单迟交" in findings[0][1]
