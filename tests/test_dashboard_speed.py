"""Dashboards at scale (issue #8): the maintained subject counts and the mediation roll-up equal a direct
computation after creates, updates and deletes; the light money and staffing computations equal the
contract's own rules; the page with every panel shortens long tables and links to the full ones."""
import io
from datetime import date, time
from decimal import Decimal

from openpyxl import load_workbook
from sqlalchemy import func, select

from extensions import db
from models import Contract, DutyShift, Payment, Subject
from models.dashboard import MediationRollup, SubjectSummary, SubjectSummaryDirty
from services import dashboard, dashboard_summary
from tests import factories
from tests import rehab_factories as rf
from tests.mediation_factories import make_case
from tests.test_dashboard import PERIOD, _assert_summary_exact, fragment, prepared, tables  # noqa: F401


def _direct_subjects(unit_id=None, contract_ids=None):
    query = select(Subject.status, Subject.risk_level, func.count()).group_by(Subject.status, Subject.risk_level)
    if unit_id is not None:
        query = query.where(Subject.unit_id == unit_id)
    if contract_ids is not None:
        query = query.where(Subject.contract_id.in_(contract_ids))
    return sorted((tuple(r) for r in db.session.execute(query).all()), key=repr)


def _assert_subjects_exact(contract_ids=None):
    for unit_id in (None, factories.unit("150203").id, factories.unit("150202").id):
        summary = sorted(dashboard_summary.read_subjects(db.session, unit_id, contract_ids), key=repr)
        assert summary == _direct_subjects(unit_id, contract_ids), unit_id


def test_subject_counts_equal_a_direct_count_after_create_update_delete(prepared):
    a, b = factories.unit("150203"), factories.unit("150202")
    assert db.session.scalar(select(SubjectSummaryDirty.id).limit(1)) is not None  # marked, not yet counted
    _assert_subjects_exact()
    assert db.session.scalar(select(SubjectSummaryDirty.id).limit(1)) is None
    # create: subjects in both units, one served by a contract
    served = factories.make_contract("150202", factories.org("Y"), category="assistance", start=date(2026, 1, 1))
    s1 = rf.subject("150203", status="pre_release", name="丙某")
    s2 = rf.subject("150202", status="pre_release", name="丁某", contract=served)
    db.session.commit()
    _assert_subjects_exact()
    _assert_subjects_exact([served.id])
    # update: status, risk level, contract, and a transfer to the other unit
    s1.risk_level = "high"
    s2.status, s2.contract_id = "ended", None
    db.session.commit()
    _assert_subjects_exact()
    s1.unit_id = b.id
    db.session.commit()
    _assert_subjects_exact()
    assert sum(n for _, _, n in dashboard_summary.read_subjects(db.session, a.id)) == 2
    # delete
    db.session.delete(s2)
    db.session.commit()
    _assert_subjects_exact()
    # a full rebuild gives the same rows as the maintained counts
    def rows():
        columns = [c for c in SubjectSummary.__table__.c if c.name != "id"]
        return sorted((tuple(r) for r in db.session.execute(select(*columns)).all()), key=repr)

    maintained = rows()
    dashboard_summary.rebuild_subjects(db.session)
    assert rows() == maintained and maintained


def test_subjects_panel_reads_the_counts_and_the_overdue_index(prepared, login):
    rf.subject("150203", status="pre_release", release=date(2026, 11, 25), name="戊某")  # not yet overdue
    db.session.commit()
    t = fragment(login("district_a"), "subjects")
    status = {r[0]: r[1:] for r in t["按状态和风险等级（人）"][1:]}
    assert status["待释放（已接收通知）"][-1] == "2"
    assert dict((r[0], r[1]) for r in t["需要处理"][1:])["逾期未报到"] == "1"


def test_mediation_roll_up_equals_the_summary_for_the_city_and_each_unit(prepared, app):
    _assert_summary_exact(factories.user("district_a"))
    in_b = factories.make_contract("150202", factories.org("X"), start=date(2026, 1, 1))
    case = make_case(state="failed", received_on=date(2026, 7, 1), concluded_on=date(2026, 8, 20),
                     contract=in_b)  # area 昆都仑区, contract of 东河区: counted by both units, once by the city
    db.session.commit()
    assert _assert_summary_exact(factories.user("district_a"))["failed"] == 2
    assert _assert_summary_exact(factories.user("district_b"))["failed"] == 1
    start, end = date(2026, 1, 1), date(2026, 11, 1)
    figures = dashboard_summary.read(db.session, start, end)["total"]
    assert figures["received"] == 8 and figures["failed"] == 2
    b = dashboard_summary.read(db.session, start, end, unit_id=factories.unit("150202").id)["total"]
    assert (b["received"], b["failed"]) == (2, 1)
    db.session.delete(case)
    db.session.commit()
    assert dashboard_summary.read(db.session, start, end)["total"]["received"] == 7
    # the roll-up a rebuild writes is the one the refreshes kept
    def rows():
        columns = [c for c in MediationRollup.__table__.c if c.name != "id"]
        return sorted((tuple(r) for r in db.session.execute(select(*columns)).all()), key=repr)

    maintained = rows()
    dashboard_summary.rebuild_all(db.session)
    assert rows() == maintained and maintained


def test_money_of_many_contracts_follows_the_contracts_own_rules(prepared, login):
    ka, kb = prepared["ka"], prepared["kb"]
    final = next(m for m in kb.milestones if m.is_final)
    mid = next(m for m in kb.milestones if not m.is_final)
    mid.status, mid.status_on = "met", date(2026, 11, 20)  # payable, not yet overdue
    kb.payments.append(Payment(instalment=next(i for i in kb.instalments if i.milestone is mid),
                               paid_on=date(2026, 11, 21), amount=Decimal("1000.00"), voucher="记账凭证 <13> & 号"))
    kb.status = "accepted_conditional"  # the final instalment is held
    final.status_on = date(2026, 11, 1)
    db.session.commit()
    f = dashboard.parse_filters(factories.user("city"), {})
    light = dashboard._money(dashboard._contracts(f))
    for c in (ka, kb):
        db.session.refresh(c)
        expected = c.money_overview()
        expected.pop("reclaimed")
        assert light[c.id] == expected
    assert light[kb.id]["held"] > 0 and light[ka.id]["overdue"] == Decimal("50000.00")


def test_staffing_of_many_contracts_follows_the_contracts_own_rule(prepared):
    ka = prepared["ka"]
    x = ka.contractor
    staff = [m for m in x.staff][:2]
    assert len(staff) == 2
    shifts = [(date(2026, 10, 8), time(8, 0), time(12, 0), staff),  # a holiday (National Day): not counted
              (date(2026, 10, 12), time(8, 0), time(12, 0), staff),  # 4 hours
              (date(2026, 10, 12), time(11, 0), time(17, 0), staff),  # ... overlapping: 9 hours, held
              (date(2026, 10, 13), time(8, 0), time(17, 0), staff[:1]),  # one person
              (date(2026, 10, 14), time(8, 0), time(16, 0), staff),  # exactly 8 hours, held
              (date(2026, 11, 28), time(8, 0), time(17, 0), staff)]  # after today: not counted
    for day, start, end, people in shifts:
        ka.shifts.append(DutyShift(day=day, start=start, end=end, staff=list(people)))
    db.session.commit()
    for period in (("2026-01", "2026-11"), ("2026-10", "2026-10"), ("2026-11", "2026-12")):
        f = dashboard.parse_filters(factories.user("district_a"), {"from": period[0], "to": period[1]})
        row = next(r for r in dashboard.staffing_panel(f)["tables"][0]["rows"] if r[0] == ka.number)
        days = ok = 0
        month = f.start
        while month <= min(f.end, date(2026, 11, 27)):
            for day in ka.staffing(month.year, month.month):
                days, ok = days + 1, ok + day["ok"]
            month = dashboard_summary.next_month(month)
        assert row[2:5] == [days, ok, days - ok], period
    october = dashboard.parse_filters(factories.user("district_a"), {"from": "2026-10", "to": "2026-10"})
    assert next(r for r in dashboard.staffing_panel(october)["tables"][0]["rows"] if r[0] == ka.number)[3] == 2


def test_the_page_with_every_panel_shortens_long_tables_and_links_to_them(prepared, login):
    x = factories.org("X")
    for n in range(dashboard.OVERVIEW_ROWS + 1):
        factories.make_contract("150203", x, amount="1000.00", start=date(2026, 2, 1), months=6)
    db.session.commit()
    client = login("district_a")
    html = client.get("/dashboard/", query_string=PERIOD).get_data(as_text=True)
    money = tables(html)["各合同资金（元）"]
    contracts = db.session.scalar(select(func.count()).select_from(Contract).where(
        Contract.unit_id == factories.unit("150203").id))
    assert contracts == dashboard.OVERVIEW_ROWS + 2
    assert len(money) == 1 + dashboard.OVERVIEW_ROWS + 1 and money[-1][0] == "合计"  # header, 15 rows, total
    assert money[-1][4] == "316,000.00"  # the total of every contract, not only of the rows shown
    assert "另有 2 行未列出：<a href=\"/dashboard/money?from=2026-01&amp;to=2026-11" in html
    assert "值班达标率最低的 15 份合同" in html
    # the panel's own page and its refresh from its own page show every row; a refresh on the overview does not
    full = tables(client.get("/dashboard/money", query_string=PERIOD).get_data(as_text=True))["各合同资金（元）"]
    assert len(full) == 1 + contracts + 1
    assert len(fragment(client, "money")["各合同资金（元）"]) == 1 + contracts + 1
    short = fragment(client, "money", view="overview")["各合同资金（元）"]
    assert len(short) == 1 + dashboard.OVERVIEW_ROWS + 1
    # the Excel export has every row
    wb = load_workbook(io.BytesIO(client.get("/dashboard/money.xlsx", query_string=PERIOD).data))
    assert wb.worksheets[1].max_row == 3 + contracts + 1


def test_a_milestone_is_only_payable_once_met(prepared):
    """money_overview from plain values: a scheduled milestone's instalment is neither payable nor overdue."""
    from models.contract import money_overview

    figures = money_overview(Decimal("100.00"), "in_performance", Decimal("0.00"),
                             [(Decimal("60.00"), Decimal("0.00"), False, "scheduled", date(2026, 1, 1)),
                              (Decimal("40.00"), Decimal("0.00"), True, "scheduled", None)],
                             today=date(2026, 11, 27))
    assert figures["payable"] == figures["overdue"] == figures["held"] == Decimal("0.00")
    assert figures["remaining"] == Decimal("100.00")
