"""The code in an organisation's case numbers (its {short}): set by its seat unit or the system
administrator, unique, and never one that another organisation's case numbers already carry."""
from sqlalchemy import select

from extensions import db
from models.base import NotAllowed, RuleError
from models.contractor import CASE_CODE, Contractor
from models.mediation.queries import code_used_by_others


def set_case_code(org, user, code):
    """Give the organisation `org` the code `code` (the caller commits)."""
    if not (user.role == "admin" or (user.is_unit_staff and user.unit_id == org.seat_unit_id)):
        raise NotAllowed("只有机构住所地的司法局或系统管理员可以设定案件编号代字")
    org.state_check("case_code")
    code = (code or "").strip()
    if not CASE_CODE.match(code):
        raise RuleError("编号代字须为 1 到 10 个汉字、字母或数字", field="case_code")
    if code == org.case_code:
        return
    if db.session.scalar(select(Contractor.id).where(Contractor.case_code == code, Contractor.id != org.id)):
        raise RuleError("该编号代字已被其他调解组织使用", field="case_code")
    if code_used_by_others(code, org.id):
        raise RuleError("已有其他调解组织的案件使用该编号代字编号，不能再用", field="case_code")
    org.case_code = code
