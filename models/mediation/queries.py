"""Queries over many cases: the one scope of who sees a case (DESIGN.md §2), the names a list shows,
numbers in use."""
from sqlalchemy import exists, false, or_, select, true

from extensions import db
from models.mediation.case import MediationCase
from models.mediation.parties import Assignment, Party
from models.setting import Setting


def code_used_by_others(code, contractor_id):
    """Whether a case of another organisation carries a number made with this code (any year)."""
    pattern = Setting.get("mediation.number_pattern").replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    like = pattern.format(year="%", short=code, seq="%")
    return db.session.scalar(select(MediationCase.id).where(
        MediationCase.contractor_id != contractor_id, MediationCase.number.like(like, escape="\\")).limit(1)) is not None


def unit_cases(unit_id):
    """The cases that are a unit's (of its area, or served by its contracts); None: every case of the city."""
    from models.contract import Contract

    if unit_id is None:
        return true()
    served = select(Contract.id).where(Contract.unit_id == unit_id)
    return or_(MediationCase.area_unit_id == unit_id, MediationCase.contract_id.in_(served))


def visible_cases(user):
    """The one scope of DESIGN.md §2: a select of the cases this user may see."""
    query = select(MediationCase)
    if user.role in ("city", "district"):
        return query.where(unit_cases(user.unit_id))
    if user.role == "contractor":
        return query.where(MediationCase.contractor_id == user.contractor_id)
    if user.role == "worker" and user.contractor_id is not None:
        mine = MediationCase.registered_by_id == user.id
        if user.staff_member_id is not None:
            mine = or_(mine, exists().where(Assignment.case_id == MediationCase.id, Assignment.ended_on.is_(None),
                                            Assignment.staff_member_id == user.staff_member_id))
        return query.where(MediationCase.contractor_id == user.contractor_id, mine)
    return query.where(false())


def list_row_names(case_ids):
    """The names a case list shows beside each case, for a whole page in two small queries:
    {case_id: {"applicant": [...], "respondent": [...], "mediators": [...]}} in entry order. Lists read
    plain columns instead of loading every party and mediator as an object (issue 8)."""
    from models.contractor import StaffMember

    out = {cid: {"applicant": [], "respondent": [], "mediators": []} for cid in case_ids}
    if not out:
        return out
    for cid, side, name in db.session.execute(
            select(Party.case_id, Party.side, Party.name).where(Party.case_id.in_(out)).order_by(Party.id)):
        out[cid][side].append(name)
    for cid, name in db.session.execute(
            select(Assignment.case_id, StaffMember.name).join(StaffMember, Assignment.staff_member_id == StaffMember.id)
            .where(Assignment.case_id.in_(out), Assignment.ended_on.is_(None)).order_by(Assignment.id)):
        out[cid]["mediators"].append(name)
    return out
