"""Procurements: the method's rules, notices, bids, the panel's scores, the award (DESIGN.md §3-4)."""
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Column, ForeignKey, Numeric, String, Table, Text, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models import clock
from models.base import NotAllowed, RuleError, TimestampMixin, TransitionError, VersionedMixin
from models.purchasing.catalogue import Publication
from models.purchasing.money import FEN, Money, _require_finance, _require_unit_staff, money
from models.purchasing_codes import CATEGORIES, METHODS, PROCUREMENT_STATUSES
from models.setting import Setting
from models.workdays import add_working_days


procurement_invitee = Table(
    "procurement_invitee", db.metadata,
    Column("procurement_id", ForeignKey("procurement.id", ondelete="CASCADE"), primary_key=True),
    Column("contractor_id", ForeignKey("contractor.id"), primary_key=True),
)


MIN_VALID_BIDS = {"open_tender": 3, "invited_tender": 3, "competitive_negotiation": 3, "price_inquiry": 3,
                  "competitive_consultation": 2, "single_source": 1}
MIN_RESPONSE_DAYS = {"open_tender": 20, "competitive_consultation": 10}
OPEN_STATES = ("planned", "prepared", "notice_published", "objection", "bids_open", "evaluated")


class Procurement(TimestampMixin, VersionedMixin, db.Model):
    """One contracting process, with its ocid from the day its intention is published (DESIGN.md §6)."""

    __tablename__ = "procurement"

    id: Mapped[int] = mapped_column(primary_key=True)
    ocid: Mapped[str] = mapped_column(String(80), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    year: Mapped[int]
    seq: Mapped[int]
    title: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(20))
    requirement_summary: Mapped[str] = mapped_column(Text)
    budget: Mapped[Decimal] = mapped_column(Money)
    expected_month: Mapped[int]
    status: Mapped[str] = mapped_column(String(20), default="planned", index=True)
    intention_published_on: Mapped[date]
    method: Mapped[str | None] = mapped_column(String(30))
    method_reason: Mapped[str | None] = mapped_column(Text)
    method_approval: Mapped[str | None] = mapped_column(String(10))  # pending | approved | rejected
    method_approval_note: Mapped[str | None] = mapped_column(Text)
    method_approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    price_weight: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    bid_deadline: Mapped[datetime | None]
    notice_published_on: Mapped[date | None]
    objection_ends_on: Mapped[date | None]
    single_source_contractor_id: Mapped[int | None] = mapped_column(ForeignKey("contractor.id"))
    bids_opened_at: Mapped[datetime | None]
    evaluated_on: Mapped[date | None]
    award_bid_id: Mapped[int | None] = mapped_column(ForeignKey("bid.id", use_alter=True))
    awarded_on: Mapped[date | None]
    failed_reason: Mapped[str | None] = mapped_column(Text)
    predecessor_id: Mapped[int | None] = mapped_column(ForeignKey("procurement.id"))

    unit = relationship("Unit")
    plan_items = relationship("PlanItem", back_populates="procurement", order_by="PlanItem.id")
    invitees = relationship("Contractor", secondary=procurement_invitee)
    single_source_contractor = relationship("Contractor", foreign_keys=[single_source_contractor_id])
    bids = relationship("Bid", back_populates="procurement", order_by="Bid.id",
                        foreign_keys="Bid.procurement_id", cascade="all, delete-orphan")
    criteria = relationship("Criterion", back_populates="procurement", order_by="Criterion.id",
                            cascade="all, delete-orphan")
    award_bid = relationship("Bid", foreign_keys=[award_bid_id], post_update=True)
    predecessor = relationship("Procurement", remote_side=[id])
    publications = relationship("Publication", order_by="Publication.id")
    contracts = relationship("Contract", back_populates="procurement")

    @property
    def status_label(self):
        return PROCUREMENT_STATUSES[self.status]

    @property
    def method_label(self):
        return METHODS.get(self.method, "未确定")

    @property
    def category_label(self):
        return CATEGORIES[self.category]

    @property
    def notice_allowed_from(self) -> date:
        """The procurement notice may be published 30 days after the intention (DOMAIN.md §5)."""
        return self.intention_published_on + timedelta(days=30)

    @property
    def valid_bids(self):
        return [b for b in self.bids if b.valid]

    @property
    def winner(self):
        return self.award_bid.contractor if self.award_bid else None

    @property
    def award_amount(self):
        return self.award_bid.price if self.award_bid else None

    @classmethod
    def mint_ocid(cls, unit, year):
        seq = (db.session.scalar(select(func.max(cls.seq)).where(cls.unit_id == unit.id, cls.year == year)) or 0) + 1
        return f"{Setting.get('ocid.prefix')}-{unit.code}-{year}-{seq:03d}", seq

    @classmethod
    def from_intention(cls, user, plan, items, title, summary, expected_month, medium, url, published_on,
                       predecessor=None):
        """Publishing the intention for one or more approved plan items starts the procurement."""
        _require_unit_staff(user, plan.unit_id)
        plan.state_check("intention")
        if not items:
            raise RuleError("请选择至少一个计划项目", field="items")
        if any(i.plan_id != plan.id for i in items):
            raise RuleError("只能选择本计划的项目", field="items")
        if any(i.procurement_id and (predecessor is None or i.procurement_id != predecessor.id) for i in items):
            raise RuleError("所选项目已有采购", field="items")
        categories = {i.service_item.category for i in items}
        if len(categories) != 1:
            raise RuleError("人民调解和安置帮教项目请分别采购", field="items")
        if not 1 <= (expected_month or 0) <= 12:
            raise RuleError("预计采购月份应为 1-12", field="expected_month")
        Publication.check(medium, published_on)
        ocid, seq = cls.mint_ocid(plan.unit, plan.year)
        p = cls(ocid=ocid, seq=seq, unit_id=plan.unit_id, year=plan.year, title=title, category=categories.pop(),
                requirement_summary=summary, budget=money(sum(i.budget for i in items)),
                expected_month=expected_month, intention_published_on=published_on, predecessor=predecessor)
        p.plan_items = list(items)
        p.publications.append(Publication(kind="intention", medium=medium, url=url or None,
                                          published_on=published_on))
        db.session.add(p)
        return p

    def _require_state(self, *states):
        if self.status not in states:
            raise TransitionError(f"采购当前状态为「{self.status_label}」，不能进行此操作")

    STATES = {"prepare": ("planned", "prepared"), "decide_method": ("prepared",), "notice": ("prepared",),
              "bid": ("notice_published", "objection"), "open": ("notice_published",), "reject_bid": ("bids_open",),
              "scores": ("bids_open",), "evaluate": ("bids_open",), "fail": OPEN_STATES, "follow_up": ("failed",)}

    def state_check(self, action):
        """Raise TransitionError when the procurement's state does not offer `action`: the action's own
        first check, which the views run before reading the form (409 before 422)."""
        if action == "award":
            return self._require_state("objection" if self.method == "single_source" else "evaluated")
        self._require_state(*self.STATES[action])
        if action == "decide_method" and self.method_approval != "pending":
            raise TransitionError("没有待审核的采购方式")
        if action == "follow_up" and db.session.scalar(
                select(select(Procurement.id).where(Procurement.predecessor_id == self.id).exists())):
            raise TransitionError("该失败采购已有后续采购")

    def prepare(self, user, method, reason, bid_deadline, price_weight, criteria, invitees=(), supplier=None):
        """Choose the method and the rules of the competition; criteria: [(name, weight)]."""
        _require_unit_staff(user, self.unit_id)
        self.state_check("prepare")
        if method not in METHODS:
            raise RuleError("请选择采购方式", field="method")
        if method != "open_tender" and not (reason or "").strip():
            raise RuleError("采用公开招标以外的方式须说明理由", field="method_reason")
        if method == "single_source":
            if supplier is None:
                raise RuleError("单一来源采购须确定供应商", field="supplier")
            price_weight, criteria = Decimal(0), []
        else:
            price_weight = Decimal(price_weight if price_weight is not None else 0)
            if not Decimal(10) <= price_weight <= Decimal(30):
                raise RuleError("服务类采购的价格分值应为 10 至 30 分", field="price_weight")
            if not criteria:
                raise RuleError("请至少设置一项评审因素", field="criteria")
            total = price_weight + sum(Decimal(w) for _, w in criteria)
            if total != 100:
                raise RuleError(f"价格分值与评审因素分值合计应为 100，当前为 {total}", field="criteria")
        if method == "invited_tender" and len(invitees) < 3:
            raise RuleError("邀请招标须邀请至少 3 家供应商", field="invitees")
        if bid_deadline is None:
            raise RuleError("请填写响应截止时间", field="bid_deadline")
        self.method, self.method_reason, self.price_weight = method, reason or None, price_weight
        self.bid_deadline = bid_deadline
        self.invitees = list(invitees) if method == "invited_tender" else []
        self.single_source_contractor = supplier if method == "single_source" else None
        self.criteria = [Criterion(name=n, weight=Decimal(w)) for n, w in criteria]
        self.method_approval = None if method == "open_tender" else "pending"
        self.method_approval_note = None
        self.status = "prepared"

    def decide_method(self, user, approve, note):
        """Finance approves or refuses a method other than open tender, with a reason."""
        _require_finance(user, self.unit_id)
        self.state_check("decide_method")
        if not (note or "").strip():
            raise RuleError("请填写审核意见", field="note")
        self.method_approval = "approved" if approve else "rejected"
        self.method_approval_note, self.method_approved_by_id = note, user.id

    def publish_notice(self, user, medium, url, published_on):
        _require_unit_staff(user, self.unit_id)
        self.state_check("notice")
        today = clock.today()
        if today < self.notice_allowed_from:
            raise RuleError(f"采购意向公开满 30 日后（{self.notice_allowed_from:%Y-%m-%d} 起）方可发布采购公告")
        if self.method != "open_tender" and self.method_approval != "approved":
            raise RuleError("采购方式尚未经财政部门批准")
        Publication.check(medium, published_on)
        if self.method != "single_source":
            days = MIN_RESPONSE_DAYS.get(self.method, 0)
            if self.bid_deadline.date() < published_on + timedelta(days=days) or self.bid_deadline <= clock.now():
                raise RuleError(f"响应截止时间须在公告发布 {days} 日之后且晚于当前时间", field="bid_deadline")
        self.notice_published_on = published_on
        if self.method == "single_source":
            self.objection_ends_on = add_working_days(published_on, 5)
            self.status = "objection"
            kind = "single_source"
        else:
            self.status = "notice_published"
            kind = "notice"
        self.publications.append(Publication(kind=kind, medium=medium, url=url or None, published_on=published_on))

    def submit_bid(self, user, contractor, price, service_plan, staff):
        if user.role != "contractor" or user.contractor_id != contractor.id:
            raise NotAllowed("只能以本机构名义投标")
        self.state_check("bid")
        now = clock.now()
        if self.status == "notice_published" and now >= self.bid_deadline:
            raise RuleError("已过响应截止时间，不能再提交", field="price")
        if self.status == "objection" and contractor.id != self.single_source_contractor_id:
            raise NotAllowed("单一来源采购只接受确定的供应商报价")
        if self.method == "invited_tender" and contractor not in self.invitees:
            raise NotAllowed("本项目为邀请招标，贵机构未被邀请")
        obstacles = contractor.bid_obstacles(self.unit_id, self.category)
        if obstacles:
            raise RuleError("不能参与本次采购：" + "；".join(obstacles), field="price")
        price = money(price) if price is not None else None
        if price is None or price <= 0:
            raise RuleError("请填写有效的报价", field="price")
        if price > self.budget:
            raise RuleError(f"报价超过采购预算 {self.budget} 元", field="price")
        if any(b.contractor_id == contractor.id for b in self.bids):
            raise TransitionError("贵机构已提交响应文件")
        if any(m.contractor_id != contractor.id for m in staff):
            raise RuleError("只能承诺本机构的工作人员", field="staff")
        bid = Bid(contractor=contractor, price=price, service_plan=service_plan, staff=list(staff),
                  submitted_at=now)
        self.bids.append(bid)
        return bid

    def open_bids(self, user):
        """After the deadline: too few valid bids fail the procurement (DOMAIN.md §8)."""
        _require_unit_staff(user, self.unit_id)
        self._require_state("notice_published")
        if clock.now() < self.bid_deadline:
            raise RuleError("响应截止时间未到，不能开标")
        self.bids_opened_at = clock.now()
        self.status = "bids_open"
        self._fail_if_too_few()

    def _fail_if_too_few(self):
        needed = MIN_VALID_BIDS[self.method]
        if len(self.valid_bids) < needed:
            self.status = "failed"
            self.failed_reason = f"有效响应不足 {needed} 家（实有 {len(self.valid_bids)} 家）"
            return True
        return False

    def reject_bid(self, user, bid, reason):
        _require_unit_staff(user, self.unit_id)
        self._require_state("bids_open")
        if not (reason or "").strip():
            raise RuleError("请说明无效的理由", field="reason")
        bid.valid, bid.invalid_reason = False, reason
        self._fail_if_too_few()

    def record_scores(self, user, member, bid, scores):
        """One panel member's scores for one bid: {criterion_id: score}."""
        _require_unit_staff(user, self.unit_id)
        self._require_state("bids_open")
        if not (member or "").strip():
            raise RuleError("请填写评审专家姓名", field="member")
        if not bid.valid:
            raise RuleError("无效响应不评分")
        by_id = {c.id: c for c in self.criteria}
        if set(scores) != set(by_id):
            raise RuleError("请为每一项评审因素打分", field="scores")
        for cid, score in scores.items():
            if score is None or not Decimal(0) <= Decimal(score) <= by_id[cid].weight:
                raise RuleError(f"「{by_id[cid].name}」的得分应在 0 至 {by_id[cid].weight} 之间", field="scores")
        bid.panel_scores = [s for s in bid.panel_scores if s.member != member.strip()]
        for cid, score in scores.items():
            bid.panel_scores.append(PanelScore(member=member.strip(), criterion_id=cid, score=Decimal(score)))

    def evaluate(self, user):
        """Price score = lowest valid price ÷ price × price weight; plus the mean of members' other scores."""
        _require_unit_staff(user, self.unit_id)
        self._require_state("bids_open")
        valid = self.valid_bids
        if any(not b.panel_scores for b in valid):
            raise RuleError("每个有效响应都须有评审专家打分")
        lowest = min(b.price for b in valid)
        for b in valid:
            b.price_score = (lowest / b.price * self.price_weight).quantize(FEN, rounding=ROUND_HALF_UP)
            members = {s.member for s in b.panel_scores}
            other = sum(s.score for s in b.panel_scores) / len(members)
            b.other_score = Decimal(other).quantize(FEN, rounding=ROUND_HALF_UP)
            b.total_score = b.price_score + b.other_score
        ranked = sorted(valid, key=lambda b: (-b.total_score, b.price, b.submitted_at))
        for rank, b in enumerate(ranked, 1):
            b.rank = rank
        self.status, self.evaluated_on = "evaluated", clock.today()

    def award(self, user, bid, medium, url, published_on):
        _require_unit_staff(user, self.unit_id)
        if self.method == "single_source":
            self._require_state("objection")
            if clock.today() <= self.objection_ends_on:
                raise RuleError(f"单一来源公示期至 {self.objection_ends_on:%Y-%m-%d} 结束后方可确定成交")
            if bid is None or bid.contractor_id != self.single_source_contractor_id:
                raise RuleError("供应商尚未报价", field="bid")
        else:
            self._require_state("evaluated")
            if bid is None or not bid.valid or bid.procurement_id != self.id:
                raise RuleError("请选择一个有效响应", field="bid")
        Publication.check(medium, published_on)
        self.award_bid, self.awarded_on, self.status = bid, clock.today(), "awarded"
        self.publications.append(Publication(kind="award", medium=medium, url=url or None, published_on=published_on))

    def fail(self, user, reason):
        _require_unit_staff(user, self.unit_id)
        self.state_check("fail")
        if not (reason or "").strip():
            raise RuleError("请说明采购失败或取消的原因", field="reason")
        self.status, self.failed_reason = "failed", reason

    def follow_up(self, user, title, summary, expected_month, medium, url, published_on):
        """A new procurement after a failed one: new ocid, the same plan items, a link back."""
        self.state_check("follow_up")
        plan = self.plan_items[0].plan
        return Procurement.from_intention(user, plan, list(self.plan_items), title, summary, expected_month,
                                          medium, url, published_on, predecessor=self)

    # ---- deadlines (DOMAIN.md §5), computed when read
    def deadlines(self):
        out = []
        if self.evaluated_on:
            due = add_working_days(self.evaluated_on, 2)
            done = next((p.published_on for p in self.publications if p.kind == "award"), None)
            out.append(("成交结果公告（评审后 2 个工作日内）", due, done))
        if self.awarded_on:
            signed = min((c.signed_on for c in self.contracts), default=None)
            out.append(("签订合同（成交后 30 日内）", self.awarded_on + timedelta(days=30), signed))
        return out


class Criterion(db.Model):
    __tablename__ = "criterion"

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(ForeignKey("procurement.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(Text)
    weight: Mapped[Decimal] = mapped_column(Numeric(5, 2))

    procurement = relationship("Procurement", back_populates="criteria")


bid_staff = Table(
    "bid_staff", db.metadata,
    Column("bid_id", ForeignKey("bid.id", ondelete="CASCADE"), primary_key=True),
    Column("staff_member_id", ForeignKey("staff_member.id"), primary_key=True),
)


class Bid(db.Model):
    __tablename__ = "bid"
    __table_args__ = (UniqueConstraint("procurement_id", "contractor_id", name="uq_bid_procurement_contractor"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    procurement_id: Mapped[int] = mapped_column(ForeignKey("procurement.id", ondelete="CASCADE"), index=True)
    contractor_id: Mapped[int] = mapped_column(ForeignKey("contractor.id"), index=True)
    price: Mapped[Decimal] = mapped_column(Money)
    service_plan_id: Mapped[int | None] = mapped_column(ForeignKey("attachment.id"))
    submitted_at: Mapped[datetime]
    valid: Mapped[bool] = mapped_column(default=True)
    invalid_reason: Mapped[str | None] = mapped_column(Text)
    price_score: Mapped[Decimal | None] = mapped_column(Numeric(7, 2))
    other_score: Mapped[Decimal | None] = mapped_column(Numeric(7, 2))
    total_score: Mapped[Decimal | None] = mapped_column(Numeric(7, 2))
    rank: Mapped[int | None]

    procurement = relationship("Procurement", back_populates="bids", foreign_keys=[procurement_id])
    contractor = relationship("Contractor")
    service_plan = relationship("Attachment")
    staff = relationship("StaffMember", secondary=bid_staff)
    panel_scores = relationship("PanelScore", back_populates="bid", cascade="all, delete-orphan",
                                order_by="PanelScore.id")


class PanelScore(db.Model):
    __tablename__ = "panel_score"

    id: Mapped[int] = mapped_column(primary_key=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bid.id", ondelete="CASCADE"), index=True)
    member: Mapped[str] = mapped_column(String(100))
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criterion.id", ondelete="CASCADE"))
    score: Mapped[Decimal] = mapped_column(Numeric(5, 2))

    bid = relationship("Bid", back_populates="panel_scores")
    criterion = relationship("Criterion")
