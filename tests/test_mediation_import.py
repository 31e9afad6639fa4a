"""Import of historical cases: a good workbook, one with bad rows, one that is not a workbook."""
import io
import re
from datetime import date

from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from extensions import db
from models.mediation import CaseImport, MediationCase
from schemas.mediation_import import CASE_COLUMNS, PARTY_COLUMNS
from services import mediation_import
from tests import factories
from tests.helpers import field_error, row_counts, text
from tests.mediation_factories import make_case


def workbook(cases, parties):
    wb = Workbook()
    ws = wb.active
    ws.title = "案件"
    ws.append(CASE_COLUMNS)
    for row in cases:
        ws.append([row.get(c) for c in CASE_COLUMNS])
    ps = wb.create_sheet("当事人")
    ps.append(PARTY_COLUMNS)
    for row in parties:
        ps.append([row.get(c) for c in PARTY_COLUMNS])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def case_row(number, **kw):
    row = {"案号": number, "受理日期": "2026-03-01", "案件来源": "人民法院委托移送", "移送单位": "昆都仑区人民法院",
           "纠纷类型": "邻里纠纷", "发生地": "昆都仑区", "乡镇（街道）": "昆北街道", "争议金额": 3000.5,
           "纠纷简要情况": "漏水 & <损坏>", "请求事项": "赔偿", "结果": "调解成功（书面协议）", "结案日期": "2026-03-12",
           "协议内容": "赔偿 3000 元"}
    row.update(kw)
    return {k: v for k, v in row.items() if v is not None}


def sides(number, *names):
    rows = [{"案号": number, "身份": "申请人", "类型": "自然人", "姓名或名称": names[0] if names else "赵大海",
             "证件号码": "150203199001010010", "性别": "男", "同意回访": "是"},
            {"案号": number, "身份": "被申请人", "姓名或名称": "钱小红"}]
    if len(names) > 1:
        rows.append({"案号": number, "身份": "被申请人", "类型": "法人或其他组织", "姓名或名称": names[1],
                     "证件号码": "91110000600037341L"})
    return rows


def upload(client, data, name="历史案件.xlsx"):
    return client.send("/mediation/imports", {"workbook": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def run_all(client, job_id):
    for _ in range(100):
        r = client.send(f"/mediation/imports/{job_id}/chunk", headers={"HX-Request": "true",
                                                                        "HX-Target": "import-progress"})
        assert r.status_code == 200
        if "导入完成" in text(r):
            return r
    raise AssertionError("the import did not finish")


def test_a_good_workbook_imports_every_case_in_chunks_keeping_numbers(app, login, monkeypatch):
    monkeypatch.setattr(mediation_import, "CHUNK", 2)
    rows = [case_row(f"（2026）昆调字第{n}号") for n in (7, 3, 12)]
    rows.append(case_row("（2025）昆调字第40号", **{"受理日期": "2025-12-01", "结果": None, "结案日期": None}))
    parties = sum((sides(r["案号"], "赵大海", "鹿城物业有限公司") for r in rows), [])
    c = login("contractor_x")
    r = upload(c, workbook(rows, parties))
    assert r.status_code == 303
    job = db.session.scalars(select(CaseImport)).one()
    assert (job.total, job.done, job.status) == (4, 0, "checked")
    assert db.session.scalar(select(MediationCase.id)) is None  # checked only, nothing imported yet
    page = text(c.get(r.headers["Location"]))
    assert "有效案件 4 件" in page and "导入 4 件有效案件" in page
    last = run_all(c, job.id)
    assert 'hx-trigger="load' not in text(last)
    cases = {x.number: x for x in db.session.scalars(select(MediationCase))}
    assert set(cases) == {"（2026）昆调字第7号", "（2026）昆调字第3号", "（2026）昆调字第12号", "（2025）昆调字第40号"}
    seven = cases["（2026）昆调字第7号"]
    assert (seven.status, seven.outcome, seven.agreement.kind, seven.concluded_on) == (
        "succeeded", "succeeded", "written", date(2026, 3, 12))
    assert seven.facts == "漏水 & <损坏>" and str(seven.amount) == "3000.50"
    assert [p.name for p in seven.respondents] == ["钱小红", "鹿城物业有限公司"]
    assert seven.applicants[0].contact_ok and seven.contract_id is None
    assert cases["（2025）昆调字第40号"].status == "registered"
    # The area unit sees them; new numbers continue after the highest used in each year.
    assert "（2026）昆调字第12号" in text(login("district_a").get("/mediation/"))
    assert make_case("contractor_x").number == "（2026）昆调字第13号"
    assert make_case("contractor_x", received_on=date(2025, 12, 30)).number == "（2025）昆调字第41号"
    assert c.send(f"/mediation/imports/{job.id}/chunk").status_code == 409


def test_bad_rows_are_listed_with_their_reasons_and_only_good_cases_import(app, login):
    make_case("contractor_x")  # takes （2026）昆调字第1号
    rows = [case_row("（2026）昆调字第20号"),
            case_row("（2026）昆调字第1号"),                                  # already used
            case_row("（2026）昆调字第20号"),                                 # twice in the file
            case_row("2026-21"),                                            # not a case number
            case_row("（2025）昆调字第22号"),                                 # year differs from intake
            case_row("（2026）昆调字第23号", **{"纠纷类型": "吵架"}),          # not in the code list
            case_row("（2026）昆调字第24号", **{"发生地": "北京市"}),
            case_row("（2026）昆调字第25号", **{"受理日期": None}),
            case_row("（2026）昆调字第26号"),                                  # its party row is bad
            case_row("（2026）昆调字第27号"),                                  # no respondent
            case_row("（2026）昆调字第28号", **{"结案日期": "2026-02-01"})]   # concluded before received
    parties = (sides("（2026）昆调字第20号") + sides("（2026）昆调字第26号")[1:]
               + [{"案号": "（2026）昆调字第26号", "身份": "申请人", "姓名或名称": "赵大海", "证件号码": "150203199001010011"}]
               + sides("（2026）昆调字第27号")[:1] + sides("（2099）昆调字第1号"))
    c = login("contractor_x")
    r = upload(c, workbook(rows, parties))
    assert r.status_code == 303
    job = db.session.scalars(select(CaseImport)).one()
    assert job.total == 1
    page = text(c.get(r.headers["Location"]))
    for reason in ("案号已存在", "案号在文件中重复", "案号格式应为", "案号年度与受理日期年度不一致", "「吵架」不在代码表中",
                   "发生地「北京市」不是包头市的旗县区", "缺少受理日期", "身份证号", "整件案件未导入",
                   "每件案件须至少有一名申请人和一名被申请人", "结案日期不能早于受理日期", "案号不在「案件」表的有效案件中"):
        assert reason in page, reason
    run_all(c, job.id)
    assert {x.number for x in db.session.scalars(select(MediationCase))} == {"（2026）昆调字第1号", "（2026）昆调字第20号"}


def test_a_file_that_is_not_a_workbook_imports_nothing(app, login):
    c = login("contractor_x")
    before = row_counts()
    for data, name in ((b"%PDF-1.4 not a workbook", "cases.xlsx"), (b"", "empty.xlsx"),
                       (factories.PDF, "scan.pdf")):
        r = upload(c, data, name)
        assert r.status_code == 422
        assert field_error(text(r), "workbook")
    wb = Workbook()
    wb.active.title = "别的"
    out = io.BytesIO()
    wb.save(out)
    r = upload(c, out.getvalue())
    assert r.status_code == 422 and "须包含「案件」和「当事人」" in field_error(text(r), "workbook")[0]
    assert row_counts() == before


def test_the_template_is_a_workbook_that_imports_cleanly(app, login):
    c = login("contractor_x")
    r = c.get("/mediation/imports/template")
    wb = load_workbook(io.BytesIO(r.data))
    assert wb.sheetnames == ["案件", "当事人", "说明"]
    r = upload(c, r.data)
    job = db.session.scalars(select(CaseImport)).one()
    assert job.total == 1 and job.rejected == "[]"


def test_only_the_organisations_admin_imports(app, login):
    c = login("contractor_x")
    upload(c, workbook([case_row("（2026）昆调字第5号")], sides("（2026）昆调字第5号")))
    job = db.session.scalars(select(CaseImport)).one()
    assert login("contractor_y").get(f"/mediation/imports/{job.id}").status_code == 404
    assert login("worker_x").get(f"/mediation/imports/{job.id}").status_code == 403
    assert re.search("导入 1 件有效案件", text(c.get(f"/mediation/imports/{job.id}")))
