"""Dashboards (issue #7 item 6): figures on a prepared data set worked out by hand, the maintained
mediation summary against a direct computation, scope, filters, and the Excel exports."""
import io
from datetime import date, time
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from extensions import db
from models import Alert, DutyShift, IntegrityFinding, MediationCase, Payment
from models.dashboard import MediationSummary, MediationSummaryDirty
from models import clock
from services import dashboard_summary
from models.mediation_figures import compute, load, scope_for
from tests import factories
from tests import rehab_factories as rf
from tests.mediation_factories import make_case

PANELS = ("money", "mediation", "subjects", "contracts", "staffing", "integrity", "feedback")
PERIOD = {"from": "2026-01", "to": "2026-11"}


class _Tables(HTMLParser):
    """{caption: [[cell text, …], …]} of the tables in a page or fragment."""

    def __init__(self):
        super().__init__()
        self.tables, self._caption, self._row, self._cell, self._in_caption = {}, None, None, None, False

    def handle_starttag(self, tag, attrs):
        if tag == "caption":
            self._in_caption, self._caption = True, ""
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = ""

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in_caption = False
            self.tables[self._caption] = []
        elif tag in ("td", "th") and self._row is not None:
            self._row.append(self._cell.strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[self._caption].append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._in_caption:
            self._caption += data
        elif self._cell is not None:
            self._cell += data


def tables(html):
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def pairs(rows):
    return {r[0]: r[1] for r in rows[1:]}


def fragment(client, name, **args):
    r = client.get(f"/dashboard/{name}", query_string={**PERIOD, **args},
                   headers={"HX-Request": "true", "HX-Target": f"panel-{name}"})
    assert r.status_code == 200, r.status_code
    html = r.get_data(as_text=True)
    assert "<html" not in html and f'id="panel-{name}"' in html
    return tables(html)


def _follow_up(case, on, performance):
    case.add_follow_up(factories.user("contractor_x"), {"visited_on": on, "way": "phone", "visited_person": "赵大海",
                                                         "visitor": "张志强", "performance": performance, "notes": ""})


@pytest.fixture
def prepared(app):
    """The data set (today 2026-11-27; time limit 30 days):

    Money — district_a (昆都仑区): contract KA with X, 300,000 for 2026, plan budget 3,000,000 (published);
      first instalment 150,000 payable since 2026-02-01, 100,000 paid 2026-02-10 → 50,000 overdue (30 days).
      district_b (东河区): contract KB with Y, 100,000 from 2026-03, plan budget 1,000,000, nothing payable.
    Cases of X (area 昆都仑 unless said):
      1 received 03-02, written agreement 03-10 (8 days, in time), KA, neighbour; follow-up fully performed
      2 received 03-05, oral agreement 04-20 (46 days, late), KA, family; follow-up partly performed
      3 received 04-01, failed 04-15 (14 days, in time), no contract, neighbour
      4 received 05-01, withdrawn 05-03;  5 received 05-02, refused 05-02;  6 received 06-01, open
      7 area 东河区, received 06-10, written agreement 06-12 (2 days), labour
    district_a: received 6, ended 5, concluded 3, succeeded 2 (1 written, 1 oral), failed 1, success 66.7 %,
      average days 68 / 3 = 22.7, in time 2 of 3 = 66.7 %, followed 2 of 2, fulfilled 1 (50.0 %), partly 1.
    city: received 7, ended 6, concluded 4, succeeded 3 → 75.0 %.
    Subjects of 昆都仑区: one reported (no group yet), one pre-release released 2026-10-01 (report within 7 days:
      overdue), one open high-risk alert. Staffing: KA had two compliant days in November 2026 (20 working days).
    Integrity: one open finding on KA (same-day cases), one explained (not counted).
    Evaluations of KA: good (85.50) to June, fair (72.00) to September, one still open: its grade is fair.
    """
    from models import Milestone

    x, y = factories.org("X"), factories.org("Y")
    ka = factories.make_contract("150203", x, amount="300000.00", start=date(2026, 1, 1), months=12)
    kb = factories.make_contract("150202", y, amount="100000.00", start=date(2026, 3, 1), months=12)
    mid = next(m for m in ka.milestones if not m.is_final)
    mid.status, mid.status_on = "met", date(2026, 2, 1)
    first = next(i for i in ka.instalments if i.seq == 1)
    ka.payments.append(Payment(instalment=first, paid_on=date(2026, 2, 10), amount=Decimal("100000.00"),
                               voucher="记账凭证 12 号"))
    db.session.flush()
    c1 = make_case(state="written", received_on=date(2026, 3, 2), concluded_on=date(2026, 3, 10), contract=ka)
    _follow_up(c1, date(2026, 4, 1), "full")
    c2 = make_case(state="oral", received_on=date(2026, 3, 5), concluded_on=date(2026, 4, 20), contract=ka,
                   category="family")
    _follow_up(c2, date(2026, 5, 1), "partial")
    make_case(state="failed", received_on=date(2026, 4, 1), concluded_on=date(2026, 4, 15))
    make_case(state="withdrawn", received_on=date(2026, 5, 1), concluded_on=date(2026, 5, 3))
    make_case(state="refused", received_on=date(2026, 5, 2), concluded_on=date(2026, 5, 2))
    make_case(state="registered", received_on=date(2026, 6, 1))
    make_case(state="written", received_on=date(2026, 6, 10), concluded_on=date(2026, 6, 12), area="150202",
              category="labour")
    rf.subject("150203", status="reported", name="甲某")
    pre = rf.subject("150203", status="pre_release", release=date(2026, 10, 1), name="乙某")
    db.session.add(Alert(subject_id=pre.id, unit_id=pre.unit_id, kind="high_risk", status="open",
                         raised_at=clock.now(), detail=""))
    second = rf.staff(x, "周建华", profession="mediator")
    staff = [m for m in x.staff if m.name == "张志强"] + [second]
    for day in (date(2026, 11, 2), date(2026, 11, 3)):
        ka.shifts.append(DutyShift(day=day, start=time(8, 30), end=time(17, 30), staff=staff))
    from models.evaluation import Evaluation

    for n, (end, grade, score) in enumerate(((date(2026, 6, 30), "good", "85.50"), (date(2026, 9, 30), "fair", "72.00"))):
        db.session.add(Evaluation(contract_id=ka.id, period_start=date(2026, 1, 1), period_end=end, state="completed",
                                  set_name="人民调解服务绩效评价指标", set_version=1, share_third=Decimal("0.5"),
                                  share_unit=Decimal("0.3"), share_self=Decimal("0.2"), score=Decimal(score),
                                  grade=grade))
    db.session.add(Evaluation(contract_id=ka.id, period_start=date(2026, 1, 1), period_end=date(2026, 11, 30),
                              state="open", set_name="人民调解服务绩效评价指标", set_version=1,
                              share_third=Decimal("0.5"), share_unit=Decimal("0.3"), share_self=Decimal("0.2")))
    for status in ("open", "explained"):
        db.session.add(IntegrityFinding(contract_id=ka.id, rule="same_day_cases", key=status, description="同日结案 12 件",
                                        records=[], found_on=date(2026, 11, 1), status=status))
    db.session.commit()
    return {"ka": ka, "kb": kb}


def test_money_panel_for_the_unit_and_the_city(prepared, login):
    unit = pairs(fragment(login("district_a"), "money")["资金概况（元）"])
    assert unit == {"预算（2026年购买计划）": "3,000,000.00", "合同金额": "300,000.00", "已支付": "100,000.00",
                    "暂扣（有条件验收、整改中）": "0.00", "逾期未付": "50,000.00", "合同未支付余额": "200,000.00"}
    city = pairs(fragment(login("city"), "money")["资金概况（元）"])
    assert city["预算（2026年购买计划）"] == "4,000,000.00" and city["合同金额"] == "400,000.00"
    assert city["合同未支付余额"] == "300,000.00" and city["逾期未付"] == "50,000.00"
    finance = fragment(login("finance_a"), "money")["各合同资金（元）"]
    assert [r[0] for r in finance[1:]] == [prepared["ka"].number, "合计"]


def test_mediation_panel_figures(prepared, login):
    t = fragment(login("district_a"), "mediation")
    main = pairs(t["主要指标"])
    assert (main["受理"], main["结案（含撤回、拒绝）"], main["调结（成功 + 不成）"]) == ("6", "5", "3")
    assert (main["调解成功"], main["其中书面协议"], main["其中口头协议"], main["调解不成"]) == ("2", "1", "1", "1")
    assert (main["撤回"], main["当事人拒绝调解"]) == ("1", "1")
    assert main["调解成功率"] == "66.7%" and main["平均办结天数"] == "22.7" and main["按期办结率"] == "66.7%"
    assert main["回访率"] == "100.0%" and main["履行率"] == "50.0%" and main["部分履行率"] == "50.0%"
    months = {r[0]: r[1:] for r in t["按月（受理按受理日期，结案按结案日期）"][1:]}
    assert len(months) == 11
    assert months["2026-03"] == ["2", "1", "1", "0", "100.0%"]
    assert months["2026-04"] == ["1", "2", "1", "1", "50.0%"]
    assert months["2026-05"] == ["2", "2", "0", "0", "—"]
    assert months["2026-06"] == ["1", "0", "0", "0", "—"]
    categories = {r[0]: r[1:] for r in t["按纠纷类型"][1:]}
    assert categories["邻里纠纷"][:4] == ["5", "4", "1", "1"]
    assert categories["婚姻家庭（含继承）"] == ["1", "1", "1", "0", "100.0%", "0.0%"]
    city = pairs(fragment(login("city"), "mediation")["主要指标"])
    assert (city["受理"], city["结案（含撤回、拒绝）"], city["调解成功"], city["调解成功率"]) == ("7", "6", "3", "75.0%")
    b = pairs(fragment(login("district_b"), "mediation")["主要指标"])
    assert (b["受理"], b["调解成功"], b["其中书面协议"]) == ("1", "1", "1")
    only_a = pairs(fragment(login("city"), "mediation", unit=factories.unit("150203").id)["主要指标"])
    assert only_a == pairs(t["主要指标"])
    y = pairs(fragment(login("city"), "mediation", contractor=factories.org("Y").id)["主要指标"])
    assert y["受理"] == "0" and y["调解成功率"] == "—"


def test_subjects_contracts_staffing_and_integrity_panels(prepared, login):
    a = login("district_a")
    subjects = fragment(a, "subjects")
    status = {r[0]: r[1:] for r in subjects["按状态和风险等级（人）"][1:]}
    assert status["已报到"] == ["0", "0", "0", "1", "1"] and status["待释放（已接收通知）"][-1] == "1"
    todo = pairs(subjects["需要处理"])
    assert todo["逾期未报到"] == "1" and todo["待处理预警：风险评估为高"] == "1"
    assert pairs(fragment(login("district_b"), "subjects")["需要处理"])["逾期未报到"] == "0"
    contracts = fragment(a, "contracts")
    assert pairs(contracts["按状态"])["履约中"] == "1"
    assert pairs(contracts["按最近一次绩效评价等级"]) == {"优秀": "0", "良好": "0", "合格": "1", "不合格": "0",
                                                       "尚未评价": "0"}
    assert contracts["合同"][1][-1] == "合格（72.00分）"  # the latest completed evaluation, not the open one
    city_contracts = fragment(login("city"), "contracts")
    assert pairs(city_contracts["按状态"])["履约中"] == "2"
    assert pairs(city_contracts["按最近一次绩效评价等级"])["尚未评价"] == "1"
    staffing = fragment(a, "staffing", **{"from": "2026-11", "to": "2026-11"})["值班达标情况（按合同）"]
    assert staffing[1] == [prepared["ka"].number, "和润调解中心", "20", "2", "18", "10.0%"]
    integrity = fragment(a, "integrity")
    assert pairs(integrity["待认定的数据问题（按规则）"])["同一调解员同日登记并结案 10 件以上"] == "1"
    assert integrity["待认定的数据问题（按合同）"][1] == [prepared["ka"].number, "和润调解中心", "1"]
    assert fragment(login("district_b"), "integrity")["待认定的数据问题（按合同）"][1:] == [["无"]]


def test_page_shows_every_panel_with_svg_charts_and_links_from_nav(prepared, login):
    r = login("finance_a").get("/dashboard/", query_string=PERIOD)
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    for name in PANELS:
        assert f'id="panel-{name}"' in html and f'/dashboard/{name}.xlsx' in html
    assert html.count("<svg") >= 8 and "<script" not in html.split("</head>")[1]
    assert 'href="/dashboard/"' in login("district_a").get("/").get_data(as_text=True)
    assert 'href="/dashboard/"' not in login("contractor_x").get("/").get_data(as_text=True)
    plain = login("district_a").get("/dashboard/mediation", query_string=PERIOD)  # without htmx: a whole page
    assert plain.status_code == 200 and "<html" in plain.get_data(as_text=True)


def test_excel_exports_reopen_with_the_same_numbers(prepared, login):
    client = login("district_a")
    for name in PANELS:
        r = client.get(f"/dashboard/{name}.xlsx", query_string=PERIOD)
        assert r.status_code == 200 and r.mimetype.endswith("spreadsheetml.sheet")
        wb = load_workbook(io.BytesIO(r.data))
        assert wb.sheetnames
    wb = load_workbook(io.BytesIO(client.get("/dashboard/money.xlsx", query_string=PERIOD).data))
    ws = wb.worksheets[0]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[2] == ["项目", "金额（元）"]
    assert dict((r[0], r[1]) for r in rows[3:])["逾期未付"] == 50000
    ws = load_workbook(io.BytesIO(client.get("/dashboard/mediation.xlsx", query_string=PERIOD).data)).worksheets[0]
    figures = {r[0].value: r[1] for r in ws.iter_rows(min_row=4)}
    assert figures["受理"].value == 6 and figures["调解成功率"].value == pytest.approx(0.667)
    assert figures["调解成功率"].number_format == "0.0%" and figures["平均办结天数"].number_format == "0.00"


def test_scope_roles_and_filters(prepared, login):
    for user in ("contractor_x", "contractor_y", "worker_x", "evaluator", "admin"):
        c = login(user)
        assert c.get("/dashboard/").status_code == 403
        assert c.get("/dashboard/money").status_code == 403
        assert c.get("/dashboard/money.xlsx").status_code == 403
    a = login("district_a")
    assert a.get("/dashboard/", query_string={"unit": factories.unit("150202").id}).status_code == 404
    assert a.get("/dashboard/money", query_string={"unit": factories.unit("150203").id}).status_code == 200
    assert a.get("/dashboard/money", query_string={"contractor": factories.org("Y").id}).status_code == 404
    assert a.get("/dashboard/money", query_string={"contractor": factories.org("X").id}).status_code == 200
    assert a.get("/dashboard/nothing").status_code == 404
    assert a.get("/dashboard/money", query_string={"from": "2026-13"}).status_code == 422
    bad = a.get("/dashboard/", query_string={"from": "2026-05", "to": "2026-02"})
    assert bad.status_code == 422 and "结束月份不能早于开始月份" in bad.get_data(as_text=True)
    city = login("city")
    assert city.get("/dashboard/", query_string={"unit": 999_999}).status_code == 404
    assert city.get("/dashboard/money", query_string={"unit": factories.unit("150202").id}).status_code == 200
    # the city's contractor choices do not depend on the unit chosen: Y serves 东河区 only, 昆都仑区 shows zero
    y_in_a = fragment(city, "contracts", unit=factories.unit("150203").id, contractor=factories.org("Y").id)
    assert pairs(y_in_a["按状态"])["履约中"] == "0"
    b_money = pairs(fragment(login("district_b"), "money")["资金概况（元）"])
    assert b_money["合同金额"] == "100,000.00"  # district_b sees its own contract only


def _direct(user, start, end):
    return compute(load(scope_for(user), start, end), start, end)


KEYS = ("received", "ended", "concluded", "succeeded", "written", "oral", "failed", "withdrawn", "refused",
        "success_rate", "average_days", "followed_up", "follow_up_rate", "fulfilled", "partly", "fulfilment_rate",
        "in_time", "in_time_rate")


def _assert_summary_exact(user):
    start, end = date(2026, 1, 1), date(2026, 11, 30)
    direct = _direct(user, start, end)
    summary = dashboard_summary.read(db.session, start, date(2026, 11, 1), unit_id=user.unit_id)["total"]
    assert {k: summary[k] for k in KEYS} == {k: direct[k] for k in KEYS}
    return summary


def test_summary_equals_direct_computation_after_create_update_delete(prepared, app):
    a = factories.user("district_a")
    assert db.session.scalar(select(MediationSummaryDirty.id).limit(1)) is not None  # marked, not yet computed
    assert _assert_summary_exact(a)["received"] == 6
    assert db.session.scalar(select(MediationSummaryDirty.id).limit(1)) is None
    # create: a case that ends in another month
    case = make_case(state="failed", received_on=date(2026, 7, 1), concluded_on=date(2026, 8, 20), category="labour")
    db.session.commit()
    assert _assert_summary_exact(a)["failed"] == 2
    # update: the area moves to another unit, the intake date to another month, a follow-up is added
    case.area_unit_id = factories.unit("150202").id
    db.session.commit()
    assert _assert_summary_exact(a)["failed"] == 1
    assert _assert_summary_exact(factories.user("district_b"))["failed"] == 1
    c1 = db.session.scalar(select(MediationCase).where(MediationCase.received_on == date(2026, 3, 2)))
    _follow_up(c1, date(2026, 5, 20), "none")  # the latest follow-up now says not performed
    c1.received_on = date(2026, 2, 27)
    db.session.commit()
    assert _assert_summary_exact(a)["fulfilled"] == 0
    # delete
    db.session.delete(case)
    db.session.delete(db.session.scalar(select(MediationCase).where(MediationCase.received_on == date(2026, 6, 1))))
    db.session.commit()
    assert _assert_summary_exact(a)["received"] == 5
    assert _assert_summary_exact(factories.user("district_b"))["failed"] == 0
    # a full rebuild gives the same rows as the maintained summary
    def rows():
        columns = [c for c in MediationSummary.__table__.c if c.name != "id"]
        return sorted((tuple(r) for r in db.session.execute(select(*columns)).all()), key=repr)

    maintained = rows()
    dashboard_summary.rebuild_all(db.session)
    assert rows() == maintained and maintained


def test_feedback_panel(prepared, login):
    from datetime import datetime

    from models.feedback import Feedback

    a, b = factories.unit("150203").id, factories.unit("150202").id
    for n, (unit, received, answered) in enumerate((
            (a, datetime(2026, 11, 25, 9), None), (a, datetime(2026, 10, 1, 9), None),
            (a, datetime(2026, 9, 1, 9), datetime(2026, 9, 5, 16)), (b, datetime(2026, 11, 20, 10), None))):
        db.session.add(Feedback(number=f"FK-{n}", unit_id=unit, text="调解员态度 <差> & 拖延", received_at=received,
                                state="answered" if answered else "open", answered_at=answered,
                                answer="已核实并整改" if answered else None))
    db.session.commit()
    t = fragment(login("district_a"), "feedback")
    assert pairs(t["待答复的公众反馈（按已等待时间）"]) == {"7 天以内": "1", "8～30 天": "0", "超过 30 天": "1"}
    assert t["公众反馈（按单位）"][1:] == [["昆都仑区司法局", "2", "3", "1"]]
    city = fragment(login("city"), "feedback")["公众反馈（按单位）"]
    assert city[1:] == [["昆都仑区司法局", "2", "3", "1"], ["东河区司法局", "1", "1", "0"]]
    b_only = fragment(login("district_b"), "feedback")
    assert pairs(b_only["待答复的公众反馈（按已等待时间）"])["7 天以内"] == "1"
