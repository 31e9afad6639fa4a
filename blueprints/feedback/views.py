"""Feedback from the public as the receiving unit handles it: list, read, answer, open an inspection.

Only the unit a feedback went to sees it (its contact is personal data); others get 404.
"""
from flask import Blueprint, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from blueprints.feedback.forms import AnswerForm, InspectionForm
from blueprints.forms import choices
from extensions import db
from models import Contract
from models.feedback import STATES, Feedback
from services import audit
from services.access import get_in_scope, roles_required
from services.paging import keyset_page
from services.web import act, render

bp = Blueprint("feedback", __name__, url_prefix="/feedback")

STAFF = ("city", "district")
PAGE_SIZE = 50


def _scoped(query):
    return query.where(Feedback.unit_id == current_user.unit_id)


def _feedback(feedback_id):
    return get_in_scope(_scoped(select(Feedback).where(Feedback.id == feedback_id)))


def _inspection_form(item, form=None):
    form = form or InspectionForm()
    contracts = db.session.scalars(select(Contract).where(
        Contract.unit_id == item.unit_id, Contract.contractor_id == item.contractor_id)
        .order_by(Contract.signed_on.desc())).all()
    form.contract_id.choices = choices([(c.id, f"{c.number} {c.title}") for c in contracts])
    if item.contract_id and not form.is_submitted():
        form.contract_id.data = item.contract_id
    return form


@bp.get("/")
@roles_required(*STAFF)
def index():
    state = request.args.get("state", "open")
    query = _scoped(select(Feedback))
    if state in STATES:
        query = query.where(Feedback.state == state)
    # Newest first (ids follow the time received), PAGE_SIZE a page by id: the answered ones pile up.
    items, next_before = keyset_page(query, Feedback.id, request.args.get("before", type=int), PAGE_SIZE)
    counts = dict(db.session.execute(_scoped(select(Feedback.state, func.count()).group_by(Feedback.state))).all())
    return render("feedback/index.html", items=items, state=state, states=STATES, counts=counts,
                  next_before=next_before, paged="before" in request.args)


def _show(item, status=200, answer_form=None, inspection_form=None):
    return render("feedback/show.html", item=item, status=status, answer_form=answer_form or AnswerForm(),
                  inspection_form=inspection_form or _inspection_form(item))


@bp.get("/<int:feedback_id>")
@roles_required(*STAFF)
def show(feedback_id):
    item = _feedback(feedback_id)
    if item.has_contact:  # a member of the public's contact: every reading is logged
        audit.log_read("feedback_viewed", record=item)
    return _show(item)


@bp.post("/<int:feedback_id>/answer")
@roles_required(*STAFF)
def answer(feedback_id):
    item = _feedback(feedback_id)
    form = AnswerForm()
    return act(form, lambda: item.reply(current_user, form.answer.data),
               lambda f: _show(item, status=422, answer_form=f), url_for("feedback.show", feedback_id=item.id),
               "已答复。", state=lambda: item.state_check("answer"))


@bp.post("/<int:feedback_id>/inspection")
@roles_required(*STAFF)
def inspect(feedback_id):
    item = _feedback(feedback_id)
    form = _inspection_form(item, InspectionForm())

    def action():
        contract = db.session.get(Contract, form.contract_id.data) if form.contract_id.data else None
        return item.open_inspection(current_user, contract, form.text.data)

    return act(form, action, lambda f: _show(item, status=422, inspection_form=f),
               url_for("feedback.show", feedback_id=item.id), "已决定检查，原因为“投诉”，承接主体须答复。",
               state=lambda: item.state_check("inspection"))
