"""What a unit (or its finance) must act on in purchasing, computed from the records when read."""
from sqlalchemy import select

from extensions import db
from models import Contract, Procurement, PurchasePlan
from models import clock


def worklist(user):
    unit_id, today = user.unit_id, clock.today()
    open_contracts = db.session.scalars(select(Contract).where(
        Contract.unit_id == unit_id, Contract.status.not_in(("closed", "terminated"))).order_by(Contract.id)).all()
    overdue = [(c, c.money_overview(today)["overdue"]) for c in open_contracts]
    late = [(c, label, due) for c in open_contracts for label, due, done_on in c.deadlines()
            if done_on is None and due < today]
    out = {"overdue_payments": [(c, amount) for c, amount in overdue if amount], "late_steps": late}
    if user.role == "finance":
        out["plans_to_review"] = db.session.scalars(select(PurchasePlan).where(
            PurchasePlan.unit_id == unit_id, PurchasePlan.status == "finance_review")).all()
        out["methods_to_review"] = db.session.scalars(select(Procurement).where(
            Procurement.unit_id == unit_id, Procurement.method_approval == "pending",
            Procurement.status == "prepared")).all()
    return out
