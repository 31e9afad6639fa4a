"""Who sees what of a subject (DESIGN.md §2), in one place: access_level() for one record,
openable_subjects() / listed_subjects() for queries."""
from sqlalchemy import and_, false, or_, select

from models.rehabilitation.groups import AssistanceGroup, GroupMember
from models.rehabilitation.subject import Subject


FULL, GROUP, GROUP_RESTRICTED, CONTRACTOR_ADMIN, CARD = "full", "group", "group_restricted", "contractor", "card"


def _group_membership(user, subject):
    if user.role != "worker" or user.staff_member_id is None or subject.group is None:
        return None
    return next((m for m in subject.group.members if m.staff_member_id == user.staff_member_id), None)


def access_level(user, subject):
    """How much of the subject this user sees: FULL, GROUP_RESTRICTED, GROUP, CONTRACTOR_ADMIN, CARD, or None."""
    if not user.is_authenticated:
        return None
    if user.is_unit_staff and (user.unit_id == subject.unit_id
                               or (subject.cooperation and user.unit_id == subject.residence_unit_id)
                               or user.unit_id == subject.transferred_to_id):  # the receiving unit gets the file
        return FULL
    serving = subject.contract.contractor_id if subject.contract is not None else None
    if serving is None or user.contractor_id != serving:
        return None
    if user.role == "contractor":
        return CONTRACTOR_ADMIN
    if user.role == "worker":
        member = _group_membership(user, subject)
        if member is None:
            return CARD
        profession = member.staff_member.profession if member.staff_member else None
        return GROUP_RESTRICTED if (member.is_leader or profession == "counsellor") else GROUP
    return None


def sees_restricted(level):
    return level in (FULL, GROUP_RESTRICTED)


def sees_whole(level):
    return level in (FULL, GROUP, GROUP_RESTRICTED)


def openable_subjects(user):
    """A where-clause for the subjects this user may open at all (any level): everything else is 404."""
    from models.contract import Contract

    if not user.is_authenticated:
        return false()
    if user.is_unit_staff:
        return or_(Subject.unit_id == user.unit_id, Subject.transferred_to_id == user.unit_id,
                   and_(Subject.cooperation.is_(True), Subject.residence_unit_id == user.unit_id))
    if user.role in ("contractor", "worker") and user.contractor_id:
        return Subject.contract_id.in_(select(Contract.id).where(Contract.contractor_id == user.contractor_id))
    return false()


def listed_subjects(user):
    """A where-clause for lists: units and the contractor admin see theirs; a worker only their groups."""
    if user.is_authenticated and user.role == "worker":
        if user.staff_member_id is None:
            return false()
        mine = (select(AssistanceGroup.subject_id).join(GroupMember)
                .where(GroupMember.staff_member_id == user.staff_member_id))
        return and_(openable_subjects(user), Subject.id.in_(mine))
    return openable_subjects(user)
