"""The case page's next steps: which actions the case's state offers this user, which one comes next,
and the forms those actions take (built only when the page shows them).

The state rules are the model's own (`MediationCase.state_check`); this module only orders them for the
page. Dangerous actions (they end the case: refuse, withdraw, fail) sit apart and ask for confirmation.
"""
from dataclasses import dataclass

from blueprints.forms import choices
from blueprints.mediation import forms as f
from models import DomainError
from models.mediation import code_table
from models import clock
from services import settings


@dataclass(frozen=True)
class Action:
    name: str
    title: str
    endpoint: str
    button: str
    place: str  # the id of the section of the page that shows the action's result
    danger: bool = False
    multipart: bool = False


ACTIONS = {a.name: a for a in (
    Action("assign", "指派调解员", "mediation.assign", "保存指派", "case-summary"),
    Action("notice", "权利义务告知", "mediation.notice", "记录已告知", "case-summary"),
    Action("record", "添加调查或调解记录", "mediation.add_record", "保存记录", "records", multipart=True),
    Action("succeed", "调解成功：记录调解协议", "mediation.succeed", "记录调解协议", "agreement"),
    Action("follow_up", "回访", "mediation.follow_up", "保存回访", "follow-ups"),
    Action("confirmation", "司法确认", "mediation.confirmation", "保存司法确认情况", "confirmation"),
    Action("file", "卷宗材料登记（扫描件或签字原件）", "mediation.file_item", "登记材料", "checklist", multipart=True),
    Action("archive", "归档", "mediation.archive", "归档", "case-summary"),
    Action("extend", "延长调解期限", "mediation.extend", "延长期限", "case-summary"),
    Action("police", "向公安机关报告（可能激化的纠纷）", "mediation.police", "记录报告", "police-reports"),
    Action("fail", "调解不成", "mediation.fail", "终止调解", "case-summary", danger=True),
    Action("refuse", "当事人拒绝调解", "mediation.refuse", "终止（拒绝调解）", "case-summary", danger=True),
    Action("withdraw", "撤回", "mediation.withdraw", "记录撤回", "case-summary", danger=True),
)}


def _offers(case, name):
    try:
        case.state_check(name)
    except DomainError:
        return False
    return True


def offered(case, user):
    """The actions open to `user` on `case` now, in ACTIONS order (assignment is the admin's)."""
    may_work, is_admin = case.may_work(user), case.is_org_admin(user)
    return [a for a in ACTIONS.values() if (is_admin if a.name == "assign" else may_work) and _offers(case, a.name)]


def main_action(case, actions):
    """The one step that comes next for the case's state, or None."""
    names = {a.name for a in actions}
    if case.is_open:
        wanted = ["assign"] if not case.current_assignments else []
        wanted += ["notice"] if case.notice_given_on is None else []
        wanted += ["succeed", "record"] if case.status == "mediating" else ["record"]
    else:
        wanted = ["follow_up"] if case.outcome == "succeeded" and not case.follow_ups else []
        wanted += ["file"] if case.missing_parts() else ["archive"]
    return next((ACTIONS[n] for n in wanted if n in names), None)


@dataclass
class Steps:
    main: Action | None
    others: list
    dangerous: list

    @property
    def empty(self):
        return self.main is None and not self.others and not self.dangerous


def next_steps(case, user):
    actions = offered(case, user)
    main = main_action(case, actions)
    # (the notice once given is not asked for again: the model would take a correction, the page need not offer it)
    rest = [a for a in actions if a is not main and not (a.name == "notice" and case.notice_given_on)]
    return Steps(main, [a for a in rest if not a.danger], [a for a in rest if a.danger])


# ---- the forms


def staff_choices(case):
    today = clock.today()
    return choices([(m.id, m.name) for m in case.contractor.staff if m.may_mediate_on(today)])


def fail_form(form):
    form.fail_reason.choices = choices([("", "请选择")] + list(code_table("fail_reason").items()))
    return form


def assign_form(case):
    form = f.AssignForm(staff_ids=[m.id for m in case.mediators])
    form.staff_ids.choices = staff_choices(case)
    return form


def blank_form(case, name):
    """The empty form of action `name` as the page first shows it."""
    today = clock.today()
    return {
        "assign": lambda: assign_form(case),
        "notice": lambda: f.NoticeForm(given_on=today),
        "record": lambda: f.RecordForm(),
        "refuse": lambda: f.ReasonForm(prefix="refuse"),
        "withdraw": lambda: f.ReasonForm(prefix="withdraw"),
        "succeed": lambda: f.SucceedForm(effective_on=today),
        "fail": lambda: fail_form(f.FailForm(concluded_on=today)),
        "extend": lambda: f.ExtendForm(),
        "police": lambda: f.PoliceForm(),
        "follow_up": lambda: f.FollowUpForm(visited_on=today),
        "confirmation": lambda: f.ConfirmationForm(),
        "file": lambda: f.FileItemForm(),
        "archive": lambda: f.ArchiveForm(retention=settings.get("mediation.retention")),
    }[name]()
