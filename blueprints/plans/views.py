"""Annual purchase plans: draft, finance review, publication, and the procurement intentions."""
from flask import Blueprint, abort, flash, request, url_for
from flask_login import current_user
from sqlalchemy import select

from blueprints.admin.forms import EmptyForm
from blueprints.forms import choices
from blueprints.plans.forms import AttachmentForm, IntentionForm, ItemForm, PlanForm, PublishForm, ReasonForm
from extensions import db
from models import PlanItem, Procurement, PurchasePlan, RuleError, ServiceItem, TransitionError
from services.access import get_in_scope, require_own_unit, roles_required, unit_scope
from services.contractors import read_evidence
from services.documents import send_document
from services.web import act, done, render

bp = Blueprint("plans", __name__, url_prefix="/plans")

READERS = ("city", "district", "finance")
STAFF = ("city", "district")


def scoped(query):
    return unit_scope(query, PurchasePlan.unit_id)


def _plan(plan_id):
    return get_in_scope(scoped(select(PurchasePlan).where(PurchasePlan.id == plan_id)))


def _own(plan):
    require_own_unit(plan.unit_id)


@bp.get("/")
@roles_required(*READERS)
def index():
    query = scoped(select(PurchasePlan)).order_by(PurchasePlan.year.desc(), PurchasePlan.unit_id)
    if request.args.get("year", type=int):
        query = query.where(PurchasePlan.year == request.args.get("year", type=int))
    rows = db.session.scalars(query).all()
    return render("plans/index.html", rows=rows, form=PlanForm())


@bp.post("/")
@roles_required(*STAFF)
def create():
    form = PlanForm()
    if form.validate_on_submit():
        if db.session.scalar(select(PurchasePlan.id).where(PurchasePlan.unit_id == current_user.unit_id,
                                                           PurchasePlan.year == form.year.data)):
            form.year.errors.append("本单位该年度的计划已存在")
        else:
            plan = PurchasePlan(unit_id=current_user.unit_id)
            _fill(plan, form)
            db.session.add(plan)
            db.session.commit()
            flash("已创建购买计划草稿。", "success")
            return done(url_for("plans.show", plan_id=plan.id))
    rows = db.session.scalars(scoped(select(PurchasePlan))).all()
    return render("plans/index.html", rows=rows, form=form, status=422)


def _fill(plan, form):
    for name in ("year", "budget_amount", "department_budget", "last_year_cases", "last_year_subjects"):
        setattr(plan, name, getattr(form, name).data)
    plan.needs_assessment = form.needs_assessment.data or ""
    plan.affordability_notes = form.affordability_notes.data or ""


def _item_form(form=None):
    form = form or ItemForm()
    items = db.session.scalars(select(ServiceItem).where(ServiceItem.active.is_(True)).order_by(ServiceItem.code))
    form.service_item_id.choices = choices([("", "请选择")] + [(i.id, str(i)) for i in items])
    return form


def _intention_form(plan, form=None):
    form = form or IntentionForm()
    form.items.choices = choices((i.id, f"{i.service_item.code} {i.content[:40]}（{i.budget} 元）")
                                 for i in plan.items if i.procurement_id is None)
    return form


def _show(plan, status=200, **forms):
    context = {
        "plan": plan, "item_form": forms.get("item_form") or _item_form(),
        "plan_form": forms.get("plan_form") or PlanForm(obj=plan),
        "reason_form": forms.get("reason_form") or ReasonForm(),
        "publish_form": forms.get("publish_form") or PublishForm(),
        "intention_form": forms.get("intention_form") or _intention_form(plan),
        "attachment_form": AttachmentForm(),
        "procurements": db.session.scalars(select(Procurement).where(
            Procurement.id.in_(select(PlanItem.procurement_id).where(PlanItem.plan_id == plan.id)))
            .order_by(Procurement.id)).all(),
    }
    return render("plans/show.html", "plans/_items.html", "plan-items", status=status, **context)


@bp.get("/<int:plan_id>")
@roles_required(*READERS)
def show(plan_id):
    return _show(_plan(plan_id))


def _act(plan, form_name, form, action, message, next_url=None, record=None, state=None):
    return act(form, action, lambda f: _show(plan, status=422, **({form_name: f} if form_name else {})),
               next_url or url_for("plans.show", plan_id=plan.id), message, record=record,
               state=state and (lambda: plan.state_check(state)))


@bp.post("/<int:plan_id>")
@roles_required(*STAFF)
def update(plan_id):
    plan = _plan(plan_id)
    _own(plan)
    form = PlanForm()

    def action():
        plan.state_check("edit")
        if form.year.data != plan.year:
            raise RuleError("年度创建后不能修改", field="year")
        _fill(plan, form)
        plan.check_budget()

    return _act(plan, "plan_form", form, action, "已保存。", record=plan, state="edit")


@bp.post("/<int:plan_id>/items")
@roles_required(*STAFF)
def add_item(plan_id):
    plan = _plan(plan_id)
    _own(plan)
    form = _item_form()

    def action():
        item = PlanItem(service_item_id=form.service_item_id.data, content=form.content.data,
                        service_standard=form.service_standard.data, quantity=form.quantity.data,
                        unit_label=form.unit_label.data, budget=form.budget.data,
                        target_requirements=form.target_requirements.data)
        plan.add_item(current_user, item)

    return _act(plan, "item_form", form, action, "已添加购买项目。", state="edit")


@bp.post("/<int:plan_id>/items/<int:item_id>/delete")
@roles_required(*STAFF)
def delete_item(plan_id, item_id):
    plan = _plan(plan_id)
    _own(plan)
    item = next((i for i in plan.items if i.id == item_id), None)
    if item is None:
        abort(404)
    return _act(plan, None, EmptyForm(), lambda: plan.remove_item(current_user, item), "已删除该项目。")


@bp.post("/<int:plan_id>/attachments")
@roles_required(*STAFF)
def add_attachment(plan_id):
    plan = _plan(plan_id)
    _own(plan)
    form = AttachmentForm()
    if form.validate_on_submit():
        att = read_evidence(form.file)
        if att is not None:
            att.uploaded_by_id = current_user.id
            plan.attachments.append(att)
            db.session.commit()
            flash("附件已上传。", "success")
            return done(url_for("plans.show", plan_id=plan.id))
        flash("；".join(form.file.errors), "error")
    return _show(plan, status=422)


@bp.get("/<int:plan_id>/attachments/<int:attachment_id>")
@roles_required(*READERS)
def attachment(plan_id, attachment_id):
    from services.attachments import send_attachment_of

    plan = _plan(plan_id)
    return send_attachment_of([a.id for a in plan.attachments], attachment_id)


@bp.post("/<int:plan_id>/submit")
@roles_required(*STAFF)
def submit(plan_id):
    plan = _plan(plan_id)
    _own(plan)
    return _act(plan, None, EmptyForm(), lambda: plan.submit(current_user), "已报送财政部门审核。")


@bp.post("/<int:plan_id>/approve")
@roles_required("finance")
def approve(plan_id):
    plan = _plan(plan_id)
    return _act(plan, None, EmptyForm(), lambda: plan.approve(current_user), "已审核通过。")


@bp.post("/<int:plan_id>/return")
@roles_required("finance")
def send_back(plan_id):
    plan = _plan(plan_id)
    form = ReasonForm()
    return _act(plan, "reason_form", form, lambda: plan.send_back(current_user, form.reason.data), "已退回。",
                state="review")


@bp.post("/<int:plan_id>/publish")
@roles_required(*STAFF)
def publish(plan_id):
    plan = _plan(plan_id)
    _own(plan)
    form = PublishForm()
    return _act(plan, "publish_form", form,
                lambda: plan.publish(current_user, form.medium.data, form.url.data, form.published_on.data),
                "计划已公开。", state="publish")


@bp.post("/<int:plan_id>/intentions")
@roles_required(*STAFF)
def publish_intention(plan_id):
    plan = _plan(plan_id)
    _own(plan)
    form = _intention_form(plan)

    def action():
        items = [i for i in plan.items if i.id in (form.items.data or [])]
        return Procurement.from_intention(current_user, plan, items, form.title.data, form.summary.data,
                                          form.expected_month.data, form.medium.data, form.url.data,
                                          form.published_on.data)

    return _act(plan, "intention_form", form, action, "采购意向已公开，采购编号已生成。",
                next_url=lambda p: url_for("procurements.show", procurement_id=p.id), state="intention")


@bp.get("/<int:plan_id>/document")
@roles_required(*READERS)
def document(plan_id):
    return send_document("plan", _plan(plan_id))
