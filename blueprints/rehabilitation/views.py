"""Resettlement and assistance: subjects, handover, groups, plans, services, risk, alerts, documents.

Every subject route loads through the scope of models.rehabilitation (404 outside it), then checks
the action against the user's access level (403), then calls a model method.
"""
import csv
import io
from datetime import date, timedelta

from flask import Blueprint, Response, abort, flash, request, send_file, url_for
from flask_login import current_user, login_required
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

import docgen
from blueprints.rehabilitation import forms as F
from extensions import db
from models import RuleError, StaffMember, Unit
from models.base import starts_with
from models.contract import Contract
from models.rehabilitation import (CARD, CONTRACTOR_ADMIN, FULL, MEASURE_AREAS, NEED_AREAS, STATUSES, Alert, AssistanceGroup,
                                   AssistancePlan, Consent,
                                   PsychProfile, RiskAssessment, ServiceRecord, Subject, TransitionalBase,
                                   WarningReport, WorkItemSetAside, access_level, listed_subjects,
                                   openable_subjects, sees_restricted, sees_whole)
from models import clock
from services import audit, risk
from services.access import get_in_scope, roles_required
from services.contractors import optional_upload
from services.paging import COUNT_CAP, capped_count, keyset_page
from services.web import act, done, render, wants_fragment

bp = Blueprint("rehabilitation", __name__, url_prefix="/rehabilitation")

UNIT_STAFF = ("city", "district")
LISTERS = ("city", "district", "contractor", "worker")
PAGE_SIZE = 20


# ---- loading and checks


def _load(subject_id):
    """The subject if the user may open it at all, else 404."""
    subject = get_in_scope(select(Subject).where(Subject.id == subject_id, openable_subjects(current_user)))
    level = access_level(current_user, subject)
    if level is None:
        abort(404)
    return subject, level


def _require(ok):
    if not ok:
        abort(403)


def _act(subject, level, form_name, form, action, message=None, anchor="", record=None, state=None):
    """services.web.act on the subject's page: a 422 comes back there beside the field. `record`: the
    form edits that record and must be based on its current version (409 otherwise). `state`: the
    action's name for Subject.state_check, run before the form is read (409 in the wrong state)."""
    return act(form, action, lambda f: _show(subject, level, status=422, **{form_name: f}),
               url_for("rehabilitation.show", subject_id=subject.id) + anchor, message, record=record,
               state=state and (lambda: subject.state_check(state)))


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
    w.writerow([f"【含个人信息】{current_user.unit.name}安置帮教对象名单，仅限本单位工作使用，不得外传。导出人：{current_user.display_name}，"
                f"导出时间：{clock.now():%Y-%m-%d %H:%M}"])
    w.writerow(["编号", "姓名", "身份证号（部分隐藏）", "联系电话（部分隐藏）", "状态", "类别", "风险等级", "解除类型",
                "释放或解除日期", "司法所", "安置情况"])
    for s in rows:
        w.writerow([s.id, s.name, s.masked_id, s.masked_phone, s.status_label, s.category_label, s.risk_label,
                    s.exit_type_label, s.release_date.isoformat(), s.township, s.resettlement_label])
    audit.record(db.session, "export", record_type="subject", detail=f"{len(rows)} rows")
    db.session.commit()
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
        from services.identifiers import id_number_error, id_number_gender, normalize_id_number

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


# ---- the subject's page


class _LazyForm:
    """A form of the subject's page, built (and its choices read) only when the page shows it: a closed
    or anonymised file, or a reader with a narrower view, shows few of the fifteen."""

    def __init__(self, form, make, set_choices=None):
        self._given, self._make, self._set_choices, self._form = form, make, set_choices, None

    def _get(self):
        if self._form is None:
            form = self._given if self._given is not None else self._make()
            if self._set_choices is not None:
                self._set_choices(form)
            self._form = form
        return self._form

    def __getattr__(self, name):
        return getattr(self._get(), name)

    def __getitem__(self, key):
        return self._get()[key]

    def __iter__(self):
        return iter(self._get())

    def __contains__(self, key):
        return key in self._get()


def _show(subject, level, status=200, revealed=False, **forms):
    ctx = {"s": subject, "level": level, "revealed": revealed,
           "may_reveal": sees_whole(level) and subject.anonymised_at is None, "today": clock.today(), "FULL": FULL, "CARD": CARD,
           "CONTRACTOR_ADMIN": CONTRACTOR_ADMIN, "whole": sees_whole(level), "restricted": sees_restricted(level),
           "owner": current_user.is_unit_staff and current_user.unit_id == subject.unit_id,
           "need_areas": NEED_AREAS, "measure_areas": MEASURE_AREAS, "factors": risk.FACTORS}
    if level == CARD:
        return render("rehabilitation/card.html", status=status, **ctx)
    if ctx["owner"]:
        ctx["viewers"] = db.session.execute(
            select(audit.AuditLog.at, audit.AuditLog.username, audit.AuditLog.action)
            .where(audit.AuditLog.record_type == "subject", audit.AuditLog.record_id == subject.id,
                   audit.AuditLog.action.in_(("view", "reveal", "document", "download")))
            .order_by(audit.AuditLog.id.desc()).limit(50)).all()
    defaults = {
        "report_form": lambda: F.ReportForm(report_date=clock.today()),
        "situation_form": lambda: _situation_form(subject),
        "contract_form": lambda: F.ContractForm(),
        "cooperation_form": lambda: F.CooperationForm(),
        "group_form": lambda: F.GroupForm(),
        "plan_form": lambda: F.PlanForm(starts_on=clock.today(), ends_on=subject.period_end,
                                        review_on=min(subject.period_end, clock.today() + timedelta(days=90))),
        "record_form": lambda: F.RecordForm(on=clock.today()),
        "consent_form": lambda: F.ConsentForm(given_on=clock.today()),
        "profile_form": lambda: F.ProfileForm(on=clock.today()),
        "risk_form": lambda: F.RiskForm(assessed_on=clock.today()),
        "warning_form": lambda: F.WarningForm(reported_on=clock.today()),
        "lost_form": lambda: F.LostContactForm(),
        "end_form": lambda: F.EndForm(ended_on=clock.today()),
        "downgrade_form": lambda: F.DowngradeForm(),
        "button_form": lambda: F.EmptyForm(),
    }

    def contract_choices(form):
        form.contract_id.choices = F.choices(_contract_choices(subject.unit_id)[1:] or [("", "本单位暂无安置帮教合同")])

    def units():
        if "units" not in ctx:
            ctx["units"] = db.session.scalars(select(Unit).order_by(Unit.code)).all()
        return ctx["units"]

    def residence_choices(form):
        form.residence_unit_id.choices = F.choices(_unit_choices(subject.unit_id, units()))

    def transfer_choices(form):
        form.transfer_unit_id.choices = F.choices(_unit_choices(subject.unit_id, units()))

    def base_choices(form):
        bases = db.session.scalars(select(TransitionalBase).where(TransitionalBase.unit_id == subject.unit_id)).all()
        form.base_id.choices = F.choices([("", "不适用")] + [(b.id, b.name) for b in bases])

    def staff_choices(form):
        if level != CONTRACTOR_ADMIN:
            return
        staff = db.session.scalars(select(StaffMember).where(StaffMember.contractor_id == current_user.contractor_id,
                                                             StaffMember.active.is_(True))
                                   .order_by(StaffMember.id)).all()
        pairs = [(m.id, f"{m.name}（{m.profession_label}）") for m in staff]
        form.leader.choices = F.choices([("", "请选择")] + pairs)
        form.members.choices = F.choices(pairs)

    choices = {"contract_form": contract_choices, "cooperation_form": residence_choices, "end_form": transfer_choices,
               "record_form": base_choices, "group_form": staff_choices}
    for name, make in defaults.items():
        ctx[name] = _LazyForm(forms.get(name), make, choices.get(name))
    return render("rehabilitation/show.html", status=status, **ctx)


@bp.get("/<int:subject_id>")
@login_required
def show(subject_id):
    subject, level = _load(subject_id)
    audit.record(db.session, "view", record=subject, detail=level)
    db.session.commit()  # the view is logged (a short write) before the page is read and rendered
    # The commit expired what was loaded: read the subject again, with its contract and handover.
    subject = db.session.scalars(select(Subject).where(Subject.id == subject_id).options(*_PAGE_LOADS)).one()
    return _show(subject, level)


# Its one-to-one relations come in the same statement; the lists (mostly short or empty) load on use,
# which measured cheaper than a selectinload of each.
_PAGE_LOADS = (joinedload(Subject.contract).joinedload(Contract.contractor), joinedload(Subject.handover),
               joinedload(Subject.group).selectinload(AssistanceGroup.members))


@bp.post("/<int:subject_id>/reveal")
@login_required
def reveal(subject_id):
    """Show the whole ID number and phone: an explicit, logged action."""
    subject, level = _load(subject_id)
    _require(sees_whole(level))
    if not F.EmptyForm().validate_on_submit():
        abort(400)
    audit.record(db.session, "reveal", record=subject, fields=["id_number", "phone"])
    db.session.commit()
    if wants_fragment("identity"):
        return render("rehabilitation/_identity.html", s=subject, revealed=True)
    return _show(subject, level, revealed=True)  # without JavaScript: the whole page, numbers shown


def _situation_form(subject):
    form = F.SituationForm(obj=subject)
    form.phone.data = ""  # never prefilled: the number is shown only by a logged reveal
    return form


@bp.get("/<int:subject_id>/edit")
@login_required
def edit(subject_id):
    subject, level = _load(subject_id)
    _require(level == FULL and subject.unit_id == current_user.unit_id)
    audit.record(db.session, "view", record=subject, detail="edit")
    db.session.commit()
    return render("rehabilitation/edit.html", s=subject, form=F.BasicForm(obj=subject))


@bp.post("/<int:subject_id>/basic")
@login_required
def correct(subject_id):
    subject, level = _load(subject_id)
    _require(level == FULL and subject.unit_id == current_user.unit_id)
    form = F.BasicForm()

    def action():
        with db.session.no_autoflush:  # nothing is written until every rule has passed
            subject.correct(current_user, {k: (form[k].data or "").strip() for k in Subject.CORRECTABLE})

    return act(form, action, lambda f: render("rehabilitation/edit.html", s=subject, form=f, status=422),
               url_for("rehabilitation.show", subject_id=subject.id), "基本信息已更正。", record=subject,
               state=subject.require_open)


@bp.post("/<int:subject_id>/situation")
@login_required
def situation(subject_id):
    subject, level = _load(subject_id)
    _require(sees_whole(level))
    form = F.SituationForm()

    def action():
        fields = {k: form[k].data for k in ("resettlement", "no_home", "no_job", "no_relatives", "contact_ok")}
        fields["current_address"] = form.current_address.data or ""
        if (form.phone.data or "").strip():  # left blank: unchanged (the number is shown only by a logged reveal)
            fields["phone"] = form.phone.data.strip()
        if level == FULL:
            fields["key_flags"] = form.key_flags.data or []
            fields["key_reasons"] = form.key_reasons.data or ""
        subject.update_situation(current_user, fields)

    return _act(subject, level, "situation_form", form, action, "情况已更新。", record=subject, state="open")


@bp.post("/<int:subject_id>/report")
@login_required
def report(subject_id):
    subject, level = _load(subject_id)
    _require(level == FULL)
    form = F.ReportForm()
    return _act(subject, level, "report_form", form, lambda: subject.record_report(
        current_user, form.report_date.data, form.received_how.data, form.receiving_office.data, form.officer.data),
        "已登记报到。", state="report")


@bp.post("/<int:subject_id>/contract")
@login_required
def link_contract(subject_id):
    subject, level = _load(subject_id)
    _require(level == FULL)
    form = F.ContractForm()
    form.contract_id.choices = F.choices(_contract_choices(subject.unit_id))
    return _act(subject, level, "contract_form", form,
                lambda: subject.link_contract(current_user, form.contract_id.data), "服务合同已关联。", state="open")


@bp.post("/<int:subject_id>/cooperation")
@login_required
def cooperation(subject_id):
    subject, level = _load(subject_id)
    _require(level == FULL)
    form = F.CooperationForm()
    form.residence_unit_id.choices = F.choices(_unit_choices(subject.unit_id))
    return _act(subject, level, "cooperation_form", form,
                lambda: subject.grant_cooperation(current_user, form.residence_unit_id.data), "已授权居住地司法局协助。",
                state="open")


@bp.post("/<int:subject_id>/group")
@login_required
def form_group(subject_id):
    subject, level = _load(subject_id)
    _require(level == CONTRACTOR_ADMIN)
    form = F.GroupForm()
    staff_ids = [m.id for m in db.session.scalars(select(StaffMember).where(
        StaffMember.contractor_id == current_user.contractor_id))]
    form.leader.choices = F.choices([("", "请选择")] + [(i, str(i)) for i in staff_ids])
    form.members.choices = F.choices([(i, str(i)) for i in staff_ids])

    def action():
        others = []
        if (form.other_name.data or "").strip():
            others.append((form.other_side.data, form.other_name.data.strip(), form.other_role.data,
                           form.other_contact.data))
        subject.form_group(current_user, form.kind.data, form.leader.data, form.members.data or [], others)

    return _act(subject, level, "group_form", form, action, "帮教小组已组建。", "#group", state="open")


@bp.post("/<int:subject_id>/plans")
@login_required
def create_plan(subject_id):
    subject, level = _load(subject_id)
    _require(sees_whole(level))
    form = F.PlanForm()

    def action():
        fields = {"needs": {a: (form[f"need_{a}"].data or "").strip() for a in NEED_AREAS},
                  "measures": {a: (form[f"measure_{a}"].data or "").strip() for a in MEASURE_AREAS},
                  "goals": form.goals.data, "responsible": form.responsible.data,
                  "contact_frequency": form.contact_frequency.data, "starts_on": form.starts_on.data,
                  "ends_on": form.ends_on.data, "review_on": form.review_on.data, "consent": form.consent.data}
        fields["needs"] = {k: v for k, v in fields["needs"].items() if v}
        fields["measures"] = {k: v for k, v in fields["measures"].items() if v}
        db.session.add(AssistancePlan.draft(subject, current_user, fields))

    return _act(subject, level, "plan_form", form, action, "帮教方案已提交，待户籍地司法局审批。", "#plans",
                state="plan")


@bp.post("/<int:subject_id>/plans/<int:plan_id>/approve")
@login_required
def approve_plan(subject_id, plan_id):
    subject, level = _load(subject_id)
    plan = get_in_scope(select(AssistancePlan).where(AssistancePlan.id == plan_id, AssistancePlan.subject_id == subject.id))
    _require(level == FULL)
    return _act(subject, level, "approve_form", F.EmptyForm(), lambda: plan.approve(current_user),
                "帮教方案已审批，开始执行。", "#plans")


def _send_document(kind, obj, subject):
    data = docgen.render(kind, obj)
    audit.record(db.session, "document", record=subject, detail=kind)
    db.session.commit()
    return send_file(io.BytesIO(data), as_attachment=True, download_name=docgen.filename(kind, obj),
                     mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document")


@bp.get("/<int:subject_id>/plans/<int:plan_id>/document")
@login_required
def plan_document(subject_id, plan_id):
    subject, level = _load(subject_id)
    plan = get_in_scope(select(AssistancePlan).where(AssistancePlan.id == plan_id, AssistancePlan.subject_id == subject.id))
    _require(sees_whole(level))
    return _send_document("assistance_plan", plan, subject)


@bp.get("/<int:subject_id>/documents/<kind>")
@login_required
def document(subject_id, kind):
    subject, level = _load(subject_id)
    if kind not in ("handover_receipt", "record_card"):
        abort(404)
    _require(sees_whole(level))
    return _send_document(kind, subject, subject)


@bp.get("/<int:subject_id>/assessments/<int:assessment_id>/document")
@login_required
def assessment_document(subject_id, assessment_id):
    subject, level = _load(subject_id)
    assessment = get_in_scope(select(RiskAssessment).where(RiskAssessment.id == assessment_id,
                                                           RiskAssessment.subject_id == subject.id))
    _require(sees_restricted(level))
    return _send_document("risk_assessment", assessment, subject)


@bp.post("/<int:subject_id>/records")
@login_required
def create_record(subject_id):
    subject, level = _load(subject_id)
    _require(sees_whole(level))
    form = F.RecordForm()
    bases = db.session.scalars(select(TransitionalBase).where(TransitionalBase.unit_id == subject.unit_id)).all()
    form.base_id.choices = F.choices([("", "不适用")] + [(b.id, b.name) for b in bases])

    def action():
        fields = {k: form[k].data for k in ("kind", "on", "content", "outcome", "application_status", "result",
                                            "base_id", "shares_data", "late_reason")}
        fields["outcome"] = fields["outcome"] or ""
        attachment = optional_upload(form.attachment)
        record = ServiceRecord.add(subject, current_user, fields)
        record.attachment = attachment
        db.session.add(record)

    return _act(subject, level, "record_form", form, action, "服务记录已保存。", "#records", state="open")


@bp.get("/<int:subject_id>/records/<int:record_id>/attachment")
@login_required
def record_attachment(subject_id, record_id):
    subject, level = _load(subject_id)
    record = get_in_scope(select(ServiceRecord).where(ServiceRecord.id == record_id,
                                                      ServiceRecord.subject_id == subject.id,
                                                      ServiceRecord.attachment_id.is_not(None)))
    _require(sees_whole(level))
    att = record.attachment
    audit.record(db.session, "download", record=subject, detail=f"attachment {att.id}")
    db.session.commit()
    from services.attachments import send_stored

    return send_stored(att)


@bp.post("/<int:subject_id>/consents")
@login_required
def create_consent(subject_id):
    subject, level = _load(subject_id)
    _require(sees_whole(level))
    form = F.ConsentForm()

    def action():
        subject.require_open()
        if form.given_on.data > clock.today():
            raise RuleError("签署日期不能晚于今天", field="given_on")
        db.session.add(Consent(subject=subject, scope=form.scope.data, given_on=form.given_on.data,
                               note=form.note.data or "", recorded_by_id=current_user.id))

    return _act(subject, level, "consent_form", form, action, "同意书已登记。", "#consents")


@bp.post("/<int:subject_id>/profiles")
@login_required
def create_profile(subject_id):
    subject, level = _load(subject_id)
    _require(sees_restricted(level))
    form = F.ProfileForm()

    def action():
        subject.require_open()
        db.session.add(PsychProfile(subject=subject, on=form.on.data, content=form.content.data,
                                    author_id=current_user.id))

    return _act(subject, level, "profile_form", form, action, "心理档案已记录。", "#restricted")


@bp.post("/<int:subject_id>/assessments")
@login_required
def create_assessment(subject_id):
    subject, level = _load(subject_id)
    _require(sees_restricted(level))
    form = F.RiskForm()

    def action():
        answers = {f: form[f].data for f in risk.FACTORS}
        a = RiskAssessment.assess(subject, current_user, answers, form.assessed_on.data, form.event.data,
                                  form.note.data)
        db.session.add(a)
        flash(f"评估完成：{a.score} 分，{a.level_label}风险。" + ("已向户籍地司法局发出预警。" if a.level == "high" else ""),
              "success")

    return _act(subject, level, "risk_form", form, action, None, "#restricted")


@bp.post("/<int:subject_id>/warnings")
@login_required
def create_warning(subject_id):
    subject, level = _load(subject_id)
    _require(sees_whole(level))
    form = F.WarningForm()
    return _act(subject, level, "warning_form", form, lambda: db.session.add(WarningReport.report(
        subject, current_user, form.authority.data, form.reported_on.data, form.content.data, form.receipt.data)),
        "预警报告已记录，并已通知户籍地司法局。", "#warnings")


@bp.post("/<int:subject_id>/lost-contact")
@login_required
def lost_contact(subject_id):
    subject, level = _load(subject_id)
    _require(level == FULL)
    form = F.LostContactForm()
    return _act(subject, level, "lost_form", form, lambda: subject.set_lost_contact(current_user, form.steps.data),
                "已标记为脱管。", state="lost_contact")


@bp.post("/<int:subject_id>/end")
@login_required
def end(subject_id):
    subject, level = _load(subject_id)
    _require(level == FULL)
    form = F.EndForm()
    form.transfer_unit_id.choices = F.choices(_unit_choices(subject.unit_id))
    return _act(subject, level, "end_form", form, lambda: subject.end(
        current_user, form.reason.data, form.ended_on.data, form.transfer_unit_id.data), "帮教已解除，记录转为只读。",
        state="end")


@bp.post("/<int:subject_id>/downgrade")
@login_required
def downgrade(subject_id):
    subject, level = _load(subject_id)
    _require(level == FULL)
    form = F.DowngradeForm()
    return _act(subject, level, "downgrade_form", form, lambda: subject.downgrade(current_user, form.reason.data),
                "已调整为一般帮教对象。", state="downgrade")


@bp.post("/<int:subject_id>/anonymise")
@login_required
def anonymise(subject_id):
    subject, level = _load(subject_id)
    _require(level == FULL)
    return act(F.EmptyForm(), lambda: subject.anonymise(current_user), lambda f: _show(subject, level, status=422),
               url_for("rehabilitation.anonymisation"), "个人信息已匿名化。")


# ---- alerts, work lists, figures, bases (the unit's own)


def _unit_alert(alert_id):
    return get_in_scope(select(Alert).where(Alert.id == alert_id, Alert.unit_id == current_user.unit_id))


@bp.get("/alerts")
@roles_required(*UNIT_STAFF)
def alerts():
    rows = db.session.scalars(select(Alert).where(Alert.unit_id == current_user.unit_id)
                              .order_by((Alert.status == "open").desc(), Alert.id.desc()).limit(200)).all()
    return render("rehabilitation/alerts.html", rows=rows, form=F.AcknowledgeForm(), errors_for=None)


@bp.post("/alerts/<int:alert_id>/acknowledge")
@roles_required(*UNIT_STAFF)
def acknowledge(alert_id):
    alert = _unit_alert(alert_id)
    form = F.AcknowledgeForm()

    def again(f):
        rows = db.session.scalars(select(Alert).where(Alert.unit_id == current_user.unit_id)
                                  .order_by(Alert.id.desc()).limit(200)).all()
        return render("rehabilitation/alerts.html", rows=rows, form=f, errors_for=alert.id, status=422)

    return act(form, lambda: alert.acknowledge(current_user, form.action_taken.data), again,
               url_for("rehabilitation.alerts"), "预警已处理。", state=alert.state_check)



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

