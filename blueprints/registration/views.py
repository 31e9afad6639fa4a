"""Public self-registration of contracting organisations (no login)."""
from flask import Blueprint, flash, request, url_for
from flask_login import login_user
from sqlalchemy import select

from blueprints.forms import choices
from blueprints.registration.forms import RegistrationForm
from extensions import db
from models import Unit
from models.codes import CONDITIONS
from services import contractors
from services.uploads import ACCEPT_ATTR
from services.web import done, render

bp = Blueprint("registration", __name__, url_prefix="/register")


def _form():
    form = RegistrationForm()
    units = db.session.scalars(select(Unit).order_by(Unit.kind.desc(), Unit.code)).all()
    form.seat_unit_id.choices = choices([(0, "请选择")] + [(u.id, u.seat_label) for u in units])
    form.target_units.choices = choices((u.id, u.name) for u in units)
    return form


def _page(form, status=200):
    return render("registration/new.html", form=form, conditions=CONDITIONS, accept=ACCEPT_ATTR,
                  status=status)


@bp.get("/")
def new():
    return _page(_form())


@bp.post("/")
def create():
    form = _form()
    created = contractors.register(form)
    if created is None:
        db.session.rollback()
        form.form_errors.append("提交未成功，请按提示修改。出于安全原因，已选择的文件需要重新选择。")
        return _page(form, status=422)
    org, admin = created
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
