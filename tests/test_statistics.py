"""The statistical reports of DOMAIN.md §9 on prepared data sets worked out by hand: mediation statistics
(October 2026, a month's edges, the year) and assistance statistics (first half of 2026, the year), per
unit and for the whole city; the Word tables read back and converted to PDF; the workbooks reopened;
who may see which unit's report."""
import io
import re
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from extensions import db
from models import User
from models.mediation import MediationCode
from models.rehabilitation import ServiceRecord
from models import mediation_figures
from services import rehabilitation_figures
from services.statistics import MEDIATION_COLUMNS, SOURCES, assistance_report, mediation_report
from tests import factories
from tests import mediation_factories as mf
from tests import rehab_factories as rf
from tests.docs import docx_text, to_pdf
from tests.helpers import text

HOSTILE_LABEL = "A&B <纠纷> \"引号\""
H1_START, H1_END = date(2026, 1, 1), date(2026, 6, 30)


# ---------------------------------------------------------------- mediation


def _police(c, at):
    c.report_to_police(factories.user("contractor_x"), {"reported_to": "昆都仑公安分局", "reported_at": at,
                                                          "content": "纠纷可能激化"})


def mediation_set():
    """District_a's cases (area 昆都仑区, or served by its contract) around October 2026, and one of 东河区."""
    three = [mf.party(), mf.party("respondent", "钱小红"), mf.party("respondent", "孙三")]
    c1 = mf.make_case(state="written", category="neighbour", source="application_written",
                      received_on=date(2026, 10, 5), concluded_on=date(2026, 10, 20), amount="12000.50")
    _police(c1, datetime(2026, 10, 31, 23, 30))  # the month's last evening: counts
    mf.make_case(state="oral", category="neighbour", source="police", source_body="昆都仑公安分局",
                 received_on=date(2026, 10, 10), concluded_on=date(2026, 10, 31), amount="3000", parties=three)
    c3 = mf.make_case(state="failed", category="family", source="court", received_on=date(2026, 9, 20),
                      concluded_on=date(2026, 10, 1), amount="500")
    _police(c3, datetime(2026, 11, 1, 0, 0))  # the next month's first moment: does not count
    mf.make_case(state="failed", category="family", source="application_oral", received_on=date(2026, 10, 15),
                 concluded_on=date(2026, 11, 1), amount="700")
    mf.make_case(state="withdrawn", category="contract", source="initiative", received_on=date(2026, 10, 31),
                 concluded_on=date(2026, 10, 31), amount=None)
    mf.make_case(state="refused", category="labour", source="department", source_body="区人社局",
                 received_on=date(2026, 10, 2), concluded_on=date(2026, 10, 2), amount="800")
    mf.make_case(username="contractor_y", category="neighbour", area="150202", received_on=date(2026, 10, 8))
    contract = factories.make_contract("150203", factories.org("X"), "mediation")
    mf.make_case(category="neighbour", source="court", area="150202", contract=contract,
                 received_on=date(2026, 10, 12))  # 东河区's area, served by district_a's contract: both count it
    db.session.add(MediationCode(kind="category", key="hostile", label=HOSTILE_LABEL))
    db.session.commit()


def _pages(pdf):
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def _rows(report):
    return dict(report.figures["rows"])


def test_mediation_month_by_hand(app):
    mediation_set()
    r = mediation_report(factories.unit("150203"), 2026, 10)
    assert (r.start, r.end) == (date(2026, 10, 1), date(2026, 10, 31))
    rows = _rows(r)
    n = rows["邻里纠纷"]
    # received 5, 10 and 12 Oct; written 20 Oct, oral on the month's last day
    assert [n[k] for k in mediation_figures.REPORT_COUNTS] == [3, 2, 2, 1, 1, 0, 0, 0]
    assert n["success_rate"] == Decimal("100.0")
    assert n["amount"] == Decimal("27001.00") and n["parties"] == 7 and n["police"] == 1
    assert {k: v for k, v in n["by_source"].items() if v} == {"application_written": 1, "police": 1, "court": 1}
    f = rows["婚姻家庭（含继承）"]
    # received 20 Sept, failed 1 Oct (counts); received 15 Oct, failed 1 Nov (does not)
    assert [f[k] for k in mediation_figures.REPORT_COUNTS] == [1, 1, 0, 0, 0, 1, 0, 0]
    assert f["success_rate"] == Decimal("0.0") and f["amount"] == Decimal("700.00") and f["police"] == 0
    c = rows["合同纠纷"]
    assert (c["received"], c["withdrawn"], c["concluded"], c["success_rate"], c["amount"]) == (
        1, 1, 0, None, Decimal("0.00"))
    assert (rows["劳动争议"]["refused"], rows["劳动争议"]["by_source"]["department"]) == (1, 1)
    assert rows["医疗纠纷"]["received"] == 0 and rows[HOSTILE_LABEL]["received"] == 0
    t = r.figures["total"]
    assert [t[k] for k in mediation_figures.REPORT_COUNTS] == [6, 3, 2, 1, 1, 1, 1, 1]
    assert t["success_rate"] == Decimal("66.7")
    assert (t["amount"], t["parties"], t["police"]) == (Decimal("28501.00"), 13, 1)
    assert sum(t["by_source"].values()) == t["received"]


def test_mediation_edges_year_other_unit_and_city(app):
    mediation_set()
    nov = mediation_report(factories.unit("150203"), 2026, 11).figures["total"]
    assert (nov["received"], nov["concluded"], nov["failed"], nov["police"]) == (0, 1, 1, 1)
    year = mediation_report(factories.unit("150203"), 2026, 0)
    assert year.period_label == "2026年度"
    y = year.figures["total"]
    assert (y["received"], y["concluded"], y["failed"], y["police"]) == (7, 4, 2, 2)
    east = mediation_report(factories.unit("150202"), 2026, 10).figures
    assert east["total"]["received"] == 2 and _rows(mediation_report(factories.unit("150202"), 2026, 10))[
        "邻里纠纷"]["received"] == 2
    city = mediation_report(None, 2026, 10)
    assert city.unit_label == "全市" and city.title == "全市2026年10月人民调解工作统计表"
    ct = city.figures["total"]
    assert (ct["received"], ct["amount"], ct["parties"]) == (7, Decimal("40501.50"), 15)  # each case once


def test_mediation_word_and_excel(app):
    mediation_set()
    r = mediation_report(factories.unit("150203"), 2026, 10)
    import docgen

    data = docgen.render("statistics_mediation", r)
    body = docx_text(data)
    assert "昆都仑区司法局2026年10月人民调解工作统计表" in body
    assert "统计期间：2026年10月1日至2026年10月31日" in body
    assert HOSTILE_LABEL in body and "27,001.00" in body and "66.7%" in body and "案件来源（受理数）" in body
    from docx import Document

    doc = Document(io.BytesIO(data))
    section = doc.sections[0]
    assert section.page_width > section.page_height  # landscape
    table = doc.tables[0]
    assert len(table.columns) == 1 + len(MEDIATION_COLUMNS) + len(SOURCES)
    total = [cell.text for cell in table.rows[-1].cells]
    assert total[:10] == ["合计", "6", "3", "2", "1", "1", "1", "1", "1", "66.7%"]
    assert total[10:13] == ["28,501.00", "13", "1"]
    assert _pages(to_pdf(data)) == 1  # the whole table on one landscape page

    from services.statistics import mediation_workbook

    ws = load_workbook(io.BytesIO(mediation_workbook(r))).active
    assert ws["A1"].value == r.title
    header = [c.value for c in ws[3]]
    assert header[:2] == ["纠纷类型", "受理"] and header[-1] == "其他"
    last = next([c.value for c in row] for row in ws.iter_rows() if row[0].value == "合计")
    assert last[0] == "合计" and last[1:9] == [6, 3, 2, 1, 1, 1, 1, 1] and last[9] == pytest.approx(0.667)
    assert Decimal(str(last[10])) == Decimal("28501.00") and last[11:13] == [13, 1]
    assert sum(last[13:]) == 6


def test_templates_match_the_build_script(app):
    import os

    from docx import Document

    from docgen import TEMPLATES
    from docgen.build import build_bytes
    from docgen.statistics import TEMPLATES as MINE

    for name, (builder, options) in MINE.items():
        built = docx_text(build_bytes(builder, options))
        with open(os.path.join(TEMPLATES, name), "rb") as f:
            assert docx_text(f.read()) == built
        assert Document(io.BytesIO(build_bytes(builder, options))).sections[0].orientation == 1


# ---------------------------------------------------------------- assistance


def _subject(name, release, reported=None, formed=None, exit_type="prison", contract=None, unit="150203", **fields):
    s = rf.subject(unit, status="pre_release", contract=contract, exit_type=exit_type, release=release, name=name,
                   **fields)
    owner = db.session.scalar(select(User).where(User.unit_id == s.unit_id, User.role == "district"))
    if reported and s.status == "pre_release":
        s.record_report(owner, reported, "fetched", "少先路司法所", "王建国")
    if formed:
        rf.form_group(s, db.session.get(factories.StaffMember, factories.user("worker_x").staff_member_id))
        s.group.formed_on = formed
    db.session.flush()
    return s, owner


def _record(s, kind, on):
    db.session.add(ServiceRecord.add(s, factories.user("worker_x"), {"kind": kind, "on": on, "content": "服务"}))


def assistance_set():
    contract = factories.make_contract("150203", factories.org("X"), "assistance")
    a, _ = _subject("甲", date(2026, 3, 1), date(2026, 3, 5), date(2026, 3, 10), contract=contract,
                    key_flags=["drugs"], key_reasons="涉毒", resettlement="employed")
    _subject("乙", date(2026, 6, 30), date(2026, 7, 2))  # released on the half-year's last day, reported in July
    _subject("丙", date(2026, 7, 1))  # released the day after: the year's, not the half-year's
    d, owner = _subject("丁", date(2025, 6, 1), date(2025, 6, 3), date(2025, 6, 10), contract=contract,
                        resettlement="relief")
    e, _ = _subject("戊", date(2026, 4, 1), None, date(2026, 4, 5), exit_type="probation", contract=contract,
                    resettlement="farming")  # a community exit reports on registration (release + 3 days)
    f, _ = _subject("己", date(2025, 1, 10), date(2025, 1, 12), date(2025, 1, 15), contract=contract)
    g, _ = _subject("庚", date(2020, 1, 1), date(2020, 1, 3), date(2020, 1, 5), contract=contract)
    other = factories.make_contract("150202", factories.org("X"), "assistance")
    _subject("辛", date(2026, 2, 1), date(2026, 2, 3), date(2026, 2, 5), contract=other, unit="150202")
    _record(a, "employment", date(2026, 6, 30))  # the last day counts
    _record(d, "relief", date(2026, 1, 1))  # the first day counts
    _record(e, "visit", date(2026, 4, 10))
    _record(f, "visit", date(2026, 7, 1))  # after the half-year
    d.end(owner, "reoffended", date(2026, 5, 1))
    g.end(owner, "period_over", date(2026, 1, 1))
    f.set_lost_contact(owner, "多次电话、上门均未找到")
    db.session.commit()


def test_assistance_half_year_by_hand(app):
    assistance_set()
    r = assistance_report(factories.unit("150203"), 2026, "h1")
    assert (r.start, r.end, r.due) == (H1_START, H1_END, date(2026, 7, 2))
    f = r.figures
    # on the register on 1 January: 丁, 己, 庚 (庚's assistance ended that day)
    assert f["register_at_start"] == 3
    # released from prison in the half-year: 甲 (3 Mar) and 乙 (30 June); 丙 (1 July) is not; both reported in time
    assert (f["released"], f["key_released"], f["handed_over"], f["key_handed_over"]) == (2, 1, 2, 1)
    assert f["received"] == 2  # 甲 (5 March) and 戊 (4 April); 乙 reported in July
    assert f["under_assistance"] == 5  # 甲, 丁, 戊, 己, 庚
    assert f["resettled_by_way"] == {"employed": 1, "self_employed": 0, "farming": 1, "relief": 1, "base": 0}
    assert f["resettled"] == 3
    assert (f["relief_helped"], f["work_helped"], f["reoffended"], f["lost_contact"]) == (1, 1, 1, 1)
    assert f["ended_by_reason"] == {"period_over": 1, "reoffended": 1, "deceased": 0, "transferred": 0}
    assert f["register_at_end"] == 3  # 甲, 戊, 己: 3 at the start + 2 taken on − 2 ended
    rates = {k: (v["n"], v["d"], v["percent"]) for k, v in f["rates"].items()}
    assert rates == {"handover": (2, 2, Decimal("100.0")), "key_handover": (1, 1, Decimal("100.0")),
                     "assistance": (3, 5, Decimal("60.0")), "resettlement": (3, 5, Decimal("60.0")),
                     "reoffending": (1, 3, Decimal("33.3"))}


def test_assistance_year_and_city(app):
    assistance_set()
    y = assistance_report(factories.unit("150203"), 2026, "year")
    assert (y.end, y.due, y.period_label) == (date(2026, 12, 31), date(2027, 2, 2), "2026年全年")
    assert (y.figures["released"], y.figures["handed_over"]) == (3, 2)  # 丙 never reported
    city = assistance_report(None, 2026, "h1").figures
    assert (city["released"], city["received"], city["under_assistance"], city["register_at_end"]) == (3, 3, 6, 4)
    assert city["rates"]["resettlement"]["percent"] == Decimal("50.0")
    assert rehabilitation_figures.figures(None, H1_START, H1_END)["released"] == 3


def test_assistance_word_and_excel(app):
    assistance_set()
    import docgen

    r = assistance_report(factories.unit("150203"), 2026, "h1")
    data = docgen.render("statistics_assistance", r)
    body = docx_text(data)
    assert "昆都仑区司法局2026年上半年安置帮教工作统计表" in body and "报送期限：2026年7月2日" in body
    for item in ("期初在册人数\n3", "安置：务农\n1", "重新犯罪率\n33.3%（1/3）", "期末在册人数\n3", "脱管人数\n1"):
        assert item in body
    assert _pages(to_pdf(data)) == 1
    from services.statistics import assistance_workbook

    ws = load_workbook(io.BytesIO(assistance_workbook(r))).active
    values = {row[1]: row[2] for row in ws.iter_rows(min_row=4, values_only=True)}
    assert values["期初在册人数"] == 3 and values["帮教率"] == pytest.approx(0.6) and values["解除帮教合计"] == 2


# ---------------------------------------------------------------- pages, downloads and refusals


def test_unit_staff_see_their_own_unit(app, login):
    mediation_set()
    for username in ("district_a", "finance_a"):
        c = login(username)
        body = text(c.get("/statistics/mediation?year=2026&month=10"))
        assert "昆都仑区司法局2026年10月人民调解工作统计表" in body and "66.7%" in body
        assert '<option value="city"' not in body and "东河区司法局" not in body
        assert c.get("/statistics/mediation?unit=150202&year=2026&month=10").status_code == 404
        assert c.get("/statistics/mediation?unit=city").status_code == 404
        assert c.get("/statistics/assistance?unit=city").status_code == 404
        assert c.get("/statistics/assistance/document?unit=150202").status_code == 404
    assert login("district_b").get("/statistics/mediation/workbook?unit=150203").status_code == 404


def test_city_chooses_any_unit_or_the_whole_city(app, login):
    mediation_set()
    assistance_set()
    c = login("city")
    body = text(c.get("/statistics/mediation?year=2026&month=10"))
    assert "全市2026年10月人民调解工作统计表" in body and "40,501.50" in body
    body = text(c.get("/statistics/mediation?unit=150202&year=2026&month=10"))
    assert "东河区司法局2026年10月人民调解工作统计表" in body
    body = text(c.get("/statistics/assistance?unit=city&year=2026&part=h1"))
    assert "全市2026年上半年安置帮教工作统计表" in body and "50.0%（3/6）" in body
    r = c.get("/statistics/assistance/workbook?unit=150203&year=2026&part=year")
    assert r.status_code == 200 and "attachment" in r.headers["Content-Disposition"]
    assert load_workbook(io.BytesIO(r.data)).active["A1"].value == "昆都仑区司法局2026年全年安置帮教工作统计表"
    r = c.get("/statistics/mediation/document?unit=city&year=2026&month=0")
    assert "全市2026年度人民调解工作统计表" in docx_text(r.data)
    assert c.get("/statistics/mediation?unit=999999").status_code == 404


def test_fragment_bad_periods_and_other_roles(app, login):
    c = login("district_a")
    r = c.get("/statistics/mediation?year=2026&month=10",
              headers={"HX-Request": "true", "HX-Target": "statistics-table"})
    assert r.status_code == 200 and "<html" not in text(r) and 'id="statistics-table"' in text(r)
    assert c.get("/statistics/mediation?month=13").status_code == 404
    assert c.get("/statistics/assistance?part=h2").status_code == 404
    assert c.get("/statistics/assistance?year=1900").status_code == 404
    r = c.get("/statistics/assistance/document?year=2026&part=h1")
    assert r.status_code == 200 and "上半年安置帮教工作统计表" in docx_text(r.data)
    r = c.get("/statistics/mediation/workbook?year=2026&month=10")
    assert load_workbook(io.BytesIO(r.data)).active["A1"].value == "昆都仑区司法局2026年10月人民调解工作统计表"
    for username in ("admin", "contractor_x", "worker_x", "evaluator"):
        u = login(username)
        for path in ("/statistics/mediation", "/statistics/assistance/workbook"):
            assert u.get(path).status_code == 403
    assert app.test_client().get("/statistics/mediation").status_code == 302
    nav = text(c.get("/"))
    assert "/statistics/mediation" in nav
    assert "/statistics/mediation" not in text(login("worker_x").get("/"))
