"""The demo's open-data feed (issue 18 items 4 and 5): valid against the official schema, single-source
processes award after their objection period, one milestone in one place, licence and publication policy,
ended contracts closed, and validators (ETag, Last-Modified) that answer 304 while nothing changed."""
import re
from datetime import datetime

import pytest

from tests import ocds_schema


@pytest.fixture
def demo_feed(app, runner, client):
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    index = client.get("/portal/ocds/").get_data(as_text=True)
    urls = sorted(set(re.findall(r'href="(/portal/ocds/[^"]+\.json)"', index)))
    assert urls
    return {url: client.get(url).get_json() for url in urls}


def _releases(feed):
    return [r for url, package in feed.items() if re.fullmatch(r"/portal/ocds/\d{4}\.json", url)
            for r in package["releases"]]


def test_the_demo_feed_validates_and_tells_one_story_per_process(demo_feed):
    v = ocds_schema.validator()
    for url, package in demo_feed.items():
        assert ocds_schema.problems(v, package) == [], url
        assert package["license"] == "https://creativecommons.org/licenses/by/4.0/"
        assert package["publicationPolicy"].endswith("/portal/ocds/#policy")
    releases = _releases(demo_feed)
    by_ocid = {}
    for r in releases:
        by_ocid.setdefault(r["ocid"], []).append(r)
    direct = 0
    for ocid, steps in by_ocid.items():
        tender = [r["tender"] for r in steps if r["tag"] == ["tender"]]
        awards = [r["awards"][0] for r in steps if r["tag"] == ["award"]]
        if tender and awards and tender[0].get("procurementMethod") == "direct":
            direct += 1
            end = datetime.fromisoformat(tender[0]["tenderPeriod"]["endDate"])
            assert datetime.fromisoformat(awards[0]["date"]) > end, ocid  # after the objection period
        # one milestone, one place: a contract's milestones never reappear under implementation
        in_contract = {m["id"] for r in steps for c in r.get("contracts", []) for m in c.get("milestones", [])}
        in_implementation = {m["id"] for r in steps for c in r.get("contracts", [])
                             for m in c.get("implementation", {}).get("milestones", [])}
        assert not in_contract & in_implementation, ocid
    assert direct >= 3
    from models.identifiers import uscc_error

    parties = [p for r in releases for p in r["parties"]]
    assert {p["identifier"]["scheme"] for p in parties} == {"CN-USCI"}  # the demo gives every unit its code
    assert all(uscc_error(p["identifier"]["id"]) is None for p in parties)
    buyers = [p for p in parties if "buyer" in p["roles"]]
    assert buyers and all(p["additionalIdentifiers"][0]["scheme"] == "CN-XZQH" for p in buyers)
    closed = [r for r in releases if r["tag"] == ["contractTermination"]]
    assert len(closed) >= 2 and all(r["contracts"][0]["status"] == "terminated" for r in closed)


def test_a_met_milestone_updates_the_contract_milestone_of_the_same_id(demo_feed):
    releases = _releases(demo_feed)
    updates = [(r["ocid"], m) for r in releases if r["tag"] == ["implementation"] for c in r["contracts"]
               for m in c.get("milestones", [])]
    assert updates and all(m["status"] == "met" and m["dateMet"] for _, m in updates)
    scheduled = {(r["ocid"], m["id"]) for r in releases if r["tag"] == ["contract"] for c in r["contracts"]
                 for m in c["milestones"]}
    assert {(ocid, m["id"]) for ocid, m in updates} <= scheduled


def test_the_feeds_answer_304_while_nothing_changed(app, client):
    from tests.test_portal import published_contract

    c, clerk = published_contract()
    url = f"/portal/ocds/{c.procurement.year}.json"
    r = client.get(url)
    etag, modified = r.headers["ETag"], r.headers["Last-Modified"]
    assert r.status_code == 200 and etag and modified and "no-cache" in r.headers["Cache-Control"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    from tests.test_portal import conclude_acceptance

    conclude_acceptance(c, clerk)
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
