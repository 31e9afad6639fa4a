"""Risk scoring on hand-worked examples at each level boundary (DOMAIN.md §8); alerts raised,
acknowledged with what was done, and listed on the owning unit's home page."""
import pytest
from sqlalchemy import func, select

from extensions import db
from models.rehabilitation import Alert
from models import risk
from services import settings
from tests import rehab_factories as rf
from tests.helpers import field_error, row_counts, text

L = rf.LOW


def answers(**changes):
    return {**L, **changes}


# Worked by hand from the points table of DOMAIN.md §8.
SEVEN = answers(age_at_release="25to35", prior_convictions="1", first_offence_age="18to25", offence_type="property",
                custody_conduct="ordinary", remorse="partial")  # 1+2+1+1+1+1 = 7
EIGHT = {**SEVEN, "debts_victim": "yes"}  # 7+1 = 8
FOURTEEN = answers(age_at_release="under25", prior_convictions="2plus", first_offence_age="under18",
                   offence_type="violent", long_sentence="yes", custody_conduct="punished", remorse="partial",
                   family_housing="weak")  # 2+3+2+2+1+2+1+1 = 14
FIFTEEN = {**FOURTEEN, "debts_victim": "yes"}  # 14+1 = 15


@pytest.mark.parametrize("example,points,level", [
    (L, 0, "low"), (SEVEN, 7, "low"), (EIGHT, 8, "medium"), (FOURTEEN, 14, "medium"), (FIFTEEN, 15, "high"),
    (rf.HIGHEST, 25, "high"),
], ids=["zero", "seven-low", "eight-medium", "fourteen-medium", "fifteen-high", "maximum"])
def test_score_and_level_at_each_boundary(app, example, points, level):
    assert risk.score(example) == (points, level)


def test_the_thresholds_are_settings(app):
    settings.put("risk.high_from", 16)
    assert risk.score(FIFTEEN) == (15, "medium")


def test_every_factor_is_required(app):
    with pytest.raises(KeyError):
        risk.score({k: v for k, v in L.items() if k != "remorse"})


@pytest.fixture
def world(app):
    return rf.privacy_world()


def _post_assessment(c, s, example, **extra):
    data = {**example, "assessed_on": "2026-11-27", "event": "", "note": ""}
    data.update(extra)
    return c.send(f"/rehabilitation/{s.id}/assessments", data)


def test_high_assessment_raises_an_alert_listed_on_the_units_home_page_until_acknowledged(world, login):
    s = world.subject
    leader = login("worker_x")
    r = _post_assessment(leader, s, FIFTEEN, note="酗酒后与人冲突 & <打架>")
    assert r.status_code == 303
    assert s.risk_level == "high" and s.assessments[0].score == 15 and s.is_key
    alert = db.session.scalar(select(Alert).where(Alert.subject_id == s.id, Alert.status == "open"))
    assert alert is not None and alert.kind == "high_risk"
    unit = login("district_a")
    home = text(unit.get("/"))
    assert 'id="open-alerts"' in home and "韩立平" in home.split('id="open-alerts"')[1]
    assert "韩立平" not in text(login("district_b").get("/")).split('id="open-alerts"')[1]

    before = row_counts()
    r = unit.send(f"/rehabilitation/alerts/{alert.id}/acknowledge", {"action_taken": "  "})
    assert r.status_code == 422 and field_error(text(r), "action_taken") == ["请填写采取的措施"]
    assert row_counts() == before and alert.status == "open"

    r = unit.send(f"/rehabilitation/alerts/{alert.id}/acknowledge", {"action_taken": "司法所约谈，通知社区民警"})
    assert r.status_code == 303
    assert alert.status == "acknowledged" and alert.action_taken == "司法所约谈，通知社区民警"
    assert "韩立平" not in text(unit.get("/")).split('id="open-alerts"')[1]
    assert unit.send(f"/rehabilitation/alerts/{alert.id}/acknowledge", {"action_taken": "再次"}).status_code == 409


def test_medium_assessment_raises_no_alert_and_history_is_kept(world, login):
    s = world.subject
    n = db.session.scalar(select(func.count()).select_from(Alert))
    assert _post_assessment(login("counsellor_x"), s, FOURTEEN).status_code == 303
    assert s.risk_level == "medium" and len(s.assessments) == 2
    assert db.session.scalar(select(func.count()).select_from(Alert)) == n


def test_missing_factor_comes_back_beside_the_field_and_nothing_is_written(world, login):
    s = world.subject
    before = row_counts()
    data = {k: v for k, v in FIFTEEN.items() if k != "remorse"}
    r = _post_assessment(login("worker_x"), s, data)
    assert r.status_code == 422 and field_error(text(r), "remorse") == ["请选择「悔罪态度」"]
    assert row_counts() == before


def test_worker_report_of_warning_signs_raises_an_alert_and_is_structured(world, login):
    s = world.subject
    r = login("plain_x").send(f"/rehabilitation/{s.id}/warnings", {
        "authority": "少先路派出所", "reported_on": "2026-11-26", "content": "近期与原同案人员频繁接触",
        "receipt": "派出所已登记"})
    assert r.status_code == 303
    w = s.warning_reports[0]
    assert (w.authority, w.reported_by, w.receipt) == ("少先路派出所", "朱晓燕", "派出所已登记")
    assert any(a.kind == "warning_signs" and a.status == "open" for a in s.alerts)
