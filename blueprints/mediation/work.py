"""The organisation's other mediation work: the consultation log and dispute screening reports.

Both count at acceptance. The organisation's admin and workers record them; a unit sees those
under its own contracts, and screening reports of its area.
"""
from flask import flash, request, url_for
from flask_login import current_user
from sqlalchemy import false, or_, select

from blueprints.forms import choices
from blueprints.mediation import forms as f
from blueprints.mediation.views import bp
from extensions import db
from models import Contract, Unit
from models.mediation import Consultation, Screening
from models import clock
from services.access import roles_required
from services.web import done, form_errors_into, render

READERS = ("city", "district", "contractor", "worker")
WRITERS = ("contractor", "worker")


def visible(model):
    query = select(model)
    if current_user.role in WRITERS:
        return query.where(model.contractor_id == current_user.contractor_id)
    if current_user.is_unit_staff:
        own = model.contract_id.in_(select(Contract.id).where(Contract.unit_id == current_user.unit_id))
        if model is Screening:
            own = or_(own, Screening.area_unit_id == current_user.unit_id)
        return query.where(own)
    return query.where(false())


def _contract_choices(form):
    contracts = db.session.scalars(select(Contract).where(Contract.contractor_id == current_user.contractor_id,
                                                          Contract.category == "mediation")).all()
    form.contract_id.choices = choices([(0, "（无合同）")] + [(c.id, c.number) for c in contracts])
    return form


def _consultation_form(form=None):
    form = form or f.ConsultationForm(given_on=clock.today())
    return _contract_choices(form) if current_user.role in WRITERS else form


def _screening_form(form=None):
    form = form or f.ScreeningForm()
    form.area_unit_id.choices = choices([("", "请选择")] + [(u.id, u.area_name) for u in
                                                          db.session.scalars(select(Unit).order_by(Unit.code))])
    return _contract_choices(form) if current_user.role in WRITERS else form


def _contract_id(form):
    return form.contract_id.data or None  # one of the organisation's own contracts (a validated choice)


@bp.get("/consultations")
@roles_required(*READERS)
def consultations(form=None, status=200):
    rows = db.session.scalars(visible(Consultation).order_by(Consultation.given_on.desc(), Consultation.id.desc())
                              .limit(200)).all()
    return render("mediation/consultations.html", rows=rows, form=_consultation_form(form), status=status)


@bp.post("/consultations")
@roles_required(*WRITERS)
def create_consultation():
    form = _consultation_form(f.ConsultationForm())
    if form.validate_on_submit():
        if form.given_on.data > clock.today():
            form_errors_into(form, _rule("日期不能晚于今天", "given_on"))
        else:
            db.session.add(Consultation(contractor_id=current_user.contractor_id, contract_id=_contract_id(form),
                                        given_on=form.given_on.data, asker=form.asker.data, topic=form.topic.data,
                                        answer=form.answer.data, referred_to=form.referred_to.data or "",
                                        created_by_id=current_user.id))
            db.session.commit()
            flash("咨询已登记。", "success")
            return done(url_for("mediation.consultations"))
    return consultations(form=form, status=422)


@bp.get("/screenings")
@roles_required(*READERS)
def screenings(form=None, status=200):
    rows = db.session.scalars(visible(Screening).order_by(Screening.period_start.desc(), Screening.id.desc())
                              .limit(200)).all()
    return render("mediation/screenings.html", rows=rows, form=_screening_form(form), status=status,
                  args=request.args)


@bp.post("/screenings")
@roles_required(*WRITERS)
def create_screening():
    form = _screening_form(f.ScreeningForm())
    if form.validate_on_submit():
        if form.period_end.data < form.period_start.data:
            form_errors_into(form, _rule("排查期间截止日不能早于起始日", "period_end"))
        elif form.period_start.data > clock.today():
            form_errors_into(form, _rule("排查期间不能晚于今天开始", "period_start"))
        else:
            db.session.add(Screening(contractor_id=current_user.contractor_id, contract_id=_contract_id(form),
                                     period_start=form.period_start.data, period_end=form.period_end.data,
                                     area_unit_id=form.area_unit_id.data, township=form.township.data or "",
                                     disputes_found=form.disputes_found.data, analysis=form.analysis.data,
                                     suggestions=form.suggestions.data, created_by_id=current_user.id))
            db.session.commit()
            flash("排查报告已登记。", "success")
            return done(url_for("mediation.screenings"))
    return screenings(form=form, status=422)


def _rule(message, field):
    from models import RuleError

    return RuleError(message, field=field)


@bp.get("/codes")
@roles_required("city")
def codes(form=None, status=200):
    from models.mediation import CODE_KINDS, code_table

    tables = {kind: code_table(kind) for kind in CODE_KINDS}
    return render("mediation/codes.html", tables=tables, kinds=CODE_KINDS, form=form or f.CodeForm(), status=status)


@bp.post("/codes")
@roles_required("city")
def create_code():
    from models import DomainError
    from models.mediation import MediationCode

    form = f.CodeForm()
    if form.validate_on_submit():
        try:
            MediationCode.add(current_user, form.kind.data, form.label.data)
        except DomainError as e:
            db.session.rollback()
            form_errors_into(form, e)
        else:
            db.session.commit()
            flash("代码已添加。", "success")
            return done(url_for("mediation.codes"))
    return codes(form=form, status=422)
