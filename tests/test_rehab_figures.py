"""The assistance figures and the four rates of DOMAIN.md §8 on a prepared set, worked out by hand;
work lists driven by the rules; list filters and search."""
from datetime import date

from sqlalchemy import select

from extensions import db
from models import User
from models.rehabilitation import ServiceRecord
from services.rehabilitation_figures import figures, work_lists
from tests import factories
from tests import rehab_factories as rf
from tests.helpers import text

START, END = date(2026, 1, 1), date(2026, 11, 27)


def _owner():
    return db.session.scalar(select(User).where(User.username == "district_a"))


def _make(name, release, reported=None, formed=None, exit_type="prison", contract=None, unit="150203", **fields):
    s = rf.subject(unit, status="pre_release", contract=contract, exit_type=exit_type, release=release, name=name,
                   **fields)
    owner = db.session.scalar(select(User).where(User.unit_id == s.unit_id, User.role == "district"))
    if reported and s.status == "pre_release":
        s.record_report(owner, reported, "fetched", "少先路司法所", "王建国")
    elif reported:
        s.handover.report_date = reported
    if formed:
        rf.form_group(s, db.session.get(factories.StaffMember, factories.user("worker_x").staff_member_id))
        s.group.formed_on = formed
    db.session.flush()
    return s


def _record(s, kind, on):
    db.session.add(ServiceRecord.add(s, factories.user("worker_x"), {"kind": kind, "on": on, "content": "服务"}))


def prepared_set():
    contract = factories.make_contract("150203", factories.org("X"), "assistance")
    a = _make("甲", date(2026, 3, 1), date(2026, 3, 5), date(2026, 3, 10), contract=contract,
              key_flags=["drugs"], key_reasons="涉毒", resettlement="employed")  # on time, key
    b = _make("乙", date(2026, 5, 1), date(2026, 5, 15), date(2026, 5, 20), contract=contract)  # 14 days: late
    _make("丙", date(2026, 7, 1))  # never reported
    d = _make("丁", date(2025, 6, 1), date(2025, 6, 3), date(2025, 6, 10), contract=contract, resettlement="relief")
    e = _make("戊", date(2026, 4, 1), date(2026, 4, 2), date(2026, 4, 5), exit_type="probation", contract=contract,
              resettlement="farming")
    _make("己", date(2026, 3, 1), unit="150202")  # another unit's
    _record(a, "employment", date(2026, 6, 1))
    _record(d, "relief", date(2026, 2, 1))
    _record(e, "visit", date(2026, 4, 10))
    _record(d, "visit", date(2025, 12, 31))  # before the period
    rf.approved_plan(a)
    rf.assess(b, factories.user("worker_x"), rf.LOW, on=date(2026, 9, 1))
    d.end(_owner(), "reoffended", date(2026, 8, 1))
    db.session.commit()
    return a, b, d, e


def test_figures_and_rates_by_hand(app):
    prepared_set()
    f = figures(factories.unit("150203").id, START, END)
    # released from prison in the period: 甲, 乙, 丙 (戊 is a community exit, 丁 was released in 2025,
    # 己 is another unit's); reported within 7 days: 甲 only.
    assert (f["released"], f["handed_over"]) == (3, 1)
    assert f["rates"]["handover"] == {"n": 1, "d": 3, "percent": rf_decimal("33.3")}
    assert (f["key_released"], f["key_handed_over"]) == (1, 1)
    # under assistance during the period: 甲, 乙, 丁 (ended in August), 戊 = 4
    assert f["under_assistance"] == 4
    # with a service record in the period: 甲 (June), 丁 (February), 戊 (April) — 丁's December record is outside
    assert f["rates"]["assistance"] == {"n": 3, "d": 4, "percent": rf_decimal("75.0")}
    # resettled: 甲 employed, 丁 relief, 戊 farming; 乙 none
    assert f["rates"]["resettlement"] == {"n": 3, "d": 4, "percent": rf_decimal("75.0")}
    # re-offended in the period: 丁; under assistance at the start: 丁 only (group formed 2025-06-10)
    assert f["under_assistance_at_start"] == 1 and f["reoffended"] == 1
    assert f["rates"]["reoffending"] == {"n": 1, "d": 1, "percent": rf_decimal("100.0")}
    # reported in the period: 甲, 乙, 戊
    assert f["received"] == 3
    assert f["records_by_kind"] == {"就业帮扶": 1, "申请社会救助": 1, "走访谈话": 1}
    assert f["helped"] == 2 and f["plans_in_effect"] == 1 and f["assessments"] == 1


def rf_decimal(s):
    from decimal import Decimal

    return Decimal(s)


def test_rates_with_nothing_to_divide_are_empty(app):
    f = figures(factories.unit("150207").id, START, END)
    assert f["rates"]["handover"]["percent"] is None and f["released"] == 0


def test_figures_page(app, login):
    prepared_set()
    body = text(login("district_a").get("/rehabilitation/figures?start=2026-01-01&end=2026-11-27"))
    assert "33.3%（1/3）" in body and "75.0%（3/4）" in body and "100.0%（1/1）" in body


def test_work_lists_follow_the_rules_and_set_aside_needs_a_reason(app, login):
    a, b, d, e = prepared_set()
    lists = {k: [s.name for s, _ in rows] for k, _, rows in work_lists(factories.unit("150203").id)}
    assert lists["report_overdue"] == ["丙"]
    assert set(lists["reassess_due"]) == {"甲", "戊"}  # 乙 was assessed in September; 丁 has ended
    assert set(lists["no_contact"]) == {"甲", "乙", "戊"}  # last contact more than 30 days ago
    assert lists["period_ending"] == [] and lists["downgrade"] == []
    unit = login("district_a")
    r = unit.send("/rehabilitation/worklist/set-aside", {"subject_id": str(a.id), "kind": "reassess_due", "reason": ""})
    assert r.status_code == 422
    r = unit.send("/rehabilitation/worklist/set-aside", {"subject_id": str(a.id), "kind": "reassess_due",
                                                         "reason": "已约定下周评估"})
    assert r.status_code == 303
    body = text(unit.get("/rehabilitation/worklist"))
    assert "甲" not in body.split('id="list-reassess_due"')[1].split("</section>")[0]
    other = rf.subject("150202", name="庚")
    db.session.commit()
    assert unit.send("/rehabilitation/worklist/set-aside", {"subject_id": str(other.id), "kind": "reassess_due",
                                                            "reason": "x"}).status_code == 404


def test_list_filters_and_search(app, login):
    a, b, d, e = prepared_set()
    unit = login("district_a")

    def names(query):
        body = text(unit.get("/rehabilitation/?" + query, headers={"HX-Request": "true", "HX-Target": "subject-table"}))
        assert "<html" not in body
        return {n for n in "甲乙丙丁戊己" if f">{n}</a>" in body}

    assert names("") == set("甲乙丙丁戊")
    assert names("status=under_assistance") == set("甲乙戊")
    assert names("category=key") == {"甲"}
    assert names("overdue=1") == {"丙"}
    assert names("released_from=2026-04-01&released_to=2026-06-30") == {"乙", "戊"}
    assert names("q=甲") == {"甲"}
    assert names("q=" + a.id_number[-4:]) == {"甲"}
    assert names("q=%25") == set()  # a wildcard is a character, not a pattern
