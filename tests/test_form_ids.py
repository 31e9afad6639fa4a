"""The forms of a page keep to themselves: no id twice, every label names a control of its own form,
invalid fields say so (aria-invalid, aria-describedby, the first one focused), required selects start
with an empty 请选择 (issue 18, items 6 and 7). Every page of the demo is also checked in Chromium with
axe-core (tests/browser/test_accessibility.py)."""
from collections import Counter
from html.parser import HTMLParser

import pytest

from extensions import db
from models import clock
from tests import factories, rehab_factories as rf
from tests.conftest import TODAY
from tests.helpers import text

CONTROLS = {"input", "select", "textarea", "button", "meter", "output", "progress"}


class Page(HTMLParser):
    """Ids, labels and controls of a page, each with the form it is in (an index, None outside forms)."""

    def __init__(self, html):
        super().__init__()
        self.ids, self.labels, self.controls, self.selects = [], [], {}, []
        self._forms, self._count, self._label, self._select = [], 0, None, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._count += 1
            self._forms.append(self._count)
        form = self._forms[-1] if self._forms else None
        if "id" in a:
            self.ids.append(a["id"])
            if tag in CONTROLS and a.get("type") != "hidden":
                self.controls[a["id"]] = (tag, form, a)
        if tag == "label" and "for" in a:
            self._label = [a["for"], form, ""]
            self.labels.append(self._label)
        if tag == "select":
            self._select = [a, []]
            self.selects.append(self._select)
        if tag == "option" and self._select is not None:
            self._select[1].append([a.get("value"), ""])

    def handle_endtag(self, tag):
        if tag == "form" and self._forms:
            self._forms.pop()
        if tag == "label":
            self._label = None
        if tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._label is not None:
            self._label[2] += data.strip()
        if self._select is not None and self._select[1]:
            self._select[1][-1][1] += data.strip()

    def problems(self):
        found = [f'id "{i}" {n} times' for i, n in Counter(self.ids).items() if n > 1]
        for target, form, label in self.labels:
            control = self.controls.get(target)
            if control is None:
                found.append(f'label "{label}" names no control (for="{target}")')
            elif control[1] != form:
                found.append(f'label "{label}" names a control of another form (for="{target}")')
        for attrs, options in self.selects:
            for value, label in options:
                if label == "请选择" and value != "":
                    found.append(f'select {attrs.get("id")}: 请选择 has the value "{value}"')
        return found


@pytest.fixture
def contract(app):
    c = factories.make_contract("150203", factories.org("X"), amount="120000.00")
    db.session.commit()
    return c


def test_the_contract_page_repeats_no_id_and_each_label_names_its_own_field(contract, login):
    for username in ("district_a", "contractor_x"):
        page = Page(text(login(username).get(f"/contracts/{contract.id}")))
        assert not page.problems(), (username, page.problems())
        assert len(page.labels) > 5
    page = Page(text(login("district_a").get(f"/contracts/{contract.id}")))
    amounts = {target: label for target, _, label in page.labels if target.endswith("-amount")}
    assert amounts["payment-amount"] == "金额（元）" and amounts["amendment-amount"] == "变更后的合同金额（元）"
    # the milestone rows: one form per row, each field labelled, ids by the row's milestone
    milestones = [m for m in contract.milestones if not m.is_final]
    for m in milestones:
        assert page.controls[f"milestone-{m.id}-status"][0] == "select"
        assert any(t == f"milestone-{m.id}-status_on" and label for t, _, label in page.labels)


def test_the_subject_page_repeats_no_id_and_each_label_names_its_own_field(app, login):
    clock.set_now(TODAY)
    s = rf.subject()
    db.session.commit()
    page = Page(text(login("district_a").get(f"/rehabilitation/{s.id}")))
    assert not page.problems(), page.problems()
    assert len(page.labels) > 5


def test_names_stay_as_they_were_only_ids_carry_the_form(contract, login):
    body = text(login("district_a").get(f"/contracts/{contract.id}"))
    assert 'name="amount"' in body and 'id="payment-amount"' in body and 'id="amount"' not in body
    assert 'name="csrf_token"' in body and 'id="csrf_token"' not in body


def test_an_invalid_field_is_marked_named_by_its_message_and_focused(contract, login):
    unit = login("district_a")
    r = unit.send(f"/contracts/{contract.id}/payments", {"instalment_id": "", "paid_on": "", "amount": "10"})
    assert r.status_code == 422
    page = Page(text(r))
    tag, _, attrs = page.controls["payment-instalment_id"]
    assert attrs.get("aria-invalid") == "true" and attrs.get("aria-describedby") == "payment-instalment_id-error"
    assert 'id="payment-instalment_id-error">请选择分期</p>' in text(r)
    paid_on = page.controls["payment-paid_on"][2]
    assert paid_on.get("aria-invalid") == "true" and "autofocus" not in paid_on  # only the first invalid field
    assert "autofocus" in attrs
    assert not page.problems(), page.problems()
    # an htmx request gets no autofocus (the swap's own script moves the focus)
    r = unit.send(f"/contracts/{contract.id}/payments", {"instalment_id": "", "paid_on": "", "amount": "10"},
                  headers={"HX-Request": "true"})
    assert r.status_code == 422 and "autofocus" not in text(r)


def test_required_selects_start_with_an_empty_choice(contract, login):
    select = next(s for s in Page(text(login("district_a").get(f"/contracts/{contract.id}"))).selects
                  if s[0].get("id") == "payment-instalment_id")
    assert "required" in select[0] and select[1][0] == ["", "请选择"]


def test_the_skip_link_comes_first_and_leads_to_main(client):
    body = text(client.get("/"))
    first = body.index("<a ")
    assert body[first:].startswith('<a class="skip-link visually-hidden" href="#main">跳到正文</a>')
    assert '<main id="main" tabindex="-1">' in body


def test_the_statistics_table_scrolls_by_keyboard_too(login):
    body = text(login("city").get("/statistics/mediation"))
    box = body[body.index('<div class="table-scroll"'):].split(">", 1)[0]
    assert 'tabindex="0"' in box and 'role="region"' in box and 'aria-label="' in box
