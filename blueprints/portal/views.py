"""The public transparency portal: only what has been published, to anyone, without login or scripts."""
from flask import Blueprint, abort, request
from sqlalchemy import select

from extensions import db
from models import Acceptance, Contract, Procurement, PurchasePlan, Unit
from services.web import render

bp = Blueprint("portal", __name__, url_prefix="/portal")

PUBLIC_PROCUREMENT = ("planned", "prepared", "notice_published", "objection", "bids_open", "evaluated", "awarded",
                      "contracted", "failed")


def _filters(query, model):
    unit_id, year = request.args.get("unit", type=int), request.args.get("year", type=int)
    if unit_id:
        query = query.where(model.unit_id == unit_id)
    if year:
        query = query.where(model.year == year)
    return query


@bp.get("/")
def index():
    plans = db.session.scalars(_filters(select(PurchasePlan).where(PurchasePlan.status == "published"), PurchasePlan)
                               .order_by(PurchasePlan.published_on.desc(), PurchasePlan.id.desc())).all()
    procurements = db.session.scalars(_filters(select(Procurement), Procurement)
                                      .order_by(Procurement.intention_published_on.desc(), Procurement.id.desc())
                                      .limit(100)).all()
    contracts = db.session.scalars(_filters(select(Contract).where(Contract.published_on.is_not(None)), Contract)
                                   .order_by(Contract.published_on.desc()).limit(100)).all()
    acceptances = db.session.scalars(
        select(Acceptance).join(Contract).where(Acceptance.status == "concluded", Acceptance.kind == "final",
                                                Contract.published_on.is_not(None))
        .where(*([Contract.unit_id == request.args.get("unit", type=int)] if request.args.get("unit", type=int) else []))
        .order_by(Acceptance.concluded_on.desc()).limit(100)).all()
    units = db.session.scalars(select(Unit).order_by(Unit.code)).all()
    return render("portal/index.html", "portal/_results.html", "portal-results", plans=plans,
                  procurements=procurements, contracts=contracts, acceptances=acceptances, units=units,
                  args=request.args)


@bp.get("/plans/<int:plan_id>")
def plan(plan_id):
    item = db.session.scalar(select(PurchasePlan).where(PurchasePlan.id == plan_id, PurchasePlan.status == "published"))
    if item is None:
        abort(404)
    procurements = db.session.scalars(select(Procurement).where(
        Procurement.id.in_([i.procurement_id for i in item.items if i.procurement_id]))).all()
    return render("portal/plan.html", plan=item, procurements=procurements)


@bp.get("/procurements/<int:procurement_id>")
def procurement(procurement_id):
    item = db.session.get(Procurement, procurement_id)
    if item is None:
        abort(404)
    contracts = [c for c in item.contracts if c.published_on]
    return render("portal/procurement.html", p=item, contracts=contracts)
