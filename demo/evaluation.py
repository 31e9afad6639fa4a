"""Demo evaluations (issue 7): last year's contracts evaluated (good, fair, and a poor grade that proposes
the exit mechanism), a 2026 contract evaluated, and one evaluation in progress assigned to the demo
evaluator (`pingjia`). Built through the models' own steps."""
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from demo.helpers import at, make_uscc, user_named
from extensions import db
from models import Contract, DutyShift, EvaluationBody, clock
from models.evaluation import Evaluation
from models.workdays import working_days_between


def _body():
    return db.session.scalar(select(EvaluationBody).where(EvaluationBody.uscc == make_uscc("91150200MA0Q00201")))


def _staff_shifts(c, start, end):
    """A fully staffed service point: two people, 8:30-17:00, every working day of the period."""
    staff = [m for m in c.contractor.staff if m.active][:2]
    have = {s.day for s in c.shifts}
    for day in working_days_between(start, end):
        if day not in have:
            c.shifts.append(DutyShift(day=day, start=time(8, 30), end=time(17, 0), staff=staff))


def _score_all(e, side, user, share):
    points = {i.id: (i.weight * Decimal(share)).quantize(Decimal("0.01")) for i in e.judged_items()}
    e.enter_scores(user, side, points)


def _evaluate(c, clerk, contractor, start, end, opened, shares, conclusion, staffed=True, survey=None):
    """Open, assign, score by all three sides (fractions of each judged weight), complete."""
    if staffed:
        _staff_shifts(c, start, end)
    db.session.flush()
    at(opened)
    e = Evaluation.open(user_named(clerk), c, start, end)
    e.assign(user_named(clerk), _body(), opened, opened + timedelta(days=20))
    at(opened + timedelta(days=6), 15)
    _score_all(e, "third", user_named("pingjia"), shares[0])
    for s in e.samples[:3]:
        s.record_survey(user_named("pingjia"), clock.today(), True, survey or "satisfied", "对服务态度和效率表示认可")
    at(opened + timedelta(days=7), 10)
    _score_all(e, "self", user_named(contractor), shares[2])
    _score_all(e, "unit", user_named(clerk), shares[1])
    at(opened + timedelta(days=9), 16)
    e.complete(user_named(clerk), conclusion)
    return e


def seed_evaluation():
    if db.session.scalar(select(Evaluation.id).limit(1)):
        return ["绩效评价演示数据已存在。"]
    saved = clock._fixed, clock._offset
    today = clock.today()
    done = []
    try:
        by_unit = {c.unit.code: c for c in db.session.scalars(select(Contract).where(Contract.year == 2025))}
        q4 = (date(2025, 10, 1), date(2025, 12, 31))
        for code, clerk, contractor, shares, staffed, conclusion in (
                ("150203", "kundulun", "herun", ("0.95", "0.92", "1"), True, "服务规范，群众满意度高，评价为良好以上。"),
                ("150202", "donghe", "heshun", ("0.8", "0.75", "0.9"), True, "基本完成合同约定，咨询台账有待规范。"),
                ("150204", "qingshan", "anhe", ("0.5", "0.45", "0.8"), False,
                 "值班记录严重缺失，服务未达到合同约定，评价为不合格，建议启动退出机制。")):
            c = by_unit.get(code)
            if c is None or user_named(contractor) is None:
                continue
            e = _evaluate(c, clerk, contractor, *q4, date(2026, 3, 20), shares, conclusion, staffed,
                          "dissatisfied" if not staffed else None)
            done.append(f"{c.number} {e.grade_label}（{e.score}）")
        # this year's contract of 东河区 (its 2027 plan shows the grade beside the same service)
        c3 = db.session.scalar(select(Contract).where(Contract.year == 2026, Contract.unit_id == by_unit["150202"].unit_id)
                               .order_by(Contract.id)) if "150202" in by_unit else None
        if c3 is not None and c3.period_start <= date(2026, 6, 30) and today > date(2026, 10, 25):
            e = _evaluate(c3, "donghe", "heshun", max(c3.period_start, date(2026, 4, 1)), date(2026, 9, 30),
                          date(2026, 10, 15), ("0.92", "0.9", "0.95"), "本期服务良好。")
            done.append(f"{c3.number} {e.grade_label}（{e.score}）")
        # in progress: 昆都仑区's mediation contract, assigned to the demo evaluator now
        c1 = db.session.scalar(select(Contract).where(Contract.year == 2026, Contract.category == "mediation",
                                                      Contract.unit_id == by_unit["150203"].unit_id)
                               .order_by(Contract.id)) if "150203" in by_unit else None
        if c1 is not None and c1.period_start < today:
            clock.set_now(datetime.combine(today, time(9)))
            e = Evaluation.open(user_named("kundulun"), c1, c1.period_start, min(c1.period_end, today - timedelta(days=1)))
            e.assign(user_named("kundulun"), _body(), today - timedelta(days=2), today + timedelta(days=28))
            done.append(f"{c1.number} 评价中（已委托第三方，抽取样本 {len(e.samples)} 个）")
        db.session.commit()
    finally:
        clock._fixed, clock._offset = saved
    return ["绩效评价演示数据已载入：" + "；".join(done) + "。评价机构账号 pingjia 可查看进行中的评价。"]
