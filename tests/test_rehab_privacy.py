"""DESIGN.md §2's privacy table for subjects, one test per row and role, with IDOR through direct URLs."""
import pytest
from sqlalchemy import func, select

from extensions import db
from models import AuditLog
from tests import rehab_factories as rf
from tests.helpers import field_error, text, versioned

SECRET = "心理档案：焦虑，睡眠差"


@pytest.fixture
def world(app):
    return rf.privacy_world()


def _page(login, user, s):
    r = login(user).get(f"/rehabilitation/{s.id}")
    return r, text(r)


def test_owning_unit_sees_the_whole_record_with_the_restricted_section(world, login):
    r, body = _page(login, "district_a", world.subject)
    assert r.status_code == 200
    assert "少先路 12 号" in body and "盗窃罪" in body and SECRET in body and 'id="assessments"' in body
    assert "150203********" in body  # the ID number stays masked until shown on purpose
    assert world.subject.id_number not in body and "13812345678" not in body


def test_residence_unit_sees_the_whole_record_only_once_cooperation_is_granted(world, login):
    s = world.subject
    assert _page(login, "district_b", s)[0].status_code == 404
    owner = login("district_a")
    from tests import factories

    r = owner.send(f"/rehabilitation/{s.id}/cooperation", {"residence_unit_id": str(factories.unit("150202").id)})
    assert r.status_code == 303
    r, body = _page(login, "district_b", s)
    assert r.status_code == 200 and "少先路 12 号" in body and SECRET in body


def test_group_leader_sees_the_whole_record_and_the_restricted_section(world, login):
    r, body = _page(login, "worker_x", world.subject)
    assert r.status_code == 200 and "盗窃罪" in body and SECRET in body


def test_counsellor_in_the_group_sees_the_restricted_section(world, login):
    r, body = _page(login, "counsellor_x", world.subject)
    assert r.status_code == 200 and "盗窃罪" in body and SECRET in body


def test_plain_group_member_sees_the_whole_record_but_not_the_restricted_section(world, login):
    r, body = _page(login, "plain_x", world.subject)
    assert r.status_code == 200 and "盗窃罪" in body and "少先路 12 号" in body
    assert SECRET not in body and 'id="assessments"' not in body and 'id="restricted"' not in body
    s = world.subject
    a = s.assessments[0]
    assert login("plain_x").get(f"/rehabilitation/{s.id}/assessments/{a.id}/document").status_code == 403
    assert login("plain_x").send(f"/rehabilitation/{s.id}/profiles").status_code == 403


def test_contractor_admin_sees_basic_data_and_group_not_the_restricted_section(world, login):
    r, body = _page(login, "contractor_x", world.subject)
    assert r.status_code == 200
    assert "韩立平" in body and 'id="group"' in body and "马俊峰" in body
    assert SECRET not in body and "盗窃罪" not in body and "少先路 12 号" not in body
    assert 'id="step-group"' in body  # the group's form, loaded when opened
    s = world.subject
    form = login("contractor_x").get(f"/rehabilitation/{s.id}/forms/group", headers={
        "HX-Request": "true", "HX-Target": "step-group-body"})
    assert form.status_code == 200 and 'id="group-form"' in form.get_data(as_text=True)
    assert "<html" not in form.get_data(as_text=True) and SECRET not in form.get_data(as_text=True)
    assert login("contractor_x").get(f"/rehabilitation/{s.id}/forms/record").status_code == 404
    assert login("contractor_x").send(f"/rehabilitation/{s.id}/reveal").status_code == 403
    assert login("contractor_x").get(f"/rehabilitation/{s.id}/documents/record_card").status_code == 403


def test_worker_of_the_same_contractor_outside_the_group_gets_the_details_card_only(world, login):
    r, body = _page(login, "outsider_x", world.subject)
    assert r.status_code == 200
    assert 'id="details-card"' in body and "韩某某" in body and "张志强" in body and "帮教中" in body
    assert "韩立平" not in body and "盗窃罪" not in body and SECRET not in body and "150203" not in body
    s = world.subject
    assert login("outsider_x").send(f"/rehabilitation/{s.id}/reveal").status_code == 403
    assert login("outsider_x").get(f"/rehabilitation/{s.id}/documents/record_card").status_code == 403
    # not in the worker's lists either
    assert "韩" not in text(login("outsider_x").get("/rehabilitation/")).split('id="subject-table"')[1]


@pytest.mark.parametrize("user", ["district_b", "contractor_y", "city", "admin", "finance_a", "evaluator"])
def test_everyone_else_gets_404_for_the_record_documents_and_attachments(world, login, user):
    s = world.subject
    plan_id = 1
    a = s.assessments[0]
    c = login(user)
    for url in (f"/rehabilitation/{s.id}", f"/rehabilitation/{s.id}/documents/record_card",
                f"/rehabilitation/{s.id}/documents/handover_receipt",
                f"/rehabilitation/{s.id}/assessments/{a.id}/document",
                f"/rehabilitation/{s.id}/plans/{plan_id}/document",
                f"/rehabilitation/{s.id}/records/1/attachment"):
        r = c.get(url)
        assert r.status_code == 404, (url, r.status_code)
        assert "韩立平" not in text(r)
    assert c.send(f"/rehabilitation/{s.id}/reveal").status_code == 404


def test_anonymous_visitor_is_sent_to_login(world, client):
    r = client.get(f"/rehabilitation/{world.subject.id}")
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_every_view_and_reveal_is_audited_and_the_owner_sees_who_viewed(world, login):
    s = world.subject

    def count(action):
        return db.session.scalar(select(func.count()).select_from(AuditLog).where(
            AuditLog.action == action, AuditLog.record_type == "subject", AuditLog.record_id == s.id))

    before_view, before_reveal = count("view"), count("reveal")
    login("plain_x").get(f"/rehabilitation/{s.id}")
    login("outsider_x").get(f"/rehabilitation/{s.id}")
    r = login("plain_x").send(f"/rehabilitation/{s.id}/reveal", headers={"HX-Request": "true",
                                                                     "HX-Target": "identity"})
    assert r.status_code == 200 and s.id_number in text(r) and "13812345678" in text(r)
    assert count("view") == before_view + 2 and count("reveal") == before_reveal + 1
    owner = login("district_a")
    assert f'/rehabilitation/{s.id}/viewers' in text(owner.get(f"/rehabilitation/{s.id}"))  # loaded on demand
    viewers = text(owner.get(f"/rehabilitation/{s.id}/viewers", headers={"HX-Request": "true",
                                                                          "HX-Target": "viewers-body"}))
    assert "<html" not in viewers
    viewers = viewers.split('id="viewers"')[1]
    assert "plain_x" in viewers and "outsider_x" in viewers and "显示完整号码" in viewers
    # audit entries never hold the personal values
    for entry in db.session.scalars(select(AuditLog).where(AuditLog.record_type == "subject")):
        assert s.id_number not in str(entry.fields) + str(entry.detail)


def test_lists_mask_id_numbers_and_phones(world, login):
    s = world.subject
    for user in ("district_a", "contractor_x", "worker_x"):
        body = text(login(user).get("/rehabilitation/"))
        assert "韩立平" in body, user
        assert s.id_number not in body and "13812345678" not in body
        assert s.masked_id in body and "138****5678" in body


def test_export_is_the_owning_units_marked_masked_and_audited(world, login):
    s = world.subject
    r = login("district_a").get("/rehabilitation/export.csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    body = r.get_data(as_text=True)
    assert "含个人信息" in body.splitlines()[0]
    assert "韩立平" in body and s.id_number not in body and s.masked_id in body and "13812345678" not in body
    assert db.session.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "export")) >= 1
    assert "韩立平" not in login("district_b").get("/rehabilitation/export.csv").get_data(as_text=True)
    assert login("contractor_x").get("/rehabilitation/export.csv").status_code == 403


def test_documents_are_audited(world, login):
    s = world.subject
    before = db.session.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "document"))
    r = login("district_a").get(f"/rehabilitation/{s.id}/documents/record_card")
    assert r.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "document")) == before + 1


def test_transferred_subject_file_goes_to_the_receiving_unit_read_only(world, login):
    from tests import factories

    s = world.subject
    owner = login("district_a")
    r = owner.send(f"/rehabilitation/{s.id}/end", {"reason": "transferred", "ended_on": "2026-11-27",
                                                   "transfer_unit_id": str(factories.unit("150202").id), "confirm": "y"})
    assert r.status_code == 303
    r, body = _page(login, "district_b", s)
    assert r.status_code == 200 and "盗窃罪" in body and "迁往东河区司法局" in body
    assert login("district_b").send(f"/rehabilitation/{s.id}/records", {"kind": "visit", "on": "2026-11-27",
                                                                        "content": "走访"}).status_code == 409


def test_situation_update_by_the_group_and_key_flags_by_the_owner_only(world, login):
    s = world.subject
    r = login("plain_x").send(f"/rehabilitation/{s.id}/situation", versioned({
        "resettlement": "employed", "key_flags": ["drugs"], "key_reasons": "试图标记"}, s))
    assert r.status_code == 303 and s.resettlement == "employed" and s.key_flags == [] and s.phone == "13812345678"
    r = login("district_a").send(f"/rehabilitation/{s.id}/situation", versioned({"resettlement": "employed", "key_flags": ["drugs"]}, s))
    assert r.status_code == 422
    r = login("district_a").send(f"/rehabilitation/{s.id}/situation", versioned({
        "resettlement": "employed", "key_flags": ["drugs"], "key_reasons": "涉毒", "phone": "13900001111"}, s))
    assert r.status_code == 303 and s.is_key and s.phone == "13900001111"
    assert login("contractor_x").send(f"/rehabilitation/{s.id}/situation", versioned({"resettlement": "none"}, s)).status_code == 403


def test_reveal_without_javascript_shows_the_whole_page_with_the_numbers(world, login):
    s = world.subject
    r = login("district_a").send(f"/rehabilitation/{s.id}/reveal")
    body = text(r)
    assert r.status_code == 200 and "<html" in body and s.id_number in body and "13812345678" in body


def test_transitional_bases_are_the_units_own_and_checked(app, login):
    unit = login("district_a")
    r = unit.send("/rehabilitation/bases", {"name": "阳光基地", "operator": "新起点", "capacity": "10", "occupancy": "12"})
    assert r.status_code == 422 and field_error(text(r), "occupancy") == ["在住人数不能超过容量"]
    assert unit.send("/rehabilitation/bases", {"name": "阳光基地", "operator": "新起点", "capacity": "10",
                                               "occupancy": "3"}).status_code == 303
    assert "阳光基地" in text(unit.get("/rehabilitation/bases"))
    assert "阳光基地" not in text(login("district_b").get("/rehabilitation/bases"))


def test_group_workers_find_their_subjects_on_the_home_page(world, login):
    assert "韩立平" in text(login("plain_x").get("/")).split('id="my-subjects"')[1]
    assert "韩" not in text(login("outsider_x").get("/")).split('id="my-subjects"')[1].split("</section>")[0]
