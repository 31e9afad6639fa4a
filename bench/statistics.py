"""Scale check for the mediation statistics (DOMAIN.md §9) over many cases.

    python -m bench.statistics [N] [DATABASE_URL]

Builds N synthetic cases over ten units and three years (two parties each, an agreement for each
success) in a fresh database (SQLite file by default), then times the report for one unit's month, one
unit's year and the whole city's year: grouped queries, so the time follows the rows of the period.
"""
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select

OUTCOMES = ("succeeded", "succeeded", "succeeded", "failed", "withdrawn", "refused", None)
CATEGORIES = ("family", "neighbour", "housing", "contract", "damage", "labour", "traffic", "property", "other")
SOURCES = ("application_written", "application_oral", "initiative", "police", "court")


def main(n=300_000, url=None):
    from app import create_app
    from extensions import db
    from models import Contractor, Unit
    from models.mediation import Agreement, MediationCase, Party
    from models import mediation_figures

    url = url or "sqlite:///" + tempfile.mkdtemp() + "/bench.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        units = db.session.scalars(select(Unit).order_by(Unit.code)).all()
        org = Contractor(name="基准调解中心", org_type="social_service", uscc="52150203MJ0000001", seat_unit_id=units[2].id,
                         legal_representative="王建国", address="包头市", contact_name="李秀兰", contact_phone="0472",
                         status="approved")
        db.session.add(org)
        db.session.flush()
        start = time.perf_counter()
        cases, parties, agreements = [], [], []
        first = date(2024, 1, 1)

        def flush():
            db.session.execute(insert(MediationCase), cases)
            db.session.execute(insert(Party), parties)
            db.session.execute(insert(Agreement), agreements)
            cases.clear(), parties.clear(), agreements.clear()

        for i in range(1, n + 1):
            received = first + timedelta(days=i % 1060)
            outcome = OUTCOMES[i % len(OUTCOMES)]
            concluded = received + timedelta(days=i % 40) if outcome else None
            cases.append({"id": i, "contractor_id": org.id, "area_unit_id": units[i % len(units)].id, "year": received.year,
                          "seq": i, "number": f"（{received.year}）基调字第{i}号", "source": SOURCES[i % len(SOURCES)],
                          "category": CATEGORIES[i % len(CATEGORIES)], "amount": Decimal(i % 50_000),
                          "facts": "纠纷", "requests": "请求", "received_on": received,
                          "due_on": received + timedelta(days=30), "status": outcome or "mediating", "outcome": outcome,
                          "concluded_on": concluded, "township": "", "created_at": received, "updated_at": received})
            parties += [{"case_id": i, "side": side, "kind": "person", "name": "当事人", "contact_ok": False}
                        for side in ("applicant", "respondent")]
            if outcome == "succeeded":
                agreements.append({"case_id": i, "kind": ("written", "oral")[i % 2], "matters": "事项", "terms": "协议",
                                   "effective_on": concluded, "created_at": concluded, "updated_at": concluded})
            if len(cases) == 5000:
                flush()
        if cases:
            flush()
        db.session.commit()
        print(f"inserted {n} cases in {time.perf_counter() - start:.1f}s "
              f"({db.session.scalar(select(func.count()).select_from(Party))} parties)")
        for label, unit, (s, e) in (("one unit, one month", units[2], mediation_figures.month_bounds(2025, 10)),
                                    ("one unit, one year", units[2], mediation_figures.month_bounds(2025, 0)),
                                    ("whole city, one year", None, mediation_figures.month_bounds(2025, 0))):
            t = time.perf_counter()
            report = mediation_figures.report(unit.id if unit else None, s, e)
            print(f"{label:22s} received {report['total']['received']:7d}, concluded "
                  f"{report['total']['concluded']:7d} in {(time.perf_counter() - t) * 1000:7.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300_000, sys.argv[2] if len(sys.argv) > 2 else None)
