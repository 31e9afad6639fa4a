"""The mediation case: its columns, labels, who may act on it and the checks of its state.

The state changes themselves are methods of models.mediation.workflow.CaseWorkflow (DESIGN.md §4).
"""
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String, Text, UniqueConstraint, select, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models import clock
from models.base import NotAllowed, TimestampMixin, TransitionError, one_of
from models.mediation.codes import code_table
from models.mediation.numbering import take_number
from models.mediation.work import QuarterClose
from models.mediation.workflow import CaseWorkflow
from models.mediation_codes import CATEGORIES, FAIL_REASONS, OPEN, RETENTION, ROUTES, SOURCES, STATUSES
from models.setting import Setting

Money = Numeric(14, 2)


_OPEN_SQL = "status IN (%s)" % ", ".join(f"'{s}'" for s in OPEN)


def status_condition(*statuses):
    """The case is in one of these statuses, in the form a partial index on them answers."""
    return one_of(MediationCase.status, *statuses)


def open_condition():
    """Open (registered, investigating, mediating): the partial indexes' own condition."""
    return status_condition(*OPEN)


def overdue_condition(today):
    """Open and past its time limit, in the form the partial index ix_mediation_case_open_due answers."""
    return open_condition() & (MediationCase.due_on < today)


class MediationCase(CaseWorkflow, TimestampMixin, db.Model):
    __tablename__ = "mediation_case"
    __table_args__ = (
        UniqueConstraint("contractor_id", "year", "seq", name="uq_mediation_case_seq"),
        Index("ix_mediation_case_contractor_received", "contractor_id", "received_on"),
        Index("ix_mediation_case_area_received", "area_unit_id", "received_on"),
        Index("ix_mediation_case_area_concluded", "area_unit_id", "concluded_on"),
        # The case list's date-range and overdue filters, answered from the index alone, scope columns
        # included, so that only the page's rows are read from the table (issue 8).
        # (PostgreSQL: with the id as an INCLUDE column, so that the index alone answers; SQLite's has the rowid.)
        Index("ix_mediation_case_received_scope", "received_on", "area_unit_id", "contract_id",
              postgresql_include=["id"]),
        Index("ix_mediation_case_open_due", "due_on", "status", "area_unit_id", "contract_id",
              sqlite_where=text(_OPEN_SQL), postgresql_where=text(_OPEN_SQL)),
        # An organisation's open cases by time limit (its cases to assign, a mediator's own cases) and its
        # succeeded ones (agreements to follow up): the inbox reads them on every page's badge (issue 16).
        Index("ix_mediation_case_open_contractor", "contractor_id", "due_on",
              sqlite_where=text(_OPEN_SQL), postgresql_where=text(_OPEN_SQL)),
        Index("ix_mediation_case_succeeded", "contractor_id", "area_unit_id",
              sqlite_where=text("status = 'succeeded'"), postgresql_where=text("status = 'succeeded'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contractor_id: Mapped[int] = mapped_column(ForeignKey("contractor.id"), index=True)
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contract.id"), index=True)
    area_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    township: Mapped[str] = mapped_column(String(100), default="", index=True)
    year: Mapped[int]
    seq: Mapped[int]
    number: Mapped[str] = mapped_column(String(80), unique=True)
    source: Mapped[str] = mapped_column(String(30), index=True)
    source_body: Mapped[str | None] = mapped_column(Text)  # which court, police station, office …
    source_ref: Mapped[str | None] = mapped_column(String(200))  # their reference number
    category: Mapped[str] = mapped_column(String(30), index=True)
    amount: Mapped[Decimal | None] = mapped_column(Money)
    facts: Mapped[str] = mapped_column(Text)
    requests: Mapped[str] = mapped_column(Text)
    received_on: Mapped[date]  # indexed by ix_mediation_case_received_scope
    due_on: Mapped[date] = mapped_column(index=True)  # received + time limit, or the consented extension
    extension_consent: Mapped[str | None] = mapped_column(Text)
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="registered", index=True)
    outcome: Mapped[str | None] = mapped_column(String(20), index=True)
    concluded_on: Mapped[date | None] = mapped_column(index=True)
    fail_reason: Mapped[str | None] = mapped_column(String(30))
    routes: Mapped[str | None] = mapped_column(String(100))  # comma-separated ROUTES keys told to the parties
    outcome_note: Mapped[str | None] = mapped_column(Text)
    file_note: Mapped[str | None] = mapped_column(Text)  # 卷宗情况说明 (why withdrawn or refused)
    notice_given_on: Mapped[date | None]
    archived_on: Mapped[date | None] = mapped_column(index=True)
    archived_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    retention: Mapped[str | None] = mapped_column(String(20))

    contractor = relationship("Contractor")
    contract = relationship("Contract")
    area_unit = relationship("Unit")
    registered_by = relationship("User", foreign_keys=[registered_by_id])
    archived_by = relationship("User", foreign_keys=[archived_by_id])
    parties = relationship("Party", back_populates="case", order_by="Party.id", cascade="all, delete-orphan")
    assignments = relationship("Assignment", back_populates="case", order_by="Assignment.id",
                               cascade="all, delete-orphan")
    records = relationship("CaseRecord", back_populates="case", order_by="CaseRecord.held_at",
                           cascade="all, delete-orphan")
    agreement = relationship("Agreement", back_populates="case", uselist=False, cascade="all, delete-orphan")
    follow_ups = relationship("FollowUp", back_populates="case", order_by="FollowUp.visited_on",
                              cascade="all, delete-orphan")
    confirmation = relationship("JudicialConfirmation", back_populates="case", uselist=False,
                                cascade="all, delete-orphan")
    police_reports = relationship("PoliceReport", back_populates="case", order_by="PoliceReport.reported_at",
                                  cascade="all, delete-orphan")
    file_items = relationship("FileItem", back_populates="case", order_by="FileItem.id",
                              cascade="all, delete-orphan")

    # ---- labels and reading
    @property
    def status_label(self):
        return STATUSES[self.status]

    @property
    def outcome_key(self):
        """written / oral / failed / withdrawn / refused, or None while open."""
        if self.outcome == "succeeded":
            return self.agreement.kind if self.agreement else "written"
        return self.outcome

    @property
    def outcome_label(self):
        return {"written": "调解成功（书面协议）", "oral": "调解成功（口头协议）", "failed": "调解不成",
                "withdrawn": "撤回", "refused": "当事人拒绝调解", None: ""}[self.outcome_key]

    @property
    def category_label(self):
        return CATEGORIES.get(self.category) or code_table("category").get(self.category, self.category)

    @property
    def source_label(self):
        return SOURCES.get(self.source, self.source)

    @property
    def fail_reason_label(self):
        if not self.fail_reason:
            return ""
        return FAIL_REASONS.get(self.fail_reason) or code_table("fail_reason").get(self.fail_reason, "")

    @property
    def routes_label(self):
        return "、".join(ROUTES[r] for r in (self.routes or "").split(",") if r in ROUTES)

    @property
    def retention_label(self):
        return RETENTION.get(self.retention, "") if self.retention else ""

    @property
    def is_open(self):
        return self.status in OPEN

    @property
    def is_ended(self):
        return self.outcome is not None

    @property
    def is_archived(self):
        return self.status == "archived"

    def is_overdue(self, today=None):
        return self.is_open and (today or clock.today()) > self.due_on

    @property
    def applicants(self):
        return [p for p in self.parties if p.side == "applicant"]

    @property
    def respondents(self):
        return [p for p in self.parties if p.side == "respondent"]

    @property
    def current_assignments(self):
        return [a for a in self.assignments if a.ended_on is None]

    @property
    def mediators(self):
        return [a.staff_member for a in self.current_assignments]

    @property
    def mediator_names(self):
        return "、".join(m.name for m in self.mediators)

    @property
    def investigations(self):
        return [r for r in self.records if r.kind == "investigation"]

    @property
    def sessions(self):
        return [r for r in self.records if r.kind == "session"]

    @property
    def latest_follow_up(self):
        return self.follow_ups[-1] if self.follow_ups else None

    def follow_up_due_on(self):
        """30 days (setting) after the agreement's performance deadline, or after the agreement itself."""
        if not self.agreement:
            return None
        base = self.agreement.performance_due or self.agreement.effective_on
        return base + timedelta(days=Setting.get("mediation.follow_up_days"))

    def confirmation_deadline(self):
        """Parties apply for judicial confirmation within 30 days of the agreement taking effect."""
        return self.agreement.effective_on + timedelta(days=30) if self.agreement else None

    # ---- who may act
    def is_mediator(self, user):
        return (user.role == "worker" and user.staff_member_id is not None
                and any(a.staff_member_id == user.staff_member_id for a in self.current_assignments))

    def is_org_admin(self, user):
        return user.role == "contractor" and user.contractor_id == self.contractor_id

    def may_work(self, user):
        """The admin and the assigned mediators; the registering worker too until mediators are assigned."""
        registrar = user.role == "worker" and user.id == self.registered_by_id and not self.current_assignments
        return self.is_org_admin(user) or self.is_mediator(user) or registrar

    def _require_worker(self, user):
        if not self.may_work(user):
            raise NotAllowed("只有承办本案的调解员或本机构管理员可以进行此操作")

    def _require_unlocked(self):
        if self.is_archived:
            raise TransitionError("案件已归档，不能再修改")

    def _quarter_gate(self, day, reason, user, record_type):
        """A record dated in a quarter the unit closed needs a logged reason (models.quarters.gate)."""
        from models import quarters

        return quarters.gate(self.contract_id, day, reason, user, record_type)

    @property
    def has_closed_quarters(self):
        """Whether the forms should ask for a late-entry reason at all."""
        return self.contract_id is not None and db.session.scalar(
            select(QuarterClose.id).where(QuarterClose.contract_id == self.contract_id).limit(1)) is not None

    def _require_open(self, what="此操作"):
        self._require_unlocked()
        if not self.is_open:
            raise TransitionError(f"案件已结案，不能{what}")

    def _require_registered(self):
        self._require_unlocked()
        if self.status != "registered":
            raise TransitionError("只有刚登记、尚未开始调查调解的案件可以因当事人拒绝而终止")

    def _require_succeeded(self):
        self._require_unlocked()
        if self.outcome != "succeeded":
            raise TransitionError("只有调解成功的案件需要回访")

    def _require_written_agreement(self):
        self._require_unlocked()
        if self.outcome != "succeeded" or self.agreement is None or self.agreement.kind != "written":
            raise TransitionError("只有书面调解协议可以申请司法确认")

    def _require_ended(self):
        self._require_unlocked()
        if not self.is_ended:
            raise TransitionError("只有已结案的案件可以归档")

    def state_check(self, action):
        """Raise TransitionError when the case's state does not offer `action` (the first check the
        action itself makes; the views run it before reading the form, so the answer is 409, not 422)."""
        {"assign": lambda: self._require_open("再指派调解员"), "notice": lambda: self._require_open("再告知"),
         "record": lambda: self._require_open("再添加记录"), "refuse": self._require_registered,
         "withdraw": lambda: self._require_open("撤回"), "succeed": self._require_mediated,
         "fail": self._require_mediated, "extend": lambda: self._require_open("延长期限"),
         "police": self._require_unlocked, "follow_up": self._require_succeeded,
         "confirmation": self._require_written_agreement, "file": self._require_unlocked,
         "archive": self._require_ended}[action]()



def intake(user, fields, parties, contract=None):
    """Check, end the current transaction, take the number as the next one's first write, register.

    Commits twice: on SQLite the write lock is taken before anything is read (BEGIN IMMEDIATE
    semantics), so concurrent intakes wait for each other instead of failing; on PostgreSQL the
    counter row stays locked until the case is committed. Either way numbers have no gaps.
    """
    MediationCase.check_intake(user, fields, parties, contract)
    org_id, year = user.contractor_id, fields["received_on"].year
    db.session.commit()
    seq = take_number(org_id, year)
    case = MediationCase.register(user, fields, parties, contract, seq=seq)
    if case.may_take(user):  # a certified mediator registering a case works it at once
        case.take(user)
    db.session.commit()
    return case
