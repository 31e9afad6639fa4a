"""Contracts and what hangs off them: milestones, instalments, payments, amendments, deliverables, shifts."""
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models import clock
from models.base import NotAllowed, RuleError, StateRulesMixin, TimestampMixin, TransitionError, VersionedMixin
from models.contract_parts import (AMENDABLE, Amendment, Deliverable, DutyShift, Instalment, Milestone,  # noqa: F401
                                   Payment, SubcontractConsent, shift_staff, staffing_of_day)
from models.purchasing import Money, Publication, _require_unit_staff, money
from models.purchasing_codes import (AMENDMENT_REASONS, CATEGORIES, CONTRACT_STATUSES, CONTRACT_TERMINATION_REASONS,
                                     DELIVERABLE_KINDS, NO_SUBCONTRACT_CLAUSE)
from models.setting import Setting
from models.workdays import add_working_days, working_days_between

ACCEPTED = ("accepted", "closed")  # final acceptance passed: the final instalment may be paid


def contract_state(status, period_start):
    """The service period starts by the clock: a signed contract is in performance from its first day."""
    if status == "signed" and clock.today() >= period_start:
        return "in_performance"
    return status


def money_overview(amount, status, paid_total, instalments, today=None):
    """Paid, payable, held, overdue and remaining of a contract (DOMAIN.md §8) from plain values: its amount,
    status, total paid and, per instalment, (amount, paid, final milestone?, milestone status, its date). The
    dashboard works out many contracts from light rows with the same rules."""
    today = today or clock.today()
    overdue_days = Setting.get("payment.overdue_days")
    payable = overdue = held = Decimal(0)
    for inst_amount, paid, is_final, milestone_status, status_on in instalments:
        left = money(inst_amount - paid)
        if is_final:
            since = status_on if status in ACCEPTED else None
            if status in ("accepted_conditional", "rectification"):
                held += left
        else:
            since = status_on if milestone_status == "met" else None
        if left and since:
            payable += left
            if since + timedelta(days=overdue_days) < today:
                overdue += left
    return {"amount": amount, "paid": paid_total, "payable": money(payable), "overdue": money(overdue),
            "remaining": money(amount - paid_total), "held": money(held)}


class Contract(StateRulesMixin, TimestampMixin, VersionedMixin, db.Model):
    __tablename__ = "contract"
    __table_args__ = (UniqueConstraint("unit_id", "year", "seq", name="uq_contract_unit_year_seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(ForeignKey("procurement.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    contractor_id: Mapped[int] = mapped_column(ForeignKey("contractor.id"), index=True)
    year: Mapped[int]
    seq: Mapped[int]
    number: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(Text)
    scope: Mapped[str] = mapped_column(Text)
    quantities: Mapped[str] = mapped_column(Text)
    quality_requirements: Mapped[str] = mapped_column(Text)
    place_and_manner: Mapped[str] = mapped_column(Text)
    acceptance_requirements: Mapped[str] = mapped_column(Text)
    rights_obligations: Mapped[str] = mapped_column(Text)
    breach_liability: Mapped[str] = mapped_column(Text)
    dispute_resolution: Mapped[str] = mapped_column(Text)
    period_start: Mapped[date]
    period_end: Mapped[date]
    long_period_reason: Mapped[str | None] = mapped_column(Text)
    original_amount: Mapped[Decimal] = mapped_column(Money)
    amount: Mapped[Decimal] = mapped_column(Money)
    signed_on: Mapped[date]
    published_on: Mapped[date | None]
    filed_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(30), default="signed", index=True)
    final_value: Mapped[Decimal | None] = mapped_column(Money)
    closed_on: Mapped[date | None]
    closing_explanation: Mapped[str | None] = mapped_column(Text)
    termination_code: Mapped[str | None] = mapped_column(String(30))
    termination_text: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)

    procurement = relationship("Procurement", back_populates="contracts")
    unit = relationship("Unit")
    contractor = relationship("Contractor")
    milestones = relationship("Milestone", back_populates="contract", order_by="Milestone.due_on",
                              cascade="all, delete-orphan")
    instalments = relationship("Instalment", back_populates="contract", order_by="Instalment.seq",
                               cascade="all, delete-orphan")
    payments = relationship("Payment", back_populates="contract", order_by="Payment.paid_on",
                            cascade="all, delete-orphan")
    amendments = relationship("Amendment", back_populates="contract", order_by="Amendment.version",
                              cascade="all, delete-orphan")
    consents = relationship("SubcontractConsent", back_populates="contract", cascade="all, delete-orphan")
    deliverables = relationship("Deliverable", back_populates="contract", order_by="Deliverable.held_on",
                                cascade="all, delete-orphan")
    shifts = relationship("DutyShift", back_populates="contract", order_by="DutyShift.day",
                          cascade="all, delete-orphan")
    publications = relationship("Publication", order_by="Publication.id")

    no_subcontract_clause = NO_SUBCONTRACT_CLAUSE

    # ---- reading
    @property
    def state(self):
        return contract_state(self.status, self.period_start)

    @property
    def state_label(self):
        return CONTRACT_STATUSES[self.state]

    @property
    def category_label(self):
        return CATEGORIES[self.category]

    @property
    def is_open(self):
        return self.status not in ("closed", "terminated")

    @property
    def accepted(self):
        return self.status in ACCEPTED

    @property
    def paid_total(self) -> Decimal:
        return money(sum((p.amount for p in self.payments), Decimal(0)))

    def money_overview(self, today=None):
        """Paid, payable, overdue and remaining at a glance (DOMAIN.md §8)."""
        overview = money_overview(self.amount, self.status, self.paid_total, [
            (i.amount, i.paid, i.milestone.is_final, i.milestone.status, i.milestone.status_on)
            for i in self.instalments], today)
        return {**overview, "reclaimed": self.reclaimed_total}

    def deadlines(self):
        return [("合同公告（签订后 2 个工作日内）", add_working_days(self.signed_on, 2), self.published_on),
                ("报财政部门备案（签订后 7 个工作日内）", add_working_days(self.signed_on, 7), self.filed_on)]

    # ---- creation and rules
    @classmethod
    def from_award(cls, user, procurement, fields, milestones, instalments):
        """Sign the contract for an awarded procurement.

        milestones: [dict(kind, title, due_on, final)], instalments: [dict(milestone index, amount)].
        """
        _require_unit_staff(user, procurement.unit_id)
        if procurement.status != "awarded":
            raise TransitionError("只有已公布成交结果的采购可以签订合同")
        amount = procurement.award_amount
        start, end = fields["period_start"], fields["period_end"]
        if start is None or end is None or end < start:
            raise RuleError("请填写有效的服务期限", field="period_end")
        if end > _add_years(start, 3) - timedelta(days=1):
            raise RuleError("服务期限最长 3 年", field="period_end")
        if end > _add_years(start, 1) - timedelta(days=1) and not (fields.get("long_period_reason") or "").strip():
            raise RuleError("服务期限超过 1 年须说明理由（服务稳定、资金有保障）", field="long_period_reason")
        if not milestones:
            raise RuleError("请设置至少一个履约节点", field="milestones")
        if sum(1 for m in milestones if m.get("final")) != 1:
            raise RuleError("须有且只有一个终验节点", field="milestones")
        total = money(sum((Decimal(i["amount"]) for i in instalments), Decimal(0)))
        if total != amount:
            raise RuleError(f"分期付款合计 {total} 元应等于合同金额 {amount} 元", field="instalments")
        year = fields["signed_on"].year
        seq = (db.session.scalar(select(func.max(cls.seq)).where(cls.unit_id == procurement.unit_id,
                                                                 cls.year == year)) or 0) + 1
        unit = procurement.unit
        c = cls(procurement=procurement, unit_id=procurement.unit_id, contractor_id=procurement.award_bid.contractor_id,
                year=year, seq=seq, number=f"包{unit.short_name}司购〔{year}〕{seq}号",
                category=procurement.category, original_amount=amount, amount=amount, **fields)
        ms = [Milestone(kind=m["kind"], title=m["title"], due_on=m["due_on"], is_final=bool(m.get("final")))
              for m in milestones]
        c.milestones = ms
        c.instalments = [Instalment(seq=n, milestone=ms[i["milestone"]], amount=money(i["amount"]))
                         for n, i in enumerate(instalments, 1)]
        procurement.status = "contracted"
        db.session.add(c)
        return c

    def _require_open(self):
        if not self.is_open:
            raise TransitionError("合同已结束或已终止")

    STATE_RULES = {
        "publish": (lambda c: not c.published_on, "合同已公告"),
        "filing": (lambda c: not c.filed_on, "合同已备案"),
        "open": (lambda c: c.is_open, "合同已结束或已终止"),
        "close": (lambda c: c.status == "accepted", "只有终期验收合格的合同可以结束"),
        "conditions_met": (lambda c: c.status == "accepted_conditional", "合同不是有条件通过验收"),
        "contractor_record": (lambda c: c.status != "terminated", "合同已终止"),
    }


    def publish(self, user, medium, url, published_on):
        _require_unit_staff(user, self.unit_id)
        self.state_check("publish")
        Publication.check(medium, published_on)
        self.published_on = published_on
        self.publications.append(Publication(kind="contract", medium=medium, url=url or None,
                                             published_on=published_on))

    def file_with_finance(self, user, filed_on):
        _require_unit_staff(user, self.unit_id)
        self.state_check("filing")
        if filed_on is None or filed_on > clock.today() or filed_on < self.signed_on:
            raise RuleError("备案日期应在签订日和今天之间", field="filed_on")
        self.filed_on = filed_on

    def reclaim(self, user, amount, reason):
        """Claim back money paid for work disproved: never more than paid less what is already claimed."""
        from models.inspection import Reclaim

        _require_unit_staff(user, self.unit_id)
        amount = money(amount) if amount is not None else None
        if amount is None or amount <= 0:
            raise RuleError("请填写追回金额", field="amount")
        if amount > self.paid_total - self.reclaimed_total:
            raise RuleError(f"追回金额不能超过已支付且未追回的 {self.paid_total - self.reclaimed_total} 元", field="amount")
        if not (reason or "").strip():
            raise RuleError("请写明追回理由", field="reason")
        item = Reclaim(amount=amount, reason=reason, decided_on=clock.today(), decided_by_id=user.id)
        self.reclaims.append(item)
        return item

    @property
    def reclaimed_total(self):
        return money(sum((r.amount for r in getattr(self, "reclaims", [])), Decimal(0)))

    def close(self, user, final_value, end_date, explanation):
        """A contract closes with its final value and end date, explaining any difference from the signed value."""
        _require_unit_staff(user, self.unit_id)
        self.state_check("close")
        final_value = money(final_value) if final_value is not None else None
        if final_value is None or final_value < 0:
            raise RuleError("请填写合同最终金额", field="final_value")
        if end_date is None or end_date < self.period_start or end_date > clock.today():
            raise RuleError("结束日期应在服务期开始和今天之间", field="end_date")
        if final_value != self.original_amount and not (explanation or "").strip():
            raise RuleError("最终金额与签订金额不同，须说明原因", field="explanation")
        self.status, self.final_value, self.closed_on = "closed", final_value, end_date
        self.closing_explanation = explanation or None

    def conditions_met(self, user, on, note):
        """Passed with conditions: the final instalment becomes payable once the unit records them met."""
        _require_unit_staff(user, self.unit_id)
        self.state_check("conditions_met")
        if on is None or on > clock.today():
            raise RuleError("日期不能晚于今天", field="on")
        final = next(m for m in self.milestones if m.is_final)
        self.status = "accepted"
        final.status, final.status_on, final.note = "met", on, note

    def amend(self, user, reason_code, changes, note):
        """Changes after signing: coded reason, old and new values, a new version (DOMAIN.md §5: +10 % cap)."""
        _require_unit_staff(user, self.unit_id)
        self._require_open()
        if reason_code not in AMENDMENT_REASONS:
            raise RuleError("请选择变更原因", field="reason_code")
        changes = {k: v for k, v in changes.items() if k in AMENDABLE and v not in (None, "") and v != getattr(self, k)}
        if not changes:
            raise RuleError("没有需要变更的内容")
        if "amount" in changes:
            new = money(changes["amount"])
            if new < self.paid_total:
                raise RuleError("变更后的金额不能少于已支付金额", field="amount")
            if new > self.original_amount and reason_code != "added_quantity":
                raise RuleError("增加金额须以追加同类服务数量为由", field="amount")
            if new > money(self.original_amount * Decimal("1.10")):
                raise RuleError("追加同类服务的金额不得超过原合同金额的 10%", field="amount")
            changes["amount"] = new
        if "period_end" in changes and changes["period_end"] < self.period_start:
            raise RuleError("服务期限截止日不能早于起始日", field="period_end")
        record = {k: {"old": _plain(getattr(self, k)), "new": _plain(v)} for k, v in changes.items()}
        for k, v in changes.items():
            setattr(self, k, v)
        self.version += 1
        self.amendments.append(Amendment(version=self.version, reason_code=reason_code, changes=record, note=note,
                                         approved_by_id=user.id, approved_on=clock.today()))

    def consent_subcontract(self, user, part, subcontractor):
        _require_unit_staff(user, self.unit_id)
        self._require_open()
        if not (part or "").strip() or not (subcontractor or "").strip():
            raise RuleError("请填写分包的部分和分包单位", field="part")
        self.consents.append(SubcontractConsent(part=part, subcontractor=subcontractor, approved_by_id=user.id,
                                                approved_on=clock.today()))

    def terminate(self, user, code, text):
        """Early termination (the exit mechanism); it is also kept on the contractor's record."""
        from models.contractor import ContractorEvent

        _require_unit_staff(user, self.unit_id)
        self._require_open()
        if code not in CONTRACT_TERMINATION_REASONS:
            raise RuleError("请选择终止原因", field="reason_code")
        self.status, self.termination_code, self.termination_text = "terminated", code, text
        self.contractor.events.append(ContractorEvent(
            kind="contract_terminated", at=clock.now(), user_id=user.id, unit_id=user.unit_id, reason_code=code,
            reason_text=f"合同 {self.number}：{CONTRACT_TERMINATION_REASONS[code]}" + (f"，{text}" if text else "")))

    def record_payment(self, user, instalment, paid_on, amount, voucher):
        _require_unit_staff(user, self.unit_id)
        if instalment is None or instalment.contract_id != self.id:
            raise RuleError("请选择本合同的分期", field="instalment_id")
        if instalment.milestone.is_final and not self.accepted:
            raise RuleError("尾款须在终验合格后支付", field="instalment_id")
        if not instalment.payable_since:
            raise RuleError("该分期对应的履约节点尚未完成，不能支付", field="instalment_id")
        amount = money(amount) if amount is not None else None
        if amount is None or amount <= 0:
            raise RuleError("请填写有效的支付金额", field="amount")
        if amount > instalment.unpaid:
            raise RuleError(f"支付金额超过该分期未付金额 {instalment.unpaid} 元", field="amount")
        if self.paid_total + amount > self.amount:
            raise RuleError("累计支付金额不能超过合同金额", field="amount")
        if paid_on is None or paid_on > clock.today():
            raise RuleError("支付日期不能晚于今天", field="paid_on")
        if not (voucher or "").strip():
            raise RuleError("请填写凭证号", field="voucher")
        payment = Payment(instalment=instalment, paid_on=paid_on, amount=amount, voucher=voucher.strip(),
                          recorded_by_id=user.id)
        self.payments.append(payment)
        return payment

    # ---- the contractor's own records
    def _require_contractor(self, user):
        if not (user.role == "contractor" and user.contractor_id == self.contractor_id):
            raise NotAllowed("只有承接本合同的机构可以记录")
        self.state_check("contractor_record")

    def log_deliverable(self, user, kind, held_on, place, participants, content, attachment=None):
        self._require_contractor(user)
        if kind not in DELIVERABLE_KINDS:
            raise RuleError("请选择类别", field="kind")
        if held_on is None or held_on > clock.today():
            raise RuleError("日期不能晚于今天", field="held_on")
        if not self.period_start <= held_on <= self.period_end:
            raise RuleError("日期须在合同服务期限内", field="held_on")
        item = Deliverable(kind=kind, held_on=held_on, place=place, participants=participants, content=content,
                           attachment=attachment, created_by_id=user.id)
        self.deliverables.append(item)
        return item

    def add_shift(self, user, day, start, end, staff):
        self._require_contractor(user)
        if day is None or not self.period_start <= day <= self.period_end:
            raise RuleError("值班日期须在合同服务期限内", field="day")
        if start is None or end is None or end <= start:
            raise RuleError("结束时间须晚于开始时间", field="end")
        if not staff:
            raise RuleError("请选择值班人员", field="staff")
        if any(m.contractor_id != self.contractor_id for m in staff):
            raise RuleError("只能安排本机构的工作人员", field="staff")
        shift = DutyShift(day=day, start=start, end=end, staff=list(staff))
        self.shifts.append(shift)
        return shift

    # ---- staffing standard (DOMAIN.md §1: 8 hours a day, at least 2 people on each shift)
    def staffing(self, year, month, working_days=None, shifts=None):
        """Per working day of the month: hours covered, thinnest shift, and whether the standard held.

        For many contracts at once (the dashboard): `working_days`, the working days of a span covering
        the month, spares the calendar look-up; `shifts`, light rows with day, start, end and staff (a
        sized collection), replaces loading the contract's shifts."""
        first = date(year, month, 1)
        last = (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1))
        first, last = max(first, self.period_start), min(last, self.period_end, clock.today())
        by_day = defaultdict(list)
        for s in self.shifts if shifts is None else shifts:
            if first <= s.day <= last:
                by_day[s.day].append(s)
        rows = []
        if first > last:
            days = []
        elif working_days is None:
            days = working_days_between(first, last)
        else:
            days = [d for d in working_days if first <= d <= last]
        for day in days:
            shifts = by_day.get(day, [])
            hours, thinnest, problems = staffing_of_day(shifts)
            rows.append({"day": day, "hours": hours, "shifts": shifts, "min_staff": thinnest, "ok": not problems,
                         "problems": problems})
        return rows


def _add_years(d, n):
    try:
        return d.replace(year=d.year + n)
    except ValueError:  # 29 February
        return d.replace(year=d.year + n, day=28)


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value
