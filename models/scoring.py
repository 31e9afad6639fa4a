"""The evaluation's code lists and its arithmetic: measured points, grades, three sides combined by
shares, vetoes (DOMAIN.md §5 and §8). Pure functions over plain values, so tests can work them by hand."""
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from models.base import RuleError

DIMENSIONS = {"management": "管理", "output": "产出", "effect": "效果", "satisfaction": "满意度"}
KINDS = {"measure": "系统数据", "judged": "评价方打分"}
SIDES = {"third": "第三方评价机构", "unit": "购买主体", "self": "承接主体自评"}
DEFAULT_SHARES = {"third": Decimal(50), "unit": Decimal(30), "self": Decimal(20)}
STATES = {"open": "进行中", "completed": "已完成"}
GRADES = {"excellent": "优秀", "good": "良好", "fair": "合格", "poor": "不合格"}
VETOES = {"staffing": "人员配备标准在超过 10% 的工作日未达标", "subcontract": "未经同意转包或分包",
          "privacy": "经查实的泄露个人信息"}
VETO_CAP = Decimal(59)
STAFFING_VETO_PCT = Decimal(10)  # broken on more than this share of working days
OUTPUT_EFFECT_MIN = Decimal(60)
SAMPLE_SIZE = 10  # cases and subjects drawn for each evaluation
SATISFACTION = {"very_satisfied": "非常满意", "satisfied": "满意", "neutral": "一般", "dissatisfied": "不满意"}
CENT = Decimal("0.01")


# ------------------------------------------------------------------ the arithmetic (pure)


def _q(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def measured_points(weight, target, actual, higher_better):
    """weight × min(1, actual ÷ target) (higher better) or × min(1, target ÷ actual) (lower better).

    A zero actual is full marks when lower is better; no actual (no data) scores 0.
    """
    weight = Decimal(weight)
    if actual is None or target is None:
        return _q(0)
    actual, target = Decimal(actual), Decimal(target)
    if higher_better:
        if target <= 0:
            return _q(weight)
        return _q(weight * min(Decimal(1), actual / target))
    if actual <= 0:
        return _q(weight)
    return _q(weight * min(Decimal(1), target / actual))


def grade_for(score):
    score = Decimal(score)
    if score >= 90:
        return "excellent"
    if score >= 80:
        return "good"
    if score >= 60:
        return "fair"
    return "poor"


@dataclass
class Line:
    """One second-level indicator: measured (target, actual) or judged (points per side)."""

    weight: Decimal
    kind: str = "judged"
    target: Decimal | None = None
    actual: Decimal | None = None
    higher_better: bool = True
    judged: dict = field(default_factory=dict)  # side -> points


@dataclass
class Result:
    sides: dict      # side -> score out of 100
    raw: Decimal     # Σ share × side score
    score: Decimal   # after vetoes
    grade: str
    capped: bool


def compute(lines, shares, vetoes=()):
    """Score of an evaluation: each side's score = Σ measured points + Σ its judged points; the score is
    Σ share% × side score; any veto caps it at 59. Rounded to the cent at each indicator and at the end."""
    sides = {}
    for side in shares:
        total = Decimal(0)
        for line in lines:
            if line.kind == "measure":
                total += measured_points(line.weight, line.target, line.actual, line.higher_better)
            else:
                total += _q(line.judged.get(side) or 0)
        sides[side] = _q(total)
    raw = _q(sum((Decimal(shares[s]) * sides[s] / 100 for s in shares), Decimal(0)))
    capped = bool(vetoes) and raw > VETO_CAP
    score = min(raw, VETO_CAP) if vetoes else raw
    return Result(sides=sides, raw=raw, score=_q(score), grade=grade_for(score), capped=capped)


def check_shares(shares):
    if any(Decimal(v) < 0 for v in shares.values()):
        raise RuleError("权重比例不能为负数", field="share_third")
    if sum(Decimal(v) for v in shares.values()) != 100:
        raise RuleError("三方权重比例之和须为 100%", field="share_third")


def check_weights(groups):
    """groups: [(dimension, weight, [child weights])]. Total 100, children add up, output + effect ≥ 60."""
    for _, weight, children in groups:
        if Decimal(weight) < 0 or any(Decimal(c) < 0 for c in children):
            raise RuleError("权重不能为负数", field="weight")
        if sum((Decimal(c) for c in children), Decimal(0)) != Decimal(weight):
            raise RuleError("二级指标权重之和须等于所属一级指标的权重", field="weight")
    total = sum((Decimal(w) for _, w, _ in groups), Decimal(0))
    if total != 100:
        raise RuleError(f"一级指标权重之和须为 100（现为 {total:g}）", field="weight")
    core = sum((Decimal(w) for d, w, _ in groups if d in ("output", "effect")), Decimal(0))
    if core < OUTPUT_EFFECT_MIN:
        raise RuleError(f"产出和效果指标权重合计须不低于 60%（现为 {core:g}）", field="weight")
