"""The administrator: users, evaluation bodies and settings (no case or subject data)."""
import json

from flask import Blueprint, abort, flash, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from blueprints.forms import choices
from blueprints.contractors.case_codes import case_codes_page
from blueprints.admin.forms import (EmptyForm, EvaluationBodyForm, ResetPasswordForm, ServiceItemForm, SettingsForm,
                                    UnitForm, UserForm, WorkingDayForm)
from extensions import db
from models import Contractor, DomainError, EvaluationBody, RuleError, ServiceItem, Unit, User, WorkingDayOverride
from services import settings, versions
from services.access import roles_required
from models.identifiers import normalize_uscc, uscc_error
from services.web import done, form_errors_into, refuse, render

bp = Blueprint("admin", __name__, url_prefix="/admin")

NONE = (0, "（无）")


def _user_form(form=None):
    form = form or UserForm()
    form.unit_id.choices = choices([NONE] + [(u.id, u.name) for u in db.session.scalars(select(Unit).order_by(Unit.code))])
    form.contractor_id.choices = choices([NONE] + [
        (c.id, c.name[:60]) for c in db.session.scalars(select(Contractor).order_by(Contractor.id))])
    form.evaluation_body_id.choices = choices([NONE] + [
        (b.id, b.name[:60]) for b in db.session.scalars(select(EvaluationBody).order_by(EvaluationBody.id))])
    return form


@bp.get("/users")
@roles_required("admin")
def users():
    role = request.args.get("role") or None
    query = select(User).order_by(User.role, User.username).options(
        joinedload(User.unit), joinedload(User.contractor), joinedload(User.evaluation_body))  # no N+1
    if role:
        query = query.where(User.role == role)
    rows = db.session.scalars(query).all()
    return render("admin/users.html", "admin/_user_rows.html", "user-rows", rows=rows, role=role,
                  form=_user_form(), action_form=EmptyForm())


@bp.post("/users")
@roles_required("admin")
def create_user():
    form = _user_form()
    if form.validate_on_submit():
        if db.session.scalar(select(User).where(User.username == form.username.data.strip())):
            form.username.errors.append("该用户名已被使用")
        else:
            user = User(username=form.username.data.strip(), display_name=form.display_name.data.strip(),
                        role=form.role.data, unit_id=form.unit_id.data or None,
                        contractor_id=form.contractor_id.data or None,
                        evaluation_body_id=form.evaluation_body_id.data or None, must_change_password=True,
                        email=(form.email.data or "").strip() or None)
            try:
                user.check_affiliation()
                user.set_password(form.password.data)
            except RuleError as e:
                form_errors_into(form, e)
            else:
                db.session.add(user)
                db.session.commit()
                flash(f"已创建用户 {user.username}，首次登录须修改密码。", "success")
                return done(url_for("admin.users"))
    rows = db.session.scalars(select(User).order_by(User.role, User.username)).all()
    return render("admin/users.html", rows=rows, role=None, form=form, action_form=EmptyForm(), status=422)


def _user_or_404(user_id):
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.post("/users/<int:user_id>/toggle")
@roles_required("admin")
def toggle_user(user_id):
    user = _user_or_404(user_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if user.id == _current_id():
        abort(409)
    user.active = not user.active
    db.session.commit()
    flash(f"已{'启用' if user.active else '停用'}用户 {user.username}。", "success")
    return done(url_for("admin.users"))


@bp.post("/users/<int:user_id>/unlock")
@roles_required("admin")
def unlock_user(user_id):
    """Lift a lock set after repeated failed logins (audited)."""
    from blueprints.auth.views import unlock

    user = _user_or_404(user_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if not user.is_locked:
        abort(409)
    unlock(user)
    db.session.commit()
    flash(f"已解除 {user.username} 的登录锁定。", "success")
    return done(url_for("admin.users"))


@bp.get("/users/<int:user_id>/password")
@roles_required("admin")
def reset_password_form(user_id):
    return render("admin/reset_password.html", user=_user_or_404(user_id), form=ResetPasswordForm())


@bp.post("/users/<int:user_id>/password")
@roles_required("admin")
def reset_password(user_id):
    user = _user_or_404(user_id)
    form = ResetPasswordForm()
    form.password_owner = user.username
    if not form.validate_on_submit():
        return render("admin/reset_password.html", user=user, form=form, status=422)
    user.set_password(form.password.data)
    user.must_change_password = True
    db.session.commit()
    flash(f"已重置 {user.username} 的密码，该用户下次登录须修改密码。", "success")
    return done(url_for("admin.users"))


def _current_id():
    from flask_login import current_user

    return current_user.id


@bp.get("/evaluation-bodies")
@roles_required("admin")
def evaluation_bodies():
    rows = db.session.scalars(select(EvaluationBody).order_by(EvaluationBody.id)).all()
    return render("admin/evaluation_bodies.html", rows=rows, form=EvaluationBodyForm())


@bp.post("/evaluation-bodies")
@roles_required("admin")
def create_evaluation_body():
    form = EvaluationBodyForm()
    if form.validate_on_submit():
        code = normalize_uscc(form.uscc.data)
        error = uscc_error(code)
        if error:
            form.uscc.errors.append(error)
        elif db.session.scalar(select(EvaluationBody).where(EvaluationBody.uscc == code)):
            form.uscc.errors.append("该统一社会信用代码已登记")
        else:
            db.session.add(EvaluationBody(name=form.name.data.strip(), uscc=code,
                                          contact_name=form.contact_name.data.strip(),
                                          contact_phone=form.contact_phone.data.strip()))
            db.session.commit()
            flash("已登记评价机构。", "success")
            return done(url_for("admin.evaluation_bodies"))
    rows = db.session.scalars(select(EvaluationBody).order_by(EvaluationBody.id)).all()
    return render("admin/evaluation_bodies.html", rows=rows, form=form, status=422)


def _units_page(status=200, failed=None):
    """The purchasing units with their own credit codes; `failed`: (unit id, form) to show again."""
    rows = db.session.scalars(select(Unit).order_by(Unit.code)).all()
    forms = {u.id: UnitForm(formdata=None, uscc=u.uscc) for u in rows}
    if failed:
        forms[failed[0]] = failed[1]
    return render("admin/units.html", rows=rows, forms=forms, status=status)


@bp.get("/units")
@roles_required("admin")
def units():
    return _units_page()


@bp.post("/units/<int:unit_id>")
@roles_required("admin")
def update_unit(unit_id):
    """A unit's unified social credit code: the buyer's identifier in the open data (CN-USCI)."""
    unit = db.session.get(Unit, unit_id)
    if unit is None:
        abort(404)
    form = UnitForm()
    if form.validate_on_submit():
        code = normalize_uscc(form.uscc.data) or None
        error = uscc_error(code) if code else None
        if error:
            form.uscc.errors.append(error)
        elif code and db.session.scalar(select(Unit.id).where(Unit.uscc == code, Unit.id != unit.id)):
            form.uscc.errors.append("该统一社会信用代码已用于其他单位")
        else:
            unit.uscc = code
            db.session.commit()
            flash(f"{unit.name}的统一社会信用代码已保存。", "success")
            return done(url_for("admin.units"))
    return _units_page(status=422, failed=(unit.id, form))


def _setting_rows(values=None):
    rows = []
    for key, (_, label, help_) in settings.DEFAULTS.items():
        value = values.get(key, "") if values is not None else settings.get(key)
        if isinstance(value, dict):
            value = json.dumps(value, ensure_ascii=False, indent=1)
        rows.append((key, label, help_, value, isinstance(settings.default(key), dict)))
    return rows


def _check_number_pattern(label, raw):
    """Each of {year}, {short}, {seq} once and nothing else in braces: numbers stay unique across the
    city only with the organisation's code and its own sequence in them."""
    from string import Formatter

    try:
        names = [name for _, name, spec, conv in Formatter().parse(raw) if name is not None]
        if any(spec or conv for _, name, spec, conv in Formatter().parse(raw) if name is not None):
            raise ValueError
    except ValueError:
        raise ValueError(f"{label}只能使用 {{year}}、{{short}}、{{seq}} 三个占位符") from None
    if sorted(names) != ["seq", "short", "year"]:
        raise ValueError(f"{label}须包含且只包含一次 {{year}}、{{short}}、{{seq}}，否则不同机构的案件编号会重复")


def _parse_setting(key, label, raw):
    """The typed value of a posted setting, or raise ValueError with a Chinese message."""
    default = settings.default(key)
    if isinstance(default, bool) or not isinstance(default, (int, dict)):
        if not raw and default == "":  # an optional text (e.g. the publication policy URL): empty is its default
            return raw
        if not raw or len(raw) > 200:
            raise ValueError(f"请填写{label}（最多 200 字）")
        if key == "mediation.number_pattern":
            _check_number_pattern(label, raw)
        return raw
    if isinstance(default, int):
        if not raw.isdigit() or int(raw) <= 0 or int(raw) > 100000:
            raise ValueError(f"{label}须为 1 到 100000 之间的整数")
        return int(raw)
    try:
        value = json.loads(raw)
    except ValueError:
        raise ValueError(f"{label}须为有效的 JSON") from None
    if not isinstance(value, dict) or set(value) != set(default) or any(
            not isinstance(value[k], dict) or set(value[k]) != set(default[k]) for k in default):
        raise ValueError(f"{label}须包含全部因素和选项，不能增删")
    if any(not isinstance(v, int) or isinstance(v, bool) or not 0 <= v <= 10 for d in value.values() for v in d.values()):
        raise ValueError(f"{label}的分值须为 0 到 10 的整数")
    return value


@bp.get("/settings")
@roles_required("admin", "city")
def settings_index():
    return render("admin/settings.html", rows=_setting_rows(), form=SettingsForm(), errors={},
                  version=versions.settings_version())


@bp.post("/settings")
@roles_required("admin", "city")
def update_settings():
    form = SettingsForm()
    if not form.validate_on_submit():
        abort(400)
    errors, values = {}, {}
    for key, (_, label, _) in settings.DEFAULTS.items():
        try:
            values[key] = _parse_setting(key, label, (request.form.get(key) or "").strip())
        except ValueError as e:
            errors[key] = str(e)
    if errors:
        raw = {key: request.form.get(key, "") for key in settings.DEFAULTS}
        return render("admin/settings.html", rows=_setting_rows(raw), form=form, errors=errors, status=422,
                      version=versions.settings_version())
    try:
        versions.check_settings(form, {k: v[1] for k, v in settings.DEFAULTS.items()}, settings.get)
    except DomainError as e:
        refuse(e)
    for key, value in values.items():
        if value != settings.get(key):
            settings.put(key, value)
    db.session.commit()
    flash("设置已保存。", "success")
    return done(url_for("admin.settings_index"))


@bp.get("/catalogue")
@roles_required("admin", "city")
def catalogue():
    rows = db.session.scalars(select(ServiceItem).order_by(ServiceItem.code)).all()
    return render("admin/catalogue.html", rows=rows, form=ServiceItemForm())


@bp.post("/catalogue")
@roles_required("city")
def create_service_item():
    """The city keeps the catalogue of purchasable services."""
    form = ServiceItemForm()
    if form.validate_on_submit():
        if db.session.scalar(select(ServiceItem.id).where(ServiceItem.code == form.code.data)):
            form.code.errors.append("该编号已存在")
        else:
            db.session.add(ServiceItem(code=form.code.data, category=form.category.data, name=form.name.data.strip(),
                                       default_standard=form.default_standard.data.strip()))
            db.session.commit()
            flash("已添加服务项目。", "success")
            return done(url_for("admin.catalogue"))
    rows = db.session.scalars(select(ServiceItem).order_by(ServiceItem.code)).all()
    return render("admin/catalogue.html", rows=rows, form=form, status=422)


@bp.get("/working-days")
@roles_required("admin")
def working_days():
    rows = db.session.scalars(select(WorkingDayOverride).order_by(WorkingDayOverride.day.desc())).all()
    return render("admin/working_days.html", rows=rows, form=WorkingDayForm())


@bp.post("/working-days")
@roles_required("admin")
def set_working_day():
    """The admin corrects the official calendar for one day (a new value replaces an old one)."""
    form = WorkingDayForm()
    if form.validate_on_submit():
        row = db.session.get(WorkingDayOverride, form.day.data) or WorkingDayOverride(day=form.day.data)
        row.is_working, row.note = form.is_working.data == "1", form.note.data or None
        db.session.add(row)
        db.session.commit()
        flash("已调整工作日历。", "success")
        return done(url_for("admin.working_days"))
    rows = db.session.scalars(select(WorkingDayOverride).order_by(WorkingDayOverride.day.desc())).all()
    return render("admin/working_days.html", rows=rows, form=form, status=422)


@bp.get("/case-codes")
@roles_required("admin")
def case_codes():
    return case_codes_page()
