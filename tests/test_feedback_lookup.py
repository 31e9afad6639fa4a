"""The public looks up the answer to its feedback by the receipt number and the code it got at submission
(issue 14, defect 7): only a hash of the code is stored, nothing personal is shown, and wrong codes are
limited per number."""
import re
from datetime import timedelta

from sqlalchemy import select

from extensions import db
from models import Feedback
from models import clock
from tests.helpers import field_error, text
from tests.test_portal import _feedback_data, published_contract


def _send(client, c, **kw):
    r = client.post("/portal/feedback", data=_feedback_data(client, contract_id=str(c.id), contact_name="钱某",
                                                              contact_phone="139 0472 0000", **kw))
    assert r.status_code == 303
    shown = text(client.get(r.headers["Location"]))
    number, code = re.search(r"受理编号 (GZ\d{4}-\d{5})，查询码 ([A-Z2-9]{8})", shown).groups()
    return db.session.scalar(select(Feedback).where(Feedback.number == number)), code


def _lookup(client, number, code):
    return client.post("/portal/feedback/lookup", data={"csrf_token": client.csrf_token(), "number": number,
                                                        "code": code})


def test_the_receipt_gives_a_code_that_shows_the_answer_and_nothing_personal(client, login):
    c, _ = published_contract()
    item, code = _send(client, c)
    assert item.lookup_hash and code not in item.lookup_hash  # only a hash is kept
    assert "/portal/feedback/lookup" in text(client.get("/portal/"))
    r = _lookup(client, item.number, code.lower())  # as typed, in either case
    body = text(r)
    assert r.status_code == 200 and "待答复" in body and "尚未答复" in body
    unit = login("district_a")
    assert unit.send(f"/feedback/{item.id}/answer", {"answer": "已约谈承接主体，整改 & <复查>"}).status_code == 303
    body = text(_lookup(client, f" {item.number.lower()} ", code))
    assert "已答复" in body and "已约谈承接主体，整改 &amp; &lt;复查&gt;" in body
    assert item.unit.name in body
    for personal in ("钱某", "139 0472 0000", "午间服务点无人"):
        assert personal not in body


def test_a_wrong_code_is_refused_beside_the_field_and_five_lock_the_number_for_an_hour(client):
    c, _ = published_contract()
    item, code = _send(client, c)
    for _ in range(4):
        r = _lookup(client, item.number, "AAAAAAAA")
        assert r.status_code == 422 and field_error(text(r), "code") == ["受理编号或查询码不正确"]
        assert "答复内容" not in text(r)
    r = _lookup(client, item.number, "AAAAAAAA")
    assert r.status_code == 429 and "错误次数过多" in text(r)
    r = _lookup(client, item.number, code)  # locked: even the right code waits
    assert r.status_code == 429 and "待答复" not in text(r)
    clock.set_now(clock.now() + timedelta(minutes=61))
    assert _lookup(client, item.number, code).status_code == 200


def test_an_unknown_number_reads_like_a_wrong_code_and_empty_fields_are_422(client):
    r = _lookup(client, "GZ2026-99999", "AAAAAAAA")
    assert r.status_code == 422 and field_error(text(r), "code") == ["受理编号或查询码不正确"]
    r = _lookup(client, "", "")
    assert r.status_code == 422 and field_error(text(r), "number") == ["请填写受理编号"]
