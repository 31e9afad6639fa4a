"""Beijing time whatever the server's TZ: the clock, the formats, the OCDS stamps, and a whole flow run
in a process whose TZ is UTC and one whose TZ is America/New_York (tests/tz_flow.py)."""
import os
import subprocess
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from models import clock
from services import audit_chain, ocds
from models.formats import cn_datetime

ROOT = Path(__file__).resolve().parent.parent


def beijing_now():
    """Independently of zoneinfo and of the clock: UTC plus eight hours."""
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0) + timedelta(hours=8)


@pytest.fixture
def server_tz(monkeypatch):
    """Set this process's local zone (time.tzset semantics); the original comes back afterwards."""
    def set_tz(name):
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield set_tz
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize("tz", ["UTC", "America/New_York", "Asia/Shanghai"])
def test_the_clock_tells_beijing_time_in_any_local_zone(server_tz, tz):
    server_tz(tz)
    clock.reset()
    before = beijing_now()
    now = clock.now()
    assert before <= now <= beijing_now() and now.tzinfo is None and now.microsecond == 0
    assert clock.today() in (before.date(), beijing_now().date())


def test_aware_times_are_turned_into_beijing_time():
    utc = datetime(2026, 11, 27, 18, 30, tzinfo=timezone.utc)
    assert clock.beijing(utc) == datetime(2026, 11, 28, 2, 30)
    assert clock.beijing(datetime(2026, 11, 28, 2, 30)) == datetime(2026, 11, 28, 2, 30)
    assert clock.aware(datetime(2026, 11, 28, 2, 30)).isoformat() == "2026-11-28T02:30:00+08:00"
    assert cn_datetime(utc) == "2026年11月28日 02:30"
    clock.set_now(datetime(2026, 7, 1, 1, 0, tzinfo=ZoneInfo("America/New_York")))
    try:
        assert clock.now() == datetime(2026, 7, 1, 13, 0)
    finally:
        clock.reset()


def test_ocds_stamps_are_iso_with_beijing_offset():
    assert ocds.stamp(date(2026, 11, 27)) == "2026-11-27T00:00:00+08:00"
    assert ocds.stamp(datetime(2026, 11, 27, 9, 30, 15, 123)) == "2026-11-27T09:30:15+08:00"
    instant = datetime.fromisoformat(ocds.stamp(datetime(2026, 11, 28, 2, 30)))
    assert instant == datetime(2026, 11, 27, 18, 30, tzinfo=timezone.utc)
    assert ocds.stamp(None) is None


def test_the_audit_chain_hashes_stored_times_as_before():
    """The canonical form of an entry is pinned: chains written before stay verifiable."""
    row = {"at": datetime(2026, 11, 27, 9, 30, 5), "user_id": 3, "username": "district_a", "address": "127.0.0.1",
           "action": "create", "record_type": "mediation_case", "record_id": 7,
           "fields": {"status": [None, "registered"]}, "detail": "赵大海 <&>"}
    assert audit_chain.entry_hash(row, 5, audit_chain.GENESIS) == \
        "7e3cf4811cfc679c1b8f31d49de006cc9ef4c963e932ace708ee62f86eeae33f"


@pytest.mark.parametrize("tz", ["UTC", "America/New_York"])
def test_a_server_in_another_zone_stores_and_shows_beijing_time(tz, tmp_path):
    """Registering a case, its audit entry and page, the chain, an export, a document and the OCDS feed
    in a process whose local zone is `tz` (on its own SQLite database: the times are naive either way)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("TEST_DATABASE_URL", "FENGQIAO_NOW", "PYTEST_ADDOPTS", "PYTEST_CURRENT_TEST")}
    env["TZ"] = tz
    env["FENGQIAO_EXPECT_GMTOFF"] = str(int(datetime.now(ZoneInfo(tz)).utcoffset().total_seconds()))
    result = subprocess.run([sys.executable, "-m", "pytest", "tests/tz_flow.py", "-q", "-rA",
                             "--basetemp", str(tmp_path / "run")],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert "PASSED tests/tz_flow.py::test_stored_and_shown_times_are_beijing_time" in result.stdout
