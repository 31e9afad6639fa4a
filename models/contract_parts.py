"""What a contract holds: milestones, instalments and payments, amendments, subcontract consents,
deliverables, duty shifts and the staffing standard of a working day (DESIGN.md §3)."""
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import JSON, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models import clock
from models.base import RuleError, TimestampMixin, VersionedMixin
from models.purchasing import Money, _require_unit_staff, money
from models.purchasing_codes import AMENDMENT_REASONS, DELIVERABLE_KINDS, MILESTONE_KINDS, MILESTONE_STATUSES


# Fields an amendment may change, with their labels (old and new values are kept).
AMENDABLE = {"amount": "合同金额", "period_end": "服务期限截止", "scope": "服务范围", "quantities": "服务数量",
             "quality_requirements": "质量要求"}


def staffing_of_day(shifts):
    """(hours covered, thinnest shift, problems) of a working day's shifts; the standard held if no problems."""
    hours = _covered_hours(shifts)
    thinnest = min((len(s.staff) for s in shifts), default=0)
    problems = []
    if hours < 8:
        problems.append(f"服务时间 {hours:g} 小时，不足 8 小时")
    if not shifts:
        problems.append("无值班记录")
    elif thinnest < 2:
        problems.append("有班次不足 2 人")
    return hours, thinnest, problems


def _covered_hours(shifts):
    """Hours of the day covered by at least one shift (overlaps counted once)."""
    spans = sorted((s.start, s.end) for s in shifts)
    total, cur_start, cur_end = 0.0, None, None
    for start, end in spans:
        if cur_end is None or start > cur_end:
            if cur_end is not None:
                total += _hours(cur_start, cur_end)
            cur_start, cur_end = start, end
        else:
            cur_end = max(cur_end, end)
    if cur_end is not None:
        total += _hours(cur_start, cur_end)
    return round(total, 2)


def _hours(start, end):
    return (datetime.combine(date.min, end) - datetime.combine(date.min, start)).seconds / 3600


class Milestone(VersionedMixin, db.Model):
    __tablename__ = "milestone"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date]
    is_final: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20), default="scheduled")
    status_on: Mapped[date | None]
    note: Mapped[str | None] = mapped_column(Text)

    contract = relationship("Contract", back_populates="milestones")

    @property
    def kind_label(self):
        return MILESTONE_KINDS.get(self.kind, self.kind)

    @property
    def status_label(self):
        return MILESTONE_STATUSES[self.status]

    def set_status(self, user, status, on, note):
        _require_unit_staff(user, self.contract.unit_id)
        self.contract._require_open()
        if status not in MILESTONE_STATUSES or status == "scheduled":
            raise RuleError("请选择节点完成情况", field="status")
        if self.is_final:
            raise RuleError("终验节点由履约验收确定", field="status")
        if on is None or on > clock.today():
            raise RuleError("日期不能晚于今天", field="status_on")
        self.status, self.status_on, self.note = status, on, note


class Instalment(db.Model):
    __tablename__ = "instalment"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestone.id"))
    seq: Mapped[int]
    amount: Mapped[Decimal] = mapped_column(Money)

    contract = relationship("Contract", back_populates="instalments")
    milestone = relationship("Milestone")
    payments = relationship("Payment", back_populates="instalment", viewonly=True)

    @property
    def paid(self):
        return money(sum((p.amount for p in self.payments), Decimal(0)))

    @property
    def unpaid(self):
        return money(self.amount - self.paid)

    @property
    def payable_since(self):
        """An instalment may be paid once its milestone is met; the final one after acceptance."""
        if self.milestone.is_final:
            return self.milestone.status_on if self.contract.accepted else None
        return self.milestone.status_on if self.milestone.status == "met" else None


class Payment(TimestampMixin, db.Model):
    __tablename__ = "payment"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    instalment_id: Mapped[int] = mapped_column(ForeignKey("instalment.id"))
    paid_on: Mapped[date]
    amount: Mapped[Decimal] = mapped_column(Money)
    voucher: Mapped[str] = mapped_column(String(100))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    contract = relationship("Contract", back_populates="payments")
    instalment = relationship("Instalment", back_populates="payments")


class Amendment(db.Model):
    __tablename__ = "amendment"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    reason_code: Mapped[str] = mapped_column(String(30))
    changes: Mapped[dict] = mapped_column(JSON)  # contract terms only, never personal data
    note: Mapped[str | None] = mapped_column(Text)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    approved_on: Mapped[date]

    contract = relationship("Contract", back_populates="amendments")

    @property
    def reason_label(self):
        return AMENDMENT_REASONS.get(self.reason_code, self.reason_code)

    def described(self):
        return [(AMENDABLE.get(k, k), v["old"], v["new"]) for k, v in self.changes.items()]


class SubcontractConsent(db.Model):
    __tablename__ = "subcontract_consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    part: Mapped[str] = mapped_column(Text)
    subcontractor: Mapped[str] = mapped_column(Text)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    approved_on: Mapped[date]

    contract = relationship("Contract", back_populates="consents")
    approved_by = relationship("User")


class Deliverable(TimestampMixin, db.Model):
    """Training, publicity and research logged under a contract; they count at acceptance."""

    __tablename__ = "deliverable"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    held_on: Mapped[date]
    place: Mapped[str] = mapped_column(Text)
    participants: Mapped[int]
    content: Mapped[str] = mapped_column(Text)
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachment.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    contract = relationship("Contract", back_populates="deliverables")
    attachment = relationship("Attachment")

    @property
    def kind_label(self):
        return DELIVERABLE_KINDS[self.kind]


shift_staff = Table(
    "shift_staff", db.metadata,
    Column("shift_id", ForeignKey("duty_shift.id", ondelete="CASCADE"), primary_key=True),
    Column("staff_member_id", ForeignKey("staff_member.id"), primary_key=True),
)


class DutyShift(db.Model):
    __tablename__ = "duty_shift"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(index=True)
    start: Mapped[time]
    end: Mapped[time]

    contract = relationship("Contract", back_populates="shifts")
    staff = relationship("StaffMember", secondary=shift_staff)

    @property
    def hours(self):
        return _hours(self.start, self.end)
