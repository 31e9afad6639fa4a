"""Public self-registration of contracting organisations (no login)."""
from flask import Blueprint, flash, request, url_for
from flask_login import login_user
from sqlalchemy import select

from blueprints.forms import choices
from blueprints.registration.forms import RegistrationForm
from extensions import db
from models import Unit
from models.codes import CONDITIONS
from models.contractor import MAX_EVIDENCE_FILES
from services import contractors, pending_uploads
from services.uploads import ACCEPT_ATTR
from services.web import done, render

bp = Blueprint("registration", __name__, url_prefix="/register")


def _form():
    form = RegistrationForm()
    units = db.session.scalars(select(Unit).order_by(Unit.kind.desc(), Unit.code)).all()
    form.seat_unit_id.choices = choices([("", "请选择")] + [(u.id, u.seat_label) for u in units])
    form.target_units.choices = choices((u.id, u.name) for u in units)
    return form


def _page(form, status=200, kept=None):
    return render("registration/new.html", form=form, conditions=CONDITIONS, accept=ACCEPT_ATTR,
                  kept=kept or {}, max_files=MAX_EVIDENCE_FILES, status=status)


@bp.get("/")
def new():
    return _page(_form())


@bp.post("/")
def create():
    form = _form()
    pending_uploads.purge()
    kept = pending_uploads.kept(request.form, [str(n) for n in CONDITIONS])
    created = contractors.register(form, {n: kept[str(n)] for n in CONDITIONS})
    if created is None:
        db.session.rollback()
        # The files that passed the checks are kept for this browser session: only the wrong field is fixed.
        kept = pending_uploads.keep({str(n): files for n, files in form.evidence_files.items()})
        pending_uploads.purge()
        db.session.commit()
        form.form_errors.append("提交未成功，请按提示修改。" + ("已上传的文件已保留，无需重新选择。"
                                                      if any(kept.values()) else ""))
        return _page(form, status=422, kept=kept)
    org, admin = created
    pending_uploads.forget()
    db.session.commit()
    login_user(admin)
    flash("注册申请已提交，等待住所地司法局审核。审核结果将显示在本页。", "success")
    return done(url_for("organisation.show"))


@bp.get("/uscc")
def check_uscc():
    """Live check of the credit code while typing (htmx); the server checks again on submit."""
    code = request.args.get("uscc", "")
    error = contractors.check_uscc(code) if code.strip() else None
    return render("registration/_uscc.html", error=error, code=code)
