"""Purchase-side items of the inbox: payments payable, filing steps, milestones and acceptance due, plans
and methods for finance to review, evaluation scores to enter (unit, contractor, third party)."""
from flask import url_for
from sqlalchemy import select

from models import Contract
from models.evaluation import Evaluation
from models import clock
from services import purchasing_worklist as w
from models.formats import money
from services.inbox.base import Item, list_rule, sql_rule


def _payable(user):
    return [Item(c.number, url_for("contracts.show", contract_id=c.id, _anchor="money"), due,
                 f"应付 {money(amount)} 元" + (f"，其中逾期 {money(overdue)} 元" if overdue else ""))
            for c, amount, overdue, due in w.payable(w.open_contracts(user.unit_id))]


def _steps(user):
    return [Item(c.number, url_for("contracts.show", contract_id=c.id), due, label, working_days=True)
            for c, label, due in w.open_steps(w.open_contracts(user.unit_id))]


def _milestones(user):
    return [Item(c.number, url_for("contracts.show", contract_id=c.id, _anchor="acceptances" if m.is_final
                                   else "milestones"), m.due_on,
                 ("终期验收：" if m.is_final else "履约节点：") + m.title)
            for c, m in w.milestones_due(w.open_contracts(user.unit_id))]


def _plans(user):
    return [Item(f"{p.unit.name} {p.year} 年度购买计划", url_for("plans.show", plan_id=p.id), note="待财政审核")
            for p in w.plans_to_review(user.unit_id)]


def _methods(user):
    return [Item(p.title, url_for("procurements.show", procurement_id=p.id), note=f"采购方式：{p.method_label}")
            for p in w.methods_to_review(user.unit_id)]


def unit_scores_due(user):
    """Open evaluations of the unit's contracts without the unit's scores."""
    return (select(Evaluation.id, Contract.number, Evaluation.period_end).join(Contract)
            .where(Contract.unit_id == user.unit_id, Evaluation.state == "open", Evaluation.unit_submitted_at.is_(None))
            .order_by(Evaluation.id))


def self_scores_due(user):
    """Open evaluations of the contractor's contracts that wait for its self-assessment."""
    return (select(Evaluation.id, Contract.number, Evaluation.period_end).join(Contract)
            .where(Contract.contractor_id == user.contractor_id, Evaluation.state == "open",
                   Evaluation.self_submitted_at.is_(None), Evaluation.share_self > 0)
            .order_by(Evaluation.id))


def third_scores_due(user):
    """The evaluator body's evaluations open for scoring today (the time window) and not yet scored."""
    today = clock.today()
    return (select(Evaluation.id, Contract.number, Evaluation.window_end).join(Contract)
            .where(Evaluation.body_id == user.evaluation_body_id, Evaluation.window_start <= today,
                   Evaluation.window_end >= today, Evaluation.state == "open", Evaluation.third_submitted_at.is_(None))
            .order_by(Evaluation.window_end, Evaluation.id))


def _evaluation_item(note):
    def to_item(row):
        return Item(row.number, url_for("evaluation.show", evaluation_id=row.id, _anchor="scores"), note=note)
    return to_item


def _third_item(row):
    return Item(row.number, url_for("evaluation.work", evaluation_id=row.id), row.window_end, "第三方评分")


RULES = [
    list_rule("purchasing.payable", "应支付的服务费", ("city", "district"), _payable),
    list_rule("purchasing.steps", "合同公告和备案", ("city", "district"), _steps),
    list_rule("purchasing.milestones", "履约节点和验收", ("city", "district"), _milestones),
    list_rule("purchasing.plans", "待审核的购买计划", ("finance",), _plans),
    list_rule("purchasing.methods", "待审核的采购方式", ("finance",), _methods),
    sql_rule("evaluation.unit", "待评分的绩效评价", ("city", "district"), unit_scores_due,
             _evaluation_item("购买主体评分")),
    sql_rule("evaluation.self", "待提交的绩效自评", ("contractor",), self_scores_due, _evaluation_item("承接主体自评")),
    sql_rule("evaluation.third", "委托的评价任务", ("evaluator",), third_scores_due, _third_item,
             page=lambda user: url_for("evaluation.assigned")),
]
