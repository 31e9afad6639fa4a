"""Scale check for the subject list (issue 5: "fast at a hundred thousand subjects").

    python -m bench.rehab_subjects [N] [DATABASE_URL]

Builds N synthetic subjects for one unit in a fresh database (SQLite file by default), then times the
list page's queries: the first page, a name prefix, the last digits of the ID number, and filters.
"""
import sys
import tempfile
import time
from datetime import date, timedelta

from sqlalchemy import func, insert, select

SURNAMES = "韩邓蒋葛苏潘范彭曾吕丁魏段石"
GIVEN = "立文国春海小志永凡德建长波磊平亮富生龙军刚红明旺青"


def main(n=100_000, url=None):
    from app import create_app
    from extensions import db
    from models import Unit, User
    from models.rehabilitation import Subject
    from demo.helpers import make_id_number

    url = url or "sqlite:///" + tempfile.mkdtemp() + "/bench.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        unit = db.session.scalar(select(Unit).where(Unit.code == "150203"))
        rows = []
        start = time.perf_counter()
        for i in range(n):
            born = date(1960, 1, 1) + timedelta(days=i % 14000)
            number = make_id_number("150203", born, i % 1000)
            rows.append({"unit_id": unit.id, "name": SURNAMES[i % 14] + GIVEN[i % 23] + GIVEN[(i // 23) % 23],
                         "id_number": number, "id_tail": number[-6:], "id_last4": number[-4:], "sex": "男", "ethnicity": "汉族",
                         "birth_date": born, "township": f"街道{i % 12}", "exit_type": "prison",
                         "release_date": date(2022, 1, 1) + timedelta(days=i % 1700), "key_flags": [],
                         "flagged": i % 10 == 0, "status": ("under_assistance", "ended", "reported")[i % 3],
                         "risk_level": ("low", "medium", "high", None)[i % 4], "created_at": date(2026, 1, 1)})
            if len(rows) == 5000:
                db.session.execute(insert(Subject), rows)
                rows = []
        if rows:
            db.session.execute(insert(Subject), rows)
        db.session.commit()
        print(f"inserted {n} subjects in {time.perf_counter() - start:.1f}s")
        user = User(username="bench", display_name="bench", role="district", unit_id=unit.id, active=True)
        from blueprints.rehabilitation.views import PAGE_SIZE, _filtered
        from models.rehabilitation import listed_subjects

        for label, args in (("first page", {}), ("name prefix", {"q": "韩立"}), ("ID tail", {"q": "0015"}),
                            ("key, high risk", {"category": "key", "risk": "high"}),
                            ("township and release dates", {"township": "街道3", "released_from": "2023-01-01",
                                                            "released_to": "2023-06-30"})):
            query = _filtered(select(Subject).where(listed_subjects(user)), args)
            t = time.perf_counter()
            total = db.session.scalar(select(func.count()).select_from(query.subquery()))
            page = db.session.scalars(query.order_by(Subject.id.desc()).limit(PAGE_SIZE)).all()
            print(f"{label:28s} {total:7d} rows, first {len(page):2d} in {(time.perf_counter() - t) * 1000:6.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000, sys.argv[2] if len(sys.argv) > 2 else None)
