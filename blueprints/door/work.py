"""The staff side of the parties' door: the area unit's applications and their dispatch, the
organisation's acceptance into a case (the intake form prefilled) or reasoned refusal.

Every route loads through a scoped query (404 outside scope), checks the role's action (403, the
model's NotAllowed) and the state (409) before the form, then validates (422 beside the field).
"""
from flask import Blueprint, abort, flash, request, url_for
from flask_login import current_user
from sqlalchemy import select

from blueprints.door.forms import DispatchForm, ReasonForm
from blueprints.forms import choices
from blueprints.mediation.forms import IntakeForm
from extensions import db
from models import Contract, Contractor, DomainError, Unit
from models.door import Application
from models.door_codes import STATES
from models.mediation import MediationCase, code_table, intake, visible_cases
from models import clock
from services import audit
from services.access import get_in_scope, roles_required
from services.door import ORG_ROLES, UNIT_ROLES, pending_for, visible_applications
from services.web import act, check_state, done, form_errors_into, render
from services.web import refuse as refuse_with

bp = Blueprint("door", __name__, url_prefix="/door")

ROLES = UNIT_ROLES + ORG_ROLES


def _application(application_id):
    return get_in_scope(visible_applications(current_user).where(Application.id == application_id))


@bp.get("/applications")
@roles_required(*ROLES)
def index():
    state = request.args.get("state", "pending")
    if state == "pending":
        query = pending_for(current_user)
    else:
        query = visible_applications(current_user)
        if state in STATES:
            query = query.where(Application.state == state)
    items = db.session.scalars(query.order_by(Application.received_at.desc()).limit(200)).all()
    return render("door/index.html", items=items, state=state, states=STATES, now=clock.now())


def _dispatch_form(application, form=None):
    form = form or DispatchForm()
    orgs = db.session.scalars(select(Contractor).where(Contractor.status == "approved",
                                                       Contractor.serves_mediation.is_(True))
                              .order_by(Contractor.name)).all()
    serving = {cid for cid in db.session.scalars(select(Contract.contractor_id).where(
        Contract.unit_id == application.area_unit_id, Contract.category == "mediation",
        Contract.period_end >= clock.today()))}
    orgs.sort(key=lambda o: (o.id not in serving, o.name))
    form.contractor_id.choices = choices([("", "请选择")] + [
        (o.id, o.name + ("（本地区服务合同）" if o.id in serving else "")) for o in orgs])
    return form


def _show(application, status=200, **forms):
    unit_side = current_user.role in UNIT_ROLES
    context = {
        "application": application, "unit_side": unit_side, "now": clock.now(),
        "dispatch_form": forms.get("dispatch_form") or (_dispatch_form(application) if unit_side else None),
        "close_form": forms.get("close_form") or ReasonForm(prefix="close"),
        "decline_form": forms.get("decline_form") or ReasonForm(prefix="decline"),
    }
    return render("door/show.html", status=status, **context)


@bp.get("/applications/<int:application_id>")
@roles_required(*ROLES)
def show(application_id):
    application = _application(application_id)
    audit.log_read("application_viewed", record=application)  # a member of the public's data
    return _show(application)


@bp.post("/applications/<int:application_id>/dispatch")
@roles_required(*UNIT_ROLES)
def dispatch(application_id):
    application = _application(application_id)
    form = _dispatch_form(application, DispatchForm())

    def action():
        org = db.session.get(Contractor, form.contractor_id.data or 0)
        application.dispatch(current_user, org)
        return org

    return act(form, action, lambda f: _show(application, 422, dispatch_form=f),
               url_for("door.show", application_id=application.id),
               "已分派给调解组织。", state=lambda: application.state_check("dispatch"))


@bp.post("/applications/<int:application_id>/close")
@roles_required(*UNIT_ROLES)
def close(application_id):
    application = _application(application_id)
    form = ReasonForm(prefix="close")
    return act(form, lambda: application.close(current_user, form.reason.data),
               lambda f: _show(application, 422, close_form=f), url_for("door.show", application_id=application.id),
               "已决定不予受理，申请人查询时可以看到理由。", state=lambda: application.state_check("close"))


@bp.post("/applications/<int:application_id>/decline")
@roles_required(*ORG_ROLES)
def decline(application_id):
    application = _application(application_id)
    form = ReasonForm(prefix="decline")
    # after declining, the application is no longer the organisation's: back to the list
    return act(form, lambda: application.decline(current_user, form.reason.data),
               lambda f: _show(application, 422, decline_form=f), url_for("door.index"),
               "已说明不予受理的理由，申请退回司法局重新分派。", state=lambda: application.state_check("decline"))


# ---------------------------------------------------------------- accept into a case


def _intake_form(application, form=None):
    user = current_user
    form = form or IntakeForm()
    units = db.session.scalars(select(Unit).order_by(Unit.code)).all()
    form.area_unit_id.choices = choices([("", "请选择")] + [(u.id, u.area_name) for u in units])
    form.category.choices = choices([("", "请选择")] + list(code_table("category").items()))
    contracts = db.session.scalars(select(Contract).where(Contract.contractor_id == user.contractor_id,
                                                          Contract.category == "mediation")
                                   .order_by(Contract.id.desc())).all()
    form.contract_id.choices = choices([(0, "（无合同）")] + [(c.id, f"{c.number} {c.title}"[:80]) for c in contracts])
    return form


def _prefilled(application):
    data = application.intake_defaults()
    form = IntakeForm(formdata=None, source=data["source"], category=data["category"],
                      area_unit_id=data["area_unit_id"], township=data["township"], facts=data["facts"],
                      requests=data["requests"], received_on=clock.today())
    serving = db.session.scalar(select(Contract.id).where(
        Contract.contractor_id == application.contractor_id, Contract.unit_id == application.area_unit_id,
        Contract.category == "mediation", Contract.period_end >= clock.today()).order_by(Contract.id.desc()))
    form.contract_id.data = serving or 0
    for i, entry in enumerate(form.parties):
        entry.form.side.data = "applicant" if i < 2 else "respondent"
    slots = {"applicant": 0, "respondent": 2}
    for p in data["parties"]:
        entry = form.parties[slots[p["side"]]].form
        slots[p["side"]] += 1
        entry.side.data, entry.name.data, entry.phone.data = p["side"], p["name"], p["phone"]
        entry.address.data = p["address"]
    return form


def _accept_page(application, form, status=200):
    return render("door/accept.html", status=status, application=application, form=form)


@bp.get("/applications/<int:application_id>/accept")
@roles_required(*ORG_ROLES)
def accept_form(application_id):
    application = _application(application_id)
    check_state(lambda: application.state_check("accept"))
    return _accept_page(application, _intake_form(application, _prefilled(application)))


@bp.post("/applications/<int:application_id>/accept")
@roles_required(*ORG_ROLES)
def accept(application_id):
    application = _application(application_id)
    check_state(lambda: application.state_check("accept"))
    form = _intake_form(application)
    if form.validate_on_submit():
        contract = db.session.get(Contract, form.contract_id.data) if form.contract_id.data else None
        if form.contract_id.data and contract is None:
            abort(404)
        fields = {"source": form.source.data, "source_body": form.source_body.data or None,
                  "source_ref": form.source_ref.data or None, "category": form.category.data,
                  "area_unit_id": form.area_unit_id.data, "township": (form.township.data or "").strip(),
                  "amount": form.amount.data, "received_on": form.received_on.data, "facts": form.facts.data,
                  "requests": form.requests.data or ""}
        application_id = application.id
        try:
            case = intake(current_user, fields, form.party_rows(), contract)
            application = db.session.get(Application, application_id)
            application.accept(current_user, case)
        except DomainError as e:
            db.session.rollback()
            if e.status != 422:
                refuse_with(e)
            application = db.session.get(Application, application_id)
            if e.field == "parties":
                form.form_errors.append(e.message)
            else:
                form_errors_into(form, e)
        else:
            db.session.commit()
            flash(f"已受理，案件编号{case.number}。申请人查询时可以看到。", "success")
            return done(url_for("mediation.show", case_id=case.id))
    return _accept_page(application, form, 422)


@bp.get("/cases/<int:case_id>/application")
@roles_required(*ROLES)
def of_case(case_id):
    """The application a case was accepted from (for the case page's link)."""
    get_in_scope(visible_cases(current_user).where(MediationCase.id == case_id))
    application = db.session.scalar(select(Application).where(Application.case_id == case_id))
    if application is None:
        abort(404)
    return done(url_for("door.show", application_id=application.id))



@bp.app_context_processor
def _application_of_case():
    """For the case page: the application the case was accepted from, if any (one query when asked)."""

    def door_application_of(case_id):
        return db.session.scalar(select(Application).where(Application.case_id == case_id))

    return {"door_application_of": door_application_of}
