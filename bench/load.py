"""Load benchmark (issue 8) and soak (issue 9, item 9). Loopback only; stdlib HTTP client.

    python -m bench.load --database-url sqlite:////tmp/fq-500k.db --clients 8 --seconds 8 --name sqlite-500k
    python -m bench.load --database-url ... --soak 300 --name soak-sqlite

Starts the app under gunicorn on 127.0.0.1 with the production settings (no TESTING, no debug, the
real session and CSRF checks; only SESSION_COOKIE_SECURE=0 because loopback is plain HTTP), logs in
as each kind of user, and drives each page of a fixed list with N concurrent clients for a fixed time,
one page after another, the trivial page (/healthz, the framework's floor) first and last. Reports per
page req/s, p50, p95, p99, errors and p95 ÷ floor p95, and the workers' peak RSS (from /proc). Writes
bench/results/<name>.md and .json. Also times, in this process, a straightforward docxtpl render (a new
DocxTemplate from the file each time) against docgen.render for the same agreement.
"""
import argparse
import contextlib
import http.client
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from datetime import datetime, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PASSWORD = "Fengqiao-2026"
USERS = {"district": "kundulun", "city": "city", "contractor": "herun", "worker": "herun_tiaojie",
         "assistance": "bangjiao"}


# ---------------------------------------------------------------- HTTP client with a session cookie


class Client:
    def __init__(self, port):
        self.port = port
        self.cookies = {}
        self.conn = None

    def _conn(self):
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        return self.conn

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            try:
                conn = self._conn()
                conn.request(method, path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                break
            except (http.client.HTTPException, ConnectionError, socket.timeout):
                self.conn = None
                if attempt == 2:
                    raise
        for value in resp.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if resp.getheader("Connection", "").lower() == "close":
            self.conn = None
        return resp.status, resp.headers, data

    def get(self, path):
        return self.request("GET", path)

    def post_form(self, path, fields):
        body = urllib.parse.urlencode(fields)
        return self.request("POST", path, body=body, headers={"Content-Type": "application/x-www-form-urlencoded"})

    def csrf(self, path):
        status, _, data = self.get(path)
        m = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', data) or re.search(
            rb'value="([^"]+)"[^>]*name="csrf_token"', data)
        if not m:
            raise RuntimeError(f"no CSRF token on {path} ({status})")
        return m.group(1).decode()

    def login(self, username):
        token = self.csrf("/login")
        status, headers, _ = self.post_form("/login", {"csrf_token": token, "username": username,
                                                       "password": PASSWORD})
        if status not in (302, 303):
            raise RuntimeError(f"login of {username} failed: {status}")
        return self


# ---------------------------------------------------------------- the server


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


SECRET = os.environ.get("SECRET_KEY", "bench-" + os.urandom(8).hex())  # one key: every instance honours a login


class Server:
    def __init__(self, url, workers, port, threads=1, log_dir=os.path.join(HERE, "results")):
        self.url, self.workers, self.port, self.threads = url, workers, port, threads
        self.log = os.path.join(log_dir, "gunicorn.log")
        self.proc = None

    def __enter__(self):
        env = dict(os.environ, DATABASE_URL=self.url, SESSION_COOKIE_SECURE="0", SECRET_KEY=SECRET)
        env.pop("FENGQIAO_NOW", None)
        env.pop("FLASK_DEBUG", None)
        gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
        self.proc = subprocess.Popen(
            [gunicorn, "-w", str(self.workers), "--threads", str(self.threads), "-b", f"127.0.0.1:{self.port}",
             "--log-level", "warning", "--error-logfile", "-", "app:create_app()"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(self.log, "a"),
            start_new_session=True)
        for _ in range(300):
            try:
                status, _, _ = Client(self.port).get("/healthz")
                if status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        else:
            raise RuntimeError(f"gunicorn did not start (see {self.log})")
        return self

    def worker_pids(self):
        try:
            with open(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children") as f:
                return [int(p) for p in f.read().split()]
        except OSError:
            return []

    def __exit__(self, *exc):
        if self.proc:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


def rss_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None


class MemoryWatch(threading.Thread):
    """Samples the workers' RSS every half second; keeps the peak per worker and a time series."""

    def __init__(self, server):
        super().__init__(daemon=True)
        self.server, self.peak, self.series, self.stop = server, {}, [], threading.Event()

    def run(self):
        while not self.stop.is_set():
            total = []
            for pid in self.server.worker_pids():
                value = rss_mb(pid)
                if value:
                    self.peak[pid] = max(self.peak.get(pid, 0), value)
                    total.append(value)
            if total:
                self.series.append((time.monotonic(), max(total)))
            self.stop.wait(0.5)


TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids):
    """User + system CPU of these processes so far (from /proc/<pid>/stat)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return total / TICK


def postgres_pids():
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/comm") as f:
                    if f.read().strip() == "postgres":
                        found.append(int(name))
            except OSError:
                pass
    return found


def cpu_snapshot(servers):
    """CPU seconds so far of the app servers (masters and workers), the database's processes (PostgreSQL; SQLite
    works inside the app) and this client: where a page's time goes when the cores are the limit."""
    app = [s.proc.pid for s in servers] + [p for s in servers for p in s.worker_pids()]
    return {"app": cpu_seconds(app), "database": cpu_seconds(postgres_pids()), "client": sum(os.times()[:2])}


def cpu_per_request(before, after, requests):
    return {k: round((after[k] - before[k]) * 1000 / requests, 2) if requests else None for k in before}


# ---------------------------------------------------------------- the pages


def targets(url):
    """Record IDs and search values for the mix, read from the database the server uses."""
    sys.path.insert(0, ROOT)
    from sqlalchemy import func, select

    from app import create_app
    from extensions import db
    from models import User
    from models.mediation import Agreement, MediationCase, Party, visible_cases
    from models.rehabilitation import AssistancePlan, Subject, listed_subjects

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        users = {k: db.session.scalar(select(User).where(User.username == v)) for k, v in USERS.items()}
        district = users["district"]
        scope = visible_cases(district)
        ids = db.session.scalars(scope.with_only_columns(MediationCase.id).order_by(MediationCase.id.desc())
                                 .limit(1).offset(1000)).all()
        deep = ids[0] if ids else None  # tiny databases (the smoke test) fall back to the middle case
        case_id = db.session.scalar(scope.with_only_columns(MediationCase.id).join(Agreement)
                                    .where(Agreement.kind == "written").order_by(MediationCase.id.desc()).limit(1))
        mid = db.session.scalar(scope.with_only_columns(MediationCase.id).order_by(MediationCase.id.desc())
                                .limit(1).offset(500)) or case_id
        name = db.session.scalar(select(Party.name).join(MediationCase).where(MediationCase.area_unit_id == district.unit_id)
                                 .order_by(Party.id.desc()).limit(1).offset(300))
        township = db.session.scalar(select(MediationCase.township).where(MediationCase.area_unit_id == district.unit_id)
                                     .order_by(MediationCase.id.desc()).limit(1))
        subject_q = select(Subject.id).where(listed_subjects(district))
        subject_id = (db.session.scalar(subject_q.order_by(Subject.id.desc()).limit(1).offset(200))
                      or db.session.scalar(subject_q.order_by(Subject.id.desc()).limit(1)))
        plan = db.session.execute(select(AssistancePlan.id, AssistancePlan.subject_id).join(Subject)
                                  .where(Subject.unit_id == district.unit_id)
                                  .order_by(AssistancePlan.id.desc()).limit(1)).first()
        subject_name = db.session.scalar(select(Subject.name).where(Subject.id == subject_id))
        counts = {"cases": db.session.scalar(select(func.count(MediationCase.id))),
                  "subjects": db.session.scalar(select(func.count(Subject.id)))}
        from flask import url_for  # noqa: F401

        rules = {r.endpoint for r in app.url_map.iter_rules()}
        year = db.session.scalar(select(func.max(MediationCase.year)))
    return {"deep": deep or mid, "case": case_id, "case_mid": mid, "name": name[:2] if name else "王",
            "township": township, "subject": subject_id, "plan": plan, "subject_name": subject_name,
            "counts": counts, "rules": rules, "year": year}


LAYOUT_FLOOR = "layout floor: signed in, no rows"


def mix(t):
    q = urllib.parse.quote
    pages = [
        ("floor /healthz", None, "/healthz"),
        # the floor of a signed-in page: the user, the layout and a small form, no rows (issue 16)
        (LAYOUT_FLOOR, "district", "/password"),
        ("cases: first page", "district", "/mediation/"),
        ("cases: deep page", "district", f"/mediation/?before={t['deep']}"),
        ("cases: status filter", "district", "/mediation/?status=mediating"),
        ("cases: category filter", "district", "/mediation/?category=labour"),
        ("cases: source filter", "district", "/mediation/?source=court"),
        ("cases: township filter", "district", f"/mediation/?township={q(t['township'] or '')}"),
        ("cases: date range", "district", f"/mediation/?from={t['year']}-03-01&to={t['year']}-03-31"),
        ("cases: overdue", "district", "/mediation/?overdue=1"),
        ("cases: name search (2 chars)", "district", f"/mediation/?q={q(t['name'])}"),
        ("cases: contractor's list", "contractor", "/mediation/"),
        ("cases: worker's list", "worker", "/mediation/"),
        ("cases: city's list", "city", "/mediation/"),
        ("case page", "district", f"/mediation/{t['case_mid']}"),
        ("subjects: first page", "district", "/rehabilitation/"),
        ("subjects: status filter", "district", "/rehabilitation/?status=under_assistance"),
        ("subjects: name search", "district", f"/rehabilitation/?q={q((t['subject_name'] or '王')[:2])}"),
        ("subjects: worker's list", "assistance", "/rehabilitation/"),
        ("subject page", "district", f"/rehabilitation/{t['subject']}"),
        ("portal", None, "/portal/"),
        ("download: mediation agreement", "district", f"/mediation/{t['case']}/documents/agreement"),
    ]
    if t["plan"]:
        pages.append(("download: assistance plan", "district",
                      f"/rehabilitation/{t['plan'][1]}/plans/{t['plan'][0]}/document"))
    optional = [("dashboard: district", "district", "dashboard.index", "/dashboard/"),
                ("dashboard: district, mediation panel", "district", "dashboard.panel", "/dashboard/mediation"),
                ("dashboard: city", "city", "dashboard.index", "/dashboard/"),
                ("dashboard: city, mediation panel", "city", "dashboard.panel", "/dashboard/mediation"),
                ("OCDS feed (year)", None, "portal.ocds_year", f"/portal/ocds/{t['year']}.json"),
                ("inbox: district", "district", "inbox.index", "/inbox/"),
                ("inbox: contractor", "contractor", "inbox.index", "/inbox/"),
                ("inbox: worker", "worker", "inbox.index", "/inbox/"),
                ("inbox: navigation count", "district", "inbox.count", "/inbox/count")]
    for label, user, endpoint, path in optional:
        if endpoint in t["rules"]:
            pages.append((label, user, path))
    return pages


def drive(ports, sessions, user, path, clients, seconds, max_requests=None):
    """N threads each with its own keep-alive connection and the user's cookie, for `seconds`; client i
    talks to ports[i % len(ports)] (several app instances: the clients spread over them)."""
    latencies, errors, statuses = [], [0], {}
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds
    count = [0]

    def worker(i):
        c = Client(ports[i % len(ports)])
        if user:
            c.cookies = dict(sessions[user][i % len(sessions[user])].cookies)
        while time.perf_counter() < deadline:
            with lock:
                if max_requests and count[0] >= max_requests:
                    return
                count[0] += 1
            t0 = time.perf_counter()
            try:
                status, _, _ = c.get(path)
            except Exception:  # noqa: BLE001  (a broken connection is an error of the run)
                status = 599
            dt = time.perf_counter() - t0
            with lock:
                latencies.append(dt)
                statuses[status] = statuses.get(status, 0) + 1
                if status >= 400:
                    errors[0] += 1

    start = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    elapsed = time.perf_counter() - start
    return summarize(latencies, elapsed, errors[0], statuses)


def pct(values, p):
    if not values:
        return None
    values = sorted(values)
    k = max(0, min(len(values) - 1, int(round(p / 100 * len(values) + 0.5)) - 1))
    return values[k]


def summarize(latencies, elapsed, errors, statuses):
    return {"requests": len(latencies), "req_s": round(len(latencies) / elapsed, 1) if elapsed else 0,
            "p50_ms": ms(pct(latencies, 50)), "p95_ms": ms(pct(latencies, 95)), "p99_ms": ms(pct(latencies, 99)),
            "errors": errors, "statuses": {str(k): v for k, v in sorted(statuses.items())}}


def ms(x):
    return None if x is None else round(x * 1000, 1)


def docx_side_by_side(url, case_id, plan, rounds=30):
    """Straightforward docxtpl (new DocxTemplate from the file per render) vs docgen.render, in-process."""
    import io

    from docxtpl import DocxTemplate

    from app import create_app
    from extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    out = {}
    with app.app_context():
        import docgen
        from models.mediation import MediationCase
        from models.rehabilitation import AssistancePlan

        docgen._load_builders()
        jobs = [("mediation_agreement", db.session.get(MediationCase, case_id))]
        if plan:
            jobs.append(("assistance_plan", db.session.get(AssistancePlan, plan[0])))
        for kind, obj in jobs:
            template, builder, _ = docgen.REGISTRY[kind]
            path = os.path.join(docgen.TEMPLATES, template)

            def naive():
                doc = DocxTemplate(path)
                doc.render(builder(obj), autoescape=True)
                buf = io.BytesIO()
                doc.save(buf)
                return buf.getvalue()

            def ours():
                return docgen.render(kind, obj)

            ours()  # warm the per-process preparation, as a worker would be after its first download
            row = {}
            for label, fn in (("naive docxtpl", naive), ("docgen.render", ours)):
                times = []
                for _ in range(rounds):
                    t0 = time.perf_counter()
                    fn()
                    times.append(time.perf_counter() - t0)
                row[label] = {"per_second": round(rounds / sum(times), 1), "p50": ms(statistics.median(times)),
                              "p95": ms(pct(times, 95))}
            row["speedup"] = round(row["docgen.render"]["per_second"] / row["naive docxtpl"]["per_second"], 2)
            out[kind] = row
    return out


# ---------------------------------------------------------------- the benchmark


def run_benchmark(args):
    t = targets(args.database_url)
    ports = [args.port + i if args.port else free_port() for i in range(args.instances)]
    results = []
    os.makedirs(args.out, exist_ok=True)
    with contextlib.ExitStack() as stack:
        servers = [stack.enter_context(Server(args.database_url, args.workers, port, args.threads, args.out))
                   for port in ports]
        sessions = {role: [Client(ports[0]).login(USERS[role]) for _ in range(2)] for role in USERS}
        watches = [MemoryWatch(server) for server in servers]
        for watch in watches:
            watch.start()
        pages = mix(t)
        if args.only:
            pages = pages[:2] + [p for p in pages[2:] if re.search(args.only, p[0])]  # the two floors always
        pages.append(pages[0])  # the floor again at the end
        for label, user, path in pages:
            drive(ports, sessions, user, path, args.clients, min(1.0, args.seconds / 4))  # warm-up
            before = cpu_snapshot(servers)
            row = {"name": label, **drive(ports, sessions, user, path, args.clients, args.seconds),
                   "path": path, "user": USERS.get(user, "anonymous")}
            row["cpu_ms_per_request"] = cpu_per_request(before, cpu_snapshot(servers), row["requests"])
            results.append(row)
            print(f"{label:34s} {row['req_s']:8.1f}/s p50 {row['p50_ms']:7.1f} p95 {row['p95_ms']:7.1f} "
                  f"p99 {row['p99_ms']:7.1f} errors {row['errors']} {row['statuses']}", flush=True)
        for watch in watches:
            watch.stop.set()
        peaks = sorted(round(v, 1) for watch in watches for v in watch.peak.values())
    floors = [r for r in results if r["name"].startswith("floor")]
    floor = {"name": floors[0]["name"], "path": floors[0]["path"], "p95_ms": min(r["p95_ms"] for r in floors),
             "p50_ms": min(r["p50_ms"] for r in floors), "req_s": max(r["req_s"] for r in floors),
             "errors": sum(r["errors"] for r in floors)}
    pages = [r for r in results if not r["name"].startswith("floor")]
    layout = next((r for r in pages if r["name"] == LAYOUT_FLOOR), None)
    for r in pages:
        r["p95_ratio"] = round(r["p95_ms"] / floor["p95_ms"], 1) if floor["p95_ms"] else None
        r["rps_share"] = round(r["req_s"] / floor["req_s"], 3) if floor["req_s"] else None
        if layout and layout["p95_ms"]:
            r["p95_ratio_layout"] = round(r["p95_ms"] / layout["p95_ms"], 1)
            r["rps_share_layout"] = round(r["req_s"] / layout["req_s"], 3) if layout["req_s"] else None
    docs = docx_side_by_side(args.database_url, t["case"], t["plan"]) if not args.no_docx else {}
    report = {"name": args.name, "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
              "database": args.database_url.split(":")[0].split("+")[0], "cases": t["counts"]["cases"],
              "subjects": t["counts"]["subjects"], "instances": args.instances, "clients": args.clients,
              "workers": args.workers, "threads": args.threads, "seconds_per_page": args.seconds,
              "cpus": os.cpu_count(), "loadavg_at_end": os.getloadavg(), "pages": pages, "floor": floor,
              "layout_floor": {k: layout[k] for k in ("name", "path", "p95_ms", "p50_ms", "req_s", "errors")}
              if layout else None,
              "worker_peak_rss_mb": peaks, "docx": docs}
    write(report, args.name, args.out)
    return report


def write(report, name, out):
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, f"{name}.json"), "w") as f:
        json.dump(report, f, ensure_ascii=False, indent=1)
    with open(os.path.join(out, f"{name}.md"), "w") as f:
        f.write(markdown(report))


def markdown(r):
    instances = f"{r['instances']} instances × " if r.get("instances", 1) > 1 else ""
    lines = [f"### {r['name']} — {r['database']}, {r['cases']:,} cases, {r['subjects']:,} subjects",
             "", f"{r['when']}; {r['clients']} clients, {instances}gunicorn {r['workers']} workers × {r['threads']} threads, "
             f"{r['seconds_per_page']} s per page; load average at the end {tuple(round(x, 1) for x in r['loadavg_at_end'])}.",
             "", "| page | req/s | p50 ms | p95 ms | p99 ms | errors | p95 ÷ floor p95 | req/s ÷ floor "
             "| p95 ÷ layout p95 | req/s ÷ layout | CPU ms/request: app · database · client |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    f = r["floor"]
    lines.append(f"| {f['name']} (floor) | {f['req_s']:.0f} | {f['p50_ms']} | {f['p95_ms']} | — | {f['errors']} "
                 "| 1.0 | 1.0 | — | — | |")
    for p in r["pages"]:
        cpu = p.get("cpu_ms_per_request") or {}
        lines.append(f"| {p['name']} | {p['req_s']:.0f} | {p['p50_ms']} | {p['p95_ms']} | {p['p99_ms']} | {p['errors']} | "
                     f"{p['p95_ratio']} | {p['rps_share']} | {p.get('p95_ratio_layout', '—')} | "
                     f"{p.get('rps_share_layout', '—')} | "
                     f"{' · '.join(str(cpu.get(k, '—')) for k in ('app', 'database', 'client'))} |")
    lines += ["", f"Workers' peak RSS (MB): {', '.join(str(x) for x in r['worker_peak_rss_mb'])}", ""]
    if r.get("docx"):
        lines += ["| document | naive docxtpl /s | naive p95 ms | docgen /s | docgen p95 ms | speed-up |",
                  "|---|---:|---:|---:|---:|---:|"]
        for kind, d in r["docx"].items():
            lines.append(f"| {kind} | {d['naive docxtpl']['per_second']} | {d['naive docxtpl']['p95']} | "
                         f"{d['docgen.render']['per_second']} | {d['docgen.render']['p95']} | {d['speedup']}× |")
        lines.append("")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- the soak


def run_soak(args):
    from bench import soak

    return soak.run(args, Server, Client, MemoryWatch, targets, mix, free_port, write_soak)


def write_soak(report, name, out):
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, f"{name}.json"), "w") as f:
        json.dump(report, f, ensure_ascii=False, indent=1)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--database-url", default=os.environ.get("DATABASE_URL"), required=not os.environ.get("DATABASE_URL"))
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--workers", type=int, default=3)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seconds", type=float, default=8, help="measured seconds per page")
    p.add_argument("--port", type=int, help="first port (instance i listens on port + i)")
    p.add_argument("--instances", type=int, default=1,
                   help="app servers (gunicorn instances) on the one database; the clients spread over them")
    p.add_argument("--name", default="run")
    p.add_argument("--out", default=os.path.join(HERE, "results"), help="folder for <name>.md and <name>.json")
    p.add_argument("--no-docx", action="store_true")
    p.add_argument("--only", metavar="REGEX", help="only the pages whose label matches (and the two floors)")
    p.add_argument("--soak", type=float, metavar="SECONDS", help="soak mode: the mix with writes for SECONDS")
    args = p.parse_args(argv)
    if args.database_url.startswith("postgresql://"):
        args.database_url = "postgresql+psycopg://" + args.database_url[len("postgresql://"):]
    return run_soak(args) if args.soak else run_benchmark(args)


if __name__ == "__main__":
    main()
