"""Contracts: signing from an award, the money trail, amendments, exits, deliverables and staffing."""
from datetime import date
from functools import cache

from flask import Blueprint, abort, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import or_, select
from werkzeug.local import LocalProxy

from blueprints.contracts.forms import (AmendmentForm, ConsentForm, ContractForm, ContractPublishForm,
                                        DeliverableForm, FilingForm, MilestoneStatusForm, PaymentForm, ShiftForm,
                                        TerminationForm)
from blueprints.forms import choices
from blueprints.acceptance.forms import (CloseForm, ConditionsMetForm, FindingDecisionForm, InspectionForm,
                                         ReclaimForm)
from extensions import db, htmx
from models import Contract, Procurement, RuleError, StaffMember
from models.purchasing_codes import CONTRACT_STATUSES
from models import clock
from models import measures
from services.access import get_in_scope, require_own_unit, roles_required, unit_scope
from services.attachments import send_attachment_of
from services.contractors import optional_upload
from services.documents import send_document
from services.web import act, flash_in_place, place_url, render

bp = Blueprint("contracts", __name__, url_prefix="/contracts")

READERS = ("city", "district", "finance", "contractor")
STAFF = ("city", "district")


def scoped(query):
    """The unit and its finance, the contractor party, and the city (read-only) see a contract."""
    return unit_scope(query, Contract.unit_id, Contract.contractor_id)


def _contract(contract_id):
    return get_in_scope(scoped(select(Contract).where(Contract.id == contract_id)))


def _own(c):
    require_own_unit(c.unit_id)


@bp.get("/")
@roles_required(*READERS)
def index():
    query = scoped(select(Contract)).order_by(Contract.id.desc())
    if request.args.get("q"):
        q = request.args["q"].strip()
        query = query.where(or_(Contract.number.contains(q, autoescape=True), Contract.title.contains(q, autoescape=True)))
    rows = db.session.scalars(query).all()
    return render("contracts/index.html", "contracts/_table.html", "contract-table", rows=rows, args=request.args)


def _defaults(p):
    items = p.plan_items
    return {
        "title": p.title,
        "subject": "；".join(f"{i.service_item.name}" for i in items),
        "scope": "；".join(i.content for i in items),
        "quantities": "；".join(f"{i.service_item.code} {i.quantity.normalize():f}{i.unit_label}" for i in items),
        "quality_requirements": "；".join(i.service_standard for i in items) + "。服务点每日工作不少于 8 小时，每班不少于 2 人；"
                                "调解员持证上岗。",
        "place_and_manner": f"在{p.unit.area_name}设立服务点，驻点服务与上门服务相结合。",
        "acceptance_requirements": "甲方按合同约定的服务内容、数量和质量标准逐项验收，验收结果报同级财政部门并向社会公开；"
                                   "验收依据系统记录的案件、帮教和活动数据。",
        "rights_obligations": "甲方有权对服务过程进行监督检查，按约定及时支付费用；乙方按约定提供服务，如实记录工作情况，"
                              "保护当事人和帮教对象的个人信息，接受甲方和第三方评价机构的评价。",
        "breach_liability": "乙方未达到约定服务标准的，应限期整改；整改不合格的，甲方可扣减相应费用直至解除合同。"
                            "弄虚作假骗取资金的，甲方有权解除合同并追回已付款项。",
        "dispute_resolution": "双方协商解决；协商不成的，向甲方所在地人民法院提起诉讼。",
        "period_start": date(p.year, 1, 1) if clock.today() < date(p.year, 1, 1) else clock.today(),
        "signed_on": clock.today(),
    }


def _contract_form(p, form=None):
    if form is None:
        form = ContractForm(data=_defaults(p))
        d = form.period_start.data
        end = date(d.year + 1, d.month, d.day) if not (d.month == 2 and d.day == 29) else date(d.year + 1, 2, 28)
        form.period_end.data = date.fromordinal(end.toordinal() - 1)
        half = (p.award_amount * 3 / 10).quantize(p.award_amount)
        rows = [("首期（合同签订）", "payment", form.signed_on.data, half, False),
                ("中期考核", "assessment", date.fromordinal(d.toordinal() + 182), half, False),
                ("终期验收（尾款）", "acceptance", form.period_end.data, p.award_amount - 2 * half, True)]
        for entry, (title, kind, due, amount, final) in zip(form.milestones.entries, rows):
            entry.form.title.data, entry.form.kind.data, entry.form.due_on.data = title, kind, due
            entry.form.amount.data, entry.form.final.data = amount, final
    return form


def _procurement_to_sign(procurement_id):
    from blueprints.procurements.views import scoped as procurement_scope

    p = get_in_scope(procurement_scope(select(Procurement).where(Procurement.id == procurement_id)))
    require_own_unit(p.unit_id)
    if p.status != "awarded":
        abort(409)
    return p


@bp.get("/new")
@roles_required(*STAFF)
def new():
    p = _procurement_to_sign(request.args.get("procurement", type=int) or 0)
    return render("contracts/new.html", p=p, form=_contract_form(p), clause=Contract.no_subcontract_clause)


@bp.post("/")
@roles_required(*STAFF)
def create():
    p = _procurement_to_sign(request.form.get("procurement", type=int) or 0)
    form = ContractForm()

    def action():
        rows = [e.form for e in form.milestones.entries if (e.form.title.data or "").strip()]
        for r in rows:
            if r.due_on.data is None:
                raise RuleError(f"请填写节点「{r.title.data}」的日期", field="milestones")
        milestones = [dict(kind=r.kind.data or "payment", title=r.title.data, due_on=r.due_on.data, final=r.final.data)
                      for r in rows]
        instalments = [dict(milestone=n, amount=r.amount.data) for n, r in enumerate(rows) if r.amount.data]
        fields = {name: form[name].data for name in (
            "title", "subject", "scope", "quantities", "quality_requirements", "place_and_manner",
            "acceptance_requirements", "rights_obligations", "breach_liability", "dispute_resolution",
            "period_start", "period_end", "long_period_reason", "signed_on")}
        if fields["signed_on"] > clock.today():
            raise RuleError("签订日期不能晚于今天", field="signed_on")
        return Contract.from_award(current_user, p, fields, milestones, instalments)

    return act(form, action, lambda f: render("contracts/new.html", p=p, form=f, clause=Contract.no_subcontract_clause, status=422),
               lambda c: url_for("contracts.show", contract_id=c.id), "合同已签订。")


def _payment_form(c, form=None):
    form = form or PaymentForm(paid_on=clock.today())
    form.instalment_id.choices = choices([("", "请选择")] + [
        (i.id, f"第 {i.seq} 期 · {i.milestone.title} · 未付 {i.unpaid} 元") for i in c.instalments if i.unpaid])
    return form


def _shift_form(c, form=None):
    form = form or ShiftForm()
    staff = db.session.scalars(select(StaffMember).where(StaffMember.contractor_id == c.contractor_id,
                                                         StaffMember.active.is_(True)).order_by(StaffMember.id))
    form.staff.choices = choices((m.id, m.name) for m in staff)
    return form


def _month():
    raw = request.args.get("month") or f"{clock.today():%Y-%m}"
    try:
        year, month = (int(x) for x in raw.split("-"))
        return date(year, month, 1)
    except ValueError:
        abort(404)


STEP_TITLES = {"publish": "记录合同公告", "filing": "记录报财政部门备案", "payment": "记录付款",
               "deliverable": "记录培训、宣传或研究报告", "close": "结束合同"}
# The section of the page that shows each action's result (?done=<section>#<section> after it).
PLACES = ("deadlines", "payments", "amendments", "deliverables", "shifts", "targets", "acceptances", "integrity",
          "quarters", "inspections", "money")
# The sections an htmx action answers with (contracts/_<section>.html), its message inside, the page's head
# (contracts/_head.html: state, version, next step, figures) along out of band. Conditions met, closing and
# early termination change the whole page: plain posts, a redirect to the page.
FRAGMENTS = ("deadlines", "payments", "amendments", "targets", "integrity", "quarters", "inspections", "money",
             "deliverables", "shifts")


def _main_step(c, own, is_contractor, overview):
    """The contract's next step for this user: the one action the page opens and points to."""
    if own and not c.published_on:
        return "publish"
    if own and not c.filed_on:
        return "filing"
    if own and c.status == "accepted":
        return "close"
    if own and c.is_open and overview["payable"] > 0:
        return "payment"
    if is_contractor and c.is_open:
        return "deliverable"
    return None


def _lazy(make):
    """A form built only if the page shows it (a reader of the page sees few of its forms)."""
    return LocalProxy(cache(make))


def _show(c, status=200, place=None, **forms):
    """The contract page, or the fragment htmx aims at: the staffing table or a section of FRAGMENTS.
    After a success the section `place` shows the message (place_url's ?done= without htmx)."""
    month = _month()
    own, is_contractor, overview = (current_user.is_unit_staff and c.unit_id == current_user.unit_id,
                                    current_user.role == "contractor", c.money_overview())
    section = htmx.target if htmx and not htmx.boosted and htmx.target in FRAGMENTS else None
    context = {
        "c": c, "own": own, "is_contractor": is_contractor,
        "main_step": _main_step(c, own, is_contractor, overview), "step_titles": STEP_TITLES,
        "flash_in_place": flash_in_place(PLACES, place) if status == 200 else None, "in_fragment": section is not None,
        "overview": overview, "month": month, "staffing": c.staffing(month.year, month.month),
        "payment_form": forms.get("payment_form") or _lazy(lambda: _payment_form(c)),
        "milestone_form": forms.get("milestone_form") or _lazy(lambda: MilestoneStatusForm(status_on=clock.today())),
        "amend_form": forms.get("amend_form") or _lazy(lambda: AmendmentForm()),
        "consent_form": forms.get("consent_form") or _lazy(lambda: ConsentForm()),
        "terminate_form": forms.get("terminate_form") or _lazy(lambda: TerminationForm()),
        "publish_form": forms.get("publish_form") or _lazy(lambda: ContractPublishForm()),
        "filing_form": forms.get("filing_form") or _lazy(lambda: FilingForm(filed_on=clock.today())),
        "deliverable_form": forms.get("deliverable_form") or _lazy(lambda: DeliverableForm()),
        "shift_form": forms.get("shift_form") or _lazy(lambda: _shift_form(c)),
        "statuses": CONTRACT_STATUSES,
        "target_form": forms.get("target_form") or _lazy(lambda: _target_form(c)),
        "targets": _targets(c),
        "conditions_form": forms.get("conditions_form") or _lazy(lambda: ConditionsMetForm(on=clock.today())),
        "finding_form": forms.get("finding_form") or _lazy(lambda: FindingDecisionForm()),
        "quarter_form": _quarter_form(c, forms.get("quarter_form")) if forms.get("quarter_form") else _quarter_form(c),
        "closed_quarters": _closed_quarters(c),
        "inspection_form": forms.get("inspection_form") or _lazy(lambda: InspectionForm()),
        "step_form": forms.get("step_form"), "step_inspection": forms.get("step_inspection"),
        "reclaim_form": forms.get("reclaim_form") or _lazy(lambda: ReclaimForm()),
        "close_form": forms.get("close_form") or _lazy(lambda: CloseForm(
            final_value=c.paid_total - c.reclaimed_total, end_date=min(c.period_end, clock.today()))),
    }
    if section:
        body, status = render("contracts/show.html", f"contracts/_{section}.html", section, status=status, **context)
        return body + render_template("contracts/_head.html", oob=True, **context), status
    return render("contracts/show.html", "contracts/_staffing.html", "staffing", status=status, **context)


def _target_form(c, form=None):
    from blueprints.acceptance.forms import TargetForm

    form = form or TargetForm()
    form.measure.choices = choices([("", "请选择")] + [(m.code, f"{m.label}（{m.unit}）")
                                                      for m in measures.for_contract(c)])
    return form


def _quarter_form(c, form=None):
    from blueprints.acceptance.forms import QuarterForm

    form = form or QuarterForm()
    form.year.choices = choices((y, f"{y}年") for y in range(c.period_start.year, c.period_end.year + 1))
    return form


def _closed_quarters(c):
    from models.mediation import QuarterClose

    return db.session.scalars(select(QuarterClose).where(QuarterClose.contract_id == c.id)
                              .order_by(QuarterClose.year, QuarterClose.quarter)).all()


def _targets(c):
    """Target against actual for the period so far, measure by measure."""
    end = min(c.period_end, clock.today())
    rows = []
    for m in measures.for_contract(c):
        target = next((t.target for t in c.targets if t.measure == m.code), None)
        actual = m.compute(c, c.period_start, end) if end >= c.period_start else None
        rows.append({"measure": m, "target": target, "actual": actual, "met": measures.met(m.code, target, actual)})
    return rows


@bp.get("/<int:contract_id>")
@roles_required(*READERS)
def show(contract_id):
    return _show(_contract(contract_id))


def _day_arg(name, default):
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return default


DRILL_PAGE_SIZE = 200  # rows of a measure's drill-down per page


@bp.get("/<int:contract_id>/measures/<code>")
@roles_required(*READERS)
def measure(contract_id, code):
    """The records behind one measure of the contract, de-identified (issue 6, drill-down)."""
    c = _contract(contract_id)
    m = measures.MEASURES.get(code)
    if m is None or m not in measures.for_contract(c):
        abort(404)
    start = max(_day_arg("start", c.period_start), c.period_start)
    end = min(_day_arg("end", c.period_end), c.period_end, clock.today())
    value = m.compute(c, start, end) if start <= end else None
    drill = m.records(c, start, end) if start <= end else measures.Drill((), [])
    # A contract may have tens of thousands of cases behind a figure: count them all, show a page of them.
    page = request.args.get("page", 1, type=int)
    pages = max(1, -(-len(drill.rows) // DRILL_PAGE_SIZE))
    if not 1 <= page <= pages:
        abort(404)
    rows = drill.rows[(page - 1) * DRILL_PAGE_SIZE:page * DRILL_PAGE_SIZE]
    share = bool(rows) and rows[0]["counted"] is not None
    hits = (drill.hits if drill.hits is not None else sum(1 for row in drill.rows if row["counted"])) if share else None
    return render("contracts/measure.html", c=c, m=m, start=start, end=end, value=value, drill=drill, rows=rows,
                  page_no=page, pages=pages, share=share, hits=hits)


def contract_act(c, form_name, form, action, message, record=None, state=None, place=None, **rerender):
    """services.web.act on the contract page (also for the actions of blueprints/acceptance). After a success
    the page opens at the section `place` (one of PLACES), its message shown there; an htmx request from a
    section of FRAGMENTS gets that section back instead. `state`: a callable, or an action name of
    Contract.state_check. A 422 comes back on the page (or in the section), the form `form_name` kept."""
    check = state if callable(state) else state and (lambda: c.state_check(state))
    forms = {form_name: form} if form_name else {}
    return act(form, action, lambda f: _show(c, status=422, **forms, **rerender),
               place_url("contracts.show", place, contract_id=c.id), message, record=record, state=check,
               in_place=(lambda _: _show(c, place=place)) if place in FRAGMENTS else None)



def _unit_action():
    """Load the contract in scope and require its own unit's staff (403 otherwise)."""
    c = _contract(request.view_args["contract_id"])
    _own(c)
    return c


@bp.post("/<int:contract_id>/publish")
@roles_required(*STAFF)
def publish(contract_id):
    c = _unit_action()
    form = ContractPublishForm()
    return contract_act(c, "publish_form", form,
                lambda: c.publish(current_user, form.medium.data, form.url.data, form.published_on.data), "合同已公告。",
                state="publish", place="deadlines")


@bp.post("/<int:contract_id>/filing")
@roles_required(*STAFF)
def file_with_finance(contract_id):
    c = _unit_action()
    form = FilingForm()
    return contract_act(c, "filing_form", form, lambda: c.file_with_finance(current_user, form.filed_on.data),
                "已记录报财政部门备案。", state="filing", place="deadlines")


@bp.post("/<int:contract_id>/milestones/<int:milestone_id>")
@roles_required(*STAFF)
def update_milestone(contract_id, milestone_id):
    c = _unit_action()
    milestone = next((m for m in c.milestones if m.id == milestone_id), None)
    if milestone is None:
        abort(404)
    form = MilestoneStatusForm()
    return contract_act(c, "milestone_form", form,
                lambda: milestone.set_status(current_user, form.status.data, form.status_on.data, form.note.data),
                "已更新履约节点。", record=milestone, state="open", place="payments")


@bp.post("/<int:contract_id>/payments")
@roles_required(*STAFF)
def record_payment(contract_id):
    c = _unit_action()
    form = _payment_form(c)

    def action():
        instalment = next((i for i in c.instalments if i.id == form.instalment_id.data), None)
        c.record_payment(current_user, instalment, form.paid_on.data, form.amount.data, form.voucher.data)

    return contract_act(c, "payment_form", form, action, "已记录付款。", place="payments")


@bp.post("/<int:contract_id>/amendments")
@roles_required(*STAFF)
def amend(contract_id):
    c = _unit_action()
    form = AmendmentForm()
    changes = {k: form[k].data for k in ("amount", "period_end", "scope", "quantities", "quality_requirements")}
    return contract_act(c, "amend_form", form, lambda: c.amend(current_user, form.reason_code.data, changes, form.note.data),
                "合同变更已记录，版本已更新。", record=c, state="open",
                place="amendments")


@bp.post("/<int:contract_id>/consents")
@roles_required(*STAFF)
def consent(contract_id):
    c = _unit_action()
    form = ConsentForm()
    return contract_act(c, "consent_form", form,
                lambda: c.consent_subcontract(current_user, form.part.data, form.subcontractor.data), "已记录分包同意。",
                state="open", place="amendments")


@bp.post("/<int:contract_id>/terminate")
@roles_required(*STAFF)
def terminate(contract_id):
    c = _unit_action()
    form = TerminationForm()
    return contract_act(c, "terminate_form", form,
                lambda: c.terminate(current_user, form.reason_code.data, form.reason_text.data), "合同已提前终止。",
                state="open")


@bp.post("/<int:contract_id>/deliverables")
@roles_required("contractor")
def log_deliverable(contract_id):
    c = _contract(contract_id)
    form = DeliverableForm()

    def action():
        c.log_deliverable(current_user, form.kind.data, form.held_on.data, form.place.data, form.participants.data,
                          form.content.data, optional_upload(form.attachment))

    return contract_act(c, "deliverable_form", form, action, "已记录。", state="contractor_record", place="deliverables")


@bp.get("/<int:contract_id>/deliverables/<int:deliverable_id>/attachment")
@roles_required(*READERS)
def deliverable_attachment(contract_id, deliverable_id):
    c = _contract(contract_id)
    item = next((d for d in c.deliverables if d.id == deliverable_id), None)
    if item is None or item.attachment_id is None:
        abort(404)
    return send_attachment_of([item.attachment_id], item.attachment_id)


@bp.post("/<int:contract_id>/shifts")
@roles_required("contractor")
def add_shift(contract_id):
    c = _contract(contract_id)
    form = _shift_form(c)

    def action():
        staff = db.session.scalars(select(StaffMember).where(StaffMember.id.in_(form.staff.data or []))).all()
        c.add_shift(current_user, form.day.data, form.start.data, form.end.data, staff)

    return contract_act(c, "shift_form", form, action, "已记录值班。", state="contractor_record", place="shifts")


@bp.get("/<int:contract_id>/document")
@roles_required(*READERS)
def document(contract_id):
    return send_document("contract", _contract(contract_id))
