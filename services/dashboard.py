"""Dashboards for a unit (its staff and finance) and for the city: one function per panel.

Each panel returns its numbers as tables (title, headers, rows) — the same tables the page shows beside
the charts and the Excel export writes — and its charts as lists of (label, value). Mediation figures
come from the maintained summary (services.dashboard_summary); the rest reads small tables (contracts,
plans, alerts, findings) or indexed counts.
"""
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from flask import abort
from sqlalchemy import func, select

from extensions import db
from models import (Alert, Contract, Contractor, DutyShift, Instalment, IntegrityFinding, Milestone, Payment,
                    PurchasePlan, Subject, Unit)
from models.contract import contract_state, money_overview
from models.purchasing import money
from models.integrity import RULES
from models.mediation import code_table
from models.purchasing_codes import CONTRACT_STATUSES
from models.rehabilitation import ALERT_KINDS, COMMUNITY_EXITS, STATUSES as SUBJECT_STATUSES
from models import clock
from services import cells, dashboard_summary, settings
from services.charts import (OVERVIEW_ROWS, columns, hbar, shortened, show, table,  # noqa: F401
                            table_html)
from models.risk import LEVELS

PANELS = {
    "money": "资金",
    "mediation": "人民调解案件",
    "subjects": "安置帮教对象",
    "contracts": "合同",
    "staffing": "值班人员配备",
    "integrity": "待认定的数据问题",
    "feedback": "公众反馈",
}
ROLES = ("city", "district", "finance")


class BadFilter(Exception):
    """A period that cannot be read: the page answers 422 with the message."""


@dataclass
class Filters:
    unit: Unit | None  # None: every unit (city only)
    contractor: Contractor | None
    start: date  # first day of the first month
    end: date  # last day of the last month
    units: list = field(default_factory=list)  # the unit choices
    contractors: list = field(default_factory=list)  # the contractor choices
    memo: dict = field(default_factory=dict, repr=False, compare=False)  # loads shared by a request's panels

    @property
    def start_month(self):
        return self.start

    @property
    def end_month(self):
        return self.end.replace(day=1)

    def args(self):
        """The query string that reproduces these filters (for panels, exports and links)."""
        args = {"from": f"{self.start:%Y-%m}", "to": f"{self.end:%Y-%m}"}
        if self.unit is not None:
            args["unit"] = self.unit.id
        if self.contractor is not None:
            args["contractor"] = self.contractor.id
        return args

    @property
    def label(self):
        who = self.unit.name if self.unit else "全市"
        if self.contractor:
            who += f" · {self.contractor.name}"
        return f"{who} · {self.start:%Y年%m月}至{self.end:%Y年%m月}"


def _month(value, default):
    if not value:
        return default
    try:
        year, month = (int(part) for part in value.split("-")[:2])
        return date(year, month, 1)
    except (TypeError, ValueError):
        raise BadFilter("期间格式应为“年-月”，例如 2026-03")


def parse_filters(user, args):
    """The filters of a request, within the user's scope: a unit or contractor outside it is 404."""
    today = clock.today()
    if user.role == "city":
        units = db.session.scalars(select(Unit).order_by(Unit.code)).all()
    else:
        units = [user.unit]
    unit = None if user.role == "city" else user.unit
    unit_id = args.get("unit", type=int) if args.get("unit") else None
    if args.get("unit") and unit_id is None:
        abort(404)
    if unit_id is not None:
        unit = next((u for u in units if u.id == unit_id), None)
        if unit is None:
            abort(404)
    # The contractors of the user's scope (for the city: of every unit, whichever unit is chosen, so that
    # changing the unit never turns a chosen contractor into a 404).
    contract_scope = select(Contract.contractor_id)
    if user.role != "city":
        contract_scope = contract_scope.where(Contract.unit_id == user.unit_id)
    contractors = db.session.scalars(select(Contractor).where(Contractor.id.in_(contract_scope))
                                     .order_by(Contractor.name)).all()
    contractor = None
    if args.get("contractor"):
        contractor_id = args.get("contractor", type=int)
        contractor = next((c for c in contractors if c.id == contractor_id), None)
        if contractor is None:
            abort(404)
    start = _month(args.get("from"), date(today.year, 1, 1))
    last = _month(args.get("to"), today.replace(day=1))
    if last < start:
        raise BadFilter("期间的结束月份不能早于开始月份")
    if (last.year - start.year) * 12 + last.month - start.month >= 120:
        raise BadFilter("期间最长 10 年")
    end = dashboard_summary.next_month(last) - timedelta(days=1)
    return Filters(unit=unit, contractor=contractor, start=start, end=end, units=units, contractors=contractors)


# ---------------------------------------------------------------- shared pieces


pct = cells.percent  # a rate in percentage points as a typed cell (66.7 -> 0.667 shown 66.7%)


@dataclass
class ContractRow:
    """What the panels read of a contract: light rows instead of ORM objects (a city has hundreds)."""
    id: int
    unit_id: int
    contractor_id: int
    number: str
    period_start: date
    period_end: date
    amount: Decimal
    status: str
    unit: Unit
    contractor: Contractor

    @property
    def state(self):
        return contract_state(self.status, self.period_start)

    @property
    def state_label(self):
        return CONTRACT_STATUSES[self.state]


def _contracts(f):
    """The contracts of the scope whose service period overlaps the period (loaded once per request). Their
    units and contractors are the filter choices already loaded (a contractor outside them is read once)."""
    if "contracts" in f.memo:
        return f.memo["contracts"]
    c = Contract
    query = (select(c.id, c.unit_id, c.contractor_id, c.number, c.period_start, c.period_end, c.amount, c.status)
             .where(c.period_start <= f.end, c.period_end >= f.start))
    if f.unit is not None:
        query = query.where(c.unit_id == f.unit.id)
    if f.contractor is not None:
        query = query.where(c.contractor_id == f.contractor.id)
    rows = db.session.execute(query.order_by(c.unit_id, c.year, c.seq)).all()
    units = {u.id: u for u in f.units}
    contractors = {x.id: x for x in f.contractors}
    for unit_id in {r.unit_id for r in rows} - set(units):
        units[unit_id] = db.session.get(Unit, unit_id)
    for contractor_id in {r.contractor_id for r in rows} - set(contractors):
        contractors[contractor_id] = db.session.get(Contractor, contractor_id)
    f.memo["contracts"] = [ContractRow(*r, unit=units[r.unit_id], contractor=contractors[r.contractor_id])
                           for r in rows]
    return f.memo["contracts"]


def _money(contracts):
    """{contract id: Contract.money_overview figures} for many contracts: two light queries instead of loading
    each contract's instalments, milestones and payments."""
    ids = [c.id for c in contracts] or [0]
    paid = defaultdict(Decimal)  # instalment id -> paid
    paid_total = defaultdict(Decimal)  # contract id -> paid
    for contract_id, instalment_id, amount in db.session.execute(
            select(Payment.contract_id, Payment.instalment_id, Payment.amount).where(Payment.contract_id.in_(ids))):
        paid[instalment_id] += amount
        paid_total[contract_id] += amount
    instalments = defaultdict(list)
    for contract_id, instalment_id, amount, is_final, status, status_on in db.session.execute(
            select(Instalment.contract_id, Instalment.id, Instalment.amount, Milestone.is_final, Milestone.status,
                   Milestone.status_on).join(Milestone, Milestone.id == Instalment.milestone_id)
            .where(Instalment.contract_id.in_(ids))):
        instalments[contract_id].append((amount, money(paid[instalment_id]), is_final, status, status_on))
    today = clock.today()
    return {c.id: money_overview(c.amount, c.status, money(paid_total[c.id]), instalments[c.id], today)
            for c in contracts}


# ---------------------------------------------------------------- panels


def money_panel(f):
    contracts = _contracts(f)
    years = range(f.start.year, f.end.year + 1)
    budget_query = select(func.coalesce(func.sum(PurchasePlan.budget_amount), 0)).where(
        PurchasePlan.year.in_(list(years)), PurchasePlan.status.in_(("approved", "published")))
    if f.unit is not None:
        budget_query = budget_query.where(PurchasePlan.unit_id == f.unit.id)
    budget = Decimal(db.session.scalar(budget_query) or 0).quantize(Decimal("0.01"))
    keys = ("amount", "paid", "held", "overdue", "remaining")
    totals = dict.fromkeys(keys, Decimal("0.00"))
    rows = []
    overview = _money(contracts)
    for c in contracts:
        m = overview[c.id]
        for k in keys:
            totals[k] += m[k]
        rows.append([c.number, c.unit.short_name, c.contractor.name, c.state_label] + [m[k] for k in keys])
    years_label = f"{f.start.year}年" if f.start.year == f.end.year else f"{f.start.year}—{f.end.year}年"
    summary = [(f"预算（{years_label}购买计划）", budget), ("合同金额", totals["amount"]), ("已支付", totals["paid"]),
               ("暂扣（有条件验收、整改中）", totals["held"]), ("逾期未付", totals["overdue"]),
               ("合同未支付余额", totals["remaining"])]
    return {
        "chart": [(label, value) for label, value in summary],
        "tables": [table("资金概况（元）", ["项目", "金额（元）"], [[label, value] for label, value in summary]),
                   table("各合同资金（元）", ["合同编号", "单位", "承接主体", "状态", "合同金额", "已支付", "暂扣",
                                          "逾期未付", "未支付余额"],
                         rows + ([["合计", "", "", ""] + [totals[k] for k in keys]] if rows else []), total=True)],
        "note": "预算按期间所在年度的已批准购买计划；合同为服务期与所选期间有交集的合同。"
                + ("筛选承接主体时预算仍为单位全部预算。" if f.contractor else ""),
    }


FIGURE_ROWS = [("received", "受理", ""), ("ended", "结案（含撤回、拒绝）", ""), ("concluded", "调结（成功 + 不成）", ""),
               ("succeeded", "调解成功", ""), ("written", "其中书面协议", ""), ("oral", "其中口头协议", ""),
               ("failed", "调解不成", ""), ("withdrawn", "撤回", ""), ("refused", "当事人拒绝调解", ""),
               ("success_rate", "调解成功率", "%"), ("average_days", "平均办结天数", ""),
               ("follow_up_rate", "回访率", "%"), ("fulfilment_rate", "履行率", "%"),
               ("partly_rate", "部分履行率", "%"), ("in_time_rate", "按期办结率", "%")]


def _show(value, suffix=""):
    """Counts stay integers, rates percentages, averages numbers with two places (cells.Typed, for Excel)."""
    if value is None or isinstance(value, int):
        return "—" if value is None else value
    return cells.percent(value) if suffix == "%" else cells.fixed(value)


def mediation_panel(f):
    data = dashboard_summary.read(db.session, f.start_month, f.end_month,
                                  unit_id=f.unit.id if f.unit else None,
                                  contractor_id=f.contractor.id if f.contractor else None)
    total = data["total"]
    labels = code_table("category")
    months = [(f"{m:%Y-%m}", fig) for m, fig in data["by_month"]]
    categories = [(labels.get(k, k), fig) for k, fig in data["by_category"]]
    return {
        "total": total,
        "months": [(label, fig["received"], fig["ended"]) for label, fig in months],
        "outcomes": [(label, n) for _, label, n in data["by_outcome"]],
        "categories": [(label, fig["received"]) for label, fig in categories],
        "tables": [
            table("主要指标", ["指标", "数值"], [[label, _show(total[k], s)] for k, label, s in FIGURE_ROWS]),
            table("按月（受理按受理日期，结案按结案日期）", ["月份", "受理", "结案", "调解成功", "调解不成", "调解成功率"],
                  [[label, fig["received"], fig["ended"], fig["succeeded"], fig["failed"], pct(fig["success_rate"])]
                   for label, fig in months]),
            table("按纠纷类型", ["纠纷类型", "受理", "结案", "调解成功", "调解不成", "调解成功率", "按期办结率"],
                  [[label, fig["received"], fig["ended"], fig["succeeded"], fig["failed"], pct(fig["success_rate"]),
                    pct(fig["in_time_rate"])] for label, fig in categories]),
            table("按结案结果", ["结果", "件数"], [[label, n] for _, label, n in data["by_outcome"]]),
        ],
        "note": "调解成功率 = 调解成功 ÷（调解成功 + 调解不成）；卷宗完整率见季度评估。",
    }


def subjects_panel(f):
    overdue = select(func.count()).select_from(Subject).where(
        Subject.status == "pre_release", Subject.exit_type.not_in(COMMUNITY_EXITS),
        Subject.release_date < clock.today() - timedelta(days=settings.get("rehab.report_days")))
    alerts = select(Alert.kind, func.count()).where(Alert.status == "open").group_by(Alert.kind)
    served = None
    if f.unit is not None:
        overdue = overdue.where(Subject.unit_id == f.unit.id)
        alerts = alerts.where(Alert.unit_id == f.unit.id)
    if f.contractor is not None:
        served = select(Contract.id).where(Contract.contractor_id == f.contractor.id)
        overdue = overdue.where(Subject.contract_id.in_(served))
        alerts = alerts.join(Subject, Subject.id == Alert.subject_id).where(Subject.contract_id.in_(served))
    # status × risk from the maintained counts (exact; a GROUP BY over the subjects costs ~200 ms at 100,000)
    counts = dashboard_summary.read_subjects(db.session, f.unit.id if f.unit else None, served)
    risks = {**LEVELS, None: "未评估"}
    by_status = {k: 0 for k in SUBJECT_STATUSES}
    grid = {k: {r: 0 for r in risks} for k in SUBJECT_STATUSES}
    for status, risk, n in counts:
        by_status[status] = by_status.get(status, 0) + n
        grid.setdefault(status, {r: 0 for r in risks})[risk if risk in risks else None] += n
    by_risk = {r: sum(grid[s][r] for s in grid if s != "ended") for r in risks}
    alert_counts = dict(db.session.execute(alerts).all())
    overdue_n = db.session.scalar(overdue)
    return {
        "status_chart": [(SUBJECT_STATUSES[k], by_status[k]) for k in SUBJECT_STATUSES],
        "risk_chart": [(f"风险{risks[r]}" if r else "未评估", by_risk[r]) for r in risks],
        "overdue": overdue_n,
        "open_alerts": sum(alert_counts.values()),
        "tables": [
            table("按状态和风险等级（人）", ["状态", "低", "中", "高", "未评估", "合计"],
                  [[SUBJECT_STATUSES[s]] + [grid[s][r] for r in risks] + [by_status[s]] for s in SUBJECT_STATUSES]),
            table("需要处理", ["事项", "人数或件数"],
                  [["逾期未报到", overdue_n]] + [[f"待处理预警：{ALERT_KINDS.get(k, k)}", alert_counts.get(k, 0)]
                                            for k in ALERT_KINDS]),
        ],
        "note": "当前状态（不随期间变化）；风险等级按在册对象（已解除的不计）。",
    }


def _latest_grades(contract_ids):
    """{contract_id: (grade, score, period_end)} of each contract's latest completed evaluation."""
    from models.evaluation import Evaluation

    latest = {}
    for contract_id, period_end, eid, grade, score in db.session.execute(
            select(Evaluation.contract_id, Evaluation.period_end, Evaluation.id, Evaluation.grade, Evaluation.score)
            .where(Evaluation.state == "completed", Evaluation.contract_id.in_(contract_ids or [0]))):
        if contract_id not in latest or (period_end, eid) > latest[contract_id][0]:
            latest[contract_id] = ((period_end, eid), grade, score)
    return {k: v[1:] for k, v in latest.items()}


def contracts_panel(f):
    from models.evaluation import GRADES

    contracts = _contracts(f)
    grades = _latest_grades([c.id for c in contracts])
    by_state = {k: 0 for k in CONTRACT_STATUSES}
    by_grade = {**{k: 0 for k in GRADES}, None: 0}
    for c in contracts:
        by_state[c.state] += 1
        by_grade[grades.get(c.id, (None,))[0]] += 1
    grade_labels = {**GRADES, None: "尚未评价"}

    def grade_of(c):
        if c.id not in grades:
            return "尚未评价"
        grade, score = grades[c.id]
        return f"{GRADES.get(grade, grade)}（{score}分）" if score is not None else GRADES.get(grade, grade)

    return {
        "chart": [(label, by_state[k]) for k, label in CONTRACT_STATUSES.items()],
        "grade_chart": [(grade_labels[k], n) for k, n in by_grade.items()],
        "tables": [
            table("按状态", ["状态", "合同数"], [[label, by_state[k]] for k, label in CONTRACT_STATUSES.items()]),
            table("按最近一次绩效评价等级", ["等级", "合同数"], [[grade_labels[k], n] for k, n in by_grade.items()]),
            table("合同", ["合同编号", "单位", "承接主体", "服务开始", "服务结束", "合同金额（元）", "状态", "最近评价"],
                  [[c.number, c.unit.short_name, c.contractor.name, c.period_start, c.period_end, c.amount,
                    c.state_label, grade_of(c)]
                   for c in contracts]),
        ],
        "note": "服务期与所选期间有交集的合同；等级取每份合同最近一次已完成的绩效评价。",
    }


def staffing_panel(f):
    """Working days of the period (up to today) on which each contract's staffing standard held.

    Contract.staffing's rule, for many contracts at once: a working day without shifts fails, so only the days
    with shifts are examined (staffing_of_day) and the others are counted."""
    from bisect import bisect_left, bisect_right
    from types import SimpleNamespace

    from models.contract import shift_staff, staffing_of_day
    from models.workdays import working_days_between

    last = min(f.end, clock.today())
    contracts = [c for c in _contracts(f) if c.status != "terminated" and c.period_start <= last]
    working = working_days_between(f.start, last) if f.start <= last else []
    working_set = set(working)
    in_period = (DutyShift.contract_id.in_([c.id for c in contracts] or [0]), DutyShift.day >= f.start,
                 DutyShift.day <= last)
    shifts = defaultdict(lambda: defaultdict(list))  # contract -> working day -> shifts
    seen = {}
    for shift_id, contract_id, day, start, end, member_id in db.session.execute(
            select(DutyShift.id, DutyShift.contract_id, DutyShift.day, DutyShift.start, DutyShift.end,
                   shift_staff.c.staff_member_id)
            .outerjoin(shift_staff, shift_staff.c.shift_id == DutyShift.id).where(*in_period)):
        if day not in working_set:
            continue
        if shift_id not in seen:
            seen[shift_id] = SimpleNamespace(day=day, start=start, end=end, staff=[])
            shifts[contract_id][day].append(seen[shift_id])
        if member_id is not None:
            seen[shift_id].staff.append(member_id)
    rows, chart = [], []
    for c in contracts:
        first, end = max(f.start, c.period_start), min(last, c.period_end)
        days = max(0, bisect_right(working, end) - bisect_left(working, first))
        ok = sum(1 for day, day_shifts in shifts[c.id].items()
                 if first <= day <= end and not staffing_of_day(day_shifts)[2])
        share = dashboard_summary.rate(ok, days)
        rows.append([c.number, c.contractor.name, days, ok, days - ok, pct(share)])
        chart.append((c.number, share if share is not None else Decimal(0)))
    return {
        "chart": chart,
        "lowest": sorted(chart, key=lambda bar: bar[1])[:OVERVIEW_ROWS],  # the overview's chart of many contracts
        "tables": [table("值班达标情况（按合同）", ["合同编号", "承接主体", "工作日", "达标天数", "未达标天数", "达标率"],
                         rows)],
        "note": "标准：每个工作日服务不少于 8 小时、每班不少于 2 人；统计到今天为止。",
    }


def integrity_panel(f):
    contracts = {c.id: c for c in _contracts(f)}
    findings = db.session.execute(
        select(IntegrityFinding.contract_id, IntegrityFinding.rule, func.count())
        .where(IntegrityFinding.status == "open", IntegrityFinding.contract_id.in_(list(contracts) or [0]))
        .group_by(IntegrityFinding.contract_id, IntegrityFinding.rule)).all()
    by_rule = {k: 0 for k in RULES}
    by_contract = {}
    for contract_id, rule, n in findings:
        by_rule[rule] = by_rule.get(rule, 0) + n
        by_contract[contract_id] = by_contract.get(contract_id, 0) + n
    return {
        "chart": [(RULES[k], n) for k, n in by_rule.items() if n],
        "open_findings": sum(by_rule.values()),
        "tables": [
            table("待认定的数据问题（按规则）", ["规则", "件数"], [[RULES[k], n] for k, n in by_rule.items()]),
            table("待认定的数据问题（按合同）", ["合同编号", "承接主体", "待认定件数"],
                  [[contracts[cid].number, contracts[cid].contractor.name, n]
                   for cid, n in sorted(by_contract.items())]),
        ],
        "note": "服务期与所选期间有交集的合同中，尚未认定的数据完整性问题。",
    }


def feedback_panel(f):
    """Public feedback: open items by how long they have waited, and per unit what came in and was answered."""
    from datetime import datetime, time as day_time

    from sqlalchemy import and_, case, or_

    from models.feedback import Feedback

    now = clock.now()
    start = datetime.combine(f.start, day_time.min)
    end = datetime.combine(f.end + timedelta(days=1), day_time.min)
    scope = []
    if f.unit is not None:
        scope.append(Feedback.unit_id == f.unit.id)
    if f.contractor is not None:
        scope.append(or_(Feedback.contractor_id == f.contractor.id, Feedback.contract_id.in_(
            select(Contract.id).where(Contract.contractor_id == f.contractor.id))))
    ages = ("7 天以内", "8～30 天", "超过 30 天")
    age = case((Feedback.received_at >= now - timedelta(days=7), 0),
               (Feedback.received_at >= now - timedelta(days=30), 1), else_=2)
    waiting = dict(db.session.execute(select(age, func.count()).where(Feedback.state == "open", *scope)
                                      .group_by(age)).all())
    per_unit = db.session.execute(
        select(Feedback.unit_id,
               func.sum(case((Feedback.state == "open", 1), else_=0)),
               func.sum(case((and_(Feedback.received_at >= start, Feedback.received_at < end), 1), else_=0)),
               func.sum(case((and_(Feedback.answered_at >= start, Feedback.answered_at < end), 1), else_=0)))
        .where(*scope).group_by(Feedback.unit_id)).all()
    names = {u.id: u.name for u in f.units}
    rows = sorted(([names.get(unit_id, ""), int(o or 0), int(r or 0), int(a or 0)]
                   for unit_id, o, r, a in per_unit), key=lambda row: (-row[1], row[0]))
    return {
        "chart": [(label, waiting.get(i, 0)) for i, label in enumerate(ages)],
        "open_feedback": sum(waiting.values()),
        "tables": [
            table("待答复的公众反馈（按已等待时间）", ["已等待", "件数"],
                  [[label, waiting.get(i, 0)] for i, label in enumerate(ages)]),
            table("公众反馈（按单位）", ["单位", "待答复", "期间内收到", "期间内答复"], rows),
        ],
        "note": "待答复件数为当前数；收到和答复按所选期间统计。",
    }


BUILDERS = {"money": money_panel, "mediation": mediation_panel, "subjects": subjects_panel,
            "contracts": contracts_panel, "staffing": staffing_panel, "integrity": integrity_panel,
            "feedback": feedback_panel}


def panel(name, filters):
    data = BUILDERS[name](filters)
    data.update(name=name, title=PANELS[name])
    return data


def workbook(panel_data, filters):
    """The panel's tables, one sheet each, as an .xlsx file (numbers stay numbers)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for n, t in enumerate(panel_data["tables"], 1):
        ws = wb.create_sheet("".join(ch for ch in f"{n} {t['title']}" if ch not in "\\/?*[]:")[:31])
        cells.append(ws, [f"{panel_data['title']} · {t['title']}"])
        cells.append(ws, [filters.label])
        cells.append(ws, t["headers"], bold=True)
        for row in t["rows"]:
            cells.append(ws, row)
        for col, _ in enumerate(t["headers"], 1):
            ws.column_dimensions[ws.cell(row=3, column=col).column_letter].width = 16
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
