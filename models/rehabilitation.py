"""Resettlement and assistance (安置帮教): subjects, handover, plans, groups, services, risk, alerts.

Who sees what is decided here, in one place (DESIGN.md §2): `visible_subjects(user)` for lists and
`access_level(user, subject)` for one record. Transitions are methods that raise domain errors.
"""
from datetime import date, datetime, timedelta

from sqlalchemy import JSON, ForeignKey, Index, String, Text, and_, false, or_, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.base import NotAllowed, RuleError, TimestampMixin, TransitionError, VersionedMixin
from services import clock

STATUSES = {"pre_release": "待释放（已接收通知）", "reported": "已报到", "under_assistance": "帮教中", "ended": "已解除"}
EXIT_TYPES = {
    "prison": "刑满释放",
    "parole": "假释期满",
    "medical_parole": "暂予监外执行期满",
    "deprivation": "附加剥夺政治权利期满",
    "probation": "缓刑期满",
    "surveillance": "管制期满",
}
COMMUNITY_EXITS = ("parole", "medical_parole", "deprivation", "probation", "surveillance")
KEY_FLAGS = {
    "state_security": "危害国家安全",
    "organised_crime": "涉黑涉恶",
    "drugs": "涉毒",
    "violence": "严重暴力",
    "guns": "涉枪涉爆",
    "cult": "邪教",
    "terrorism": "暴恐和极端主义",
    "repeat": "累犯、惯犯",
    "poor_conduct": "改造表现差或释放时危险性高",
    "false_identity": "身份或住址不实",
    "three_without": "三无人员",
    "illness": "严重疾病或精神障碍",
    "minor": "未成年人",
}
OFFENCE_TYPES = {"violent": "暴力犯罪", "property": "财产犯罪", "drugs": "毒品犯罪", "gang": "涉黑涉恶", "other": "其他"}
RESETTLEMENT = {
    "none": "未安置",
    "employed": "就业",
    "self_employed": "自主创业",
    "farming": "务农",
    "relief": "纳入救助",
    "base": "过渡性安置基地",
}
RESETTLED = ("employed", "self_employed", "farming", "relief", "base")
RECEIVED_HOW = {"escorted": "押送", "fetched": "接回", "family": "亲属接回", "self": "自行报到"}
END_REASONS = {"period_over": "帮教期满", "reoffended": "重新犯罪", "deceased": "死亡", "transferred": "迁出"}
NEED_AREAS = {
    "housing": "住房", "work": "就业和收入", "family": "家庭", "health": "身心健康", "psychology": "心理",
    "relief": "社会救助", "legal": "法律事务", "papers": "户籍和身份证件",
}
MEASURE_AREAS = {
    "education": "教育", "adaptation": "社会适应", "psychology": "心理", "relief": "救助",
    "employment": "就业", "legal_aid": "法律援助",
}
PLAN_STATUSES = {"draft": "待审批", "approved": "执行中", "superseded": "已修订"}
GROUP_KINDS = {"one_to_one": "一帮一", "many_to_one": "多帮一"}
MEMBER_SIDES = {"contractor": "承接主体", "justice_office": "司法所", "community": "社区", "family": "家庭",
                "employer": "用人单位"}
SERVICE_KINDS = {
    "education": "思想和法治教育",
    "adaptation": "社会适应帮扶",
    "mental_health": "心理健康服务",
    "relief": "申请社会救助",
    "legal_aid": "法律援助转介",
    "employment": "就业帮扶",
    "donation": "慈善捐助",
    "base": "过渡性安置",
    "visit": "走访谈话",
}
# Kinds that share the subject's data with a third party need the subject's consent first.
REFERRAL_SCOPE = {"relief": "relief", "legal_aid": "legal_aid", "employment": "employer"}
CONSENT_SCOPES = {"employer": "向用人单位提供信息", "relief": "向救助部门提供信息", "legal_aid": "向法律援助机构提供信息"}
ALERT_KINDS = {"high_risk": "风险评估为高", "warning_signs": "工作人员报告预警信号"}


def _blank(value):
    return not (value or "").strip() if isinstance(value, str) or value is None else False


def add_years(d, n):
    try:
        return d.replace(year=d.year + n)
    except ValueError:  # 29 February
        return d.replace(year=d.year + n, day=28)


class Subject(TimestampMixin, VersionedMixin, db.Model):
    __tablename__ = "subject"
    __table_args__ = (Index("ix_subject_unit_status", "unit_id", "status"),
                      Index("ix_subject_unit_status_risk", "unit_id", "status", "risk_level"),
                      # the work list: release-date rules (report deadline, period end) and key subjects
                      Index("ix_subject_unit_status_release", "unit_id", "status", "release_date", "exit_type"),
                      Index("ix_subject_unit_status_flagged", "unit_id", "status", "flagged"),
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
        from services.risk import LEVELS

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
        from services import settings

        key = {"prison": "prison", "probation": "probation", "surveillance": "probation"}.get(self.exit_type, "parole")
        return settings.get(f"rehab.period_{key}_years")

    @property
    def period_end(self):
        return add_years(self.release_date, self.period_years) - timedelta(days=1)

    @property
    def report_deadline(self):
        from services import settings

        return self.release_date + timedelta(days=settings.get("rehab.report_days"))

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
        from services import settings

        days = settings.get("rehab.report_escalate_days")
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
        from services.identifiers import mask_id_number

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
        from services.identifiers import id_number_error, normalize_id_number

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

    def record_report(self, user, report_date, received_how, office, officer):
        self.require_owner(user)
        self.state_check("report")
        if report_date is None:
            raise RuleError("请填写报到日期", field="report_date")
        if report_date < self.release_date:
            raise RuleError("报到日期不能早于释放日期", field="report_date")
        if report_date > clock.today():
            raise RuleError("报到日期不能晚于今天", field="report_date")
        if received_how not in RECEIVED_HOW:
            raise RuleError("请选择接收方式", field="received_how")
        self.handover.report_date, self.handover.received_how = report_date, received_how
        self.handover.receiving_office, self.handover.officer = office or "", officer or ""
        # a group formed before release (pre-release work inside) takes the person on at once
        self.status = "under_assistance" if self.group is not None else "reported"
        self.lost_contact = False

    def form_group(self, user, kind, leader_staff_id, staff_ids, others):
        """The contractor admin of the serving contract forms the group; a reported subject is then under
        assistance. Formed before release, the group does the pre-release work inside (psychological
        correction, the psychological profile) and the person is under assistance from the report.

        others: [(side, name, role, contact)] for members outside the contractor.
        """
        from models.contractor import StaffMember

        if not (user.role == "contractor" and self.contract is not None
                and self.contract.contractor_id == user.contractor_id):
            raise NotAllowed("只有服务合同的承接主体管理员可以组建帮教小组")
        self.require_open()
        if kind not in GROUP_KINDS:
            raise RuleError("请选择帮教形式", field="kind")
        ids = list(dict.fromkeys([leader_staff_id] + list(staff_ids or [])) if leader_staff_id else staff_ids or [])
        if not leader_staff_id:
            raise RuleError("请指定帮教小组组长", field="leader")
        staff = {m.id: m for m in db.session.scalars(select(StaffMember).where(
            StaffMember.id.in_(ids), StaffMember.contractor_id == user.contractor_id, StaffMember.active.is_(True)))}
        if set(ids) - set(staff):
            raise RuleError("小组成员须为本机构在职工作人员", field="members")
        if kind == "one_to_one" and len(ids) + len(others) > 1:
            raise RuleError("一帮一只能有一名帮教人员", field="kind")
        if self.group is None:
            self.group = AssistanceGroup(kind=kind, formed_on=clock.today())
        group = self.group
        group.kind, group.formed_on = kind, group.formed_on or clock.today()
        group.members = [GroupMember(staff_member_id=i, name=staff[i].name, side="contractor",
                                     role="组长" if i == leader_staff_id else "帮教人员",
                                     contact=staff[i].phone, is_leader=i == leader_staff_id) for i in ids]
        for side, name, role, contact in others:
            if side not in MEMBER_SIDES or _blank(name):
                raise RuleError("其他成员须填写姓名和所属方面", field="others")
            group.members.append(GroupMember(side=side, name=name, role=role or "帮教人员", contact=contact or ""))
        if self.status == "reported":
            self.status = "under_assistance"
        return group

    CORRECTABLE = ("name", "id_number", "ethnicity", "household_address", "family_situation", "education", "skills",
                   "offence", "offence_type", "sentence", "custody_place")

    def correct(self, user, fields):
        """The owning unit corrects the basic data; sex and birth date follow the ID number."""
        from services.identifiers import id_number_error, id_number_gender, normalize_id_number

        self.require_owner(user)
        self.require_open()
        for key in self.CORRECTABLE:
            if key in fields:
                setattr(self, key, fields[key])
        self.id_number = normalize_id_number(self.id_number)
        if id_number_error(self.id_number, clock.today()) is None:
            self.sex = id_number_gender(self.id_number)
            self.birth_date = date(int(self.id_number[6:10]), int(self.id_number[10:12]), int(self.id_number[12:14]))
        self.check()

    def update_situation(self, user, fields):
        """Resettlement, three-without and contact details change as the person settles; key flags are the owner's."""
        self.require_open()
        owner = user.is_unit_staff and user.unit_id == self.unit_id
        allowed = {"resettlement", "no_home", "no_job", "no_relatives", "current_address", "phone", "contact_ok"}
        if owner:
            allowed |= {"key_flags", "key_reasons"}
        for key, value in fields.items():
            if key in allowed:
                setattr(self, key, value)
        self.check()

    def set_lost_contact(self, user, steps):
        self.require_owner(user)
        self.state_check("lost_contact")
        if _blank(steps):
            raise RuleError("请填写已采取的查找措施", field="steps")
        self.lost_contact, self.lost_contact_steps = True, steps

    def end(self, user, reason, on, transfer_unit_id=None):
        self.require_owner(user)
        self.state_check("end")
        if reason not in END_REASONS:
            raise RuleError("请选择解除原因", field="reason")
        if on is None or on > clock.today():
            raise RuleError("解除日期不能晚于今天", field="ended_on")
        if reason == "period_over" and on < self.period_end:
            raise RuleError(f"帮教期至{self.period_end:%Y-%m-%d}，尚未期满", field="ended_on")
        if reason == "transferred":
            if transfer_unit_id is None or transfer_unit_id == self.unit_id:
                raise RuleError("请选择迁入地司法局", field="transfer_unit_id")
            self.transferred_to_id = transfer_unit_id
        self.status, self.end_reason, self.ended_on = "ended", reason, on
        for alert in self.alerts:
            if alert.status == "open":
                alert.status, alert.action_taken = "closed", "帮教解除"

    @property
    def anonymise_due_on(self):
        from services import settings

        return add_years(self.ended_on, settings.get("rehab.anonymise_years")) if self.ended_on else None

    def anonymise(self, user):
        """Personal data goes; figures (dates, statuses, categories, records' kinds) stay."""
        self.require_owner(user)
        if self.status != "ended" or self.anonymised_at is not None:
            raise TransitionError("只有已解除且未匿名化的对象可以匿名化")
        if clock.today() < self.anonymise_due_on:
            raise TransitionError("尚未到匿名化期限")
        self.name, self.id_number, self.id_tail, self.id_last4 = "已匿名", "", "", ""
        self.phone = self.household_address = self.current_address = self.family_situation = ""
        self.skills = self.offence = self.key_reasons = ""
        self.downgrade_reason = None
        self.lost_contact_steps = None
        if self.handover:
            self.handover.conduct = self.handover.family = self.handover.needs = self.handover.sessions = ""
        for p in self.plans:
            p.needs, p.measures, p.goals, p.responsible = {}, {}, "", ""
        for r in self.records:
            r.content, r.outcome = "", ""
            r.attachment_id = None
        for p in self.profiles:
            p.content = ""
        for a in self.assessments:
            a.note = ""
        for w in self.warning_reports:
            w.content = w.receipt = ""
        if self.group:
            for m in self.group.members:
                if m.side in ("family", "employer", "community"):
                    m.name, m.contact = "已匿名", ""
        self.anonymised_at = clock.now()

    def downgrade_obstacle(self):
        """Why the key subject may not be downgraded now (None: it may), DOMAIN.md §8."""
        if not self.key_flags:
            return "不是按标记列为重点的对象"
        last_two = self.assessments[:2]
        if len(last_two) < 2:
            return "须有两次风险评估"
        if any(a.level == "high" for a in last_two):
            return "最近两次评估中有高风险"
        if (last_two[0].assessed_on - last_two[1].assessed_on).days < 365:
            return "最近两次评估间隔不足 12 个月"
        since = clock.today() - timedelta(days=365)
        if any(w.reported_on >= since for w in self.warning_reports):
            return "最近 12 个月内有预警报告"
        return None

    def downgrade(self, user, reason):
        self.require_owner(user)
        self.require_open()
        if _blank(reason):
            raise RuleError("请填写调整理由", field="reason")
        obstacle = self.downgrade_obstacle()
        if obstacle:
            raise TransitionError(obstacle)
        self.key_flags, self.flagged, self.downgrade_reason = [], False, reason

    def __str__(self):
        return self.name


class Handover(db.Model):
    """The prison's notice, the work inside before release, and how the person was received (衔接)."""

    __tablename__ = "handover"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id", ondelete="CASCADE"), unique=True)
    notice_date: Mapped[date | None]
    institution: Mapped[str] = mapped_column(String(200), default="")
    conduct: Mapped[str] = mapped_column(Text, default="")
    family: Mapped[str] = mapped_column(Text, default="")
    needs: Mapped[str] = mapped_column(Text, default="")
    sessions: Mapped[str] = mapped_column(Text, default="")  # correction sessions inside before release
    received_how: Mapped[str | None] = mapped_column(String(20))
    report_date: Mapped[date | None] = mapped_column(index=True)
    receiving_office: Mapped[str] = mapped_column(String(200), default="")
    officer: Mapped[str] = mapped_column(String(100), default="")

    subject = relationship("Subject", back_populates="handover")

    @property
    def received_label(self):
        return RECEIVED_HOW.get(self.received_how, "")


class PsychProfile(TimestampMixin, db.Model):
    """Psychological profile entries (心理档案): the restricted section."""

    __tablename__ = "psych_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id", ondelete="CASCADE"), index=True)
    on: Mapped[date]
    content: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    subject = relationship("Subject", back_populates="profiles")
    author = relationship("User")


class AssistancePlan(TimestampMixin, db.Model):
    """One version of the individual assistance plan; a revision is a new version, approved by the owner."""

    __tablename__ = "assistance_plan"

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


class AssistanceGroup(db.Model):
    __tablename__ = "assistance_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id", ondelete="CASCADE"), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    formed_on: Mapped[date]

    subject = relationship("Subject", back_populates="group")
    members = relationship("GroupMember", back_populates="group", order_by="GroupMember.id",
                           cascade="all, delete-orphan")

    @property
    def kind_label(self):
        return GROUP_KINDS[self.kind]

    @property
    def leader(self):
        return next((m for m in self.members if m.is_leader), None)


class GroupMember(db.Model):
    __tablename__ = "group_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("assistance_group.id", ondelete="CASCADE"), index=True)
    staff_member_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"), index=True)
    side: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(40))
    contact: Mapped[str] = mapped_column(String(40), default="")
    is_leader: Mapped[bool] = mapped_column(default=False)

    group = relationship("AssistanceGroup", back_populates="members")
    staff_member = relationship("StaffMember")

    @property
    def side_label(self):
        return MEMBER_SIDES.get(self.side, self.side)


class TransitionalBase(TimestampMixin, db.Model):
    """A transitional resettlement base: board, lodging, training for three-without subjects."""

    __tablename__ = "transitional_base"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    operator: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(Text, default="")
    capacity: Mapped[int]
    occupancy: Mapped[int] = mapped_column(default=0)

    unit = relationship("Unit")

    def __str__(self):
        return self.name


class Consent(TimestampMixin, db.Model):
    """The subject's recorded consent to share data with a third party (employer, relief office, legal aid)."""

    __tablename__ = "consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id", ondelete="CASCADE"), index=True)
    scope: Mapped[str] = mapped_column(String(20))
    given_on: Mapped[date]
    note: Mapped[str] = mapped_column(Text, default="")
    withdrawn_on: Mapped[date | None]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    subject = relationship("Subject", back_populates="consents")

    @property
    def scope_label(self):
        return CONSENT_SCOPES.get(self.scope, self.scope)


class ServiceRecord(TimestampMixin, db.Model):
    __tablename__ = "service_record"
    __table_args__ = (Index("ix_service_record_subject_on", "subject_id", "on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20), index=True)
    on: Mapped[date]
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    worker_name: Mapped[str] = mapped_column(String(100))
    content: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(Text, default="")
    application_status: Mapped[str | None] = mapped_column(String(40))  # relief applications
    result: Mapped[str | None] = mapped_column(String(40))  # employment help: placed, trained, none...
    base_id: Mapped[int | None] = mapped_column(ForeignKey("transitional_base.id"))
    shares_data: Mapped[bool] = mapped_column(default=False)
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachment.id"))

    subject = relationship("Subject", back_populates="records")
    base = relationship("TransitionalBase")
    attachment = relationship("Attachment")

    @property
    def kind_label(self):
        return SERVICE_KINDS.get(self.kind, self.kind)

    @classmethod
    def add(cls, subject, user, fields):
        from services import quarters

        fields = dict(fields)
        late_reason = fields.pop("late_reason", None)
        subject.require_open()
        if subject.status == "pre_release" and fields.get("kind") != "mental_health":
            raise TransitionError("释放前只能记录心理矫治工作")
        if fields.get("kind") not in SERVICE_KINDS:
            raise RuleError("请选择服务类别", field="kind")
        on = fields.get("on")
        if on is None or on > clock.today():
            raise RuleError("服务日期不能晚于今天", field="on")
        if _blank(fields.get("content")):
            raise RuleError("请填写服务内容", field="content")
        if fields.get("kind") == "base" and not fields.get("base_id"):
            raise RuleError("请选择过渡性安置基地", field="base_id")
        scope = REFERRAL_SCOPE.get(fields.get("kind"))
        if fields.get("shares_data") and scope and subject.consent_for(scope) is None:
            raise RuleError("转介须向第三方提供对象信息，请先登记对象的书面同意", field="shares_data")
        log_late = quarters.gate(subject.contract_id, on, late_reason, user, "service_record")
        worker = user.staff_member.name if getattr(user, "staff_member", None) else user.display_name
        record = cls(worker_id=user.id, worker_name=worker, **fields)
        subject.records.append(record)
        log_late(record)
        return record


class RiskAssessment(TimestampMixin, db.Model):
    __tablename__ = "risk_assessment"
    # a subject's latest assessments in Subject.assessments' order, read by the work list
    __table_args__ = (Index("ix_risk_assessment_subject_on", "subject_id", "assessed_on", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id", ondelete="CASCADE"), index=True)
    assessed_on: Mapped[date] = mapped_column(index=True)
    assessor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    assessor_name: Mapped[str] = mapped_column(String(100))
    answers: Mapped[dict] = mapped_column(JSON)
    score: Mapped[int]
    level: Mapped[str] = mapped_column(String(10))
    event: Mapped[str] = mapped_column(String(100), default="")  # the event that prompted it, if any
    note: Mapped[str] = mapped_column(Text, default="")

    subject = relationship("Subject", back_populates="assessments")

    @property
    def level_label(self):
        from services.risk import LEVELS

        return LEVELS[self.level]

    @classmethod
    def assess(cls, subject, user, answers, on, event="", note=""):
        """Score the answers, keep the history, update the subject; a high level raises an alert."""
        from services import risk

        subject.require_open()
        for factor, (label, options) in risk.FACTORS.items():
            if answers.get(factor) not in options:
                raise RuleError(f"请选择「{label}」", field=factor)
        if on is None or on > clock.today():
            raise RuleError("评估日期不能晚于今天", field="assessed_on")
        total, level = risk.score(answers)
        name = user.staff_member.name if getattr(user, "staff_member", None) else user.display_name
        a = cls(assessed_on=on, assessor_id=user.id, assessor_name=name,
                answers={k: answers[k] for k in risk.FACTORS}, score=total, level=level,
                event=event or "", note=note or "")
        subject.assessments.insert(0, a)
        subject.risk_level = level
        if level == "high":
            Alert.raise_for(subject, user, "high_risk", f"评估得分 {total}")
        return a


class Alert(TimestampMixin, db.Model):
    """Raised to the owning unit; stays on its home page until acknowledged with what was done."""

    __tablename__ = "alert"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | acknowledged | closed
    raised_at: Mapped[datetime]
    raised_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    detail: Mapped[str] = mapped_column(Text, default="")
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    acknowledged_at: Mapped[datetime | None]
    action_taken: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_alert_unit_status", "unit_id", "status"),)

    subject = relationship("Subject", back_populates="alerts")
    acknowledged_by = relationship("User", foreign_keys=[acknowledged_by_id])

    @property
    def kind_label(self):
        return ALERT_KINDS.get(self.kind, self.kind)

    @property
    def status_label(self):
        return {"open": "待处理", "acknowledged": "已处理", "closed": "已关闭"}[self.status]

    @classmethod
    def raise_for(cls, subject, user, kind, detail):
        alert = cls(unit_id=subject.unit_id, kind=kind, status="open", raised_at=clock.now(),
                    raised_by_id=user.id if user else None, detail=detail or "")
        subject.alerts.append(alert)
        return alert

    def state_check(self):
        """TransitionError once handled (the view runs it before reading the form: 409 before 422)."""
        if self.status != "open":
            raise TransitionError("该预警已处理")

    def acknowledge(self, user, action_taken):
        self.subject.require_owner(user)
        self.state_check()
        if _blank(action_taken):
            raise RuleError("请填写采取的措施", field="action_taken")
        self.status, self.acknowledged_by_id = "acknowledged", user.id
        self.acknowledged_at, self.action_taken = clock.now(), action_taken


class WarningReport(TimestampMixin, db.Model):
    """Warning signs reported to the authorities: to whom, when, what, by whom, and the reply."""

    __tablename__ = "warning_report"
    __table_args__ = (Index("ix_warning_report_subject_on", "subject_id", "reported_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id", ondelete="CASCADE"), index=True)
    authority: Mapped[str] = mapped_column(String(200))
    reported_on: Mapped[date]
    content: Mapped[str] = mapped_column(Text)
    reported_by: Mapped[str] = mapped_column(String(100))
    receipt: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    subject = relationship("Subject", back_populates="warning_reports")

    @classmethod
    def report(cls, subject, user, authority, reported_on, content, receipt=""):
        subject.require_open()
        if _blank(authority):
            raise RuleError("请填写报告的机关", field="authority")
        if reported_on is None or reported_on > clock.today():
            raise RuleError("报告日期不能晚于今天", field="reported_on")
        if _blank(content):
            raise RuleError("请填写报告内容", field="content")
        name = user.staff_member.name if getattr(user, "staff_member", None) else user.display_name
        w = cls(authority=authority, reported_on=reported_on, content=content,
                reported_by=name, receipt=receipt or "", user_id=user.id)
        subject.warning_reports.insert(0, w)
        Alert.raise_for(subject, user, "warning_signs", f"已向{authority}报告")
        return w


class WorkItemSetAside(db.Model):
    """A work-list item set aside, with its reason (logged)."""

    __tablename__ = "work_item_set_aside"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))


# ---- who sees what (DESIGN.md §2), in one place

FULL, GROUP, GROUP_RESTRICTED, CONTRACTOR_ADMIN, CARD = "full", "group", "group_restricted", "contractor", "card"


def _group_membership(user, subject):
    if user.role != "worker" or user.staff_member_id is None or subject.group is None:
        return None
    return next((m for m in subject.group.members if m.staff_member_id == user.staff_member_id), None)


def access_level(user, subject):
    """How much of the subject this user sees: FULL, GROUP_RESTRICTED, GROUP, CONTRACTOR_ADMIN, CARD, or None."""
    if not user.is_authenticated:
        return None
    if user.is_unit_staff and (user.unit_id == subject.unit_id
                               or (subject.cooperation and user.unit_id == subject.residence_unit_id)
                               or user.unit_id == subject.transferred_to_id):  # the receiving unit gets the file
        return FULL
    serving = subject.contract.contractor_id if subject.contract is not None else None
    if serving is None or user.contractor_id != serving:
        return None
    if user.role == "contractor":
        return CONTRACTOR_ADMIN
    if user.role == "worker":
        member = _group_membership(user, subject)
        if member is None:
            return CARD
        profession = member.staff_member.profession if member.staff_member else None
        return GROUP_RESTRICTED if (member.is_leader or profession == "counsellor") else GROUP
    return None


def sees_restricted(level):
    return level in (FULL, GROUP_RESTRICTED)


def sees_whole(level):
    return level in (FULL, GROUP, GROUP_RESTRICTED)


def openable_subjects(user):
    """A where-clause for the subjects this user may open at all (any level): everything else is 404."""
    from models.contract import Contract

    if not user.is_authenticated:
        return false()
    if user.is_unit_staff:
        return or_(Subject.unit_id == user.unit_id, Subject.transferred_to_id == user.unit_id,
                   and_(Subject.cooperation.is_(True), Subject.residence_unit_id == user.unit_id))
    if user.role in ("contractor", "worker") and user.contractor_id:
        return Subject.contract_id.in_(select(Contract.id).where(Contract.contractor_id == user.contractor_id))
    return false()


def listed_subjects(user):
    """A where-clause for lists: units and the contractor admin see theirs; a worker only their groups."""
    if user.is_authenticated and user.role == "worker":
        if user.staff_member_id is None:
            return false()
        mine = (select(AssistanceGroup.subject_id).join(GroupMember)
                .where(GroupMember.staff_member_id == user.staff_member_id))
        return and_(openable_subjects(user), Subject.id.in_(mine))
    return openable_subjects(user)

