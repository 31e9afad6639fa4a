"""Two versions of the code side by side: CPU per request of every page of the mix, interleaved (issue 16).

    git worktree add /tmp/before <commit>          # the code to compare against, beside this checkout
    python -m bench.ab --database-url "$DATABASE_URL" --before /tmp/before --rounds 6 --requests 30 --name ab
    # -> results/<name>.md and .json  (--only REGEX: a subset of the pages)

Each version runs in a process of its own (Flask's test client, the benchmark's users signed in), on the same
database. The driver asks the two in turn for N requests of a page, in ABBA order over the rounds, so that the
machine's drift (a virtual machine's CPU here varies by a third from one minute to the next) falls on both
alike; a p95 under load cannot show a 10 % change on such a machine, this can. Counted per request: the CPU of
the version's process (app: Flask, Jinja, SQLAlchemy, the driver) and of PostgreSQL's processes (database;
SQLite works inside the app). No HTTP server: what gunicorn adds is the same for both.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def serve(root, url):
    """Worker: the code at `root`, signed in; reads "label|n" lines, answers {"app", "db"} ms per request."""
    sys.path.insert(0, root)
    os.chdir(root)
    from app import create_app
    from bench.load import PASSWORD, USERS, cpu_seconds, mix, postgres_pids, targets

    pages = {label: (user, path) for label, user, path in mix(targets(url))}
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False, "SESSION_COOKIE_SECURE": False})
    clients = {None: app.test_client()}
    for role, username in USERS.items():
        clients[role] = app.test_client()
        r = clients[role].post("/login", data={"username": username, "password": PASSWORD})
        assert r.status_code in (302, 303), (username, r.status_code)
    print(json.dumps(list(pages)), flush=True)
    for line in sys.stdin:
        label, n = line.rstrip("\n").rsplit("|", 1)
        user, path = pages[label]
        client, n = clients[user], int(n)
        for _ in range(3):  # what the process keeps, warm
            assert client.get(path).status_code == 200, (label, path)
        pids = postgres_pids() if url.startswith("postgresql") else []
        db0, app0 = cpu_seconds(pids), time.process_time()
        for _ in range(n):
            client.get(path)
        print(json.dumps({"app": (time.process_time() - app0) / n * 1000, "db": (cpu_seconds(pids) - db0) / n * 1000}),
              flush=True)


def compare(args):
    workers = {}
    for name, root in (("before", os.path.abspath(args.before)), ("after", ROOT)):
        # -P: bench/ is not put first on the path (its statistics.py would hide the standard library's)
        workers[name] = subprocess.Popen([sys.executable, "-P", os.path.abspath(__file__), "--serve", root,
                                          "--database-url", args.database_url],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    labels = [json.loads(w.stdout.readline()) for w in workers.values()][1]
    pages = []
    try:
        for label in labels:
            if args.only and not re.search(args.only, label):
                continue
            cpu = {"before": {"app": 0.0, "db": 0.0}, "after": {"app": 0.0, "db": 0.0}}
            for r in range(args.rounds):
                for name in ("before", "after") if r % 2 == 0 else ("after", "before"):
                    worker = workers[name]
                    worker.stdin.write(f"{label}|{args.requests}\n")
                    worker.stdin.flush()
                    answer = json.loads(worker.stdout.readline())
                    for part in ("app", "db"):
                        cpu[name][part] += answer[part] / args.rounds
            before, after = sum(cpu["before"].values()), sum(cpu["after"].values())
            pages.append({"name": label, **{f"{name}_{part}_ms": round(cpu[name][part], 2)
                                            for name in cpu for part in ("app", "db")},
                          "ratio": round(after / before, 2) if before else None})
            print(f"{label:40} {before:7.2f} -> {after:7.2f} ms  {pages[-1]['ratio']}", flush=True)
    finally:
        for worker in workers.values():
            worker.stdin.close()
            worker.wait(timeout=60)
    report = {"name": args.name, "database": args.database_url.split(":", 1)[0], "before": args.before,
              "rounds": args.rounds, "requests": args.requests,
              "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "pages": pages}
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, f"{args.name}.json"), "w") as f:
        json.dump(report, f, ensure_ascii=False, indent=1)
    with open(os.path.join(args.out, f"{args.name}.md"), "w") as f:
        f.write(markdown(report))
    return report


def markdown(r):
    lines = [f"# {r['name']}: CPU per request, {r['before']} → this checkout", "",
             f"{r['when']}; {r['database']}; {r['rounds']} rounds × {r['requests']} requests per version and page, "
             "ABBA order", "",
             "| page | app before | app after | database before | database after | total ratio |",
             "|---|---:|---:|---:|---:|---:|"]
    for p in r["pages"]:
        lines.append(f"| {p['name']} | {p['before_app_ms']} | {p['after_app_ms']} | {p['before_db_ms']} | "
                     f"{p['after_db_ms']} | {p['ratio']} |")
    return "\n".join(lines) + "\n"


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--database-url", default=os.environ.get("DATABASE_URL"),
                   required=not os.environ.get("DATABASE_URL"))
    p.add_argument("--before", help="a checkout of the code to compare against (git worktree add DIR COMMIT)")
    p.add_argument("--rounds", type=int, default=6)
    p.add_argument("--requests", type=int, default=30, help="requests per version, page and round")
    p.add_argument("--only", metavar="REGEX")
    p.add_argument("--name", default="ab")
    p.add_argument("--out", default=os.path.join(HERE, "results"))
    p.add_argument("--serve", metavar="ROOT", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.serve:
        serve(args.serve, args.database_url)
    elif not args.before:
        p.error("--before DIR is required")
    else:
        compare(args)


if __name__ == "__main__":
    main()
