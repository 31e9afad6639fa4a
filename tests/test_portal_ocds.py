"""The open-data feed: every package of a varied test world validates against the official OCDS
1.1.5 release-package schema and its codelists; one ocid per procurement, one release per step."""
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from extensions import db
from models import Procurement
from models import clock
from tests import factories, ocds_schema
from tests.test_portal import conclude_acceptance, evaluation, published_contract


def _every_package(client):
    index = client.get("/portal/ocds/").get_data(as_text=True)
    import re

    urls = sorted(set(re.findall(r'href="(/portal/ocds/[^"]+\.json)"', index)))
    assert urls, "the open-data page links the packages"
    return {url: client.get(url) for url in urls}


def _world():
    """Published contracts in every state the feed knows, and procurements that stopped early."""
    c, clerk = published_contract(title="调解服务 & <测试> \"引号\" 😀")
    c.amend(clerk, "period_change", {"period_end": c.period_end + timedelta(days=30)}, "延期")
    conclude_acceptance(c, clerk)
    evaluation(c)
    c.close(clerk, c.amount, clock.today(), "追加服务数量")
    ended, clerk_b = published_contract("150202", "Y", title="东河区安置帮教服务")
    ended.terminate(clerk_b, "breach", "严重违约")
    plan = c.procurement.plan_items[0].plan
    ocid, seq = Procurement.mint_ocid(plan.unit, plan.year)
    failed = Procurement(ocid=ocid, seq=seq, unit_id=plan.unit_id, year=plan.year, title="未成的采购", category="mediation",
                         requirement_summary="需求", budget=Decimal("50000.00"), expected_month=6,
                         intention_published_on=clock.today() - timedelta(days=90))
    db.session.add(failed)
    db.session.flush()
    failed.fail(clerk, "预算调整，取消采购")
    ocid, seq = Procurement.mint_ocid(plan.unit, plan.year)
    open_tender = Procurement(ocid=ocid, seq=seq, unit_id=plan.unit_id, year=plan.year, title="公告中的采购",
                              category="mediation", requirement_summary="需求", budget=Decimal("80000.00"),
                              expected_month=9, intention_published_on=clock.today() - timedelta(days=60),
                              method="open_tender", notice_published_on=clock.today() - timedelta(days=5),
                              bid_deadline=datetime.combine(clock.today() + timedelta(days=20), datetime.min.time()),
                              status="notice_published", predecessor=failed)
    db.session.add(open_tender)
    db.session.commit()
    return c, ended, failed, open_tender


def test_every_package_of_the_test_world_validates(client):
    v = ocds_schema.validator()
    c, ended, failed, open_tender = _world()
    packages = _every_package(client)
    year = c.procurement.year
    assert {f"/portal/ocds/{year}.json", f"/portal/ocds/{year}/150203.json",
            f"/portal/ocds/{year}/150202.json"} <= set(packages)
    for url, response in packages.items():
        assert response.status_code == 200, url
        assert ocds_schema.problems(v, response.get_json()) == [], url
    releases = packages[f"/portal/ocds/{year}.json"].get_json()["releases"]
    by_ocid = {}
    for r in releases:
        by_ocid.setdefault(r["ocid"], []).append(r)
    assert set(by_ocid) == {c.procurement.ocid, ended.procurement.ocid, failed.ocid, open_tender.ocid}
    assert len({r["id"] for r in releases}) == len(releases)
    steps = [r["tag"][0] for r in by_ocid[c.procurement.ocid]]
    assert steps[0] == "planning" and steps.count("planning") == 1
    assert {"award", "contract", "contractAmendment", "implementation", "contractTermination"} <= set(steps)
    assert steps.count("contractAmendment") == 2
    implementation = [r["contracts"][0]["implementation"] for r in by_ocid[c.procurement.ocid]
                      if r["tag"] == ["implementation"] and "implementation" in r["contracts"][0]]
    assert [i["transactions"][0]["value"] for i in implementation if "transactions" in i] == [
        {"amount": 150000, "currency": "CNY"}]
    assessed = [m for i in implementation for m in i.get("milestones", []) if m["type"] == "assessment"]
    assert [m["status"] for m in assessed] == ["met", "met"] and "验收结论：合格" in assessed[0]["description"]
    assert "等级 良好" in assessed[1]["description"]
    assert [r["tag"][0] for r in by_ocid[failed.ocid]] == ["planning"]
    assert by_ocid[failed.ocid][0]["tender"]["status"] == "withdrawn"
    tender = [r for r in by_ocid[open_tender.ocid] if r["tag"] == ["tender"]][0]
    assert tender["tender"]["procurementMethod"] == "open" and tender["tender"]["procurementMethodDetails"] == "公开招标"
    assert tender["relatedProcesses"][0]["identifier"] == failed.ocid
    terminated = [r for r in by_ocid[ended.procurement.ocid] if r["tag"] == ["contractTermination"]]
    assert terminated and terminated[0]["contracts"][0]["status"] == "terminated"
    contract = [r for r in by_ocid[c.procurement.ocid] if r["tag"] == ["contract"]][0]["contracts"][0]
    assert contract["title"] == "调解服务 & <测试> \"引号\" 😀"
    assert contract["value"] == {"amount": 300000, "currency": "CNY"}
    parties = {p["id"]: p for r in releases for p in r.get("parties", [])}
    assert parties[f"CN-USCI-{factories.org('X').uscc}"]["roles"] == ["supplier", "payee"]
    assert parties[f"CN-USCI-{factories.org('X').uscc}"]["identifier"]["scheme"] == "CN-USCI"


def test_the_validator_really_reads_the_release_schema(client):
    v = ocds_schema.validator()
    c, _ = published_contract()
    package = client.get(f"/portal/ocds/{c.procurement.year}.json").get_json()
    broken = dict(package, releases=[{k: v_ for k, v_ in r.items() if k != "tag"} for r in package["releases"]])
    assert any("'tag' is a required property" in p for p in ocds_schema.problems(v, broken))
    wrong_code = dict(package, releases=[dict(package["releases"][0], tag=["tenderNotice"])])
    assert any("releaseTag" in p or "tag codelist" in p for p in ocds_schema.problems(v, wrong_code))


def test_a_missing_schema_skips_locally_and_fails_on_ci(monkeypatch, tmp_path):
    monkeypatch.setenv("OCDS_SCHEMA_DIR", str(tmp_path))
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        ocds_schema.validator()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception):
        ocds_schema.validator()


def test_a_package_is_built_once_and_again_when_a_published_record_changes(client):
    """The package is kept in memory under the feed's revision token: an unchanged feed answers with
    the same bytes from one small read; a change (here an acceptance concluded) gives a new token in
    its own transaction, and the next request builds the package again."""
    from sqlalchemy import event

    from services import ocds
    from tests.test_query_counts import Counter

    c, clerk = published_contract()
    path = f"/portal/ocds/{c.procurement.year}.json"
    first = client.get(path).get_data()
    token = ocds.revision()
    counter = Counter()
    event.listen(db.engine, "before_cursor_execute", counter)
    try:
        again = client.get(path).get_data()
    finally:
        event.remove(db.engine, "before_cursor_execute", counter)
    assert again == first and not [s for s in counter.statements if "procurement" in s]
    a = conclude_acceptance(c, clerk)
    assert ocds.revision() != token
    after = client.get(path).get_json()
    assert any(m["id"] == f"acceptance-{a.id}" for r in after["releases"] for k in r.get("contracts", [])
               for m in k.get("implementation", {}).get("milestones", []))
    db.session.rollback()
    unchanged = ocds.revision()
    from tests.mediation_factories import make_case

    make_case(state="mediating")  # not a record the feed publishes: the token stays
    db.session.commit()
    assert ocds.revision() == unchanged


def test_packages_are_readable_utf8_files_to_download(client):
    """Issue 14 item 7: Chinese as it is (not \\u-escaped), declared UTF-8, offered as a file to save."""
    c, _ = published_contract(title="调解服务 & <测试> \"引号\" 😀")
    for url, name in ((f"/portal/ocds/{c.procurement.year}.json", f"fengqiao-ocds-{c.procurement.year}.json"),
                      (f"/portal/ocds/{c.procurement.year}/150203.json",
                       f"fengqiao-ocds-{c.procurement.year}-150203.json")):
        r = client.get(url)
        assert r.status_code == 200 and r.headers["Content-Type"] == "application/json; charset=utf-8"
        assert r.headers["Content-Disposition"] == f'attachment; filename="{name}"'
        body = r.data.decode("utf-8")
        assert "\\u" not in body and "调解服务 & <测试> \\\"引号\\\" 😀" in body and "包头市司法局" in body
    page = client.get("/portal/ocds/").get_data(as_text=True)
    for words in ("下载文件", "文件里有什么", "如何使用", "许可协议和发布政策", "If-None-Match",
                  "https://creativecommons.org/licenses/by/4.0/", 'id="policy"'):
        assert words in page, words



def test_the_buyer_is_identified_by_its_own_credit_code_the_admin_enters(client, login):
    """Issue 18 item 4: org-id's CN-USCI for both sides; the division code only as an additional identifier."""
    from demo.helpers import make_uscc
    from tests.helpers import text

    c, _ = published_contract()
    unit = factories.unit("150203")
    admin = login("admin")
    r = admin.send(f"/admin/units/{unit.id}", {"uscc": "11150203MB0000000X"})
    assert r.status_code == 422 and "统一社会信用代码校验位不正确，请核对" in text(r)
    assert "uscc-%d-error" % unit.id in text(r)
    code = make_uscc("11150203MB1020301")
    assert admin.send(f"/admin/units/{unit.id}", {"uscc": code.lower()}).status_code == 303
    other = factories.unit("150202")
    r = admin.send(f"/admin/units/{other.id}", {"uscc": code})
    assert r.status_code == 422 and "该统一社会信用代码已用于其他单位" in text(r)
    assert code in text(admin.get("/admin/units"))
    package = client.get(f"/portal/ocds/{c.procurement.year}.json").get_json()
    parties = {p["id"]: p for r in package["releases"] for p in r["parties"]}
    buyer = parties[f"CN-USCI-{code}"]
    assert buyer["identifier"] == {"scheme": "CN-USCI", "id": code, "legalName": "昆都仑区司法局"}
    assert buyer["additionalIdentifiers"] == [{"scheme": "CN-XZQH", "id": "150203", "legalName": "昆都仑区司法局"}]
    assert {p["identifier"]["scheme"] for p in parties.values() if "identifier" in p} == {"CN-USCI"}
    assert all(r["buyer"]["id"] == f"CN-USCI-{code}" for r in package["releases"])
