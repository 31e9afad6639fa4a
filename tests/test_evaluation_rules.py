"""Evaluation arithmetic worked by hand (DOMAIN.md §5, §8), and the rules kept in models/evaluation.py."""
from datetime import date
from decimal import Decimal as D

import pytest

from extensions import db
from models import Evaluation, IndicatorSet
from models.base import NotAllowed, RuleError, TransitionError
from models.evaluation import Line, check_weights, compute, grade_for, measured_points
from models import clock
from tests import factories

SHARES = {"third": D(50), "unit": D(30), "self": D(20)}


# ---------------------------------------------------------------- measured indicators


def test_higher_is_better_scores_the_share_of_target_reached():
    # 10 points, target 90 %, actual 72 % -> 10 × 72/90 = 8.00
    assert measured_points(10, D(90), D(72), True) == D("8.00")
    # over the target: full marks, never more
    assert measured_points(10, D(90), D(99), True) == D("10.00")
    # 6 points, target 30 cases, actual 7 -> 6 × 7/30 = 1.40
    assert measured_points(6, D(30), D(7), True) == D("1.40")
    # zero actual, higher better: nothing
    assert measured_points(5, D(12), D(0), True) == D("0.00")


def test_lower_is_better_scores_target_over_actual_and_zero_actual_is_full_marks():
    # re-offending 10 points, target 3 %, actual 4 % -> 10 × 3/4 = 7.50
    assert measured_points(10, D(3), D(4), False) == D("7.50")
    # at or below the target: full marks
    assert measured_points(10, D(3), D("2.5"), False) == D("10.00")
    # zero actual: full marks (DOMAIN §8)
    assert measured_points(10, D(3), D(0), False) == D("10.00")
    # cost per case 5 points, target 1,000 yuan, actual 1,600 -> 5 × 1000/1600 = 3.125 -> 3.13
    assert measured_points(5, D(1000), D(1600), False) == D("3.13")


def test_no_data_scores_nothing():
    assert measured_points(6, D(95), None, True) == D("0.00")


# ---------------------------------------------------------------- sides, shares, vetoes


def _card():
    """A small card worked by hand: 100 points in four lines.

    measured 40 (higher, target 100, actual 80)  -> 32.00 for every side
    measured 20 (lower, target 10, actual 0)     -> 20.00 for every side
    judged 30: third 24, unit 27, self 30
    judged 10: third 6,  unit 8,  self 10
    side scores: third 32+20+24+6 = 82; unit 32+20+27+8 = 87; self 32+20+30+10 = 92
    combined 50/30/20: 41.00 + 26.10 + 18.40 = 85.50 -> good
    """
    return [Line(D(40), "measure", D(100), D(80), True), Line(D(20), "measure", D(10), D(0), False),
            Line(D(30), judged={"third": D(24), "unit": D(27), "self": D(30)}),
            Line(D(10), judged={"third": D(6), "unit": D(8), "self": D(10)})]


def test_side_scores_and_shares_combine_as_worked_by_hand():
    r = compute(_card(), SHARES)
    assert r.sides == {"third": D("82.00"), "unit": D("87.00"), "self": D("92.00")}
    assert r.raw == D("85.50") and r.score == D("85.50") and r.grade == "good" and not r.capped


def test_shares_are_settable_per_evaluation():
    # 60/40/0: 0.6 × 82 + 0.4 × 87 = 49.2 + 34.8 = 84.00
    r = compute(_card(), {"third": D(60), "unit": D(40), "self": D(0)})
    assert r.score == D("84.00")


def test_a_veto_caps_the_score_at_59():
    r = compute(_card(), SHARES, vetoes=["privacy"])
    assert r.raw == D("85.50") and r.score == D("59.00") and r.grade == "poor" and r.capped
    # a score already under 59 stays as it is
    low = [Line(D(100), judged={"third": D(40), "unit": D(40), "self": D(40)})]
    r = compute(low, SHARES, vetoes=["staffing"])
    assert r.score == D("40.00") and not r.capped


@pytest.mark.parametrize("score,grade", [
    ("59.99", "poor"), ("60", "fair"), ("79.99", "fair"), ("80", "good"), ("89.99", "good"), ("90", "excellent"),
    ("0", "poor"), ("100", "excellent")])
def test_grade_boundaries(score, grade):
    assert grade_for(D(score)) == grade


def test_grade_boundaries_through_the_whole_computation():
    def judged(points):
        return compute([Line(D(100), judged={"third": D(points), "unit": D(points), "self": D(points)})], SHARES)

    assert judged("89.99").grade == "good"
    assert judged("90").grade == "excellent"
    assert judged("59.99").grade == "poor"
    assert judged("60").grade == "fair"


def test_weight_rules():
    good = [("management", 15, [5, 5, 5]), ("output", 55, [20, 20, 10, 5]), ("effect", 20, [10, 10]),
            ("satisfaction", 10, [10])]
    check_weights(good)
    with pytest.raises(RuleError, match="100"):
        check_weights([("management", 15, [15]), ("output", 80, [80])])
    with pytest.raises(RuleError, match="二级指标"):
        check_weights([("output", 100, [50, 40])])
    with pytest.raises(RuleError, match="60%"):  # output + effect 55 < 60
        check_weights([("management", 35, [35]), ("output", 35, [35]), ("effect", 20, [20]),
                       ("satisfaction", 10, [10])])


# ---------------------------------------------------------------- the default sets and opening


def test_default_sets_follow_the_scorecard(app):
    for category in ("mediation", "assistance"):
        s = IndicatorSet.for_category(category)
        weights = [(g.name, g.weight) for g in s.groups]
        assert weights == [("管理", 15), ("产出数量", 20), ("产出质量", 20), ("产出时效", 10), ("产出成本", 5),
                           ("效果", 20), ("满意度", 10)]
        s.check()


def test_unit_opens_an_evaluation_with_the_set_copied(app):
    clock.set_now(date(2026, 11, 27))
    c = factories.make_contract("150203", factories.org("X"), start=date(2026, 1, 1))
    db.session.commit()
    with pytest.raises(NotAllowed):
        Evaluation.open(factories.user("district_b"), c, date(2026, 1, 1), date(2026, 10, 31))
    e = Evaluation.open(factories.user("district_a"), c, date(2026, 1, 1), date(2026, 10, 31))
    db.session.commit()
    assert e.state == "open" and e.score is None and e.grade is None
    assert sum(i.weight for i in e.items) == 100
    # a count measure with no contract target, and a rate with nothing to measure, become judged
    by_name = {i.name: i for i in e.items}
    assert by_name["受理纠纷数量"].kind == "judged" and "未约定" in by_name["受理纠纷数量"].note
    assert by_name["调解成功率"].kind == "judged" and "无该项数据" in by_name["调解成功率"].note
    # staffing has data (no shifts on any working day): measured at 0 %, and a veto
    assert by_name["人员配备达标"].kind == "measure" and by_name["人员配备达标"].actual == 0
    assert e.veto_staffing and e.staffing_broken_pct == 100
    with pytest.raises(TransitionError):
        Evaluation.open(factories.user("district_a"), c, date(2026, 11, 1), date(2026, 11, 27))


# ---------------------------------------------------------------- the report's template


def test_committed_report_template_matches_the_build_script_and_the_official_style():
    import io
    import os

    from docx import Document
    from docx.oxml.ns import qn

    from docgen import TEMPLATES
    from docgen.build import build_bytes
    from docgen.evaluation import TEMPLATES as MINE

    builder, options = MINE["evaluation.docx"]
    built = Document(io.BytesIO(build_bytes(builder, options)))
    with open(os.path.join(TEMPLATES, "evaluation.docx"), "rb") as fh:
        committed = Document(fh)
    assert [p.text for p in built.paragraphs] == [p.text for p in committed.paragraphs]
    assert [[c.text for c in r.cells] for t in built.tables for r in t.rows] == \
        [[c.text for c in r.cells] for t in committed.tables for r in t.rows]
    section = committed.sections[0]
    sizes = (section.page_width, section.page_height, section.top_margin, section.bottom_margin,
             section.left_margin, section.right_margin)
    assert [round(x.mm) for x in sizes] == [210, 297, 37, 35, 28, 26]
    assert committed.styles["Normal"].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋"
