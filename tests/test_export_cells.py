"""Exports cannot be turned against their reader (issue 18 item 1): text typed through the forms that looks
like a formula comes out of every workbook and CSV file as text, never as a formula, in openpyxl and in
LibreOffice."""
import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from extensions import db
from models.mediation import MediationCode
from services.cells import FORMULA_START
from tests import factories
from tests.docs import xlsx_to_csv
from tests.helpers import text, versioned
from tests.mediation_factories import make_case
from tests.test_mediation_figures import prepared  # noqa: F401  (the third quarter's cases of X)

HYPERLINK = '=HYPERLINK("http://x","y")'
VERSIONED_STAFF = {"id_number": "150203199001010010", "profession": "mediator", "phone": "13900000000",
                   "cert_number": "包司调证〔2025〕1号", "cert_issuer": "包头市司法局", "cert_valid_from": "2026-01-01",
                   "cert_valid_until": "2027-12-31"}


def assert_no_formula(data):
    """No cell of the workbook is a formula, and no text starts like one."""
    wb = load_workbook(io.BytesIO(data))
    values = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(FORMULA_START), f"{ws.title}!{cell.coordinate}: {cell.value!r}"
                    values.append(cell.value)
    return values


@pytest.fixture
def hostile(prepared, login):  # noqa: F811
    """Formula-like text typed through the forms: a mediator's name, a corrective measure, code labels."""
    c = login("contractor_x")
    member = next(m for m in factories.org("X").staff if m.may_mediate_on())
    r = c.send(f"/organisation/staff/{member.id}", versioned(dict(VERSIONED_STAFF, name=HYPERLINK), member))
    assert r.status_code == 303, text(r)
    r = c.send("/mediation/evaluation/measures?year=2026&quarter=3",
               {"case_id": str(prepared["c"].id), "cause": "\t=2+2", "measure": HYPERLINK, "owner": "@SUM(A1)",
                "due_on": "2026-12-20"})
    assert r.status_code == 303, text(r)
    city = login("city")
    for label in ("=1+1", "+1", "-1+2"):  # labels are stripped: no tab or CR survives here
        assert city.send("/mediation/codes", {"kind": "category", "label": label}).status_code == 303
    keys = db.session.scalars(select(MediationCode.key).where(MediationCode.kind == "category")
                              .order_by(MediationCode.id)).all()
    for key in keys:  # a case in each new category, so the breakdowns list them
        make_case("worker_x", "written", received_on=date(2026, 9, 1), concluded_on=date(2026, 9, 2), category=key)
    db.session.commit()
    return prepared


def test_the_evaluation_workbook_shows_typed_formulas_as_text(hostile, login):
    r = login("district_a").get("/mediation/evaluation/workbook?year=2026&quarter=3")
    assert r.status_code == 200
    values = assert_no_formula(r.data)
    for typed in (HYPERLINK, "=1+1", "@SUM(A1)", "+1", "-1+2", "\t=2+2"):
        assert "'" + typed in values, typed
    sheets = xlsx_to_csv(r.data)
    assert len(sheets) >= 5
    everything = "\n".join(sheets.values())
    assert "'=1+1" in everything and "'=HYPERLINK" in everything and "'@SUM(A1)" in everything
    rows = [row for body in sheets.values() for row in csv.reader(io.StringIO(body))]
    assert not any(cell in ("2", "4", "y") for row in rows for cell in row[:1])  # =1+1, =2+2, HYPERLINK not computed


def test_dashboard_and_statistics_workbooks_and_the_template(hostile, login):
    from services.dashboard import PANELS

    district = login("district_a")
    for name in PANELS:
        r = district.get(f"/dashboard/{name}.xlsx", query_string={"from": "2026-01", "to": "2026-12"})
        assert r.status_code == 200
        values = assert_no_formula(r.data)
        if name == "mediation":
            assert "'+1" in values and "'-1+2" in values
    for url in ("/statistics/mediation/workbook?year=2026&month=9", "/statistics/mediation/workbook?year=2026",
                "/statistics/assistance/workbook?year=2026&part=year"):
        r = district.get(url)
        assert r.status_code == 200, url
        values = assert_no_formula(r.data)
        if "mediation" in url:
            assert "'+1" in values and "'=1+1" in values
    r = login("contractor_x").get("/mediation/imports/template")
    assert r.status_code == 200
    assert_no_formula(r.data)



def test_the_subjects_csv_neutralises_names_and_townships(app, login):
    from tests.test_rehab_workflow import notice

    unit = login("district_a")
    assert unit.send("/rehabilitation/", notice(name="=1+1", township=HYPERLINK)).status_code == 303
    assert unit.send("/rehabilitation/", notice(name="@SUM(A1)", township="\r-1+2")).status_code == 303
    r = unit.get("/rehabilitation/export.csv")
    assert r.status_code == 200
    rows = list(csv.reader(io.StringIO(r.get_data(as_text=True).lstrip("\ufeff"))))
    cells = [cell for row in rows for cell in row]
    assert "'=1+1" in cells and "'" + HYPERLINK in cells and "'@SUM(A1)" in cells and "'\r-1+2" in cells
    assert not any(cell.startswith(FORMULA_START) for cell in cells)
