"""Contracting organisations, their qualification reviews, exits, bars and staff (DESIGN.md §1, §4)."""
import re
from datetime import date, datetime, timedelta

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.base import NotAllowed, RuleError, StateRulesMixin, TimestampMixin, TransitionError, VersionedMixin
from models.codes import (BAR_REASONS, CONDITIONS, CONTRACTOR_STATUSES, ORG_TYPES, REJECT_REASONS,
                          SUSPEND_REASONS, TERMINATE_REASONS)
from models import clock

CASE_CODE = re.compile(r"^[0-9A-Za-z\u4e00-\u9fff]{1,10}$")

contractor_unit = Table(
    "contractor_unit",
    db.metadata,
    Column("contractor_id", ForeignKey("contractor.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("unit.id"), primary_key=True),
)


# A condition may carry several evidence files: the current ones of a qualification, and the ones a
# review judged (its snapshot). The association's own id keeps the order in which they were attached.
qualification_evidence = Table(
    "qualification_evidence",
    db.metadata,
    Column("id", Integer, primary_key=True),
    Column("qualification_id", ForeignKey("qualification.id", ondelete="CASCADE"), index=True, nullable=False),
    Column("attachment_id", ForeignKey("attachment.id"), index=True, nullable=False),
)
condition_review_evidence = Table(
    "condition_review_evidence",
    db.metadata,
    Column("id", Integer, primary_key=True),
    Column("condition_review_id", ForeignKey("condition_review.id", ondelete="CASCADE"), index=True,
           nullable=False),
    Column("attachment_id", ForeignKey("attachment.id"), index=True, nullable=False),
)
MAX_EVIDENCE_FILES = 5  # per condition


class Contractor(StateRulesMixin, TimestampMixin, db.Model):
    __tablename__ = "contractor"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    org_type: Mapped[str] = mapped_column(String(20))
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    seat_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    legal_representative: Mapped[str] = mapped_column(Text)
    address: Mapped[str] = mapped_column(Text)
    contact_name: Mapped[str] = mapped_column(Text)
    contact_phone: Mapped[str] = mapped_column(String(40))
    serves_mediation: Mapped[bool] = mapped_column(default=False)
    serves_assistance: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    approved_at: Mapped[datetime | None]
    # The {short} of its mediation case numbers, e.g. 昆 in （2026）昆调字第15号: unique, so that two
    # organisations seated in one district never draw the same number (each has its own counter).
    case_code: Mapped[str | None] = mapped_column(String(10), unique=True)

    seat_unit = relationship("Unit")
    target_units = relationship("Unit", secondary=contractor_unit, order_by="Unit.code")
    qualifications = relationship("Qualification", back_populates="contractor",
                                  order_by="Qualification.condition", cascade="all, delete-orphan")
    rounds = relationship("ReviewRound", back_populates="contractor", order_by="ReviewRound.number",
                          cascade="all, delete-orphan")
    events = relationship("ContractorEvent", back_populates="contractor",
                          order_by="ContractorEvent.id", cascade="all, delete-orphan")
    bars = relationship("Bar", back_populates="contractor", order_by="Bar.id", cascade="all, delete-orphan")
    staff = relationship("StaffMember", back_populates="contractor", order_by="StaffMember.id",
                         cascade="all, delete-orphan")

    # ---- labels
    @property
    def status_label(self):
        return CONTRACTOR_STATUSES[self.status]

    @property
    def org_type_label(self):
        return ORG_TYPES.get(self.org_type, self.org_type)

    @property
    def categories_label(self):
        parts = [label for flag, label in ((self.serves_mediation, "人民调解"), (self.serves_assistance, "安置帮教")) if flag]
        return "、".join(parts)

    def qualification(self, condition):
        return next((q for q in self.qualifications if q.condition == condition), None)

    @property
    def open_round(self):
        return next((r for r in reversed(self.rounds) if r.reviewed_at is None), None)

    # ---- rules read from the clock
    def expired_conditions(self, today=None):
        today = today or clock.today()
        return [q for q in self.qualifications if q.accepted_expires_on and q.accepted_expires_on < today]

    def expiring_conditions(self, days=30, today=None):
        today = today or clock.today()
        return [q for q in self.qualifications
                if q.accepted_expires_on and today <= q.accepted_expires_on <= today + timedelta(days=days)]

    def active_bar(self, unit_id, today=None):
        today = today or clock.today()
        return next((b for b in self.bars if b.unit_id == unit_id and b.is_active(today)), None)

    def bid_obstacles(self, unit_id, category=None, today=None):
        """Why this organisation may not bid for the unit's procurement today (empty: it may)."""
        today = today or clock.today()
        reasons = []
        if self.status != "approved":
            reasons.append(f"资格状态为「{self.status_label}」")
        if self.active_bar(unit_id, today):
            reasons.append("被该单位禁止参与采购")
        if self.expired_conditions(today):
            reasons.append("有资格条件材料已过期")
        if category == "mediation" and not self.serves_mediation:
            reasons.append("未申报人民调解服务类别")
        if category == "assistance" and not self.serves_assistance:
            reasons.append("未申报安置帮教服务类别")
        return reasons

    def may_bid(self, unit_id, category=None, today=None):
        return not self.bid_obstacles(unit_id, category, today)

    # ---- the code in its case numbers
    def default_case_code(self):
        """The seat unit's short name (昆), or, when another organisation holds it, 昆2, 昆3 …"""
        from models.unit import Unit

        base = db.session.get(Unit, self.seat_unit_id).short_name
        taken = set(db.session.scalars(select(Contractor.case_code).where(
            Contractor.case_code.is_not(None), Contractor.id != self.id) if self.id else
            select(Contractor.case_code).where(Contractor.case_code.is_not(None))))
        n, code = 1, base
        while code in taken:
            n += 1
            code = f"{base}{n}"
        return code

    def number_code(self):
        """The code used in its case numbers; an organisation without one gets its default now."""
        if not self.case_code:
            self.case_code = self.default_case_code()
        return self.case_code

    # ---- what the organisation's state offers
    STATE_RULES = {
        "suspend": (lambda o: o.status == "approved", "只有已通过的机构可以暂停"),
        "lift": (lambda o: o.status == "suspended", "该机构未被暂停"),
        "terminate": (lambda o: o.status in ("approved", "suspended"), "只有已通过或已暂停的机构可以终止资格"),
        "case_code": (lambda o: o.serves_mediation, "该机构未申报人民调解服务类别，不使用调解案件编号"),
        "revise": (lambda o: o.status != "terminated", "机构已退出，不能修改资格材料"),
        "revise_open": (lambda o: o.status != "pending", "材料正在审核中，审核结束前不能修改"),
    }


    # ---- transitions
    def _log(self, kind, user, reason_code=None, reason_text=None):
        self.events.append(ContractorEvent(kind=kind, user_id=user.id if user else None,
                                           unit_id=getattr(user, "unit_id", None),
                                           reason_code=reason_code, reason_text=reason_text,
                                           at=clock.now()))

    def _require_seat_unit(self, user):
        if not (user.is_unit_staff and user.unit_id == self.seat_unit_id):
            raise NotAllowed("只有机构住所地的司法局可以进行此操作")

    def submit(self, user):
        """First submission at registration: opens round 1."""
        self.rounds.append(ReviewRound(number=1, submitted_at=clock.now(), submitted_by_id=user.id if user else None))
        self._log("registered", user)

    def revise_condition(self, condition, user, statement, files=None, expires_on=None):
        """The contractor fixes a rejected condition or renews expiring evidence; it goes back for review.

        `files`: the condition's evidence from now on (kept ones and new ones), None to leave it as is.
        """
        self.state_check("revise")
        q = self.qualification(condition)
        self.state_check("revise_open")
        if CONDITIONS[condition][2] and expires_on is None:
            raise RuleError("请填写材料有效期", field="expires_on")
        if files is not None:
            if not files:
                raise RuleError("请至少保留或上传一个证明材料", field="evidence")
            if len(files) > MAX_EVIDENCE_FILES:
                raise RuleError(f"每个条件最多 {MAX_EVIDENCE_FILES} 个证明材料", field="evidence")
        q.statement = statement
        if files is not None:
            q.files = list(files)
        q.expires_on = expires_on if CONDITIONS[condition][2] else None
        q.verdict = "pending"
        q.reason_code = q.reason_text = None
        if self.status in ("approved", "suspended") and self.open_round is None:
            # Renewal of an approved organisation: a re-check round, the status stays as it is.
            self.rounds.append(ReviewRound(number=len(self.rounds) + 1, kind="recheck",
                                           submitted_at=clock.now(), submitted_by_id=user.id))
            self._log("renewed", user)

    def resubmit(self, user):
        if self.status != "rejected":
            raise TransitionError("只有被退回的申请可以重新提交")
        if any(q.verdict == "rejected" for q in self.qualifications):
            raise RuleError("请先修改所有被认定为不符合的条件，再重新提交")
        self.status = "pending"
        self.rounds.append(ReviewRound(number=len(self.rounds) + 1, submitted_at=clock.now(),
                                       submitted_by_id=user.id))
        self._log("resubmitted", user)

    def review(self, user, verdicts):
        """Rule on the conditions under review. verdicts: {condition: (verdict, reason_code, reason_text)}.

        A pending application ends approved when every condition is accepted, otherwise rejected.
        A re-check of renewed evidence leaves the status as it is.
        """
        self._require_seat_unit(user)
        round_ = self.open_round
        if round_ is None:
            raise TransitionError("该机构没有待审核的材料")
        under_review = [q for q in self.qualifications if q.verdict == "pending"]
        for q in under_review:
            verdict, code, text = verdicts.get(q.condition, (None, None, None))
            if verdict not in ("accepted", "rejected"):
                raise RuleError(f"请对条件{q.condition}作出认定", field=f"c{q.condition}")
            if verdict == "rejected" and code not in REJECT_REASONS:
                raise RuleError(f"条件{q.condition}认定为不符合时，请选择退回原因", field=f"c{q.condition}")
        now = clock.now()
        for q in under_review:
            verdict, code, text = verdicts[q.condition]
            q.verdict = verdict
            q.reason_code = code if verdict == "rejected" else None
            q.reason_text = (text or None) if verdict == "rejected" else None
            q.reviewed_at, q.reviewed_by_id = now, user.id
            if verdict == "accepted":
                q.accepted_expires_on = q.expires_on
            round_.reviews.append(ConditionReview(
                condition=q.condition, statement=q.statement, files=list(q.files),
                expires_on=q.expires_on, verdict=verdict, reason_code=q.reason_code,
                reason_text=q.reason_text))
        round_.reviewed_at, round_.reviewer_id = now, user.id
        if round_.kind == "recheck":
            round_.outcome = "rechecked"
            self._log("rechecked", user)
        elif all(q.verdict == "accepted" for q in self.qualifications):
            self.status, self.approved_at, round_.outcome = "approved", now, "approved"
            self._log("approved", user)
        else:
            self.status, round_.outcome = "rejected", "rejected"
            self._log("rejected", user)
        return round_.outcome

    def suspend(self, user, code, text):
        self._require_seat_unit(user)
        self.state_check("suspend")
        if code not in SUSPEND_REASONS:
            raise RuleError("请选择暂停原因", field="reason_code")
        self.status = "suspended"
        self._log("suspended", user, code, text)

    def lift_suspension(self, user, reason):
        self._require_seat_unit(user)
        self.state_check("lift")
        if not (reason or "").strip():
            raise RuleError("恢复资格须说明理由", field="reason_text")
        self.status = "approved"
        self._log("lifted", user, None, reason)

    def terminate(self, user, code, text):
        self._require_seat_unit(user)
        self.state_check("terminate")
        if code not in TERMINATE_REASONS:
            raise RuleError("请选择退出原因", field="reason_code")
        self.status = "terminated"
        self._log("terminated", user, code, text)

    def bar(self, user, until, code, text):
        """Any unit bars the organisation from its own procurements until a date (inclusive)."""
        if not user.is_unit_staff:
            raise NotAllowed("只有购买主体可以禁止机构参与采购")
        today = clock.today()
        if until is None or until < today:
            raise RuleError("禁止截止日期不能早于今天", field="until")
        if code not in BAR_REASONS:
            raise RuleError("请选择禁止原因", field="reason_code")
        bar = Bar(unit_id=user.unit_id, starts_on=today, until=until, reason_code=code,
                  reason_text=text, created_by_id=user.id)
        self.bars.append(bar)
        self._log("barred", user, code, text)
        return bar

    def __str__(self):
        return self.name


class Qualification(VersionedMixin, db.Model):
    """The organisation's current statement and evidence for one eligibility condition."""

    __tablename__ = "qualification"
    __table_args__ = (UniqueConstraint("contractor_id", "condition", name="uq_qualification_condition"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contractor_id: Mapped[int] = mapped_column(ForeignKey("contractor.id", ondelete="CASCADE"))
    condition: Mapped[int]
    statement: Mapped[str] = mapped_column(Text)
    expires_on: Mapped[date | None]
    accepted_expires_on: Mapped[date | None] = mapped_column(index=True)
    verdict: Mapped[str] = mapped_column(String(10), default="pending")
    reason_code: Mapped[str | None] = mapped_column(String(20))
    reason_text: Mapped[str | None] = mapped_column(Text)
    reviewed_at: Mapped[datetime | None]
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    contractor = relationship("Contractor", back_populates="qualifications")
    files = relationship("Attachment", secondary=qualification_evidence, order_by=qualification_evidence.c.id)

    @property
    def evidence(self):
        """The first evidence file (most conditions have one); `files` holds them all."""
        return self.files[0] if self.files else None

    @evidence.setter
    def evidence(self, attachment):
        self.files = [attachment] if attachment is not None else []

    @property
    def evidence_id(self):
        return self.evidence.id if self.evidence else None

    @property
    def title(self):
        return CONDITIONS[self.condition][0]

    @property
    def expires(self):
        return CONDITIONS[self.condition][2]

    @property
    def reason_label(self):
        return REJECT_REASONS.get(self.reason_code, "")


class ReviewRound(db.Model):
    """One submission and its review; the rounds are the history of the qualification."""

    __tablename__ = "review_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    contractor_id: Mapped[int] = mapped_column(ForeignKey("contractor.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20), default="application")  # application | recheck
    submitted_at: Mapped[datetime]
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reviewed_at: Mapped[datetime | None]
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    outcome: Mapped[str | None] = mapped_column(String(10))  # approved | rejected | rechecked

    contractor = relationship("Contractor", back_populates="rounds")
    reviewer = relationship("User", foreign_keys=[reviewer_id])
    reviews = relationship("ConditionReview", back_populates="round", order_by="ConditionReview.condition",
                           cascade="all, delete-orphan")

    @property
    def outcome_label(self):
        return {"approved": "通过", "rejected": "退回", "rechecked": "已复核", None: "待审核"}[self.outcome]


class ConditionReview(db.Model):
    """A verdict on one condition in one round, with a snapshot of what was judged."""

    __tablename__ = "condition_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("review_round.id", ondelete="CASCADE"), index=True)
    condition: Mapped[int]
    statement: Mapped[str] = mapped_column(Text)
    expires_on: Mapped[date | None]
    verdict: Mapped[str] = mapped_column(String(10))
    reason_code: Mapped[str | None] = mapped_column(String(20))
    reason_text: Mapped[str | None] = mapped_column(Text)

    round = relationship("ReviewRound", back_populates="reviews")
    files = relationship("Attachment", secondary=condition_review_evidence,
                         order_by=condition_review_evidence.c.id)

    @property
    def title(self):
        return CONDITIONS[self.condition][0]

    @property
    def reason_label(self):
        return REJECT_REASONS.get(self.reason_code, "")


class ContractorEvent(db.Model):
    """History of the organisation's status: registration, reviews, suspensions, exits and bars."""

    __tablename__ = "contractor_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    contractor_id: Mapped[int] = mapped_column(ForeignKey("contractor.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    reason_code: Mapped[str | None] = mapped_column(String(20))
    reason_text: Mapped[str | None] = mapped_column(Text)

    contractor = relationship("Contractor", back_populates="events")
    unit = relationship("Unit")
    user = relationship("User")

    @property
    def kind_label(self):
        from models.codes import EVENT_KINDS

        return EVENT_KINDS.get(self.kind, self.kind)

    @property
    def reason_label(self):
        if self.kind == "contract_terminated":
            return ""  # the contract's reason is spelled out in reason_text
        table = TERMINATE_REASONS if self.kind == "terminated" else SUSPEND_REASONS
        return table.get(self.reason_code, "") if self.reason_code else ""


class Bar(db.Model):
    """A unit bars an organisation from its own procurements; it ends by itself after `until`."""

    __tablename__ = "bar"

    id: Mapped[int] = mapped_column(primary_key=True)
    contractor_id: Mapped[int] = mapped_column(ForeignKey("contractor.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    starts_on: Mapped[date]
    until: Mapped[date]
    reason_code: Mapped[str] = mapped_column(String(20))
    reason_text: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    contractor = relationship("Contractor", back_populates="bars")
    unit = relationship("Unit")

    def is_active(self, today=None):
        today = today or clock.today()
        return self.starts_on <= today <= self.until

    @property
    def reason_label(self):
        return BAR_REASONS.get(self.reason_code, "")


class StaffMember(TimestampMixin, VersionedMixin, db.Model):
    __tablename__ = "staff_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    contractor_id: Mapped[int] = mapped_column(ForeignKey("contractor.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(Text)
    id_number: Mapped[str] = mapped_column(String(18))
    profession: Mapped[str] = mapped_column(String(20))
    phone: Mapped[str] = mapped_column(String(40))
    cert_number: Mapped[str | None] = mapped_column(String(100))
    cert_issuer: Mapped[str | None] = mapped_column(Text)
    cert_valid_from: Mapped[date | None]
    cert_valid_until: Mapped[date | None]
    active: Mapped[bool] = mapped_column(default=True)

    contractor = relationship("Contractor", back_populates="staff")
    user = relationship("User", foreign_keys="User.staff_member_id", uselist=False, viewonly=True)

    @property
    def profession_label(self):
        from models.codes import PROFESSIONS

        return PROFESSIONS.get(self.profession, self.profession)

    def may_mediate_on(self, day=None):
        """May this person be assigned mediation cases on `day`: active, certified, certificate valid."""
        day = day or clock.today()
        return bool(self.active and self.cert_number and self.cert_valid_from and self.cert_valid_until
                    and self.cert_valid_from <= day <= self.cert_valid_until)

    def check(self):
        """Rules on the record's own fields; raises RuleError naming the field."""
        if self.cert_number or self.profession == "mediator":
            if not self.cert_number:
                raise RuleError("人民调解员须填写证书编号", field="cert_number")
            if not (self.cert_issuer and self.cert_valid_from and self.cert_valid_until):
                raise RuleError("请填写发证机关和证书有效期", field="cert_issuer")
            if self.cert_valid_until < self.cert_valid_from:
                raise RuleError("证书有效期截止日不能早于起始日", field="cert_valid_until")


class EvaluationBody(TimestampMixin, db.Model):
    """A third-party evaluation organisation, registered by the admin."""

    __tablename__ = "evaluation_body"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    contact_name: Mapped[str] = mapped_column(Text)
    contact_phone: Mapped[str] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(default=True)

    def __str__(self):
        return self.name
