"""The transparency portal and feedback from the public (issue 7, items 3 and 4), over HTTP."""
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from extensions import db
from models import Acceptance, AuditLog, Feedback, Inspection, Publication
from models.feedback import FeedbackAttempt
from models import clock
from services import settings
from tests import factories
from tests.helpers import field_error, row_counts, text


def published_contract(unit_code="150203", org="X", title="昆都仑区人民调解服务"):
    """A signed contract of the test world, published, with a payment and an amendment."""
    c = factories.make_contract(unit_code, factories.org(org))
    c.title = title
    c.procurement.title = title
    clerk = db.session.scalar(select(factories.User).where(factories.User.unit_id == c.unit_id,
                                                           factories.User.role.in_(("district", "city"))))
    c.procurement.publications.append(Publication(kind="award", medium="中国政府采购网内蒙古分网",
                                                  published_on=c.procurement.awarded_on))
    c.publish(clerk, "中国政府采购网内蒙古分网", "http://example.gov.cn/c/1", clock.today())
    first = c.instalments[0]
    first.milestone.set_status(clerk, "met", clock.today(), "驻点开设")
    c.record_payment(clerk, first, clock.today(), first.amount, "包财支〔2026〕99号")
    c.amend(clerk, "added_quantity", {"amount": c.amount + Decimal("10000.00")}, "追加咨询 50 人次")
    db.session.commit()
    return c, clerk


def conclude_acceptance(c, clerk, verdict="passed"):
    a = Acceptance.open(clerk, c, "final", None, c.period_start, clock.today(), "会议室", ["system"], "合同")
    for name in ("杨春梅", "周卫东", "林国庆"):
        a.add_member(clerk, name, "财政局", "成员")
    a.conclude(clerk, verdict, "服务达到合同约定", "支付尾款", "回访 30 人，满意 27 人", None)
    db.session.commit()
    return a


def evaluation(c, state="completed", score="85.50", grade="good", **kw):
    """An evaluation of the contract as the evaluation module leaves it (completed = final)."""
    from models import Evaluation

    e = Evaluation(contract_id=c.id, period_start=c.period_start, period_end=clock.today(), state=state,
                   set_name="人民调解服务绩效评价指标", set_version=1, share_third=Decimal(50), share_unit=Decimal(30),
                   share_self=Decimal(20), third_score=Decimal("84.00"), unit_score=Decimal("86.00"),
                   self_score=Decimal("88.00"), raw_score=Decimal(score), score=Decimal(score), grade=grade,
                   completed_at=clock.now() if state == "completed" else None, **kw)
    db.session.add(e)
    db.session.commit()
    return e


# ---- the portal


def test_a_procurements_whole_thread_is_on_one_page(client):
    c, clerk = published_contract()
    a = conclude_acceptance(c, clerk)
    body = text(client.get(f"/portal/procurements/{c.procurement_id}"))
    for part in ("一、计划和采购意向", "二、采购公告", "三、成交结果", "四、合同", "五、履约情况"):
        assert part in body
    assert c.procurement.ocid in body and c.number in body and factories.org("X").name in body
    assert factories.org("X").uscc in body
    assert "310,000.00" in body  # the amended amount, the signed one beside it
    assert "追加同类服务数量" in body and "300000.00 → 310000.00" in body
    assert "150,000.00" in body  # the payment
    assert f'id="acceptance-{a.id}"' in body and "终期验收结果：合格" in body
    assert "杨春梅" in body  # the acceptance team signs the published report
    assert "包财支" not in body  # voucher numbers are withheld
    assert f"/portal/feedback/new?contract={c.id}" in body


def test_completed_evaluations_are_published_and_open_ones_are_not(client):
    c, _ = published_contract()
    done = evaluation(c)
    pending = evaluation(c, state="open", score="40.00", grade="poor")
    capped = evaluation(c, score="59.00", grade="poor", veto_subcontract=True)
    body = text(client.get(f"/portal/procurements/{c.procurement_id}"))
    assert f'id="evaluation-{done.id}"' in body and "绩效评价结果：良好（85.50 分）" in body
    assert "第三方评价机构" in body and "84.00" in body and "50%" in body
    assert f'id="evaluation-{pending.id}"' not in body and "40.00" not in body
    assert f'id="evaluation-{capped.id}"' in body and "未经同意转包或分包" in body
    index = text(client.get("/portal/", query_string={"q": c.number}))
    assert "85.50" in index and "良好" in index and "40.00" not in index
    feed = client.get(f"/portal/ocds/{c.procurement.year}.json").get_json()
    assessed = [m for r in feed["releases"] for k in r.get("contracts", [])
                for m in k.get("implementation", {}).get("milestones", []) if m["id"].startswith("evaluation-")]
    assert sorted(m["id"] for m in assessed) == sorted([f"evaluation-{done.id}", f"evaluation-{capped.id}"])
    assert any("否决项：未经同意转包或分包" in m["description"] and m["status"] == "notMet" for m in assessed)


def test_an_unpublished_contract_stays_off_the_portal_and_the_feed(client):
    c = factories.make_contract("150203", factories.org("X"))
    db.session.commit()
    assert c.number not in text(client.get("/portal/"))
    assert c.number not in text(client.get(f"/portal/procurements/{c.procurement_id}"))
    feed = client.get(f"/portal/ocds/{c.procurement.year}.json").get_json()
    assert all(not r.get("contracts") for r in feed["releases"])
    assert "尚无公开的合同" in text(client.get(f"/portal/procurements/{c.procurement_id}"))


def test_search_by_keyword_unit_and_year_with_a_plain_get_form(client):
    c, clerk = published_contract(title="青山区调解 & <咨询> \"服务\"")
    conclude_acceptance(c, clerk)
    page = text(client.get("/portal/"))
    form = re.search(r'<form class="filters" method="get" action="/portal/"', page)
    assert form, "the search works without JavaScript: a real GET form"
    found = text(client.get("/portal/", query_string={"q": "咨询"}))
    assert c.number in found and "青山区调解 &amp; &lt;咨询&gt; &#34;服务&#34;" in found
    assert c.number not in text(client.get("/portal/", query_string={"q": "没有这样的项目"}))
    assert c.number in text(client.get("/portal/", query_string={"unit": c.unit_id, "year": c.year}))
    assert c.number not in text(client.get("/portal/", query_string={"unit": factories.unit("150202").id}))
    assert c.number not in text(client.get("/portal/", query_string={"year": c.year - 1}))
    percent = text(client.get("/portal/", query_string={"q": "%"}))  # LIKE wildcards are plain characters
    assert c.number not in percent
    fragment = client.get("/portal/", query_string={"q": "咨询"},
                          headers={"HX-Request": "true", "HX-Target": "portal-results"})
    assert "<html" not in text(fragment) and c.number in text(fragment)


def test_the_index_shows_the_newest_rows_of_each_section_and_pages_through_the_rest(client, monkeypatch):
    """Keyset paging: plain links (no JavaScript) carry the last row's (date, id) and the filters; walking
    them shows every row once, newest first, the same-day rows by id."""
    from services import portal

    made = [published_contract(title=f"昆都仑区人民调解服务{i}")[0] for i in range(5)]
    monkeypatch.setattr(portal, "PAGE_SIZE", 2)  # pages of two; the index shows one of each section
    numbers = [c.id for c in sorted(made, key=lambda c: (c.published_on, c.id), reverse=True)]

    def contracts(page):
        section = re.search(r'<section class="card" id="portal-contracts">.*?</section>', page, re.S).group(0)
        return [int(i) for i in re.findall(r'#contract-(\d+)"', section)]

    page = text(client.get("/portal/", query_string={"q": "昆都仑区人民调解服务"}))
    assert contracts(page) == numbers[:1]  # the index: the newest half page of each section
    more = re.search(r'<a href="(/portal/\?[^"]*list=contracts[^"]*)" rel="next">更多合同公告</a>', page)
    assert more and "q=" in more.group(1)
    seen = list(contracts(page))
    url = more.group(1).replace("&amp;", "&")
    while url:
        page = text(client.get(url))
        assert 'id="portal-procurements"' not in page  # one section, page by page
        seen += contracts(page)
        nxt = re.search(r'<a href="([^"]*)" rel="next">下一页</a>', page)
        url = nxt.group(1).replace("&amp;", "&") if nxt else None
    assert seen == numbers
    first = text(client.get("/portal/", query_string={"list": "contracts", "before": "not-a-cursor"}))
    assert contracts(first) == numbers[:2]  # a cursor that is not one: the first page


def test_every_portal_form_and_link_works_without_javascript(client):
    c, _ = published_contract()
    for url in ("/portal/", "/portal/statistics", "/portal/withheld", "/portal/ocds/", "/portal/feedback/new",
                f"/portal/procurements/{c.procurement_id}"):
        body = text(client.get(url))
        for form in re.findall(r"<form[^>]*>", body):
            assert re.search(r'method="(get|post)"', form) and 'action="' in form, (url, form)
        assert "hx-on" not in body and "onclick" not in body


def test_statistics_suppress_small_numbers_and_the_register_lists_each(client):
    from tests.mediation_factories import make_case

    for _ in range(6):
        make_case(state="refused", category="neighbour")
    make_case(state="withdrawn", category="family")
    db.session.commit()
    kdl = factories.unit("150203")
    body = text(client.get("/portal/statistics", query_string={"year": 2026, "unit": kdl.id}))
    table = re.search(r'<table class="table stats" id="mediation_category">.*?</table>', body, re.S).group(0)
    cells = re.findall(r'<td class="num[^"]*">([^<]*)</td>', table)
    assert "&lt;5" in cells and "×" in cells
    assert not set(cells) & {"1", "2", "3", "4", "6"}  # the small cell and every cell that would give it away
    assert cells[-1] == "7"  # the grand total gives nothing away
    register = text(client.get("/portal/withheld"))
    rows = re.findall(r"<tr><td>2026</td><td>昆都仑区司法局</td>.*?</tr>", register)
    assert any("婚姻家庭（含继承）" in r and "撤回" in r and "&lt;5" in r and "小于 5" in r for r in rows)
    assert any("邻里纠纷" in r and "×" in r and "合计减出" in r for r in rows)
    assert "当事人的姓名、身份证号" in register


def test_published_outcome_counts_read_from_the_summary_equal_a_count_of_the_cases(client):
    """The statistics read the dashboards' maintained summary instead of scanning the cases: the same
    numbers as a grouped count of the cases themselves, across areas, categories, outcomes and years,
    and after a change (the summary's marked buckets are refreshed before the read)."""
    from sqlalchemy import extract, func

    from models import MediationCase
    from models.mediation_codes import OUTCOMES
    from services import portal
    from tests.mediation_factories import make_case

    last_year = clock.today().replace(year=clock.today().year - 1, month=6, day=15)
    for i, state in enumerate(["written", "oral", "failed", "withdrawn", "refused", "mediating", "archived"] * 2):
        make_case(state=state, category=("neighbour", "family")[i % 2], area=("150203", "150202")[i % 3 == 0],
                  **({"received_on": last_year, "concluded_on": last_year + timedelta(days=10)} if i >= 7 else {}))
    db.session.commit()

    def counted():
        year = extract("year", MediationCase.concluded_on)
        c = MediationCase
        rows = db.session.execute(select(c.area_unit_id, year, c.category, c.outcome, func.count())
                                  .where(c.outcome.in_(OUTCOMES), c.concluded_on.is_not(None))
                                  .group_by(c.area_unit_id, year, c.category, c.outcome)).all()
        return {(u, int(y), cat, out): n for u, y, cat, out, n in rows}

    expected = counted()
    assert len({y for _, y, _, _ in expected}) == 2 and portal._mediation_counts() == expected
    make_case(state="failed", category="family")
    db.session.commit()
    assert portal._mediation_counts() == counted() != expected


def test_the_ocds_index_links_every_package(client):
    c, _ = published_contract()
    body = text(client.get("/portal/ocds/"))
    assert f"/portal/ocds/{c.procurement.year}.json" in body
    assert f"/portal/ocds/{c.procurement.year}/150203.json" in body
    package = client.get(f"/portal/ocds/{c.procurement.year}/150203.json")
    assert package.mimetype == "application/json"
    releases = package.get_json()["releases"]
    assert {r["ocid"] for r in releases} == {c.procurement.ocid}
    tags = [r["tag"][0] for r in releases]
    assert tags.count("planning") == 1 and "contract" in tags and "contractAmendment" in tags
    assert "implementation" in tags
    assert client.get(f"/portal/ocds/{c.procurement.year}/150202.json").status_code == 404


# ---- feedback from the public


def _feedback_data(client, **kw):
    data = {"csrf_token": client.csrf_token(), "contract_id": "0", "contractor_id": "0", "happened_on": "",
            "text": "午间服务点无人 & <b>值守</b>", "contact_name": "", "contact_phone": ""}
    data.update(kw)
    return data


def test_visitor_sends_feedback_about_a_contract_and_only_that_unit_sees_the_contact(client, login):
    c, _ = published_contract()
    form = text(client.get(f"/portal/feedback/new?contract={c.id}"))
    assert 'method="post" action="/portal/feedback"' in form and 'name="csrf_token"' in form
    assert f'<option selected value="{c.id}">' in form
    r = client.post("/portal/feedback", data=_feedback_data(client, contract_id=str(c.id), contact_name="钱某",
                                                              contact_phone="139 0472 0000", happened_on="2026-11-20"))
    assert r.status_code == 303
    item = db.session.scalar(select(Feedback))
    assert (item.unit_id, item.contract_id, item.contractor_id, item.state) == (c.unit_id, c.id, c.contractor_id, "open")
    assert item.number == "GZ2026-00001" and item.received_at == clock.now()
    assert "GZ2026-00001" in text(client.get(r.headers["Location"]))
    unit = login("district_a")
    listing = text(unit.get("/feedback/"))
    assert item.number in listing and "139 0472 0000" not in listing
    shown = text(unit.get(f"/feedback/{item.id}"))
    assert "钱某" in shown and "139 0472 0000" in shown and "午间服务点无人 &amp; &lt;b&gt;值守&lt;/b&gt;" in shown
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "feedback_viewed",
                                                    AuditLog.record_id == item.id)) is not None
    for other in ("district_b", "city"):
        assert login(other).get(f"/feedback/{item.id}").status_code == 404
        assert item.number not in text(login(other).get("/feedback/?state=all"))
    assert login("contractor_x").get(f"/feedback/{item.id}").status_code == 403
    assert "139 0472 0000" not in text(client.get(f"/portal/procurements/{c.procurement_id}"))


def test_feedback_about_a_contractor_alone_goes_to_its_seat_unit(client, login):
    y = factories.org("Y")
    r = client.post("/portal/feedback", data=_feedback_data(client, contractor_id=str(y.id)))
    assert r.status_code == 303
    item = db.session.scalar(select(Feedback))
    assert item.unit_id == y.seat_unit_id == factories.unit("150202").id and item.contract_id is None
    assert item.number in text(login("district_b").get("/feedback/"))
    assert item.number not in text(login("district_a").get("/feedback/?state=all"))


@pytest.mark.parametrize("change,field", [
    ({"text": ""}, "text"),
    ({"contractor_id": "0", "contract_id": "0"}, "contract_id"),
    ({"contact_phone": "call me"}, "contact_phone"),
    ({"happened_on": "2026-12-30"}, "happened_on"),
    ({"contract": True, "contractor_id": "Y"}, "contractor_id"),
    ({"text": "长" * 2001}, "text"),
    ({"contract_id": "999999"}, "contract_id"),
    ({"contract_id": "0", "contractor_id": "999999"}, "contractor_id"),
    ({"contract_id": "unpublished"}, "contract_id"),
])
def test_feedback_refusals_are_422_beside_the_field_and_write_nothing(client, change, field):
    c, _ = published_contract()
    change = {"contract_id": str(c.id), **change}
    change.pop("contract", None)
    if change["contract_id"] == "unpublished":
        change["contract_id"] = str(factories.make_contract("150203", factories.org("X")).id)
        db.session.commit()
    if change.get("contractor_id") == "Y":
        change["contractor_id"] = str(factories.org("Y").id)
    before = row_counts()
    attempts = db.session.scalar(select(db.func.count()).select_from(FeedbackAttempt))
    r = client.post("/portal/feedback", data=_feedback_data(client, **change))
    assert r.status_code == 422
    assert field_error(text(r), field), text(r)[:2000]
    assert row_counts() == before
    assert db.session.scalar(select(db.func.count()).select_from(FeedbackAttempt)) == attempts


def test_feedback_without_a_csrf_token_is_refused(client):
    before = row_counts()
    r = client.post("/portal/feedback", data={"contractor_id": str(factories.org("X").id), "text": "x"})
    assert r.status_code == 400
    assert row_counts() == before


def test_feedback_is_rate_limited_per_address(client):
    settings.put("feedback.max_per_address", 2)
    db.session.commit()
    x = factories.org("X")
    send = lambda addr: client.post("/portal/feedback", data=_feedback_data(client, contractor_id=str(x.id)),  # noqa: E731
                                    environ_base={"REMOTE_ADDR": addr})
    assert [send("10.0.0.1").status_code for _ in range(2)] == [303, 303]
    before = row_counts()
    refused = send("10.0.0.1")
    assert refused.status_code == 429 and "提交过于频繁" in text(refused) and "<form" in text(refused)
    assert row_counts() == before
    assert send("10.0.0.2").status_code == 303  # another address is not held back
    clock.advance(minutes=61)
    assert send("10.0.0.1").status_code == 303  # the window has passed


def test_the_unit_answers_once_and_opens_an_inspection_for_a_complaint(client, login):
    c, _ = published_contract()
    item = Feedback.receive(c, None, "服务点无人")
    db.session.commit()
    unit = login("district_a")
    before = row_counts()
    empty = unit.send(f"/feedback/{item.id}/answer", {"answer": ""})
    assert empty.status_code == 422 and field_error(text(empty), "answer") and row_counts() == before
    assert unit.send(f"/feedback/{item.id}/answer", {"answer": "已核实并要求整改"}).status_code == 303
    assert (item.state, item.answer) == ("answered", "已核实并要求整改")
    assert unit.send(f"/feedback/{item.id}/answer", {"answer": "再答"}).status_code == 409
    no_text = unit.send(f"/feedback/{item.id}/inspection", {"contract_id": str(c.id), "text": ""})
    assert no_text.status_code == 422 and field_error(text(no_text), "text")
    r = unit.send(f"/feedback/{item.id}/inspection", {"contract_id": str(c.id), "text": "抽查值班记录"})
    assert r.status_code == 303
    inspection = db.session.scalar(select(Inspection).where(Inspection.contract_id == c.id))
    assert (inspection.reason_code, inspection.status, item.inspection_id) == ("complaint", "decided", inspection.id)
    assert unit.send(f"/feedback/{item.id}/inspection", {"contract_id": str(c.id), "text": "again"}).status_code == 409
    assert "已答复" in text(unit.get("/feedback/?state=answered"))
    assert login("district_b").send(f"/feedback/{item.id}/answer", {"answer": "x"}).status_code == 404


def test_an_inspection_is_only_of_the_units_own_contract_with_that_contractor(login):
    c, _ = published_contract()
    other = factories.make_contract("150203", factories.org("Y"))
    item = Feedback.receive(c, None, "服务点无人")
    db.session.commit()
    before = row_counts()
    r = login("district_a").send(f"/feedback/{item.id}/inspection", {"contract_id": str(other.id), "text": "查"})
    assert r.status_code == 422 and row_counts() == before


def test_feedback_settings_are_on_the_settings_page(login):
    body = text(login("admin").get("/admin/settings"))
    assert "feedback.max_per_address" in body and "feedback.window_minutes" in body


def test_open_feedback_counts_for_the_dashboard_by_unit_state_and_time(client):
    c, _ = published_contract()
    Feedback.receive(c, None, "一")
    clock.advance(days=1)
    Feedback.receive(c, None, "二").reply(factories.user("district_a"), "已处理")
    db.session.commit()
    rows = db.session.execute(select(Feedback.unit_id, Feedback.state, Feedback.received_at)
                              .order_by(Feedback.received_at)).all()
    assert [(u, s) for u, s, _ in rows] == [(c.unit_id, "open"), (c.unit_id, "answered")]
    assert rows[1][2] - rows[0][2] == timedelta(days=1)
