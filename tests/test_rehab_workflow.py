"""The assistance workflow over HTTP: notice, report, group, plan, approval, Word plan, services,
consent before referral, end and anonymisation; bad input is 422 beside the field with nothing written."""
import pytest
from sqlalchemy import select

from extensions import db
from models.rehabilitation import Subject
from models import clock
from models.identifiers import mask_id_number
from tests import factories
from tests import rehab_factories as rf
from tests.docs import docx_text, to_pdf
from tests.helpers import field_error, row_counts, text

HOSTILE = rf.HOSTILE
LONG = "很长的需求。" * 850  # 5,100 characters


def notice(**overrides):
    data = {"name": "韩立平", "id_number": rf.id_number(), "ethnicity": "蒙古族", "household_address": HOSTILE,
            "current_address": "包头市昆都仑区团结大街 5 号", "township": "少先路街道", "phone": "13812345678",
            "family_situation": "母亲年迈", "education": "初中", "skills": "焊工", "offence": "盗窃罪",
            "offence_type": "property", "sentence": "有期徒刑三年", "custody_place": "内蒙古第一监狱",
            "exit_type": "prison", "release_date": "2026-11-20", "resettlement": "none",
            "notice_date": "2026-10-20", "institution": "内蒙古第一监狱", "conduct": "表现一般", "needs": "住房"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _subject(name="韩立平"):
    return db.session.scalar(select(Subject).where(Subject.name == name))


def test_bad_id_number_is_422_beside_the_field_and_nothing_is_written(app, login):
    before = row_counts()
    r = login("district_a").send("/rehabilitation/", notice(id_number="150203199001010011"))
    assert r.status_code == 422
    assert field_error(text(r), "id_number") == ["身份证号校验位不正确，请核对"]
    assert row_counts() == before


def test_key_subject_needs_reasons(app, login):
    r = login("district_a").send("/rehabilitation/", notice(key_flags=["drugs"]))
    assert r.status_code == 422 and field_error(text(r), "key_reasons") == ["列为重点帮教对象须说明理由"]


def test_community_correction_exit_starts_at_reported(app, login):
    r = login("district_a").send("/rehabilitation/", notice(exit_type="probation", report_date="2026-11-22",
                                                            notice_date=None, institution=None))
    assert r.status_code == 303
    s = _subject()
    assert s.status == "reported" and s.period_years == 3 and s.handover.received_how == "self"


def test_overdue_report_is_flagged_and_lost_contact_needs_steps(app, login):
    unit = login("district_a")
    assert unit.send("/rehabilitation/", notice(release_date="2026-11-10")).status_code == 303
    s = _subject()
    assert s.report_overdue and s.report_escalated is False  # 17 days: past 7, not yet 20
    body = text(unit.get("/rehabilitation/?overdue=1", headers={"HX-Request": "true", "HX-Target": "subject-table"}))
    assert "<html" not in body and "韩立平" in body and "逾期报到" in body
    r = unit.send(f"/rehabilitation/{s.id}/lost-contact", {"steps": ""})
    assert r.status_code == 422 and field_error(text(r), "steps") == ["请填写已采取的查找措施"]
    assert unit.send(f"/rehabilitation/{s.id}/lost-contact", {"steps": "电话联系家属，走访户籍地"}).status_code == 303
    assert s.lost_contact


def test_from_prison_notice_to_an_approved_plan_in_word(app, login):
    x = factories.org("X")
    contract = factories.make_contract("150203", x, "assistance")
    db.session.commit()
    unit = login("district_a")
    assert unit.send("/rehabilitation/", notice()).status_code == 303
    s = _subject()
    assert s.status == "pre_release" and s.household_address == HOSTILE
    assert s.sex == ("男" if int(s.id_number[16]) % 2 else "女") and s.birth_date.isoformat() == "1988-03-14"
    # a plan cannot be made before the person reports
    assert login("worker_x").get(f"/rehabilitation/{s.id}").status_code == 404

    r = unit.send(f"/rehabilitation/{s.id}/report", {"report_date": "2026-11-30", "received_how": "fetched",
                                                     "receiving_office": "少先路司法所", "officer": "王建国"})
    assert r.status_code == 422 and field_error(text(r), "report_date") == ["报到日期不能晚于今天"]
    r = unit.send(f"/rehabilitation/{s.id}/report", {"report_date": "2026-11-24", "received_how": "fetched",
                                                     "receiving_office": "少先路司法所", "officer": "王建国"})
    assert r.status_code == 303 and s.status == "reported" and not s.report_overdue
    assert unit.send(f"/rehabilitation/{s.id}/contract", {"contract_id": str(contract.id)}).status_code == 303

    leader_staff = factories.user("worker_x").staff_member_id
    admin = login("contractor_x")
    r = admin.send(f"/rehabilitation/{s.id}/group", {"kind": "one_to_one", "leader": str(leader_staff),
                                                     "other_side": "family", "other_name": "韩母"})
    assert r.status_code == 422 and field_error(text(r), "kind") == ["一帮一只能有一名帮教人员"]
    r = admin.send(f"/rehabilitation/{s.id}/group", {"kind": "many_to_one", "leader": str(leader_staff),
                                                     "other_side": "family", "other_name": "韩母", "other_role": "家属"})
    assert r.status_code == 303 and s.status == "under_assistance" and s.group.leader.name == "张志强"

    worker = login("worker_x")
    plan = {"need_housing": "与母亲同住，房屋狭小", "need_work": LONG, "goals": "三个月内找到稳定工作 " + HOSTILE,
            "measure_employment": "推荐到焊工岗位 & 培训", "measure_psychology": "每月心理疏导一次",
            "responsible": "张志强（组长）、韩母", "contact_frequency": "每月走访一次",
            "starts_on": "2026-11-27", "ends_on": "2027-11-26", "review_on": "2027-02-27", "consent": "y"}
    r = worker.send(f"/rehabilitation/{s.id}/plans", {**plan, "review_on": "2028-01-01"})
    assert r.status_code == 422 and field_error(text(r), "review_on") == ["复核日期须在执行期限内"]
    assert worker.send(f"/rehabilitation/{s.id}/plans", plan).status_code == 303
    p = s.draft_plan
    assert p.version == 1 and p.status == "draft"
    assert worker.send(f"/rehabilitation/{s.id}/plans/{p.id}/approve").status_code == 403
    assert unit.send(f"/rehabilitation/{s.id}/plans/{p.id}/approve").status_code == 303
    assert s.plan_in_effect is p

    r = unit.get(f"/rehabilitation/{s.id}/plans/{p.id}/document")
    assert r.status_code == 200 and r.mimetype.endswith("wordprocessingml.document")
    body = docx_text(r.data)
    for expected in ("个性化帮教方案", "三个月内找到稳定工作 " + HOSTILE, "推荐到焊工岗位 & 培训", "每月心理疏导一次",
                     "张志强（组长）、韩母", "2026年11月27日", "2027年11月26日", "2027年2月27日", "就业和收入", LONG,
                     mask_id_number(s.id_number), "张志强", "韩母", "审批通过"):
        assert expected in body, expected
    assert s.id_number not in body
    assert to_pdf(r.data).startswith(b"%PDF-")

    # a revision is a new version; approving it supersedes the first
    assert worker.send(f"/rehabilitation/{s.id}/plans", {**plan, "goals": "修订后的目标"}).status_code == 303
    assert unit.send(f"/rehabilitation/{s.id}/plans/{s.draft_plan.id}/approve").status_code == 303
    assert [x.status for x in s.plans] == ["superseded", "approved"]


@pytest.mark.parametrize("kind", ["handover_receipt", "record_card"])
def test_receipt_and_record_card_documents(app, login, kind):
    w = rf.privacy_world()
    s = w.subject
    s.handover.conduct = HOSTILE
    s.custody_place = HOSTILE
    db.session.commit()
    r = login("district_a").get(f"/rehabilitation/{s.id}/documents/{kind}")
    assert r.status_code == 200
    body = docx_text(r.data)
    assert "韩立平" in body and s.masked_id in body and s.id_number not in body
    if kind == "record_card":
        assert HOSTILE in body and "马俊峰" in body and "低" in body
    else:
        assert "内蒙古第一监狱" in body and "接回" in body and "少先路司法所" in body
    assert to_pdf(r.data).startswith(b"%PDF-")


def test_risk_assessment_form_document(app, login):
    w = rf.privacy_world()
    s = w.subject
    a = rf.assess(s, factories.user("worker_x"), rf.HIGHEST)
    db.session.commit()
    r = login("worker_x").get(f"/rehabilitation/{s.id}/assessments/{a.id}/document")
    body = docx_text(r.data)
    assert "重新犯罪风险评估表" in body and "25" in body and "高" in body and "悔罪态度" in body


def test_referral_needs_consent_first(app, login):
    w = rf.privacy_world()
    s = w.subject
    worker = login("plain_x")
    data = {"kind": "employment", "on": "2026-11-27", "content": "推荐到钢铁公司面试", "result": "待面试",
            "shares_data": "y"}
    before = row_counts()
    r = worker.send(f"/rehabilitation/{s.id}/records", data)
    assert r.status_code == 422
    assert field_error(text(r), "shares_data") == ["转介须向第三方提供对象信息，请先登记对象的书面同意"]
    assert row_counts() == before
    assert worker.send(f"/rehabilitation/{s.id}/consents", {"scope": "employer", "given_on": "2026-11-27"}).status_code == 303
    assert worker.send(f"/rehabilitation/{s.id}/records", data).status_code == 303
    assert s.records[0].worker_name == "朱晓燕" and s.last_contact == clock.today()


def test_end_of_assistance_locks_the_record_and_anonymisation_follows_after_five_years(app, login):
    w = rf.privacy_world()
    s = w.subject
    unit = login("district_a")
    r = unit.send(f"/rehabilitation/{s.id}/end", {"reason": "period_over", "ended_on": "2026-11-27", "confirm": "y"})
    assert r.status_code == 422 and "尚未期满" in field_error(text(r), "ended_on")[0]
    assert unit.send(f"/rehabilitation/{s.id}/end", {"reason": "reoffended", "ended_on": "2026-11-27"}).status_code == 422
    assert unit.send(f"/rehabilitation/{s.id}/end", {"reason": "reoffended", "ended_on": "2026-11-27",
                                                     "confirm": "y"}).status_code == 303
    assert s.status == "ended" and s.end_reason == "reoffended"
    assert login("worker_x").send(f"/rehabilitation/{s.id}/records", {
        "kind": "visit", "on": "2026-11-27", "content": "走访"}).status_code == 409
    assert unit.send(f"/rehabilitation/{s.id}/anonymise").status_code == 409  # not yet due
    assert "韩立平" not in text(unit.get("/rehabilitation/anonymisation"))

    clock.set_now("2031-11-28")
    assert "韩立平" in text(unit.get("/rehabilitation/anonymisation"))
    number = s.id_number
    assert unit.send(f"/rehabilitation/{s.id}/anonymise").status_code == 303
    assert s.name == "已匿名" and s.id_number == "" and s.phone == "" and s.anonymised_at is not None
    assert s.status == "ended" and s.end_reason == "reoffended" and s.release_date  # figures kept
    assert number not in text(unit.get(f"/rehabilitation/{s.id}"))


def test_key_subject_downgrade_needs_two_assessments_twelve_months_apart(app, login):
    w = rf.privacy_world()
    s = w.subject
    s.key_flags, s.key_reasons, s.flagged = ["drugs"], "涉毒", True
    db.session.commit()
    unit = login("district_a")
    assert unit.send(f"/rehabilitation/{s.id}/downgrade", {"reason": "表现稳定"}).status_code == 409
    from datetime import timedelta

    rf.assess(s, factories.user("worker_x"), rf.LOW, on=clock.today() - timedelta(days=400))
    s.assessments.sort(key=lambda a: a.assessed_on, reverse=True)
    db.session.commit()
    assert s.downgrade_obstacle() is None
    assert unit.send(f"/rehabilitation/{s.id}/downgrade", {"reason": "表现稳定"}).status_code == 303
    assert not s.is_key and s.downgrade_reason == "表现稳定"


def test_hostile_text_survives_into_the_page_and_lists(app, login):
    from markupsafe import escape

    unit = login("district_a")
    hostile_name = "韩<b>&\"'🙂"
    assert unit.send("/rehabilitation/", notice(name=hostile_name, family_situation=HOSTILE + LONG[:4000])).status_code == 303
    s = _subject(hostile_name)
    assert s.family_situation == HOSTILE + LONG[:4000]
    body = text(unit.get(f"/rehabilitation/{s.id}"))
    assert str(escape(hostile_name)) in body and str(escape(HOSTILE)) in body and "<b>&" not in body
    listing = text(unit.get("/rehabilitation/"))
    assert str(escape(hostile_name)) in listing
    r = unit.get(f"/rehabilitation/{s.id}/documents/record_card")
    assert hostile_name in docx_text(r.data) and HOSTILE in docx_text(r.data)


def test_service_record_with_an_attachment_is_downloadable_by_the_group_only(app, login):
    import io

    w = rf.privacy_world()
    s = w.subject
    r = login("plain_x").send(f"/rehabilitation/{s.id}/records", {
        "kind": "visit", "on": "2026-11-27", "content": "走访并签字", "attachment": (io.BytesIO(factories.PDF), "走访.pdf")},
        content_type="multipart/form-data")
    assert r.status_code == 303
    rec = s.records[0]
    assert rec.attachment.filename == "走访.pdf"
    url = f"/rehabilitation/{s.id}/records/{rec.id}/attachment"
    assert login("worker_x").get(url).data.startswith(b"%PDF-")
    assert login("outsider_x").get(url).status_code == 403
    assert login("district_b").get(url).status_code == 404
    r = login("plain_x").send(f"/rehabilitation/{s.id}/records", {
        "kind": "visit", "on": "2026-11-27", "content": "x", "attachment": (io.BytesIO(b"MZ\x90\x00"), "a.exe")},
        content_type="multipart/form-data")
    assert r.status_code == 422 and "文件类型不受支持" in field_error(text(r), "attachment")[0]


def test_the_subject_page_keeps_its_place_through_the_same_helpers(app, login):
    """The subject page uses services.web.place_url / flash_in_place and templates/_place.html too."""
    s = rf.privacy_world().subject
    worker = login("worker_x")
    r = worker.send(f"/rehabilitation/{s.id}/records", {"kind": "visit", "on": "2026-11-20", "content": "走访了解近况"})
    assert r.status_code == 303 and r.headers["Location"].endswith(f"/rehabilitation/{s.id}?done=records#records")
    body = text(worker.get(r.headers["Location"]))
    part = body[body.index('id="records"'):]
    assert "data-place>服务记录已保存。</div>" in part[:part.index("</section>")] and body.count("服务记录已保存。") == 1
