"""Quarter close for contracts of both services (DESIGN.md §3): closing, and the gate on later records."""
from datetime import date

from sqlalchemy import select

from extensions import db
from models.base import RuleError, TransitionError
from models import clock


def quarter_of(day):
    return day.year, (day.month - 1) // 3 + 1


def _last_day(year, month):
    from datetime import timedelta

    return date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)


def is_closed(contract_id, day):
    from models.mediation.work import QuarterClose

    if contract_id is None or day is None:
        return False
    year, quarter = quarter_of(day)
    return db.session.scalar(select(QuarterClose.id).where(QuarterClose.contract_id == contract_id,
                                                           QuarterClose.year == year,
                                                           QuarterClose.quarter == quarter)) is not None


def close(user, contract, year, quarter, note):
    """The unit closes a reviewed quarter of one of its contracts."""
    from models.mediation.work import QuarterClose
    from models.purchasing import _require_unit_staff

    _require_unit_staff(user, contract.unit_id)
    if quarter not in (1, 2, 3, 4) or not year:
        raise RuleError("请选择季度", field="quarter")
    end = _last_day(year, 3 * quarter)
    if end >= clock.today():
        raise RuleError("季度结束后才能关闭", field="quarter")
    if end < contract.period_start or date(year, 3 * quarter - 2, 1) > contract.period_end:
        raise RuleError("该季度不在合同服务期内", field="quarter")
    if is_closed(contract.id, end):
        raise TransitionError("该季度已关闭")
    row = QuarterClose(contract_id=contract.id, year=year, quarter=quarter, closed_on=clock.today(),
                       closed_by_id=user.id, review_note=note or "")
    db.session.add(row)
    return row


def gate(contract_id, day, reason, user, record_type):
    """A record dated in a closed quarter needs a reason; returns a callback that logs the late change."""
    if not is_closed(contract_id, day):
        return lambda record: None
    if not (reason or "").strip():
        year, quarter = quarter_of(day)
        raise RuleError(f"{year}年第{quarter}季度已由购买主体关闭，补录该季度的记录须说明理由", field="late_reason")

    def log(record):
        from models.integrity import LateChange

        db.session.flush()
        db.session.add(LateChange(contract_id=contract_id, record_type=record_type, record_id=record.id,
                                  record_date=day, reason=reason.strip(), user_id=user.id, at=clock.today()))

    return log
