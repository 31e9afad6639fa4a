"""The annual purchase plan and its items."""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Column, ForeignKey, Numeric, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models import clock
from models.base import RuleError, TimestampMixin, TransitionError, VersionedMixin
from models.purchasing.catalogue import Publication
from models.purchasing.money import Money, _require_finance, _require_unit_staff, money
from models.purchasing_codes import PLAN_STATUSES


plan_attachment = Table(
    "plan_attachment", db.metadata,
    Column("plan_id", ForeignKey("purchase_plan.id", ondelete="CASCADE"), primary_key=True),
    Column("attachment_id", ForeignKey("attachment.id"), primary_key=True),
)


class PurchasePlan(TimestampMixin, VersionedMixin, db.Model):
    __tablename__ = "purchase_plan"
    __table_args__ = (UniqueConstraint("unit_id", "year", name="uq_purchase_plan_unit_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    year: Mapped[int]
    budget_amount: Mapped[Decimal] = mapped_column(Money)
    last_year_cases: Mapped[int | None]
    last_year_subjects: Mapped[int | None]
    needs_assessment: Mapped[str] = mapped_column(Text, default="")
    department_budget: Mapped[Decimal | None] = mapped_column(Money)  # the unit's whole budget, for the share
    affordability_notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    return_reason: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime | None]
    reviewed_at: Mapped[datetime | None]
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    published_on: Mapped[date | None]

    unit = relationship("Unit")
    items = relationship("PlanItem", back_populates="plan", order_by="PlanItem.id", cascade="all, delete-orphan")
    attachments = relationship("Attachment", secondary=plan_attachment)
    publications = relationship("Publication", order_by="Publication.id")

    @property
    def status_label(self):
        return PLAN_STATUSES[self.status]

    @property
    def items_total(self) -> Decimal:
        return money(sum((i.budget for i in self.items), Decimal(0)))

    @property
    def budget_share(self):
        """The plan's share of the unit's department budget (affordability), or None."""
        if not self.department_budget:
            return None
        return (self.items_total / self.department_budget * 100).quantize(Decimal("0.01"))

    def _require_draft(self):
        if self.status != "draft":
            raise TransitionError("只有草稿状态的计划可以修改")

    def state_check(self, action):
        """Raise TransitionError when the plan's state does not offer `action` (edit, review, publish,
        intention): the action's own first check, which the views run before reading the form."""
        if action == "edit":
            return self._require_draft()
        status, message = {"review": ("finance_review", "该计划不在财政审核中"),
                           "publish": ("approved", "只有财政审核通过的计划可以公开"),
                           "intention": ("published", "计划公开后才能发布采购意向")}[action]
        if self.status != status:
            raise TransitionError(message)

    def check_budget(self, extra=Decimal(0)):
        if self.items_total + extra > self.budget_amount:
            raise RuleError(f"计划项目预算合计 {self.items_total + extra} 元超过批复预算 {self.budget_amount} 元",
                            field="budget")

    def add_item(self, user, item):
        _require_unit_staff(user, self.unit_id)
        self._require_draft()
        self.check_budget(item.budget)
        self.items.append(item)

    def remove_item(self, user, item):
        _require_unit_staff(user, self.unit_id)
        self._require_draft()
        self.items.remove(item)

    def submit(self, user):
        _require_unit_staff(user, self.unit_id)
        self._require_draft()
        if not self.items:
            raise RuleError("请至少添加一个购买项目")
        if not self.needs_assessment.strip() or not self.affordability_notes.strip():
            raise RuleError("提交前请填写需求评估和财政承受能力评估")
        self.check_budget()
        self.status, self.submitted_at, self.return_reason = "finance_review", clock.now(), None

    def approve(self, user):
        _require_finance(user, self.unit_id)
        self.state_check("review")
        self.status, self.reviewed_at, self.reviewed_by_id = "approved", clock.now(), user.id

    def send_back(self, user, reason):
        _require_finance(user, self.unit_id)
        self.state_check("review")
        if not (reason or "").strip():
            raise RuleError("退回须说明理由", field="reason")
        self.status, self.return_reason = "draft", reason
        self.reviewed_at, self.reviewed_by_id = clock.now(), user.id

    def publish(self, user, medium, url, published_on):
        _require_unit_staff(user, self.unit_id)
        self.state_check("publish")
        Publication.check(medium, published_on)
        self.status, self.published_on = "published", published_on
        self.publications.append(Publication(kind="plan", medium=medium, url=url or None,
                                             published_on=published_on))


class PlanItem(db.Model):
    __tablename__ = "plan_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("purchase_plan.id", ondelete="CASCADE"), index=True)
    service_item_id: Mapped[int] = mapped_column(ForeignKey("service_item.id"))
    content: Mapped[str] = mapped_column(Text)
    service_standard: Mapped[str] = mapped_column(Text)
    quantity: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    unit_label: Mapped[str] = mapped_column(String(20))
    budget: Mapped[Decimal] = mapped_column(Money)
    target_requirements: Mapped[str] = mapped_column(Text)
    procurement_id: Mapped[int | None] = mapped_column(ForeignKey("procurement.id"), index=True)

    plan = relationship("PurchasePlan", back_populates="items")
    service_item = relationship("ServiceItem")
    procurement = relationship("Procurement", back_populates="plan_items")
