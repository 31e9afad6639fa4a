"""Record-integrity findings on a contract (DOMAIN.md §8 "Integrity checks"), explained or not by the unit."""
from datetime import date

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.base import RuleError, TimestampMixin, TransitionError
from models.purchasing import _require_unit_staff
from models import clock

RULES = {
    "shared_identity": "同一身份证号或电话在 90 日内出现在 3 件以上案件的当事人中",
    "same_day_cases": "同一调解员同日登记并结案 10 件以上",
    "record_without_shift": "工作人员在无值班记录的日期形成记录",
    "follow_up_burst": "同一人同日回访 10 次以上，或回访电话为 3 名以上当事人共用",
    "agreement_without_follow_up": "调解协议超过 60 日未回访",
    "duplicate_service_text": "不同帮教对象的服务记录内容完全相同",
    "record_after_end": "帮教期结束后仍有服务记录",
    "changed_after_close": "季度关闭后修改了该季度的记录",
    "late_entry": "季度关闭后补录了该季度的记录",
}


class IntegrityFinding(TimestampMixin, db.Model):
    __tablename__ = "integrity_finding"
    __table_args__ = (UniqueConstraint("contract_id", "rule", "key", name="uq_integrity_finding_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id"), index=True)
    rule: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(200))  # what makes the finding the same on the next run
    description: Mapped[str] = mapped_column(Text)  # counts and dates only, never a person's data
    records: Mapped[list] = mapped_column(JSON)  # [{"type": ..., "id": ..., "label": ...}]
    found_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | explained | unexplained
    explanation: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_on: Mapped[date | None]

    contract = relationship("Contract", backref="integrity_findings")

    @property
    def rule_label(self):
        return RULES[self.rule]

    @property
    def status_label(self):
        return {"open": "待认定", "explained": "已说明", "unexplained": "未能说明"}[self.status]

    def state_check(self):
        """TransitionError once decided (the views run it before reading the form: 409 before 422)."""
        if self.status != "open":
            raise TransitionError("该问题已认定")

    def decide(self, user, explained, explanation):
        _require_unit_staff(user, self.contract.unit_id)
        self.state_check()
        if explained and not (explanation or "").strip():
            raise RuleError("认定为已说明时须写明理由", field="explanation")
        self.status = "explained" if explained else "unexplained"
        self.explanation, self.decided_by_id, self.decided_on = explanation or None, user.id, clock.today()


class LateChange(db.Model):
    """A record dated in a quarter the unit had closed, entered with a logged reason (DESIGN.md §3)."""

    __tablename__ = "late_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id"), index=True)
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int]
    record_date: Mapped[date]
    reason: Mapped[str] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    at: Mapped[date]
