"""Contractors as the units see them: the seat unit's review and exits, any unit's bars, the directory."""
from flask import Blueprint, abort, flash, request, url_for
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from blueprints.contractors.case_codes import case_codes_page, number_example
from blueprints.contractors.forms import BarForm, CaseCodeForm, LiftForm, SuspendForm, TerminateForm, review_form
from extensions import db
from models import Contractor, Unit
from models.mediation import set_case_code
from models.codes import CONTRACTOR_STATUSES, SERVICE_CATEGORIES
from models import clock
from services.access import get_in_scope, roles_required
from services.attachments import send_attachment
from services.web import act, render

# A row shows the seat unit and the expired-evidence badge: both loaded for the whole list (no N+1).
ROW_LOADS = (joinedload(Contractor.seat_unit), selectinload(Contractor.qualifications))

bp = Blueprint("contractors", __name__, url_prefix="/contractors")

UNIT_STAFF = ("city", "district")
READERS = ("city", "district", "finance")
PUBLIC_STATES = ("approved", "suspended", "terminated")


def _visible(contractor_id):
    """Seat-unit staff see their organisations in any state; other unit users only listed ones."""
    query = select(Contractor).where(Contractor.id == contractor_id)
    if current_user.is_unit_staff:
        query = query.where(or_(Contractor.seat_unit_id == current_user.unit_id,
                                Contractor.status.in_(PUBLIC_STATES)))
    else:
        query = query.where(Contractor.status.in_(PUBLIC_STATES))
    return get_in_scope(query)


def _is_seat(org):
    return current_user.is_unit_staff and org.seat_unit_id == current_user.unit_id


def _filtered(query, args):
    if args.get("status") in CONTRACTOR_STATUSES:
        query = query.where(Contractor.status == args["status"])
    if args.get("category") == "mediation":
        query = query.where(Contractor.serves_mediation.is_(True))
    if args.get("category") == "assistance":
        query = query.where(Contractor.serves_assistance.is_(True))
    if args.get("q"):
        query = query.where(Contractor.name.contains(args["q"].strip(), autoescape=True))
    return query.order_by(Contractor.id.desc())


@bp.get("/")
@roles_required(*UNIT_STAFF)
def index():
    """The organisations seated in the user's unit, in every state, for review and supervision."""
    query = _filtered(select(Contractor).where(Contractor.seat_unit_id == current_user.unit_id), request.args)
    rows = db.session.scalars(query.options(*ROW_LOADS)).all()
    return render("contractors/index.html", "contractors/_table.html", "contractor-table", rows=rows,
                  args=request.args, statuses=CONTRACTOR_STATUSES, categories=SERVICE_CATEGORIES,
                  day=clock.today(), link=True)


@bp.get("/directory")
@roles_required(*READERS)
def directory():
    """Approved organisations, readable by every unit."""
    query = _filtered(select(Contractor).where(Contractor.status == "approved"), request.args)
    if request.args.get("seat", type=int):
        query = query.where(Contractor.seat_unit_id == request.args.get("seat", type=int))
    rows = db.session.scalars(query.options(*ROW_LOADS)).all()
    units = db.session.scalars(select(Unit).order_by(Unit.code)).all()
    return render("contractors/directory.html", "contractors/_table.html", "contractor-table", rows=rows,
                  args=request.args, categories=SERVICE_CATEGORIES, units=units, day=clock.today(),
                  link=True)


def _show(org, status=200, **forms):
    seat = _is_seat(org)
    pending = [q.condition for q in org.qualifications if q.verdict == "pending"] if seat else []
    context = {
        "org": org, "seat": seat, "day": clock.today(),
        "review_form": forms.get("review_form") or (review_form(pending) if pending and org.open_round else None),
        "suspend_form": forms.get("suspend_form") or SuspendForm(),
        "terminate_form": forms.get("terminate_form") or TerminateForm(),
        "lift_form": forms.get("lift_form") or LiftForm(),
        "bar_form": forms.get("bar_form") or BarForm(),
        "my_bars": [b for b in org.bars if b.unit_id == current_user.unit_id],
        "case_code_form": forms.get("case_code_form") or CaseCodeForm(case_code=org.case_code),
        "number_example": number_example(org),
    }
    return render("contractors/show.html", status=status, **context)


@bp.get("/<int:contractor_id>")
@roles_required(*READERS)
def show(contractor_id):
    return _show(_visible(contractor_id))


def _act(org, form_name, form, action, message=None, state=None):
    return act(form, action, lambda f: _show(org, status=422, **{form_name: f}),
               url_for("contractors.show", contractor_id=org.id), message,
               state=state and (lambda: org.state_check(state)))


@bp.post("/<int:contractor_id>/review")
@roles_required(*UNIT_STAFF)
def review(contractor_id):
    org = _visible(contractor_id)
    if not _is_seat(org):
        abort(403)
    pending = [q.condition for q in org.qualifications if q.verdict == "pending"]
    if not pending or org.open_round is None:
        abort(409)
    form = review_form(pending)

    def action():
        verdicts = {n: (form[f"c{n}"].data, form[f"c{n}_code"].data or None, form[f"c{n}_text"].data)
                    for n in pending}
        outcome = org.review(current_user, verdicts)
        flash({"approved": "审核通过。", "rejected": "已退回，承接主体可修改后重新提交。",
               "rechecked": "复核完成。"}[outcome], "success")

    return _act(org, "review_form", form, action)


@bp.post("/<int:contractor_id>/suspend")
@roles_required(*UNIT_STAFF)
def suspend(contractor_id):
    org = _visible(contractor_id)
    if not _is_seat(org):
        abort(403)  # only the seat unit suspends, lifts and terminates (DESIGN §1)
    form = SuspendForm()
    return _act(org, "suspend_form", form,
                lambda: org.suspend(current_user, form.reason_code.data, form.reason_text.data), state="suspend")


@bp.post("/<int:contractor_id>/lift")
@roles_required(*UNIT_STAFF)
def lift(contractor_id):
    org = _visible(contractor_id)
    if not _is_seat(org):
        abort(403)  # only the seat unit suspends, lifts and terminates (DESIGN §1)
    form = LiftForm()
    return _act(org, "lift_form", form, lambda: org.lift_suspension(current_user, form.reason_text.data),
                state="lift")


@bp.post("/<int:contractor_id>/terminate")
@roles_required(*UNIT_STAFF)
def terminate(contractor_id):
    org = _visible(contractor_id)
    if not _is_seat(org):
        abort(403)  # only the seat unit suspends, lifts and terminates (DESIGN §1)
    form = TerminateForm()
    return _act(org, "terminate_form", form,
                lambda: org.terminate(current_user, form.reason_code.data, form.reason_text.data), state="terminate")


@bp.post("/<int:contractor_id>/bar")
@roles_required(*UNIT_STAFF)
def bar(contractor_id):
    org = _visible(contractor_id)
    form = BarForm()
    return _act(org, "bar_form", form,
                lambda: org.bar(current_user, form.until.data, form.reason_code.data, form.reason_text.data))


@bp.post("/<int:contractor_id>/case-code")
@roles_required("admin", *UNIT_STAFF)
def case_code(contractor_id):
    """The organisation's code in its mediation case numbers: its seat unit or the administrator."""
    if current_user.role == "admin":
        org = get_in_scope(select(Contractor).where(Contractor.id == contractor_id))
        form = CaseCodeForm()
        return act(form, lambda: set_case_code(org, current_user, form.case_code.data),
                   lambda f: case_codes_page(status=422, failed=(org.id, f)), url_for("admin.case_codes"),
                   "案件编号代字已保存。", state=lambda: org.state_check("case_code"))
    org = _visible(contractor_id)
    if not _is_seat(org):
        abort(403)
    form = CaseCodeForm()
    return _act(org, "case_code_form", form, lambda: set_case_code(org, current_user, form.case_code.data),
                "案件编号代字已保存。", state="case_code")


@bp.get("/<int:contractor_id>/evidence/<int:attachment_id>")
@roles_required(*UNIT_STAFF)
def evidence(contractor_id, attachment_id):
    org = _visible(contractor_id)
    if not _is_seat(org):
        abort(404)  # evidence belongs to the review file, which only the seat unit holds
    return send_attachment(org, attachment_id)
