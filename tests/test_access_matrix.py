"""The authorization matrix: every route × every user of the test world (tests/access_table.py).

One test per route and user, each in its own rolled-back transaction. A route missing from the
table fails test_every_route_is_in_the_table.
"""
from functools import cached_property
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from demo.helpers import make_uscc
from extensions import db
from models import StaffMember, User
from tests import factories
from tests.access_table import TABLE, USERS

IGNORED_METHODS = {"HEAD", "OPTIONS"}


class Refs:
    """Ids of the records the table's URLs point at, read from the test world of this test."""

    missing = 999_999_999  # an id no record has
    uscc_x = factories.USCC_X

    def __init__(self):
        x, y = factories.org("X"), factories.org("Y")
        self.x, self.y = x.id, y.id
        self.x_evidence = x.qualification(1).evidence_id
        self.y_evidence = y.qualification(1).evidence_id
        self.x_staff, self.y_staff = (
            db.session.scalar(select(StaffMember.id).where(StaffMember.contractor_id == org.id)
                              .order_by(StaffMember.id)) for org in (x, y))
        self.user = dict(db.session.execute(select(User.username, User.id).where(User.username.in_(USERS))).all())

    @cached_property
    def _pending_org(self):
        """A registration waiting for review, seated in district_a's unit: listed for no one else."""
        org = factories.make_contractor("包头市昆都仑区新立人民调解服务中心", make_uscc("52150203MJ0000903"),
                                        "150203", status="pending")
        db.session.commit()
        return org.id, org.qualification(1).evidence_id

    @property
    def pending(self):
        return self._pending_org[0]

    @cached_property
    def _purchasing(self):
        """District_a's records: a draft plan with an attachment, a planned procurement, and X's contract."""
        from datetime import timedelta
        from decimal import Decimal

        from models import Attachment, PlanItem, Procurement, PurchasePlan, ServiceItem
        from models import clock

        contract = factories.make_contract("150203", factories.org("X"))
        deliverable = contract.log_deliverable(
            factories.user("contractor_x"), "training", clock.today(), "会议室", 20, "培训",
            Attachment.from_upload("签到.pdf", "application/pdf", factories.PDF))
        published = contract.procurement.plan_items[0].plan
        draft = PurchasePlan(unit_id=published.unit_id, year=published.year + 1, budget_amount=Decimal(1000),
                             needs_assessment="需求", affordability_notes="可承受")
        item = PlanItem(service_item=db.session.scalar(select(ServiceItem).where(ServiceItem.code == "M1")),
                        content="x", service_standard="x", quantity=Decimal(1), unit_label="年", budget=Decimal(10),
                        target_requirements="x")
        draft.items.append(item)
        draft.attachments.append(Attachment.from_upload("需求.pdf", "application/pdf", factories.PDF))
        db.session.add(draft)
        db.session.flush()
        ocid, seq = Procurement.mint_ocid(published.unit, published.year)
        planned = Procurement(ocid=ocid, seq=seq, unit_id=published.unit_id, year=published.year, title="采购",
                              category="mediation", requirement_summary="需求", budget=Decimal(10), expected_month=3,
                              intention_published_on=clock.today() - timedelta(days=1))
        db.session.add(planned)
        from models import Acceptance

        acceptance = Acceptance.open(factories.user("district_a"), contract, "final", None, contract.period_start,
                                     clock.today(), "会议室", ["system"], "合同")
        db.session.commit()
        return {"contract": contract, "deliverable": deliverable, "published_plan": published, "plan": draft,
                "item": item, "procurement": planned, "acceptance": acceptance,
                "acceptance_item": acceptance.items[0], "plan_attachment": draft.attachments[0]}

    def __getattr__(self, name):
        """plan, item, procurement, contract, ... and their *_id forms, built on first use."""
        if name.startswith("_"):
            raise AttributeError(name)
        records = self._purchasing
        key = name[:-3] if name.endswith("_id") else name
        if key not in records:
            raise AttributeError(name)
        return records[key].id

    @property
    def year(self):
        """The year of district_a's published records (the portal's open-data packages)."""
        return self._purchasing["contract"].procurement.year

    @cached_property
    def feedback(self):
        """Feedback from the public about X's contract: it went to district_a."""
        from models import Feedback

        contract = self._purchasing["contract"]
        contract.published_on = contract.signed_on
        item = Feedback.receive(contract, None, "服务点无人接待", contact_name="某某", contact_phone="13900000000")
        db.session.commit()
        return item.id

    @property
    def pending_evidence(self):
        return self._pending_org[1]

    # ---- evaluation (issue 7): an open evaluation of X's contract, assigned to the evaluator's body
    # within its window, with one sampled case whose parties agreed to be contacted
    @cached_property
    def _evaluation(self):
        from datetime import timedelta

        from models import Contract, Evaluation, EvaluationBody, IndicatorSet
        from models import clock
        from tests.mediation_factories import make_case

        contract = db.session.get(Contract, self.contract)
        make_case(contract=contract, received_on=contract.period_start)
        unit = factories.user("district_a")
        e = Evaluation.open(unit, contract, contract.period_start, clock.today())
        e.assign(unit, db.session.scalar(select(EvaluationBody)), clock.today(), clock.today() + timedelta(days=30))
        indicator = IndicatorSet.for_category("mediation").groups[0].children[0]
        db.session.commit()
        return e.id, e.samples[0].id, indicator.id

    @property
    def evaluation(self):
        return self._evaluation[0]

    @property
    def evaluation_sample(self):
        return self._evaluation[1]

    @property
    def indicator(self):
        return self._evaluation[2]


def _routes(app):
    return {(rule.endpoint, method) for rule in app.url_map.iter_rules() if rule.endpoint != "static"
            for method in rule.methods - IGNORED_METHODS}


def test_every_route_is_in_the_table(app):
    routes = _routes(app)
    table = {(c.endpoint, c.method) for c in TABLE}
    missing = sorted(routes - table)
    assert not missing, "routes without a row in tests/access_table.py: " + ", ".join(
        f"{method} {endpoint}" for endpoint, method in missing)
    stale = sorted(table - routes)
    assert not stale, "rows in tests/access_table.py for routes that do not exist: " + ", ".join(
        f"{method} {endpoint}" for endpoint, method in stale)


def test_table_rows_are_unique_and_complete():
    names = [c.name for c in TABLE]
    assert len(names) == len(set(names)), "two rows share a name; give the variant a distinct label"
    for c in TABLE:
        assert set(c.expect) == set(USERS), c.name


def _describe(response):
    body = response.get_data(as_text=True) if response.mimetype.startswith("text/") else f"<{response.mimetype}>"
    return f"{response.status_code} {response.headers.get('Location', '')} {body[:300]!r}"


def check(response, expected):
    """The response is the expected answer: a status, or a (status, path) redirect."""
    if isinstance(expected, tuple):
        status, path = expected
        assert response.status_code == status, _describe(response)
        assert urlsplit(response.headers["Location"]).path == path, _describe(response)
        return
    assert response.status_code == expected, _describe(response)
    body = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
    if expected == 403:
        assert "无权操作" in body, _describe(response)
    elif expected == 404:
        assert "未找到" in body, _describe(response)
    elif expected == 422:
        assert "<form" in body, "an invalid form comes back re-rendered: " + _describe(response)


# user -> (session cookie, CSRF token). Each user signs in through the login form once per run; later
# tests start a new client holding that cookie. The cookie names only the user (the server loads
# the user from the database of the current, rolled-back test), so no data passes between tests.
_identities = {}


def _client_as(app, login, user):
    cookie_name = app.config["SESSION_COOKIE_NAME"]
    if user not in _identities:
        first = app.test_client() if user == "anonymous" else login(user)
        token = first.csrf_token()
        _identities[user] = (first.get_cookie(cookie_name).value, token)
    cookie, token = _identities[user]
    c = app.test_client()
    c.set_cookie(cookie_name, cookie)
    return c, token


@pytest.mark.parametrize("row,user", [(c, u) for c in TABLE for u in USERS],
                         ids=[f"{c.name}@{u}" for c in TABLE for u in USERS])
def test_access(app, login, row, user):
    url = row.url(Refs())
    endpoint, _ = app.url_map.bind("localhost").match(urlsplit(url).path, method=row.method)
    assert endpoint == row.endpoint, f"{url} reaches {endpoint}, not {row.endpoint}"
    c, token = _client_as(app, login, user)
    response = c.get(url) if row.method == "GET" else c.send(url, {"csrf_token": token})
    check(response, row.expect[user])
    if user != "anonymous":  # issue 18 item 2: nothing a signed-in user is sent is kept by a cache, downloads included
        assert response.headers.get("Cache-Control") == "no-store", (url, response.headers.get("Cache-Control"))


# ---- the refusals' pages and fragments


def test_refusals_are_the_chinese_error_pages(app, login):
    refs = Refs()
    forbidden = login("contractor_x").get("/contractors/")
    assert forbidden.status_code == 403
    assert "无权操作" in forbidden.get_data(as_text=True)
    assert "<html" in forbidden.get_data(as_text=True)
    not_found = login("district_b").get(f"/contractors/{refs.x}/evidence/{refs.x_evidence}")
    assert not_found.status_code == 404
    assert "未找到" in not_found.get_data(as_text=True)
    assert "<html" in not_found.get_data(as_text=True)


@pytest.mark.parametrize("user,url", [
    ("district_b", lambda r: f"/contractors/{r.x}/evidence/{r.x_evidence}"),
    ("district_b", lambda r: f"/contractors/{r.pending}"),
    ("contractor_x", lambda r: f"/organisation/staff/{r.y_staff}/edit"),
], ids=["seat-only-evidence", "pending-org", "other-org-staff"])
def test_htmx_request_out_of_scope_gets_the_error_fragment(app, login, user, url):
    r = login(user).get(url(Refs()), headers={"HX-Request": "true"})
    body = r.get_data(as_text=True)
    assert r.status_code == 404
    assert 'data-status="404"' in body and "未找到" in body
    assert "<html" not in body
    assert r.headers["HX-Retarget"] == "#flash"


def test_htmx_request_refused_by_role_gets_the_error_fragment(app, login):
    r = login("district_b").send(f"/contractors/{Refs().x}/suspend", headers={"HX-Request": "true"})
    body = r.get_data(as_text=True)
    assert r.status_code == 403
    assert 'data-status="403"' in body and "无权操作" in body
    assert r.headers["HX-Retarget"] == "#flash"
