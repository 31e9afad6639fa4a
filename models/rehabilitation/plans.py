"""The individual assistance plan, in versions approved by the owning unit."""
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models import clock
from models.base import RuleError, TimestampMixin, TransitionError
from models.rehabilitation.codes import PLAN_STATUSES, _blank


class AssistancePlan(TimestampMixin, db.Model):
    """One version of the individual assistance plan; a revision is a new version, approved by the owner."""

    __tablename__ = "assistance_plan"
    # The drafts waiting for the owner's approval (the inbox asks on every page's badge): a few among many.
    __table_args__ = (Index("ix_assistance_plan_draft", "subject_id", sqlite_where=text("status = 'draft'"),
                            postgresql_where=text("status = 'draft'")),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    status: Mapped[str] = mapped_column(String(20), default="draft")
    needs: Mapped[dict] = mapped_column(JSON, default=dict)  # area -> assessed need
    goals: Mapped[str] = mapped_column(Text)
    measures: Mapped[dict] = mapped_column(JSON, default=dict)  # area -> measures
    responsible: Mapped[str] = mapped_column(Text)
    contact_frequency: Mapped[str] = mapped_column(String(100))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    review_on: Mapped[date] = mapped_column(index=True)
    consent: Mapped[bool] = mapped_column(default=False)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    approved_at: Mapped[datetime | None]

    subject = relationship("Subject", back_populates="plans")
    author = relationship("User", foreign_keys=[author_id])
    approved_by = relationship("User", foreign_keys=[approved_by_id])

    @property
    def status_label(self):
        return PLAN_STATUSES[self.status]

    @classmethod
    def draft(cls, subject, user, fields):
        subject.state_check("plan")
        if not any((fields.get("needs") or {}).values()):
            raise RuleError("请至少填写一个方面的需求评估", field="need_housing")
        if _blank(fields.get("goals")):
            raise RuleError("请填写帮教目标", field="goals")
        if not any((fields.get("measures") or {}).values()):
            raise RuleError("请至少填写一个方面的帮教措施", field="measure_education")
        if _blank(fields.get("responsible")):
            raise RuleError("请填写责任人", field="responsible")
        start, end, review = fields.get("starts_on"), fields.get("ends_on"), fields.get("review_on")
        if start is None or end is None or end < start:
            raise RuleError("请填写有效的执行期限", field="ends_on")
        if review is None or not (start <= review <= end):
            raise RuleError("复核日期须在执行期限内", field="review_on")
        if subject.draft_plan is not None:
            raise TransitionError("已有待审批的方案，请先审批")
        plan = cls(version=len(subject.plans) + 1, status="draft", author_id=user.id, **fields)
        subject.plans.append(plan)
        return plan

    def approve(self, user):
        self.subject.require_owner(user)
        self.subject.require_open()
        if self.status != "draft":
            raise TransitionError("只有待审批的方案可以审批")
        if not self.consent:
            raise RuleError("方案须有对象的隐私保护同意", field="consent")
        for p in self.subject.plans:
            if p.status == "approved":
                p.status = "superseded"
        self.status, self.approved_by_id, self.approved_at = "approved", user.id, clock.now()
