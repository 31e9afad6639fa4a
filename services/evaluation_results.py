"""Evaluation results where they decide things: the contractor's record, bids, and next year's plan."""
from sqlalchemy import select

from extensions import db


def completed_for_contractor(contractor_id):
    """The contractor's completed evaluations, newest first."""
    from models import Contract
    from models.evaluation import Evaluation

    return db.session.scalars(
        select(Evaluation).join(Contract, Evaluation.contract_id == Contract.id)
        .where(Contract.contractor_id == contractor_id, Evaluation.state == "completed")
        .order_by(Evaluation.period_end.desc(), Evaluation.id.desc())).all()


def exit_proposal(contractor_id):
    """The latest completed evaluation when it is poor: the exit mechanism is proposed (not applied)."""
    done = completed_for_contractor(contractor_id)
    return done[0] if done and done[0].grade == "poor" else None


def last_year_grades(item):
    """Completed evaluations of the unit's contracts of the year before that bought the same service item."""
    from models import Contract, PlanItem, Procurement, PurchasePlan
    from models.evaluation import Evaluation

    plan = item.plan
    return db.session.scalars(
        select(Evaluation).join(Contract, Evaluation.contract_id == Contract.id)
        .join(Procurement, Contract.procurement_id == Procurement.id)
        .join(PlanItem, PlanItem.procurement_id == Procurement.id)
        .join(PurchasePlan, PlanItem.plan_id == PurchasePlan.id)
        .where(PurchasePlan.unit_id == plan.unit_id, PurchasePlan.year == plan.year - 1,
               PlanItem.service_item_id == item.service_item_id, Evaluation.state == "completed")
        .order_by(Evaluation.period_end.desc(), Evaluation.id.desc()).distinct()).all()
