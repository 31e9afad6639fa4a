"""Uploads and downloads: names never become paths, types come from content, downloads are attachments."""
import io
import zipfile

import pytest
from sqlalchemy import select
from werkzeug.http import parse_options_header

from demo.helpers import make_uscc
from extensions import db
from models import Attachment, Contractor
from services import settings
from services.uploads import safe_filename
from tests import factories
from tests.factories import registration_data
from tests.helpers import row_counts, text

NEW_USCC = make_uscc("52150202MJ0000777")


@pytest.mark.parametrize("given, kept", [
    ("../../etc/passwd", "passwd"),
    ("..\\..\\windows\\system32\\证明.pdf", "证明.pdf"),
    ("/absolute/path/scan.png", "scan.png"),
    ("a\x00b\r\nc.pdf", "abc.pdf"),
    ("report\u202efdp.exe", "reportfdp.exe"),  # a right-to-left override cannot disguise the extension
    ("..", "evidence"),
    ("../", "evidence"),
    ("   ", "evidence"),
    (None, "evidence"),
    (".hidden.pdf", "hidden.pdf"),
    ('说"明";x=1.pdf', '说"明";x=1.pdf'),  # kept as text; the header encodes it
])
def test_an_uploaded_name_is_cleaned_into_a_plain_name(given, kept):
    assert safe_filename(given) == kept


def test_a_long_name_is_cut_but_keeps_its_extension():
    name = safe_filename("很" * 400 + ".pdf")
    assert len(name) <= 200 and name.endswith(".pdf")


def _multipart(fields, files):
    """A hand-made multipart body, so that names with NUL and newlines reach the server unchanged."""
    boundary = "----fengqiao-boundary"
    parts = []
    for key, values in fields.items():
        for value in values if isinstance(values, list) else [values]:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'.encode()
                         + str(value).encode() + b"\r\n")
    for key, (data, filename) in files.items():
        # filename*=UTF-8''... (RFC 2231) is how a newline can arrive: percent-encoded, decoded by the server
        param = (f"filename*={filename[2:]}" if filename.startswith("*=") else f'filename="{filename}"').encode()
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"; '.encode()
                     + param + b'\r\nContent-Type: application/octet-stream\r\n\r\n' + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def _register_with_names(client, names):
    data = registration_data()
    data["csrf_token"] = client.csrf_token()
    files = {k: v for k, v in data.items() if isinstance(v, tuple)}
    fields = {k: v for k, v in data.items() if not isinstance(v, tuple)}
    files = {k: (stream.read(), names.get(k, name)) for k, (stream, name) in files.items()}
    body, content_type = _multipart(fields, files)
    return client.post("/register/", data=body, content_type=content_type)


def test_hostile_names_are_stored_as_plain_names_never_as_paths(client, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # were a name ever used as a path, something would appear here
    r = _register_with_names(client, {"evidence_1": "../../etc/passwd", "evidence_2": "证明\x00材料.pdf",
                                      "evidence_3": "..\\..\\boot.ini",
                                      "evidence_4": "*=UTF-8''..%2F%E8%AF%81%0D%0A%00Set-Cookie%3A%20x.pdf"})
    assert r.status_code == 303, text(r)[:500]
    org = db.session.scalar(select(Contractor).where(Contractor.uscc == NEW_USCC))
    names = [org.qualification(n).evidence.filename for n in (1, 2, 3, 4)]
    assert names == ["passwd", "证明材料.pdf", "boot.ini", "证Set-Cookie: x.pdf"]
    assert list(tmp_path.iterdir()) == []


def _download(c, org, n):
    return c.get(f"/contractors/{org.id}/evidence/{org.qualification(n).evidence_id}")


def test_a_download_is_an_attachment_with_an_encoded_name_and_no_sniffing(client, login):
    r = client.send("/register/", registration_data(evidence_2=(io.BytesIO(factories.PDF), "page.html")))
    assert r.status_code == 303
    org = db.session.scalar(select(Contractor).where(Contractor.uscc == NEW_USCC))
    org.qualification(1).evidence.filename = '情况说明 "最终";版.pdf'  # quotes and ; as a browser may send them
    db.session.commit()
    c = login("district_b")  # the unit of the new organisation's seat (东河区)
    r = _download(c, org, 1)
    assert r.status_code == 200 and r.data == factories.PDF
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.mimetype == "application/pdf" and "no-store" in r.headers["Cache-Control"]
    disposition = r.headers["Content-Disposition"]
    assert "\n" not in disposition and "\r" not in disposition
    kind, options = parse_options_header(disposition)
    # A PDF opens in the browser's viewer (issue 14, defect 7), under its cleaned name.
    assert kind == "inline" and options["filename"] == '情况说明 "最终";版.pdf'  # RFC 5987 filename* decoded
    assert "filename*=UTF-8''" in disposition
    # A PDF named .html is still a PDF: served as application/pdf with nosniff, never rendered as a page.
    r = _download(c, org, 2)
    assert r.mimetype == "application/pdf" and r.headers["Content-Disposition"].startswith("inline")
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_images_open_in_the_browser_and_docx_stays_a_download_within_the_scope_only(client, login):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    r = client.send("/register/", registration_data(evidence_3=(io.BytesIO(factories.PNG), "场地.png"),
                                                    evidence_4=(io.BytesIO(buf.getvalue()), "报告.docx")))
    assert r.status_code == 303
    org = db.session.scalar(select(Contractor).where(Contractor.uscc == NEW_USCC))
    c = login("district_b")
    png, docx = _download(c, org, 3), _download(c, org, 4)
    assert png.mimetype == "image/png" and png.headers["Content-Disposition"].startswith("inline")
    assert docx.headers["Content-Disposition"].startswith("attachment")
    for r in (png, docx):
        assert r.headers["X-Content-Type-Options"] == "nosniff" and "no-store" in r.headers["Cache-Control"]
    # Another unit, and another organisation's id under this one, stay 404.
    assert _download(login("district_a"), org, 3).status_code == 404
    other = factories.org("Y").qualification(1).evidence_id
    assert c.get(f"/contractors/{org.id}/evidence/{other}").status_code == 404


def test_a_name_stored_before_cleaning_cannot_break_the_download_header(login):
    org = factories.org("X")
    evidence = org.qualification(1).evidence
    evidence.filename = "旧\r\nSet-Cookie: x=1\t.pdf"  # as an older version might have stored it
    db.session.commit()
    r = _download(login("district_a"), org, 1)
    assert r.status_code == 200 and not any(c.startswith("x=") for c in r.headers.getlist("Set-Cookie"))
    assert len(r.headers.getlist("Content-Disposition")) == 1
    assert parse_options_header(r.headers["Content-Disposition"])[1]["filename"] == "旧Set-Cookie: x=1.pdf"


def test_html_or_script_content_is_refused_whatever_its_name(client):
    before = row_counts()
    for payload in (b"<html><script>alert(1)</script></html>", b"%!PS-Adobe", b"GIF89a\x01\x00"):
        r = client.send("/register/", registration_data(evidence_1=(io.BytesIO(payload), "scan.pdf")))
        assert r.status_code == 422 and "类型不受支持" in text(r)
    assert row_counts() == before


def test_the_file_limit_setting_gives_the_message_beside_the_field(app, login):
    settings.put("upload.max_file_mb", 1)
    db.session.commit()
    c = login("district_a")
    from tests.test_access_matrix import Refs

    refs = Refs()
    assert refs.plan  # district_a's draft plan, built now
    before = db.session.scalar(select(db.func.count()).select_from(Attachment))
    big = factories.PDF + b"0" * (1024 * 1024 + 10)
    body, content_type = _multipart({"csrf_token": c.csrf_token()}, {"file": (big, "big.pdf")})
    r = c.post(f"/plans/{refs.plan}/attachments", data=body, content_type=content_type)  # no spooled temp file
    assert r.status_code == 422 and "大小限制（1 MB）" in text(r)
    assert db.session.scalar(select(db.func.count()).select_from(Attachment)) == before
    r = c.send(f"/plans/{refs.plan}/attachments", {"file": (io.BytesIO(factories.PDF), "../需求说明.pdf")})
    assert r.status_code == 303
    stored = db.session.scalars(select(Attachment).order_by(Attachment.id.desc())).first()
    assert stored.filename == "需求说明.pdf"
    r = c.get(f"/plans/{refs.plan}/attachments/{stored.id}")
    assert r.status_code == 200 and r.headers["X-Content-Type-Options"] == "nosniff"
    assert login("district_b").get(f"/plans/{refs.plan}/attachments/{stored.id}").status_code == 404


def test_the_file_limit_stays_below_the_request_limit(app):
    """A file within its own limit always fits in a request, so its message can go beside the field."""
    assert app.config["MAX_FILE_SIZE"] * 1 < app.config["MAX_CONTENT_LENGTH"]
    from services.contractors import max_file_size

    with app.test_request_context("/"):
        settings.put("upload.max_file_mb", 100000)  # an admin's too-generous setting is capped
        assert max_file_size() == app.config["MAX_FILE_SIZE"]


def test_over_the_request_limit_an_htmx_upload_gets_413_too(app, login):
    c = login("district_a")
    from tests.test_access_matrix import Refs

    refs = Refs()
    assert refs.plan
    app.config["MAX_CONTENT_LENGTH"] = 20000
    try:
        before = row_counts()
        r = c.send(f"/plans/{refs.plan}/attachments", {"file": (io.BytesIO(b"%PDF-" + b"0" * 30000), "a.pdf")},
                   headers={"HX-Request": "true"})
        assert r.status_code == 413 and "提交的内容过大" in text(r)
        assert row_counts() == before
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 64 * 1024 * 1024
