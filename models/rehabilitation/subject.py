"""The subject (帮教对象): the record, its labels, its checks, registration and the state checks.

What happens to a subject later is models.rehabilitation.lifecycle.SubjectLifecycle (a mixin).
"""
from datetime import date, datetime, timedelta

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models import clock
from models.base import NotAllowed, RuleError, TimestampMixin, TransitionError, VersionedMixin
from models.rehabilitation.codes import (COMMUNITY_EXITS, END_REASONS, EXIT_TYPES, KEY_FLAGS, RESETTLEMENT, STATUSES,
                                         _blank, add_years)
from models.rehabilitation.handover import Handover
from models.rehabilitation.lifecycle import SubjectLifecycle
from models.risk_factors import LEVELS
from models.setting import Setting


class Subject(SubjectLifecycle, TimestampMixin, VersionedMixin, db.Model):
    __tablename__ = "subject"
    __table_args__ = (Index("ix_subject_unit_status", "unit_id", "status"),
                      Index("ix_subject_unit_status_risk", "unit_id", "status", "risk_level"),
                      # the work list: release-date rules (report deadline, period end) and key subjects
                      Index("ix_subject_unit_status_release", "unit_id", "status", "release_date", "exit_type"),
                      Index("ix_subject_unit_status_flagged", "unit_id", "status", "flagged"),
                      # the work list's "long without contact", the oldest contact first (issue 16)
                      Index("ix_subject_unit_status_contact", "unit_id", "status", "contact_on"),
                      # prefix search under any collation (models.base.starts_with)
                      Index("ix_subject_name", "name", postgresql_ops={"name": "varchar_pattern_ops"}))

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))  # household-registration unit: the owner
    residence_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    cooperation: Mapped[bool] = mapped_column(default=False)  # the residence unit sees the whole record
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contract.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    id_number: Mapped[str] = mapped_column(String(18))
    id_tail: Mapped[str] = mapped_column(String(6), index=True)  # last six characters, for search
    id_last4: Mapped[str] = mapped_column(String(4), index=True)  # last four: the usual search, by equality
    sex: Mapped[str] = mapped_column(String(2))
    ethnicity: Mapped[str] = mapped_column(String(20), default="汉族")
    birth_date: Mapped[date]
    household_address: Mapped[str] = mapped_column(Text, default="")
    current_address: Mapped[str] = mapped_column(Text, default="")
    township: Mapped[str] = mapped_column(String(60), default="", index=True)
    phone: Mapped[str] = mapped_column(String(40), default="")
    contact_ok: Mapped[bool] = mapped_column(default=False)  # agrees to a call-back survey by an evaluator
    family_situation: Mapped[str] = mapped_column(Text, default="")
    education: Mapped[str] = mapped_column(String(40), default="")
    skills: Mapped[str] = mapped_column(Text, default="")
    offence: Mapped[str] = mapped_column(Text, default="")
    offence_type: Mapped[str] = mapped_column(String(20), default="other")
    sentence: Mapped[str] = mapped_column(String(100), default="")
    custody_place: Mapped[str] = mapped_column(String(200), default="")
    exit_type: Mapped[str] = mapped_column(String(20))
    release_date: Mapped[date] = mapped_column(index=True)
    key_flags: Mapped[list] = mapped_column(JSON, default=list)
    key_reasons: Mapped[str] = mapped_column(Text, default="")
    flagged: Mapped[bool] = mapped_column(default=False, index=True)  # any key flag set (for queries)
    downgrade_reason: Mapped[str | None] = mapped_column(Text)
    # The last contact: the latest service record's day, or before any the day the group was formed. Kept by
    # models.rehabilitation.worklist when either is written, so that the work list reads one index.
    contact_on: Mapped[date | None]
    no_home: Mapped[bool] = mapped_column(default=False)
    no_job: Mapped[bool] = mapped_column(default=False)
    no_relatives: Mapped[bool] = mapped_column(default=False)
    resettlement: Mapped[str] = mapped_column(String(20), default="none")
    status: Mapped[str] = mapped_column(String(20), index=True)
    risk_level: Mapped[str | None] = mapped_column(String(10), index=True)
    lost_contact: Mapped[bool] = mapped_column(default=False)
    lost_contact_steps: Mapped[str | None] = mapped_column(Text)
    end_reason: Mapped[str | None] = mapped_column(String(20))
    ended_on: Mapped[date | None]
    transferred_to_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    anonymised_at: Mapped[datetime | None]

    unit = relationship("Unit", foreign_keys=[unit_id])
    residence_unit = relationship("Unit", foreign_keys=[residence_unit_id])
    transferred_to = relationship("Unit", foreign_keys=[transferred_to_id])
    contract = relationship("Contract")
    handover = relationship("Handover", back_populates="subject", uselist=False, cascade="all, delete-orphan")
    plans = relationship("AssistancePlan", back_populates="subject", order_by="AssistancePlan.version",
                         cascade="all, delete-orphan")
    group = relationship("AssistanceGroup", back_populates="subject", uselist=False, cascade="all, delete-orphan")
    records = relationship("ServiceRecord", back_populates="subject", order_by="ServiceRecord.on.desc()",
                           cascade="all, delete-orphan")
    assessments = relationship("RiskAssessment", back_populates="subject",
                               order_by="RiskAssessment.assessed_on.desc(), RiskAssessment.id.desc()",
                               cascade="all, delete-orphan")
    profiles = relationship("PsychProfile", back_populates="subject", order_by="PsychProfile.on.desc()",
                            cascade="all, delete-orphan")
    alerts = relationship("Alert", back_populates="subject", order_by="Alert.id.desc()", cascade="all, delete-orphan")
    warning_reports = relationship("WarningReport", back_populates="subject", order_by="WarningReport.reported_on.desc()",
                                   cascade="all, delete-orphan")
    consents = relationship("Consent", back_populates="subject", order_by="Consent.id", cascade="all, delete-orphan")

    # ---- labels and rules read from the clock
    @property
    def status_label(self):
        return STATUSES[self.status]

    @property
    def exit_type_label(self):
        return EXIT_TYPES.get(self.exit_type, self.exit_type)

    @property
    def resettlement_label(self):
        return RESETTLEMENT.get(self.resettlement, self.resettlement)

    @property
    def end_reason_label(self):
        return END_REASONS.get(self.end_reason, "")

    @property
    def risk_label(self):
        return LEVELS.get(self.risk_level, "未评估")

    @property
    def is_key(self):
        return self.flagged or self.risk_level == "high"

    @property
    def category_label(self):
        return "重点帮教对象" if self.is_key else "一般帮教对象"

    @property
    def key_flag_labels(self):
        return [KEY_FLAGS.get(f, f) for f in (self.key_flags or [])]

    @property
    def three_without(self):
        return self.no_home and self.no_job and self.no_relatives

    @property
    def three_without_label(self):
        parts = [label for flag, label in ((self.no_home, "无家可归"), (self.no_job, "无业可就"),
                                            (self.no_relatives, "无亲可投")) if flag]
        return "、".join(parts) or "无"

    @property
    def is_community_exit(self):
        return self.exit_type in COMMUNITY_EXITS

    @property
    def period_years(self):
        key = {"prison": "prison", "probation": "probation", "surveillance": "probation"}.get(self.exit_type, "parole")
        return Setting.get(f"rehab.period_{key}_years")

    @property
    def period_end(self):
        return add_years(self.release_date, self.period_years) - timedelta(days=1)

    @property
    def report_deadline(self):
        return self.release_date + timedelta(days=Setting.get("rehab.report_days"))

    @property
    def report_overdue(self):
        """Released from prison and not reported by the deadline (or reported after it)."""
        if self.is_community_exit:
            return False
        reported = self.handover.report_date if self.handover else None
        if reported is None:
            return self.status == "pre_release" and clock.today() > self.report_deadline
        return reported > self.report_deadline

    @property
    def report_escalated(self):
        days = Setting.get("rehab.report_escalate_days")
        return (self.status == "pre_release" and not self.is_community_exit
                and clock.today() > self.release_date + timedelta(days=days))

    @property
    def plan_in_effect(self):
        return next((p for p in reversed(self.plans) if p.status == "approved"), None)

    @property
    def draft_plan(self):
        return next((p for p in reversed(self.plans) if p.status == "draft"), None)

    @property
    def last_contact(self):
        return max((r.on for r in self.records), default=None)

    @property
    def last_assessment(self):
        return self.assessments[0] if self.assessments else None

    @property
    def masked_name(self):
        return (self.name[:1] + "某" * max(1, len(self.name) - 1)) if self.name else ""

    @property
    def masked_id(self):
        from models.identifiers import mask_id_number

        return mask_id_number(self.id_number)

    @property
    def masked_phone(self):
        p = (self.phone or "").replace(" ", "")
        return (p[:3] + "****" + p[-4:]) if len(p) >= 8 else ("****" if p else "")

    @property
    def is_locked(self):
        return self.status == "ended"

    def consent_for(self, scope):
        return next((c for c in self.consents if c.scope == scope and c.withdrawn_on is None), None)

    # ---- rules on the record's own fields
    def check(self):
        from models.identifiers import id_number_error, normalize_id_number

        if _blank(self.name):
            raise RuleError("请填写姓名", field="name")
        error = id_number_error(self.id_number, clock.today())
        if error:
            raise RuleError(error, field="id_number")
        self.id_number = normalize_id_number(self.id_number)
        self.id_tail, self.id_last4 = self.id_number[-6:], self.id_number[-4:]
        if self.exit_type not in EXIT_TYPES:
            raise RuleError("请选择解除类型", field="exit_type")
        if self.release_date is None:
            raise RuleError("请填写释放或解除日期", field="release_date")
        if any(f not in KEY_FLAGS for f in self.key_flags or []):
            raise RuleError("重点帮教标记不在列表中", field="key_flags")
        if self.key_flags and _blank(self.key_reasons):
            raise RuleError("列为重点帮教对象须说明理由", field="key_reasons")
        if self.resettlement not in RESETTLEMENT:
            raise RuleError("请选择安置情况", field="resettlement")
        self.flagged = bool(self.key_flags)

    # ---- transitions
    @classmethod
    def register(cls, user, fields, handover_fields):
        """The owning unit registers a prison's notice (pre-release) or a community-correction exit (reported)."""
        if not user.is_unit_staff:
            raise NotAllowed("只有司法局可以登记帮教对象")
        s = cls(unit_id=user.unit_id, **fields)
        s.check()
        if s.contract_id is not None:
            s._check_contract(s.contract_id)
        h = Handover(**handover_fields)
        s.handover = h
        if s.is_community_exit:
            s.status = "reported"
            if h.report_date is None:
                raise RuleError("社区矫正解除人员请填写报到日期", field="report_date")
            if h.received_how is None:
                h.received_how = "self"
        else:
            if h.notice_date is None:
                raise RuleError("请填写监狱通知日期", field="notice_date")
            if _blank(h.institution):
                raise RuleError("请填写发出通知的监狱", field="institution")
            s.status = "pre_release"
            h.report_date = None
        return s

    def _check_contract(self, contract_id):
        from models.contract import Contract

        c = db.session.get(Contract, contract_id)
        if c is None or c.unit_id != self.unit_id or c.category != "assistance":
            raise RuleError("请选择本单位的安置帮教服务合同", field="contract_id")

    def require_owner(self, user):
        if not (user.is_unit_staff and user.unit_id == self.unit_id):
            raise NotAllowed("只有户籍地司法局可以进行此操作")

    def require_open(self):
        if self.is_locked:
            raise TransitionError("帮教已解除，记录只读")

    def state_check(self, action):
        """Raise TransitionError when the subject's state does not offer `action` (open, report, lost_contact,
        end, downgrade, plan): the action's own first check, run by the views before reading the form."""
        if action == "report":
            if self.status != "pre_release":
                raise TransitionError("只有待释放的对象可以登记报到")
            return
        if action == "end":
            if self.status == "ended":
                raise TransitionError("帮教已解除")
            if self.status != "under_assistance":
                raise TransitionError("只有帮教中的对象可以解除帮教")
            return
        self.require_open()
        if action == "lost_contact":
            if self.status not in ("pre_release", "under_assistance", "reported"):
                raise TransitionError("该对象不能标记为脱管")
            if self.status == "pre_release" and not self.report_overdue:
                raise TransitionError("未超过报到期限，不能标记为脱管")
        elif action == "downgrade":
            obstacle = self.downgrade_obstacle()
            if obstacle:
                raise TransitionError(obstacle)
        elif action == "plan":
            if self.status == "pre_release":
                raise TransitionError("对象报到后才能制定帮教方案")
            if self.draft_plan is not None:
                raise TransitionError("已有待审批的方案，请先审批")

    def link_contract(self, user, contract_id):
        self.require_owner(user)
        self.require_open()
        self._check_contract(contract_id)
        self.contract_id = contract_id

    def grant_cooperation(self, user, unit_id):
        self.require_owner(user)
        self.require_open()
        if unit_id is None or unit_id == self.unit_id:
            raise RuleError("请选择居住地司法局（不同于户籍地）", field="residence_unit_id")
        self.residence_unit_id, self.cooperation = unit_id, True

    def __str__(self):
        return self.name
