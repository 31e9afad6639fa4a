"""Adding a party row on the intake form keeps what was typed (issue 14, defect 5): without JavaScript
the "添加当事人" button posts the form and the same page comes back with one more row; with it a
<template> row is cloned (tests/browser/test_forms.py)."""
import html
import re

from sqlalchemy import select

from extensions import db
from models.mediation import MediationCase
from tests.helpers import row_counts, text
from tests.test_mediation_cases import intake_data

NAMES = ['赵 & 钱 <孙> 李', '"O\'Neil" 周', '吴 😀 郑']


def _value(body, name):
    tag = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', body)
    assert tag, name
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return html.unescape(value.group(1)) if value else ""


def _textarea(body, name):
    return html.unescape(re.search(rf'<textarea[^>]*name="{name}"[^>]*>\r?\n?(.*?)</textarea>', body, re.S).group(1))


def test_the_page_offers_a_row_template_and_no_warning_about_lost_input(login):
    body = text(login("worker_x").get("/mediation/new"))
    assert "不会保留" not in body and "请先增加再填写" not in body
    template = re.search(r'<template id="party-template"[^>]*>(.*?)</template>', body, re.S).group(1)
    assert 'name="parties-__index__-name"' in template and 'id="parties-__index__-name"' in template
    assert 'name="add_party"' in body and 'data-add-row="party-template"' in body
    assert '<script src="/static/js/rows.js' in body and "<script>" not in body


def test_adding_a_row_without_javascript_keeps_everything_typed(login):
    c = login("worker_x")
    data = intake_data(**{"parties-0-name": NAMES[0], "parties-1-name": NAMES[1], "parties-2-name": NAMES[2],
                          "facts": '楼上漏水 & <吊顶> "损坏" 😀', "add_party": "1"})
    before = row_counts()
    r = c.send("/mediation/", data)
    body = text(r)
    assert r.status_code == 200
    assert row_counts() == before  # nothing registered yet
    assert [_value(body, f"parties-{i}-name") for i in range(5)] == NAMES + ["鹿城物业有限公司", ""]
    assert _value(body, "parties-0-id_number") == "150203199001010010"
    assert _value(body, "source_body") == "包头市昆都仑区人民法院"
    assert _textarea(body, "facts") == '楼上漏水 & <吊顶> "损坏" 😀'
    assert re.search(r'<input[^>]*autofocus[^>]*name="parties-4-name"|<input[^>]*name="parties-4-name"[^>]*autofocus',
                     body)
    assert "<p class=\"error\"" not in body  # adding a row judges nothing yet

    # The fifth row is filled in and the case registered: every name arrives as typed.
    data.pop("add_party")
    data.update({"parties-4-side": "respondent", "parties-4-kind": "person", "parties-4-name": "王 <五> & 😀"})
    r = c.send("/mediation/", data)
    assert r.status_code == 303, text(r)[:1500]
    saved = db.session.scalars(select(MediationCase).order_by(MediationCase.id.desc())).first()
    assert sorted(p.name for p in saved.parties) == sorted(NAMES + ["鹿城物业有限公司", "王 <五> & 😀"])


def test_rows_stop_at_the_limit_with_a_message(login):
    c = login("worker_x")
    data = intake_data(add_party="1")
    for i in range(4, 20):
        data[f"parties-{i}-side"], data[f"parties-{i}-name"] = "respondent", f"当事人{i}"
    r = c.send("/mediation/", data)
    body = text(r)
    assert r.status_code == 422 and "最多填写 20 名当事人" in body
    assert _value(body, "parties-19-name") == "当事人19"
    assert re.search(r'<button[^>]*name="add_party"[^>]*disabled', body)
