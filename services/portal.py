"""What the transparency portal publishes, decided in one place for the pages and the OCDS feed alike.

Published: plans once published; every procurement from its intention (its ocid is minted then);
the notice, award and contract steps once their notices appeared; for a published contract its
items, milestones, amendments, payments, concluded acceptances and completed evaluations. Parties
are organisations and units only. Aggregate outcome statistics go out with small numbers suppressed
(services/suppression.py); every suppression and every field kept back is listed in the register.
"""
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, extract, func, or_, select
from sqlalchemy.orm import contains_eager

from extensions import db
from models import (Acceptance, AssistanceGroup, Contract, Contractor, Evaluation, Handover, MediationCase,
                    PlanItem, Procurement, PurchasePlan, Subject, Unit)
from models.evaluation import GRADES, SIDES, VETOES
from models.mediation import code_table
from models.mediation_codes import OUTCOMES
from models.purchasing_codes import PUBLICATION_KINDS  # noqa: F401  (re-exported for the feed)
from models.rehabilitation import COMMUNITY_EXITS
from models import clock
from services.suppression import REASONS, suppress

OUTCOME_LABELS = {"succeeded": "调解成功", "failed": "调解不成", "withdrawn": "撤回", "refused": "拒绝调解"}
EXIT_GROUPS = {"prison": "刑满释放人员", "community": "社区矫正期满人员"}

# Fields of published records that never reach the portal or the feed, and why.
WITHHELD_FIELDS = [
    ("调解案件当事人的姓名、身份证号、电话、住址和案情", "个人信息，依法不公开；只公开按类别和结果汇总、经小数抑制的统计数字"),
    ("安置帮教对象的全部个人信息（姓名、身份证号、电话、住址、犯罪和服刑情况、心理和风险评估）",
     "个人信息，其中犯罪记录和心理评估为敏感个人信息；只公开经小数抑制的人数"),
    ("承接主体工作人员的身份证号和电话", "个人信息；机构名称、统一社会信用代码和法定代表人属于登记公开信息"),
    ("承接主体的联系人和联系电话", "用于工作联系，不属于公开事项"),
    ("未成交供应商的报价、评审得分和响应文件", "涉及供应商商业信息；公开成交结果和响应家数"),
    ("付款凭证号", "内部财务凭证；公开付款日期和金额"),
    ("验收中的服务对象意见原文、问题清单和付款建议", "可能涉及具体案件和个人；公开逐项验收结果、结论和验收小组"),
    ("评价抽样的案件和对象、回访记录", "含个人信息；只公开评价得分和等级"),
    ("公众意见的内容和联系方式", "只由收到意见的单位办理；联系方式为个人信息"),
    ("纪检、检查中涉及个人的内容", "个人信息；合同的检查和追回款项按规定另行公开"),
]


def grade_label(grade):
    return GRADES.get(grade, grade or "")


# ---- published records


def award_publication(p):
    return next((pub for pub in p.publications if pub.kind == "award"), None)


def published_contracts(p):
    return [c for c in p.contracts if c.published_on is not None]


def published_acceptances(contract):
    return sorted((a for a in contract.acceptances if a.status == "concluded"), key=lambda a: (a.concluded_on, a.id))


def published_evaluations(contract):
    """Completed (final) evaluations of a published contract: period, side scores, score, grade, vetoes."""
    if contract.published_on is None:
        return []
    return sorted((e for e in contract.evaluations if e.state == "completed"), key=lambda e: (e.period_start, e.id))


def _like(column, q):
    return column.contains(q, autoescape=True)


PAGE_SIZE = 20  # rows of a section paged on its own (keyset); the index shows the newest half of that of each

# The sections of the index, in their order on the page: (key, heading).
SECTIONS = [("plans", "年度购买计划"), ("procurements", "采购意向、公告和结果"), ("contracts", "合同公告"),
            ("acceptances", "履约验收结果"), ("evaluations", "绩效评价结果")]


def _section_queries(q, unit_id, year):
    """{section: (select, ordering date-or-year column, id column)}: the published rows, filtered."""

    def scoped(query, model, year_column):
        if unit_id:
            query = query.where(model.unit_id == unit_id)
        if year:
            query = query.where(year_column == year)
        return query

    # Each row comes with its contractor (and contract) in the same statement; units are few and read
    # once beforehand (search() does), so `row.unit` is found in the session without a statement.
    plans = scoped(select(PurchasePlan).where(PurchasePlan.status == "published"), PurchasePlan, PurchasePlan.year)
    procurements = scoped(select(Procurement), Procurement, Procurement.year)
    contracts = scoped(select(Contract).join(Contractor, Contractor.id == Contract.contractor_id)
                       .where(Contract.published_on.is_not(None)).options(contains_eager(Contract.contractor)),
                       Contract, Contract.year)

    def of_contract(model, relation):
        return (select(model).join(Contract, Contract.id == model.contract_id)
                .join(Contractor, Contractor.id == Contract.contractor_id)
                .where(Contract.published_on.is_not(None))
                .options(contains_eager(relation).contains_eager(Contract.contractor)))

    acceptances = scoped(of_contract(Acceptance, Acceptance.contract).where(Acceptance.status == "concluded"),
                         Contract, extract("year", Acceptance.concluded_on))
    evaluations = scoped(of_contract(Evaluation, Evaluation.contract).where(Evaluation.state == "completed"),
                         Contract, extract("year", Evaluation.period_end))
    if q:
        # A plan is found by its unit or by what its items buy (content, standard, targets); a procurement
        # also by the plan items it buys.
        items = select(PlanItem.plan_id, PlanItem.procurement_id).where(or_(
            _like(PlanItem.content, q), _like(PlanItem.service_standard, q), _like(PlanItem.target_requirements, q)))
        plans = plans.join(Unit, Unit.id == PurchasePlan.unit_id).where(or_(
            _like(Unit.name, q), PurchasePlan.id.in_(items.with_only_columns(PlanItem.plan_id))))
        procurements = procurements.where(or_(
            _like(Procurement.title, q), _like(Procurement.ocid, q), _like(Procurement.requirement_summary, q),
            Procurement.id.in_(items.with_only_columns(PlanItem.procurement_id)
                               .where(PlanItem.procurement_id.is_not(None)))))
        by_contract = or_(_like(Contract.number, q), _like(Contract.title, q), _like(Contractor.name, q))
        contracts = contracts.where(by_contract)
        acceptances = acceptances.where(by_contract)
        evaluations = evaluations.where(by_contract)
    return {"plans": (plans, PurchasePlan.year, PurchasePlan.id),
            "procurements": (procurements, Procurement.intention_published_on, Procurement.id),
            "contracts": (contracts, Contract.published_on, Contract.id),
            "acceptances": (acceptances, Acceptance.concluded_on, Acceptance.id),
            "evaluations": (evaluations, Evaluation.period_end, Evaluation.id)}


def units():
    """Every unit, by code (a few dozen at most, even for a province)."""
    return db.session.scalars(select(Unit).order_by(Unit.code)).all()


def _cursor(key, row_id):
    """The key of the last row shown, for the link to the rows after it: `2026-03-31.123` (plans: `2026.123`)."""
    return f"{key.isoformat() if isinstance(key, date) else key}.{row_id}"


def _parse_cursor(value, section):
    """(ordering value, id) from a cursor, or None when it is not one (the first page is shown)."""
    try:
        key, row_id = (value or "").rsplit(".", 1)
        return (int(key) if section == "plans" else date.fromisoformat(key)), int(row_id)
    except ValueError:
        return None


def search(q=None, unit_id=None, year=None, section=None, before=None, limit=None):
    """Published plans, procurements, contracts, acceptance and evaluation results, filtered, newest first.

    Also returns `units`, all of them. Each section holds at most `limit` rows (half a page on the
    index, a page with `section`); `more[section]` is the cursor of the rows after them, or None.
    With `section`, only that section is read, from the rows after the cursor `before` (keyset: an
    index range, however many rows went before). Rows come with their contractor in the same
    statement and their unit from the session, so the statements do not grow with the rows shown.
    """
    q = (q or "").strip()
    limit = limit or (PAGE_SIZE if section else max(PAGE_SIZE // 2, 1))
    queries = _section_queries(q, unit_id, year)
    out = {key: [] for key, _ in SECTIONS}
    out["units"] = units()  # held in the session while the page renders: the rows' units come from there
    more = {}
    for key, (query, ordering, row_id) in queries.items():
        if section and key != section:
            continue
        after = _parse_cursor(before, key) if section else None
        if after is not None:
            query = query.where(or_(ordering < after[0], and_(ordering == after[0], row_id < after[1])))
        rows = db.session.scalars(query.order_by(ordering.desc(), row_id.desc()).limit(limit + 1)).unique().all()
        out[key] = rows[:limit]
        last = rows[limit - 1] if len(rows) > limit else None
        more[key] = _cursor(getattr(last, ordering.key), last.id) if last is not None else None
    out["more"] = more
    return out


def feed_years():
    return sorted(set(db.session.scalars(select(Procurement.year).distinct())), reverse=True)


def feed_units(year):
    return db.session.scalars(select(Unit).where(Unit.id.in_(
        select(Procurement.unit_id).where(Procurement.year == year))).order_by(Unit.code)).all()


# ---- aggregate outcome statistics


@dataclass
class Table:
    key: str
    title: str
    scope: str  # the unit's name, or 全市
    year: int
    row_head: str
    rows: list  # row labels
    cols: list  # column labels
    data: object  # a services.suppression.Suppressed
    unit_id: int | None = None  # None: the whole city

    def withheld(self):
        """(row label, column label, shown, reason) of each hidden entry, for the register."""
        out = []
        for r, c, cell in self.data.hidden_entries():
            out.append((self.rows[r] if r is not None else "合计", self.cols[c] if c is not None else "合计",
                        cell.shown, REASONS[cell.mark]))
        return out


def _mediation_counts():
    """{(area unit id, year ended, category, outcome): cases}, from the dashboards' maintained summary
    (services/dashboard_summary.py, exact once its marked buckets are refreshed) rather than a grouped
    scan of the whole case table on every request (4 s of CPU at half a million cases, against 0.1 s)."""
    from models.dashboard import MediationSummary as S
    from services import dashboard_summary

    dashboard_summary.refresh(db.session)
    year = extract("year", S.month)
    rows = db.session.execute(
        select(S.area_unit_id, year, S.category, func.sum(S.written + S.oral), func.sum(S.failed),
               func.sum(S.withdrawn), func.sum(S.refused))
        .group_by(S.area_unit_id, year, S.category)).all()
    return {(u, int(y), cat, outcome): int(n) for u, y, cat, *counts in rows
            for outcome, n in zip(OUTCOMES, counts) if n}


def _subject_rows():
    """(owning unit id, exit group, first day, last day) of each subject's assistance; no personal data."""
    rows = db.session.execute(
        select(Subject.unit_id, Subject.exit_type, AssistanceGroup.formed_on, Handover.report_date, Subject.ended_on)
        .join(AssistanceGroup, AssistanceGroup.subject_id == Subject.id)
        .join(Handover, Handover.subject_id == Subject.id)
        .where(Handover.report_date.is_not(None))).all()
    return [(u, "community" if exit_type in COMMUNITY_EXITS else "prison", max(formed, reported), ended)
            for u, exit_type, formed, reported, ended in rows]


def _served(subject_rows, year):
    """Subjects under assistance at some time of the year (as services/rehabilitation_figures counts)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    return Counter((u, group) for u, group, first, ended in subject_rows
                   if first <= end and (ended is None or ended >= start))


class Statistics:
    """Every published aggregate table, built from two grouped reads."""

    def __init__(self):
        self.units = db.session.scalars(select(Unit).order_by(Unit.code)).all()
        self.mediation = _mediation_counts()
        self.subjects = _subject_rows()
        self.categories = code_table("category")

    def years(self):
        years = {y for _, y, _, _ in self.mediation}
        for _, _, first, ended in self.subjects:
            years.update(range(first.year, (ended or clock.today()).year + 1))
        return sorted((y for y in years if y <= clock.today().year), reverse=True)

    def tables(self, year, unit=None):
        scope = unit.name if unit is not None else "全市"
        uid = unit.id if unit is not None else None
        unit_ids = [unit.id] if unit is not None else [u.id for u in self.units]
        by_cat = defaultdict(int)
        for (u, y, cat, out), n in self.mediation.items():
            if y == year and u in unit_ids:
                by_cat[cat, out] += n
        cats = list(self.categories)
        cats += sorted({c for c, _ in by_cat if c not in self.categories})
        tables = [Table("mediation_category", "人民调解案件（按纠纷类别和结果）", scope, year, "纠纷类别",
                        [self.categories.get(c, c) for c in cats], [OUTCOME_LABELS[o] for o in OUTCOMES],
                        suppress([[by_cat[c, o] for o in OUTCOMES] for c in cats]), uid)]
        served = _served(self.subjects, year)
        if unit is None:
            by_unit = defaultdict(int)
            for (u, y, _, out), n in self.mediation.items():
                if y == year:
                    by_unit[u, out] += n
            tables.append(Table("mediation_unit", "人民调解案件（按地区和结果）", scope, year, "地区",
                                [u.area_name for u in self.units], [OUTCOME_LABELS[o] for o in OUTCOMES],
                                suppress([[by_unit[u.id, o] for o in OUTCOMES] for u in self.units]), uid))
            tables.append(Table("subjects_unit", "安置帮教服务对象（按地区和类别）", scope, year, "地区",
                                [u.area_name for u in self.units], list(EXIT_GROUPS.values()),
                                suppress([[served[u.id, g] for g in EXIT_GROUPS] for u in self.units]), uid))
        else:
            tables.append(Table("subjects_unit", "安置帮教服务对象（按类别）", scope, year, "地区",
                                [unit.area_name], list(EXIT_GROUPS.values()),
                                suppress([[served[unit.id, g] for g in EXIT_GROUPS]]), uid))
        return tables

    def register(self):
        """Every hidden entry of every published table: the city's and each unit's, every year."""
        entries = []
        for year in self.years():
            for unit in [None] + list(self.units):
                for t in self.tables(year, unit):
                    entries += [(t, *w) for w in t.withheld()]
        return entries
