"""Assistance items of the inbox: a worker's subjects; a unit's plans to approve, open alerts and work lists.

The work lists are services.rehabilitation_figures' own (work_list / work_list_count), the alerts and the
worker's subjects the home page's.
"""
from flask import url_for
from sqlalchemy import select

from models.base import one_of
from models.rehabilitation import ALERT_KINDS, STATUSES, Alert, AssistancePlan, Subject, listed_subjects
from services.inbox.base import CAP, LIMIT, Item, Rule, sql_rule
from services.rehabilitation_figures import OPEN_STATUSES, WORK_LISTS, work_list, work_list_count


def my_subjects(user):
    """The subjects whose assistance group the worker belongs to, still open."""
    return (select(Subject.id, Subject.name, Subject.status).where(listed_subjects(user), Subject.status != "ended")
            .order_by(Subject.id.desc()))


def plans_to_approve(user):
    """Draft plan versions of the unit's open subjects (the owner approves)."""
    return (select(Subject.id, Subject.name, AssistancePlan.version, AssistancePlan.starts_on)
            .join(AssistancePlan, AssistancePlan.subject_id == Subject.id)
            .where(Subject.unit_id == user.unit_id, Subject.status.in_(OPEN_STATUSES), one_of(AssistancePlan.status, "draft"))
            .order_by(AssistancePlan.id))


def open_alerts(user):
    """Alerts the unit has not acknowledged (they stay until it does)."""
    return select(Alert).where(Alert.unit_id == user.unit_id, Alert.status == "open").order_by(Alert.id.desc())


def _alert_rows(user):
    return (select(Alert.id, Alert.kind, Alert.raised_at, Subject.name).join(Subject, Subject.id == Alert.subject_id)
            .where(Alert.unit_id == user.unit_id, Alert.status == "open").order_by(Alert.id.desc()))


def _subject_item(row):
    return Item(row.name, url_for("rehabilitation.show", subject_id=row.id, _anchor="records"),
                note=STATUSES.get(row.status, row.status))


def _plan_item(row):
    return Item(row.name, url_for("rehabilitation.show", subject_id=row.id, _anchor="plans"),
                note=f"第 {row.version} 版方案待审批")


def _alert_item(row):
    return Item(row.name, url_for("rehabilitation.alerts", _anchor=f"alert-{row.id}"),
                note=f"{ALERT_KINDS.get(row.kind, row.kind)}（{row.raised_at:%Y-%m-%d} 发出）")


# where on the subject's page each list is acted on
FRAGMENTS = {"period_ending": "end-form", "reassess_due": "assessments", "downgrade": "downgrade-form",
             "report_overdue": "handover", "plan_review": "plans", "no_contact": "records"}


def _due(key, s):
    if key == "report_overdue":
        return s.report_deadline
    if key == "period_ending":
        return s.period_end
    if key == "plan_review" and s.plan_in_effect is not None:
        return s.plan_in_effect.review_on
    return None


def _work_rule(key, title):
    def items(user, limit=LIMIT):
        return [Item(s.name, url_for("rehabilitation.show", subject_id=s.id, _anchor=FRAGMENTS[key]), _due(key, s),
                     note) for s, note in work_list(user.unit_id, key, limit)]

    def count(user, cap=CAP):
        return work_list_count(user.unit_id, key, cap)

    return Rule(f"rehabilitation.{key}", title, ("city", "district"), items, count,
                lambda user: url_for("rehabilitation.worklist", list=key))


RULES = [
    sql_rule("rehabilitation.mine", "我帮教的对象", ("worker",), my_subjects, _subject_item,
             page=lambda user: url_for("rehabilitation.index")),
    sql_rule("rehabilitation.alerts", "待处理的帮教预警", ("city", "district"), _alert_rows, _alert_item,
             page=lambda user: url_for("rehabilitation.alerts")),
    sql_rule("rehabilitation.plans", "待审批的帮教方案", ("city", "district"), plans_to_approve, _plan_item,
             page=lambda user: url_for("rehabilitation.index")),
    *[_work_rule(k, t) for k, t in WORK_LISTS.items()],
]
