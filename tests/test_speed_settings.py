"""Issue 8: documents from templates prepared once per process give the same text as docxtpl's plain
render; static files are served under content-versioned URLs with a long cache lifetime."""
import re

import docgen
from tests.docs import docx_text
from tests.mediation_factories import make_case


def test_prepared_render_matches_plain_docxtpl(app):
    text = "A & B <c> \"引号\" 😀 " + "长" * 300
    case = make_case("contractor_x", state="written", text=text)
    docgen._load_builders()
    template, builder, _ = docgen.REGISTRY["mediation_agreement"]
    fast, plain = docgen.render("mediation_agreement", case), docgen.render_plain(template, builder(case))
    assert docx_text(fast) == docx_text(plain)
    assert "A & B <c>" in docx_text(fast) and "😀" in docx_text(fast)
    assert docgen.render("mediation_agreement", case) == fast  # a second render from the same preparation


def _cache_control(client, url):
    response = client.get(url)
    response.close()  # a static file is streamed from disk
    assert response.status_code == 200, url
    return response.headers.get("Cache-Control") or ""


def test_static_files_are_versioned_and_cached(client):
    page = client.get("/login").get_data(as_text=True)
    urls = re.findall(r'"(/static/[^"]+\?v=[0-9a-f]{12})"', page)
    assert len(urls) >= 3
    for url in urls:
        header = _cache_control(client, url)
        assert "max-age=31536000" in header and "immutable" in header
    bare = urls[0].split("?")[0]
    assert "max-age=31536000" not in _cache_control(client, bare)
    assert "max-age=31536000" not in _cache_control(client, bare + "?v=000000000000")
