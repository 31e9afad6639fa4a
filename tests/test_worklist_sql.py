"""The work lists in SQL (issue 8) give exactly what the model's own rules give subject by subject.

A varied set of subjects sits on each rule's edges (deadlines a day either side, month ends and
29 February, assessments on the same day, 364/365/366-day gaps, warnings on the assessment's day,
superseded and draft plans, contact by records or only by the group, set-asides of 29 and 31 days);
the oracle below is the former Python evaluation over every open subject, written with the model's
properties. The page's statements do not grow with the number of subjects; a long list is paged."""
import random
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import event, select

from extensions import db
from models import User
from models.rehabilitation import (EXIT_TYPES, AssistanceGroup, AssistancePlan, RiskAssessment, ServiceRecord,
                                   Subject, WarningReport, WorkItemSetAside, add_years)
from models import clock
from services import settings
from services.rehabilitation_figures import (WORK_LISTS, _add_months, work_list, work_list_count, work_list_page)
from tests import factories
from tests import rehab_factories as rf
from tests.helpers import text


def oracle(unit_id):
    """{key: {(subject_id, note)}}: the rules evaluated in Python over every open subject of the unit."""
    today = clock.today()
    hidden = set(db.session.execute(select(WorkItemSetAside.subject_id, WorkItemSetAside.kind).where(
        WorkItemSetAside.at >= clock.now() - timedelta(days=30))).all())
    subjects = db.session.scalars(select(Subject).where(
        Subject.unit_id == unit_id, Subject.status.in_(("pre_release", "reported", "under_assistance")))).all()
    reassess = settings.get("rehab.reassess_months")
    no_contact = settings.get("rehab.no_contact_days")
    lists = {k: set() for k in WORK_LISTS}
    for s in subjects:
        if s.status == "pre_release":
            if s.report_overdue:
                lists["report_overdue"].add((s.id, f"应于{s.report_deadline:%Y-%m-%d}前报到"))
            continue
        if s.status != "under_assistance":
            continue
        if s.period_end <= today + timedelta(days=30):
            lists["period_ending"].add((s.id, f"{s.period_end:%Y-%m-%d}届满"))
        last = s.last_assessment
        warned = last is not None and any(w.reported_on >= last.assessed_on for w in s.warning_reports)
        if last is None or _add_months(last.assessed_on, reassess) <= today or warned:
            note = "尚未评估" if last is None else ("评估后有预警报告" if warned else f"上次评估{last.assessed_on:%Y-%m-%d}")
            lists["reassess_due"].add((s.id, note))
        if s.flagged and s.downgrade_obstacle() is None:
            lists["downgrade"].add((s.id, "最近两次评估均低于高风险"))
        plan = s.plan_in_effect
        if plan is not None and plan.review_on <= today:
            lists["plan_review"].add((s.id, f"复核日期{plan.review_on:%Y-%m-%d}"))
        contact = s.last_contact or (s.group.formed_on if s.group else None)
        if contact is not None and contact + timedelta(days=no_contact) < today:
            lists["no_contact"].add((s.id, f"最近联系{contact:%Y-%m-%d}"))
    return {k: {item for item in v if (item[0], k) not in hidden} for k, v in lists.items()}


def _plan(s, version, status, review_on, author):
    db.session.add(AssistancePlan(
        subject=s, version=version, status=status, needs={"work": "无"}, goals="就业", measures={"employment": "培训"},
        responsible="张志强", contact_frequency="每月", starts_on=review_on - timedelta(days=30),
        ends_on=review_on + timedelta(days=300), review_on=review_on, consent=True, author_id=author.id))


def varied_subjects(seed, n=70):
    """n subjects of 昆都仑区 on the rules' edges, plus one of another unit that must never show."""
    rnd = random.Random(seed)
    today = clock.today()
    owner = db.session.scalar(select(User).where(User.username == "district_a"))
    years = {"prison": 5, "probation": 3, "surveillance": 3}
    made = []
    for i in range(n):
        exit_type = rnd.choice(["prison"] * 5 + list(EXIT_TYPES))
        y = years.get(exit_type, 5)
        release = rnd.choice([
            today - timedelta(days=rnd.choice([5, 6, 7, 8, 9, 40, 400])),  # around the report deadline
            add_years(today, -y) + timedelta(days=rnd.choice([29, 30, 31, 32, 33])),  # around period_end = today+30
            date(2020, 2, 29), date(2024, 2, 29), date(2021, 12, 28),
            today - timedelta(days=rnd.randint(60, 2000))])
        status = rnd.choice(["pre_release", "pre_release", "reported", "under_assistance", "under_assistance",
                             "under_assistance", "under_assistance", "ended"])
        flags = rnd.random() < 0.5
        s = rf.subject("150203", status="pre_release", exit_type="prison", release=release, name=f"对象{i}",
                       key_flags=["drugs"] if flags else [], key_reasons="涉毒" if flags else "")
        s.exit_type, s.status = exit_type, status
        if rnd.random() < 0.3:
            s.handover.report_date = release + timedelta(days=rnd.choice([0, 6, 7, 8, 20]))
        # assessments: none, one or several, on the edges of the re-assessment and downgrade rules
        bound = _add_months(today, -settings.get("rehab.reassess_months"))
        on = rnd.choice([bound, bound + timedelta(days=1), bound - timedelta(days=1), today, today - timedelta(days=3),
                         date(today.year - 1, 8, 31)])
        ons = [on]
        for _ in range(rnd.choice([0, 0, 1, 1, 2, 3])):
            ons.append(ons[-1] - timedelta(days=rnd.choice([0, 364, 365, 366, 700])))
        if rnd.random() < 0.15:
            ons = []
        for d in reversed(ons):  # oldest first: equal dates keep the id order
            db.session.add(RiskAssessment(subject=s, assessed_on=d, assessor_name="张志强", answers={}, score=5,
                                          level=rnd.choice(["low", "low", "medium", "high"])))
        if ons and rnd.random() < 0.4:
            w_on = rnd.choice([ons[0], ons[0] - timedelta(days=1), today - timedelta(days=365),
                               today - timedelta(days=366), today - timedelta(days=10)])
            db.session.add(WarningReport(subject=s, authority="派出所", reported_on=w_on, content="预警",
                                         reported_by="张志强"))
        # contact: service records or only the group's formation
        if rnd.random() < 0.7:
            db.session.add(AssistanceGroup(subject=s, kind="one_to_one",
                                           formed_on=today - timedelta(days=rnd.choice([10, 29, 30, 31, 32, 300]))))
        for _ in range(rnd.choice([0, 0, 1, 2])):
            db.session.add(ServiceRecord(subject=s, kind="visit", worker_name="张志强", content="走访",
                                         on=today - timedelta(days=rnd.choice([0, 29, 30, 31, 32, 90]))))
        # plans: the one in effect is the latest approved version
        statuses = rnd.choice([[], ["approved"], ["superseded", "approved"], ["approved", "draft"],
                               ["approved", "approved"], ["superseded"]])
        for v, st in enumerate(statuses, 1):
            _plan(s, v, st, today + timedelta(days=rnd.choice([-5, -1, 0, 1, 20])), owner)
        for kind in WORK_LISTS:
            if rnd.random() < 0.08:
                db.session.add(WorkItemSetAside(subject_id=s.id, kind=kind, reason="已安排", user_id=owner.id,
                                                at=clock.now() - timedelta(days=rnd.choice([0, 29, 31, 60]))))
        made.append(s)
    other = rf.subject("150202", name="外区对象", release=today - timedelta(days=400))
    db.session.add(RiskAssessment(subject=other, assessed_on=today - timedelta(days=700), assessor_name="x",
                                  answers={}, score=1, level="low"))
    db.session.commit()
    db.session.expire_all()
    return made


URGENCY = {  # what "most urgent first" means for each list, on the subject (checked on the SQL order)
    "report_overdue": lambda s: s.release_date,
    "period_ending": lambda s: s.period_end,
    "reassess_due": lambda s: (s.last_assessment is not None,
                               s.last_assessment.assessed_on if s.last_assessment else date.min),
    "downgrade": lambda s: s.id,
    "plan_review": lambda s: s.plan_in_effect.review_on,
    "no_contact": lambda s: s.last_contact or s.group.formed_on,
}


@pytest.mark.parametrize("day", [date(2026, 11, 27), date(2027, 2, 28), date(2028, 2, 29), date(2026, 8, 31)])
def test_sql_lists_equal_the_models_rules(app, day):
    clock.set_now(datetime.combine(day, time(10, 0)))
    varied_subjects(seed=day.toordinal())
    unit_id = factories.unit("150203").id
    expected = oracle(unit_id)
    assert all(expected.values()), {k: len(v) for k, v in expected.items()}  # every rule is exercised
    for key in WORK_LISTS:
        rows = work_list(unit_id, key, limit=None)
        assert {(s.id, note) for s, note in rows} == expected[key], key
        assert len(rows) == len(expected[key]) == work_list_count(unit_id, key)
        urgency = [URGENCY[key](s) for s, _ in rows]
        assert urgency == sorted(urgency), key
        assert work_list_count(unit_id, key, cap=1) == min(len(rows), 2)
        # pages are consecutive slices of the whole list
        assert [s.id for s, _ in work_list(unit_id, key, 3, 0) + work_list(unit_id, key, 3, 3)] == \
            [s.id for s, _ in rows[:6]]


class Counter:
    def __init__(self):
        self.statements = 0

    def __call__(self, *args):
        self.statements += 1


def _statements(client, path):
    counter = Counter()
    event.listen(db.engine, "before_cursor_execute", counter)
    try:
        response = client.get(path)
    finally:
        event.remove(db.engine, "before_cursor_execute", counter)
    assert response.status_code == 200
    return counter.statements, text(response)


def test_worklist_statements_do_not_grow_with_the_subjects(app, login):
    client = login("district_a")
    varied_subjects(seed=1, n=30)
    few, body_few = _statements(client, "/rehabilitation/worklist")
    varied_subjects(seed=2, n=60)
    many, body_many = _statements(client, "/rehabilitation/worklist")
    for body in (body_few, body_many):  # every list has items (an empty list skips its rows)
        assert all('name="subject_id"' in body.split(f'id="list-{k}"')[1].split("</section>")[0] for k in WORK_LISTS)
    assert body_many.count('name="subject_id"') > body_few.count('name="subject_id"')
    assert many == few, f"{few} statements with 30 subjects, {many} with 90"
    assert many < 30


def test_long_lists_are_bounded_and_paged(app, login, monkeypatch):
    from services import rehabilitation_figures as figures_module

    varied_subjects(seed=3, n=40)
    unit_id = factories.unit("150203").id
    expected = oracle(unit_id)["reassess_due"]
    assert len(expected) > 5
    monkeypatch.setattr(figures_module, "PER_LIST", 2)
    monkeypatch.setattr(figures_module.work_list_page, "__defaults__", (None, 1, 2, 4))
    client = login("district_a")
    body = client.get("/rehabilitation/worklist").get_data(as_text=True)
    section = body.split('id="list-reassess_due"')[1].split("</section>")[0]
    assert section.count('name="subject_id"') == 2 and "超过 4 项" in section and "查看全部" in section
    seen = []
    for page in (1, 2):
        body = client.get(f"/rehabilitation/worklist?list=reassess_due&page={page}").get_data(as_text=True)
        assert 'id="list-no_contact"' not in body and f"第 {page} / 2 页" in body
        seen += [int(x.split('"')[0]) for x in body.split('name="subject_id" value="')[1:]]
    assert len(seen) == 4 and len(set(seen)) == 4  # the first `cap` items are reachable, none twice
    assert seen == [s.id for s, _ in work_list(unit_id, "reassess_due", 4)]
    # a page beyond the end shows the last; an unknown list shows all of them
    assert "第 2 / 2 页" in client.get("/rehabilitation/worklist?list=reassess_due&page=99").get_data(as_text=True)
    assert 'id="list-no_contact"' in client.get("/rehabilitation/worklist?list=nonsense").get_data(as_text=True)
