"""Acceptance of a contract from computed figures: open, team, findings, problems, verdict, report."""
from flask import Blueprint, abort, url_for
from flask_login import current_user
from sqlalchemy import select

from blueprints.acceptance.forms import (CloseForm, ConcludeForm, ConditionsMetForm, FindingDecisionForm, FindingForm,
                                         InspectionForm, MemberForm, OpenForm, ProblemForm, ReclaimForm, RepaidForm,
                                         StepForm, TargetForm)
from blueprints.admin.forms import EmptyForm
from blueprints.contracts.views import _quarter_form, _target_form, contract_act
from blueprints.contracts.views import scoped as contract_scope
from blueprints.forms import choices
from extensions import htmx
from models import Acceptance, Contract, ContractTarget, Inspection
from models import clock
from models import integrity_rules as integrity
from models import quarters
from services.access import get_in_scope, require_own_unit, roles_required
from services.attachments import send_attachment_of
from services.contractors import optional_upload
from services.documents import send_document
from services.web import act, flash_in_place, place_url, render

bp = Blueprint("acceptance", __name__)

READERS = ("city", "district", "finance", "contractor")
STAFF = ("city", "district")


def _contract(contract_id):
    return get_in_scope(contract_scope(select(Contract).where(Contract.id == contract_id)))


def _own_contract(contract_id):
    """The contract in scope, of the user's own unit (403 otherwise)."""
    c = _contract(contract_id)
    require_own_unit(c.unit_id)
    return c


def _acceptance(acceptance_id):
    return get_in_scope(contract_scope(select(Acceptance).join(Contract).where(Acceptance.id == acceptance_id)))


def _open_form(c, form=None):
    form = form or OpenForm(period_start=c.period_start, period_end=min(c.period_end, clock.today()),
                            place=f"{c.unit.name}会议室", methods=["documents", "system", "survey"])
    form.milestone_id.choices = choices([(0, "（终期验收不选）")] + [
        (m.id, f"{m.title}（{m.due_on}）") for m in c.milestones if not m.is_final and m.status != "met"])
    return form


@bp.get("/contracts/<int:contract_id>/acceptances/new")
@roles_required(*STAFF)
def new(contract_id):
    c = _contract(contract_id)
    require_own_unit(c.unit_id)
    return render("acceptance/new.html", c=c, form=_open_form(c))


@bp.post("/contracts/<int:contract_id>/acceptances")
@roles_required(*STAFF)
def create(contract_id):
    c = _contract(contract_id)
    require_own_unit(c.unit_id)
    form = _open_form(c, OpenForm())

    def action():
        milestone = next((m for m in c.milestones if m.id == form.milestone_id.data), None)
        return Acceptance.open(current_user, c, form.kind.data, milestone, form.period_start.data,
                               form.period_end.data, form.place.data, form.methods.data, form.basis.data)

    return act(form, action, lambda f: render("acceptance/new.html", c=c, form=f, status=422),
               lambda a: url_for("acceptance.show", acceptance_id=a.id), "已开始验收，各项指标已按系统记录计算。",
               state=lambda: Acceptance.state_check_open(c))


@bp.post("/contracts/<int:contract_id>/targets")
@roles_required(*STAFF)
def set_target(contract_id):
    c = _own_contract(contract_id)
    form = _target_form(c, TargetForm())
    return contract_act(c, "target_form", form, lambda: ContractTarget.set(c, current_user, form.measure.data,
                                                                          form.target.data),
                        "已设置目标。", state="open", place="targets")


@bp.post("/contracts/<int:contract_id>/conditions-met")
@roles_required(*STAFF)
def conditions_met(contract_id):
    c = _own_contract(contract_id)
    form = ConditionsMetForm()
    return contract_act(c, "conditions_form", form, lambda: c.conditions_met(current_user, form.on.data, form.note.data),
                        "已记录验收条件满足，尾款可以支付。", state="conditions_met", place="acceptances")


# The sections of the acceptance page that show an action's result (?done=<section>#<section> after it,
# or with htmx the section alone: acceptance/_<section>.html).
PLACES = ("items", "members", "problems")


def _show(a, status=200, place=None, **forms):
    context = {"a": a, "c": a.contract, "own": current_user.is_unit_staff and a.contract.unit_id == current_user.unit_id,
               "flash_in_place": flash_in_place(PLACES, place) if status == 200 else None,
               "member_form": forms.get("member_form") or MemberForm(),
               "problem_form": forms.get("problem_form") or ProblemForm(),
               "conclude_form": forms.get("conclude_form") or ConcludeForm(),
               "finding_form": FindingForm()}
    section = htmx.target if htmx and not htmx.boosted and htmx.target in PLACES else None
    return render("acceptance/show.html", section and f"acceptance/_{section}.html", section, status=status,
                  **context)


@bp.get("/acceptances/<int:acceptance_id>")
@roles_required(*READERS)
def show(acceptance_id):
    return _show(_acceptance(acceptance_id))


def _act(a, form_name, form, action, message, place=None):
    """An action on the acceptance page: the answer opens the page at the section `place` (one of PLACES),
    the message inside it; with htmx that section alone comes back (services.web.act, in_place)."""
    require_own_unit(a.contract.unit_id)
    return act(form, action, lambda f: _show(a, status=422, **({form_name: f} if form_name else {})),
               place_url("acceptance.show", place, acceptance_id=a.id), message, state=a._require_open,
               in_place=(lambda _: _show(a, place=place)) if place else None)


@bp.post("/acceptances/<int:acceptance_id>/refresh")
@roles_required(*STAFF)
def refresh(acceptance_id):
    a = _acceptance(acceptance_id)
    return _act(a, None, EmptyForm(), a.refresh, "已按最新记录重新计算。", place="items")


@bp.post("/acceptances/<int:acceptance_id>/members")
@roles_required(*STAFF)
def add_member(acceptance_id):
    a = _acceptance(acceptance_id)
    form = MemberForm()
    return _act(a, "member_form", form,
                lambda: a.add_member(current_user, form.name.data, form.unit_name.data, form.role.data), "已添加成员。",
                place="members")


@bp.post("/acceptances/<int:acceptance_id>/items/<int:item_id>")
@roles_required(*STAFF)
def record_finding(acceptance_id, item_id):
    a = _acceptance(acceptance_id)
    item = next((i for i in a.items if i.id == item_id), None)
    if item is None:
        abort(404)
    form = FindingForm()
    return _act(a, None, form, lambda: a.record_finding(current_user, item, form.finding.data, form.evidence.data),
                "已保存验收意见。", place="items")


@bp.post("/acceptances/<int:acceptance_id>/problems")
@roles_required(*STAFF)
def add_problem(acceptance_id):
    a = _acceptance(acceptance_id)
    form = ProblemForm()
    return _act(a, "problem_form", form,
                lambda: a.add_problem(current_user, form.description.data, form.required_fix.data, form.deadline.data),
                "已记录问题和整改要求。", place="problems")


@bp.post("/acceptances/<int:acceptance_id>/conclude")
@roles_required(*STAFF)
def conclude(acceptance_id):
    a = _acceptance(acceptance_id)
    form = ConcludeForm()
    return _act(a, "conclude_form", form,
                lambda: a.conclude(current_user, form.verdict.data, form.conclusion.data,
                                   form.payment_recommendation.data, form.opinions.data, form.conditions.data),
                "验收结论已记录。")


@bp.get("/acceptances/<int:acceptance_id>/document")
@roles_required(*READERS)
def document(acceptance_id):
    return send_document("acceptance", _acceptance(acceptance_id))


@bp.post("/contracts/<int:contract_id>/integrity")
@roles_required(*STAFF)
def run_checks(contract_id):
    c = _own_contract(contract_id)
    return contract_act(c, None, EmptyForm(), lambda: integrity.run(c), "已完成记录完整性检查。", place="integrity")


@bp.post("/contracts/<int:contract_id>/integrity/<int:finding_id>")
@roles_required(*STAFF)
def decide_finding(contract_id, finding_id):
    c = _own_contract(contract_id)
    finding = next((f for f in c.integrity_findings if f.id == finding_id), None)
    if finding is None:
        abort(404)
    form = FindingDecisionForm()
    return contract_act(c, "finding_form", form,
                        lambda: finding.decide(current_user, form.decision.data == "explained", form.explanation.data),
                        "已认定。", state=finding.state_check, place="integrity")


# ---- inspections, reclaims and closing


@bp.post("/contracts/<int:contract_id>/inspections")
@roles_required("city", "district", "finance")
def open_inspection(contract_id):
    c = _contract(contract_id)
    form = InspectionForm()
    return contract_act(c, "inspection_form", form,
                        lambda: Inspection.open(current_user, c, form.reason_code.data, form.text.data,
                                                optional_upload(form.document)),
                        "已决定检查，等待承接主体答复。", place="inspections")


@bp.post("/inspections/<int:inspection_id>/advance")
@roles_required("city", "district", "finance", "contractor")
def advance_inspection(inspection_id):
    i = get_in_scope(contract_scope(select(Inspection).join(Contract).where(Inspection.id == inspection_id)))
    form = StepForm()
    return contract_act(i.contract, "step_form", form, lambda: i.advance(current_user, form.text.data,
                                                                        optional_upload(form.document)),
                        "已记录。", state=i.state_check, place="inspections", step_inspection=i.id)


@bp.get("/inspections/<int:inspection_id>/documents/<int:document_id>")
@roles_required("city", "district", "finance", "contractor")
def inspection_document(inspection_id, document_id):
    i = get_in_scope(contract_scope(select(Inspection).join(Contract).where(Inspection.id == inspection_id)))
    doc = next((d for d in i.documents if d.id == document_id), None)
    return send_attachment_of([doc.attachment_id] if doc else [], doc.attachment_id if doc else None)


@bp.post("/contracts/<int:contract_id>/reclaims")
@roles_required(*STAFF)
def reclaim(contract_id):
    c = _own_contract(contract_id)
    form = ReclaimForm()
    return contract_act(c, "reclaim_form", form, lambda: c.reclaim(current_user, form.amount.data, form.reason.data),
                        "已记录追回。", place="money")


@bp.post("/contracts/<int:contract_id>/reclaims/<int:reclaim_id>/repaid")
@roles_required(*STAFF)
def reclaim_repaid(contract_id, reclaim_id):
    c = _own_contract(contract_id)
    item = next((r for r in c.reclaims if r.id == reclaim_id), None)
    if item is None:
        abort(404)
    form = RepaidForm()
    return contract_act(c, None, form, lambda: item.record_repaid(current_user, form.on.data), "已记录退回。",
                        state=item.state_check, place="money")


@bp.post("/contracts/<int:contract_id>/close")
@roles_required(*STAFF)
def close(contract_id):
    c = _own_contract(contract_id)
    form = CloseForm()
    return contract_act(c, "close_form", form,
                        lambda: c.close(current_user, form.final_value.data, form.end_date.data, form.explanation.data),
                        "合同已结束。", state="close", place="money")


@bp.post("/contracts/<int:contract_id>/quarters")
@roles_required(*STAFF)
def close_quarter(contract_id):
    c = _own_contract(contract_id)
    form = _quarter_form(c)
    return contract_act(c, "quarter_form", form,
                        lambda: quarters.close(current_user, c, form.year.data, form.quarter.data, form.note.data),
                        "季度已关闭：此后补录该季度的记录须说明理由，并列入完整性检查。", place="quarters")
