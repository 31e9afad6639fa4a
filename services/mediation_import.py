"""Importing historical mediation cases from an Excel workbook (issue item 11).

check(): the whole file is read and checked first; every rejected row is listed with its reason, and
an unreadable file imports nothing. import_chunk(): the valid cases go in by chunks, each chunk one
transaction; imported cases keep their original numbers, and the organisation's counter moves past
the highest number used, so new intake continues after it.
"""
import io
import json
import zipfile
from datetime import date, timedelta
from decimal import Decimal

from marshmallow import ValidationError
from openpyxl import Workbook, load_workbook
from sqlalchemy import select, update

from extensions import db
from models import Unit
from models.mediation import CaseCounter, CaseImport, MediationCase, Party
from schemas.mediation_import import CASE_COLUMNS, NUMBER, OUTCOMES, PARTY_COLUMNS, CaseRow, PartyRow, messages
from models import clock
from services import cells, settings

CHUNK = 50
MAX_ROWS = 20000


class Unreadable(ValueError):
    pass


def template_workbook():
    """The documented template: the two sheets with their headers, an example, and a sheet of notes."""
    wb = Workbook()
    cases = wb.active
    cases.title = "案件"
    cells.append(cases, CASE_COLUMNS, bold=True)
    cells.append(cases, ["（2025）昆调字第15号", "2025-03-01", "人民法院委托移送", "包头市昆都仑区人民法院", "邻里纠纷", "昆都仑区",
                  "昆北街道", 3000, "楼上漏水损坏吊顶", "赔偿维修费", "调解成功（书面协议）", "2025-03-12",
                  "赔偿维修费 3000 元"])
    parties = wb.create_sheet("当事人")
    cells.append(parties, PARTY_COLUMNS, bold=True)
    cells.append(parties, ["（2025）昆调字第15号", "申请人", "自然人", "赵大海", "150203199001010010", "男", "汉族",
                    "1990-01-01", "职工", "包头市昆都仑区阿尔丁大街 5 号", "13900000001", "是"])
    cells.append(parties, ["（2025）昆调字第15号", "被申请人", "自然人", "钱小红", "", "女", "汉族", "", "", "", "", "否"])
    notes = wb.create_sheet("说明")
    for line in [
        "每件案件在「案件」表占一行，每名当事人在「当事人」表占一行，以案号关联；每方可有多名当事人。",
        "案号保持原编号，格式如（2025）昆调字第15号，年度须与受理日期一致；导入后新登记案件的编号接续该年度已用的最大号。",
        "案件来源、纠纷类型、身份、类型、性别填写系统中的中文名称；发生地填写旗县区名称或代码。",
        "结果可填：" + "、".join(OUTCOMES) + "；留空表示尚未结案。有结果的须填写结案日期。",
        "日期格式 2025-03-01。先检查整个文件并列出被拒绝的行及原因，确认后再导入有效的案件。",
    ]:
        cells.append(notes, [line])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _rows(sheet, columns):
    """(row number, dict) for each non-empty row, by the header row's column names."""
    rows = sheet.iter_rows(values_only=True)
    header = [str(c).strip() if c is not None else "" for c in next(rows, [])]
    missing = [c for c in columns if c not in header]
    if missing:
        raise Unreadable(f"「{sheet.title}」表缺少列：" + "、".join(missing))
    for n, values in enumerate(rows, start=2):
        if n > MAX_ROWS:
            raise Unreadable(f"「{sheet.title}」表超过 {MAX_ROWS} 行")
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        yield n, {h: v for h, v in zip(header, values) if h and v is not None and str(v).strip() != ""}


def check(data, user):
    """Read and check a whole workbook. Returns (valid cases as JSON-ready dicts, rejected [(sheet, row, reason)])."""
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise Unreadable("无法读取该文件：请上传按模板填写的 Excel 工作簿（.xlsx）") from e
    if "案件" not in wb.sheetnames or "当事人" not in wb.sheetnames:
        raise Unreadable("工作簿须包含「案件」和「当事人」两张表")
    today = clock.today()
    units = {}
    for unit in db.session.scalars(select(Unit)):
        units[unit.code] = units[unit.area_name] = units[unit.name] = unit.id
    rejected, cases, seen = [], {}, set()
    for n, raw in _rows(wb["案件"], CASE_COLUMNS):
        try:
            row = CaseRow().load(raw)
        except ValidationError as e:
            rejected.append(("案件", n, messages(e)))
            continue
        reason = None
        if row["number"] in seen:
            reason = "案号在文件中重复"
        elif db.session.scalar(select(MediationCase.id).where(MediationCase.number == row["number"])):
            reason = "案号已存在"
        elif row["received_on"] > today or (row["concluded_on"] and row["concluded_on"] > today):
            reason = "日期不能晚于今天"
        elif row["area"] not in units:
            reason = f"发生地「{row['area']}」不是包头市的旗县区"
        seen.add(row["number"])
        if reason:
            rejected.append(("案件", n, reason))
            continue
        row["row"], row["area_unit_id"], row["parties"] = n, units[row.pop("area")], []
        cases[row["number"]] = row
    for n, raw in _rows(wb["当事人"], PARTY_COLUMNS):
        try:
            party = PartyRow().load(raw)
        except ValidationError as e:
            rejected.append(("当事人", n, messages(e)))
            broken = cases.pop(str(raw.get("案号", "")).strip(), None)
            if broken is not None:
                rejected.append(("案件", broken["row"], f"当事人表第 {n} 行有误，整件案件未导入"))
            continue
        case = cases.get(party.pop("number"))
        if case is None:
            rejected.append(("当事人", n, "案号不在「案件」表的有效案件中"))
            continue
        party["contact_ok"] = party["contact_ok"] in ("是", "同意", "Y", "y", "1")
        case["parties"].append(party)
    valid = []
    for number, case in cases.items():
        sides = {p["side"] for p in case["parties"]}
        if sides != {"applicant", "respondent"}:
            rejected.append(("案件", case["row"], "每件案件须至少有一名申请人和一名被申请人"))
            continue
        valid.append(case)
    rejected.sort(key=lambda r: (r[0] != "案件", r[1]))
    return [_jsonable(c) for c in valid], rejected


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def start(user, filename, data):
    """Check the file and keep the result for the user to confirm; nothing is imported yet."""
    valid, rejected = check(data, user)
    job = CaseImport(contractor_id=user.contractor_id, user_id=user.id, filename=filename[:255],
                     rows=json.dumps(valid, ensure_ascii=False), rejected=json.dumps(rejected, ensure_ascii=False),
                     total=len(valid))
    db.session.add(job)
    return job


def _raise_counter(contractor_id, year, seq):
    """Move the counter past an imported number (locks the row like an intake does)."""
    table = CaseCounter.__table__
    current = db.session.execute(select(table.c.last).where(table.c.contractor_id == contractor_id,
                                                            table.c.year == year).with_for_update()).scalar()
    if current is None:
        db.session.add(CaseCounter(contractor_id=contractor_id, year=year, last=seq))
        db.session.flush()
    elif current < seq:
        db.session.execute(update(table).where(table.c.contractor_id == contractor_id, table.c.year == year)
                           .values(last=seq))


def import_chunk(job, user):
    """Import the next CHUNK valid cases in one transaction (the caller commits)."""
    if job.status == "finished":
        return job
    rows = json.loads(job.rows)[job.done: job.done + CHUNK]
    limit = settings.get("mediation.time_limit_days")
    for row in rows:
        received = date.fromisoformat(row["received_on"])
        year, seq = (int(x) for x in NUMBER.match(row["number"]).groups())
        _raise_counter(job.contractor_id, year, seq)
        outcome = row.get("outcome")
        concluded = date.fromisoformat(row["concluded_on"]) if row.get("concluded_on") else None
        case = MediationCase(
            contractor_id=job.contractor_id, contract_id=None, area_unit_id=row["area_unit_id"],
            township=row.get("township") or "", year=year, seq=seq, number=row["number"], source=row["source"],
            source_body=row.get("source_body"), category=row["category"],
            amount=Decimal(row["amount"]) if row.get("amount") else None, facts=row["facts"],
            requests=row.get("requests") or "", received_on=received, due_on=received + timedelta(days=limit),
            registered_by_id=user.id)
        case.import_outcome(outcome, concluded, row.get("terms") or "")
        case.parties = [Party(**{**p, "birth_date": date.fromisoformat(p["birth_date"]) if p.get("birth_date")
                                 else None}) for p in row["parties"]]
        db.session.add(case)
    job.done += len(rows)
    job.status = "finished" if job.done >= job.total else "importing"
    db.session.flush()
    return job
