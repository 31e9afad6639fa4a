"""The public side of the parties' door (no login, no JavaScript needed, 390 px wide): apply for
mediation, follow the application and its case with number + code, sign an agreement by a one-time link.

Nothing here shows anything about the other party beyond what the applicant gave; every successful
look is audited; five wrong codes lock a number for an hour.
"""
from flask import Blueprint, abort, make_response, redirect, render_template, request, session, url_for
from sqlalchemy import select

from blueprints.door.forms import ApplyForm, FollowForm, SignForm
from blueprints.forms import choices
from extensions import db
from models import DomainError, Unit
from models.door import Application, ApplicationAttempt, Challenge, normalise_code, sent_from
from models.door_codes import CONSENT_PURPOSE, TOWNSHIPS
from models.mediation import code_table
from models.mediation_codes import RECORD_KINDS
from models.signing import by_token, png_from_data_url
from models import clock
from services import audit, door, settings
from services.web import client_address, form_errors_into

bp = Blueprint("apply", __name__, url_prefix="/apply")


def _page(template, status=200, **context):
    """Public pages with personal content are never cached (the code is shown once)."""
    response = make_response(render_template(template, **context), status)
    response.headers["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------- apply


def _apply_form(form=None):
    form = form or ApplyForm()
    units = db.session.scalars(select(Unit).order_by(Unit.code)).all()
    groups = {}
    for u in units:
        options = [(f"{u.id}|", f"{u.area_name}（乡镇、街道不清楚）")]
        options += [(f"{u.id}|{t}", f"{u.area_name}{t}") for t in TOWNSHIPS.get(u.code, ())]
        groups[u.area_name] = choices(options)
    form.area.choices = {"": choices([("", "请选择")]), **groups}
    form.category.choices = choices([("", "请选择")] + list(code_table("category").items()))
    return form


def _needs_challenge(address):
    return sent_from(address, settings.get("door.window_minutes")) >= settings.get("door.challenge_after")


def _apply_page(form, status=200, address=None):
    challenge = None
    if _needs_challenge(address or client_address()):
        challenge = Challenge.ask()
        db.session.commit()
        form.challenge_token.data = challenge.token
        form.challenge_answer.data = ""
    return _page("door/apply.html", status, form=form, challenge=challenge, purpose=CONSENT_PURPOSE,
                 retention_days=settings.get("door.retention_days"))


@bp.get("/")
def new():
    return _apply_page(_apply_form())


@bp.post("/")
def create():
    form = _apply_form(ApplyForm())
    address = client_address()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            return _apply_page(form, 400, address)
        return _apply_page(form, 422, address)
    if sent_from(address, settings.get("door.window_minutes")) >= settings.get("door.max_per_address"):
        form.form_errors.append(f"同一地址提交过于频繁，请 {settings.get('door.window_minutes')} 分钟后再试，"
                                "或直接到纠纷发生地的司法所、人民调解委员会申请。")
        return _page("door/apply.html", 429, form=form, challenge=None, purpose=CONSENT_PURPOSE,
                     retention_days=settings.get("door.retention_days"))
    if _needs_challenge(address) and not Challenge.passed(form.challenge_token.data, form.challenge_answer.data):
        db.session.commit()  # the question is spent
        form.challenge_answer.errors = ["答案不正确，请回答新的算术题"]
        return _apply_page(form, 422, address)
    unit_id, _, township = (form.area.data or "").partition("|")
    unit = db.session.get(Unit, int(unit_id)) if unit_id.isdigit() else None
    fields = {name: getattr(form, name).data for name in (
        "category", "description", "requests", "applicant_name", "applicant_phone", "applicant_email",
        "applicant_address", "other_name", "other_phone", "other_address", "consent")}
    try:
        application, code = Application.receive(unit, township, fields)
        db.session.flush()
        door.auto_dispatch(application)
    except DomainError as e:
        db.session.rollback()
        form_errors_into(form, e)
        return _apply_page(form, 422, address)
    db.session.add(ApplicationAttempt(address=address, at=clock.now()))
    db.session.commit()
    mailed = door.send_code(application, code)
    # Post/redirect/get: reloading the receipt must not apply again. The code rides once in the signed
    # session cookie of the applicant's own browser and is dropped when the receipt is shown.
    session["door_receipt"] = {"id": application.id, "code": code, "mailed": mailed}
    return redirect(url_for("apply.received"), 303)


@bp.get("/received")
def received():
    """The number and the code, shown once; a reload shows the number no more (only how to follow)."""
    receipt = session.pop("door_receipt", None)
    application = db.session.get(Application, receipt["id"]) if receipt else None
    if application is None:
        return _page("door/received.html", application=None)
    return _page("door/received.html", application=application, code=receipt["code"], mailed=receipt["mailed"])


# ---------------------------------------------------------------- follow


def _follow_context(application):
    """What the applicant may see: their application, its steps, and once accepted the case's state,
    session dates, mediators' names and the organisation's phone."""
    case = application.case
    context = {"application": application, "case": case, "sessions": [], "org": None}
    org = case.contractor if case is not None else application.contractor
    context["org"] = org
    if case is not None:
        context["sessions"] = [r.held_at for r in case.records if r.kind == "session"]
        context["record_kinds"] = RECORD_KINDS
    return context


@bp.get("/follow")
def follow():
    return _page("door/follow.html", form=FollowForm(number=request.args.get("number", "")[:30]))


@bp.post("/follow")
def follow_look():
    form = FollowForm()
    if not form.validate_on_submit():
        return _page("door/follow.html", 400 if form.csrf_token.errors else 422, form=form)
    number = (form.number.data or "").strip().upper()
    application = db.session.scalar(select(Application).where(Application.number == number))
    wrong = "受理编号或查询码不正确。连续输错 {} 次，该编号将锁定 {} 分钟。".format(
        settings.get("door.max_code_failures"), settings.get("door.lock_minutes"))
    if application is None:
        form.code.errors = [wrong]
        return _page("door/follow.html", 422, form=form)
    try:
        ok = application.check_code(form.code.data)
    except DomainError:
        until = application.locked_until
        form.form_errors.append(f"该受理编号因查询码多次输错已锁定，请于 {until:%H:%M} 后再试。")
        return _page("door/follow.html", 429, form=form)
    if not ok:
        audit.record(db.session, "application_code_wrong", record=application)
        db.session.commit()
        form.code.errors = [wrong]
        return _page("door/follow.html", 422, form=form)
    audit.record(db.session, "application_followed", record=application)
    db.session.commit()
    return _page("door/status.html", **_follow_context(application))


# ---------------------------------------------------------------- sign by a one-time link


def _signature(token):
    signature = by_token(token)
    if signature is None or signature.signing.state == "cancelled":
        abort(404)
    return signature


def _sign_page(signature, form=None, status=200):
    form = form or SignForm(text_sha256=signature.signing.text_sha256)
    return _page("door/sign.html", status, signature=signature, signing=signature.signing, form=form,
                 action=request.path)


@bp.get("/sign/<token>")
def sign(token):
    signature = _signature(token)
    if signature.signed_at is not None or signature.signing.state != "open":
        return _page("door/signed.html", 409, signature=signature, reused=True)
    return _sign_page(signature)


@bp.post("/sign/<token>")
def sign_submit(token):
    signature = _signature(token)
    if signature.signed_at is not None or signature.signing.state != "open":
        return _page("door/signed.html", 409, signature=signature, reused=True)
    form = SignForm()
    if not form.validate_on_submit():
        return _sign_page(signature, form, 400 if form.csrf_token.errors else 422)
    try:
        png = png_from_data_url(form.signature.data)
        signature.signing.sign(signature, png, form.text_sha256.data)
    except DomainError as e:
        db.session.rollback()
        if e.status != 422:
            return _page("door/signed.html", e.status, signature=signature, reused=False, message=e.message)
        form_errors_into(form, e)
        return _sign_page(signature, form, 422)
    audit.record(db.session, "agreement_signed", record=signature.signing, detail=signature.role)
    db.session.commit()
    return _page("door/signed.html", 200, signature=signature, reused=False)
