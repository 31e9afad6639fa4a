"""The contractor's own organisation: status and reasons, fixing and renewing evidence, staff."""
from flask import Blueprint, abort, flash, url_for
from flask_login import current_user
from sqlalchemy import select

from blueprints.admin.forms import EmptyForm
from blueprints.organisation.forms import StaffForm, WorkerLoginForm
from blueprints.registration.forms import ConditionForm
from extensions import db
from blueprints.forms import choices
from models import Attachment, DomainError, StaffMember, User
from models.contractor import MAX_EVIDENCE_FILES
from models.codes import CONDITIONS
from models import clock
from services import settings, versions
from services.access import get_in_scope, roles_required
from services.attachments import send_attachment
from services.contractors import read_evidence_files
from models.identifiers import id_number_error, normalize_id_number
from services.uploads import ACCEPT_ATTR
from services.web import check_state, done, form_errors_into, invalid, refuse, render

bp = Blueprint("organisation", __name__, url_prefix="/organisation")


def _org():
    return current_user.contractor


@bp.get("/")
@roles_required("contractor")
def show():
    return render("organisation/show.html", org=_org(), form=EmptyForm(),
                  reminder_days=settings.get("qualification.reminder_days"))


def _condition_or_404(n):
    if n not in CONDITIONS:
        abort(404)
    return _org().qualification(n)


def _condition_form(q, **data):
    form = ConditionForm(**data)
    form.remove.choices = choices((a.id, a.filename) for a in q.files)
    return form


def _condition_page(q, form, status=200):
    return render("organisation/condition.html", q=q, form=form, accept=ACCEPT_ATTR, max_files=MAX_EVIDENCE_FILES,
                  status=status)


@bp.get("/conditions/<int:n>/edit")
@roles_required("contractor")
def edit_condition(n):
    q = _condition_or_404(n)
    form = _condition_form(q, statement=q.statement, expires_on=q.expires_on, record_version=q.row_version)
    return _condition_page(q, form)


@bp.post("/conditions/<int:n>")
@roles_required("contractor")
def update_condition(n):
    """Remove any of the condition's files (the ticked ones), add new ones: add or replace, file by file."""
    q = _condition_or_404(n)
    form = _condition_form(q)
    check_state(lambda: (_org().state_check("revise"), _org().state_check("revise_open")))
    if form.validate_on_submit():
        new = read_evidence_files(form.evidence, required=False)
        if not form.evidence.errors:
            kept = [a for a in q.files if a.id not in set(form.remove.data or [])]
            files = kept + [Attachment.from_upload(u.filename, u.content_type, u.data, current_user) for u in new]
            try:
                versions.check(form, q)
                _org().revise_condition(n, current_user, form.statement.data,
                                        files if [a.id for a in files] != [a.id for a in q.files] else None,
                                        form.expires_on.data)
            except DomainError as e:
                db.session.rollback()
                if e.status == 409:
                    refuse(e)
                form_errors_into(form, e)
            else:
                db.session.commit()
                flash(f"条件{n}的材料已更新，将由住所地司法局审核。", "success")
                return done(url_for("organisation.show"))
    return invalid(form, lambda f: _condition_page(q, f, status=422))


@bp.post("/resubmit")
@roles_required("contractor")
def resubmit():
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        _org().resubmit(current_user)
    except DomainError as e:
        db.session.rollback()
        flash(e.message, "error")
        return render("organisation/show.html", org=_org(), form=EmptyForm(),
                      reminder_days=settings.get("qualification.reminder_days"), status=e.status)
    db.session.commit()
    flash("已重新提交，等待审核。", "success")
    return done(url_for("organisation.show"))


@bp.get("/evidence/<int:attachment_id>")
@roles_required("contractor")
def evidence(attachment_id):
    return send_attachment(_org(), attachment_id)


# ---- staff


def _staff_page(form, status=200):
    rows = db.session.scalars(select(StaffMember).where(StaffMember.contractor_id == _org().id)
                              .order_by(StaffMember.id)).all()
    return render("organisation/staff.html", "organisation/_staff_form.html", "staff-form",
                  rows=rows, form=form, day=clock.today(), status=status)


@bp.get("/staff")
@roles_required("contractor")
def staff():
    return _staff_page(StaffForm())


def _fill_staff(member, form):
    error = id_number_error(form.id_number.data, clock.today())
    if error:
        form.id_number.errors = list(form.id_number.errors) + [error]
        return False
    form.populate_obj(member)
    member.id_number = normalize_id_number(form.id_number.data)
    for attr in ("cert_number", "cert_issuer"):
        setattr(member, attr, (getattr(member, attr) or "").strip() or None)
    try:
        member.check()
    except DomainError as e:
        form_errors_into(form, e)
        return False
    return True


@bp.post("/staff")
@roles_required("contractor")
def create_staff():
    form = StaffForm()
    member = StaffMember(contractor_id=_org().id)
    if form.validate_on_submit() and _fill_staff(member, form):
        db.session.add(member)
        db.session.commit()
        flash(f"已添加工作人员 {member.name}。", "success")
        return done(url_for("organisation.staff"))
    return _staff_page(form, status=422)


def _member_or_404(staff_id):
    return get_in_scope(select(StaffMember).where(StaffMember.id == staff_id,
                                                  StaffMember.contractor_id == _org().id))


@bp.get("/staff/<int:staff_id>/edit")
@roles_required("contractor")
def edit_staff(staff_id):
    member = _member_or_404(staff_id)
    return render("organisation/staff_edit.html", member=member, form=StaffForm(obj=member),
                  login_form=WorkerLoginForm())


@bp.post("/staff/<int:staff_id>")
@roles_required("contractor")
def update_staff(staff_id):
    member = _member_or_404(staff_id)
    form = StaffForm()
    if form.validate_on_submit():
        try:
            versions.check(form, member)
        except DomainError as e:
            refuse(e)
        with db.session.no_autoflush:
            ok = _fill_staff(member, form)
        if ok:
            db.session.commit()
            flash("已保存。", "success")
            return done(url_for("organisation.staff"))
    db.session.rollback()
    return render("organisation/staff_edit.html", member=member, form=form, login_form=WorkerLoginForm(),
                  status=422)


@bp.post("/staff/<int:staff_id>/login")
@roles_required("contractor")
def create_worker_login(staff_id):
    member = _member_or_404(staff_id)
    form = WorkerLoginForm()
    if member.user is not None:
        abort(409)
    if form.validate_on_submit():
        if db.session.scalar(select(User.id).where(User.username == form.username.data.strip())):
            form.username.errors.append("该用户名已被使用")
        else:
            user = User(username=form.username.data.strip(), display_name=member.name[:100], role="worker",
                        contractor_id=_org().id, staff_member_id=member.id, must_change_password=True)
            user.set_password(form.password.data)
            db.session.add(user)
            db.session.commit()
            flash(f"已为 {member.name} 创建登录账号 {user.username}，首次登录须修改密码。", "success")
            return done(url_for("organisation.staff"))
    return render("organisation/staff_edit.html", member=member, form=StaffForm(obj=member), login_form=form,
                  status=422)
