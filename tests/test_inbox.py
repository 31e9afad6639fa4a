"""The work inbox (issue 14): every role's items, with why, when and where; counts equal to the pages'."""
import re
from datetime import date, datetime, timedelta

import pytest

from extensions import db
from models.feedback import Feedback
from models import clock
from services import inbox
from tests import factories, rehab_factories
from tests.helpers import text
from tests.mediation_factories import make_case


def _nav_count(client):
    body = text(client.get("/inbox/count"))
    m = re.search(r'<span class="nav-count"[^>]*>(\d+)\+?</span>', body)
    return int(m.group(1)) if m else 0


def _feedback(unit_code="150203", days_ago=3, state="open"):
    n = db.session.query(Feedback).count() + 1
    f = Feedback(number=f"FK{n:06d}", unit_id=factories.unit(unit_code).id, text="调解员态度不好", state=state,
                 received_at=clock.now() - timedelta(days=days_ago))
    db.session.add(f)
    db.session.flush()
    return f


@pytest.mark.parametrize("username", list(factories.USERS))
def test_every_role_opens_its_inbox(app, login, username):
    c = login(username)
    r = c.get("/inbox/")
    assert r.status_code == 200
    body = text(r)
    assert "待办事项" in body and 'id="nav-inbox"' in body
    with app.test_request_context():
        assert _nav_count(c) == sum(inbox.counts(factories.user(username)).values())


def test_anonymous_inbox_goes_to_login(client):
    assert client.get("/inbox/").status_code == 302


def test_worker_sees_own_cases_follow_ups_and_links_open_the_place(app, login):
    mine = make_case("worker_x", state="mediating", received_on=clock.today() - timedelta(days=40))
    agreed = make_case("worker_x", state="written", received_on=date(2026, 9, 1), performance_due=date(2026, 9, 30))
    db.session.commit()
    c = login("worker_x")
    body = text(c.get("/inbox/"))
    assert "我承办的调解案件" in body and mine.number in body and "已逾期" in body
    assert "待回访的调解协议" in body and agreed.number in body
    assert f'/mediation/{mine.id}#next-steps' in body and f'/mediation/{agreed.id}#follow-ups' in body
    assert c.get(f"/mediation/{mine.id}").status_code == 200
    home = text(c.get("/"))
    assert 'id="my-cases"' in home and mine.number in home


def test_follow_up_count_equals_the_follow_ups_page(app, login, monkeypatch):
    from blueprints.mediation import views

    for day in (1, 2, 3):
        make_case("worker_x", state="written", received_on=date(2026, 9, day))
    db.session.commit()
    c = login("worker_x")
    page = text(c.get("/mediation/follow-ups-due"))
    on_page = len(re.findall(r'href="/mediation/\d+#follow-ups"', page)) or page.count("/mediation/")
    with app.test_request_context():
        worker = factories.user("worker_x")
        n = inbox.rule("mediation.follow_up").count(worker)
        rows = db.session.execute(inbox.mediation.follow_ups_due(worker)).all()
    assert n == len(rows) == 3
    assert all(str(r[1]) in page for r in rows) and on_page >= 3


def test_contractor_sees_cases_to_assign(app, login):
    case = make_case("worker_x", state="registered")
    db.session.commit()
    body = text(login("contractor_x").get("/inbox/"))
    assert "待指派调解员的案件" in body and f"/mediation/{case.id}#case-mediators" in body


def test_unit_sees_feedback_due_in_working_days_and_count_equals_the_list(app, login):
    f = _feedback(days_ago=40)
    _feedback(days_ago=1)
    _feedback(state="answered")
    _feedback("150202")
    db.session.commit()
    c = login("district_a")
    body = text(c.get("/inbox/"))
    assert "待答复的公众意见" in body and f"/feedback/{f.id}#answer-form" in body and "按工作日计" in body
    listing = text(c.get("/feedback/"))
    with app.test_request_context():
        n = inbox.rule("feedback.open").count(factories.user("district_a"))
    assert n == 2 and listing.count("/feedback/") >= 2
    home = text(c.get("/"))
    assert "待答复的公众意见" in home and f.number in home


def test_unit_inbox_registrations_count_equals_home_card(app, login):
    factories.make_contractor("草原调解社", factories.make_uscc("52150203MJ0000555"), "150203", status="pending")
    db.session.commit()
    with app.test_request_context():
        user = factories.user("district_a")
        assert inbox.rule("contractors.review").count(user) == len(db.session.scalars(
            inbox.organisation.registrations(user)).all()) == 1
    body = text(login("district_a").get("/inbox/"))
    assert "草原调解社" in body and "#review" in body


def test_rehabilitation_work_list_counts_equal_the_work_list_page(app, login):
    from services.rehabilitation_figures import WORK_LISTS, work_list_page

    rehab_factories.subject(status="pre_release", release=clock.today() - timedelta(days=30), name="韩一")
    rehab_factories.subject(status="under_assistance", name="韩二")
    db.session.commit()
    with app.test_request_context():
        user = factories.user("district_a")
        totals = {x["key"]: x["total"] for x in work_list_page(user.unit_id)}
        for key in WORK_LISTS:
            assert inbox.rule(f"rehabilitation.{key}").count(user) == totals[key], key
    assert totals["report_overdue"] == 1
    body = text(login("district_a").get("/inbox/"))
    assert "逾期未报到" in body and "韩一" in body and "#handover" in body


def test_nav_badge_is_the_sum_of_the_rules(app, login):
    make_case("worker_x", state="registered")
    make_case("worker_x", state="registered")
    db.session.commit()
    c = login("contractor_x")
    with app.test_request_context():
        expected = sum(inbox.counts(factories.user("contractor_x")).values())
    assert _nav_count(c) == expected >= 2


def test_pending_contractor_sees_only_its_menu_and_is_refused_the_work_routes(app, login):
    factories.make_contractor("待审机构", factories.make_uscc("52150203MJ0000556"), "150203", status="pending",
                              admin_username="pending_admin")
    db.session.commit()
    c = login("pending_admin")
    home = text(c.get("/"))
    nav = home[home.index('class="site-nav"'):home.index("</nav>")]
    assert "本机构资格" in nav and "调解案件" not in nav and "安置帮教" not in nav and "合同" not in nav
    assert "超期未结的调解案件" not in home
    for path in ("/mediation/new", "/mediation/", "/rehabilitation/", "/contracts/", "/procurements/"):
        assert c.get(path).status_code == 403, path
    assert c.get("/organisation/").status_code == 200


# ---------------------------------------------------------------- defect 6: work of one's own


def test_certified_mediator_who_registers_a_case_may_take_it_and_admin_reassigns(app, login):
    from models import StaffMember
    from models.mediation import MediationCase

    case = make_case("worker_x", state="registered")  # registered directly: nobody has it yet
    db.session.commit()
    worker = login("worker_x")
    page = text(worker.get(f"/mediation/{case.id}"))
    assert "由我承办" in page
    r = worker.send(f"/mediation/{case.id}/take")
    assert r.status_code == 303
    case = db.session.get(MediationCase, case.id)
    assert case.mediator_names == "张志强"
    assert worker.send(f"/mediation/{case.id}/take").status_code == 403
    assert "由我承办" not in text(worker.get(f"/mediation/{case.id}"))
    # the admin reassigns to another certified mediator; the history keeps both
    other = StaffMember(contractor_id=case.contractor_id, name="李春梅", id_number="150203198001010022",
                        profession="mediator", phone="13900000002", cert_number="包司调证〔2025〕2号",
                        cert_issuer="包头市司法局",
                        cert_valid_from=clock.today() - timedelta(days=10),
                        cert_valid_until=clock.today() + timedelta(days=100))
    db.session.add(other)
    db.session.commit()
    admin = login("contractor_x")
    assert admin.send(f"/mediation/{case.id}/assign", {"staff_ids": [str(other.id)]}).status_code == 303
    case = db.session.get(MediationCase, case.id)
    assert case.mediator_names == "李春梅" and len(case.assignments) == 2 and case.assignments[0].ended_on


def test_others_may_not_take_a_case(app, login):
    case = make_case("contractor_x", state="registered")
    db.session.commit()
    assert login("worker_x").send(f"/mediation/{case.id}/take").status_code in (403, 404)
    assert login("contractor_x").send(f"/mediation/{case.id}/take").status_code == 403
