"""Performance evaluation (绩效评价): indicator sets kept by the city, and the evaluation of a contract
for a period by three sides combined by shares (DOMAIN.md §5 and §8, issue 7).

The arithmetic is `compute()` in models.scoring, a pure function over plain values, so tests can work it
by hand; its names are re-exported here.
"""
import random
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Numeric, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models import clock
from models.base import NotAllowed, RuleError, TimestampMixin, TransitionError
from models.scoring import (CENT, DEFAULT_SHARES, DIMENSIONS, GRADES, KINDS, OUTPUT_EFFECT_MIN,  # noqa: F401
                            SAMPLE_SIZE, SATISFACTION, SIDES, STAFFING_VETO_PCT, STATES, VETO_CAP, VETOES, Line,
                            Result, _q, check_shares, check_weights, compute, grade_for, measured_points)

Points = Numeric(6, 2)


# ------------------------------------------------------------------ indicator sets


def _require_city(user):
    if user.role != "city":
        raise NotAllowed("指标体系由市司法局维护")


class IndicatorSet(TimestampMixin, db.Model):
    """The current indicator set of one service (mediation or assistance); evaluations copy it when opened."""

    __tablename__ = "indicator_set"

    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
    updated_on: Mapped[date | None]

    indicators = relationship("Indicator", back_populates="indicator_set", order_by="Indicator.position",
                              cascade="all, delete-orphan")

    @property
    def groups(self):
        return [i for i in self.indicators if i.parent_id is None and i.level == 1]

    @property
    def category_label(self):
        from models.purchasing_codes import CATEGORIES

        return CATEGORIES.get(self.category, self.category)

    def check(self):
        check_weights([(g.dimension, g.weight, [c.weight for c in g.children]) for g in self.groups])

    def update_indicator(self, user, indicator, name, weight, kind, measure, target, higher_better):
        """One second-level indicator; the parent's weight follows its children."""
        from models import measures

        _require_city(user)
        if indicator.indicator_set is not self or indicator.level != 2:
            raise RuleError("只能修改本指标体系的二级指标", field="weight")
        if not (name or "").strip():
            raise RuleError("请填写指标名称", field="name")
        if weight is None or weight < 0:
            raise RuleError("权重不能为负数", field="weight")
        if kind not in KINDS:
            raise RuleError("请选择计分方式", field="kind")
        if kind == "measure":
            m = measures.MEASURES.get(measure)
            if m is None or m.category not in (self.category, "both"):
                raise RuleError("请选择适用于本服务的计量指标", field="measure")
            if target is not None and target < 0:
                raise RuleError("目标值不能为负数", field="target")
        indicator.name, indicator.weight, indicator.kind = name.strip(), weight, kind
        indicator.measure = measure if kind == "measure" else None
        indicator.target = target if kind == "measure" else None
        indicator.higher_better = (measures.MEASURES[measure].higher_better if higher_better is None
                                   else bool(higher_better)) if kind == "measure" else True
        parent = indicator.parent
        parent.weight = sum((c.weight for c in parent.children), Decimal(0))
        self.check()
        self.version += 1
        self.updated_on = clock.today()

    @classmethod
    def for_category(cls, category):
        s = db.session.scalar(select(cls).where(cls.category == category))
        return s or cls.seed(category)

    @classmethod
    def seed(cls, category):
        """The default scorecard of DOMAIN.md §5 for one service."""
        s = cls(category=category, name=("人民调解" if category == "mediation" else "安置帮教") + "服务绩效评价指标体系")
        pos = 0
        for dimension, name, children in DEFAULT_SETS[category]:
            pos += 1
            group = Indicator(position=pos, level=1, dimension=dimension, name=name, kind="group",
                              weight=sum((Decimal(c[1]) for c in children), Decimal(0)))
            s.indicators.append(group)
            for cname, weight, measure, target in children:
                pos += 1
                higher = True
                if measure:
                    from models import measures

                    higher = measures.MEASURES[measure].higher_better
                child = Indicator(position=pos, level=2, dimension=dimension, name=cname, weight=Decimal(weight),
                                  kind="measure" if measure else "judged", measure=measure,
                                  target=Decimal(target) if target is not None else None, higher_better=higher)
                child.parent = group
                s.indicators.append(child)
        s.check()
        db.session.add(s)
        db.session.flush()
        return s


# (dimension, first-level name, [(second-level name, weight, measure or None, default target or None)]);
# a measure with no default target takes the contract's own target (acceptance), else it is judged.
DEFAULT_SETS = {
    "mediation": [
        ("management", "管理", [("制度建设和服务计划", 5, None, None), ("人员配备达标", 5, "staffing_rate", 100),
                              ("资金使用规范", 5, None, None)]),
        ("output", "产出数量", [("受理纠纷数量", 10, "cases_received", None), ("法律咨询", 5, "consultations", None),
                            ("宣传活动", 5, "publicity_events", None)]),
        ("output", "产出质量", [("调解成功率", 6, "success_rate", 95), ("协议履行率", 5, "fulfilment_rate", 95),
                            ("回访率", 5, "follow_up_rate", 100), ("卷宗完整率", 4, "complete_file_rate", 100)]),
        ("output", "产出时效", [("一个月内按期结案率", 10, "in_time_rate", 95)]),
        ("output", "产出成本", [("每件案件成本", 5, "cost_per_case", None)]),
        ("effect", "效果", [("未发生因调解不当民转刑案件", 10, None, None), ("矛盾纠纷化解社会效果", 10, None, None)]),
        ("satisfaction", "满意度", [("当事人满意度（回访调查）", 10, None, None)]),
    ],
    "assistance": [
        ("management", "管理", [("制度建设和服务计划", 5, None, None), ("人员配备达标", 5, "staffing_rate", 100),
                              ("资金使用规范", 5, None, None)]),
        ("output", "产出数量", [("帮教对象人数", 10, "subjects_served", None),
                            ("帮教服务记录", 5, "service_records", None), ("风险评估", 5, "risk_assessments", None)]),
        ("output", "产出质量", [("帮教率", 10, "assistance_rate", 95), ("安置率", 10, "resettlement_rate", 80)]),
        ("output", "产出时效", [("衔接及时", 10, None, None)]),
        ("output", "产出成本", [("每名对象成本", 5, "cost_per_subject", None)]),
        ("effect", "效果", [("重新犯罪率", 10, "reoffending_rate", 3), ("就业和生活保障", 10, None, None)]),
        ("satisfaction", "满意度", [("帮教对象满意度（回访调查）", 10, None, None)]),
    ],
}


class Indicator(db.Model):
    """A first-level indicator (kind "group", weight = Σ children) or a second-level one."""

    __tablename__ = "indicator"

    id: Mapped[int] = mapped_column(primary_key=True)
    set_id: Mapped[int] = mapped_column(ForeignKey("indicator_set.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"))
    position: Mapped[int]
    level: Mapped[int]
    dimension: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(Text)
    weight: Mapped[Decimal] = mapped_column(Points)
    kind: Mapped[str] = mapped_column(String(10))
    measure: Mapped[str | None] = mapped_column(String(40))
    target: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    higher_better: Mapped[bool] = mapped_column(default=True)

    indicator_set = relationship("IndicatorSet", back_populates="indicators")
    parent = relationship("Indicator", remote_side=[id], back_populates="children")
    children = relationship("Indicator", back_populates="parent", order_by="Indicator.position")

    @property
    def kind_label(self):
        return KINDS.get(self.kind, "")

    @property
    def dimension_label(self):
        return DIMENSIONS[self.dimension]

    @property
    def measure_label(self):
        from models import measures

        m = measures.MEASURES.get(self.measure or "")
        return f"{m.label}（{m.unit}）" if m else ""


# ------------------------------------------------------------------ evaluation of a contract


def _require_unit(user, contract):
    if not (user.is_unit_staff and user.unit_id == contract.unit_id):
        raise NotAllowed("只有本单位的工作人员可以进行此操作")


class Evaluation(TimestampMixin, db.Model):
    __tablename__ = "evaluation"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id"), index=True)
    period_start: Mapped[date]
    period_end: Mapped[date]
    state: Mapped[str] = mapped_column(String(20), default="open", index=True)
    set_name: Mapped[str] = mapped_column(Text)
    set_version: Mapped[int]
    share_third: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    share_unit: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    share_self: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    body_id: Mapped[int | None] = mapped_column(ForeignKey("evaluation_body.id"), index=True)
    window_start: Mapped[date | None]
    window_end: Mapped[date | None]
    sample_drawn_at: Mapped[datetime | None]
    self_submitted_at: Mapped[datetime | None]
    unit_submitted_at: Mapped[datetime | None]
    third_submitted_at: Mapped[datetime | None]
    staffing_broken_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 1))
    veto_staffing: Mapped[bool] = mapped_column(Boolean, default=False)
    veto_subcontract: Mapped[bool] = mapped_column(Boolean, default=False)
    veto_privacy: Mapped[bool] = mapped_column(Boolean, default=False)
    veto_note: Mapped[str] = mapped_column(Text, default="")
    self_score: Mapped[Decimal | None] = mapped_column(Points)
    unit_score: Mapped[Decimal | None] = mapped_column(Points)
    third_score: Mapped[Decimal | None] = mapped_column(Points)
    raw_score: Mapped[Decimal | None] = mapped_column(Points)
    score: Mapped[Decimal | None] = mapped_column(Points)
    grade: Mapped[str | None] = mapped_column(String(10), index=True)
    conclusion: Mapped[str] = mapped_column(Text, default="")
    completed_at: Mapped[datetime | None]
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    contract = relationship("Contract", backref="evaluations")
    body = relationship("EvaluationBody")
    items = relationship("EvaluationItem", back_populates="evaluation", order_by="EvaluationItem.position",
                         cascade="all, delete-orphan")
    samples = relationship("EvaluationSample", back_populates="evaluation", order_by="EvaluationSample.position",
                           cascade="all, delete-orphan")

    # ---- reading
    @property
    def state_label(self):
        return STATES[self.state]

    @property
    def grade_label(self):
        return GRADES.get(self.grade, "—")

    @property
    def is_final(self):
        return self.state == "completed"

    @property
    def period_label(self):
        from models.formats import cn_date

        return f"{cn_date(self.period_start)}至{cn_date(self.period_end)}"

    @property
    def shares(self):
        return {"third": self.share_third, "unit": self.share_unit, "self": self.share_self}

    @property
    def vetoes(self):
        return [k for k in VETOES if getattr(self, f"veto_{k}")]

    @property
    def proposes_exit(self):
        return self.is_final and self.grade == "poor"

    def submitted_at(self, side):
        return getattr(self, f"{side}_submitted_at")

    def window_open(self, today=None):
        today = today or clock.today()
        return (self.body_id is not None and self.window_start is not None
                and self.window_start <= today <= self.window_end)

    def lines(self):
        return [Line(weight=i.weight, kind=i.kind, target=i.target, actual=i.actual, higher_better=i.higher_better,
                     judged={s.side: s.points for s in i.scores}) for i in self.items]

    def result(self):
        return compute(self.lines(), self.shares, self.vetoes)

    def groups(self):
        """Items grouped under their first-level indicator, for pages and the report."""
        out = []
        for i in self.items:
            if not out or out[-1][0] != i.level1:
                out.append((i.level1, i.level1_weight, []))
            out[-1][2].append(i)
        return out

    # ---- opening
    @classmethod
    def open(cls, user, contract, period_start, period_end):
        _require_unit(user, contract)
        if period_start is None or period_end is None or period_end < period_start:
            raise RuleError("请填写有效的评价期间", field="period_end")
        if period_start < contract.period_start or period_end > contract.period_end:
            raise RuleError("评价期间须在合同服务期内", field="period_start")
        if period_start > clock.today():
            raise RuleError("评价期间尚未开始", field="period_start")
        if any(e.state == "open" for e in contract.evaluations):
            raise TransitionError("该合同已有进行中的绩效评价")
        if any(e.period_start <= period_end and period_start <= e.period_end for e in contract.evaluations):
            raise RuleError("与已有评价的期间重叠", field="period_start")
        category = "mediation" if contract.category == "mediation" else "assistance"
        s = IndicatorSet.for_category(category)
        e = cls(contract=contract, period_start=period_start, period_end=period_end, state="open",
                set_name=s.name, set_version=s.version, share_third=DEFAULT_SHARES["third"],
                share_unit=DEFAULT_SHARES["unit"], share_self=DEFAULT_SHARES["self"], opened_by_id=user.id,
                veto_note="", conclusion="")
        db.session.add(e)
        targets = {t.measure: t.target for t in contract.targets}
        for g in s.groups:
            for c in g.children:
                target = targets.get(c.measure, c.target) if c.kind == "measure" else None
                kind, note = c.kind, ""
                if kind == "measure" and target is None:
                    kind, note = "judged", "合同未约定该项目标值，由评价方打分"
                e.items.append(EvaluationItem(
                    position=c.position, level1=g.name, dimension=g.dimension, level1_weight=g.weight, name=c.name,
                    weight=c.weight, kind=kind, measure=c.measure if kind == "measure" else None, target=target,
                    higher_better=c.higher_better, note=note))
        e.refresh()
        for i in e.items:  # a rate with nothing to measure in the period is judged by people instead
            if i.kind == "measure" and i.actual is None:
                i.kind, i.points, i.note = "judged", None, "评价期间系统无该项数据，由评价方打分"
        return e

    def _require_open(self):
        if self.state != "open":
            raise TransitionError("评价已完成，结果不能更改")

    def state_check(self, third=False):
        """TransitionError when the evaluation takes no more input (completed; for the third party also
        outside its time window): the actions' own first check, run by the views before the form."""
        self._require_open()
        if third and not self.window_open():
            raise TransitionError("不在评价时间窗口内")

    def refresh(self):
        """Actual values of measured indicators and the staffing veto, from the records."""
        from models import measures

        self._require_open()
        for i in self.items:
            if i.kind == "measure":
                actual = measures.value(i.measure, self.contract, self.period_start, self.period_end)
                i.actual = Decimal(actual) if actual is not None else None
                i.points = measured_points(i.weight, i.target, i.actual, i.higher_better)
        rate = measures.value("staffing_rate", self.contract, self.period_start, self.period_end)
        self.staffing_broken_pct = (Decimal(100) - Decimal(rate)) if rate is not None else None
        self.veto_staffing = self.staffing_broken_pct is not None and self.staffing_broken_pct > STAFFING_VETO_PCT

    # ---- the unit's settings
    def set_shares(self, user, third, unit, self_):
        _require_unit(user, self.contract)
        self._require_open()
        shares = {"third": third, "unit": unit, "self": self_}
        if any(v is None for v in shares.values()):
            raise RuleError("请填写三方权重比例", field="share_third")
        check_shares(shares)
        self.share_third, self.share_unit, self.share_self = third, unit, self_

    def set_vetoes(self, user, subcontract, privacy, note):
        _require_unit(user, self.contract)
        self._require_open()
        if (subcontract or privacy) and not (note or "").strip():
            raise RuleError("认定否决事项须写明事实和依据", field="veto_note")
        self.veto_subcontract, self.veto_privacy, self.veto_note = bool(subcontract), bool(privacy), note or ""

    def assign(self, user, body, window_start, window_end):
        """The unit assigns a third-party body with a time window; the sample is drawn (once)."""
        from models.contractor import EvaluationBody

        _require_unit(user, self.contract)
        self._require_open()
        if not isinstance(body, EvaluationBody) or not body.active:
            raise RuleError("请选择在册的第三方评价机构", field="body_id")
        if window_start is None or window_end is None or window_end < window_start:
            raise RuleError("请填写有效的评价时间窗口", field="window_end")
        if window_end < clock.today():
            raise RuleError("时间窗口的截止日不能早于今天", field="window_end")
        if self.third_submitted_at is not None and body.id != self.body_id:
            raise TransitionError("第三方已提交评分，不能更换评价机构")
        self.body, self.body_id, self.window_start, self.window_end = body, body.id, window_start, window_end
        if self.sample_drawn_at is None:
            self.draw_sample(user)

    def draw_sample(self, user, rng=None):
        """A random sample of the contract's cases and subjects in the period; logged."""
        from models.mediation import MediationCase
        from models.rehabilitation import Subject
        from models import audit

        rng = rng or random.SystemRandom()
        cases = db.session.scalars(select(MediationCase.id).where(
            MediationCase.contract_id == self.contract_id, MediationCase.received_on >= self.period_start,
            MediationCase.received_on <= self.period_end).order_by(MediationCase.id)).all()
        subjects = db.session.scalars(select(Subject.id).where(Subject.contract_id == self.contract_id)
                                      .order_by(Subject.id)).all()
        picked_cases = sorted(rng.sample(cases, min(SAMPLE_SIZE, len(cases))))
        picked_subjects = sorted(rng.sample(subjects, min(SAMPLE_SIZE, len(subjects))))
        pos = 0
        for cid in picked_cases:
            pos += 1
            self.samples.append(EvaluationSample(position=pos, kind="case", case_id=cid, label=f"案件样本 {pos}"))
        for n, sid in enumerate(picked_subjects, 1):
            pos += 1
            self.samples.append(EvaluationSample(position=pos, kind="subject", subject_id=sid,
                                                 label=f"对象样本 {n}"))
        self.sample_drawn_at = clock.now()
        db.session.flush()
        audit.record(db.session, "evaluation_sample", record=self, user=user,
                     detail=f"cases={','.join(map(str, picked_cases))};subjects={','.join(map(str, picked_subjects))}")

    # ---- scores by side
    def side_for(self, user):
        if user.role == "contractor" and user.contractor_id == self.contract.contractor_id:
            return "self"
        if user.is_unit_staff and user.unit_id == self.contract.unit_id:
            return "unit"
        if user.role == "evaluator" and self.body_id is not None and user.evaluation_body_id == self.body_id:
            return "third"
        return None

    def judged_items(self):
        return [i for i in self.items if i.kind == "judged"]

    def score_of(self, item, side):
        return next((s.points for s in item.scores if s.side == side), None)

    def enter_scores(self, user, side, points, remark=None):
        """points: {item_id: Decimal}; every judged indicator 0..weight. Saving submits the side's scores."""
        if side not in SIDES or self.side_for(user) != side:
            raise NotAllowed("只能填写本方的评分")
        self._require_open()
        if side == "third" and not self.window_open():
            raise TransitionError("不在评价时间窗口内")
        for item in self.judged_items():
            value = points.get(item.id)
            if value is None:
                raise RuleError(f"请为“{item.name}”打分", field=f"item_{item.id}")
            if value < 0 or value > item.weight:
                raise RuleError(f"“{item.name}”的得分须在 0 至 {item.weight:g} 之间", field=f"item_{item.id}")
        for item in self.judged_items():
            row = next((s for s in item.scores if s.side == side), None)
            if row is None:
                item.scores.append(EvaluationScore(evaluation=self, side=side, points=_q(points[item.id])))
            else:
                row.points = _q(points[item.id])
        setattr(self, f"{side}_submitted_at", clock.now())

    # ---- completion
    def complete(self, user, conclusion):
        _require_unit(user, self.contract)
        self._require_open()
        missing = [SIDES[s] for s, share in self.shares.items() if share > 0 and self.submitted_at(s) is None]
        if missing:
            raise RuleError("尚未提交评分：" + "、".join(missing) + "（可将其权重比例设为 0）", field="conclusion")
        self.refresh()
        r = self.result()
        self.self_score, self.unit_score, self.third_score = r.sides["self"], r.sides["unit"], r.sides["third"]
        self.raw_score, self.score, self.grade = r.raw, r.score, r.grade
        self.conclusion = (conclusion or "").strip()
        self.state, self.completed_at, self.completed_by_id = "completed", clock.now(), user.id
        return r


class EvaluationItem(db.Model):
    """A second-level indicator copied into the evaluation when it was opened (later edits leave it as it is)."""

    __tablename__ = "evaluation_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    level1: Mapped[str] = mapped_column(Text)
    dimension: Mapped[str] = mapped_column(String(20))
    level1_weight: Mapped[Decimal] = mapped_column(Points)
    name: Mapped[str] = mapped_column(Text)
    weight: Mapped[Decimal] = mapped_column(Points)
    kind: Mapped[str] = mapped_column(String(10))
    measure: Mapped[str | None] = mapped_column(String(40))
    target: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    higher_better: Mapped[bool] = mapped_column(default=True)
    actual: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    points: Mapped[Decimal | None] = mapped_column(Points)
    note: Mapped[str] = mapped_column(Text, default="")

    evaluation = relationship("Evaluation", back_populates="items")
    scores = relationship("EvaluationScore", back_populates="item", cascade="all, delete-orphan")

    @property
    def kind_label(self):
        return KINDS[self.kind]

    @property
    def unit_label(self):
        from models import measures

        m = measures.MEASURES.get(self.measure or "")
        return m.unit if m else ""

    @property
    def direction_label(self):
        return "越高越好" if self.higher_better else "越低越好"


class EvaluationScore(db.Model):
    __tablename__ = "evaluation_score"
    __table_args__ = (UniqueConstraint("item_id", "side", name="uq_evaluation_score_item_side"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("evaluation_item.id", ondelete="CASCADE"), index=True)
    side: Mapped[str] = mapped_column(String(10))
    points: Mapped[Decimal] = mapped_column(Points)

    evaluation = relationship("Evaluation")
    item = relationship("EvaluationItem", back_populates="scores")


class EvaluationSample(db.Model):
    """A case or subject drawn for the evaluation, and the call-back survey's answer."""

    __tablename__ = "evaluation_sample"

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(10))
    label: Mapped[str] = mapped_column(String(40))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("mediation_case.id", ondelete="SET NULL"))
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("subject.id", ondelete="SET NULL"))
    surveyed_on: Mapped[date | None]
    reached: Mapped[bool | None]
    satisfaction: Mapped[str | None] = mapped_column(String(20))
    answers: Mapped[str] = mapped_column(Text, default="")
    surveyed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    evaluation = relationship("Evaluation", back_populates="samples")
    case = relationship("MediationCase")
    subject = relationship("Subject")

    @property
    def satisfaction_label(self):
        return SATISFACTION.get(self.satisfaction, "")

    def record_survey(self, user, surveyed_on, reached, satisfaction, answers):
        ev = self.evaluation
        if ev.side_for(user) != "third":
            raise NotAllowed("回访调查由第三方评价机构进行")
        ev._require_open()
        if not ev.window_open():
            raise TransitionError("不在评价时间窗口内")
        if surveyed_on is None or surveyed_on > clock.today():
            raise RuleError("请填写回访日期（不能晚于今天）", field="surveyed_on")
        if reached and satisfaction not in SATISFACTION:
            raise RuleError("请选择满意程度", field="satisfaction")
        self.surveyed_on, self.reached = surveyed_on, bool(reached)
        self.satisfaction = satisfaction if reached else None
        self.answers, self.surveyed_by_id = (answers or "").strip(), user.id
