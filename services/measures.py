"""Every contractable quantity as a measure, defined once and computed from the records (issue 6).

A measure is computed for a contract and a period [start, end]; it never is typed in. Mediation
measures come from services.mediation_figures, assistance measures from the subjects the contract
serves, and the rest from the contract's own records (deliverables, shifts, payments, staff).
"""
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Callable

from sqlalchemy import func, or_, select

from extensions import db


@dataclass(frozen=True)
class Measure:
    code: str
    label: str
    unit: str          # 件, %, 人, 次, 元 ...
    category: str      # mediation | assistance | both
    higher_better: bool
    compute: Callable  # (contract, start, end) -> Decimal | int | None


def _pct(part, whole):
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# ---- mediation


def _mediation(contract, start, end):
    from models.mediation import MediationCase
    from services import mediation_figures

    cache = getattr(contract, "_figures_cache", None)
    key = ("mediation", start, end)
    if cache is None:
        cache = contract._figures_cache = {}
    if key not in cache:
        scope = select(MediationCase).where(MediationCase.contract_id == contract.id)
        cache[key] = mediation_figures.compute(mediation_figures.load(scope, start, end), start, end)
    return cache[key]


def _m(name):
    return lambda c, s, e: _mediation(c, s, e)[name]


def _count_model(model_name, date_column, start_column=None):
    def compute(contract, start, end):
        import models

        model = getattr(models, model_name)
        column = getattr(model, date_column)
        return db.session.scalar(select(func.count()).select_from(model).where(
            model.contract_id == contract.id, column >= start, column <= end))

    return compute


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


def _staffing_rate(contract, start, end):
    """Share of working days in the period (up to today) on which the staffing standard held."""
    days, ok = 0, 0
    month = date(start.year, start.month, 1)
    while month <= end:
        for row in contract.staffing(month.year, month.month):
            if start <= row["day"] <= end:
                days += 1
                ok += row["ok"]
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return _pct(ok, days)


def _certified_share(contract, start, end):
    mediators = [m for m in contract.contractor.staff if m.active and m.profession == "mediator"]
    return _pct(sum(m.may_mediate_on(end) for m in mediators), len(mediators))


def _paid_until(contract, end):
    return sum((p.amount for p in contract.payments if p.paid_on <= end), Decimal(0))


def _cost_per_case(contract, start, end):
    handled = _mediation(contract, start, end)["received"]
    return (_paid_until(contract, end) / handled).quantize(Decimal("0.01")) if handled else None


def _cost_per_subject(contract, start, end):
    served = _served(contract, start, end)
    return (_paid_until(contract, end) / served).quantize(Decimal("0.01")) if served else None


MEASURES = {m.code: m for m in [
    Measure("cases_received", "受理纠纷", "件", "mediation", True, _m("received")),
    Measure("cases_succeeded", "调解成功", "件", "mediation", True, _m("succeeded")),
    Measure("success_rate", "调解成功率", "%", "mediation", True, _m("success_rate")),
    Measure("follow_up_rate", "回访率", "%", "mediation", True, _m("follow_up_rate")),
    Measure("fulfilment_rate", "协议履行率", "%", "mediation", True, _m("fulfilment_rate")),
    Measure("in_time_rate", "按期结案率", "%", "mediation", True, _m("in_time_rate")),
    Measure("complete_file_rate", "卷宗完整率", "%", "mediation", True, _m("complete_file_rate")),
    Measure("consultations", "法律咨询", "次", "mediation", True, _count_model("Consultation", "given_on")),
    Measure("screening_reports", "矛盾纠纷排查报告", "份", "mediation", True,
            _count_model("Screening", "period_end")),
    Measure("certified_share", "持证调解员占比", "%", "mediation", True, _certified_share),
    Measure("cost_per_case", "每件案件成本", "元", "mediation", False, _cost_per_case),
    Measure("subjects_served", "帮教对象", "人", "assistance", True, _served),
    Measure("assistance_rate", "帮教率", "%", "assistance", True, _assistance_rate),
    Measure("resettlement_rate", "安置率", "%", "assistance", True, _resettlement_rate),
    Measure("reoffending_rate", "重新犯罪率", "%", "assistance", False, _reoffending_rate),
    Measure("plans_in_effect", "有效帮教方案", "份", "assistance", True, _plans_in_effect),
    Measure("service_records", "帮教服务记录", "条", "assistance", True, _service_records),
    Measure("risk_assessments", "风险评估", "次", "assistance", True, _assessments),
    Measure("cost_per_subject", "每名对象成本", "元", "assistance", False, _cost_per_subject),
    Measure("training_sessions", "培训", "场", "both", True, _deliverables("training")),
    Measure("publicity_events", "宣传活动", "场", "both", True, _deliverables("publicity")),
    Measure("research_reports", "研究和分析报告", "份", "both", True, _deliverables("research")),
    Measure("staffing_rate", "人员配备达标天数占比", "%", "both", True, _staffing_rate),
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
