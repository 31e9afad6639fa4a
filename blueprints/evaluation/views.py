"""Performance evaluation: indicator sets (city), evaluations (unit, contractor), the evaluator's space."""
from datetime import timedelta

from flask import Blueprint, abort, url_for
from flask_login import current_user
from sqlalchemy import select

from blueprints.admin.forms import EmptyForm
from blueprints.contracts.views import scoped as contract_scope
from blueprints.evaluation.forms import (AssignForm, CompleteForm, IndicatorForm, OpenForm, SharesForm, SurveyForm,
                                         VetoForm, scores_form)
from blueprints.forms import choices
from extensions import db
from models import Contract, EvaluationBody
from models.evaluation import Evaluation, Indicator, IndicatorSet
from models import clock
from models import measures
from services import audit
from services.access import get_in_scope, require_own_unit, roles_required
from services.documents import send_document
from services.web import act, render

bp = Blueprint("evaluation", __name__)

READERS = ("city", "district", "finance", "contractor")
STAFF = ("city", "district")
SET_CATEGORIES = ("mediation", "assistance")


# ---------------------------------------------------------------- indicator sets (the city keeps them)


def _set(category):
    if category not in SET_CATEGORIES:
        abort(404)
    return IndicatorSet.for_category(category)


@bp.get("/indicator-sets")
@roles_required(*STAFF)
def sets():
    rows = [_set(c) for c in SET_CATEGORIES]
    db.session.commit()  # the default sets are seeded on first use
    return render("evaluation/sets.html", rows=rows)


def _indicator_form(s, indicator, form=None):
    """One form per indicator, its fields prefixed with the indicator's id so labels stay unique."""
    if form is None:
        form = IndicatorForm(obj=indicator, prefix=f"i{indicator.id}", formdata=None)
        form.direction.data = "higher" if indicator.higher_better else "lower"
    form.measure.choices = choices([("", "（评价方打分时不选）")] + [
        (m.code, f"{m.label}（{m.unit}，{'越高越好' if m.higher_better else '越低越好'}）")
        for m in measures.MEASURES.values() if m.category in (s.category, "both")])
    return form


def _set_page(s, status=200, form=None, editing=None):
    forms = {i.id: (form if editing == i.id and form is not None else _indicator_form(s, i))
             for i in s.indicators if i.level == 2}
    return render("evaluation/set.html", s=s, forms=forms, status=status, may_edit=current_user.role == "city")


@bp.get("/indicator-sets/<category>")
@roles_required(*STAFF)
def set_show(category):
    s = _set(category)
    db.session.commit()
    return _set_page(s)


@bp.post("/indicator-sets/<category>/indicators/<int:indicator_id>")
@roles_required("city")
def update_indicator(category, indicator_id):
    s = _set(category)
    indicator = db.session.get(Indicator, indicator_id)
    if indicator is None or indicator.set_id != s.id or indicator.level != 2:
        abort(404)
    form = _indicator_form(s, indicator, IndicatorForm(prefix=f"i{indicator.id}"))

    def action():
        return s.update_indicator(current_user, indicator, form.name.data, form.weight.data, form.kind.data,
                                  form.measure.data or None, form.target.data, form.direction.data != "lower")

    return act(form, action, lambda f: _set_page(s, status=422, form=f, editing=indicator.id),
               url_for("evaluation.set_show", category=category, _anchor=f"indicator-{indicator.id}"),
               "已保存指标。此后开始的评价使用新的指标，已开始的评价不受影响。")


# ---------------------------------------------------------------- evaluations (unit, finance, city, contractor)


def _scoped(query):
    return contract_scope(query.join(Contract, Evaluation.contract_id == Contract.id))


def _evaluation(evaluation_id):
    return get_in_scope(_scoped(select(Evaluation).where(Evaluation.id == evaluation_id)))


def _contract(contract_id):
    return get_in_scope(contract_scope(select(Contract).where(Contract.id == contract_id)))


@bp.get("/evaluations")
@roles_required(*READERS)
def index():
    rows = db.session.scalars(_scoped(select(Evaluation)).order_by(Evaluation.id.desc())).all()
    return render("evaluation/index.html", rows=rows)


def _open_form(c, form=None):
    if form is None:
        end = min(c.period_end, clock.today())
        form = OpenForm(period_start=max(c.period_start, end.replace(month=1, day=1)), period_end=end)
    return form


@bp.get("/contracts/<int:contract_id>/evaluations/new")
@roles_required(*STAFF)
def new(contract_id):
    c = _contract(contract_id)
    require_own_unit(c.unit_id)
    return render("evaluation/new.html", c=c, form=_open_form(c))


@bp.post("/contracts/<int:contract_id>/evaluations")
@roles_required(*STAFF)
def create(contract_id):
    c = _contract(contract_id)
    require_own_unit(c.unit_id)
    form = OpenForm()
    return act(form, lambda: Evaluation.open(current_user, c, form.period_start.data, form.period_end.data),
               lambda f: render("evaluation/new.html", c=c, form=f, status=422),
               lambda e: url_for("evaluation.show", evaluation_id=e.id),
               "已开始绩效评价，系统数据类指标已按记录计算。")


def _assign_form(e, form=None):
    if form is None:
        today = clock.today()
        form = AssignForm(body_id=e.body_id, window_start=e.window_start or today,
                          window_end=e.window_end or today + timedelta(days=30))
    bodies = db.session.scalars(select(EvaluationBody).where(EvaluationBody.active.is_(True))
                                .order_by(EvaluationBody.name)).all()
    form.body_id.choices = choices([("", "请选择")] + [(b.id, b.name) for b in bodies])
    return form


def _show(e, status=200, **forms):
    side = e.side_for(current_user)
    if side == "third":
        side = None  # the evaluator works in its own space
    context = {
        "e": e, "c": e.contract, "side": side, "own": side == "unit", "result": e.result(),
        "scores_form": forms.get("scores_form") or (scores_form(e, side) if side else None),
        "shares_form": forms.get("shares_form") or SharesForm(obj=e),
        "assign_form": _assign_form(e, forms.get("assign_form")),
        "veto_form": forms.get("veto_form") or VetoForm(obj=e),
        "complete_form": forms.get("complete_form") or CompleteForm(conclusion=e.conclusion or None),
    }
    return render("evaluation/show.html", status=status, **context)


@bp.get("/evaluations/<int:evaluation_id>")
@roles_required(*READERS)
def show(evaluation_id):
    return _show(_evaluation(evaluation_id))


def _unit_act(e, form_name, form, action, message):
    require_own_unit(e.contract.unit_id)
    return act(form, action, lambda f: _show(e, status=422, **({form_name: f} if form_name else {})),
               url_for("evaluation.show", evaluation_id=e.id), message, state=e.state_check)


@bp.post("/evaluations/<int:evaluation_id>/shares")
@roles_required(*STAFF)
def set_shares(evaluation_id):
    e = _evaluation(evaluation_id)
    form = SharesForm()
    return _unit_act(e, "shares_form", form, lambda: e.set_shares(
        current_user, form.share_third.data, form.share_unit.data, form.share_self.data), "已保存三方权重比例。")


@bp.post("/evaluations/<int:evaluation_id>/assign")
@roles_required(*STAFF)
def assign(evaluation_id):
    e = _evaluation(evaluation_id)
    form = _assign_form(e, AssignForm())

    def action():
        body = db.session.get(EvaluationBody, form.body_id.data)
        return e.assign(current_user, body, form.window_start.data, form.window_end.data)

    return _unit_act(e, "assign_form", form, action, "已委托第三方评价机构，并已随机抽取样本。")


@bp.post("/evaluations/<int:evaluation_id>/vetoes")
@roles_required(*STAFF)
def set_vetoes(evaluation_id):
    e = _evaluation(evaluation_id)
    form = VetoForm()
    return _unit_act(e, "veto_form", form, lambda: e.set_vetoes(
        current_user, form.veto_subcontract.data, form.veto_privacy.data, form.veto_note.data), "已保存否决事项认定。")


@bp.post("/evaluations/<int:evaluation_id>/refresh")
@roles_required(*STAFF)
def refresh(evaluation_id):
    e = _evaluation(evaluation_id)
    return _unit_act(e, None, EmptyForm(), e.refresh, "已按最新记录重新计算。")


@bp.post("/evaluations/<int:evaluation_id>/complete")
@roles_required(*STAFF)
def complete(evaluation_id):
    e = _evaluation(evaluation_id)
    form = CompleteForm()
    return _unit_act(e, "complete_form", form, lambda: e.complete(current_user, form.conclusion.data),
                     "评价已完成，结果不再更改。")


def _points(form, e):
    return {i.id: getattr(form, f"item_{i.id}").data for i in e.judged_items()}


@bp.post("/evaluations/<int:evaluation_id>/scores")
@roles_required("city", "district", "contractor")
def scores(evaluation_id):
    """The unit's scores or the contractor's self-assessment, by who posts."""
    e = _evaluation(evaluation_id)
    side = e.side_for(current_user)
    if side not in ("unit", "self"):
        abort(403)
    form = scores_form(e, side)
    return act(form, lambda: e.enter_scores(current_user, side, _points(form, e)),
               lambda f: _show(e, status=422, scores_form=f), url_for("evaluation.show", evaluation_id=e.id),
               "已提交评分。" if side == "unit" else "已提交自评。", state=e.state_check)


@bp.get("/evaluations/<int:evaluation_id>/document")
@roles_required(*READERS)
def document(evaluation_id):
    e = _evaluation(evaluation_id)
    if not e.is_final:
        abort(409)
    return send_document("evaluation", e)


# ---------------------------------------------------------------- the evaluator's space


def _assigned(query):
    """Only evaluations assigned to the evaluator's body, and only within their window."""
    today = clock.today()
    return query.where(Evaluation.body_id == current_user.evaluation_body_id, Evaluation.window_start <= today,
                       Evaluation.window_end >= today)


def _work(evaluation_id):
    return get_in_scope(_assigned(select(Evaluation).where(Evaluation.id == evaluation_id)))


def _sample(e, sample_id):
    s = next((s for s in e.samples if s.id == sample_id), None)
    if s is None:
        abort(404)
    return s


@bp.get("/evaluator/")
@roles_required("evaluator")
def assigned():
    rows = db.session.scalars(_assigned(select(Evaluation)).order_by(Evaluation.window_end)).all()
    return render("evaluation/assigned.html", rows=rows)


def _work_page(e, status=200, form=None):
    return render("evaluation/work.html", status=status, e=e, c=e.contract,
                  scores_form=form or scores_form(e, "third"), result=e.result())


@bp.get("/evaluator/evaluations/<int:evaluation_id>")
@roles_required("evaluator")
def work(evaluation_id):
    return _work_page(_work(evaluation_id))


@bp.post("/evaluator/evaluations/<int:evaluation_id>/scores")
@roles_required("evaluator")
def third_scores(evaluation_id):
    e = _work(evaluation_id)
    form = scores_form(e, "third")
    return act(form, lambda: e.enter_scores(current_user, "third", _points(form, e)),
               lambda f: _work_page(e, status=422, form=f), url_for("evaluation.work", evaluation_id=e.id),
               "已提交第三方评分。", state=lambda: e.state_check(third=True))


def _sample_page(e, s, status=200, form=None, revealed=None):
    from services.evaluation_samples import deidentified

    if form is None:
        form = SurveyForm(surveyed_on=s.surveyed_on or clock.today(), answers=s.answers,
                          satisfaction=s.satisfaction or "",
                          reached=None if s.reached is None else ("yes" if s.reached else "no"))
    return render("evaluation/sample.html", status=status, e=e, s=s, card=deidentified(s), form=form,
                  revealed=revealed)


@bp.get("/evaluator/evaluations/<int:evaluation_id>/samples/<int:sample_id>")
@roles_required("evaluator")
def sample(evaluation_id, sample_id):
    e = _work(evaluation_id)
    s = _sample(e, sample_id)
    audit.log_read("evaluation_sample_view", record=s)
    return _sample_page(e, s)


@bp.post("/evaluator/evaluations/<int:evaluation_id>/samples/<int:sample_id>/reveal/<int:contact_no>")
@roles_required("evaluator")
def reveal(evaluation_id, sample_id, contact_no):
    """One phone number of a sampled party or subject who agreed to be contacted; logged."""
    from services.evaluation_samples import reveal_phone

    e = _work(evaluation_id)
    s = _sample(e, sample_id)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    if e.is_final:
        abort(409)
    phone = reveal_phone(s, contact_no)
    db.session.commit()
    return _sample_page(e, s, revealed=(contact_no, phone))


@bp.post("/evaluator/evaluations/<int:evaluation_id>/samples/<int:sample_id>/survey")
@roles_required("evaluator")
def survey(evaluation_id, sample_id):
    e = _work(evaluation_id)
    s = _sample(e, sample_id)
    form = SurveyForm()
    return act(form, lambda: s.record_survey(current_user, form.surveyed_on.data, form.reached.data == "yes",
                                             form.satisfaction.data or None, form.answers.data),
               lambda f: _sample_page(e, s, status=422, form=f),
               url_for("evaluation.work", evaluation_id=e.id, _anchor="samples"), "已记录回访结果。",
               state=lambda: e.state_check(third=True))


# ---------------------------------------------------------------- results shown on other modules' pages


@bp.app_template_global()
def evaluation_grades(contractor_id):
    from services.evaluation_results import completed_for_contractor

    return completed_for_contractor(contractor_id)


@bp.app_template_global()
def evaluation_exit_proposal(contractor_id):
    from services.evaluation_results import exit_proposal

    return exit_proposal(contractor_id)


@bp.app_template_global()
def evaluation_last_year(item):
    from services.evaluation_results import last_year_grades

    return last_year_grades(item)
