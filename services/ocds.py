"""The open-data feed: OCDS 1.1.5 releases for each published step of each procurement (DESIGN.md §6).

One ocid per procurement; one release per step: planning (the intention), tender (the notice),
award, contract, each amendment, and implementation (each payment, each concluded acceptance, each
completed evaluation), plus contractTermination when a contract closes or ends early. Only what
the portal publishes goes in: organisations and units, amounts, dates, terms; no person's data.
"""
import secrets
from datetime import date, datetime, time
from decimal import Decimal
from itertools import chain
from urllib.parse import urljoin

from flask import current_app, request, url_for
from sqlalchemy import event, insert, select, update
from sqlalchemy.orm import Session, joinedload, selectinload

from extensions import db
from models import (Acceptance, Amendment, Bid, Contract, Contractor, ContractorEvent, Evaluation, Milestone,
                    Payment, PlanItem, Procurement, Publication, PurchasePlan, ServiceItem, Unit)
from models.base import forget_in_request, once_per_request
from models.portal import FeedRevision
from models.setting import Setting
from schemas.ocds import Release, ReleasePackage
from models import clock
from services import portal
from services.memo import Memo

PROCUREMENT_METHODS = {"open_tender": "open", "invited_tender": "selective", "competitive_negotiation": "limited",
                       "competitive_consultation": "limited", "price_inquiry": "limited", "single_source": "direct"}
MILESTONE_TYPES = {"reporting": "reporting", "assessment": "assessment", "payment": "payment",
                   "acceptance": "delivery"}
MILESTONE_STATUSES = {"scheduled": "scheduled", "met": "met", "partly_met": "partiallyMet", "not_met": "notMet"}
VERDICT_STATUSES = {"passed": "met", "conditional": "partiallyMet", "failed": "notMet"}
DOCUMENT_TYPES = {"plan": "procurementPlan", "intention": "plannedProcurementNotice", "notice": "tenderNotice",
                  "single_source": "tenderNotice", "award": "awardNotice", "contract": "contractNotice",
                  "amendment": "contractNotice"}


def stamp(value):
    """An OCDS date-time: dates at midnight, all in Beijing time with its offset (2026-11-27T09:30:00+08:00)."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime.combine(value, datetime.min.time())
    return clock.aware(value).replace(microsecond=0).isoformat()


def _cny(amount):
    return {"amount": amount, "currency": "CNY"} if amount is not None else None


# org-id.guide's scheme for the unified social credit code (统一社会信用代码) is CN-USCI. The division code
# (行政区划代码) is in no register: it is only an additional identifier of a unit, never its main one.
USCI = "CN-USCI"


def _unit_party(unit):
    party = {"id": f"{USCI}-{unit.uscc}" if unit.uscc else f"unit-{unit.code}", "name": unit.name,
             "additionalIdentifiers": [{"scheme": "CN-XZQH", "id": unit.code, "legalName": unit.name}],
             "address": {"locality": unit.area_name, "region": "内蒙古自治区", "countryName": "中国"},
             "roles": ["buyer", "procuringEntity", "payer"]}
    if unit.uscc:
        party["identifier"] = {"scheme": USCI, "id": unit.uscc, "legalName": unit.name}
    return party


def _org_party(contractor):
    return {"id": f"{USCI}-{contractor.uscc}", "name": contractor.name,
            "identifier": {"scheme": USCI, "id": contractor.uscc, "legalName": contractor.name},
            "address": {"locality": contractor.seat_unit.area_name, "region": "内蒙古自治区", "countryName": "中国"},
            "roles": ["supplier", "payee"]}


def _ref(party):
    return {"id": party["id"], "name": party["name"]}


def _items(plan_items):
    return [{"id": str(i.id), "description": f"{i.service_item.name}：{i.content}",
             "classification": {"scheme": "FQ-SERVICE", "id": i.service_item.code, "description": i.service_item.name},
             "quantity": i.quantity, "unit": {"name": i.unit_label}} for i in plan_items]


def _documents(publications, kinds):
    return [{"id": f"publication-{pub.id}", "documentType": DOCUMENT_TYPES[pub.kind],
             "title": f"{portal.PUBLICATION_KINDS.get(pub.kind, pub.kind)}（{pub.medium}）", "url": pub.url or None,
             "datePublished": stamp(pub.published_on), "language": "zh"}
            for pub in publications if pub.kind in kinds]


def releases(procurement):
    """Every release of one procurement, oldest first, as plain dicts ready for the schema."""
    p = procurement
    buyer = _unit_party(p.unit)
    thread_url = url_for("portal.procurement", procurement_id=p.id, _external=True)
    common = {"ocid": p.ocid, "initiationType": "tender", "language": "zh", "buyer": _ref(buyer)}
    items = _items(p.plan_items)
    tender_base = {"id": f"{p.ocid}-tender", "title": p.title, "description": p.requirement_summary,
                   "procuringEntity": _ref(buyer), "items": items, "value": _cny(p.budget),
                   "mainProcurementCategory": "services"}
    related = []
    if p.predecessor is not None:
        related.append({"id": "1", "relationship": ["unsuccessfulProcess"], "title": p.predecessor.title,
                        "scheme": "ocid", "identifier": p.predecessor.ocid})
    out = []

    def add(kind, n, when, tag, parties, **sections):
        out.append({**common, "id": f"{p.ocid}-{kind}-{n}", "date": stamp(when), "tag": [tag],
                    "parties": parties, "relatedProcesses": related, **sections})

    plans = [i.plan for i in p.plan_items]
    plan_docs = [{"id": f"plan-{plan.id}", "documentType": "procurementPlan",
                  "title": f"{plan.unit.name} {plan.year} 年度购买计划",
                  "url": url_for("portal.plan", plan_id=plan.id, _external=True),
                  "datePublished": stamp(plan.published_on)} for plan in dict.fromkeys(plans) if plan.published_on]
    failed_early = p.status == "failed" and p.notice_published_on is None
    add("planning", 1, p.intention_published_on, "planning", [buyer],
        planning={"rationale": p.requirement_summary,
                  "budget": {"id": f"{p.ocid}-budget", "description": f"{p.year} 年度部门预算（购买服务）",
                             "amount": _cny(p.budget)},
                  "documents": plan_docs + _documents(p.publications, ("intention",))},
        tender={**tender_base, "status": "withdrawn" if failed_early else "planned",
                "tenderPeriod": {"startDate": stamp(date(p.year, p.expected_month, 1))}})
    if p.notice_published_on:
        status = {"failed": "unsuccessful", "awarded": "complete", "contracted": "complete"}.get(p.status, "active")
        tender = {**tender_base, "status": status, "procurementMethod": PROCUREMENT_METHODS[p.method],
                  "procurementMethodDetails": p.method_label, "procurementMethodRationale": p.method_reason,
                  "tenderPeriod": {"startDate": stamp(p.notice_published_on), "endDate": _tender_end(p)},
                  "documents": _documents(p.publications, ("notice", "single_source"))}
        if p.bids_opened_at or p.method == "single_source":
            tender["numberOfTenderers"] = len(p.bids)
        add("tender", 1, p.notice_published_on, "tender", [buyer], tender=tender)
    award_pub = portal.award_publication(p)
    if award_pub is not None:
        supplier = _org_party(p.winner)
        add("award", 1, award_pub.published_on, "award", [buyer, supplier],
            tender={"id": tender_base["id"], "status": "complete"},
            awards=[{"id": f"{p.ocid}-award-1", "title": f"{p.title} 成交结果", "status": "active",
                     "date": stamp(award_pub.published_on), "value": _cny(p.award_amount),
                     "suppliers": [_ref(supplier)], "items": items,
                     "documents": _documents(p.publications, ("award",))}])
    for c in portal.published_contracts(p):
        supplier = _org_party(c.contractor)
        parties = [buyer, supplier]
        cref = {"id": c.number, "awardID": f"{p.ocid}-award-1"}
        add("contract", c.id, c.published_on, "contract", parties, contracts=[{
            **cref, "title": c.title, "description": c.scope, "status": "active",
            "period": {"startDate": stamp(c.period_start), "endDate": stamp(c.period_end if not c.amendments
                                                                           else _original_end(c))},
            "value": _cny(c.original_amount), "items": items, "dateSigned": stamp(c.signed_on),
            "documents": _documents(c.publications, ("contract",)) + [
                {"id": f"contract-{c.id}", "documentType": "contractSummary", "title": f"合同 {c.number} 摘要",
                 "url": thread_url + f"#contract-{c.id}", "language": "zh"}],
            "milestones": [{"id": f"milestone-{m.id}", "title": m.title, "type": MILESTONE_TYPES.get(m.kind, "delivery"),
                            "dueDate": stamp(m.due_on), "status": "scheduled"} for m in c.milestones]}])
        for a in c.amendments:
            add(f"amendment-{c.id}", a.version, a.approved_on, "contractAmendment", parties, contracts=[{
                **cref, "value": _cny(_amended(a, "amount")),
                "period": {"startDate": stamp(c.period_start), "endDate": stamp(_amended(a, "period_end"))}
                if _amended(a, "period_end") else None,
                "amendments": [{"id": str(a.version), "date": stamp(a.approved_on), "rationale": a.reason_label,
                                "description": "；".join(f"{label}：{old} → {new}" for label, old, new in a.described())}]}])
        for pay in c.payments:
            add(f"payment-{c.id}", pay.id, pay.paid_on, "implementation", parties, contracts=[{
                **cref, "implementation": {"transactions": [{
                    "id": f"payment-{pay.id}", "date": stamp(pay.paid_on), "value": _cny(pay.amount),
                    "payer": _ref(buyer), "payee": _ref(supplier)}]}}])
        for m in c.milestones:  # a contract's milestone lives in contracts[].milestones only: its update too
            if m.status != "scheduled" and not m.is_final and m.status_on:
                add(f"milestone-{c.id}", m.id, m.status_on, "implementation", parties, contracts=[{
                    **cref, "milestones": [{
                        "id": f"milestone-{m.id}", "title": m.title, "type": MILESTONE_TYPES.get(m.kind, "delivery"),
                        "dueDate": stamp(m.due_on), "dateMet": stamp(m.status_on) if m.status == "met" else None,
                        "dateModified": stamp(m.status_on), "status": MILESTONE_STATUSES[m.status]}]}])
        for a in portal.published_acceptances(c):
            add(f"acceptance-{c.id}", a.id, a.concluded_on, "implementation", parties, contracts=[{
                **cref, "implementation": {
                    "milestones": [{"id": f"acceptance-{a.id}", "title": a.kind_label, "type": "assessment",
                                    "description": f"验收结论：{a.verdict_label}。{a.conclusion}",
                                    "dateMet": stamp(a.concluded_on) if a.verdict == "passed" else None,
                                    "dateModified": stamp(a.concluded_on), "status": VERDICT_STATUSES[a.verdict]}],
                    "documents": [{"id": f"acceptance-{a.id}",
                                   "documentType": "completionCertificate" if a.kind == "final" and a.verdict == "passed"
                                   else "physicalProgressReport",
                                   "title": f"{a.kind_label}结果：{a.verdict_label}",
                                   "url": thread_url + f"#acceptance-{a.id}", "datePublished": stamp(a.concluded_on),
                                   "language": "zh"}]}}])
        for e in portal.published_evaluations(c):
            add(f"evaluation-{c.id}", e.id, e.completed_at, "implementation", parties, contracts=[{
                **cref, "implementation": {
                    "milestones": [{"id": f"evaluation-{e.id}", "title": "绩效评价", "type": "assessment",
                                    "description": f"评价期间 {e.period_start:%Y-%m-%d} 至 {e.period_end:%Y-%m-%d}；"
                                                   f"得分 {e.score}，等级 {portal.grade_label(e.grade)}"
                                                   + "".join(f"；否决项：{portal.VETOES[v]}" for v in e.vetoes),
                                    "dateModified": stamp(e.completed_at),
                                    "dateMet": stamp(e.completed_at) if e.grade != "poor" else None,
                                    "status": "notMet" if e.grade == "poor" else "met"}],
                    "documents": [{"id": f"evaluation-{e.id}", "documentType": "physicalProgressReport",
                                   "title": f"绩效评价结果：{portal.grade_label(e.grade)}",
                                   "url": thread_url + f"#evaluation-{e.id}", "language": "zh"}]}}])
        if c.status in ("closed", "terminated"):
            ended = _ended_on(c)
            add("termination", c.id, ended, "contractTermination", parties, contracts=[{
                **cref, "status": "terminated",
                "value": _cny(c.final_value) if c.final_value is not None else None,
                "period": {"startDate": stamp(c.period_start), "endDate": stamp(ended)}}])
    out.sort(key=lambda r: r["date"])  # stable: steps of one day keep their order
    return out


def _tender_end(p):
    """When the tender period ends: the bid deadline, or for a single-source process the end of its objection
    period (the award may come only after it)."""
    if p.method == "single_source":
        return stamp(datetime.combine(p.objection_ends_on, time(23, 59, 59))) if p.objection_ends_on else None
    return stamp(p.bid_deadline)


def _ended_on(contract):
    """A closed contract's end date; for one terminated early, the day the termination was recorded."""
    if contract.closed_on:
        return contract.closed_on
    event = next((e for e in contract.contractor.events if e.kind == "contract_terminated"
                  and (e.reason_text or "").startswith(f"合同 {contract.number}")), None)
    return event.at.date() if event is not None else contract.period_end


def _amended(amendment, field):
    """The new value of an amended term (stored as plain text: ISO dates, decimal amounts)."""
    change = amendment.changes.get(field)
    if not change:
        return None
    return date.fromisoformat(change["new"]) if field == "period_end" else Decimal(change["new"])


def _original_end(contract):
    first = contract.amendments[0].changes.get("period_end")
    return date.fromisoformat(first["old"]) if first else contract.period_end


def _thread_loads():
    """Loader options that read every record the releases of many procurements need in a fixed number
    of statements (one per relation, for all procurements at once), not a few per procurement."""
    contracts = selectinload(Procurement.contracts)
    return (selectinload(Procurement.plan_items).joinedload(PlanItem.plan),
            selectinload(Procurement.plan_items).joinedload(PlanItem.service_item),
            selectinload(Procurement.publications), joinedload(Procurement.predecessor),
            joinedload(Procurement.award_bid).joinedload(Bid.contractor), selectinload(Procurement.bids),
            contracts.joinedload(Contract.contractor).selectinload(Contractor.events),
            contracts.selectinload(Contract.publications), contracts.selectinload(Contract.milestones),
            contracts.selectinload(Contract.amendments), contracts.selectinload(Contract.payments),
            contracts.selectinload(Contract.acceptances),
            contracts.selectinload(Contract.evaluations))


def package(year, unit=None):
    """The release package of a year (and a unit), or None when nothing of it is published."""
    query = select(Procurement).where(Procurement.year == year).order_by(Procurement.ocid).options(*_thread_loads())
    if unit is not None:
        query = query.where(Procurement.unit_id == unit.id)
    units = portal.units()  # held while the releases are built: every unit reference is found in the session
    rels = [r for p in db.session.scalars(query).unique() for r in releases(p)]
    del units
    if not rels:
        return None
    uri = (url_for("portal.ocds_unit", year=year, unit_code=unit.code, _external=True) if unit is not None
           else url_for("portal.ocds_year", year=year, _external=True))
    data = {"uri": uri, "version": "1.1", "publishedDate": stamp(changed_at() or clock.now()),
            "publisher": {"name": "包头市司法局", "uri": url_for("portal.index", _external=True)},
            "license": Setting.get("ocds.license") or None,
            "publicationPolicy": urljoin(request.host_url, Setting.get("ocds.publication_policy")), "releases": rels}
    return ReleasePackage().dump(data)


def dump_release(data):
    return Release().dump(data)


# ---- the packages, built once per change
#
# A package is public and changes only when a record it is built from changes. Each process keeps the
# last packages it built (the JSON text), each under the feed's revision token it was built with; a
# request reads the token (one row by primary key) and answers from memory when it is unchanged.
# The token is replaced in the same transaction as any change to the records below, by the flush
# hook; bulk loads that bypass the ORM call `changed(session)` themselves.

FEED_RECORDS = (Procurement, PlanItem, PurchasePlan, Publication, Bid, Contract, Milestone, Payment, Amendment,
                Acceptance, Evaluation, Contractor, ContractorEvent, Unit, ServiceItem, Setting)


packages = Memo(32, lambda: revision())  # years x units, a couple of hundred kilobytes each at most
pages = Memo(256, lambda: revision())  # the portal index's results (services/portal.py), some ten kilobytes each


def changed(session):
    """Give the feed a new revision token, in the session's transaction."""
    conn = session.connection()
    table = FeedRevision.__table__
    token = secrets.token_hex(16)
    now = clock.now()
    if conn.execute(update(table).where(table.c.id == 1).values(token=token, changed_at=now)).rowcount == 0:
        conn.execute(insert(table).values(id=1, token=token, changed_at=now))
    forget_in_request("_feed_revision")


@event.listens_for(Session, "after_flush")
def _feed_records_changed(session, flush_context):
    if any(isinstance(obj, FEED_RECORDS) for obj in chain(session.new, session.dirty, session.deleted)):
        changed(session)


def _revision_row():
    """(token, changed_at) of the feed, or (None, None) before the first change: one statement per request
    (a package's answer asks for both), read again after this request's own change."""
    return once_per_request("_feed_revision", _read_revision)


def _read_revision():
    row = db.session.execute(select(FeedRevision.token, FeedRevision.changed_at).where(FeedRevision.id == 1)).first()
    return tuple(row) if row is not None else (None, None)


def revision():
    return _revision_row()[0]


def changed_at():
    """When a published record last changed (Beijing time), or None before the first change."""
    return _revision_row()[1]


def package_json(year, unit=None):
    """The package of `package(year, unit)` as JSON (bytes), or None: from memory while the feed is unchanged."""
    def build():
        data = package(year, unit)
        if data is None:
            return None
        # UTF-8 as it is (Chinese readable, not \u-escaped), compact, keys sorted as jsonify writes them
        return current_app.json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    return packages.get((request.host_url, year, unit.code if unit is not None else None), build)
