"""Concurrent edits (issue #9 item 3): every edit form carries the version of the record it was based on;
a save based on an older version is refused with 409 and a message naming what changed since (who,
when, which fields, their current values), and nothing is overwritten."""
import json
import pytest
from sqlalchemy import inspect, text as sql

from extensions import db
from models import clock
from services import settings, versions
from models.formats import cn_datetime
from tests import factories
from tests import rehab_factories as rf
from tests.helpers import page_version, row_counts, text
from tests.purchasing_helpers import deadline, draft_plan, intention, published_plan


def snapshot(record):
    """Every column of the record as the database holds it now."""
    db.session.expire_all()
    state = inspect(record)
    return {a.key: getattr(record, a.key) for a in state.mapper.column_attrs}


# Each kind of editable record: set up (returns record, edit page, form action), the other writer's
# change, this writer's change, and what the refusal must name (label, the other writer, current value).

def _plan(login):
    unit = login("district_a")
    plan = draft_plan(unit)
    return plan, f"/plans/{plan.id}", f"/plans/{plan.id}"


PLAN = {"year": "2027", "budget_amount": "500000.00", "department_budget": "10000000", "last_year_cases": "420",
        "affordability_notes": "占部门预算 3.5%，财政可承受。"}


def _procurement(login):
    plan, unit = published_plan(login)
    p = intention(unit, plan)
    clock.advance(days=31)
    return p, f"/procurements/{p.id}", f"/procurements/{p.id}/prepare"


def _prepare(weight, criteria):
    return lambda: {"method": "open_tender", "bid_deadline": deadline(30).strftime("%Y-%m-%dT%H:%M"),
                    "price_weight": weight, "criteria": criteria}


def _contract(login):
    c = factories.make_contract("150203", factories.org("X"), amount="300000.00")
    db.session.commit()
    return c, f"/contracts/{c.id}", f"/contracts/{c.id}/amendments"


def _milestone(login):
    c = factories.make_contract("150203", factories.org("X"), amount="300000.00")
    db.session.commit()
    m = next(m for m in c.milestones if not m.is_final)
    return m, f"/contracts/{c.id}", f"/contracts/{c.id}/milestones/{m.id}"


def _staff(login):
    member = factories.org("X").staff[0]
    return member, f"/organisation/staff/{member.id}/edit", f"/organisation/staff/{member.id}"


STAFF = {"id_number": "150203199001010010", "profession": "mediator", "phone": "13900000000",
         "cert_number": "包司调证〔2025〕1号", "cert_issuer": "包头市司法局", "cert_valid_from": "2026-01-01",
         "cert_valid_until": "2027-12-31"}


def _condition(login):
    q = factories.org("X").qualification(5)
    return q, "/organisation/conditions/5/edit", "/organisation/conditions/5"


def _subject_basic(login):
    s = rf.subject(name="韩立平")
    db.session.commit()
    return s, f"/rehabilitation/{s.id}/edit", f"/rehabilitation/{s.id}/basic"


BASIC = {"id_number": "15020219850615123x", "ethnicity": "汉族", "household_address": "包头市昆都仑区少先路 12 号",
         "offence": "盗窃罪", "offence_type": "property", "sentence": "有期徒刑三年", "custody_place": "内蒙古第一监狱"}


def _subject_situation(login):
    s = rf.privacy_world().subject
    return s, f"/rehabilitation/{s.id}/forms/situation", f"/rehabilitation/{s.id}/situation"  # the form loads on demand


def _settings(login):
    return None, "/admin/settings", "/admin/settings"


def _setting_values(**changes):
    def values():
        out = {key: json.dumps(settings.get(key)) if isinstance(settings.get(key), dict) else str(settings.get(key))
               for key in settings.DEFAULTS}
        out.update(changes)
        return out
    return values


CASES = {
    # name: (setup, this user, other user, other's change, this change, must name, multipart)
    "purchase_plan": (_plan, "district_a", "district_a",
                      lambda: dict(PLAN, needs_assessment="甲：需求增长 & <说明>"),
                      lambda: dict(PLAN, needs_assessment="乙：需求稳定"), ["需求评估", "甲：需求增长 &amp; &lt;说明&gt;"],
                      False),
    "procurement": (_procurement, "district_a", "district_a", _prepare("20", "服务方案 80"),
                    _prepare("30", "服务方案 70"), ["价格分值", "20"], False),
    "contract": (_contract, "district_a", "district_a",
                 lambda: {"reason_code": "added_quantity", "amount": "330000.00", "note": "追加 40 件"},
                 lambda: {"reason_code": "added_quantity", "amount": "320000.00", "note": "追加 20 件"},
                 ["变更后的合同金额", "330,000.00", "合同版本"], False),
    "milestone": (_milestone, "district_a", "district_a",
                  lambda: {"status": "met", "status_on": clock.today().isoformat(), "note": "按期完成"},
                  lambda: {"status": "not_met", "status_on": clock.today().isoformat()}, ["完成情况", "已完成", "按期完成"],
                  False),
    "staff_member": (_staff, "contractor_x", "contractor_x", lambda: dict(STAFF, name="张志强（甲改）"),
                     lambda: dict(STAFF, name="张志强（乙改）"), ["姓名", "张志强（甲改）"], False),
    "qualification": (_condition, "contractor_x", "contractor_x",
                      lambda: {"statement": "新的完税证明（甲）", "evidence": factories.upload(), "expires_on": "2028-01-31"},
                      lambda: {"statement": "新的完税证明（乙）", "expires_on": "2028-06-30"},
                      ["情况说明", "新的完税证明（甲）"], True),
    "subject_basic": (_subject_basic, "district_a", "district_a", lambda: dict(BASIC, name="韩立平（甲改）"),
                      lambda: dict(BASIC, name="韩立平（乙改）"), ["姓名", "韩立平（甲改）"], False),
    "subject_situation": (_subject_situation, "district_a", "plain_x",
                          lambda: {"resettlement": "employed", "current_address": "团结大街 9 号", "phone": "13900001111"},
                          lambda: {"resettlement": "none", "current_address": "少先路 1 号"},
                          ["plain_x", "现居住地址", "团结大街 9 号", "新的联系电话", "内容不在此显示"], False),
    "settings": (_settings, "city", "admin", _setting_values(**{"qualification.reminder_days": "45"}),
                 _setting_values(**{"login.window_minutes": "20"}), ["资格材料到期提醒天数", "45", "admin"], False),
}


@pytest.mark.parametrize("kind", list(CASES))
def test_a_save_based_on_an_old_version_is_refused_and_says_what_changed(app, login, kind):
    setup, me, other, theirs, mine, must_name, multipart = CASES[kind]
    record, page, action = setup(login)
    kw = {"content_type": "multipart/form-data"} if multipart else {}
    mine_client, other_client = login(me), login(other)
    based = page_version(mine_client, page, action)  # I open the edit page ...
    # ... the other writer opens it too and saves first
    r = other_client.send(action, dict(theirs(), record_version=page_version(other_client, page, action)), **kw)
    assert r.status_code == 303, text(r)[:3000]
    when = cn_datetime(clock.now())
    before_rows = row_counts()
    before = snapshot(record) if record is not None else {k: settings.get(k) for k in settings.DEFAULTS}
    clock.advance(minutes=5)
    r = mine_client.send(action, dict(mine(), record_version=based), **kw)
    body = text(r)
    assert r.status_code == 409, body[:3000]
    assert "已被他人修改" in body and "没有覆盖任何内容" in body
    assert when in body  # when the other writer changed it
    for needle in must_name:
        assert needle in body, (needle, body[:3000])
    if record is not None:
        assert snapshot(record) == before
        assert int(based) < record.row_version
    else:
        assert {k: settings.get(k) for k in settings.DEFAULTS} == before
    assert row_counts() == before_rows
    # Based on the current version, the same save goes through.
    r = mine_client.send(action, dict(mine(), record_version=page_version(mine_client, page, action)), **kw)
    assert r.status_code == 303, text(r)[:3000]


def test_the_phone_number_never_appears_in_the_refusal(app, login):
    s, page, action = _subject_situation(login)
    unit, worker = login("district_a"), login("plain_x")
    based = page_version(unit, page, action)
    assert worker.send(action, {"resettlement": "employed", "phone": "13900001111",
                                "record_version": page_version(worker, page, action)}).status_code == 303
    r = unit.send(action, {"resettlement": "none", "record_version": based})
    assert r.status_code == 409 and "13900001111" not in text(r) and "13812345678" not in text(r)


def test_a_save_without_a_version_is_refused_and_nothing_written(app, login):
    unit = login("district_a")
    plan = draft_plan(unit)
    before, rows = snapshot(plan), row_counts()
    r = unit.send(f"/plans/{plan.id}", dict(PLAN, needs_assessment="无版本"))
    assert r.status_code == 409 and "缺少版本信息" in text(r)
    assert snapshot(plan) == before and row_counts() == rows


def test_an_htmx_save_on_an_old_version_gets_the_message_in_the_flash_area(app, login):
    unit = login("district_a")
    plan = draft_plan(unit)
    based = page_version(unit, f"/plans/{plan.id}", f"/plans/{plan.id}")
    assert unit.send(f"/plans/{plan.id}", dict(PLAN, needs_assessment="先保存的", record_version=based)).status_code == 303
    r = unit.send(f"/plans/{plan.id}", dict(PLAN, needs_assessment="后保存的", record_version=based),
                  headers={"HX-Request": "true", "HX-Target": "plan-form"})
    assert r.status_code == 409 and r.headers["HX-Retarget"] == "#flash"
    body = text(r)
    assert "<html" not in body and "需求评估" in body and "先保存的" in body
    assert plan.needs_assessment == "先保存的"


def test_a_writer_who_gets_in_between_check_and_write_loses_with_409(app, login, monkeypatch):
    """The database's own check (UPDATE ... WHERE row_version = loaded): another transaction bumps the
    version after the form's version was checked; the save is refused, nothing is overwritten."""
    unit = login("district_a")
    plan = draft_plan(unit)
    based = page_version(unit, f"/plans/{plan.id}", f"/plans/{plan.id}")
    original = versions.check

    def check_then_someone_writes(form, record):
        original(form, record)
        db.session.execute(sql("UPDATE purchase_plan SET row_version = row_version + 1, needs_assessment = '别人的' "
                               "WHERE id = :id"), {"id": record.id})

    monkeypatch.setattr(versions, "check", check_then_someone_writes)
    before = snapshot(plan)
    r = unit.send(f"/plans/{plan.id}", dict(PLAN, needs_assessment="我的", record_version=based))
    assert r.status_code == 409, (r.status_code, text(r)[-3000:])
    assert "刚刚被他人修改" in text(r)
    assert snapshot(plan) == before


def test_versions_start_at_one_and_count_each_saved_edit(app, login):
    unit = login("district_a")
    plan = draft_plan(unit)
    first = plan.row_version
    for n in range(2):
        based = page_version(unit, f"/plans/{plan.id}", f"/plans/{plan.id}")
        assert unit.send(f"/plans/{plan.id}", dict(PLAN, needs_assessment=f"第 {n} 次",
                                                   record_version=based)).status_code == 303
    assert plan.row_version == first + 2
    c = factories.make_contract("150203", factories.org("X"))
    db.session.flush()
    assert c.row_version == 1
