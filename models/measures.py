"""Every contractable quantity as a measure, defined once and computed from the records (issue 6).

A measure is computed for a contract and a period [start, end]; it never is typed in. Mediation
measures come from models.mediation_figures, assistance measures from the subjects the contract
serves, and the rest from the contract's own records (deliverables, shifts, payments, staff).
"""
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Callable

from sqlalchemy import func, or_, select

from extensions import db
from models import mediation_figures


@dataclass(frozen=True)
class Measure:
    code: str
    label: str
    unit: str          # 件, %, 人, 次, 元 ...
    category: str      # mediation | assistance | both
    higher_better: bool
    compute: Callable  # (contract, start, end) -> Decimal | int | None
    records: Callable  # (contract, start, end) -> Drill: the records behind the number


@dataclass(frozen=True)
class Drill:
    """The records behind a measure, de-identified: no names, ID numbers, phones or addresses.

    Each row: `cells` (shown in `columns` order), `counted` (True/False where the measure is a share:
    whether the record counts above the line; None for plain counts) and `link` ((endpoint, args) of
    the record's own page, which checks its own permissions).
    """
    columns: tuple
    rows: list  # or CaseRows: anything with len() and slicing
    hits: int | None = None  # rows counted, when the list does not hold them all at once


def _pct(part, whole):
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# ---- mediation


def _cached(contract, key, make):
    cache = contract.__dict__.setdefault("_figures_cache", {})
    if key not in cache:
        cache[key] = make()
    return cache[key]


def _mediation_scope(contract):
    from models.mediation import MediationCase

    return select(MediationCase).where(MediationCase.contract_id == contract.id)


def _mediation(contract, start, end):
    """The figures alone, by one grouped query (the contract page needs no case loaded)."""
    return _cached(contract, ("mediation", start, end),
                   lambda: mediation_figures.summary(_mediation_scope(contract), start, end))


def _m(name):
    return lambda c, s, e: _mediation(c, s, e)[name]


class CaseRows:
    """The rows of a case drill-down, counted and read a page at a time by the database (a contract may have
    tens of thousands of cases behind a figure): supports len() and slicing like a list."""

    def __init__(self, contract, start, end, base, counted):
        self.args = (_mediation_scope(contract), start, end)
        self.base, self.counted = base, counted
        self._sizes = None

    def sizes(self):
        if self._sizes is None:
            names = [self.base] + ([self.counted] if self.counted else [])
            self._sizes = mediation_figures.set_sizes(*self.args, names)
        return self._sizes

    def __len__(self):
        return self.sizes()[self.base]

    def __getitem__(self, index):
        if isinstance(index, int):
            rows = self[index:index + 1]
            if not rows:
                raise IndexError(index)
            return rows[0]
        start, stop, step = index.indices(len(self))
        if step != 1:
            raise ValueError("case rows are read in pages")
        return [{"cells": (c.number, c.category_label, c.received_on, c.concluded_on,
                           c.outcome_label or c.status_label),
                 "counted": hit, "link": ("mediation.show", {"case_id": c.id})}
                for c, hit in mediation_figures.set_page(*self.args, self.base, start, max(stop - start, 0),
                                                         self.counted)]

    def __iter__(self):
        return iter(self[:])


def _case_drill(base, counted=None):
    """Drill-down of a mediation figure: the cases of set `base` (mediation_figures.case_sets), marked when
    also in `counted` (a subset of `base`)."""
    def records(contract, start, end):
        rows = CaseRows(contract, start, end, base, counted)
        return Drill(("案件编号", "纠纷类别", "受理日期", "结案日期", "状态"), rows,
                     hits=rows.sizes()[counted] if counted else None)

    return records


def _count_model(model_name, date_column):
    def compute(contract, start, end):
        return _n(_rows_of(model_name, date_column, contract, start, end))

    return compute


def _rows_of(model_name, date_column, contract, start, end):
    from models.mediation import Consultation, Screening

    model = {"Consultation": Consultation, "Screening": Screening}[model_name]
    column = getattr(model, date_column)
    return select(model).where(model.contract_id == contract.id, column >= start, column <= end)


def _model_drill(model_name, date_column, columns, cells):
    def records(contract, start, end):
        query = _rows_of(model_name, date_column, contract, start, end)
        return Drill(columns, [{"cells": cells(r), "counted": None, "link": None}
                               for r in db.session.scalars(query.order_by(date_column)).all()])

    return records


# ---- assistance (the subjects the contract serves)


def _under_assistance(contract, start, end):
    """As services.rehabilitation_figures: reported and with a group by `end`, not ended before `start`."""
    from models.rehabilitation import AssistanceGroup, Handover, Subject

    return (select(Subject.id).join(AssistanceGroup, AssistanceGroup.subject_id == Subject.id)
            .join(Handover, Handover.subject_id == Subject.id)
            .where(Subject.contract_id == contract.id, AssistanceGroup.formed_on <= end, Handover.report_date <= end,
                   or_(Subject.ended_on.is_(None), Subject.ended_on >= start)))


def _n(query):
    return db.session.scalar(select(func.count()).select_from(query.subquery()))


def _served(contract, start, end):
    return _n(_under_assistance(contract, start, end))


def _assistance_rate(contract, start, end):
    from models.rehabilitation import ServiceRecord

    under = _under_assistance(contract, start, end)
    with_record = under.where(select(ServiceRecord.id).where(
        ServiceRecord.subject_id == under.selected_columns[0], ServiceRecord.on >= start,
        ServiceRecord.on <= end).exists())
    return _pct(_n(with_record), _n(under))


def _resettlement_rate(contract, start, end):
    from models.rehabilitation import RESETTLED, Subject

    under = _under_assistance(contract, start, end)
    return _pct(_n(under.where(Subject.resettlement.in_(RESETTLED))), _n(under))


def _reoffending_rate(contract, start, end):
    from models.rehabilitation import Subject

    started = _n(_under_assistance(contract, start, start))
    reoffended = _n(select(Subject.id).where(Subject.contract_id == contract.id, Subject.end_reason == "reoffended",
                                            Subject.ended_on >= start, Subject.ended_on <= end))
    return _pct(reoffended, started)


SUBJECT_COLUMNS = ("对象编号", "状态", "安置情况", "解除日期")


def _subject_rows(ids, counted_ids=None):
    from models.rehabilitation import Subject

    subjects = db.session.scalars(select(Subject).where(Subject.id.in_(ids)).order_by(Subject.id)).all()
    hits = set(db.session.scalars(counted_ids)) if counted_ids is not None else None
    return Drill(SUBJECT_COLUMNS, [
        {"cells": (f"对象 {s.id}", s.status_label, s.resettlement_label, s.ended_on),
         "counted": (s.id in hits) if hits is not None else None,
         "link": ("rehabilitation.show", {"subject_id": s.id})} for s in subjects])


def _served_records(contract, start, end):
    return _subject_rows(_under_assistance(contract, start, end))


def _assistance_rate_records(contract, start, end):
    from models.rehabilitation import ServiceRecord

    under = _under_assistance(contract, start, end)
    return _subject_rows(under, under.where(select(ServiceRecord.id).where(
        ServiceRecord.subject_id == under.selected_columns[0], ServiceRecord.on >= start,
        ServiceRecord.on <= end).exists()))


def _resettlement_rate_records(contract, start, end):
    from models.rehabilitation import RESETTLED, Subject

    under = _under_assistance(contract, start, end)
    return _subject_rows(under, under.where(Subject.resettlement.in_(RESETTLED)))


def _reoffending_rate_records(contract, start, end):
    from models.rehabilitation import Subject

    started = _under_assistance(contract, start, start)
    return _subject_rows(started, started.where(Subject.end_reason == "reoffended", Subject.ended_on >= start,
                                                Subject.ended_on <= end))


def _service_record_records(contract, start, end):
    from models.rehabilitation import SERVICE_KINDS, ServiceRecord, Subject

    rows = db.session.scalars(select(ServiceRecord).join(Subject).where(
        Subject.contract_id == contract.id, ServiceRecord.on >= start, ServiceRecord.on <= end)
        .order_by(ServiceRecord.on, ServiceRecord.id)).all()
    return Drill(("日期", "服务类别", "对象编号"), [
        {"cells": (r.on, SERVICE_KINDS.get(r.kind, r.kind), f"对象 {r.subject_id}"), "counted": None,
         "link": ("rehabilitation.show", {"subject_id": r.subject_id})} for r in rows])


def _assessment_records(contract, start, end):
    from models.rehabilitation import RiskAssessment, Subject

    rows = db.session.scalars(select(RiskAssessment).join(Subject).where(
        Subject.contract_id == contract.id, RiskAssessment.assessed_on >= start, RiskAssessment.assessed_on <= end)
        .order_by(RiskAssessment.assessed_on, RiskAssessment.id)).all()
    return Drill(("评估日期", "风险等级", "对象编号"), [
        {"cells": (r.assessed_on, r.level_label, f"对象 {r.subject_id}"), "counted": None,
         "link": ("rehabilitation.show", {"subject_id": r.subject_id})} for r in rows])


def _plan_records(contract, start, end):
    from models.rehabilitation import AssistancePlan, Subject

    rows = db.session.scalars(select(AssistancePlan).join(Subject).where(
        Subject.contract_id == contract.id, AssistancePlan.status == "approved").order_by(AssistancePlan.id)).all()
    return Drill(("对象编号", "方案状态"), [
        {"cells": (f"对象 {p.subject_id}", p.status_label), "counted": None,
         "link": ("rehabilitation.show", {"subject_id": p.subject_id})} for p in rows])


def _service_records(contract, start, end):
    from models.rehabilitation import ServiceRecord, Subject

    return _n(select(ServiceRecord.id).join(Subject).where(Subject.contract_id == contract.id,
                                                           ServiceRecord.on >= start, ServiceRecord.on <= end))


def _assessments(contract, start, end):
    from models.rehabilitation import RiskAssessment, Subject

    return _n(select(RiskAssessment.id).join(Subject).where(
        Subject.contract_id == contract.id, RiskAssessment.assessed_on >= start, RiskAssessment.assessed_on <= end))


def _plans_in_effect(contract, start, end):
    from models.rehabilitation import AssistancePlan, Subject

    return _n(select(AssistancePlan.id).join(Subject).where(Subject.contract_id == contract.id,
                                                            AssistancePlan.status == "approved"))


# ---- the contract's own records


def _deliverables(kind):
    def compute(contract, start, end):
        return sum(1 for d in contract.deliverables if d.kind == kind and start <= d.held_on <= end)

    return compute


def _deliverable_records(kind):
    def records(contract, start, end):
        rows = sorted((d for d in contract.deliverables if d.kind == kind and start <= d.held_on <= end),
                      key=lambda d: (d.held_on, d.id))
        return Drill(("日期", "地点", "参加人数", "内容"), [
            {"cells": (d.held_on, d.place, d.participants, d.content[:60]), "counted": None, "link": None}
            for d in rows])

    return records


def _staffing_days(contract, start, end):
    """Each working day of the period (up to today) with whether the staffing standard held."""
    days = []
    month = date(start.year, start.month, 1)
    while month <= end:
        days += [row for row in contract.staffing(month.year, month.month) if start <= row["day"] <= end]
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return days


def _staffing_rate(contract, start, end):
    days = _staffing_days(contract, start, end)
    return _pct(sum(row["ok"] for row in days), len(days))


def _staffing_records(contract, start, end):
    return Drill(("工作日", "服务小时", "最少在岗人数", "问题"), [
        {"cells": (row["day"], f'{row["hours"]:g}', row["min_staff"], "；".join(row["problems"])),
         "counted": bool(row["ok"]), "link": None}
        for row in _staffing_days(contract, start, end)])


def _mediators(contract):
    return [m for m in contract.contractor.staff if m.active and m.profession == "mediator"]


def _certified_share(contract, start, end):
    mediators = _mediators(contract)
    return _pct(sum(m.may_mediate_on(end) for m in mediators), len(mediators))


def _certified_records(contract, start, end):
    return Drill(("调解员", "证书有效期至"), [
        {"cells": (m.name, m.cert_valid_until), "counted": m.may_mediate_on(end), "link": None}
        for m in _mediators(contract)])


def _payment_records(contract, start, end):
    rows = sorted((p for p in contract.payments if p.paid_on <= end), key=lambda p: (p.paid_on, p.id))
    return Drill(("支付日期", "金额（元）"), [{"cells": (p.paid_on, p.amount), "counted": None, "link": None}
                                         for p in rows])


def _paid_until(contract, end):
    return sum((p.amount for p in contract.payments if p.paid_on <= end), Decimal(0))


def _cost_per_case(contract, start, end):
    handled = _mediation(contract, start, end)["received"]
    return (_paid_until(contract, end) / handled).quantize(Decimal("0.01")) if handled else None


def _cost_per_subject(contract, start, end):
    served = _served(contract, start, end)
    return (_paid_until(contract, end) / served).quantize(Decimal("0.01")) if served else None


def _consultation_cells(r):
    return (r.given_on, f"咨询记录 {r.id}")


def _screening_cells(r):
    return (r.period_start, r.period_end, r.disputes_found)


MEASURES = {m.code: m for m in [
    Measure("cases_received", "受理纠纷", "件", "mediation", True, _m("received"), _case_drill("received")),
    Measure("cases_succeeded", "调解成功", "件", "mediation", True, _m("succeeded"), _case_drill("succeeded")),
    Measure("success_rate", "调解成功率", "%", "mediation", True, _m("success_rate"),
            _case_drill("concluded", "succeeded")),
    Measure("follow_up_rate", "回访率", "%", "mediation", True, _m("follow_up_rate"),
            _case_drill("succeeded", "followed")),
    Measure("fulfilment_rate", "协议履行率", "%", "mediation", True, _m("fulfilment_rate"),
            _case_drill("followed", "fulfilled")),
    Measure("in_time_rate", "按期结案率", "%", "mediation", True, _m("in_time_rate"),
            _case_drill("concluded", "in_time")),
    Measure("complete_file_rate", "卷宗完整率", "%", "mediation", True, _m("complete_file_rate"),
            _case_drill("file_base", "archived")),
    Measure("consultations", "法律咨询", "次", "mediation", True, _count_model("Consultation", "given_on"),
            _model_drill("Consultation", "given_on", ("日期", "记录"), _consultation_cells)),
    Measure("screening_reports", "矛盾纠纷排查报告", "份", "mediation", True,
            _count_model("Screening", "period_end"),
            _model_drill("Screening", "period_end", ("起", "止", "排查纠纷数"), _screening_cells)),
    Measure("certified_share", "持证调解员占比", "%", "mediation", True, _certified_share, _certified_records),
    Measure("cost_per_case", "每件案件成本", "元", "mediation", False, _cost_per_case, _payment_records),
    Measure("subjects_served", "帮教对象", "人", "assistance", True, _served, _served_records),
    Measure("assistance_rate", "帮教率", "%", "assistance", True, _assistance_rate, _assistance_rate_records),
    Measure("resettlement_rate", "安置率", "%", "assistance", True, _resettlement_rate, _resettlement_rate_records),
    Measure("reoffending_rate", "重新犯罪率", "%", "assistance", False, _reoffending_rate, _reoffending_rate_records),
    Measure("plans_in_effect", "有效帮教方案", "份", "assistance", True, _plans_in_effect, _plan_records),
    Measure("service_records", "帮教服务记录", "条", "assistance", True, _service_records, _service_record_records),
    Measure("risk_assessments", "风险评估", "次", "assistance", True, _assessments, _assessment_records),
    Measure("cost_per_subject", "每名对象成本", "元", "assistance", False, _cost_per_subject, _payment_records),
    Measure("training_sessions", "培训", "场", "both", True, _deliverables("training"),
            _deliverable_records("training")),
    Measure("publicity_events", "宣传活动", "场", "both", True, _deliverables("publicity"),
            _deliverable_records("publicity")),
    Measure("research_reports", "研究和分析报告", "份", "both", True, _deliverables("research"),
            _deliverable_records("research")),
    Measure("staffing_rate", "人员配备达标天数占比", "%", "both", True, _staffing_rate, _staffing_records),
]}


def for_contract(contract):
    """The measures that apply to a contract's service."""
    return [m for m in MEASURES.values() if m.category in (contract.category, "both")]


def value(code, contract, start, end):
    return MEASURES[code].compute(contract, start, end)


def met(code, target, actual):
    if target is None or actual is None:
        return None
    return actual >= target if MEASURES[code].higher_better else actual <= target
