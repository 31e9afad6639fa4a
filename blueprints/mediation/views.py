"""People's mediation: intake, assignment, records, outcomes, follow-ups, the file and its documents.

Every case route loads through `_case()` (the scope of DESIGN.md §2: 404 outside it), checks the
action (403), validates the form (422 beside the field), calls the model's method and commits.
"""
import io
from datetime import date, timedelta
from functools import cache, partial

from flask import Blueprint, abort, flash, redirect, request, send_file, url_for
from flask_login import current_user
from sqlalchemy import exists, func, select
from sqlalchemy.orm import joinedload
from werkzeug.local import LocalProxy

import docgen
from blueprints.admin.forms import EmptyForm
from blueprints.mediation import forms as f
from blueprints.mediation import steps
from extensions import db, htmx
from models import Contract, DomainError, StaffMember, Unit
from models.base import starts_with
from models.mediation import (MediationCase, Party, code_table, intake, list_row_names, overdue_condition,
                              visible_cases)
from models.mediation_codes import SOURCES, STATUSES
from models import clock
from services import audit, settings
from services.access import get_in_scope, roles_required
from services.attachments import send_attachment_of
from services.contractors import optional_upload, read_evidence
from services.inbox import mediation as inbox_rules
from services.web import check_state, done, form_errors_into, invalid, render
from services.web import refuse as refuse_with

bp = Blueprint("mediation", __name__, url_prefix="/mediation")

CASE_ROLES = ("city", "district", "contractor", "worker")
ORG_ROLES = ("contractor", "worker")
PAGE_SIZE = 20
FOLLOW_UP_PAGE = 50
COMMON_PREFIX = 500  # parties whose names start so: beyond it the search walks the newest cases


def _case(case_id):
    return get_in_scope(visible_cases(current_user).where(MediationCase.id == case_id))


def _units():
    return db.session.scalars(select(Unit).order_by(Unit.code)).all()


def _org_contracts():
    return db.session.scalars(select(Contract).where(Contract.contractor_id == current_user.contractor_id,
                                                     Contract.category == "mediation")
                              .order_by(Contract.id.desc())).all()


# ---------------------------------------------------------------- lists


def _filtered(query, args):
    C = MediationCase
    if args.get("status") in STATUSES:
        query = query.where(C.status == args["status"])
    if args.get("category") in code_table("category"):
        query = query.where(C.category == args["category"])
    if args.get("source") in SOURCES:
        query = query.where(C.source == args["source"])
    if args.get("mediator", type=int):
        from models.mediation import Assignment

        query = query.where(exists().where(Assignment.case_id == C.id, Assignment.ended_on.is_(None),
                                           Assignment.staff_member_id == args.get("mediator", type=int)))
    if (args.get("township") or "").strip():
        query = query.where(C.township == args["township"].strip())
    for key, op in (("from", "__ge__"), ("to", "__le__")):
        try:
            day = date.fromisoformat(args.get(key) or "")
        except ValueError:
            continue
        query = query.where(getattr(C.received_on, op)(day))
    if args.get("overdue"):
        query = query.where(overdue_condition(clock.today()))
    q = (args.get("q") or "").strip()
    if q:
        # A case number exactly, or a party's name exactly or by its leading characters. A common prefix
        # (a surname, "包头" of the companies) is found at once by walking the newest cases; a rare one
        # from the name index (one IN over a union, which both databases drive from the two indexes).
        named = starts_with(Party.name, q)
        common = db.session.scalar(select(func.count()).select_from(
            select(Party.id).where(named).limit(COMMON_PREFIX).subquery())) >= COMMON_PREFIX
        if common:  # (no case number begins like 500 parties' names; without an OR both plan a semi-join)
            return query.where(exists().where(Party.case_id == C.id, named))
        query = query.where(C.id.in_(select(Party.case_id).where(named).union(select(C.id).where(C.number == q))))
    return query


def _narrow_past_range(args):
    """A received-date range that ends further back than it is long: fewer cases in it than after it."""
    try:
        start, end = date.fromisoformat(args.get("from") or ""), date.fromisoformat(args.get("to") or "")
    except ValueError:
        return False
    return (clock.today() - end) > (end - start)


@bp.get("/")
@roles_required(*CASE_ROLES)
def index():
    """Keyset pages of 50 by id (newest first): no count over the whole table on each keystroke."""
    C = MediationCase
    query = _filtered(visible_cases(current_user), request.args)
    before = request.args.get("before", type=int)
    if before:
        query = query.where(C.id < before)
    # The page's ids first (an index can answer that alone), then only those rows; the names beside
    # them (parties, mediators) for the whole page in two queries: a fixed number of statements.
    ids = query.with_only_columns(C.id)
    if _narrow_past_range(request.args):
        # The cases received in the range first (the received-date index answers that alone), then their
        # newest: walking the newest cases backwards, as a planner does for ORDER BY id, would pass every
        # case received since the range ended (PostgreSQL: 20 ms against 2 ms for a March, issue 16).
        in_range = ids.cte("in_range").prefix_with("MATERIALIZED")
        ids = select(in_range.c.id).order_by(in_range.c.id.desc())
    else:
        ids = ids.order_by(C.id.desc())
    ids = db.session.scalars(ids.limit(PAGE_SIZE + 1)).all()
    more = len(ids) > PAGE_SIZE
    rows = db.session.scalars(select(C).where(C.id.in_(ids[:PAGE_SIZE])).options(joinedload(C.area_unit))
                              .order_by(C.id.desc())).all()
    names = list_row_names([c.id for c in rows])
    args = request.args.to_dict()
    next_args = {**{k: v for k, v in args.items() if k != "before"}, "before": rows[-1].id} if more else None
    mediators = []
    if current_user.role == "contractor":
        mediators = [m for m in current_user.contractor.staff if m.cert_number]
    return render("mediation/index.html", "mediation/_table.html", "case-table", rows=rows, names=names, args=args,
                  next_args=next_args, statuses=STATUSES, categories=code_table("category"), sources=SOURCES,
                  mediators=mediators, day=clock.today())


@bp.get("/follow-ups-due")
@roles_required(*CASE_ROLES)
def follow_ups_due():
    """Agreements of cases not yet archived whose follow-up (DOMAIN.md §8) has not been recorded, the
    earliest due first, FOLLOW_UP_PAGE a page: read as plain columns and sorted by the database."""
    query = inbox_rules.follow_ups_due(current_user)
    page = max(1, request.args.get("page", 1, type=int))
    found = db.session.execute(query.limit(FOLLOW_UP_PAGE + 1)
                               .offset((page - 1) * FOLLOW_UP_PAGE)).all()
    days = timedelta(days=settings.get("mediation.follow_up_days"))
    rows = [{"id": r[0], "number": r[1], "effective_on": r[2], "performance_due": r[3], "due": r[4] + days}
            for r in found[:FOLLOW_UP_PAGE]]
    return render("mediation/follow_ups_due.html", rows=rows, day=clock.today(), page_no=page,
                  more=len(found) > FOLLOW_UP_PAGE)


# ---------------------------------------------------------------- intake


def _intake_form(form=None):
    form = form or f.IntakeForm()
    from blueprints.forms import choices

    form.area_unit_id.choices = choices([("", "请选择")] + [(u.id, u.area_name) for u in _units()])
    form.category.choices = choices([("", "请选择")] + list(code_table("category").items()))
    form.contract_id.choices = choices([(0, "（无合同）")] + [(c.id, f"{c.number} {c.title}"[:80])
                                                            for c in _org_contracts()])
    if request.method == "GET":
        for i, entry in enumerate(form.parties):
            entry.form.side.data = "applicant" if i < 2 else "respondent"
    return form


@bp.get("/new")
@roles_required(*ORG_ROLES)
def new():
    form = f.IntakeForm()
    while len(form.parties) < min(request.args.get("parties", 4, type=int), 20):
        form.parties.append_entry()
    form = _intake_form(form)
    form.received_on.data = clock.today()
    return _intake_page(form)


def _intake_page(form, status=200, added=False):
    """The intake form; `blank_party` is the row a browser clones (static/js/rows.js) to add a party."""
    blank = f.PartyForm(prefix="parties-__index__-")
    blank.side.data = "respondent"
    return render("mediation/new.html", form=form, blank_party=blank, max_parties=form.parties.max_entries,
                  added=added, status=status)


def _add_party_row(form):
    """Without JavaScript "添加当事人" posts the form: the same page comes back, all kept, one row more."""
    if len(form.parties) >= form.parties.max_entries:
        form.form_errors.append(f"每个案件最多填写 {form.parties.max_entries} 名当事人")
        return _intake_page(form, status=422)
    form.parties.append_entry()
    form.parties[-1].form.side.data = "respondent"
    return _intake_page(form, added=True)


def _party_id_errors(form):
    from models.identifiers import id_number_error, uscc_error

    ok = True
    for entry in form.parties:
        p = entry.form
        value = (p.id_number.data or "").strip()
        if not value or not (p.name.data or "").strip():
            continue
        error = id_number_error(value) if p.kind.data == "person" else uscc_error(value)
        if error:
            p.id_number.errors = list(p.id_number.errors) + [error]
            ok = False
    return ok


@bp.post("/")
@roles_required(*ORG_ROLES)
def create():
    form = _intake_form()
    if request.form.get("add_party"):
        return _add_party_row(form)
    if form.validate_on_submit() and _party_id_errors(form):
        contract = None
        if form.contract_id.data:
            contract = db.session.get(Contract, form.contract_id.data)
            if contract is None:
                abort(404)
        fields = {"source": form.source.data, "source_body": form.source_body.data or None,
                  "source_ref": form.source_ref.data or None, "category": form.category.data,
                  "area_unit_id": form.area_unit_id.data, "township": (form.township.data or "").strip(),
                  "amount": form.amount.data, "received_on": form.received_on.data, "facts": form.facts.data,
                  "requests": form.requests.data or ""}
        parties = form.party_rows()
        try:
            case = intake(current_user, fields, parties, contract)
        except DomainError as e:
            db.session.rollback()
            if e.status != 422:
                refuse_with(e)
            if e.field == "parties":
                form.form_errors.append(e.message)
            else:
                form_errors_into(form, e)
        else:
            flash(f"案件已登记，编号{case.number}。", "success")
            return done(url_for("mediation.show", case_id=case.id))
    return _intake_page(form, status=422)


# ---------------------------------------------------------------- the case page


def _show(case, status=200, failed=None, place=None, notice=None, **forms):
    """The case page (or its #case fragment for htmx): its next steps for this user, the main step's form
    open; the other steps' forms load on demand (action_form), except one that came back with errors
    (`failed`, its form in `forms`). After a success the changed section `place` shows `notice`."""
    context = {name: forms.get(f"{name}_form") or LocalProxy(cache(partial(steps.blank_form, case, name)))
               for name in steps.ACTIONS}
    return render("mediation/show.html", "mediation/_case.html", "case", status=status, case=case,
                  steps=steps.next_steps(case, current_user), forms=context, failed=failed, place=place,
                  notice=notice, day=clock.today(), checklist=case.checklist())


@bp.get("/<int:case_id>")
@roles_required(*CASE_ROLES)
def show(case_id):
    return _show(_case(case_id))


@bp.get("/<int:case_id>/actions/<name>")
@roles_required(*CASE_ROLES)
def action_form(case_id, name):
    """One next step's form, loaded when its disclosure opens (htmx), or as a page of its own without
    JavaScript: 403 for a user who may not take the step, 409 when the case's state does not offer it."""
    case = _case(case_id)
    action = steps.ACTIONS.get(name) or abort(404)
    if not (case.is_org_admin(current_user) if name == "assign" else case.may_work(current_user)):
        abort(403)
    check_state(lambda: case.state_check(name))
    return render("mediation/action.html", "mediation/_action_form.html", f"step-{name}-body", case=case,
                  action=action, form=steps.blank_form(case, name), plain=not htmx)


def _act(case, form_name, form, action, message, may=None, state=None):
    """load → 404 (done by the caller) → 403 → 409 (the case's state does not offer `state`, an action
    name of MediationCase.state_check) → validate → act → commit → respond."""
    if not (may(current_user) if may else case.may_work(current_user)):
        abort(403)
    check_state(state and (lambda: case.state_check(state)))
    if form.validate_on_submit():
        try:
            action()
        except DomainError as e:
            db.session.rollback()
            if e.status != 422:
                refuse_with(e)
            form_errors_into(form, e)
        else:
            db.session.commit()
            action = steps.ACTIONS[state]
            if htmx and not htmx.boosted:  # the page again, in place: the changed section shows the message
                return _show(case, place=action.place, notice=message)
            flash(message, "success")
            return redirect(url_for("mediation.show", case_id=case.id, _anchor=action.place), code=303)
    return invalid(form, lambda f: _show(case, status=422, failed=state, **{form_name: f}))


@bp.post("/<int:case_id>/assign")
@roles_required(*CASE_ROLES)
def assign(case_id):
    case = _case(case_id)
    form = f.AssignForm()
    form.staff_ids.choices = steps.staff_choices(case)

    def action():
        staff = db.session.scalars(select(StaffMember).where(StaffMember.id.in_(form.staff_ids.data))).all()
        case.assign(current_user, staff)

    return _act(case, "assign_form", form, action, "已指派调解员。", may=case.is_org_admin, state="assign")


@bp.post("/<int:case_id>/take")
@roles_required("worker")
def take(case_id):
    """由我承办: the registering, certified mediator takes a case no mediator has."""
    case = _case(case_id)
    return _act(case, "take_form", EmptyForm(), lambda: case.take(current_user), "已由您承办本案。",
                may=case.may_take, state="assign")


@bp.post("/<int:case_id>/notice")
@roles_required(*CASE_ROLES)
def notice(case_id):
    case = _case(case_id)
    form = f.NoticeForm()
    return _act(case, "notice_form", form, lambda: case.give_notice(current_user, form.given_on.data),
                "已记录权利义务告知。", state="notice")


@bp.post("/<int:case_id>/records")
@roles_required(*CASE_ROLES)
def add_record(case_id):
    case = _case(case_id)
    form = f.RecordForm()

    def action():
        evidence = optional_upload(form.evidence)
        fields = {k: getattr(form, k).data or "" for k in ("place", "staff", "recorder", "persons", "helpers",
                                                          "content", "facts_verified", "risks_explained", "result")}
        case.add_record(current_user, form.kind.data, {**fields, "held_at": form.held_at.data}, evidence,
                        late_reason=form.late_reason.data)

    return _act(case, "record_form", form, action, "记录已保存。", state="record")


@bp.post("/<int:case_id>/refuse")
@roles_required(*CASE_ROLES)
def refuse(case_id):
    case = _case(case_id)
    form = f.ReasonForm(prefix="refuse")
    return _act(case, "refuse_form", form, lambda: case.refuse(current_user, form.note.data, late_reason=form.late_reason.data),
                "当事人拒绝调解，案件已终止。", state="refuse")


@bp.post("/<int:case_id>/withdraw")
@roles_required(*CASE_ROLES)
def withdraw(case_id):
    case = _case(case_id)
    form = f.ReasonForm(prefix="withdraw")
    return _act(case, "withdraw_form", form, lambda: case.withdraw(current_user, form.note.data, late_reason=form.late_reason.data),
                "案件已撤回。", state="withdraw")


@bp.post("/<int:case_id>/succeed")
@roles_required(*CASE_ROLES)
def succeed(case_id):
    case = _case(case_id)
    form = f.SucceedForm()

    def action():
        fields = {k: getattr(form, k).data for k in ("matters", "terms", "effective_on", "performance_due")}
        fields.update(responsibility=form.responsibility.data or "", performance=form.performance.data or "")
        case.succeed(current_user, form.agreement_kind.data, fields, late_reason=form.late_reason.data)

    return _act(case, "succeed_form", form, action, "调解成功，协议已记录。", state="succeed")


@bp.post("/<int:case_id>/fail")
@roles_required(*CASE_ROLES)
def fail(case_id):
    case = _case(case_id)
    form = steps.fail_form(f.FailForm())
    return _act(case, "fail_form", form,
                lambda: case.fail(current_user, form.fail_reason.data, form.routes.data, form.note.data,
                                  form.concluded_on.data, late_reason=form.late_reason.data), "已记录调解不成。",
                state="fail")


@bp.post("/<int:case_id>/extend")
@roles_required(*CASE_ROLES)
def extend(case_id):
    case = _case(case_id)
    form = f.ExtendForm()
    return _act(case, "extend_form", form, lambda: case.extend(current_user, form.until.data, form.consent.data),
                "调解期限已延长。", state="extend")


@bp.post("/<int:case_id>/police")
@roles_required(*CASE_ROLES)
def police(case_id):
    case = _case(case_id)
    form = f.PoliceForm()
    return _act(case, "police_form", form,
                lambda: case.report_to_police(current_user, {"reported_to": form.reported_to.data,
                                                             "reported_at": form.reported_at.data,
                                                             "content": form.report_content.data}),
                "已记录向公安机关报告的情况。", state="police")


@bp.post("/<int:case_id>/follow-ups")
@roles_required(*CASE_ROLES)
def follow_up(case_id):
    case = _case(case_id)
    form = f.FollowUpForm()

    def action():
        fields = {k: getattr(form, k).data for k in ("visited_on", "way", "visited_person")}
        fields.update(visitor=form.visitor.data or "", notes=form.notes.data or "", performance=form.performed.data)
        case.add_follow_up(current_user, fields, late_reason=form.late_reason.data)

    return _act(case, "follow_up_form", form, action, "回访已记录。", state="follow_up")


@bp.post("/<int:case_id>/confirmation")
@roles_required(*CASE_ROLES)
def confirmation(case_id):
    case = _case(case_id)
    form = f.ConfirmationForm()
    return _act(case, "confirmation_form", form,
                lambda: case.record_confirmation(current_user, {
                    "applied_on": form.applied_on.data, "court": form.court.data,
                    "court_number": form.court_number.data or "", "result": form.decision.data,
                    "decided_on": form.decided_on.data}), "司法确认情况已记录。", state="confirmation")


@bp.post("/<int:case_id>/file")
@roles_required(*CASE_ROLES)
def file_item(case_id):
    case = _case(case_id)
    form = f.FileItemForm()

    def action():
        scan = read_evidence(form.scan, required=False)
        if form.scan.errors:
            from models import RuleError

            raise RuleError(form.scan.errors.pop(), field="scan")
        case.add_file_item(current_user, form.part.data, scan, form.signed_on.data, form.remark.data)

    return _act(case, "file_form", form, action, "卷宗材料已登记。", state="file")


@bp.post("/<int:case_id>/archive")
@roles_required(*CASE_ROLES)
def archive(case_id):
    case = _case(case_id)
    form = f.ArchiveForm()
    return _act(case, "archive_form", form, lambda: case.archive(current_user, form.retention.data), "案件已归档。",
                state="archive")


# ---------------------------------------------------------------- documents and attachments


def _document_target(case, kind):
    """The object a document is made from: the case, or one of its records or follow-ups (?item=)."""
    item = request.args.get("item", type=int)
    if kind in ("investigation", "session"):
        record = next((r for r in case.records if r.id == item and r.kind == kind), None)
        return record or abort(404)
    if kind == "follow_up":
        return next((x for x in case.follow_ups if x.id == item), None) or abort(404)
    if kind == "agreement":
        if not case.agreement or case.agreement.kind != "written":
            abort(404)
    if kind == "oral_agreement":
        if not case.agreement or case.agreement.kind != "oral":
            abort(404)
    if kind == "notice" and case.notice_given_on is None:
        abort(404)
    return case


DOCUMENT_KINDS = ("application", "intake", "notice", "investigation", "session", "agreement", "oral_agreement",
                  "follow_up", "case_file")


@bp.get("/<int:case_id>/documents/<kind>")
@roles_required(*CASE_ROLES)
def document(case_id, kind):
    case = _case(case_id)
    if kind not in DOCUMENT_KINDS:
        abort(404)
    target = _document_target(case, kind)
    data = docgen.render(f"mediation_{kind}", target)
    audit.log_read("download", record=case, detail=kind)
    return send_file(io.BytesIO(data), as_attachment=True,
                     download_name=docgen.filename(f"mediation_{kind}", target),
                     mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document")


@bp.get("/<int:case_id>/attachments/<int:attachment_id>")
@roles_required(*CASE_ROLES)
def attachment(case_id, attachment_id):
    case = _case(case_id)
    own = [r.evidence_id for r in case.records if r.evidence_id] + [i.attachment_id for i in case.file_items
                                                                    if i.attachment_id]
    return send_attachment_of(own, attachment_id)


@bp.app_context_processor
def _home_figures():
    """For the home page: the overdue cases in the user's scope (computed only when the page asks)."""

    def overdue_cases(limit=20):
        return db.session.scalars(inbox_rules.overdue_cases(current_user).limit(limit)).all()

    return {"mediation_overdue_cases": overdue_cases}
