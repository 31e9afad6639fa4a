"""DESIGN.md §5: an action the record's current state does not offer answers 409 — before the form is
read. A complete, valid-looking form and an empty one both get 409 with the model's Chinese message, and
nothing is written; on a record in the right state an invalid form still answers 422 beside the field."""
import pytest

from extensions import db
from models import Feedback, PurchasePlan
from tests import factories
from tests.helpers import field_error, row_counts, text
from tests.mediation_factories import make_case
from tests.rehab_factories import subject as make_subject
from tests.test_access_matrix import Refs

TODAY = "2026-11-27"
AGREEMENT = {"agreement_kind": "written", "matters": "漏水赔偿", "responsibility": "楼上全责", "terms": "赔偿 3000 元",
             "performance": "现金", "performance_due": "2026-12-10", "effective_on": TODAY}
RECORD = {"kind": "session", "held_at": "2026-11-27T10:00", "place": "调解室", "staff": "张志强", "recorder": "李秀兰",
          "persons": "赵大海", "content": "双方陈述", "result": "达成协议"}
PUBLICATION = {"medium": "中国政府采购网内蒙古分网", "url": "http://www.ccgp-neimenggu.gov.cn/1", "published_on": TODAY}


def _case(state):
    def setup(refs):
        case = make_case("worker_x", state=state)
        db.session.commit()
        return f"/mediation/{case.id}"
    return setup


def _records(refs, key):
    return getattr(refs, "_purchasing")[key]


def _published_contract(refs):
    c = _records(refs, "contract")
    c.published_on, c.filed_on = c.signed_on, c.signed_on
    db.session.commit()
    return f"/contracts/{c.id}"


def _ended_contract(refs):
    c = _records(refs, "contract")
    c.status = "terminated"
    db.session.commit()
    return f"/contracts/{c.id}"


def _concluded_acceptance(refs):
    a = _records(refs, "acceptance")
    a.status = "passed"
    db.session.commit()
    return f"/acceptances/{a.id}"


def _failed_procurement(refs):
    p = _records(refs, "procurement")
    p.status, p.failed_reason = "failed", "无人响应"
    db.session.commit()
    return f"/procurements/{p.id}"


def _answered_feedback(refs):
    item = db.session.get(Feedback, refs.feedback)
    item.reply(factories.user("district_a"), "已核查")
    db.session.commit()
    return f"/feedback/{item.id}"


def _completed_evaluation(refs):
    from models import Evaluation

    e = db.session.get(Evaluation, refs.evaluation)
    e.state = "completed"
    db.session.commit()
    return f"/evaluations/{e.id}"


def _subject(status):
    def setup(refs):
        s = make_subject(status=status)
        db.session.commit()
        return f"/rehabilitation/{s.id}"
    return setup


# (name, user, setup(refs) -> base url, path, a form that would be valid in the right state, expected message)
ROUTES = [
    ("conclude a concluded case", "worker_x", _case("written"), "/succeed", AGREEMENT, "只有调解中的案件可以结案"),
    ("fail a concluded case", "worker_x", _case("written"), "/fail",
     {"fail_reason": "gap", "routes": "litigation", "concluded_on": TODAY}, "只有调解中的案件可以结案"),
    ("refuse a case under investigation", "worker_x", _case("investigating"), "/refuse",
     {"refuse-note": "被申请人拒绝"}, "只有刚登记"),
    ("withdraw a concluded case", "worker_x", _case("failed"), "/withdraw", {"withdraw-note": "申请人撤回"},
     "案件已结案"),
    ("record on a concluded case", "worker_x", _case("written"), "/records", RECORD, "案件已结案"),
    ("notice on a concluded case", "worker_x", _case("failed"), "/notice", {"given_on": TODAY}, "案件已结案"),
    ("extend a concluded case", "worker_x", _case("written"), "/extend",
     {"until": "2027-01-30", "consent": "双方同意"}, "案件已结案"),
    ("assign to a concluded case", "contractor_x", _case("failed"), "/assign", {"staff_ids": "1"}, "案件已结案"),
    ("follow up a failed case", "worker_x", _case("failed"), "/follow-ups",
     {"visited_on": TODAY, "way": "phone", "visited_person": "赵大海", "performed": "full"}, "只有调解成功的案件"),
    ("confirm an oral agreement", "worker_x", _case("oral"), "/confirmation",
     {"applied_on": TODAY, "court": "昆都仑区人民法院", "decision": "confirmed", "decided_on": TODAY},
     "只有书面调解协议"),
    ("archive an open case", "worker_x", _case("mediating"), "/archive", {"retention": "10"}, "只有已结案的案件"),
    ("file into an archived case", "worker_x", _case("archived"), "/file", {"part": "4", "signed_on": TODAY},
     "案件已归档"),
    ("suspend a pending organisation", "district_a", lambda r: f"/contractors/{r.pending}", "/suspend",
     {"reason_code": "violation", "reason_text": "违规"}, "只有已通过的机构可以暂停"),
    ("lift an organisation not suspended", "district_a", lambda r: f"/contractors/{r.x}", "/lift",
     {"reason_text": "整改完毕"}, "该机构未被暂停"),
    ("terminate a pending organisation", "district_a", lambda r: f"/contractors/{r.pending}", "/terminate",
     {"reason_code": "voluntary"}, "只有已通过或已暂停的机构可以终止资格"),
    ("return a draft plan", "finance_a", lambda r: f"/plans/{r.plan}", "/return", {"reason": "预算不足"},
     "该计划不在财政审核中"),
    ("publish a draft plan", "district_a", lambda r: f"/plans/{r.plan}", "/publish", PUBLICATION,
     "只有财政审核通过的计划可以公开"),
    ("add an item to a published plan", "district_a", lambda r: f"/plans/{r.published_plan}", "/items",
     {"service_item_id": "1", "content": "调解", "service_standard": "标准", "quantity": "1", "unit_label": "年",
      "budget": "10", "target_requirements": "要求"}, "只有草稿状态的计划可以修改"),
    ("publish a published contract", "district_a", _published_contract, "/publish", PUBLICATION, "合同已公告"),
    ("file a filed contract", "district_a", _published_contract, "/filing", {"filed_on": TODAY}, "合同已备案"),
    ("consent on a terminated contract", "district_a", _ended_contract, "/consents",
     {"part": "培训", "subcontractor": "某培训机构"}, "合同已结束或已终止"),
    ("conclude a concluded acceptance", "district_a", _concluded_acceptance, "/conclude",
     {"verdict": "passed", "conclusion": "合格"}, "验收已结束"),
    ("fail a failed procurement", "district_a", _failed_procurement, "/fail", {"reason": "无人响应"},
     "不能进行此操作"),
    ("answer answered feedback", "district_a", _answered_feedback, "/answer", {"answer": "已处理"}, "该意见已答复"),
    ("complete a completed evaluation", "district_a", _completed_evaluation, "/complete", {"conclusion": "良好"},
     "评价已完成"),
    ("report a subject already reported", "district_a", _subject("under_assistance"), "/report",
     {"report_date": TODAY, "received_how": "fetched", "receiving_office": "少先路司法所", "officer": "王建国"},
     "只有待释放的对象可以登记报到"),
    ("end a subject not yet released", "district_a", _subject("pre_release"), "/end",
     {"reason": "period_over", "ended_on": TODAY}, "只有帮教中的对象可以解除帮教"),
]


@pytest.mark.parametrize("user, setup, path, data, message", [r[1:] for r in ROUTES], ids=[r[0] for r in ROUTES])
def test_the_wrong_state_answers_409_before_the_form_is_read(app, login, user, setup, path, data, message):
    refs = Refs()
    url = setup(refs) + path
    c = login(user)
    before = row_counts()
    for form in (data, {}):
        r = c.send(url, form)
        assert r.status_code == 409, (form, r.status_code, text(r)[:600])
        assert message in text(r)
        r = c.send(url, form, headers={"HX-Request": "true"})  # htmx gets the 409 fragment with the message
        assert r.status_code == 409 and message in text(r)
    assert row_counts() == before


def test_invalid_input_in_the_right_state_is_still_422_beside_the_field(app, login):
    case = make_case("worker_x", state="mediating")
    refs = Refs()
    refs.published_plan  # the purchasing records, made before counting
    db.session.commit()
    before = row_counts()
    r = login("worker_x").send(f"/mediation/{case.id}/succeed", dict(AGREEMENT, matters=""))
    assert r.status_code == 422 and field_error(text(r), "matters")
    r = login("district_a").send(f"/contractors/{refs.x}/suspend", {"reason_code": ""})
    assert r.status_code == 422 and field_error(text(r), "suspend-reason_code")
    r = login("district_a").send(f"/plans/{refs.published_plan}/intentions", {"title": ""})
    assert r.status_code == 422
    assert row_counts() == before and case.status == "mediating"


def test_a_bare_button_in_the_wrong_state_is_409_too(app, login):
    """Buttons (only the CSRF token) never had the problem; approving an approved plan stays 409."""
    refs = Refs()
    plan = db.session.get(PurchasePlan, refs.published_plan)
    r = login("finance_a").send(f"/plans/{plan.id}/approve")
    assert r.status_code == 409 and "该计划不在财政审核中" in text(r)
