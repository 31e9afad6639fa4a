"""Pre-release work (DOMAIN §4): a group formed on the prison's notice works inside before release;
the person is under assistance from the report, and counts in the figures only from then on."""
from datetime import timedelta

from extensions import db
from models.rehabilitation import PsychProfile
from models import clock
from models import measures
from tests import factories
from tests.helpers import text, versioned
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


def test_the_owning_unit_corrects_basic_data_and_only_it(login):
    from tests.helpers import row_counts

    s = subject(name="韩立平")
    db.session.commit()
    unit = login("district_a")
    data = {"name": "韩立平 & <更正>", "id_number": "15020219850615123x", "ethnicity": "蒙古族",
            "household_address": "包头市昆都仑区少先路 12 号", "offence": "盗窃罪", "offence_type": "property",
            "sentence": "有期徒刑三年", "custody_place": "内蒙古第一监狱"}
    before = row_counts()
    r = unit.send(f"/rehabilitation/{s.id}/basic", versioned(dict(data, id_number="150202198506151231"), s))
    assert r.status_code == 422 and "校验位" in text(r) and row_counts() == before
    assert s.name == "韩立平"
    assert unit.send(f"/rehabilitation/{s.id}/basic", versioned(data, s)).status_code == 303
    assert s.name == "韩立平 & <更正>" and s.id_number == "15020219850615123X" and s.sex == "男"
    assert s.birth_date.isoformat() == "1985-06-15" and s.ethnicity == "蒙古族"
    assert login("contractor_x").get(f"/rehabilitation/{s.id}/edit").status_code in (403, 404)
    assert login("district_b").send(f"/rehabilitation/{s.id}/basic", versioned(data, s)).status_code == 404
