"""The city opens the mediation statistics, chooses a unit and a month, sees the table, downloads the Word file."""
from datetime import date

from playwright.sync_api import expect

from extensions import db
from tests import mediation_factories as mf
from tests.browser.helpers import login
from tests.docs import docx_text


def test_city_chooses_a_period_and_downloads_the_statistics(page, live_server, tmp_path):
    # 九原区 in March 2025: a period and an area no other browser test touches
    with live_server.app.app_context():
        mf.make_case(state="written", category="traffic", area="150207", received_on=date(2025, 3, 3),
                     concluded_on=date(2025, 3, 31), amount="4321.00")
        mf.make_case(state="failed", category="traffic", area="150207", received_on=date(2025, 3, 10),
                     concluded_on=date(2025, 4, 1), amount="79.00")
        db.session.commit()

    login(page, "city")
    page.get_by_role("link", name="统计报表").click()
    expect(page.locator("h1")).to_contain_text("人民调解工作统计")
    page.get_by_label("单位").select_option(label="九原区司法局")
    page.get_by_label("年度").fill("2025")
    page.get_by_label("月份").select_option(label="3月")
    page.get_by_role("button", name="查看").click()
    table = page.locator("#statistics-table")
    expect(table).to_contain_text("九原区司法局2025年3月人民调解工作统计表")
    traffic = table.locator("tr", has_text="道路交通事故")
    # received 2, concluded 1 (the failure fell on 1 April), succeeded 1 (written), 4,400.00 yuan in dispute
    expect(traffic.locator("td").nth(0)).to_have_text("2")
    expect(traffic.locator("td").nth(1)).to_have_text("1")
    expect(traffic).to_contain_text("100.0%")
    expect(traffic).to_contain_text("4,400.00")
    with page.expect_download() as download:
        table.get_by_role("link", name="下载 Word 统计表").click()
    path = tmp_path / "statistics.docx"
    download.value.save_as(path)
    body = docx_text(path.read_bytes())
    assert "九原区司法局2025年3月人民调解工作统计表" in body and "4,400.00" in body
