"""Mediation items of the inbox: my open cases, cases to assign, follow-ups due, a unit's overdue cases.

`follow_ups_due` and `overdue_cases` are the definitions the follow-ups page and the home card read too.
"""
from datetime import timedelta

from flask import url_for
from sqlalchemy import exists, func, or_, select

from models.mediation import (Agreement, Assignment, FollowUp, MediationCase, open_condition, overdue_condition,
                              status_condition, visible_cases)
from models.mediation_codes import STATUSES
from models import clock
from services import settings
from services.inbox.base import Item, sql_rule

C = MediationCase


def _current(case_id=C.id):
    return exists().where(Assignment.case_id == case_id, Assignment.ended_on.is_(None))


def my_cases(user):
    """Open cases the worker works: assigned to them, or registered by them and not yet assigned."""
    mine = C.registered_by_id == user.id
    if user.staff_member_id is not None:
        mine = or_(~_current() & mine, exists().where(Assignment.case_id == C.id, Assignment.ended_on.is_(None),
                                                      Assignment.staff_member_id == user.staff_member_id))
    else:
        mine = mine & ~_current()
    return (select(C.id, C.number, C.due_on, C.status)
            .where(C.contractor_id == user.contractor_id, open_condition(), mine).order_by(C.due_on, C.id))


def to_assign(user):
    """Open cases of the organisation that no mediator has (the admin assigns, or a mediator takes it)."""
    return (select(C.id, C.number, C.due_on, C.status)
            .where(C.contractor_id == user.contractor_id, open_condition(), ~_current()).order_by(C.due_on, C.id))


def follow_up_base():
    return func.coalesce(Agreement.performance_due, Agreement.effective_on)


def follow_ups_due(user):
    """Agreements of succeeded cases (not archived) in the user's scope with no follow-up yet, the earliest
    first: (id, number, effective_on, performance_due, base); due = base + the follow-up days."""
    base = follow_up_base()
    return (visible_cases(user).join(Agreement)
            .where(status_condition("succeeded"), ~exists().where(FollowUp.case_id == C.id))
            .with_only_columns(C.id, C.number, Agreement.effective_on, Agreement.performance_due, base)
            .order_by(base, C.id))


def overdue_cases(user):
    """Open cases past their time limit in the user's scope (the home card and the ?overdue list)."""
    return visible_cases(user).where(overdue_condition(clock.today())).order_by(C.due_on, C.id)


def _case_item(fragment):
    def to_item(row):
        return Item(row.number, url_for("mediation.show", case_id=row.id, _anchor=fragment), row.due_on,
                    STATUSES.get(row.status, row.status))
    return to_item


def _follow_up_item(row):
    days = timedelta(days=settings.get("mediation.follow_up_days"))
    return Item(row[1], url_for("mediation.show", case_id=row[0], _anchor="follow-ups"), row[4] + days,
                "协议履行期限届满后回访" if row[3] else "协议生效后回访")


def _overdue_item(row):
    return Item(row.number, url_for("mediation.show", case_id=row.id, _anchor="case-status"), row.due_on,
                STATUSES.get(row.status, row.status))


def _overdue_query(user):
    return overdue_cases(user).with_only_columns(C.id, C.number, C.due_on, C.status)


RULES = [
    sql_rule("mediation.mine", "我承办的调解案件", ("worker",), my_cases, _case_item("next-steps"),
             page=lambda user: url_for("mediation.index")),
    sql_rule("mediation.assign", "待指派调解员的案件", ("contractor",), to_assign, _case_item("case-mediators"),
             page=lambda user: url_for("mediation.index")),
    sql_rule("mediation.follow_up", "待回访的调解协议", ("contractor", "worker"), follow_ups_due, _follow_up_item,
             page=lambda user: url_for("mediation.follow_ups_due")),
    sql_rule("mediation.overdue", "超期未结的调解案件", ("city", "district"), _overdue_query, _overdue_item,
             page=lambda user: url_for("mediation.index", overdue=1)),
]
