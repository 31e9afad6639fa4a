"""The dashboards' tables and charts: a panel table's shape, and tables and charts as escaped HTML and SVG."""
from datetime import date
from decimal import Decimal

from markupsafe import Markup, escape

from models import formats
from services import cells


OVERVIEW_ROWS = 15  # rows of a long table (and bars of a long chart) on the page with every panel


def table(title, headers, rows, total=False):
    """A panel table; `total`: its last row is a total, kept when the overview shortens the table."""
    return {"title": title, "headers": headers, "rows": rows, "total": total and bool(rows)}


def shortened(t, limit=OVERVIEW_ROWS):
    """How many body rows the overview leaves out of the table (0: it shows them all)."""
    return max(0, len(t["rows"]) - t["total"] - limit)


# ---------------------------------------------------------------- rendering help
# A city's page holds thousands of cells and hundreds of bars: formatting them here, once, costs a fraction
# of doing it cell by cell in Jinja (whose `is number` test is an ABC check).

COLORS = ("#1f5f8b", "#2e8b57", "#c98a12", "#b23b3b", "#6b5b95", "#5f7d8b")


def show(value, fmt=None):
    """A chart value as text: money with separators, a percentage, or as it is."""
    if fmt == "money":
        return formats.money(value)
    return f"{value}%" if fmt == "percent" else str(value)


def hbar(items, title, fmt=None, max_value=None):
    """A horizontal bar chart as SVG: one bar per (label, value)."""
    top = max_value or (max(value for _, value in items) if items else 0)
    title = escape(title)
    out = [f'<figure class="chart">\n<svg class="hbar" role="img" viewBox="0 0 520 {len(items) * 26 + 8}" '
           f'width="100%" preserveAspectRatio="xMinYMin meet" aria-label="{title}">\n<title>{title}</title>']
    for n, (label, value) in enumerate(items):
        y = n * 26 + 4
        w = round((value / top) * 250, 1) if top and value else 0
        short = escape(label if len(label) <= 13 else label[:12] + "…")
        text = escape(show(value, fmt))
        out.append(f'\n<text x="170" y="{y + 15}" text-anchor="end" font-size="12" fill="#3e4c59">{short}</text>'
                   f'\n<rect x="178" y="{y + 2}" width="{w}" height="18" fill="{COLORS[n % len(COLORS)]}">'
                   f'<title>{escape(label)}：{text}</title></rect>'
                   f'\n<text x="{182 + w}" y="{y + 15}" font-size="12" fill="#1f2933">{text}</text>')
    out.append(f"\n</svg>\n<figcaption>{title}</figcaption>\n</figure>")
    return Markup("".join(out))


def columns(items, title, legend):
    """A column chart as SVG: two columns per (label, first, second), e.g. received and ended per month."""
    from math import ceil

    top = max(max(i[1] for i in items), max(i[2] for i in items)) if items else 0
    step = 480 / (len(items) or 1)
    every = ceil(len(items) / 12)
    title, first_name, second_name = escape(title), escape(legend[0]), escape(legend[1])
    out = [f'<figure class="chart">\n<svg class="columns" role="img" viewBox="0 0 520 200" width="100%" '
           f'preserveAspectRatio="xMinYMin meet" aria-label="{title}">\n<title>{title}</title>\n'
           f'<line x1="30" y1="170" x2="515" y2="170" stroke="#9aa5b1" stroke-width="1"/>\n'
           f'<text x="26" y="20" text-anchor="end" font-size="11" fill="#52606d">{top}</text>']
    for n, (label, first, second) in enumerate(items):
        x = 34 + n * step
        bw = min(step / 2 - 2, 24)
        h1 = round(first / top * 150, 1) if top else 0
        h2 = round(second / top * 150, 1) if top else 0
        name = escape(label)
        out.append(f'\n<rect x="{round(x, 1)}" y="{170 - h1}" width="{round(bw, 1)}" height="{h1}" fill="#1f5f8b">'
                   f'<title>{name} {first_name}：{first}</title></rect>'
                   f'\n<rect x="{round(x + bw + 1, 1)}" y="{170 - h2}" width="{round(bw, 1)}" height="{h2}" '
                   f'fill="#c98a12"><title>{name} {second_name}：{second}</title></rect>')
        if len(items) <= 12 or n % every == 0:
            out.append(f'\n<text x="{round(x + bw, 1)}" y="186" text-anchor="middle" font-size="10" '
                       f'fill="#52606d">{escape(label[2:])}</text>')
    out.append(f'\n<rect x="330" y="2" width="10" height="10" fill="#1f5f8b"/><text x="344" y="11" font-size="11" '
               f'fill="#1f2933">{first_name}</text>\n<rect x="410" y="2" width="10" height="10" fill="#c98a12"/>'
               f'<text x="424" y="11" font-size="11" fill="#1f2933">{second_name}</text>\n</svg>\n'
               f'<figcaption>{title}</figcaption>\n</figure>')
    return Markup("".join(out))


def table_html(t, overview=False):
    """A panel table: caption, header and body rows (numbers right-aligned, money with separators), escaped.
    The overview shows the first OVERVIEW_ROWS rows of a long table (and its total row)."""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in t["headers"])
    rows = t["rows"]
    if not rows:
        body = f'<tr><td colspan="{len(t["headers"])}" class="muted">无</td></tr>'
    else:
        if overview and shortened(t):
            rows = rows[:OVERVIEW_ROWS] + rows[len(rows) - t["total"]:]
        body = "\n".join("<tr>" + "".join(_cell(value) for value in row) + "</tr>" for row in rows)
    return Markup(f'<table class="table">\n<caption>{escape(t["title"])}</caption>\n<thead><tr>{head}</tr></thead>\n'
                  f"<tbody>\n{body}\n</tbody>\n</table>")


def _cell(value):
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):  # digits, signs, separators
        return f'<td class="num">{value if isinstance(value, int) else formats.money(value)}</td>'
    if isinstance(value, cells.Typed):
        return f'<td class="num">{escape(str(value))}</td>'
    if isinstance(value, date):
        return f"<td>{formats.cn_date(value)}</td>"
    return f"<td>{escape(value)}</td>"
