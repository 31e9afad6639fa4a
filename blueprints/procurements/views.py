"""Procurements: method and finance approval, notice, bids, panel scores, award, failure and follow-up."""
from decimal import Decimal, InvalidOperation

from flask import Blueprint, abort, request, url_for
from flask_login import current_user
from sqlalchemy import and_, or_, select

from blueprints.admin.forms import EmptyForm
from blueprints.forms import choices
from blueprints.procurements.forms import (AwardForm, BidForm, DecisionForm, FailForm, FollowUpForm, NoticeForm,
                                           PrepareForm, RejectBidForm)
from extensions import db
from models import Bid, Contractor, Procurement, RuleError, StaffMember
from models.purchasing_codes import PROCUREMENT_STATUSES
from models import clock
from services.access import get_in_scope, require_own_unit, roles_required, unit_scope
from services.attachments import send_attachment_of
from services.contractors import read_evidence
from services.web import act, render

bp = Blueprint("procurements", __name__, url_prefix="/procurements")

READERS = ("city", "district", "finance", "contractor")
STAFF = ("city", "district")
BIDDING = ("notice_published", "objection")


def scoped(query):
    """Units and their finance see their own; the city all; a contractor what it may bid on or has bid on."""
    if current_user.role != "contractor":
        return unit_scope(query, Procurement.unit_id)
    org = current_user.contractor
    categories = [c for c, on in (("mediation", org.serves_mediation), ("assistance", org.serves_assistance)) if on]
    open_to_me = and_(Procurement.status.in_(BIDDING), Procurement.category.in_(categories),
                      or_(Procurement.method.in_(("open_tender", "competitive_negotiation",
                                                  "competitive_consultation", "price_inquiry")),
                          and_(Procurement.method == "invited_tender", Procurement.invitees.any(Contractor.id == org.id)),
                          Procurement.single_source_contractor_id == org.id))
    return query.where(or_(open_to_me, Procurement.bids.any(Bid.contractor_id == org.id)))


def _procurement(procurement_id):
    return get_in_scope(scoped(select(Procurement).where(Procurement.id == procurement_id)))


def _own(p):
    require_own_unit(p.unit_id)


@bp.get("/")
@roles_required(*READERS)
def index():
    query = scoped(select(Procurement)).order_by(Procurement.id.desc())
    if request.args.get("status"):
        query = query.where(Procurement.status == request.args["status"])
    rows = db.session.scalars(query).all()
    return render("procurements/index.html", "procurements/_table.html", "procurement-table", rows=rows,
                  args=request.args, statuses=PROCUREMENT_STATUSES)


def _prepare_form(p, form=None):
    form = form or PrepareForm(obj=None)
    approved = db.session.scalars(select(Contractor).where(Contractor.status == "approved").order_by(Contractor.id)).all()
    fit = [c for c in approved if c.may_bid(p.unit_id, p.category)]
    form.invitees.choices = choices((c.id, c.name[:60]) for c in fit)
    form.supplier.choices = choices([(0, "（不适用）")] + [(c.id, c.name[:60]) for c in fit])
    return form


def _prepared_values(p):
    """The form filled with the procurement's current choices (defaults until a method is chosen)."""
    if p.method is None:
        return PrepareForm()
    return PrepareForm(method=p.method, method_reason=p.method_reason, price_weight=p.price_weight,
                       bid_deadline=p.bid_deadline, supplier=p.single_source_contractor_id or 0,
                       invitees=[c.id for c in p.invitees],
                       criteria="\n".join(f"{c.name} {c.weight.normalize():f}" for c in p.criteria))


def _award_form(p, form=None):
    form = form or AwardForm()
    bids = sorted(p.valid_bids, key=lambda b: b.rank or 999) if p.method != "single_source" else p.bids
    form.bid_id.choices = choices([("", "请选择")] + [(b.id, f"{b.contractor.name[:40]}（报价 {b.price} 元"
                                                    + (f"，总分 {b.total_score}，第 {b.rank} 名" if b.rank else "") + "）")
                                                   for b in bids])
    return form


def _bid_form(form=None):
    form = form or BidForm()
    if current_user.role == "contractor":
        staff = db.session.scalars(select(StaffMember).where(StaffMember.contractor_id == current_user.contractor_id,
                                                             StaffMember.active.is_(True))).all()
        form.staff.choices = choices((m.id, f"{m.name}（{m.profession_label}）") for m in staff)
    return form


def _show(p, status=200, **forms):
    is_unit = current_user.role in ("city", "district", "finance") and (current_user.role == "city" or p.unit_id == current_user.unit_id)
    my_bid = next((b for b in p.bids if b.contractor_id == current_user.contractor_id), None) \
        if current_user.role == "contractor" else None
    context = {
        "p": p, "is_unit": is_unit, "own": current_user.is_unit_staff and p.unit_id == current_user.unit_id,
        "my_bid": my_bid, "now": clock.now(),
        "prepare_form": forms.get("prepare_form") or _prepare_form(p, _prepared_values(p)),
        "decision_form": forms.get("decision_form") or DecisionForm(),
        "notice_form": forms.get("notice_form") or NoticeForm(),
        "bid_form": forms.get("bid_form") or _bid_form(),
        "reject_form": forms.get("reject_form") or RejectBidForm(),
        "award_form": forms.get("award_form") or _award_form(p),
        "fail_form": forms.get("fail_form") or FailForm(),
        "follow_form": forms.get("follow_form") or FollowUpForm(title=p.title, summary=p.requirement_summary,
                                                                expected_month=p.expected_month),
        "score_errors": forms.get("score_errors", {}),
    }
    return render("procurements/show.html", status=status, **context)


@bp.get("/<int:procurement_id>")
@roles_required(*READERS)
def show(procurement_id):
    return _show(_procurement(procurement_id))


def _act(p, form_name, form, action, message, next_url=None, record=None, state=None):
    return act(form, action, lambda f: _show(p, status=422, **({form_name: f} if form_name else {})),
               next_url or url_for("procurements.show", procurement_id=p.id), message, record=record,
               state=state and (lambda: p.state_check(state)))


def parse_criteria(text):
    """Lines of 'name weight' -> [(name, Decimal)]; a malformed line is a RuleError beside the field."""
    out = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        name, _, weight = line.rpartition(" ")
        try:
            value = Decimal(weight)
        except InvalidOperation:
            raise RuleError(f"「{line}」格式应为：名称 分值", field="criteria") from None
        if not name.strip() or value <= 0:
            raise RuleError(f"「{line}」格式应为：名称 分值（分值大于 0）", field="criteria")
        out.append((name.strip(), value))
    return out


@bp.post("/<int:procurement_id>/prepare")
@roles_required(*STAFF)
def prepare(procurement_id):
    p = _procurement(procurement_id)
    _own(p)
    form = _prepare_form(p)

    def action():
        invitees = db.session.scalars(select(Contractor).where(Contractor.id.in_(form.invitees.data or []))).all()
        supplier = db.session.get(Contractor, form.supplier.data) if form.supplier.data else None
        p.prepare(current_user, form.method.data, form.method_reason.data, form.bid_deadline.data,
                  form.price_weight.data, parse_criteria(form.criteria.data), invitees, supplier)

    return _act(p, "prepare_form", form, action, "已确定采购方式和评审办法。", record=p, state="prepare")


@bp.post("/<int:procurement_id>/method-decision")
@roles_required("finance")
def decide_method(procurement_id):
    p = _procurement(procurement_id)
    form = DecisionForm()
    return _act(p, "decision_form", form,
                lambda: p.decide_method(current_user, form.decision.data == "approve", form.note.data),
                "已记录财政部门对采购方式的审核意见。", state="decide_method")


@bp.post("/<int:procurement_id>/notice")
@roles_required(*STAFF)
def publish_notice(procurement_id):
    p = _procurement(procurement_id)
    _own(p)
    form = NoticeForm()
    return _act(p, "notice_form", form,
                lambda: p.publish_notice(current_user, form.medium.data, form.url.data, form.published_on.data),
                "采购公告已发布。", state="notice")


@bp.post("/<int:procurement_id>/bids")
@roles_required("contractor")
def submit_bid(procurement_id):
    p = _procurement(procurement_id)
    form = _bid_form()

    def action():
        plan = read_evidence(form.service_plan)
        if plan is None:
            message = "；".join(form.service_plan.errors) or "请上传服务方案"
            form.service_plan.errors = []
            raise RuleError(message, field="service_plan")
        plan.uploaded_by_id = current_user.id
        staff = db.session.scalars(select(StaffMember).where(StaffMember.id.in_(form.staff.data or []))).all()
        p.submit_bid(current_user, current_user.contractor, form.price.data, plan, staff)

    return _act(p, "bid_form", form, action, "响应文件已提交。", state="bid")


@bp.get("/<int:procurement_id>/bids/<int:bid_id>/plan")
@roles_required(*READERS)
def bid_plan(procurement_id, bid_id):
    p = _procurement(procurement_id)
    bid = next((b for b in p.bids if b.id == bid_id), None)
    if bid is None or (current_user.role == "contractor" and bid.contractor_id != current_user.contractor_id):
        abort(404)
    if current_user.role != "contractor" and p.status in BIDDING:
        abort(403)  # bids stay sealed until opened
    return send_attachment_of([bid.service_plan_id], bid.service_plan_id)


@bp.post("/<int:procurement_id>/open")
@roles_required(*STAFF)
def open_bids(procurement_id):
    p = _procurement(procurement_id)
    _own(p)
    return _act(p, None, EmptyForm(), lambda: p.open_bids(current_user), "已开标。")


@bp.post("/<int:procurement_id>/bids/<int:bid_id>/reject")
@roles_required(*STAFF)
def reject_bid(procurement_id, bid_id):
    p = _procurement(procurement_id)
    _own(p)
    bid = next((b for b in p.bids if b.id == bid_id), None)
    if bid is None:
        abort(404)
    form = RejectBidForm()
    return _act(p, "reject_form", form, lambda: p.reject_bid(current_user, bid, form.reason.data), "已认定为无效响应。",
                state="reject_bid")


@bp.post("/<int:procurement_id>/scores")
@roles_required(*STAFF)
def record_scores(procurement_id):
    p = _procurement(procurement_id)
    _own(p)
    form = EmptyForm()
    bid = next((b for b in p.bids if b.id == request.form.get("bid_id", type=int)), None)
    if bid is None:
        abort(404)

    def action():
        scores = {}
        for c in p.criteria:
            raw = (request.form.get(f"score_{c.id}") or "").strip()
            try:
                scores[c.id] = Decimal(raw) if raw else None
            except InvalidOperation:
                scores[c.id] = None
        p.record_scores(current_user, request.form.get("member", ""), bid, scores)

    def rerender(f):
        from flask import get_flashed_messages

        return _show(p, status=422, score_errors={bid.id: get_flashed_messages(category_filter=["error"])})

    return act(form, action, rerender, url_for("procurements.show", procurement_id=p.id), "已记录评分。")


@bp.post("/<int:procurement_id>/evaluate")
@roles_required(*STAFF)
def evaluate(procurement_id):
    p = _procurement(procurement_id)
    _own(p)
    return _act(p, None, EmptyForm(), lambda: p.evaluate(current_user), "评审完成，已计算得分和排名。")


@bp.post("/<int:procurement_id>/award")
@roles_required(*STAFF)
def award(procurement_id):
    p = _procurement(procurement_id)
    _own(p)
    form = _award_form(p)

    def action():
        bid = next((b for b in p.bids if b.id == form.bid_id.data), None)
        p.award(current_user, bid, form.medium.data, form.url.data, form.published_on.data)

    return _act(p, "award_form", form, action, "成交结果已公布。", state="award")


@bp.post("/<int:procurement_id>/fail")
@roles_required(*STAFF)
def fail(procurement_id):
    p = _procurement(procurement_id)
    _own(p)
    form = FailForm()
    return _act(p, "fail_form", form, lambda: p.fail(current_user, form.reason.data), "已终止本次采购。", state="fail")


@bp.post("/<int:procurement_id>/follow-up")
@roles_required(*STAFF)
def follow_up(procurement_id):
    p = _procurement(procurement_id)
    _own(p)
    form = FollowUpForm()
    return _act(p, "follow_form", form,
                lambda: p.follow_up(current_user, form.title.data, form.summary.data, form.expected_month.data,
                                    form.medium.data, form.url.data, form.published_on.data),
                "已重新公开采购意向。", next_url=lambda n: url_for("procurements.show", procurement_id=n.id),
                state="follow_up")
