"""Targets a contract buys, and its acceptance (履约验收) from computed figures (DOMAIN.md §5, issue 6)."""
from datetime import date
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.base import RuleError, TimestampMixin, TransitionError
from models.purchasing import _require_unit_staff
from models import clock

VERDICTS = {"passed": "合格", "conditional": "有条件合格", "failed": "不合格"}
KINDS = {"final": "终期验收", "stage": "阶段验收"}
METHODS = {"documents": "查阅资料", "site": "现场检查", "sampling": "案卷抽查", "survey": "服务对象满意度调查",
           "system": "系统数据"}


class ContractTarget(db.Model):
    """What the contract buys of one measure, for the whole period."""

    __tablename__ = "contract_target"
    __table_args__ = (UniqueConstraint("contract_id", "measure", name="uq_contract_target_measure"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    measure: Mapped[str] = mapped_column(String(40))
    target: Mapped[Decimal] = mapped_column(Numeric(14, 2))

    contract = relationship("Contract", backref="targets")

    @classmethod
    def set(cls, contract, user, measure, target):
        """What the contract buys of a measure (the unit, while the contract is open)."""
        from models import measures

        _require_unit_staff(user, contract.unit_id)
        contract._require_open()
        if measure not in measures.MEASURES:
            raise RuleError("请选择指标", field="measure")
        if target is None or target < 0:
            raise RuleError("请填写有效的目标值", field="target")
        row = next((t for t in contract.targets if t.measure == measure), None)
        if row is None:
            contract.targets.append(cls(measure=measure, target=target))
        else:
            row.target = target


class Acceptance(TimestampMixin, db.Model):
    __tablename__ = "acceptance"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    milestone_id: Mapped[int | None] = mapped_column(ForeignKey("milestone.id"))
    period_start: Mapped[date]
    period_end: Mapped[date]
    held_on: Mapped[date]
    place: Mapped[str] = mapped_column(Text)
    methods: Mapped[list] = mapped_column(JSON)
    basis: Mapped[str] = mapped_column(Text)
    opinions: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    verdict: Mapped[str | None] = mapped_column(String(12))
    conclusion: Mapped[str | None] = mapped_column(Text)
    payment_recommendation: Mapped[str | None] = mapped_column(Text)
    conditions: Mapped[str | None] = mapped_column(Text)
    concluded_on: Mapped[date | None]
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    contract = relationship("Contract", backref="acceptances")
    milestone = relationship("Milestone")
    members = relationship("AcceptanceMember", back_populates="acceptance", order_by="AcceptanceMember.id",
                           cascade="all, delete-orphan")
    items = relationship("AcceptanceItem", back_populates="acceptance", order_by="AcceptanceItem.id",
                         cascade="all, delete-orphan")
    problems = relationship("AcceptanceProblem", back_populates="acceptance", order_by="AcceptanceProblem.id",
                            cascade="all, delete-orphan")

    @property
    def kind_label(self):
        return KINDS[self.kind]

    @property
    def verdict_label(self):
        return VERDICTS.get(self.verdict, "进行中")

    @property
    def methods_label(self):
        return "、".join(METHODS[m] for m in self.methods if m in METHODS)

    @staticmethod
    def state_check_open(contract):
        """TransitionError when the contract's state offers no new acceptance (checked before the form)."""
        if not contract.is_open or contract.status in ("accepted", "accepted_conditional"):
            raise TransitionError("合同已验收、结束或终止")
        if any(a.status == "open" for a in contract.acceptances):
            raise TransitionError("该合同已有进行中的验收")

    @classmethod
    def open(cls, user, contract, kind, milestone, period_start, period_end, place, methods, basis):
        _require_unit_staff(user, contract.unit_id)
        if kind not in KINDS:
            raise RuleError("请选择验收类型", field="kind")
        cls.state_check_open(contract)
        if kind == "stage":
            if milestone is None or milestone.contract_id != contract.id or milestone.is_final:
                raise RuleError("阶段验收须选择本合同的一个非终验节点", field="milestone_id")
            if milestone.status == "met":
                raise RuleError("该节点已完成", field="milestone_id")
        if period_start is None or period_end is None or period_end < period_start:
            raise RuleError("请填写有效的验收期间", field="period_end")
        if not (place or "").strip():
            raise RuleError("请填写验收地点", field="place")
        if not methods or any(m not in METHODS for m in methods):
            raise RuleError("请选择验收方式", field="methods")
        a = cls(contract=contract, kind=kind, milestone=milestone if kind == "stage" else None,
                period_start=period_start, period_end=period_end, held_on=clock.today(), place=place,
                methods=list(methods), basis=basis or "合同及采购文件约定的服务内容、数量和质量标准",
                opened_by_id=user.id, status="open")
        db.session.add(a)
        if kind == "final":
            contract.status = "final_acceptance"
        from models import integrity_rules as integrity

        integrity.run(contract)  # run before every acceptance
        a.refresh()
        return a

    def unexplained_findings(self):
        """The report's integrity paragraph: findings the unit did not accept as explained."""
        from models import integrity_rules as integrity

        rows = integrity.unexplained(self.contract)
        if not rows:
            return "未发现未作说明的问题。"
        return "；".join(f"{f.rule_label}：{f.description}（{f.status_label}）" for f in rows) + "。"

    def _require_open(self):
        if self.status != "open":
            raise TransitionError("验收已结束，不能修改")

    def refresh(self):
        """(Re)compute every measure's delivered value from the records; findings typed so far stay."""
        from models import measures

        self._require_open()
        targets = {t.measure: t.target for t in self.contract.targets}
        findings = {i.measure: (i.finding, i.evidence) for i in self.items}
        self.items = []
        for m in measures.for_contract(self.contract):
            actual = m.compute(self.contract, self.period_start, self.period_end)
            target = targets.get(m.code)
            finding, evidence = findings.get(m.code, ("", ""))
            self.items.append(AcceptanceItem(
                measure=m.code, label=m.label, unit=m.unit, contracted=target,
                delivered=Decimal(actual) if actual is not None else None, met=measures.met(m.code, target, actual),
                finding=finding, evidence=evidence or "系统记录"))

    def add_member(self, user, name, unit_name, role):
        _require_unit_staff(user, self.contract.unit_id)
        self._require_open()
        if not (name or "").strip() or not (unit_name or "").strip():
            raise RuleError("请填写验收小组成员的姓名和单位", field="name")
        self.members.append(AcceptanceMember(name=name.strip(), unit_name=unit_name.strip(), role=role or "成员"))

    def record_finding(self, user, item, finding, evidence):
        _require_unit_staff(user, self.contract.unit_id)
        self._require_open()
        item.finding, item.evidence = finding or "", evidence or ""

    def add_problem(self, user, description, fix, deadline):
        _require_unit_staff(user, self.contract.unit_id)
        self._require_open()
        if not (description or "").strip() or not (fix or "").strip():
            raise RuleError("请填写问题和整改要求", field="description")
        if deadline is None or deadline < clock.today():
            raise RuleError("整改期限不能早于今天", field="deadline")
        self.problems.append(AcceptanceProblem(description=description, required_fix=fix, deadline=deadline))

    def conclude(self, user, verdict, conclusion, recommendation, opinions, conditions):
        """The team's verdict; its effect on the contract and its payments (DESIGN.md §4)."""
        _require_unit_staff(user, self.contract.unit_id)
        self._require_open()
        if verdict not in VERDICTS:
            raise RuleError("请选择验收结论", field="verdict")
        if len(self.members) < 3:
            raise RuleError("验收小组至少 3 人", field="verdict")
        if not (conclusion or "").strip():
            raise RuleError("请填写验收结论意见", field="conclusion")
        if verdict == "conditional" and not (conditions or "").strip():
            raise RuleError("有条件合格须写明条件", field="conditions")
        if verdict == "failed" and not self.problems:
            raise RuleError("不合格须列出问题和整改要求", field="verdict")
        self.refresh()
        today = clock.today()
        self.status, self.verdict, self.concluded_on = "concluded", verdict, today
        self.conclusion, self.payment_recommendation = conclusion, recommendation or ""
        self.opinions, self.conditions = opinions or "", conditions if verdict == "conditional" else None
        contract = self.contract
        if self.kind == "stage":
            self.milestone.status, self.milestone.status_on = ("met" if verdict == "passed" else "not_met"), today
            return
        final = next(m for m in contract.milestones if m.is_final)
        if verdict == "passed":
            contract.status = "accepted"
            final.status, final.status_on = "met", today
        elif verdict == "conditional":
            contract.status = "accepted_conditional"
            final.status, final.status_on = "partly_met", today
        else:
            contract.status = "rectification"
            final.status, final.status_on = "not_met", today


class AcceptanceMember(db.Model):
    __tablename__ = "acceptance_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    acceptance_id: Mapped[int] = mapped_column(ForeignKey("acceptance.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(Text)
    unit_name: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(40))

    acceptance = relationship("Acceptance", back_populates="members")


class AcceptanceItem(db.Model):
    """One measure: contracted, delivered (computed), met?, the team's finding and the evidence."""

    __tablename__ = "acceptance_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    acceptance_id: Mapped[int] = mapped_column(ForeignKey("acceptance.id", ondelete="CASCADE"), index=True)
    measure: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(String(10))
    contracted: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    delivered: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    met: Mapped[bool | None]
    finding: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")

    acceptance = relationship("Acceptance", back_populates="items")

    @property
    def met_label(self):
        return {True: "达到", False: "未达到", None: "—"}[self.met]


class AcceptanceProblem(db.Model):
    __tablename__ = "acceptance_problem"

    id: Mapped[int] = mapped_column(primary_key=True)
    acceptance_id: Mapped[int] = mapped_column(ForeignKey("acceptance.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(Text)
    required_fix: Mapped[str] = mapped_column(Text)
    deadline: Mapped[date]

    acceptance = relationship("Acceptance", back_populates="problems")
