"""The public transparency portal: only what has been published, to anyone, without login or scripts."""
import hashlib
from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, render_template, request, url_for
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from blueprints.portal.forms import FeedbackForm, FeedbackLookupForm
from blueprints.forms import choices
from extensions import db
from models import Contract, Contractor, DomainError, Procurement, PurchasePlan, RuleError, Unit
from models.feedback import LOOKUP_LOCK_MINUTES, Feedback, FeedbackAttempt
from models.setting import Setting
from models import clock
from services import ocds, portal, settings
from services.web import client_address, done, form_errors_into, render, wants_fragment

bp = Blueprint("portal", __name__, url_prefix="/portal")


def _units():
    return db.session.scalars(select(Unit).order_by(Unit.code)).all()


@bp.get("/")
def index():
    """The newest published rows of each section; `?list=<section>&before=<cursor>` pages through one.

    The results are public and change only with the published records (and, for a contract's state,
    the day): they are kept in memory under the feed's revision token (services/ocds.py)."""
    args = request.args
    unit_id, year = args.get("unit", type=int), args.get("year", type=int)
    section = args.get("list") if args.get("list") in dict(portal.SECTIONS) else None
    filters = {k: args[k] for k in ("q", "unit", "year") if args.get(k)}

    def results():
        found = portal.search(args.get("q"), unit_id, year, section=section, before=args.get("before"))
        return Markup(render_template("portal/_results.html", grade_label=portal.grade_label, section=section,
                                      sections=dict(portal.SECTIONS), filters=filters, **found))

    key = ("portal.index", clock.today(), (args.get("q") or "").strip(), unit_id, year, section,
           args.get("before") if section else None)
    html = ocds.pages.get(key, results)
    if wants_fragment("portal-results"):
        return html
    return render("portal/index.html", units=_units(), args=args, results=html)


@bp.get("/plans/<int:plan_id>")
def plan(plan_id):
    item = db.session.scalar(select(PurchasePlan).where(PurchasePlan.id == plan_id, PurchasePlan.status == "published"))
    if item is None:
        abort(404)
    procurements = db.session.scalars(select(Procurement).where(
        Procurement.id.in_([i.procurement_id for i in item.items if i.procurement_id]))).all()
    return render("portal/plan.html", plan=item, procurements=procurements)


@bp.get("/procurements/<int:procurement_id>")
def procurement(procurement_id):
    """The whole thread on one page: planning, tender, award, contracts and their implementation."""
    item = db.session.get(Procurement, procurement_id)
    if item is None:
        abort(404)
    successor = db.session.scalar(select(Procurement).where(Procurement.predecessor_id == item.id))
    contracts = [{"c": c, "acceptances": portal.published_acceptances(c),
                  "evaluations": portal.published_evaluations(c)} for c in portal.published_contracts(item)]
    return render("portal/procurement.html", p=item, contracts=contracts, successor=successor,
                  award=portal.award_publication(item), grade_label=portal.grade_label, sides=portal.SIDES,
                  vetoes=portal.VETOES)


@bp.get("/statistics")
def statistics():
    stats = portal.Statistics()
    years = stats.years() or [clock.today().year]
    year = request.args.get("year", type=int) or years[0]
    unit = db.session.get(Unit, request.args.get("unit", type=int) or 0)
    return render("portal/statistics.html", tables=stats.tables(year, unit), years=years, year=year, unit=unit,
                  units=stats.units)


@bp.get("/withheld")
def withheld():
    return render("portal/withheld.html", fields=portal.WITHHELD_FIELDS, entries=portal.Statistics().register())


# ---- open data


@bp.get("/ocds/")
def ocds_index():
    """The human page of the open data: what each file is, its licence and policy, how to use it."""
    years = [(y, portal.feed_units(y)) for y in portal.feed_years()]
    return render("portal/ocds.html", years=years, license=Setting.get("ocds.license"),
                  policy=Setting.get("ocds.publication_policy"), prefix=Setting.get("ocid.prefix"))


@bp.get("/ocds/<int:year>.json")
def ocds_year(year):
    return _package(ocds.package_json(year), f"fengqiao-ocds-{year}.json")


@bp.get("/ocds/<int:year>/<unit_code>.json")
def ocds_unit(year, unit_code):
    unit = db.session.scalar(select(Unit).where(Unit.code == unit_code))
    if unit is None:
        abort(404)
    return _package(ocds.package_json(year, unit), f"fengqiao-ocds-{year}-{unit.code}.json")


def _package(body, filename):
    """A package with its validators: ETag (a hash of the bytes) and Last-Modified (the feed's last change);
    a reader that sends them back (If-None-Match, If-Modified-Since) gets 304 while nothing changed."""
    if body is None:
        abort(404)
    response = current_app.response_class(body, content_type="application/json; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'  # a file to keep, not a page
    response.set_etag(hashlib.sha256(body).hexdigest()[:32])
    changed = ocds.changed_at()
    if changed is not None:
        response.last_modified = clock.aware(changed)
    response.cache_control.public, response.cache_control.no_cache = True, True  # keep, but ask each time
    return response.make_conditional(request)


# ---- feedback from the public


def _feedback_form(form=None):
    form = form or FeedbackForm(contract_id=request.args.get("contract", type=int) or 0,
                                contractor_id=request.args.get("contractor", type=int) or 0)
    contracts = db.session.scalars(select(Contract).where(Contract.published_on.is_not(None))
                                   .options(joinedload(Contract.contractor))
                                   .order_by(Contract.unit_id, Contract.number)).all()
    form.contract_id.choices = choices([(0, "（不涉及具体合同）")] + [
        (c.id, f"{c.number} {c.title}（{c.contractor.name}）") for c in contracts])
    orgs = db.session.scalars(select(Contractor).where(
        (Contractor.status == "approved") | Contractor.id.in_(select(Contract.contractor_id)
                                                               .where(Contract.published_on.is_not(None))))
        .order_by(Contractor.name)).all()
    form.contractor_id.choices = choices([(0, "（按所选合同）")] + [(o.id, o.name) for o in orgs])
    return form


def _too_many(address):
    since = clock.now() - timedelta(minutes=settings.get("feedback.window_minutes"))
    sent = db.session.scalar(select(func.count()).select_from(FeedbackAttempt)
                             .where(FeedbackAttempt.address == address, FeedbackAttempt.at >= since))
    return sent >= settings.get("feedback.max_per_address")


@bp.get("/feedback/new")
def feedback_new():
    return render("portal/feedback.html", form=_feedback_form())


@bp.post("/feedback")
def feedback_create():
    form = _feedback_form(FeedbackForm())
    if not form.validate_on_submit():
        return render("portal/feedback.html", form=form, status=400 if form.csrf_token.errors else 422)
    address = client_address()
    if _too_many(address):
        form.form_errors.append(f"同一地址提交过于频繁，请 {settings.get('feedback.window_minutes')} 分钟后再试。")
        return render("portal/feedback.html", form=form, status=429)
    contract = db.session.get(Contract, form.contract_id.data) if form.contract_id.data else None
    contractor = db.session.get(Contractor, form.contractor_id.data) if form.contractor_id.data else None
    try:
        if form.contract_id.data and contract is None:
            raise RuleError("请选择已公开的合同", field="contract_id")
        if form.contractor_id.data and contractor is None:
            raise RuleError("请选择承接主体", field="contractor_id")
        item = Feedback.receive(contract, contractor, form.text.data, form.happened_on.data, form.contact_name.data,
                                form.contact_phone.data)
    except DomainError as e:
        db.session.rollback()
        form_errors_into(form, e)
        return render("portal/feedback.html", form=form, status=422)
    code = item.issue_lookup_code(current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))
    db.session.add(FeedbackAttempt(address=address, at=clock.now()))
    db.session.commit()
    flash(f"您的意见已收到，受理编号 {item.number}，查询码 {code}（请记下，凭受理编号和查询码可查询答复），"
          f"将由{item.unit.name}办理答复。", "success")
    return done(url_for("portal.index"))


@bp.get("/feedback/lookup")
def feedback_lookup():
    return render("portal/feedback_lookup.html", form=FeedbackLookupForm(), item=None)


@bp.post("/feedback/lookup")
def feedback_lookup_post():
    """The state and answer of one feedback, by its number and lookup code; nothing personal is shown."""
    form = FeedbackLookupForm()
    if not form.validate_on_submit():
        return render("portal/feedback_lookup.html", form=form, item=None,
                      status=400 if form.csrf_token.errors else 422)
    item = db.session.scalar(select(Feedback).where(Feedback.number == form.number.data.strip().upper()))
    result = item.check_lookup_code(form.code.data) if item is not None else "wrong"
    db.session.commit()  # wrong codes are counted
    if result == "locked":
        form.form_errors.append(f"查询码错误次数过多，请 {LOOKUP_LOCK_MINUTES} 分钟后再试。")
        return render("portal/feedback_lookup.html", form=form, item=None, status=429)
    if result == "wrong":
        form.code.errors = list(form.code.errors) + ["受理编号或查询码不正确"]
        return render("portal/feedback_lookup.html", form=form, item=None, status=422)
    return render("portal/feedback_lookup.html", form=FeedbackLookupForm(formdata=None), item=item)
