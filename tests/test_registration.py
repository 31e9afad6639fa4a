"""Contractor self-registration: accepted intact, or refused with a message and nothing written."""
import html
import io

import pytest
from sqlalchemy import select

from demo.helpers import make_uscc
from extensions import db
from models import AuditLog, Contractor, User
from models.codes import CONDITIONS
from tests import factories
from tests.factories import registration_data
from tests.helpers import field_error, row_counts, text

HOSTILE = '<script>alert("x")</script> & "引号" \'单引号\' 😀 <b>粗</b>'


def test_valid_registration_creates_a_pending_organisation_and_logs_its_admin_in(client):
    r = client.send("/register/", registration_data())
    assert r.status_code == 303
    assert r.headers["Location"].endswith("/organisation/")
    org = db.session.scalar(select(Contractor).where(Contractor.uscc == make_uscc("52150202MJ0000777")))
    assert org.status == "pending"
    assert [q.condition for q in org.qualifications] == list(CONDITIONS)
    assert all(q.evidence.content_type == "application/pdf" for q in org.qualifications)
    assert org.qualification(4).expires_on is not None and org.qualification(1).expires_on is None
    assert [r.number for r in org.rounds] == [1]
    assert org.serves_mediation and not org.serves_assistance
    assert {u.code for u in org.target_units} == {"150202", "150203"}
    admin = db.session.scalar(select(User).where(User.username == "hexie_admin"))
    assert admin.role == "contractor" and admin.contractor_id == org.id
    page = text(client.get("/organisation/"))
    assert "待审核" in page and org.name in page
    assert db.session.scalar(select(AuditLog).where(AuditLog.record_type == "contractor",
                                                    AuditLog.record_id == org.id, AuditLog.action == "create"))


def test_a_code_beginning_with_a_letter_is_accepted(client):
    code = make_uscc("Y1150202MA0Q12345")
    assert code[0] == "Y"
    r = client.send("/register/", registration_data(uscc=code.lower()))
    assert r.status_code == 303
    assert db.session.scalar(select(Contractor).where(Contractor.uscc == code))


def test_hostile_and_long_text_is_kept_exactly_and_escaped_in_pages(client, login):
    long_statement = ("长" * 4990) + HOSTILE[:10]
    data = registration_data(name=HOSTILE, legal_representative="O'Brien & 巴特尔 \"老巴\"",
                             address="包头市 <青山区> & 😀 路", statement_2=long_statement)
    assert client.send("/register/", data).status_code == 303
    org = db.session.scalar(select(Contractor).where(Contractor.name == HOSTILE))
    assert org.legal_representative == "O'Brien & 巴特尔 \"老巴\""
    assert org.qualification(2).statement == long_statement and len(long_statement) == 5000
    unit_page = text(login("district_b").get(f"/contractors/{org.id}"))
    for page in (text(client.get("/organisation/")), unit_page):
        assert "<script>alert" not in page and "<b>粗" not in page
        assert "&lt;script&gt;alert(" in page
        assert HOSTILE in html.unescape(page)
    assert long_statement in html.unescape(unit_page)


def _refused(client, data, field_id, fragment):
    before = row_counts()
    r = client.send("/register/", data)
    body = text(r)
    assert r.status_code == 422
    errors = field_error(body, field_id)
    assert any(fragment in e for e in errors), (field_id, errors)
    assert row_counts() == before
    return body


def test_a_wrong_check_character_is_refused_beside_the_field(client):
    code = make_uscc("52150202MJ0000777")
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    _refused(client, registration_data(uscc=wrong), "uscc", "校验位")


def test_a_registered_code_is_refused(client):
    _refused(client, registration_data(uscc=factories.USCC_X), "uscc", "已注册")


def test_a_taken_username_is_refused(client):
    _refused(client, registration_data(username="contractor_x"), "username", "已被使用")


REQUIRED = (["name", "org_type", "uscc", "legal_representative", "address", "contact_name", "contact_phone",
             "admin_name", "username", "password"]
            + [f"statement_{n}" for n in CONDITIONS] + [f"evidence_{n}" for n in CONDITIONS]
            + [f"expires_{n}" for n, c in CONDITIONS.items() if c[2]])


@pytest.mark.parametrize("field", REQUIRED)
def test_each_required_field_missing_is_refused(client, field):
    data = registration_data()
    data.pop(field)
    fragment = "请上传" if field.startswith("evidence") else "请填写"
    _refused(client, data, field, fragment)


def test_no_service_category_and_no_unit_are_refused(client):
    data = registration_data()
    data.pop("serves_mediation")
    data.pop("target_units")
    body = _refused(client, data, "serves_mediation", "服务类别")
    assert "请至少选择一个拟服务的购买主体" in body


def test_seat_unit_must_be_chosen(client):
    before = row_counts()
    r = client.send("/register/", registration_data(seat_unit_id="0"))
    assert r.status_code == 422 and row_counts() == before


def test_an_upload_over_the_limit_is_refused_beside_the_field(app, client):
    app.config["MAX_FILE_SIZE"] = 4096
    try:
        big = factories.PDF + b"0" * 5000
        _refused(client, registration_data(evidence_3=(io.BytesIO(big), "big.pdf")), "evidence_3", "大小限制")
    finally:
        app.config["MAX_FILE_SIZE"] = 10 * 1024 * 1024


def test_an_executable_renamed_to_pdf_is_refused(client):
    elf = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
    _refused(client, registration_data(evidence_1=(io.BytesIO(elf), "report.pdf")), "evidence_1", "类型不受支持")


def test_png_and_docx_evidence_are_accepted_by_content(client):
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    data = registration_data(evidence_1=(io.BytesIO(factories.PNG), "scan.bin"),
                             evidence_2=(io.BytesIO(buf.getvalue()), "plan.docx"))
    assert client.send("/register/", data).status_code == 303
    org = db.session.scalar(select(Contractor).where(Contractor.uscc == make_uscc("52150202MJ0000777")))
    assert org.qualification(1).evidence.content_type == "image/png"
    assert org.qualification(2).evidence.content_type.endswith("wordprocessingml.document")


def test_a_request_over_the_request_limit_gets_the_413_page(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 10000
    try:
        before = row_counts()
        r = client.send("/register/", registration_data(evidence_1=(io.BytesIO(b"%PDF-" + b"0" * 20000), "a.pdf")))
        assert r.status_code == 413
        assert "提交的内容过大" in text(r)
        assert row_counts() == before
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 64 * 1024 * 1024


def test_missing_csrf_token_is_a_400_and_writes_nothing(client):
    before = row_counts()
    r = client.post("/register/", data=registration_data(csrf_token=""))
    assert r.status_code == 400
    assert "请求无效" in text(r)
    assert row_counts() == before


def test_live_credit_code_check(client):
    bad = text(client.get("/register/uscc?uscc=91110000600037341M"))
    assert "校验位" in bad
    taken = text(client.get(f"/register/uscc?uscc={factories.USCC_X}"))
    assert "已注册" in taken
    assert "校验通过" in text(client.get("/register/uscc?uscc=91110000600037341L"))
