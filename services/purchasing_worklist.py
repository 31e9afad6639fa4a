"""What a unit (or its finance) must act on in purchasing, computed from the records when read.

Each list is one function here; the home page's panel and the inbox (services/inbox/purchasing.py) read them.
"""
from datetime import timedelta

from flask import g, has_request_context
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from extensions import db
from models import Contract, Procurement, PurchasePlan
from models.contract_parts import Instalment
from models import clock
from services import settings

ENDED = ("closed", "terminated")


def open_contracts(unit_id):
    """The unit's contracts not yet ended, with what the lists below read of them loaded in bulk (a few
    statements, not some per contract), once per request: the inbox's three rules share them (issue 16)."""
    memo = g.setdefault("open_contracts", {}) if has_request_context() else {}
    if unit_id not in memo:
        memo[unit_id] = db.session.scalars(
            select(Contract).where(Contract.unit_id == unit_id, Contract.status.not_in(ENDED)).order_by(Contract.id)
            .options(selectinload(Contract.milestones), selectinload(Contract.payments),
                     selectinload(Contract.reclaims),
                     selectinload(Contract.instalments).options(selectinload(Instalment.milestone),
                                                                selectinload(Instalment.payments)))).all()
    return memo[unit_id]


def payable(contracts, today=None):
    """[(contract, payable, overdue, due)]: contracts with money payable now; due: the earliest payable
    instalment's last day before it counts as overdue."""
    today = today or clock.today()
    days = timedelta(days=settings.get("payment.overdue_days"))
    out = []
    for c in contracts:
        money = c.money_overview(today)
        if money["payable"]:
            since = [i.payable_since for i in c.instalments if i.unpaid and i.payable_since]
            out.append((c, money["payable"], money["overdue"], min(since) + days if since else None))
    return out


def open_steps(contracts):
    """[(contract, label, due)]: the contract's filing steps (in working days) not yet done."""
    return [(c, label, due) for c in contracts for label, due, done_on in c.deadlines() if done_on is None]


def milestones_due(contracts, today=None, ahead=30):
    """[(contract, milestone)]: milestones not yet ruled on that are due within `ahead` days or past due
    (the final one is ruled on by the acceptance)."""
    today = today or clock.today()
    return [(c, m) for c in contracts if c.status not in ("accepted", "accepted_conditional")
            for m in c.milestones if m.status == "scheduled" and m.due_on <= today + timedelta(days=ahead)]


def plans_to_review(unit_id):
    return db.session.scalars(select(PurchasePlan).where(
        PurchasePlan.unit_id == unit_id, PurchasePlan.status == "finance_review").order_by(PurchasePlan.id)).all()


def methods_to_review(unit_id):
    return db.session.scalars(select(Procurement).where(
        Procurement.unit_id == unit_id, Procurement.method_approval == "pending",
        Procurement.status == "prepared").order_by(Procurement.id)).all()


def worklist(user):
    unit_id, today = user.unit_id, clock.today()
    contracts = open_contracts(unit_id)
    out = {"overdue_payments": [(c, overdue) for c, _, overdue, _ in payable(contracts, today) if overdue],
           "late_steps": [(c, label, due) for c, label, due in open_steps(contracts) if due < today]}
    if user.role == "finance":
        out["plans_to_review"] = plans_to_review(unit_id)
        out["methods_to_review"] = methods_to_review(unit_id)
    return out
