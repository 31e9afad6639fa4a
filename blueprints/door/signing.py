"""The mediator's side of on-screen signing: fix the agreement's text, give each signer a one-time
link (opened on a tablet or sent to the party's phone), sign as mediator, record paper signatures,
cancel; and the signed agreement as a Word document.

The case loads through the mediation scope (404 outside it); only its mediators act (403).
"""
import io

from flask import abort, flash, send_file, url_for
from flask_login import current_user
from sqlalchemy import select

import docgen
from blueprints.door.forms import ButtonForm, SignForm, SigningForm
from blueprints.door.work import bp
from extensions import db
from models import DomainError
from models.base import TransitionError
from models.mediation import MediationCase, visible_cases
from models.signing import Signing, completed_signing, current_signing, png_from_data_url
from services import audit
from services.access import get_in_scope, roles_required
from services.web import act, check_state, done, form_errors_into, render
from services.web import refuse as refuse_with

CASE_ROLES = ("city", "district", "contractor", "worker")
ORG_ROLES = ("contractor", "worker")


def _case(case_id):
    return get_in_scope(visible_cases(current_user).where(MediationCase.id == case_id))


def _signing(case, signing_id):
    item = db.session.scalar(select(Signing).where(Signing.id == signing_id, Signing.case_id == case.id))
    return item or abort(404)


def _defaults(case):
    """The open form starts from the last session's agreed result."""
    sessions = [r for r in case.records if r.kind == "session"]
    return {"matters": case.facts, "terms": sessions[-1].result if sessions else ""}


def _page(case, status=200, links=None, open_form=None, sign_form=None):
    signing = current_signing(case) or completed_signing(case)
    history = db.session.scalars(select(Signing).where(Signing.case_id == case.id).order_by(Signing.id.desc())).all()
    mediator = next((s for s in signing.signatures if s.role == "mediator"), None) if signing else None
    return render("door/signing.html", status=status, case=case, signing=signing, history=history,
                  may_work=case.may_work(current_user) and current_user.role in ORG_ROLES, links=links or {},
                  open_form=open_form or SigningForm(data=_defaults(case)), button=ButtonForm(),
                  mediator=mediator,
                  sign_form=sign_form or (SignForm(text_sha256=signing.text_sha256) if signing else None))


def _require_work(case):
    if not (case.may_work(current_user) and current_user.role in ORG_ROLES):
        abort(403)


@bp.get("/cases/<int:case_id>/signing")
@roles_required(*CASE_ROLES)
def signing(case_id):
    return _page(_case(case_id))


@bp.post("/cases/<int:case_id>/signing")
@roles_required(*ORG_ROLES)
def signing_open(case_id):
    case = _case(case_id)
    _require_work(case)
    form = SigningForm()

    def action():
        fields = {k: getattr(form, k).data for k in ("matters", "responsibility", "terms", "performance",
                                                      "performance_due")}
        return Signing.open_for(current_user, case, fields)

    def state():
        if case.status != "mediating":
            raise_transition("只有调解中的案件可以发起协议签署（须先有调解记录）")
        if current_signing(case) is not None:
            raise_transition("本案已有进行中的签署，请先作废")

    return act(form, action, lambda f: _page(case, 422, open_form=f),
               url_for("door.signing", case_id=case.id), "协议文本已固定，请为各方生成签名链接。", state=state)


def raise_transition(message):
    raise TransitionError(message)


def _signer(signing, signature_id):
    s = next((x for x in signing.signatures if x.id == signature_id), None)
    return s or abort(404)


@bp.post("/cases/<int:case_id>/signing/<int:signing_id>/link/<int:signature_id>")
@roles_required(*ORG_ROLES)
def signing_link(case_id, signing_id, signature_id):
    """A new one-time link for one signer, shown on this answer only (its token is stored hashed)."""
    case = _case(case_id)
    _require_work(case)
    item = _signing(case, signing_id)
    signer = _signer(item, signature_id)
    form = ButtonForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        token = item.issue_link(current_user, signer)
    except DomainError as e:
        db.session.rollback()
        refuse_with(e)
    audit.record(db.session, "signing_link_issued", record=item, detail=signer.role)
    db.session.commit()
    page = _page(case, links={signer.id: url_for("apply.sign", token=token, _external=True)})
    response = page[0] if isinstance(page, tuple) else page
    return response, 200, {"Cache-Control": "no-store"}


@bp.post("/cases/<int:case_id>/signing/<int:signing_id>/paper/<int:signature_id>")
@roles_required(*ORG_ROLES)
def signing_paper(case_id, signing_id, signature_id):
    case = _case(case_id)
    _require_work(case)
    item = _signing(case, signing_id)
    signer = _signer(item, signature_id)
    form = ButtonForm()
    return act(form, lambda: item.record_paper(current_user, signer), lambda f: _page(case, 422),
               url_for("door.signing", case_id=case.id), f"已记录{signer.name}在纸质协议上签名。",
               state=item.state_check)


@bp.post("/cases/<int:case_id>/signing/<int:signing_id>/mediator")
@roles_required(*ORG_ROLES)
def signing_mediator(case_id, signing_id):
    """The mediator signs on the canvas of the case's signing page."""
    case = _case(case_id)
    _require_work(case)
    item = _signing(case, signing_id)
    check_state(item.state_check)
    signer = next(s for s in item.signatures if s.role == "mediator")
    form = SignForm()
    if form.validate_on_submit():
        try:
            item.sign(signer, png_from_data_url(form.signature.data), form.text_sha256.data)
        except DomainError as e:
            db.session.rollback()
            if e.status != 422:
                refuse_with(e)
            form_errors_into(form, e)
        else:
            audit.record(db.session, "agreement_signed", record=item, detail="mediator")
            db.session.commit()
            flash("调解员已签名。", "success")
            return done(url_for("door.signing", case_id=case.id))
    return _page(case, 422, sign_form=form)


@bp.post("/cases/<int:case_id>/signing/<int:signing_id>/cancel")
@roles_required(*ORG_ROLES)
def signing_cancel(case_id, signing_id):
    case = _case(case_id)
    _require_work(case)
    item = _signing(case, signing_id)
    form = ButtonForm()
    return act(form, lambda: item.cancel(current_user), lambda f: _page(case, 422),
               url_for("door.signing", case_id=case.id), "签署已作废，已发出的签名链接全部失效。",
               state=item.state_check)


@bp.get("/cases/<int:case_id>/signing/<int:signing_id>/document")
@roles_required(*CASE_ROLES)
def signing_document(case_id, signing_id):
    """The agreement as Word, with every screen signature in its line and the text's SHA-256."""
    case = _case(case_id)
    item = _signing(case, signing_id)
    data = docgen.render("mediation_signed_agreement", item)
    audit.log_read("download", record=case, detail="signed_agreement")
    return send_file(io.BytesIO(data), as_attachment=True, download_name=docgen.filename("mediation_signed_agreement", item),
                     mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document")

