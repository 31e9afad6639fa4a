"""Which events notify whom (issue 14), seen where every change passes: the session's flush.

New rows (an assignment, a group member, an alert) and status changes (an organisation approved or
returned, a purchase plan approved or returned, an assistance plan approved) each add notices for the
people concerned to the same transaction, so a rolled-back action notifies nobody. The texts carry no
personal data: the kind of event and a case or contract number at most; the link opens the place.
"""
from flask import current_app, has_request_context, url_for
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from models import Contractor, PurchasePlan, Qualification, User
from models.mediation import Assignment
from models.rehabilitation import Alert, AssistancePlan, GroupMember
from services.notifications import notify


def link(endpoint, **values):
    """A path for the notice, also outside a request (the CLI, the demo seed)."""
    if has_request_context():
        return url_for(endpoint, **values)
    with current_app.test_request_context():
        return url_for(endpoint, **values)


def _users(session, *where):
    return session.scalars(select(User).where(*where)).all()


def _id(obj, relation):
    """The id a new row points to, set as a column or (before the flush) through its relationship."""
    value = getattr(obj, f"{relation}_id")
    if value is None and getattr(obj, relation) is not None:
        value = getattr(obj, relation).id
    return value


def _changed_to(obj, attr):
    """(old, new) when `attr` changed in this flush, else None."""
    history = inspect(obj).attrs[attr].history
    if not history.has_changes() or not history.added:
        return None
    return (history.deleted[0] if history.deleted else None), history.added[0]


def _on_new(session, obj):
    if isinstance(obj, Assignment) and obj.ended_on is None:
        case, staff_id = obj.case, _id(obj, "staff_member")
        if case is None or case.id is None or staff_id is None:
            return  # (a case registered and taken in one go: the mediator took it themselves)
        users = [u for u in _users(session, User.staff_member_id == staff_id) if u.id != obj.assigned_by_id]
        if users:
                notify(users, "assignment", f"您被指派承办调解案件{case.number}",
                   link("mediation.show", case_id=case.id, _anchor="next-steps"))
    elif isinstance(obj, GroupMember) and _id(obj, "staff_member") is not None and obj.group is not None:
        subject = obj.group.subject
        if subject is None or subject.id is None:
            return
        notify(_users(session, User.staff_member_id == _id(obj, "staff_member")), "assignment",
               "您已加入一个帮教小组" + ("（组长）" if obj.is_leader else ""),
               link("rehabilitation.show", subject_id=subject.id, _anchor="group"))
    elif isinstance(obj, Alert):
        notify(_users(session, User.unit_id == obj.unit_id, User.role.in_(("city", "district"))), "alert",
               "有新的帮教预警，请及时处理", link("rehabilitation.alerts"))


def _on_change(session, obj):
    if isinstance(obj, Contractor):
        change = _changed_to(obj, "status")
        if not change:
            return
        admins = _users(session, User.contractor_id == obj.id, User.role == "contractor")
        if change[1] == "approved" and change[0] == "pending":
            notify(admins, "approval", "本机构的注册申请已审核通过", link("organisation.show"))
        elif change[1] == "rejected":
            notify(admins, "returned", "注册申请有条件未通过审核，请按审核意见修改后重新提交",
                   link("organisation.show", _anchor="org-status"))
    elif isinstance(obj, Qualification):
        change = _changed_to(obj, "verdict")
        org = obj.contractor
        if change and change[1] == "rejected" and org is not None and org.status in ("approved", "suspended"):
            notify(_users(session, User.contractor_id == org.id, User.role == "contractor"), "returned",
                   f"条件{obj.condition}的更新材料未通过复核，请按审核意见修改",
                   link("organisation.edit_condition", n=obj.condition))
    elif isinstance(obj, PurchasePlan):
        change = _changed_to(obj, "status")
        if change and change[0] == "finance_review" and change[1] in ("approved", "draft"):
            staff = _users(session, User.unit_id == obj.unit_id, User.role.in_(("city", "district")))
            if change[1] == "approved":
                notify(staff, "approval", f"{obj.year} 年度购买计划已通过财政审核", link("plans.show", plan_id=obj.id))
            else:
                notify(staff, "returned", f"{obj.year} 年度购买计划被财政部门退回，请查看退回理由",
                       link("plans.show", plan_id=obj.id))
    elif isinstance(obj, AssistancePlan):
        change = _changed_to(obj, "status")
        if change and change == ("draft", "approved") and obj.author_id:
            notify(_users(session, User.id == obj.author_id), "approval", f"第 {obj.version} 版帮教方案已审批通过",
                   link("rehabilitation.show", subject_id=obj.subject_id, _anchor="plans"))


@event.listens_for(Session, "before_flush")
def _notify_on_flush(session, flush_context, instances):
    with session.no_autoflush:
        for obj in list(session.new):
            _on_new(session, obj)
        for obj in list(session.dirty):
            if session.is_modified(obj, include_collections=False):
                _on_change(session, obj)
