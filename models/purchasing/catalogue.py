"""The catalogue of purchasable services, and the notices published on the way (plans, intentions,
procurement notices, awards, contracts)."""
from datetime import date

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from models import clock
from models.base import RuleError, TimestampMixin
from models.purchasing_codes import CATEGORIES


class ServiceItem(db.Model):
    """A purchasable service of the policy's catalogue (part 二(三))."""

    __tablename__ = "service_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    category: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(Text)
    default_standard: Mapped[str] = mapped_column(Text)
    daily_hours: Mapped[int] = mapped_column(default=8)
    shift_min_staff: Mapped[int] = mapped_column(default=2)
    active: Mapped[bool] = mapped_column(default=True)

    @property
    def category_label(self):
        return CATEGORIES[self.category]

    def __str__(self):
        return f"{self.code} {self.name}"


class Publication(TimestampMixin, db.Model):
    """Where an official notice appeared (the finance department's designated medium, DOMAIN.md §8)."""

    __tablename__ = "publication"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("purchase_plan.id"), index=True)
    procurement_id: Mapped[int | None] = mapped_column(ForeignKey("procurement.id"), index=True)
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contract.id"), index=True)
    medium: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    published_on: Mapped[date]

    @classmethod
    def check(cls, medium, published_on):
        if not (medium or "").strip():
            raise RuleError("请填写发布媒体", field="medium")
        if published_on is None:
            raise RuleError("请填写发布日期", field="published_on")
        if published_on > clock.today():
            raise RuleError("发布日期不能晚于今天", field="published_on")
