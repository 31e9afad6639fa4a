"""Data typed as data (issue 18 item 3): in the evaluation, dashboard and statistics workbooks counts are
integers, rates are fractions formatted as percentages, averages have two places, money is yuan with
separators, and dates are date cells written 2026年11月26日."""
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from services.cells import DATE, FIXED, MONEY, PERCENT
from tests.test_mediation_figures import prepared  # noqa: F401  (the third quarter's cases of X)


def _cells(data, sheet=None):
    wb = load_workbook(io.BytesIO(data))
    ws = wb[sheet] if sheet else wb.worksheets[0]
    return [list(row) for row in ws.iter_rows()]


def _by_label(rows):
    return {row[0].value: row[1] for row in rows if row and len(row) > 1 and row[0].value is not None}


def assert_rate(cell, value):
    assert cell.data_type == "n" and cell.number_format == PERCENT and cell.value == pytest.approx(value), cell


def test_the_evaluation_workbook_is_typed(prepared, login):  # noqa: F811
    c = login("contractor_x")
    r = c.send("/mediation/evaluation/measures?year=2026&quarter=3",
               {"case_id": str(prepared["c"].id), "cause": "双方分歧过大", "measure": "加强庭前沟通", "owner": "张志强",
                "due_on": "2026-12-20"})
    assert r.status_code == 303
    data = login("district_a").get("/mediation/evaluation/workbook?year=2026&quarter=3").data
    total = _by_label(_cells(data, "总体"))
    assert total["受理"].value == 6 and total["受理"].data_type == "n"
    assert_rate(total["调解成功率"], 0.75)
    average = total["平均办结天数"]
    assert average.data_type == "n" and average.number_format == FIXED and average.value == 32.5
    for name in ("按纠纷类型", "按来源", "按调解员"):
        rows = _cells(data, name)
        header = [cell.value for cell in rows[0]]
        column = header.index("调解成功率")
        rates = [row[column] for row in rows[1:] if row[column].value != "—"]
        assert rates and all(cell.data_type == "n" and cell.number_format == PERCENT for cell in rates), name
    rows = _cells(data, "不成和未履行")
    due = [row[6] for row in rows[1:] if row[6].value is not None]
    assert due and due[0].is_date and due[0].number_format == DATE and due[0].value.date() == date(2026, 12, 20)


PERIOD = {"from": "2026-01", "to": "2026-12"}


def test_dashboard_workbooks_are_typed(prepared, login):  # noqa: F811
    from extensions import db
    from services.dashboard import PANELS
    from tests import factories

    factories.make_contract("150203", factories.org("X"), start=date(2026, 1, 1))
    db.session.commit()
    client = login("district_a")
    seen = set()
    for name in PANELS:
        r = client.get(f"/dashboard/{name}.xlsx", query_string=PERIOD)
        wb = load_workbook(io.BytesIO(r.data))
        for ws in wb.worksheets:
            header = [cell.value for cell in ws[3]]
            for row in ws.iter_rows(min_row=4):
                for title, cell in zip(header, row):
                    if cell.value in (None, "—"):
                        continue
                    if "率" in title:
                        assert cell.data_type == "n" and cell.number_format == PERCENT, (name, title, cell.value)
                        seen.add("rate")
                    if "金额" in title or "支付" in title or title in ("暂扣", "逾期未付"):
                        assert cell.data_type == "n" and cell.number_format == MONEY, (name, title, cell.value)
                        seen.add("money")
                    if title in ("服务开始", "服务结束"):
                        assert cell.is_date and cell.number_format == DATE, (name, title, cell.value)
                        seen.add("date")
    main = _by_label(_cells(client.get("/dashboard/mediation.xlsx", query_string=PERIOD).data)[3:])
    assert main["平均办结天数"].data_type == "n" and main["平均办结天数"].number_format == FIXED
    assert seen == {"rate", "money", "date"}


def test_statistics_workbooks_are_typed(app, login):
    from tests.test_statistics import assistance_set, mediation_set

    mediation_set()
    client = login("district_a")
    rows = _cells(client.get("/statistics/mediation/workbook?year=2026&month=10").data)
    header = [cell.value for cell in rows[2]]
    total = next(row for row in rows if row[0].value == "合计")
    assert_rate(total[header.index("调解成功率")], 0.667)
    amount = total[header.index("涉及金额（元）")]
    assert amount.data_type == "n" and amount.number_format == MONEY
    period = _by_label(rows)
    assert period["统计起日"].is_date and period["统计起日"].number_format == DATE
    assert period["统计止日"].value.date() == date(2026, 10, 31)
    assistance_set()
    rows = _cells(client.get("/statistics/assistance/workbook?year=2026&part=h1").data)
    values = {row[1].value: row[2] for row in rows[3:] if len(row) > 2}
    assert values["期初在册人数"].value == 3 and values["期初在册人数"].data_type == "n"
    assert values["帮教率"].data_type == "n" and values["帮教率"].number_format == PERCENT
    period = _by_label(rows)
    assert period["报送期限"].is_date and period["报送期限"].value.date() == date(2026, 7, 2)
