"""Quarter close for any contract: closing, the logged-reason gate on later records, the integrity finding."""
from datetime import date

from sqlalchemy import select

from extensions import db
from models import LateChange
from models.rehabilitation import ServiceRecord
from models import clock
from models import integrity_rules as integrity
from tests import factories
from tests.helpers import row_counts, text
from tests.rehab_factories import form_group, staff, subject


def test_closing_a_quarter_gates_later_service_records_behind_a_logged_reason(login):
    clock.set_now(date(2026, 11, 27))
    c = factories.make_contract("150203", factories.org("X"), "assistance", start=date(2026, 1, 1))
    s = subject(contract=c, release=date(2026, 5, 1))
    leader = staff(factories.org("X"), "林心怡", "counsellor", username="lin_xinyi")
    form_group(s, leader)
    db.session.commit()
    unit = login("district_a")
    r = unit.send(f"/contracts/{c.id}/quarters", {"year": "2026", "quarter": "4"})
    assert r.status_code == 422 and "季度结束后" in text(r)
    assert unit.send(f"/contracts/{c.id}/quarters", {"year": "2026", "quarter": "3", "note": "已审查"}).status_code == 303
    assert unit.send(f"/contracts/{c.id}/quarters", {"year": "2026", "quarter": "3"}).status_code == 409
    worker = login("lin_xinyi")
    record = {"kind": "education", "on": "2026-09-15", "content": "补录 9 月的法治教育谈话"}
    before = row_counts()
    r = worker.send(f"/rehabilitation/{s.id}/records", record)
    assert r.status_code == 422 and "须说明理由" in text(r)
    assert row_counts() == before
    assert worker.send(f"/rehabilitation/{s.id}/records", dict(record, late_reason="纸质记录迟交")).status_code == 303
    late = db.session.scalar(select(LateChange))
    assert late.reason == "纸质记录迟交" and late.record_type == "service_record"
    assert db.session.get(ServiceRecord, late.record_id).on == date(2026, 9, 15)
    # a record in an open quarter needs no reason
    assert worker.send(f"/rehabilitation/{s.id}/records", dict(record, on="2026-10-15")).status_code == 303
    findings = [f for f in integrity.run(c) if f.rule == "late_entry"]
    assert len(findings) == 1 and "纸质记录迟交" in findings[0].description
    assert login("district_b").send(f"/contracts/{c.id}/quarters", {"year": "2026", "quarter": "2"}).status_code == 404
    assert login("finance_a").send(f"/contracts/{c.id}/quarters", {"year": "2026", "quarter": "2"}).status_code == 403
