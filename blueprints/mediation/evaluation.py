"""Quarterly and yearly evaluation of mediation (policy item (7)): the figures of DOMAIN.md §8, failed
and unfulfilled cases with corrective measures, the unit's quarter close, Word and Excel exports."""
import io

from flask import abort, flash, request, send_file, url_for
from flask_login import current_user
from sqlalchemy import select

import docgen
from blueprints.mediation import forms as f
from blueprints.mediation.views import bp
from extensions import db
from models import Contract, RuleError
from models.mediation import CorrectiveMeasure, MediationCase, QuarterClose, visible_cases
from models import clock
from services import audit
from services.access import get_in_scope, roles_required
from models.mediation_figures import for_period, quarter_bounds, scope_for
from services.web import done, form_errors_into, invalid, render

EVALUATORS = ("city", "district", "contractor")


def _contracts():
    """Mediation contracts the user may evaluate: the unit's own, or the organisation's."""
    query = select(Contract).where(Contract.category == "mediation")
    if current_user.role == "contractor":
        query = query.where(Contract.contractor_id == current_user.contractor_id)
    else:
        query = query.where(Contract.unit_id == current_user.unit_id)
    return db.session.scalars(query.order_by(Contract.id.desc())).all()


def _period():
    today = clock.today()
    year = request.values.get("year", type=int) or today.year
    quarter = request.values.get("quarter", type=int)
    if quarter is None:
        quarter = (today.month - 1) // 3 + 1
    if not (2000 <= year <= 2100 and 0 <= quarter <= 4):
        abort(404)
    contract_id = request.values.get("contract", type=int) or None
    contracts = _contracts()
    if contract_id and contract_id not in {c.id for c in contracts}:
        abort(404)
    return year, quarter, contract_id, contracts


def _label(year, quarter):
    return f"{year}年第{quarter}季度" if quarter else f"{year}年度"


def evaluation_data(year, quarter, contract_id):
    start, end = quarter_bounds(year, quarter)
    figures = for_period(scope_for(current_user, contract_id=contract_id), start, end)
    listed = figures["total"]["failed_cases"] + figures["total"]["unfulfilled_cases"]
    ids = [c.id for c in listed]
    measures = db.session.scalars(select(CorrectiveMeasure).where(CorrectiveMeasure.case_id.in_(ids))
                                  .order_by(CorrectiveMeasure.id)).all() if ids else []
    prev_year, prev_quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    visible_ids = visible_cases(current_user).with_only_columns(MediationCase.id)
    previous = db.session.scalars(select(CorrectiveMeasure).where(
        CorrectiveMeasure.year == prev_year, CorrectiveMeasure.quarter == prev_quarter,
        CorrectiveMeasure.case_id.in_(visible_ids)).order_by(CorrectiveMeasure.id)).all() if quarter else []
    closes = db.session.scalars(select(QuarterClose).where(
        QuarterClose.contract_id.in_([c.id for c in _contracts()]), QuarterClose.year == year,
        QuarterClose.quarter == quarter)).all() if quarter else []
    return {"figures": figures, "start": start, "end": end, "period_label": _label(year, quarter),
            "measures": measures, "previous": previous, "closes": closes,
            "other_work": other_work(start, end, contract_id)}


def other_work(start, end, contract_id=None):
    """Consultations given and screening reports of the period: both count at acceptance."""
    from sqlalchemy import func

    from blueprints.mediation.work import visible
    from models.mediation import Consultation, Screening

    consultations = visible(Consultation).where(Consultation.given_on.between(start, end))
    screenings = visible(Screening).where(Screening.period_start.between(start, end))
    if contract_id:
        consultations = consultations.where(Consultation.contract_id == contract_id)
        screenings = screenings.where(Screening.contract_id == contract_id)
    count = lambda q: db.session.scalar(select(func.count()).select_from(q.subquery()))  # noqa: E731
    found = db.session.scalar(select(func.coalesce(func.sum(Screening.disputes_found), 0))
                              .where(Screening.id.in_(screenings.with_only_columns(Screening.id))))
    return {"consultations": count(consultations), "screenings": count(screenings), "disputes_found": found}


def _page(status=200, measure_form=None, close_form=None, done_form=None):
    year, quarter, contract_id, contracts = _period()
    data = evaluation_data(year, quarter, contract_id)
    listed = data["figures"]["total"]["failed_cases"] + data["figures"]["total"]["unfulfilled_cases"]
    measure_form = measure_form or f.MeasureForm()
    close_form = close_form or f.CloseQuarterForm()
    return render("mediation/evaluation.html", status=status, year=year, quarter=quarter, contract_id=contract_id,
                  contracts=contracts, listed=listed, measure_form=measure_form, close_form=close_form,
                  done_form=done_form or f.MeasureDoneForm(), **data)


@bp.get("/evaluation")
@roles_required(*EVALUATORS)
def evaluation():
    return _page()


@bp.post("/evaluation/measures")
@roles_required(*EVALUATORS)
def create_measure():
    """The organisation writes the cause and the corrective measure for a failed or unfulfilled case."""
    year, quarter, _, _ = _period()
    if current_user.role != "contractor":
        abort(403)
    form = f.MeasureForm()
    if form.validate_on_submit():
        case = get_in_scope(visible_cases(current_user).where(MediationCase.id == form.case_id.data))
        if not quarter:
            abort(409)
        if form.due_on.data < clock.today():
            form_errors_into(form, RuleError("完成期限不能早于今天", field="due_on"))
        else:
            db.session.add(CorrectiveMeasure(case_id=case.id, year=year, quarter=quarter, cause=form.cause.data,
                                             measure=form.measure.data, owner=form.owner.data,
                                             due_on=form.due_on.data, created_by_id=current_user.id))
            db.session.commit()
            flash("整改措施已记录。", "success")
            return done(url_for("mediation.evaluation", year=year, quarter=quarter))
    return invalid(form, lambda f: _page(status=422, measure_form=f))


@bp.post("/measures/<int:measure_id>/done")
@roles_required(*EVALUATORS)
def measure_done(measure_id):
    measure = get_in_scope(select(CorrectiveMeasure).where(
        CorrectiveMeasure.id == measure_id,
        CorrectiveMeasure.case_id.in_(visible_cases(current_user).with_only_columns(MediationCase.id))))
    if current_user.role != "contractor":
        abort(403)
    if measure.done_on is not None:
        abort(409)
    form = f.MeasureDoneForm()
    if form.validate_on_submit():
        measure.done_on, measure.done_note = clock.today(), form.done_note.data
        db.session.commit()
        flash("已记录整改落实情况。", "success")
        next_year, next_quarter = (measure.year, measure.quarter + 1) if measure.quarter < 4 else (measure.year + 1, 1)
        return done(url_for("mediation.evaluation", year=next_year, quarter=next_quarter))
    return _page(status=422, done_form=form)


@bp.post("/evaluation/close")
@roles_required(*EVALUATORS)
def close_quarter():
    """After reviewing the quarter the unit closes it for one of its contracts (DESIGN.md §3)."""
    year, quarter, _, contracts = _period()
    if not current_user.is_unit_staff:
        abort(403)
    form = f.CloseQuarterForm()
    if form.validate_on_submit():
        contract = next((c for c in contracts if c.id == form.contract_id.data), None)
        if contract is None:
            abort(404)
        if not quarter or quarter_bounds(year, quarter)[1] >= clock.today():
            form_errors_into(form, RuleError("只能关闭已经结束的季度", field="contract_id"))
        elif db.session.scalar(select(QuarterClose.id).where(QuarterClose.contract_id == contract.id,
                                                             QuarterClose.year == year,
                                                             QuarterClose.quarter == quarter)):
            abort(409)
        else:
            db.session.add(QuarterClose(contract_id=contract.id, year=year, quarter=quarter, closed_on=clock.today(),
                                        closed_by_id=current_user.id, review_note=form.review_note.data or ""))
            db.session.commit()
            flash(f"{_label(year, quarter)}已关闭。", "success")
            return done(url_for("mediation.evaluation", year=year, quarter=quarter))
    return invalid(form, lambda f: _page(status=422, close_form=f))


class Report:
    """What the Word report and the workbook are made from."""

    def __init__(self, user_label, year, quarter, data, contract):
        self.user_label, self.year, self.quarter, self.contract = user_label, year, quarter, contract
        self.__dict__.update(data)


def _report():
    year, quarter, contract_id, contracts = _period()
    contract = next((c for c in contracts if c.id == contract_id), None)
    who = current_user.contractor.name if current_user.role == "contractor" else current_user.unit.name
    return Report(who, year, quarter, evaluation_data(year, quarter, contract_id), contract)


@bp.get("/evaluation/report")
@roles_required(*EVALUATORS)
def evaluation_report():
    report = _report()
    data = docgen.render("mediation_evaluation", report)
    audit.log_read("download", record_type="mediation_evaluation", detail=report.period_label)
    return send_file(io.BytesIO(data), as_attachment=True, download_name=docgen.filename("mediation_evaluation", report),
                     mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document")


@bp.get("/evaluation/workbook")
@roles_required(*EVALUATORS)
def evaluation_workbook():
    from services.mediation_exports import evaluation_workbook as build

    report = _report()
    audit.log_read("download", record_type="mediation_evaluation", detail=report.period_label + " xlsx")
    return send_file(io.BytesIO(build(report)), as_attachment=True,
                     download_name=f"调解评估-{report.period_label}.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
