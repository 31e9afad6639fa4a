"""No personal data reaches the portal or the feed: the demo data is seeded, every portal page is
crawled by following its links (the open-data packages included), and nothing personal turns up;
every published statistics table holds its suppression; every demo package is valid OCDS."""
import html
import json
import re
from collections import deque
from urllib.parse import urldefrag

from sqlalchemy import select

from demo.seed import seed
from extensions import db
from models import Application, Feedback, Party, StaffMember, Subject
from models.contractor import Contractor
from services import portal
from tests import ocds_schema


def _personal_values():
    """Every ID number, phone and party, subject or feedback contact name the demo holds."""
    values = set()
    for model, columns in ((Party, ("name", "id_number", "phone")), (Subject, ("name", "id_number", "phone")),
                           (StaffMember, ("id_number", "phone")), (Contractor, ("contact_phone",)),
                           (Feedback, ("contact_name", "contact_phone")),
                           (Application, ("applicant_name", "applicant_phone", "applicant_email", "other_name",
                                          "other_phone"))):
        for column in columns:
            values |= {v.strip() for v in db.session.scalars(select(getattr(model, column))) if v and v.strip()}
    return values


def _crawl(client, start="/portal/", limit=400):
    """{url: text} of every portal page and package reachable by links from the start page."""
    seen, queue, pages = {start}, deque([start]), {}
    while queue:
        url = queue.popleft()
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if response.mimetype == "application/json":
            pages[url] = json.dumps(response.get_json(), ensure_ascii=False)
            continue
        body = response.get_data(as_text=True)
        pages[url] = html.unescape(body)
        for href in re.findall(r'href="([^"]+)"', body):
            link = urldefrag(html.unescape(href))[0]
            public = link.startswith("/portal/") or link in ("/apply/", "/apply/follow")
            if public and link not in seen and not link.startswith("/portal/feedback/new?"):
                seen.add(link)
                queue.append(link)
        assert len(seen) < limit, "the crawl should be finite"
    return pages


def _line_ok(line):
    hidden = [c for c in line if c.hidden]
    return len(hidden) != 1 or sum(c.value for c in line[:-1]) == 0


def test_demo_portal_and_feed_publish_nothing_personal_and_keep_every_suppression(app, client):
    seed()
    secrets = _personal_values()
    assert len(secrets) > 40 and any(len(s) == 18 for s in secrets)  # the demo does hold personal data
    pages = _crawl(client)
    assert "/portal/statistics" in pages and "/portal/withheld" in pages
    assert "/apply/" in pages and "/apply/follow" in pages  # the parties' door is public too
    assert any(url.endswith(".json") for url in pages) and any("/procurements/" in url for url in pages)
    leaks = sorted({(url, s) for url, page in pages.items() for s in secrets if s in page})
    assert leaks == []
    # the statistics pages as published: no small number in any cell
    stat_pages = [u for u in pages if u.startswith("/portal/statistics")]
    assert len(stat_pages) > 3
    for url in stat_pages:
        for table in re.findall(r'<table class="table stats".*?</table>', pages[url], re.S):
            cells = re.findall(r'<td class="num[^"]*">(.*?)</td>', table)
            assert cells and not set(cells) & {"1", "2", "3", "4"}, url
    # every table of every year and scope: no line hands back a hidden entry
    stats = portal.Statistics()
    assert stats.register(), "the demo's small numbers are suppressed and listed"
    for year in stats.years():
        for unit in [None] + list(stats.units):
            for t in stats.tables(year, unit):
                grid = [row + [total] for row, total in zip(t.data.cells, t.data.row_totals)]
                grid.append(t.data.col_totals + [t.data.grand])
                for line in grid + [list(col) for col in zip(*grid)]:
                    assert _line_ok(line), (t.title, t.scope, year)
                    assert not any(0 < c.value < 5 and not c.hidden for c in line), (t.title, t.scope, year)
    # demo feedback is visible to no visitor, with or without contact
    for item in db.session.scalars(select(Feedback)):
        assert not any(item.text in page for page in pages.values())
    # and every package of the demo data is valid OCDS 1.1.5
    v = ocds_schema.validator()
    for url in (u for u in pages if u.endswith(".json")):
        assert ocds_schema.problems(v, client.get(url).get_json()) == [], url
