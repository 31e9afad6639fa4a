"""One subject's page: loading in scope, the page and its lazily built forms, and the owning unit's
actions on the record (basic data, situation, report, contract, cooperation, lost contact, end, downgrade,
anonymisation)."""
from datetime import timedelta

from flask import abort, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from blueprints.rehabilitation import forms as F
from blueprints.rehabilitation.views import bp, _contract_choices, _unit_choices
from extensions import db
from models import StaffMember, Unit, clock, risk
from models.contract import Contract
from models.rehabilitation import (CARD, CONTRACTOR_ADMIN, FULL, MEASURE_AREAS, NEED_AREAS, AssistanceGroup, Subject,
                                   TransitionalBase, access_level, openable_subjects, sees_restricted, sees_whole)
from services import audit
from services.access import get_in_scope
from services.web import act, flash_in_place, place_url, render, wants_fragment


# ---- loading and checks


def _load(subject_id, *options):
    """The subject if the user may open it at all, else 404."""
    subject = get_in_scope(select(Subject).where(Subject.id == subject_id, openable_subjects(current_user))
                           .options(*options))
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
    return act(form, action, lambda f: _show(subject, level, status=422, failed=form_name[:-5], **{form_name: f}),
               place_url("rehabilitation.show", anchor[1:], subject_id=subject.id), message,
               record=record,
               state=state and (lambda: subject.state_check(state)))

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


def _allowed(s, level, owner):
    """The forms of the page this user may open on this subject now (the routes check again on post)."""
    whole, restricted, open_ = sees_whole(level), sees_restricted(level), not s.is_locked
    if not open_:
        return set()
    names = set()
    if whole:
        names |= {"situation", "record", "consent", "warning"}
        if s.status != "pre_release" and not s.draft_plan:
            names.add("plan")
        if owner and s.handover and s.status == "pre_release":
            names.add("report")
    if restricted:
        names |= {"profile", "risk"}
    if level == CONTRACTOR_ADMIN:
        names.add("group")
    if owner:
        names |= {"contract", "cooperation", "lost", "end"} | ({"downgrade"} if s.flagged else set())
    return names


def _main_step(s, allowed):
    """The subject's next step: report in, form the group, make the plan, then the service records."""
    wanted = ["report"] + (["group"] if s.group is None else []) + (["plan"] if not s.plans else []) + ["record"]
    return next((n for n in wanted if n in allowed), None)


# The sections that show an action's result and its message (?done=<section>#<section> after it).
PLACES = ("group", "plans", "records", "consents", "warnings", "restricted")


def _context(subject, level, revealed=False, failed=None):
    owner = current_user.is_unit_staff and current_user.unit_id == subject.unit_id
    allowed = _allowed(subject, level, owner) if level != CARD else set()
    return {"s": subject, "level": level, "revealed": revealed, "allowed": allowed, "failed": failed,
            "flash_in_place": flash_in_place(PLACES) if failed is None else None,
            "main_step": _main_step(subject, allowed),
           "may_reveal": sees_whole(level) and subject.anonymised_at is None, "today": clock.today(), "FULL": FULL, "CARD": CARD,
           "CONTRACTOR_ADMIN": CONTRACTOR_ADMIN, "whole": sees_whole(level), "restricted": sees_restricted(level),
            "owner": owner, "need_areas": NEED_AREAS, "measure_areas": MEASURE_AREAS, "factors": risk.FACTORS}


def _show(subject, level, status=200, revealed=False, failed=None, **forms):
    ctx = _context(subject, level, revealed, failed)
    if level == CARD:
        return render("rehabilitation/card.html", status=status, **ctx)
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
    if forms.get("only"):  # one form on demand: its fragment (htmx) or a page of its own
        return render("rehabilitation/form.html", "rehabilitation/_form.html", f"step-{forms['only']}-body",
                      name=forms["only"], **ctx)
    return render("rehabilitation/show.html", status=status, **ctx)


@bp.get("/<int:subject_id>")
@login_required
def show(subject_id):
    subject, level = _load(subject_id, *_PAGE_LOADS)  # with its contract, handover and group
    audit.log_read("view", record=subject, detail=level)  # a short write of its own, before the page is read
    return _show(subject, level)


VIEWERS = 50  # the owner's access log shows the latest so many entries
VIEW_ACTIONS = {"view": "查看", "reveal": "显示完整号码", "document": "下载文书", "download": "下载附件"}


@bp.get("/<int:subject_id>/viewers")
@login_required
def viewers(subject_id):
    """The owner's access log of the subject: who viewed, revealed or downloaded it, the latest first. Loaded
    when its disclosure opens (or on a page of its own): the page itself does not read it (issue 16)."""
    subject, level = _load(subject_id)
    if level == CARD or not (current_user.is_unit_staff and current_user.unit_id == subject.unit_id):
        abort(404)
    rows = db.session.execute(
        select(audit.AuditLog.at, audit.AuditLog.username, audit.AuditLog.action)
        .where(audit.AuditLog.record_type == "subject", audit.AuditLog.record_id == subject.id,
               audit.AuditLog.action.in_(tuple(VIEW_ACTIONS)))
        .order_by(audit.AuditLog.id.desc()).limit(VIEWERS)).all()
    return render("rehabilitation/viewers.html", "rehabilitation/_viewers.html", "viewers-body", s=subject,
                  viewers=rows, labels=VIEW_ACTIONS)


@bp.get("/<int:subject_id>/forms/<name>")
@login_required
def subject_form(subject_id, name):
    """One form of the subject's page, loaded when its disclosure opens (or, without JavaScript, on a page
    of its own): only one the page would offer this user now (404 for another). Reading a form shows
    nothing of the subject beyond its page, which logs the view."""
    subject, level = _load(subject_id)
    ctx_allowed = _allowed(subject, level, current_user.is_unit_staff and current_user.unit_id == subject.unit_id)
    if level == CARD or name not in ctx_allowed:
        abort(404)
    return _show(subject, level, only=name)


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
    audit.log_read("view", record=subject, detail="edit")
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
