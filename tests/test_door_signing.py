"""Signing the agreement on screen over HTTP: apply → dispatch → accept → follow → sign (two parties with
hostile names, the mediator) → the case succeeds → the Word document carries both signature images
and the text's SHA-256 (reopened with python-docx, converted by LibreOffice); link reuse, foreign
cases, a PNG that is not one, paper signatures."""
import hashlib
import io
import re

from docx import Document
from sqlalchemy import select

from extensions import db
from models import MediationCase
from models.door import Application
from models.signing import Signing, check_png
from models import clock
from tests import factories
from tests.docs import docx_text, to_pdf
from tests.door_helpers import HOSTILE_A, HOSTILE_B, apply_data, data_url, intake_data, make_png, receipt, to_mediating


def _accepted_case(client, login):
    number, code = receipt(client.send("/apply/", apply_data(), follow_redirects=True))
    item = db.session.scalar(select(Application).where(Application.number == number))
    login("district_a").send(f"/door/applications/{item.id}/dispatch", {"contractor_id": str(factories.org("X").id)})
    org = login("contractor_x")
    assert org.send(f"/door/applications/{item.id}/accept", intake_data(item, clock.today())).status_code == 303
    case = db.session.get(MediationCase, item.case_id)
    to_mediating(case)
    db.session.commit()
    return case, number, code, org


def _open(org, case):
    return org.send(f"/door/cases/{case.id}/signing", {
        "matters": "漏水 & <损坏> 的赔偿", "responsibility": "楼上住户承担责任", "terms": "赔偿 3000 元 \"现金\"",
        "performance": "一次性支付", "performance_due": ""})


def _links(org, case, signing):
    links = {}
    for s in signing.signatures:
        if s.role == "party":
            page = org.send(f"/door/cases/{case.id}/signing/{signing.id}/link/{s.id}").get_data(as_text=True)
            links[s.name] = re.search(r'class="sign-link">([^<]+)<', page).group(1)
    return links


def _sign(client, url, png, sha=None):
    page = client.get(url).get_data(as_text=True)
    sha = sha or re.search(r'name="text_sha256" type="hidden" value="([0-9a-f]+)"', page).group(1)
    return client.send(url, {"signature": data_url(png), "text_sha256": sha, "confirm": "y"})


def test_sign_on_screen_makes_the_agreement_effective_and_the_docx_carries_signatures(client, login):
    case, number, code, org = _accepted_case(client, login)
    page = org.get(f"/door/cases/{case.id}/signing")
    assert page.status_code == 200 and "发起协议签署" in page.get_data(as_text=True)
    assert _open(org, case).status_code == 303
    signing = db.session.scalar(select(Signing).where(Signing.case_id == case.id))
    assert signing.text_sha256 == hashlib.sha256(signing.text.encode()).hexdigest()
    assert [s.name for s in signing.signatures] == [HOSTILE_A, HOSTILE_B, "张志强"]
    assert _open(org, case).status_code == 409  # one open signing at a time
    links = _links(org, case, signing)
    path_a = links[HOSTILE_A].split("localhost", 1)[1]
    path_b = links[HOSTILE_B].split("localhost", 1)[1]
    # each party reads the full text on the signing page
    sign_page = client.get(path_a).get_data(as_text=True)
    assert "漏水 &amp; &lt;损坏&gt; 的赔偿" in sign_page and signing.text_sha256 in sign_page
    assert "13900002222" not in sign_page
    # a drawing that is not a PNG, or over a changed text, is refused
    r = client.send(path_a, {"signature": "data:image/png;base64,aGVsbG8=", "text_sha256": signing.text_sha256,
                             "confirm": "y"})
    assert r.status_code == 422 and "签名图片无效" in r.get_data(as_text=True)
    r = client.send(path_a, {"signature": data_url(make_png()), "text_sha256": "0" * 64, "confirm": "y"})
    assert r.status_code == 409
    assert _sign(client, path_a, make_png(seed=1)).status_code == 200
    # the link is one-time
    assert client.get(path_a).status_code == 409
    assert _sign(client, path_a, make_png(), sha=signing.text_sha256).status_code == 409
    assert client.get("/apply/sign/not-a-token").status_code == 404
    assert _sign(client, path_b, make_png(seed=2)).status_code == 200
    db.session.refresh(case)
    assert case.status == "mediating"  # the mediator has not signed yet
    r = org.send(f"/door/cases/{case.id}/signing/{signing.id}/mediator",
                 {"signature": data_url(make_png(seed=3)), "text_sha256": signing.text_sha256, "confirm": "y"})
    assert r.status_code == 303
    db.session.refresh(case)
    db.session.refresh(signing)
    assert signing.state == "complete" and case.status == "succeeded"
    assert case.agreement.kind == "written" and case.agreement.effective_on == clock.today()
    assert case.agreement.terms == "赔偿 3000 元 \"现金\""
    assert all(s.text_sha256 == signing.text_sha256 and s.way == "screen" for s in signing.signatures)
    # the party follows the case: state, mediator, the organisation's phone; not the other party's phone
    body = client.send("/apply/follow", {"number": number, "code": code}).get_data(as_text=True)
    assert "调解成功" in body and "张志强" in body and case.contractor.contact_phone in body
    assert case.number in body and "13900002222" not in body
    # the Word documents: the signing's and the case's agreement
    for url in (f"/door/cases/{case.id}/signing/{signing.id}/document", f"/mediation/{case.id}/documents/agreement"):
        r = org.get(url)
        assert r.status_code == 200, url
        doc = Document(io.BytesIO(r.data))
        assert len(doc.inline_shapes) == 3, url
        images = [p for p in doc.part.package.parts if p.content_type == "image/png"]
        assert len(images) == 3
        text = docx_text(r.data)
        assert signing.text_sha256 in text and HOSTILE_A in text and HOSTILE_B in text
        assert "屏幕签名" in text
    assert to_pdf(r.data).startswith(b"%PDF-")


def test_paper_signatures_refusals_and_foreign_cases(client, login):
    case, _, _, org = _accepted_case(client, login)
    assert _open(org, case).status_code == 303
    signing = db.session.scalar(select(Signing).where(Signing.case_id == case.id))
    party = signing.signatures[0]
    base = f"/door/cases/{case.id}/signing/{signing.id}"
    # other organisations and units outside the case's scope: 404; the area unit reads but may not act
    assert login("contractor_y").get(f"/door/cases/{case.id}/signing").status_code == 404
    assert login("district_b").get(f"/door/cases/{case.id}/signing").status_code == 404
    unit = login("district_a")
    assert unit.get(f"/door/cases/{case.id}/signing").status_code == 200
    assert unit.send(f"{base}/paper/{party.id}").status_code == 403
    assert org.send(f"{base}/link/99999").status_code == 404
    # a new link replaces the old one
    first = _links(org, case, signing)[party.name].split("localhost", 1)[1]
    second = _links(org, case, signing)[party.name].split("localhost", 1)[1]
    assert client.get(first).status_code == 404 and client.get(second).status_code == 200
    for s in signing.signatures:
        assert org.send(f"{base}/paper/{s.id}").status_code == 303
    db.session.refresh(case)
    assert case.status == "succeeded" and all(s.way == "paper" for s in signing.signatures)
    assert org.send(f"{base}/paper/{party.id}").status_code == 409
    assert client.get(second).status_code == 409 or client.get(second).status_code == 404
    r = org.get(f"{base}/document")
    doc = Document(io.BytesIO(r.data))
    assert len(doc.inline_shapes) == 0 and "纸质协议上签名" in docx_text(r.data)


def test_cancel_kills_the_links_and_a_new_signing_may_start(client, login):
    case, _, _, org = _accepted_case(client, login)
    _open(org, case)
    signing = db.session.scalar(select(Signing).where(Signing.case_id == case.id))
    link = _links(org, case, signing)[HOSTILE_A].split("localhost", 1)[1]
    assert org.send(f"/door/cases/{case.id}/signing/{signing.id}/cancel").status_code == 303
    assert client.get(link).status_code == 404
    assert _open(org, case).status_code == 303


def test_png_check():
    assert check_png(make_png(200, 80)) == (200, 80)
    import pytest

    from models import RuleError

    png = make_png()
    for bad in (png[:-5], png.replace(b"IDAT", b"IDAX"), b"GIF89a" + png[6:], make_png(10, 10), png + b"x"):
        with pytest.raises(RuleError):
            check_png(bad)
