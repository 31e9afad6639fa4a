"""Each integrity check finds its planted case, and nothing in a clean data set."""
from datetime import date, time, timedelta

from sqlalchemy import select

from extensions import db
from models import DutyShift
from models import clock
from models import integrity_rules as integrity
from tests import factories
from tests.helpers import text
from tests.mediation_factories import make_case, party


def _contract(category="mediation"):
    clock.set_now(date(2026, 11, 27))
    c = factories.make_contract("150203", factories.org("X"), category, start=date(2026, 1, 1))
    db.session.commit()
    return c


def _rules(c):
    return sorted({f.rule for f in integrity.run(c)})


def test_a_clean_contract_has_no_findings(app):
    c = _contract()
    make_case(received_on=date(2026, 3, 2), contract=c, state="registered")
    make_case(received_on=date(2026, 3, 3), contract=c, state="registered",
              parties=[party(phone="13911112222"), party(side="respondent", name="钱二", phone="13911113333")])
    assert _rules(c) == []


def test_shared_phone_among_three_cases_within_ninety_days(app):
    c = _contract()
    for day in (date(2026, 3, 1), date(2026, 4, 1), date(2026, 5, 20)):
        make_case(received_on=day, contract=c, parties=[party(phone="13800000009"),
                                                        party(side="respondent", name="钱二", phone=f"1370000{day.month:04d}")])
    findings = [f for f in integrity.run(c) if f.rule == "shared_identity"]
    assert len(findings) == 1 and "3 件" in findings[0].description
    assert "13800000009" not in findings[0].description  # the finding never shows the phone itself
    assert len(integrity.run(c)) == len(c.integrity_findings)  # a second run adds nothing


def test_agreement_without_follow_up_after_sixty_days(app):
    c = _contract()
    make_case(received_on=date(2026, 8, 1), contract=c, state="written", concluded_on=date(2026, 8, 20))
    assert "agreement_without_follow_up" in _rules(c)


def test_same_day_registered_and_concluded_cases(app):
    c = _contract()
    for _ in range(10):
        make_case(received_on=date(2026, 6, 1), contract=c, state="failed", concluded_on=date(2026, 6, 1))
    assert "same_day_cases" in _rules(c)


def test_the_unit_explains_a_finding_and_only_unexplained_ones_reach_the_report(login):
    c = _contract()
    make_case(received_on=date(2026, 8, 1), contract=c, state="written", concluded_on=date(2026, 8, 20))
    unit = login("district_a")
    assert unit.send(f"/contracts/{c.id}/integrity").status_code == 303
    finding = c.integrity_findings[0]
    r = unit.send(f"/contracts/{c.id}/integrity/{finding.id}", {"decision": "explained", "explanation": ""})
    assert r.status_code == 422
    from models import Acceptance

    a = Acceptance.open(factories.user("district_a"), c, "final", None, c.period_start, clock.today(), "会议室",
                        ["system"], "合同")
    assert "超过 60 日未回访" in a.unexplained_findings()
    assert unit.send(f"/contracts/{c.id}/integrity/{finding.id}",
                     {"decision": "explained", "explanation": "当事人外出务工，已电话约定下月回访"}).status_code == 303
    assert a.unexplained_findings() == "未发现未作说明的问题。"
    assert "已说明" in text(unit.get(f"/contracts/{c.id}"))
    assert login("district_b").send(f"/contracts/{c.id}/integrity").status_code == 404
    assert login("finance_a").send(f"/contracts/{c.id}/integrity").status_code == 403


def _records(c):
    """Two subjects of the contract with service records by worker_x (X's mediator 张志强)."""
    from models.rehabilitation import ServiceRecord
    from tests.rehab_factories import subject

    worker = factories.user("worker_x")
    a = subject(contract=c, name="韩立平")
    b = subject(contract=c, name="孙振东")
    same = "本次走访了解其就业意向，讲解社会保险政策，鼓励其参加技能培训，约定下周再次联系。"
    rows = [ServiceRecord(subject=a, kind="education", on=date(2026, 10, 12), worker_id=worker.id,
                          worker_name="张志强", content=same),
            ServiceRecord(subject=b, kind="education", on=date(2026, 10, 13), worker_id=worker.id,
                          worker_name="张志强", content=same.replace("。", "。 ")),
            ServiceRecord(subject=a, kind="adaptation", on=date(2026, 10, 14), worker_id=worker.id,
                          worker_name="张志强", content="短记录")]
    db.session.add_all(rows)
    return a, b, rows


def test_service_record_checks_find_their_planted_cases(app):
    c = _contract("assistance")
    staff = factories.org("X").staff[0]
    a, b, rows = _records(c)
    # shifts cover the 12th and 13th, not the 14th
    for day in (date(2026, 10, 12), date(2026, 10, 13)):
        c.shifts.append(DutyShift(day=day, start=time(8, 30), end=time(17), staff=[staff]))
    a.ended_on, a.end_reason = date(2026, 10, 13), "period_over"
    db.session.commit()
    findings = integrity.run(c)
    by_rule = {}
    for f in findings:
        by_rule.setdefault(f.rule, []).append(f)
    assert [f.records[0]["id"] for f in by_rule["record_without_shift"]] == [rows[2].id]
    assert {r["id"] for r in by_rule["duplicate_service_text"][0].records} == {rows[0].id, rows[1].id}
    assert [f.records[0]["id"] for f in by_rule["record_after_end"]] == [rows[2].id]


def test_follow_up_phone_shared_by_three_parties(app):
    c = _contract()
    for day in (date(2026, 1, 5), date(2026, 5, 5), date(2026, 9, 5)):  # far apart: not the 90-day rule
        make_case(received_on=day, contract=c, state="written", concluded_on=day + timedelta(days=5),
                  parties=[party(phone="13700001111"), party(side="respondent", name="钱二", phone=f"1360000{day.month:04d}")])
    from models.mediation import FollowUp, MediationCase

    for case in db.session.scalars(select(MediationCase).where(MediationCase.contract_id == c.id)):
        db.session.add(FollowUp(case_id=case.id, visited_on=case.concluded_on + timedelta(days=20), way="phone",
                                visited_person="申请人", performance="full"))
    db.session.commit()
    rules = _rules(c)
    assert "follow_up_burst" in rules and "shared_identity" not in rules
