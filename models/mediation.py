"""People's mediation: cases from intake to archive, their records, agreements and follow-ups.

State changes are methods that check the transition (DESIGN.md §4); the scope of who sees a case
(DESIGN.md §2) is one query, `visible_cases(user)`, used by every case route.
"""
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import (ForeignKey, Index, Numeric, String, Text, UniqueConstraint, bindparam, exists, false, or_,
                        select, text, true, update)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.base import NotAllowed, RuleError, TimestampMixin, TransitionError
from models.mediation_codes import (CATEGORIES, FAIL_REASONS, FILE_PARTS, FOLLOW_UP_WAYS, GENDERS,
                                    JUDICIAL_RESULTS, OPEN, OUTCOMES, PARTY_KINDS, PERFORMANCE, RECORD_KINDS,
                                    REFERRED, REQUIRED_PARTS, RETENTION, ROUTES, SCAN_PARTS, SIDES, SOURCES,
                                    STATUSES)
from services import clock

Money = Numeric(14, 2)


def _blank(value):
    return not (value or "").strip()


# ---------------------------------------------------------------- numbering


class CaseCounter(db.Model):
    """The last case number used by an organisation in a year; its row is locked while a number is taken."""

    __tablename__ = "mediation_counter"

    contractor_id: Mapped[int] = mapped_column(ForeignKey("contractor.id", ondelete="CASCADE"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last: Mapped[int] = mapped_column(default=0)


def take_number(contractor_id, year, at_least=0):
    """The next sequence number of the organisation and year, without gaps, safe under concurrent intake.

    Call it as the transaction's first write: on SQLite that write takes the database's write lock
    (BEGIN IMMEDIATE semantics, other writers wait); on PostgreSQL the counter row is locked with
    SELECT ... FOR UPDATE until the case is committed. A rolled-back intake gives its number back.
    """
    table = CaseCounter.__table__
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert
    db.session.execute(upsert(table).values(contractor_id=contractor_id, year=year, last=0)
                       .on_conflict_do_nothing(index_elements=["contractor_id", "year"]))
    last = db.session.execute(select(table.c.last).where(table.c.contractor_id == contractor_id,
                                                         table.c.year == year).with_for_update()).scalar_one()
    seq = max(last, at_least) + 1
    db.session.execute(update(table).where(table.c.contractor_id == contractor_id, table.c.year == year)
                       .values(last=seq))
    return seq


def format_number(contractor, year, seq):
    """（2026）昆调字第15号: the pattern is a setting; {short} is the organisation's own case code
    (Contractor.case_code: by default its seat unit's short name, 昆2 … for a second organisation
    seated there), so numbers are unique across the city although each organisation counts alone."""
    from services import settings

    pattern = settings.get("mediation.number_pattern")
    return pattern.format(year=year, short=contractor.number_code(), seq=seq)


def code_used_by_others(code, contractor_id):
    """Whether a case of another organisation carries a number made with this code (any year)."""
    from services import settings

    pattern = settings.get("mediation.number_pattern").replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    like = pattern.format(year="%", short=code, seq="%")
    return db.session.scalar(select(MediationCase.id).where(
        MediationCase.contractor_id != contractor_id, MediationCase.number.like(like, escape="\\")).limit(1)) is not None


# ---------------------------------------------------------------- the case


_OPEN_SQL = "status IN (%s)" % ", ".join(f"'{s}'" for s in OPEN)


def overdue_condition(today):
    """Open and past its time limit, in the form the partial index ix_mediation_case_open_due answers: the
    statuses are written into the SQL (a database cannot match bound parameters to an index's WHERE)."""
    return MediationCase.status.in_(bindparam("open_statuses", OPEN, expanding=True, literal_execute=True)) & (
        MediationCase.due_on < today)


class MediationCase(TimestampMixin, db.Model):
    __tablename__ = "mediation_case"
    __table_args__ = (
        UniqueConstraint("contractor_id", "year", "seq", name="uq_mediation_case_seq"),
        Index("ix_mediation_case_contractor_received", "contractor_id", "received_on"),
        Index("ix_mediation_case_area_received", "area_unit_id", "received_on"),
        Index("ix_mediation_case_area_concluded", "area_unit_id", "concluded_on"),
        # The case list's date-range and overdue filters, answered from the index alone, scope columns
        # included, so that only the page's rows are read from the table (issue 8).
        Index("ix_mediation_case_received_scope", "received_on", "area_unit_id", "contract_id"),
        Index("ix_mediation_case_open_due", "due_on", "status", "area_unit_id", "contract_id",
              sqlite_where=text(_OPEN_SQL), postgresql_where=text(_OPEN_SQL)),
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
        from services import settings

        if not self.agreement:
            return None
        base = self.agreement.performance_due or self.agreement.effective_on
        return base + timedelta(days=settings.get("mediation.follow_up_days"))

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
        """A record dated in a quarter the unit closed needs a logged reason (services.quarters.gate)."""
        from services import quarters

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

    # ---- intake
    @classmethod
    def check_intake(cls, user, fields, parties, contract=None):
        """Rules on an intake before a number is taken; raises RuleError naming the field."""
        if user.role not in ("contractor", "worker") or user.contractor_id is None:
            raise NotAllowed("只有调解组织的调解员或管理员可以登记案件")
        if fields.get("source") not in SOURCES:
            raise RuleError("请选择案件来源", field="source")
        if fields["source"] in REFERRED and _blank(fields.get("source_body")):
            raise RuleError("移送、委托的案件请填写移送单位", field="source_body")
        if fields.get("category") not in code_table("category"):
            raise RuleError("请选择纠纷类型", field="category")
        received = fields.get("received_on")
        if received is None or received > clock.today():
            raise RuleError("受理日期不能晚于今天", field="received_on")
        if fields.get("amount") is not None and fields["amount"] < 0:
            raise RuleError("争议金额不能为负数", field="amount")
        if _blank(fields.get("facts")):
            raise RuleError("请填写纠纷简要情况", field="facts")
        if contract is not None:
            if contract.contractor_id != user.contractor_id or contract.category != "mediation":
                raise RuleError("只能选择本机构的人民调解服务合同", field="contract_id")
        if not any(p["side"] == "applicant" for p in parties):
            raise RuleError("请至少填写一名申请人（当事人）", field="parties")
        if not any(p["side"] == "respondent" for p in parties):
            raise RuleError("请至少填写一名被申请人（对方当事人）", field="parties")

    @classmethod
    def register(cls, user, fields, parties, contract=None, seq=None):
        """Register a case (受理登记) with the next number of its organisation and year.

        fields: the case's columns; parties: [dict of Party columns]. Without `seq` the number is taken
        here, which must then be the transaction's first write (see take_number); `intake()` does that.
        """
        from models.contractor import Contractor
        from services import settings

        cls.check_intake(user, fields, parties, contract)
        received = fields["received_on"]
        if seq is None:
            seq = take_number(user.contractor_id, received.year)
        org = db.session.get(Contractor, user.contractor_id)
        number = format_number(org, received.year, seq)
        if db.session.scalar(select(MediationCase.id).where(MediationCase.number == number)) is not None:
            # Only history can clash (an imported number, a code changed back); say so instead of failing.
            raise TransitionError(f"案号{number}已被其他案件使用，请联系住所地司法局修改本机构的案件编号代字")
        case = cls(contractor_id=org.id, contract_id=contract.id if contract else None, year=received.year,
                   seq=seq, number=number, registered_by_id=user.id,
                   due_on=received + timedelta(days=settings.get("mediation.time_limit_days")), **fields)
        case.parties = [Party(**p) for p in parties]
        db.session.add(case)
        return case

    def import_outcome(self, outcome, concluded_on, terms=""):
        """A historical case from an import: its outcome as the paper file records it (nothing to replay)."""
        if outcome is None:
            return
        if outcome in ("written", "oral"):
            self.status = self.outcome = "succeeded"
            self.agreement = Agreement(kind=outcome, matters=self.facts, terms=terms or "（见纸质卷宗）",
                                       effective_on=concluded_on)
        else:
            self.status = self.outcome = outcome
            self.fail_reason = "other" if outcome == "failed" else None
            self.file_note = "历史案件导入，情况见纸质卷宗。" if outcome in ("withdrawn", "refused") else None
        self.concluded_on = concluded_on

    # ---- assignment and notice
    def assign(self, user, staff_members):
        """The contractor's admin (re)assigns mediators; the history keeps who was assigned when."""
        if not self.is_org_admin(user):
            raise NotAllowed("只有本机构管理员可以指派调解员")
        self.state_check("assign")
        today = clock.today()
        if not staff_members:
            raise RuleError("请至少选择一名调解员", field="staff_ids")
        for m in staff_members:
            if m.contractor_id != self.contractor_id or not m.may_mediate_on(today):
                raise RuleError(f"{m.name}今天不能承办调解案件（须为持有有效证书的调解员）", field="staff_ids")
        chosen = {m.id for m in staff_members}
        for a in self.current_assignments:
            if a.staff_member_id not in chosen:
                a.ended_on = today
        current = {a.staff_member_id for a in self.current_assignments}
        for m in staff_members:
            if m.id not in current:
                self.assignments.append(Assignment(staff_member=m, assigned_on=today, assigned_by_id=user.id))

    def give_notice(self, user, given_on):
        """The notice of rights and duties (art. 23-24) is given before mediation starts."""
        self._require_worker(user)
        self.state_check("notice")
        if given_on is None or given_on > clock.today() or given_on < self.received_on:
            raise RuleError("告知日期须在受理日期和今天之间", field="given_on")
        self.notice_given_on = given_on

    # ---- records
    def add_record(self, user, kind, fields, evidence=None, late_reason=None):
        """An investigation or mediation session record; the case moves on to investigating / mediating."""
        self._require_worker(user)
        self.state_check("record")
        if kind not in RECORD_KINDS:
            raise RuleError("请选择记录类型", field="kind")
        if not self.current_assignments:
            raise RuleError("请先指派调解员", field="kind")
        held = fields.get("held_at")
        if held is None or held.date() > clock.today() or held.date() < self.received_on:
            raise RuleError("时间须在受理日期和今天之间", field="held_at")
        if _blank(fields.get("content")):
            raise RuleError("请填写记录内容", field="content")
        if kind == "session" and self.notice_given_on is None:
            raise RuleError("调解开始前须告知当事人权利义务并记录", field="kind")
        log_late = self._quarter_gate(held.date(), late_reason, user, "case_record")
        record = CaseRecord(kind=kind, evidence=evidence, created_by_id=user.id, **fields)
        self.records.append(record)
        log_late(record)
        if kind == "investigation" and self.status == "registered":
            self.status = "investigating"
        if kind == "session":
            self.status = "mediating"
        return record

    # ---- outcomes
    def _end(self, outcome, on, user, late_reason):
        if on is None or on > clock.today() or on < self.received_on:
            raise RuleError("结案日期须在受理日期和今天之间", field="concluded_on")
        log_late = self._quarter_gate(on, late_reason, user, "mediation_case")
        self.status = self.outcome = outcome
        self.concluded_on = on
        log_late(self)

    def refuse(self, user, note, on=None, late_reason=None):
        """A party clearly refuses mediation (law art. 17): no mediation, the case ends as refused."""
        self._require_worker(user)
        self._require_registered()
        if _blank(note):
            raise RuleError("请说明哪一方当事人拒绝调解及情况", field="note")
        self._end("refused", on or clock.today(), user, late_reason)
        self.file_note = note

    def withdraw(self, user, note, on=None, late_reason=None):
        self._require_worker(user)
        self.state_check("withdraw")
        if _blank(note):
            raise RuleError("请说明撤回的情况", field="note")
        self._end("withdrawn", on or clock.today(), user, late_reason)
        self.file_note = note

    def _require_mediated(self):
        self._require_unlocked()
        if self.status != "mediating":
            raise TransitionError("只有调解中的案件可以结案（须先有调解记录）")

    def succeed(self, user, kind, fields, late_reason=None):
        """Succeeded with a written or oral agreement; it takes effect on `effective_on`."""
        self._require_worker(user)
        self._require_mediated()
        if kind not in ("written", "oral"):
            raise RuleError("请选择协议形式", field="agreement_kind")
        for name, label in (("matters", "纠纷事项"), ("terms", "协议内容")):
            if _blank(fields.get(name)):
                raise RuleError(f"请填写{label}", field=name)
        effective = fields.get("effective_on")
        if effective is None:
            raise RuleError("请填写协议生效日期", field="effective_on")
        due = fields.get("performance_due")
        if due is not None and due < effective:
            raise RuleError("履行期限不能早于协议生效日期", field="performance_due")
        try:
            self._end("succeeded", effective, user, late_reason)
        except RuleError as e:
            raise RuleError(e.message, field=e.field if e.field == "late_reason" else "effective_on") from None
        self.agreement = Agreement(kind=kind, created_by_id=user.id, **fields)
        return self.agreement

    def fail(self, user, reason, routes, note, on=None, late_reason=None):
        """Mediation failed: the reason, and the routes the parties were told (law art. 26)."""
        self._require_worker(user)
        self._require_mediated()
        if reason not in code_table("fail_reason"):
            raise RuleError("请选择调解不成的原因", field="fail_reason")
        if not routes or any(r not in ROUTES for r in routes):
            raise RuleError("请选择已告知当事人的其他解决途径", field="routes")
        self._end("failed", on or clock.today(), user, late_reason)
        self.fail_reason, self.routes, self.outcome_note = reason, ",".join(routes), note or None

    def extend(self, user, until, consent):
        """Beyond the time limit only with the parties' consent, recorded."""
        self._require_worker(user)
        self.state_check("extend")
        if until is None or until <= self.due_on:
            raise RuleError("延长后的期限须晚于当前期限", field="until")
        if _blank(consent):
            raise RuleError("延长调解期限须记录当事人同意的情况", field="consent")
        self.due_on, self.extension_consent = until, consent

    def report_to_police(self, user, fields):
        """A dispute that may turn violent or criminal is reported to the police (law art. 25)."""
        self._require_worker(user)
        self._require_unlocked()
        if _blank(fields.get("reported_to")):
            raise RuleError("请填写报告的公安机关", field="reported_to")
        if fields.get("reported_at") is None or fields["reported_at"] > clock.now():
            raise RuleError("请填写报告时间（不能晚于现在）", field="reported_at")
        if _blank(fields.get("content")):
            raise RuleError("请填写报告内容", field="content")
        report = PoliceReport(created_by_id=user.id, **fields)
        self.police_reports.append(report)
        return report

    # ---- after the agreement
    def add_follow_up(self, user, fields, late_reason=None):
        self._require_worker(user)
        self._require_succeeded()
        visited = fields.get("visited_on")
        if visited is None or visited > clock.today() or visited < self.agreement.effective_on:
            raise RuleError("回访日期须在协议生效之后、不晚于今天", field="visited_on")
        if fields.get("way") not in FOLLOW_UP_WAYS:
            raise RuleError("请选择回访方式", field="way")
        if fields.get("performance") not in PERFORMANCE:
            raise RuleError("请选择协议履行情况", field="performance")
        if _blank(fields.get("visited_person")):
            raise RuleError("请填写回访对象", field="visited_person")
        log_late = self._quarter_gate(visited, late_reason, user, "follow_up")
        follow_up = FollowUp(created_by_id=user.id, **fields)
        self.follow_ups.append(follow_up)
        log_late(follow_up)
        return follow_up

    def record_confirmation(self, user, fields):
        """Judicial confirmation (art. 33): applied jointly within 30 days of the agreement's effect."""
        self._require_worker(user)
        self._require_written_agreement()
        applied = fields.get("applied_on")
        if applied is None or applied < self.agreement.effective_on or applied > clock.today():
            raise RuleError("申请日期须在协议生效之后、不晚于今天", field="applied_on")
        if applied > self.confirmation_deadline():
            raise RuleError(f"已超过协议生效后 30 日的申请期限（{self.confirmation_deadline():%Y-%m-%d}）",
                            field="applied_on")
        if _blank(fields.get("court")):
            raise RuleError("请填写受理法院", field="court")
        if fields.get("result") not in JUDICIAL_RESULTS:
            raise RuleError("请选择确认结果", field="result")
        if self.confirmation is None:
            self.confirmation = JudicialConfirmation(**fields)
        else:
            for k, v in fields.items():
                setattr(self.confirmation, k, v)
        return self.confirmation

    # ---- the file and archiving
    def file_item(self, part):
        return [f for f in self.file_items if f.part == part]

    def add_file_item(self, user, part, attachment=None, signed_on=None, note=None):
        """A scan for a part of the file, or the clerk's mark "signed original filed" with its date."""
        self._require_worker(user)
        self._require_unlocked()
        if part not in dict(FILE_PARTS):
            raise RuleError("请选择卷宗材料", field="part")
        if attachment is None and signed_on is None:
            raise RuleError("请上传扫描件或填写签字原件归档日期", field="signed_on")
        if signed_on is not None and signed_on > clock.today():
            raise RuleError("归档日期不能晚于今天", field="signed_on")
        item = FileItem(part=part, attachment=attachment, signed_on=signed_on, note=note or None,
                        created_by_id=user.id)
        self.file_items.append(item)
        return item

    def checklist(self):
        """Each part of the file: required for this outcome or as needed, present, signed (DOMAIN.md §8)."""
        required = REQUIRED_PARTS.get(self.outcome_key, ())
        in_system = {
            1: True, 2: self.notice_given_on is not None, 5: bool(self.investigations), 7: bool(self.sessions),
            8: self.agreement is not None, 10: bool(self.follow_ups), 11: self.confirmation is not None,
            12: bool(self.file_note), 13: True,
        }
        rows = []
        for part, title in FILE_PARTS:
            items = self.file_item(part)
            scans = [f for f in items if f.attachment_id]
            present = bool(scans) if part in SCAN_PARTS and part != 11 else (in_system.get(part, False) or bool(scans))
            if part == 8 and self.agreement is not None and self.agreement.kind == "oral":
                title = "口头调解协议登记表"
            signed = any(f.attachment_id or f.signed_on for f in items)
            rows.append({"part": part, "title": title, "required": part in required, "present": present,
                         "signed": signed, "items": items})
        return rows

    def missing_parts(self):
        return [r for r in self.checklist() if r["required"] and not r["present"]]

    def archive(self, user, retention):
        self._require_worker(user)
        self._require_ended()
        if retention not in RETENTION:
            raise RuleError("请选择保管期限", field="retention")
        missing = self.missing_parts()
        if missing:
            raise RuleError("卷宗缺少必备材料：" + "、".join(r["title"] for r in missing), field="retention")
        self.status, self.archived_on, self.archived_by_id, self.retention = "archived", clock.today(), user.id, retention


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
    db.session.commit()
    return case


def unit_cases(unit_id):
    """The cases that are a unit's (of its area, or served by its contracts); None: every case of the city."""
    from models.contract import Contract

    if unit_id is None:
        return true()
    served = select(Contract.id).where(Contract.unit_id == unit_id)
    return or_(MediationCase.area_unit_id == unit_id, MediationCase.contract_id.in_(served))


def visible_cases(user):
    """The one scope of DESIGN.md §2: a select of the cases this user may see."""
    query = select(MediationCase)
    if user.role in ("city", "district"):
        return query.where(unit_cases(user.unit_id))
    if user.role == "contractor":
        return query.where(MediationCase.contractor_id == user.contractor_id)
    if user.role == "worker" and user.contractor_id is not None:
        mine = MediationCase.registered_by_id == user.id
        if user.staff_member_id is not None:
            mine = or_(mine, exists().where(Assignment.case_id == MediationCase.id, Assignment.ended_on.is_(None),
                                            Assignment.staff_member_id == user.staff_member_id))
        return query.where(MediationCase.contractor_id == user.contractor_id, mine)
    return query.where(false())


def list_row_names(case_ids):
    """The names a case list shows beside each case, for a whole page in two small queries:
    {case_id: {"applicant": [...], "respondent": [...], "mediators": [...]}} in entry order. Lists read
    plain columns instead of loading every party and mediator as an object (issue 8)."""
    from models.contractor import StaffMember

    out = {cid: {"applicant": [], "respondent": [], "mediators": []} for cid in case_ids}
    if not out:
        return out
    for cid, side, name in db.session.execute(
            select(Party.case_id, Party.side, Party.name).where(Party.case_id.in_(out)).order_by(Party.id)):
        out[cid][side].append(name)
    for cid, name in db.session.execute(
            select(Assignment.case_id, StaffMember.name).join(StaffMember, Assignment.staff_member_id == StaffMember.id)
            .where(Assignment.case_id.in_(out), Assignment.ended_on.is_(None)).order_by(Assignment.id)):
        out[cid]["mediators"].append(name)
    return out


# ---------------------------------------------------------------- parts of the case


class Party(db.Model):
    __tablename__ = "mediation_party"
    # Search by exact name or leading characters: pattern operators on PostgreSQL, so that LIKE 'x%' uses
    # the index under any collation (models.base.starts_with).
    __table_args__ = (Index("ix_mediation_party_name", "name", postgresql_ops={"name": "varchar_pattern_ops"}),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), index=True)
    side: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20), default="person")
    name: Mapped[str] = mapped_column(String(200))
    id_number: Mapped[str | None] = mapped_column(String(18))  # resident ID or credit code
    gender: Mapped[str | None] = mapped_column(String(10))
    ethnicity: Mapped[str | None] = mapped_column(String(40))
    birth_date: Mapped[date | None]
    occupation: Mapped[str | None] = mapped_column(Text)
    address: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(String(40))
    agent: Mapped[str | None] = mapped_column(Text)
    contact_ok: Mapped[bool] = mapped_column(default=False)  # agrees to a later satisfaction survey

    case = relationship("MediationCase", back_populates="parties")

    @property
    def side_label(self):
        return SIDES[self.side]

    @property
    def kind_label(self):
        return PARTY_KINDS.get(self.kind, self.kind)

    @property
    def gender_label(self):
        return GENDERS.get(self.gender, "") if self.gender else ""

    def age_on(self, day):
        if not self.birth_date:
            return None
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


class Assignment(db.Model):
    """A mediator on the case from `assigned_on` until `ended_on` (None: still assigned)."""

    __tablename__ = "mediation_assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), index=True)
    staff_member_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"), index=True)
    assigned_on: Mapped[date]
    ended_on: Mapped[date | None]
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    case = relationship("MediationCase", back_populates="assignments")
    staff_member = relationship("StaffMember")


class CaseRecord(TimestampMixin, db.Model):
    """An investigation record (调查记录) or a mediation session record (调解记录)."""

    __tablename__ = "mediation_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    held_at: Mapped[datetime]
    place: Mapped[str] = mapped_column(Text, default="")
    staff: Mapped[str] = mapped_column(Text, default="")  # investigator(s) or mediator(s)
    recorder: Mapped[str] = mapped_column(Text, default="")
    persons: Mapped[str] = mapped_column(Text, default="")  # the person asked, or the parties present
    helpers: Mapped[str] = mapped_column(Text, default="")  # people invited to help (sessions)
    content: Mapped[str] = mapped_column(Text)  # questions and answers, or each side's statement
    facts_verified: Mapped[str] = mapped_column(Text, default="")
    risks_explained: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[str] = mapped_column(Text, default="")  # agreed content or reasons for failure and routes
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("attachment.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    case = relationship("MediationCase", back_populates="records")
    evidence = relationship("Attachment")

    @property
    def kind_label(self):
        return RECORD_KINDS[self.kind]


class Agreement(TimestampMixin, db.Model):
    """The agreement (arts. 28-30): written (调解协议书) or oral (its content recorded by the mediator)."""

    __tablename__ = "mediation_agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), unique=True)
    kind: Mapped[str] = mapped_column(String(10))  # written | oral
    matters: Mapped[str] = mapped_column(Text)  # main facts and the disputed matters
    responsibility: Mapped[str] = mapped_column(Text, default="")
    terms: Mapped[str] = mapped_column(Text)  # what was agreed
    performance: Mapped[str] = mapped_column(Text, default="")  # how and by when it is performed
    performance_due: Mapped[date | None]
    effective_on: Mapped[date] = mapped_column(index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    case = relationship("MediationCase", back_populates="agreement")

    @property
    def kind_label(self):
        return {"written": "书面协议", "oral": "口头协议"}[self.kind]


class FollowUp(TimestampMixin, db.Model):
    __tablename__ = "mediation_follow_up"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), index=True)
    visited_on: Mapped[date] = mapped_column(index=True)
    way: Mapped[str] = mapped_column(String(20))
    visited_person: Mapped[str] = mapped_column(Text)
    visitor: Mapped[str] = mapped_column(Text, default="")
    performance: Mapped[str] = mapped_column(String(20))
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    case = relationship("MediationCase", back_populates="follow_ups")

    @property
    def way_label(self):
        return FOLLOW_UP_WAYS[self.way]

    @property
    def performance_label(self):
        return PERFORMANCE[self.performance]


class JudicialConfirmation(db.Model):
    __tablename__ = "mediation_confirmation"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), unique=True)
    applied_on: Mapped[date]
    court: Mapped[str] = mapped_column(Text)
    court_number: Mapped[str] = mapped_column(Text, default="")  # free text (DOMAIN.md §2)
    result: Mapped[str] = mapped_column(String(20))
    decided_on: Mapped[date | None]

    case = relationship("MediationCase", back_populates="confirmation")

    @property
    def result_label(self):
        return JUDICIAL_RESULTS[self.result]


class PoliceReport(db.Model):
    __tablename__ = "mediation_police_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), index=True)
    reported_to: Mapped[str] = mapped_column(Text)
    reported_at: Mapped[datetime]
    content: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    case = relationship("MediationCase", back_populates="police_reports")


class FileItem(TimestampMixin, db.Model):
    """A part of the case file held as a scan, or marked "signed original filed" on a date."""

    __tablename__ = "mediation_file_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), index=True)
    part: Mapped[int]
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachment.id"))
    signed_on: Mapped[date | None]
    note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    case = relationship("MediationCase", back_populates="file_items")
    attachment = relationship("Attachment")

    @property
    def part_title(self):
        return dict(FILE_PARTS)[self.part]


# ---------------------------------------------------------------- the organisation's other work


class Consultation(TimestampMixin, db.Model):
    """A consultation given (法律咨询): who asked, about what, the answer, referred to whom."""

    __tablename__ = "mediation_consultation"

    id: Mapped[int] = mapped_column(primary_key=True)
    contractor_id: Mapped[int] = mapped_column(ForeignKey("contractor.id"), index=True)
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contract.id"), index=True)
    given_on: Mapped[date] = mapped_column(index=True)
    asker: Mapped[str] = mapped_column(Text)
    topic: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    referred_to: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))


class Screening(TimestampMixin, db.Model):
    """A dispute screening report (矛盾纠纷排查): period, area, disputes found, analysis, suggestions."""

    __tablename__ = "mediation_screening"

    id: Mapped[int] = mapped_column(primary_key=True)
    contractor_id: Mapped[int] = mapped_column(ForeignKey("contractor.id"), index=True)
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contract.id"), index=True)
    period_start: Mapped[date] = mapped_column(index=True)
    period_end: Mapped[date]
    area_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    township: Mapped[str] = mapped_column(String(100), default="")
    disputes_found: Mapped[int] = mapped_column(default=0)
    analysis: Mapped[str] = mapped_column(Text)
    suggestions: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    area_unit = relationship("Unit")


class CorrectiveMeasure(TimestampMixin, db.Model):
    """For a failed or unfulfilled case of a quarter: the cause, the measure, its owner and due date."""

    __tablename__ = "mediation_corrective_measure"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    quarter: Mapped[int]
    cause: Mapped[str] = mapped_column(Text)
    measure: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date]
    done_on: Mapped[date | None]
    done_note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    case = relationship("MediationCase")


class QuarterClose(db.Model):
    """The unit closed a quarter of a contract after reviewing it (DESIGN.md §3, "Quarter close")."""

    __tablename__ = "mediation_quarter_close"
    __table_args__ = (UniqueConstraint("contract_id", "year", "quarter", name="uq_mediation_quarter_close"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id"), index=True)
    year: Mapped[int]
    quarter: Mapped[int]
    closed_on: Mapped[date]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    review_note: Mapped[str] = mapped_column(Text, default="")


class CaseImport(TimestampMixin, db.Model):
    """An Excel import of historical cases: checked whole first, then imported in chunks."""

    __tablename__ = "mediation_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    contractor_id: Mapped[int] = mapped_column(ForeignKey("contractor.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    filename: Mapped[str] = mapped_column(String(255))
    rows: Mapped[str] = mapped_column(Text)  # JSON: the valid cases with their parties
    rejected: Mapped[str] = mapped_column(Text)  # JSON: [[sheet, row, reason]]
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(20), default="checked")  # checked | importing | finished

    __audit_ignore__ = ("rows",)


class MediationCode(db.Model):
    """An entry the city adds to a code list (dispute categories, reasons for failure)."""

    __tablename__ = "mediation_code"
    __table_args__ = (UniqueConstraint("kind", "key", name="uq_mediation_code_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # category | fail_reason
    key: Mapped[str] = mapped_column(String(30))
    label: Mapped[str] = mapped_column(String(100))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    @classmethod
    def add(cls, user, kind, label):
        """The city extends a code list; the built-in entries stay first and are never changed."""
        if user.role != "city":
            raise NotAllowed("只有市司法局可以扩充代码表")
        if kind not in CODE_KINDS:
            raise RuleError("请选择代码表", field="kind")
        label = (label or "").strip()
        if not label or len(label) > 100:
            raise RuleError("请填写名称（最多 100 字）", field="label")
        if label in code_table(kind).values():
            raise RuleError("代码表中已有该名称", field="label")
        count = len(db.session.scalars(select(cls.id).where(cls.kind == kind)).all())
        code = cls(kind=kind, key=f"city{count + 1}", label=label, created_by_id=user.id)
        db.session.add(code)
        from flask import g, has_request_context

        if has_request_context():
            g.pop("_code_tables", None)
        return code


CODE_KINDS = {"category": "纠纷类型", "fail_reason": "调解不成的原因"}


def code_table(kind):
    """A code list with the city's additions after the built-in entries (DOMAIN.md §3); read once per
    request (a list asks for a label on every row), forgotten when the city adds an entry."""
    from flask import g, has_request_context

    cache = g.setdefault("_code_tables", {}) if has_request_context() else {}
    if kind not in cache:
        base = {"category": CATEGORIES, "fail_reason": FAIL_REASONS}[kind]
        extra = db.session.execute(select(MediationCode.key, MediationCode.label).where(MediationCode.kind == kind)
                                   .order_by(MediationCode.id)).all()
        cache[kind] = {**base, **dict(extra)}
    return dict(cache[kind])
