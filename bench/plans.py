"""The plans of the benchmark's pages (issue 16): each page of the mix (bench/load.py) is requested through
the Flask test client, every read statement it sends is kept with its parameters and run again under
EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL (EXPLAIN QUERY PLAN on SQLite). What pages keep in memory while
nothing changes (the inbox, the portal) is emptied first, so the statements are those of a page worked out.

    python -m bench.plans --database-url postgresql://postgres@127.0.0.1:54329/fq_bench --name postgresql-500k
    -> bench/results/<name>-plans.md: per page, each statement's execution and planning time and plan

Writes (a view's audit entry) are listed, not explained: EXPLAIN ANALYZE would run them.
"""
import argparse
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def capture(app, client, path):
    """The statements (text, parameters) one request sends."""
    from sqlalchemy import event

    from extensions import db
    from services import inbox, ocds

    client.get(path)  # the process's first reads are not the page's
    for memo in (inbox.kept, ocds.pages, ocds.packages):
        memo.items.clear()
    sent = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        sent.append((statement, parameters))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", keep)
    try:
        status = client.get(path).status_code
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    return status, sent


def explain(app, statement, parameters):
    """(execution ms or None, planning ms or None, plan lines) of a read statement, in a transaction rolled back."""
    from sqlalchemy import text  # noqa: F401

    from extensions import db

    with app.app_context():
        with db.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                rows = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters).all()
                lines = [r[0] for r in rows]
                timing = {k: float(m.group(1)) for k in ("Execution", "Planning") for line in lines
                          if (m := re.match(rf"\s*{k} Time: ([\d.]+) ms", line))}
                conn.rollback()
                return timing.get("Execution"), timing.get("Planning"), \
                    [line for line in lines if not re.match(r"\s*(Execution|Planning) Time", line)]
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
            conn.rollback()
            return None, None, [r[-1] for r in rows]


def is_read(statement):
    head = statement.lstrip().split(None, 1)[0].upper()
    return head in ("SELECT", "WITH")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--database-url", default=os.environ.get("DATABASE_URL"), required=not os.environ.get("DATABASE_URL"))
    p.add_argument("--name", default="plans")
    p.add_argument("--out", default=os.path.join(HERE, "results"))
    p.add_argument("--only", metavar="REGEX", help="only the pages whose label matches")
    args = p.parse_args(argv)
    sys.path.insert(0, ROOT)
    from app import create_app
    from bench import load

    url = args.database_url
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    t = load.targets(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SESSION_COOKIE_SECURE": False})
    clients = {}

    def client(user):
        if user not in clients:
            c = app.test_client()
            if user:
                page = c.get("/login").get_data(as_text=True)
                token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
                c.post("/login", data={"csrf_token": token, "username": load.USERS[user], "password": load.PASSWORD})
            clients[user] = c
        return clients[user]

    lines = [f"# Plans of the benchmark's pages — {args.name}", "",
             f"{t['counts']['cases']:,} cases, {t['counts']['subjects']:,} subjects; `python -m bench.plans`. "
             "Times are the database's own (EXPLAIN ANALYZE), not the request's.", ""]
    summary = ["| page | statements | reads | slowest read ms | all reads ms |", "|---|---:|---:|---:|---:|"]
    detail = []
    for label, user, path in load.mix(t):
        if args.only and not re.search(args.only, label):
            continue
        status, sent = capture(app, client(user), path)
        reads = [(s, prm) for s, prm in sent if is_read(s)]
        explained = [(s, *explain(app, s, prm)) for s, prm in reads]
        times = [e[1] or 0 for e in explained]
        summary.append(f"| {label} | {len(sent)} | {len(reads)} | {max(times, default=0):.2f} | {sum(times):.2f} |")
        detail += [f"## {label} — `{path}` ({status})", ""]
        for other in (s for s, _ in sent if not is_read(s)):
            detail.append(f"- not explained: `{' '.join(other.split())[:100]}`")
        for statement, execution, planning, plan in explained:
            timing = f"execution {execution:.2f} ms, planning {planning:.2f} ms" if execution is not None else "plan"
            detail += ["", f"{timing}", "", "```sql", " ".join(statement.split()), "```", "```", *plan, "```"]
        detail.append("")
        print(summary[-1], flush=True)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, f"{args.name}-plans.md"), "w") as f:
        f.write("\n".join(lines + summary + [""] + detail) + "\n")


if __name__ == "__main__":
    main()
