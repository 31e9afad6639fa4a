"""Resettlement and assistance: the blueprint, the subject list and its export, registration.

Every subject route loads through the scope of models.rehabilitation (404 outside it), then checks
the action against the user's access level (403), then calls a model method. The routes of one
subject's page are in subject.py, groups.py, plans.py, records.py, risk.py and documents.py; the
unit's work list, figures and bases in worklist.py (one blueprint, `rehabilitation.*` endpoints).
"""
import csv
import io
from datetime import date, timedelta

from flask import Blueprint, Response, request, url_for
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from blueprints.rehabilitation import forms as F
from extensions import db
from models import Unit, clock, risk
from models.base import starts_with
from models.contract import Contract
from models.rehabilitation import STATUSES, AssistancePlan, Subject, listed_subjects
from services import audit, cells
from services.access import roles_required
from services.paging import COUNT_CAP, capped_count, keyset_page
from services.web import act, render

bp = Blueprint("rehabilitation", __name__, url_prefix="/rehabilitation")

UNIT_STAFF = ("city", "district")
LISTERS = ("city", "district", "contractor", "worker")
PAGE_SIZE = 20


# ---- lists


def _filtered(query, args):
    today = clock.today()
    if args.get("status") in STATUSES:
        query = query.where(Subject.status == args["status"])
    if args.get("category") == "key":
        query = query.where(or_(Subject.risk_level == "high", Subject.flagged.is_(True)))
    if args.get("category") == "ordinary":
        query = query.where(Subject.risk_level.is_distinct_from("high"), Subject.flagged.is_(False))
    if args.get("risk") in risk.LEVELS:
        query = query.where(Subject.risk_level == args["risk"])
    if args.get("three_without"):
        query = query.where(Subject.no_home.is_(True), Subject.no_job.is_(True), Subject.no_relatives.is_(True))
    if args.get("lost_contact"):
        query = query.where(Subject.lost_contact.is_(True))
    if args.get("township"):
        query = query.where(Subject.township == args["township"].strip())
    for key, op in (("released_from", "ge"), ("released_to", "le")):
        try:
            day = date.fromisoformat(args.get(key) or "")
        except ValueError:
            continue
        query = query.where(Subject.release_date >= day if op == "ge" else Subject.release_date <= day)
    if args.get("overdue"):
        from services import settings

        limit = today - timedelta(days=settings.get("rehab.report_days"))
        query = query.where(Subject.status == "pre_release", Subject.release_date < limit,
                            Subject.exit_type == "prison")
    if args.get("review_due"):
        due = select(AssistancePlan.subject_id).where(AssistancePlan.status == "approved",
                                                      AssistancePlan.review_on <= today + timedelta(days=30))
        query = query.where(Subject.id.in_(due))
    q = (args.get("q") or "").strip()
    if q:
        if q.isdigit() or (q[:-1].isdigit() and q[-1:] in "xX"):
            tail = q.upper()
            if len(tail) == 4:
                query = query.where(Subject.id_last4 == tail)
            elif len(tail) == 6:
                query = query.where(Subject.id_tail == tail)
            else:
                query = query.where(Subject.id_tail.endswith(tail[-6:], autoescape=True))
        else:
            query = query.where(starts_with(Subject.name, q))
    return query


@bp.get("/")
@roles_required(*LISTERS)
def index():
    """Keyset pages by id, newest first, with a count that stops at COUNT_CAP (services.paging)."""
    query = _filtered(select(Subject).where(listed_subjects(current_user)), request.args)
    total = capped_count(query, Subject.id)
    rows, next_before = keyset_page(query.options(selectinload(Subject.handover)),  # the overdue badge: no N+1
                                    Subject.id, request.args.get("before", type=int), PAGE_SIZE)
    args = {k: v for k, v in request.args.items() if k != "before"}
    return render("rehabilitation/index.html", "rehabilitation/_table.html", "subject-table", rows=rows,
                  total=total, cap=COUNT_CAP, next_before=next_before, paged="before" in request.args,
                  args=args, statuses=STATUSES, levels=risk.LEVELS)


@bp.get("/export.csv")
@roles_required(*UNIT_STAFF)
def export():
    """The owning unit's subjects, ID numbers and phones masked, marked as personal data."""
    query = _filtered(select(Subject).where(Subject.unit_id == current_user.unit_id), request.args)
    rows = db.session.scalars(query.order_by(Subject.id)).all()
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(cells.csv_row([f"【含个人信息】{current_user.unit.name}安置帮教对象名单，仅限本单位工作使用，不得外传。导出人：{current_user.display_name}，"
                f"导出时间：{clock.now():%Y-%m-%d %H:%M}"]))
    w.writerow(cells.csv_row(["编号", "姓名", "身份证号（部分隐藏）", "联系电话（部分隐藏）", "状态", "类别", "风险等级",
                              "解除类型", "释放或解除日期", "司法所", "安置情况"]))
    for s in rows:  # every text through services.cells: a name typed as =1+1 stays text in a spreadsheet
        w.writerow(cells.csv_row([s.id, s.name, s.masked_id, s.masked_phone, s.status_label, s.category_label,
                                  s.risk_label, s.exit_type_label, s.release_date, s.township,
                                  s.resettlement_label]))
    audit.log_read("export", record_type="subject", detail=f"{len(rows)} rows")
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=subjects.csv"})


# ---- registration


def _contract_choices(unit_id):
    contracts = db.session.scalars(select(Contract).where(Contract.unit_id == unit_id, Contract.category == "assistance")
                                   .options(joinedload(Contract.contractor)).order_by(Contract.id.desc())).all()
    return [("", "暂无")] + [(c.id, f"{c.number} {c.contractor.name}") for c in contracts]


def _unit_choices(exclude=None, units=None):
    units = units if units is not None else db.session.scalars(select(Unit).order_by(Unit.code)).all()
    return [("", "请选择")] + [(u.id, u.name) for u in units if u.id != exclude]


def _subject_form(form=None):
    form = form or F.SubjectForm()
    form.contract_id.choices = F.choices(_contract_choices(current_user.unit_id))
    return form


@bp.get("/new")
@roles_required(*UNIT_STAFF)
def new():
    return render("rehabilitation/new.html", form=_subject_form())


@bp.post("/")
@roles_required(*UNIT_STAFF)
def create():
    form = _subject_form()

    def action():
        from models.identifiers import id_number_error, id_number_gender, normalize_id_number

        d = form.data
        number = normalize_id_number(d["id_number"])
        fields = {k: d[k] for k in ("name", "household_address", "current_address", "township", "phone",
                                    "contact_ok", "family_situation", "education", "skills", "offence", "offence_type",
                                    "sentence", "custody_place", "exit_type", "release_date", "key_flags",
                                    "key_reasons", "no_home", "no_job", "no_relatives", "resettlement",
                                    "contract_id")}
        fields["name"] = fields["name"].strip()
        fields["ethnicity"] = d["ethnicity"] or "汉族"
        fields["id_number"] = number
        if id_number_error(number, clock.today()) is None:
            fields["sex"] = id_number_gender(number)
            fields["birth_date"] = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        else:
            fields["sex"], fields["birth_date"] = "", None
        handover = {k: d[k] for k in ("notice_date", "institution", "conduct", "family", "needs", "sessions",
                                      "report_date")}
        for k in ("institution", "conduct", "family", "needs", "sessions"):
            handover[k] = handover[k] or ""
        subject = Subject.register(current_user, fields, handover)
        db.session.add(subject)
        db.session.flush()
        return subject

    return act(form, action, lambda f: render("rehabilitation/new.html", form=f, status=422),
               lambda subject: url_for("rehabilitation.show", subject_id=subject.id), "帮教对象已登记。")
