"""A third-party evaluator scores a contract in its own space; the unit scores, completes, and sees the grade."""
from datetime import date, time, timedelta

from playwright.sync_api import expect

from extensions import db
from tests import factories
from tests.browser.helpers import login, logout, new_id_number
from tests.conftest import TODAY


def _fill_scores(page, value):
    fields = page.locator("#scores input[name^='item_']")
    for i in range(fields.count()):
        fields.nth(i).fill(value)


def test_evaluator_scores_and_the_unit_completes_the_evaluation(page, live_server):
    with live_server.app.app_context():
        from models import DutyShift, Evaluation, EvaluationBody, StaffMember
        from models.workdays import working_days_between

        x = factories.org("X")
        c = factories.make_contract("150203", x, amount="90000.00", start=date(2026, 11, 1))
        second = StaffMember(contractor=x, name="王二", id_number=new_id_number(), profession="mediator", phone="1")
        db.session.add(second)
        for day in working_days_between(date(2026, 11, 1), TODAY - timedelta(days=1)):
            c.shifts.append(DutyShift(day=day, start=time(8, 30), end=time(17, 0), staff=[x.staff[0], second]))
        db.session.flush()
        unit = factories.user("district_a")
        e = Evaluation.open(unit, c, date(2026, 11, 1), TODAY - timedelta(days=1))
        e.set_shares(unit, 60, 40, 0)  # the contractor does not self-assess here
        e.assign(unit, db.session.query(EvaluationBody).first(), TODAY, TODAY + timedelta(days=10))
        db.session.commit()
        evaluation_id, number = e.id, c.number

    login(page, "evaluator")
    page.get_by_role("link", name="评价任务").click()
    page.get_by_role("link", name=number).click()
    expect(page.locator("h1")).to_contain_text("第三方评价")
    _fill_scores(page, "4")
    page.get_by_role("button", name="提交第三方评分").click()
    expect(page.locator("#flash")).to_contain_text("已提交第三方评分")

    logout(page)
    login(page, "district_a")
    page.goto(f"/evaluations/{evaluation_id}")
    _fill_scores(page, "4")
    page.get_by_role("button", name="提交评分").click()
    expect(page.locator("#flash")).to_contain_text("已提交评分")
    page.get_by_label("评价结论意见").fill("服务基本达到合同约定")
    page.get_by_role("button", name="完成评价").click()
    expect(page.locator("#flash")).to_contain_text("评价已完成")
    expect(page.locator("h1 .badge")).to_have_text("合格")
    expect(page.get_by_role("link", name="下载评价报告（Word）")).to_be_visible()
