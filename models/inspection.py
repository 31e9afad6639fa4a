"""Inspections of a contract, and money reclaimed for work that was disproved (issue 6)."""
from datetime import date
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.base import NotAllowed, RuleError, TimestampMixin, TransitionError
from models import clock

REASONS = {"complaint": "投诉", "audit": "审计", "media": "媒体报道", "integrity": "记录完整性检查发现", "routine": "例行检查"}
STEPS = {"decided": "已决定检查", "answered": "承接主体已答复", "concluded": "已作出检查结论",
         "remediated": "承接主体已提交整改报告", "closed": "已结束"}
# the step each state moves to, and who takes it: unit (its staff or finance) or contractor
NEXT = {"decided": ("answered", "contractor"), "answered": ("concluded", "unit"),
        "concluded": ("remediated", "contractor"), "remediated": ("closed", "unit")}


class Inspection(TimestampMixin, db.Model):
    __tablename__ = "inspection"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id"), index=True)
    reason_code: Mapped[str] = mapped_column(String(20))
    decision: Mapped[str] = mapped_column(Text)
    decided_on: Mapped[date]
    answer: Mapped[str | None] = mapped_column(Text)
    answered_on: Mapped[date | None]
    conclusion: Mapped[str | None] = mapped_column(Text)
    concluded_on: Mapped[date | None]
    remediation: Mapped[str | None] = mapped_column(Text)
    remediated_on: Mapped[date | None]
    closing_note: Mapped[str | None] = mapped_column(Text)
    closed_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(20), default="decided")
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    contract = relationship("Contract", backref="inspections")
    documents = relationship("InspectionDocument", order_by="InspectionDocument.id", cascade="all, delete-orphan")

    def documents_of(self, step):
        return [d for d in self.documents if d.step == step]

    @property
    def reason_label(self):
        return REASONS[self.reason_code]

    @property
    def status_label(self):
        return STEPS[self.status]

    @property
    def next_actor(self):
        return NEXT.get(self.status, (None, None))[1]

    @staticmethod
    def _is_unit(user, contract):
        return user.role in ("city", "district", "finance") and user.unit_id == contract.unit_id

    @classmethod
    def open(cls, user, contract, reason_code, decision, document=None):
        if not cls._is_unit(user, contract):
            raise NotAllowed("只有本单位或其财政部门可以决定检查")
        if reason_code not in REASONS:
            raise RuleError("请选择检查原因", field="reason_code")
        if not (decision or "").strip():
            raise RuleError("请写明检查决定（检查什么、怎么查）", field="text")
        i = cls(contract=contract, reason_code=reason_code, decision=decision, decided_on=clock.today(),
                status="decided", opened_by_id=user.id)
        i._attach("decided", document)
        db.session.add(i)
        return i

    def _attach(self, step, document):
        if document is not None:
            self.documents.append(InspectionDocument(step=step, attachment=document))

    def state_check(self):
        """TransitionError once closed (the views run it before reading the form: 409 before 422)."""
        if self.status not in NEXT:
            raise TransitionError("检查已结束")

    def advance(self, user, text, document=None):
        """The next step: the contractor answers, the unit concludes, the contractor reports, the unit closes."""
        self.state_check()
        step, actor = NEXT[self.status]
        if actor == "contractor" and not (user.role == "contractor" and user.contractor_id == self.contract.contractor_id):
            raise NotAllowed("这一步由承接主体办理")
        if actor == "unit" and not self._is_unit(user, self.contract):
            raise NotAllowed("这一步由购买主体办理")
        if not (text or "").strip():
            raise RuleError("请填写内容", field="text")
        field = {"answered": "answer", "concluded": "conclusion", "remediated": "remediation",
                 "closed": "closing_note"}[step]
        setattr(self, field, text)
        setattr(self, f"{step}_on", clock.today())
        self.status = step
        self._attach(step, document)


class InspectionDocument(db.Model):
    """A document filed with one step of an inspection (the decision, the answer, the report ...)."""

    __tablename__ = "inspection_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspection.id", ondelete="CASCADE"), index=True)
    step: Mapped[str] = mapped_column(String(20))
    attachment_id: Mapped[int] = mapped_column(ForeignKey("attachment.id"))

    attachment = relationship("Attachment")


class Reclaim(TimestampMixin, db.Model):
    """Money paid for work an inspection or an integrity check disproved, claimed back."""

    __tablename__ = "reclaim"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    reason: Mapped[str] = mapped_column(Text)
    decided_on: Mapped[date]
    repaid_on: Mapped[date | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    contract = relationship("Contract", backref="reclaims")

    def state_check(self):
        """TransitionError once the repayment is recorded (checked before the form is read)."""
        if self.repaid_on:
            raise TransitionError("已记录退回")

    def record_repaid(self, user, on):
        from models.purchasing import _require_unit_staff

        _require_unit_staff(user, self.contract.unit_id)
        self.state_check()
        if on is None or on > clock.today() or on < self.decided_on:
            raise RuleError("退回日期应在决定日和今天之间", field="on")
        self.repaid_on = on
