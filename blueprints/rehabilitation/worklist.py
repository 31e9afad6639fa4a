"""The unit's own pages: work list, anonymisation due, figures, transitional bases."""
from datetime import date

from flask import flash, request, url_for
from flask_login import current_user
from sqlalchemy import select

from blueprints.rehabilitation import forms as F
from blueprints.rehabilitation.views import UNIT_STAFF, bp
from extensions import db
from models import clock
from models.rehabilitation import Subject, TransitionalBase, WorkItemSetAside
from services.access import get_in_scope, roles_required
from services.web import done, render


@bp.get("/worklist")
@roles_required(*UNIT_STAFF)
def worklist():
    """Every list's most urgent items with its (capped) total; `?list=<key>&page=n` pages through one list."""
    from services.rehabilitation_figures import WORK_LISTS, work_list_page

    only = request.args.get("list")
    only = only if only in WORK_LISTS else None
    page = request.args.get("page", 1, type=int)
    return render("rehabilitation/worklist.html", lists=work_list_page(current_user.unit_id, only, page), only=only,
                  form=F.SetAsideForm())


@bp.post("/worklist/set-aside")
@roles_required(*UNIT_STAFF)
def set_aside():
    from services.rehabilitation_figures import WORK_LISTS, work_list_page

    form = F.SetAsideForm()
    if form.validate_on_submit():
        subject = get_in_scope(select(Subject).where(Subject.id == form.subject_id.data,
                                                     Subject.unit_id == current_user.unit_id))
        if form.kind.data not in WORK_LISTS:
            form.kind.errors = list(form.kind.errors) + ["事项不在工作清单中"]
        else:
            db.session.add(WorkItemSetAside(subject_id=subject.id, kind=form.kind.data, reason=form.reason.data,
                                            at=clock.now(), user_id=current_user.id))
            db.session.commit()
            flash("已暂缓该事项。", "success")
            return done(url_for("rehabilitation.worklist"))
    return render("rehabilitation/worklist.html", lists=work_list_page(current_user.unit_id), only=None, form=form,
                  status=422)


@bp.get("/anonymisation")
@roles_required(*UNIT_STAFF)
def anonymisation():
    from services import settings

    years = settings.get("rehab.anonymise_years")
    ended = db.session.scalars(select(Subject).where(Subject.unit_id == current_user.unit_id,
                                                     Subject.status == "ended", Subject.anonymised_at.is_(None))
                               .order_by(Subject.ended_on)).all()
    due = [s for s in ended if s.anonymise_due_on <= clock.today()]
    return render("rehabilitation/anonymisation.html", rows=due, years=years, form=F.EmptyForm())


@bp.get("/figures")
@roles_required(*UNIT_STAFF)
def figures():
    from services.rehabilitation_figures import figures as compute

    today = clock.today()
    try:
        start = date.fromisoformat(request.args.get("start") or "")
        end_ = date.fromisoformat(request.args.get("end") or "")
    except ValueError:
        start, end_ = date(today.year, 1, 1), today
    return render("rehabilitation/figures.html", f=compute(current_user.unit_id, start, end_), start=start, end=end_)


@bp.get("/bases")
@roles_required(*UNIT_STAFF)
def bases():
    return _bases_page(F.BaseForm())


def _bases_page(form, status=200):
    rows = db.session.scalars(select(TransitionalBase).where(TransitionalBase.unit_id == current_user.unit_id)
                              .order_by(TransitionalBase.id)).all()
    return render("rehabilitation/bases.html", rows=rows, form=form, status=status)


@bp.post("/bases")
@roles_required(*UNIT_STAFF)
def create_base():
    form = F.BaseForm()
    if form.validate_on_submit():
        if (form.occupancy.data or 0) > form.capacity.data:
            form.occupancy.errors = list(form.occupancy.errors) + ["在住人数不能超过容量"]
        else:
            db.session.add(TransitionalBase(unit_id=current_user.unit_id, name=form.name.data, operator=form.operator.data,
                                            address=form.address.data or "", capacity=form.capacity.data,
                                            occupancy=form.occupancy.data or 0))
            db.session.commit()
            flash("过渡性安置基地已登记。", "success")
            return done(url_for("rehabilitation.bases"))
    return _bases_page(form, status=422)
