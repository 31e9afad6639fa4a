"""Helpers of the parties' door tests: a real PNG, the application form's data, a case ready to sign."""
import base64
import re
import struct
import zlib
from datetime import datetime, time

from tests import factories

HOSTILE_A = "A&B <script>x</script> \"甲\" '乙' 😀"
HOSTILE_B = "O'Brien & <b>Sons</b> 🙂 \"钱\""


def make_png(width=120, height=48, seed=1):
    """A valid RGB PNG with a diagonal stroke (every chunk with its CRC)."""
    rows = []
    for y in range(height):
        row = bytearray(b"\x00")
        for x in range(width):
            ink = abs((x + seed * 7) * height // width % height - y) < 3
            row += b"\x10\x10\x10" if ink else b"\xff\xff\xff"
        rows.append(bytes(row))

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"".join(rows)))
            + chunk(b"IEND", b""))


def data_url(png):
    return "data:image/png;base64," + base64.b64encode(png).decode()


def apply_data(**overrides):
    unit = factories.unit("150203")
    data = {"area": f"{unit.id}|昆北街道", "category": "neighbour",
            "description": "楼上装修漏水 & 天花板 <损坏>，协商不成。", "requests": "赔偿维修费用",
            "applicant_name": HOSTILE_A, "applicant_phone": "13900001111", "applicant_email": "",
            "applicant_address": "包头市昆都仑区阿尔丁大街 8 号", "other_name": HOSTILE_B,
            "other_phone": "13900002222", "other_address": "", "consent": "y"}
    data.update(overrides)
    return data


def receipt(response):
    """(number, code) from the page shown after applying."""
    body = response.get_data(as_text=True)
    number = re.search(r'id="application-number"><strong>([^<]+)</strong>', body).group(1)
    code = re.search(r'<strong class="code">([^<]+)</strong>', body).group(1)
    return number, code


def intake_data(application, received_on):
    """The accept form as the prefilled page posts it (applicant and the other party)."""
    data = {"source": "application_written", "category": application.category,
            "area_unit_id": str(application.area_unit_id), "township": application.township,
            "contract_id": "0", "amount": "", "received_on": received_on.isoformat(),
            "facts": application.description, "requests": application.requests}
    for i in range(4):
        data[f"parties-{i}-side"] = "applicant" if i < 2 else "respondent"
        data[f"parties-{i}-kind"] = "person"
    data.update({"parties-0-name": application.applicant_name, "parties-0-phone": application.applicant_phone,
                 "parties-2-name": application.other_name, "parties-2-phone": application.other_phone or ""})
    return data


def to_mediating(case):
    """Assign the organisation's mediator, give the notice, hold a session (the models' own steps)."""
    admin = factories.user("contractor_x")
    case.assign(admin, [m for m in case.contractor.staff if m.may_mediate_on()])
    case.give_notice(admin, case.received_on)
    case.add_record(admin, "session", {
        "held_at": datetime.combine(case.received_on, time(14, 0)), "place": "调解室", "staff": "张志强",
        "recorder": "李秀兰", "persons": "双方", "helpers": "", "content": "双方陈述各自意见。",
        "facts_verified": "漏水属实", "risks_explained": "告知诉讼风险", "result": "楼上住户赔偿 3000 元"})


def access_refs(refs):
    """For tests/access_table.py: an application of 昆都仑区 dispatched to X, and a second mediating case
    of X (worker_x its mediator) with an open signing whose first party has signed on screen."""
    cached = refs.__dict__.get("_door")
    if cached is None:
        from types import SimpleNamespace

        from extensions import db
        from models import Application
        from models.signing import Signing
        from tests.mediation_factories import make_case

        item, _ = Application.receive(factories.unit("150203"), "昆北街道", {
            "category": "neighbour", "description": "楼道堆物", "requests": "", "applicant_name": "申请人",
            "applicant_phone": "13900001111", "applicant_email": None, "applicant_address": None,
            "other_name": None, "other_phone": None, "other_address": None, "consent": True})
        item.dispatch(factories.user("district_a"), factories.org("X"))
        case = make_case("worker_x", state="mediating")
        old = Signing.open_for(factories.user("worker_x"), case, {"matters": "赔偿", "terms": "赔偿 50 元"})
        db.session.flush()
        old.cancel(factories.user("worker_x"))
        signing = Signing.open_for(factories.user("worker_x"), case, {"matters": "赔偿", "terms": "赔偿 100 元"})
        db.session.flush()
        signing.sign(signing.signatures[0], make_png(), signing.text_sha256)
        token = signing.issue_link(factories.user("worker_x"), signing.signatures[1])
        db.session.commit()
        cached = refs.__dict__["_door"] = SimpleNamespace(
            application=item.id, case=case.id, signing=signing.id, cancelled=old.id, signed=signing.signatures[0].id,
            unsigned=signing.signatures[1].id, token=token)
    return cached
