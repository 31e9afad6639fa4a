"""Money (yuan to the fen, rounded half up) and who may act on a unit's purchasing."""
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Numeric

from models.base import NotAllowed


Money = Numeric(14, 2)
FEN = Decimal("0.01")


def money(value) -> Decimal:
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def _require_unit_staff(user, unit_id):
    if not (user.is_unit_staff and user.unit_id == unit_id):
        raise NotAllowed("只有本单位的工作人员可以进行此操作")


def _require_finance(user, unit_id):
    if not (user.role == "finance" and user.unit_id == unit_id):
        raise NotAllowed("只有本单位的财政部门可以审核")
