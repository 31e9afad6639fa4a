"""Organisation items of the inbox: registrations and renewed evidence to review, evidence expiring,
public feedback to answer (a unit); conditions returned or expiring (a contractor)."""
from datetime import timedelta

from flask import url_for
from sqlalchemy import select

from models import Contractor, Qualification
from models.feedback import Feedback
from models.workdays import add_working_days
from models import clock
from services import settings
from services.inbox.base import Item, list_rule, sql_rule

KEPT = ("approved", "suspended")


def registrations(user):
    """Applications (first or resubmitted) of organisations seated in the unit's area, oldest first."""
    return (select(Contractor).where(Contractor.seat_unit_id == user.unit_id, Contractor.status == "pending")
            .order_by(Contractor.id))


def rechecks(user):
    """Renewed evidence of approved (or suspended) organisations waiting for the seat unit's check."""
    return (select(Contractor).where(Contractor.seat_unit_id == user.unit_id, Contractor.status.in_(KEPT),
                                     Contractor.qualifications.any(Qualification.verdict == "pending"))
            .order_by(Contractor.id))


def expiring(user):
    """Organisations with accepted evidence expiring within the reminder days, or expired."""
    horizon = clock.today() + timedelta(days=settings.get("qualification.reminder_days"))
    return (select(Contractor).where(Contractor.seat_unit_id == user.unit_id, Contractor.status.in_(KEPT),
                                     Contractor.qualifications.any(Qualification.accepted_expires_on <= horizon))
            .order_by(Contractor.id))


def feedback_open(user):
    """Public feedback sent to the unit and not answered, the oldest first."""
    return select(Feedback).where(Feedback.unit_id == user.unit_id, Feedback.state == "open").order_by(Feedback.id)


def answer_due(received_at):
    """The day the unit should have answered by: a number of working days (setting) after receipt."""
    return add_working_days(received_at.date(), settings.get("feedback.answer_working_days"))


def _org_rows(query):
    return query.with_only_columns(Contractor.id, Contractor.name)


def _org_item(note):
    def to_item(row):
        return Item(row.name, url_for("contractors.show", contractor_id=row.id, _anchor="review"), note=note)
    return to_item


def _feedback_rows(user):
    return feedback_open(user).with_only_columns(Feedback.id, Feedback.number, Feedback.received_at)


def _feedback_item(row):
    return Item(row.number, url_for("feedback.show", feedback_id=row.id, _anchor="answer-form"),
                answer_due(row.received_at), "公众意见待答复", working_days=True)


def _own_conditions(user):
    """The contractor's own conditions to act on: rejected ones to fix, evidence expiring or expired."""
    org, today = user.contractor, clock.today()
    days = settings.get("qualification.reminder_days")
    out = []
    for q in org.qualifications:
        link = url_for("organisation.edit_condition", n=q.condition)
        if q.verdict == "rejected" and org.status == "rejected":
            out.append(Item(f"条件{q.condition}", link, note=f"被退回：{q.reason_label}"))
        elif q.accepted_expires_on and q.accepted_expires_on <= today + timedelta(days=days) and q.verdict != "pending":
            out.append(Item(f"条件{q.condition}", link, q.accepted_expires_on, "材料到期，请更新"))
    return out


RULES = [
    sql_rule("contractors.review", "待审核的注册申请", ("city", "district"), lambda u: _org_rows(registrations(u)),
             _org_item("注册申请待审核"), page=lambda user: url_for("contractors.index")),
    sql_rule("contractors.recheck", "待复核的更新材料", ("city", "district"), lambda u: _org_rows(rechecks(u)),
             _org_item("更新材料待复核")),
    sql_rule("contractors.expiring", "资格材料到期提醒", ("city", "district"), lambda u: _org_rows(expiring(u)),
             _org_item("材料即将到期或已过期")),
    sql_rule("feedback.open", "待答复的公众意见", ("city", "district"), _feedback_rows, _feedback_item,
             page=lambda user: url_for("feedback.index")),
    list_rule("organisation.conditions", "本机构待处理的资格条件", ("contractor",), _own_conditions,
              page=lambda user: url_for("organisation.show")),
]
