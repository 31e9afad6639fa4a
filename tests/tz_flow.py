"""Beijing time on a server in another zone: run by tests/test_beijing_time.py in a subprocess whose
environment sets TZ (UTC, America/New_York), so the process's local time is not Beijing's.

Not collected by a normal run (the name does not match test_*.py). Real time, not the fixed test clock:
every stored and shown time is compared with Beijing time computed here from UTC plus eight hours,
without zoneinfo and without the application's clock.
"""
import csv
import io
import os
import time
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from extensions import db
from models import AuditLog
from models.mediation import MediationCase
from models import clock
from tests.docs import docx_text
from tests.helpers import text
from tests.test_mediation_cases import intake_data
from tests.test_portal import published_contract


def beijing_now():
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0) + timedelta(hours=8)


def minutes(start, end):
    """Each minute from start to end as the pages write it (2026年12月5日 02:31)."""
    t, out = start.replace(second=0), set()
    while t <= end:
        out.add(f"{t.year}年{t.month}月{t.day}日 {t:%H:%M}")
        t += timedelta(minutes=1)
    return out


def cn_day(d):
    return f"{d.year}年{d.month}月{d.day}日"


def test_stored_and_shown_times_are_beijing_time(app, login, runner):
    assert time.localtime().tm_gmtoff == int(os.environ["FENGQIAO_EXPECT_GMTOFF"]), "TZ did not take effect"
    clock.reset()  # real time, as in production
    before = beijing_now()

    # A case registered over HTTP: its stored time and its audit entry.
    worker = login("worker_x")
    r = worker.send("/mediation/", intake_data(received_on=before.date().isoformat()))
    assert r.status_code == 303, text(r)[:2000]
    case = db.session.scalars(select(MediationCase).order_by(MediationCase.id.desc())).first()
    entry = db.session.scalars(select(AuditLog).where(AuditLog.record_type == "mediation_case",
                                                      AuditLog.action == "create")
                               .order_by(AuditLog.id.desc())).first()
    after = beijing_now()
    assert before <= case.created_at <= after
    assert entry.record_id == case.id and before <= entry.at <= after and entry.seq is not None

    # The audit log's page shows that entry's time in Beijing time; the hash chain verifies.
    page = text(login("admin").get("/audit/?record_type=mediation_case"))
    after = beijing_now()
    assert any(m in page for m in minutes(before, after)), page[:3000]
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "完好" in result.output, result.output

    # An export stamped with its time.
    district = login("district_a")
    rows = list(csv.reader(io.StringIO(text(district.get("/rehabilitation/export.csv")).lstrip("\ufeff"))))
    after = beijing_now()
    stamped = rows[0][0].split("导出时间：")[1]
    assert any(stamped == f"{t:%Y-%m-%d %H:%M}" for t in (before, after)), stamped

    # A generated document dated today, Beijing's day.
    r = district.get(f"/statistics/mediation/document?year={before.year}&month=0")
    assert r.status_code == 200 and r.data.startswith(b"PK")
    body = docx_text(r.data)
    after = beijing_now()
    assert cn_day(before) in body or cn_day(after) in body

    # The OCDS feed: ISO date-times carrying +08:00 that name the right instant.
    start_utc = datetime.now(timezone.utc).replace(microsecond=0)
    contract, _ = published_contract()  # the feed changes now: its publishedDate is that change's time
    package = district.get(f"/portal/ocds/{contract.procurement.year}.json").get_json()
    end_utc = datetime.now(timezone.utc)
    published = datetime.fromisoformat(package["publishedDate"])
    assert package["publishedDate"].endswith("+08:00") and published.utcoffset() == timedelta(hours=8)
    assert start_utc <= published <= end_utc
