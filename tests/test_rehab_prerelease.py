"""Pre-release work (DOMAIN §4): a group formed on the prison's notice works inside before release;
the person is under assistance from the report, and counts in the figures only from then on."""
from datetime import timedelta

from extensions import db
from models.rehabilitation import PsychProfile
from services import clock, measures
from tests import factories
from tests.helpers import text
from tests.rehab_factories import form_group, staff, subject


def test_a_group_formed_before_release_records_the_psychological_work_inside(login):
    c = factories.make_contract("150203", factories.org("X"), "assistance")
    release = clock.today() + timedelta(days=40)
    s = subject(status="pre_release", contract=c, release=release)
    counsellor = staff(factories.org("X"), "林心怡", "counsellor", username="lin_xinyi")
    form_group(s, counsellor)
    db.session.commit()
    assert s.status == "pre_release" and s.group is not None
    worker = login("lin_xinyi")
    r = worker.send(f"/rehabilitation/{s.id}/profiles", {"on": clock.today().isoformat(),
                                                          "content": "监内心理测评：焦虑中度，家庭支持薄弱"})
    assert r.status_code == 303
    assert db.session.query(PsychProfile).filter_by(subject_id=s.id).count() == 1
    r = worker.send(f"/rehabilitation/{s.id}/records", {"kind": "mental_health", "on": clock.today().isoformat(),
                                                         "content": "第一次监内心理矫治谈话"})
    assert r.status_code == 303
    r = worker.send(f"/rehabilitation/{s.id}/records", {"kind": "employment", "on": clock.today().isoformat(),
                                                         "content": "就业推荐"})
    assert r.status_code == 409  # before release only psychological correction is recorded
    # not under assistance, and not counted, before the report
    assert measures.value("subjects_served", c, clock.today(), clock.today()) == 0
    clock.set_now(release + timedelta(days=2))
    assert login("district_a").send(f"/rehabilitation/{s.id}/report", {
        "report_date": (release + timedelta(days=1)).isoformat(), "received_how": "fetched",
        "receiving_office": "少先路司法所", "officer": "王建国"}).status_code == 303
    assert s.status == "under_assistance"
    assert measures.value("subjects_served", c, release, clock.today()) == 1
    assert "帮教中" in text(login("district_a").get(f"/rehabilitation/{s.id}"))
