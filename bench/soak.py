"""Soak (issue 9, item 9): `python -m bench.load --soak SECONDS --database-url URL`.

N clients run the benchmark's read mix with writes mixed in (about one request in eight): mediation
cases registered through the real intake form (as the organisation's admin, with its CSRF token) and
service records added through the subject page's form (as the assistance worker). Every write the
server acknowledged (a redirect) carries a unique token in its text; afterwards each token is looked
up in the database. Reports 5xx count, other errors, acknowledged and found writes, and the workers'
RSS in the first and the last minute. Loopback only; bounded in time and in requests.
"""
import os
import random
import re
import threading
import time
from datetime import datetime
from zoneinfo import ZoneInfo


def _beijing_today():
    """The server's business date is Beijing's (models.clock), whatever this machine's TZ."""
    return datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()


def _writes_targets(url):
    from sqlalchemy import select

    from app import create_app
    from extensions import db
    from models import Contract, Unit, User
    from models.rehabilitation import AssistanceGroup, GroupMember, Subject

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        worker = db.session.scalar(select(User).where(User.username == "bangjiao"))
        subject_ids = db.session.scalars(
            select(Subject.id).join(AssistanceGroup).join(GroupMember)
            .where(GroupMember.staff_member_id == worker.staff_member_id, Subject.status == "under_assistance")
            .order_by(Subject.id.desc()).limit(20)).all()
        admin = db.session.scalar(select(User).where(User.username == "herun"))
        contract = db.session.scalar(select(Contract.id).where(Contract.contractor_id == admin.contractor_id,
                                                               Contract.category == "mediation")
                                     .order_by(Contract.id.desc()))
        area = db.session.scalar(select(Unit.id).where(Unit.code == "150203"))
    return {"subjects": subject_ids, "contract": contract or 0, "area": area}


def _case_form(token, w):
    today = _beijing_today()
    return {"csrf_token": token, "source": "application_oral", "category": "neighbour", "area_unit_id": w["area"],
            "township": "昆北街道", "contract_id": w["contract"], "amount": "", "received_on": today,
            "facts": f"压力测试 {w['tag']} 邻里漏水纠纷", "requests": "赔偿维修费用",
            "parties-0-side": "applicant", "parties-0-kind": "person", "parties-0-name": "测试申请人",
            "parties-1-side": "respondent", "parties-1-kind": "person", "parties-1-name": "测试被申请人",
            "parties-2-side": "respondent", "parties-2-kind": "person", "parties-2-name": "",
            "parties-3-side": "respondent", "parties-3-kind": "person", "parties-3-name": ""}


def run(args, Server, Client, MemoryWatch, targets, mix, free_port, write):
    t = targets(args.database_url)
    w = _writes_targets(args.database_url)
    port = args.port or free_port()
    reads = [(label, user, path) for label, user, path in mix(t)]
    stats = {"requests": 0, "5xx": 0, "other_errors": 0, "by_status": {}, "acked_cases": [], "acked_records": [],
             "write_failures": []}
    lock = threading.Lock()
    limit = int(args.soak * 400)  # a hard bound on requests whatever the speed

    os.makedirs(args.out, exist_ok=True)
    with Server(args.database_url, args.workers, port, args.threads, args.out) as server:
        watch = MemoryWatch(server)
        watch.start()
        started = time.monotonic()  # once the server answers: its start-up is not part of the soak
        deadline = started + args.soak

        def client_loop(n):
            rng = random.Random(n)
            sessions = {}

            def session(user):
                if user not in sessions:
                    sessions[user] = Client(port).login(user) if user else Client(port)
                return sessions[user]

            tokens = {}
            seq = 0
            while time.monotonic() < deadline:
                with lock:
                    if stats["requests"] >= limit:
                        return
                seq += 1
                tag = f"S{n}-{seq}-{rng.randrange(10 ** 9)}"
                roll = rng.random()
                try:
                    if roll < 0.07:
                        c = session("herun")
                        if "case" not in tokens:
                            tokens["case"] = c.csrf("/mediation/new")
                        status, headers, _ = c.post_form("/mediation/", _case_form(tokens["case"], dict(w, tag=tag)))
                        kind = "case"
                    elif roll < 0.13 and w["subjects"]:
                        c = session("bangjiao")
                        subject = rng.choice(w["subjects"])
                        if "record" not in tokens:
                            tokens["record"] = c.csrf(f"/rehabilitation/{subject}")
                        status, headers, _ = c.post_form(f"/rehabilitation/{subject}/records", {
                            "csrf_token": tokens["record"], "kind": "visit", "on": _beijing_today(),
                            "content": f"压力测试 {tag} 走访谈话", "outcome": "", "base_id": ""})
                        kind = "record"
                    else:
                        label, user, path = rng.choice(reads)
                        user_name = {"district": "kundulun", "city": "city", "contractor": "herun",
                                     "worker": "herun_tiaojie", "assistance": "bangjiao"}.get(user)
                        status, headers, _ = session(user_name).get(path)
                        kind = None
                except Exception as e:  # noqa: BLE001  (a dropped connection counts as a server error)
                    status, headers, kind = 599, {}, None
                    with lock:
                        stats["write_failures"].append(repr(e)[:200])
                with lock:
                    stats["requests"] += 1
                    stats["by_status"][str(status)] = stats["by_status"].get(str(status), 0) + 1
                    if status >= 500:
                        stats["5xx"] += 1
                    elif status >= 400:
                        stats["other_errors"] += 1
                    if kind and status in (302, 303):
                        location = headers.get("Location", "")
                        if kind == "case" and re.search(r"/mediation/\d+$", location):
                            stats["acked_cases"].append(tag)
                        elif kind == "record":
                            stats["acked_records"].append(tag)
                        else:
                            stats["write_failures"].append(f"{kind} {status} {location}")
                    elif kind:
                        stats["write_failures"].append(f"{kind} answered {status}")

        threads = [threading.Thread(target=client_loop, args=(i,)) for i in range(args.clients)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        elapsed = time.monotonic() - started
        watch.stop.set()
        series = watch.series
    first = [v for ts, v in series if ts - started <= 60]
    last = [v for ts, v in series if ts >= started + elapsed - 60]
    found = _verify(args.database_url, stats["acked_cases"], stats["acked_records"])
    report = {"name": args.name, "seconds": round(elapsed, 1), "clients": args.clients, "workers": args.workers,
              "requests": stats["requests"], "rps": round(stats["requests"] / elapsed, 1), "5xx": stats["5xx"],
              "other_4xx": stats["other_errors"], "by_status": stats["by_status"],
              "acknowledged_cases": len(stats["acked_cases"]), "found_cases": found["cases"],
              "acknowledged_records": len(stats["acked_records"]), "found_records": found["records"],
              "write_failures": stats["write_failures"][:20],
              "rss_first_minute_max_mb": round(max(first), 1) if first else None,
              "rss_last_minute_max_mb": round(max(last), 1) if last else None,
              "worker_peak_rss_mb": sorted(round(v, 1) for v in watch.peak.values())}
    write(report, args.name, args.out)
    for k, v in report.items():
        print(f"{k}: {v}")
    return report


def _verify(url, cases, records):
    from sqlalchemy import select

    from app import create_app
    from extensions import db
    from models.mediation import MediationCase
    from models.rehabilitation import ServiceRecord

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        facts = set(db.session.scalars(select(MediationCase.facts).where(MediationCase.facts.like("压力测试 S%"))))
        contents = set(db.session.scalars(select(ServiceRecord.content).where(ServiceRecord.content.like("压力测试 S%"))))
    tags_cases = {f.split()[1] for f in facts}
    tags_records = {c.split()[1] for c in contents}
    return {"cases": sum(1 for t in cases if t in tags_cases), "records": sum(1 for t in records if t in tags_records)}
