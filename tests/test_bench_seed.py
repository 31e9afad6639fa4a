"""`flask bench seed` (issue 8): tiny numbers, the same seed gives the same rows, and the rows keep the
model's rules and show on the pages. Runs on its own SQLite files (the generator bulk-inserts and commits,
which the rolled-back test transaction cannot hold); the PostgreSQL path is the same Core code."""
import json
import shutil
from collections import Counter

import pytest
from sqlalchemy import func, select

from app import create_app
from extensions import db
from models import clock
from models.identifiers import id_number_error, id_number_gender, uscc_error

from tests.conftest import TEST_DATABASE_URL

# The generator, the benchmark and the soak run here on their own SQLite files whatever the suite's
# database: the PostgreSQL run of the suite would only repeat them (about two minutes of CI).
pytestmark = pytest.mark.skipif((TEST_DATABASE_URL or "").startswith("postgresql"),
                                reason="runs on its own SQLite files; the SQLite run of the suite covers it")

TABLES = ("contractor", "staff_member", "procurement", "contract", "mediation_case", "mediation_party",
          "mediation_assignment", "mediation_agreement", "mediation_follow_up", "mediation_record", "subject",
          "handover", "assistance_group", "group_member", "assistance_plan", "service_record")


def _app(path):
    return create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SECRET_KEY": "t",
                       "SESSION_COOKIE_SECURE": False, "FENGQIAO_NOW": "2026-11-27"})


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """Demo data once, copied; the generator run on both copies with the same seed."""
    base = tmp_path_factory.mktemp("bench") / "base.db"
    app = _app(base)
    with app.app_context():
        from flask_migrate import upgrade

        from demo.seed import seed as demo_seed

        upgrade()
        demo_seed()
        db.session.remove()
        db.engine.dispose()
    paths, dumps = [], []
    for name in ("a.db", "b.db"):
        path = base.parent / name
        shutil.copy(base, path)
        app = _app(path)
        with app.app_context():
            from bench.seed import seed

            counts = seed(cases=300, subjects=60, contractors=12, years=3, seed=7, echo=lambda *_: None)
            dumps.append(_dump())
            db.session.remove()
            db.engine.dispose()
        paths.append(path)
    clock.reset()
    return paths, dumps, counts


def _dump():
    out = {}
    for name in TABLES:
        table = db.metadata.tables[name]
        cols = [c for c in table.c if c.name != "created_at"]
        out[name] = [tuple(r) for r in db.session.execute(select(*cols).order_by(table.c.id))]
    return out


def test_same_seed_same_rows(seeded):
    _, (a, b), counts = seeded
    assert counts["mediation_case"] == 300 and counts["subject"] == 60 and counts["contractor"] == 12
    for name in TABLES:
        assert a[name] == b[name], name


def test_rows_keep_the_rules_and_show_on_the_pages(seeded):
    from models.mediation import Agreement, Assignment, MediationCase, Party
    from models.rehabilitation import Subject

    path = seeded[0][0]
    app = _app(path)
    with app.app_context():
        cases = db.session.scalars(select(MediationCase)).all()
        assert len({c.number for c in cases}) == len(cases)
        # Several mediation organisations share a seat unit; each numbers with its own code.
        from models import Contractor

        orgs = db.session.scalars(select(Contractor).where(Contractor.serves_mediation.is_(True))).all()
        assert len({o.case_code for o in orgs}) == len(orgs) and all(o.case_code for o in orgs)
        with_cases = Counter(o.seat_unit_id for o in orgs if any(c.contractor_id == o.id for c in cases))
        assert max(with_cases.values()) >= 2
        assert all(f"）{c.contractor.case_code}调字第{c.seq}号" in c.number for c in cases)
        for c in cases:
            assert any(p.side == "applicant" for p in c.parties) and any(p.side == "respondent" for p in c.parties)
            assert c.received_on <= clock.today() and c.due_on > c.received_on
            assert (c.outcome == "succeeded") == (c.agreement is not None)
            if c.status == "archived":
                assert c.outcome and c.archived_on and c.retention
            elif c.outcome:
                assert c.status == c.outcome and c.concluded_on >= c.received_on
            for a in c.assignments:
                assert a.staff_member.contractor_id == c.contractor_id
            if c.contract is not None:
                assert c.contract.contractor_id == c.contractor_id and c.contract.category == "mediation"
        for p in db.session.scalars(select(Party).where(Party.id_number.is_not(None))):
            assert (uscc_error(p.id_number) if p.kind == "organisation" else id_number_error(p.id_number)) is None
        for p in db.session.scalars(select(Party.phone)):
            assert p is None or (len(p) == 11 and p.isdigit() and p[0] == "1") or "-" in p
        statuses = Counter(c.status for c in cases)
        assert statuses["archived"] and statuses["succeeded"] and (statuses["mediating"] + statuses["registered"])
        subjects = db.session.scalars(select(Subject)).all()
        for s in subjects:
            assert id_number_error(s.id_number) is None and s.id_tail == s.id_number[-6:]
            assert id_number_gender(s.id_number) == s.sex and s.id_number[6:14] == f"{s.birth_date:%Y%m%d}"
            assert s.handover is not None
            if s.status == "under_assistance" and s.group:
                assert all(m.staff_member is None or m.staff_member.contractor_id == s.contract.contractor_id
                           for m in s.group.members)
        assert Counter(s.status for s in subjects)["under_assistance"]
        # The case counter continues after the synthetic numbers, so the next intake cannot collide.
        from models.mediation import CaseCounter

        for org, year, top in db.session.execute(select(MediationCase.contractor_id, MediationCase.year,
                                                        func.max(MediationCase.seq))
                                                 .group_by(MediationCase.contractor_id, MediationCase.year)):
            assert db.session.get(CaseCounter, (org, year)).last >= top
        written = db.session.scalar(select(MediationCase.id).join(Agreement).where(Agreement.kind == "written")
                                    .where(MediationCase.area_unit_id == 3).order_by(MediationCase.id.desc()))
        subject = db.session.scalar(select(Subject.id).where(Subject.unit_id == 3, Subject.status == "under_assistance")
                                    .order_by(Subject.id.desc()))
        assert db.session.scalar(select(func.count(Assignment.id)))
    client = app.test_client()
    import re

    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/login").get_data(as_text=True)).group(1)
    assert client.post("/login", data={"csrf_token": token, "username": "kundulun",
                                       "password": "Fengqiao-2026"}).status_code in (302, 303)
    for path in ("/mediation/", "/mediation/?q=王", f"/mediation/{written}", f"/mediation/{written}/documents/agreement",
                 "/rehabilitation/", f"/rehabilitation/{subject}", "/portal/", "/healthz"):
        assert client.get(path).status_code == 200, path
    with app.app_context():
        db.engine.dispose()


def test_benchmark_and_soak_run_and_write_their_tables(seeded, tmp_path):
    """Smoke run of `python -m bench.load` on the tiny generated database, so that it cannot rot: gunicorn
    starts, every page of the mix answers, the tables are written. Timings are not asserted."""
    import json
    import subprocess
    import sys

    path = seeded[0][1]  # the second copy: the page test above uses the first
    root = __file__.rsplit("/tests/", 1)[0]
    url = f"sqlite:///{path}"
    common = ["--database-url", url, "--clients", "2", "--workers", "1", "--out", str(tmp_path)]
    subprocess.run([sys.executable, "-m", "bench.load", *common, "--seconds", "0.2", "--name", "smoke"],
                   cwd=root, check=True, timeout=300, capture_output=True)
    report = json.loads((tmp_path / "smoke.json").read_text())
    assert {"pages", "floor", "database", "cases", "subjects"} <= set(report)
    assert report["database"] == "sqlite" and report["floor"]["req_s"] > 0 and report["floor"]["errors"] == 0
    pages = {p["name"]: p for p in report["pages"]}
    assert all({"name", "p95_ms", "p50_ms", "req_s", "errors"} <= set(p) for p in report["pages"])
    for label in ("cases: first page", "cases: name search (2 chars)", "case page",
                  "subjects: first page", "subject page", "portal", "download: mediation agreement",
                  "dashboard: city", "OCDS feed (year)"):
        assert pages[label]["requests"] > 0 and pages[label]["errors"] == 0, (label, pages[label]["statuses"])
    assert report["cases"] >= 300 and report["subjects"] > 0 and report["worker_peak_rss_mb"]
    assert report["docx"]["mediation_agreement"]["speedup"] > 0
    layout = report["layout_floor"]  # the signed-in floor: the layout and a small form, no rows
    assert layout["path"] == "/password" and layout["errors"] == 0 and pages["case page"]["p95_ratio_layout"] > 0
    assert pages["case page"]["cpu_ms_per_request"]["app"] > 0  # where the time goes: app, database, client
    table = (tmp_path / "smoke.md").read_text()
    assert "| cases: first page |" in table and "| document |" in table
    compared = subprocess.run([sys.executable, "-m", "bench.compare", "smoke", "smoke", "--folder", str(tmp_path)],
                              cwd=root, check=True, timeout=60, capture_output=True, text=True).stdout
    assert "| case page |" in compared and "| 1.0 |" in compared
    subprocess.run([sys.executable, "-m", "bench.load", *common, "--seconds", "0.2", "--name", "two", "--instances", "2",
                    "--only", "case page|cases: first page", "--no-docx"], cwd=root, check=True, timeout=300,
                   capture_output=True)
    two = json.loads((tmp_path / "two.json").read_text())
    assert two["instances"] == 2 and len(two["worker_peak_rss_mb"]) == 2  # one worker in each of two servers
    assert {p["name"] for p in two["pages"]} == {"layout floor: signed in, no rows", "cases: first page", "case page"}
    assert all(p["requests"] > 0 and p["errors"] == 0 for p in two["pages"]), two["pages"]
    subprocess.run([sys.executable, "-m", "bench.load", *common, "--soak", "3", "--name", "soak"],
                   cwd=root, check=True, timeout=300, capture_output=True)
    soak = json.loads((tmp_path / "soak.json").read_text())
    assert soak["5xx"] == 0 and soak["requests"] > 0


def test_the_plans_of_every_page_are_written(seeded, tmp_path):
    """Smoke run of `python -m bench.plans` on the tiny generated database: every page of the mix is requested,
    its read statements are explained (EXPLAIN QUERY PLAN here, EXPLAIN ANALYZE on PostgreSQL) and written."""
    import subprocess
    import sys

    root = __file__.rsplit("/tests/", 1)[0]
    subprocess.run([sys.executable, "-m", "bench.plans", "--database-url", f"sqlite:///{seeded[0][1]}", "--name", "tiny",
                    "--out", str(tmp_path), "--only", "cases: first page|subject page|inbox: district"],
                   cwd=root, check=True, timeout=300, capture_output=True)
    written = (tmp_path / "tiny-plans.md").read_text()
    assert "| cases: first page |" in written and "| inbox: district |" in written
    assert "## subject page" in written and "not explained: `INSERT INTO audit_log" in written
    assert "FROM mediation_case" in written and ("SCAN" in written or "SEARCH" in written)


def test_two_versions_are_compared_page_by_page(seeded, tmp_path):
    """Smoke run of `python -m bench.ab` on the tiny generated database, this checkout against itself: both
    workers answer every page asked for, and the table names them with a ratio."""
    import subprocess
    import sys

    root = __file__.rsplit("/tests/", 1)[0]
    subprocess.run([sys.executable, "-m", "bench.ab", "--database-url", f"sqlite:///{seeded[0][1]}", "--before", root,
                    "--rounds", "2", "--requests", "2", "--only", "cases: first page|inbox: district",
                    "--name", "tiny-ab", "--out", str(tmp_path)], cwd=root, check=True, timeout=300, capture_output=True)
    report = json.loads((tmp_path / "tiny-ab.json").read_text())
    assert [p["name"] for p in report["pages"]] == ["cases: first page", "inbox: district"]
    assert all(p["before_app_ms"] > 0 and p["after_app_ms"] > 0 and p["ratio"] for p in report["pages"])
    assert "| cases: first page |" in (tmp_path / "tiny-ab.md").read_text()
