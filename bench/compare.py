"""Tables comparing two benchmark runs (bench/results/<name>.json), for bench/README.md:

    python -m bench.compare sqlite-50k sqlite-500k      # growth: p95 at 500k / p95 at 50k
    python -m bench.compare sqlite-500k postgresql-500k  # the same pages on two databases

Prints a Markdown table of each page's p95 in both runs, the ratio, and each run's p95 and req/s
relative to the floor (the trivial page) of the same run.
"""
import argparse
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def load(name, folder):
    with open(os.path.join(folder, f"{name}.json")) as f:
        return json.load(f)


def table(a, b):
    pages_b = {p["name"]: p for p in b["pages"]}
    head = (f"| page | {a['name']} p95 ms | {b['name']} p95 ms | ratio | {b['name']} p95 ÷ floor "
            f"| {b['name']} req/s ÷ floor |")
    lines = [head, "|---|---:|---:|---:|---:|---:|"]
    seen = set()
    ratio = round(b["floor"]["p95_ms"] / a["floor"]["p95_ms"], 2) if a["floor"]["p95_ms"] else None
    lines.append(f"| {a['floor']['name']} (floor) | {a['floor']['p95_ms']} | {b['floor']['p95_ms']} | {ratio} | 1.0 | 1.0 |")
    for p in a["pages"]:
        if p["name"] in seen:
            continue
        seen.add(p["name"])
        q = pages_b.get(p["name"])
        if q is None:
            lines.append(f"| {p['name']} | {p['p95_ms']} | — | — | — | — |")
            continue
        ratio = round(q["p95_ms"] / p["p95_ms"], 2) if p["p95_ms"] else None
        lines.append(f"| {p['name']} | {p['p95_ms']} | {q['p95_ms']} | {ratio} | {q['p95_ratio']} | {q['rps_share']} |")
    return "\n".join(lines) + "\n"


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("first")
    p.add_argument("second")
    p.add_argument("--folder", default=os.path.join(HERE, "results"))
    args = p.parse_args(argv)
    print(table(load(args.first, args.folder), load(args.second, args.folder)), end="")


if __name__ == "__main__":
    main()
