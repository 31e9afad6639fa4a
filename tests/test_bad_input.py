"""Bad input everywhere (issue #9, item 2): hostile values posted to every POST route of the app.

For each POST endpoint of `app.url_map` the test picks a user the authorization table
(tests/access_table.py) lets use it, with real record ids (the matrix's `Refs`, plus a few records
made here where the table only knows missing ids), discovers the route's fields (the HTML forms of the
pages around it and of its own re-rendered form, plus the WTForms class the view uses), and lets
hypothesis post random and hostile values: wrong types, 100k-character strings, control characters
and NUL, emoji, markup, impossible dates, negative, huge and non-numeric amounts, unknown choices,
missing and repeated fields, missing or wrong CSRF tokens, with and without htmx headers.

The answer must be a 2xx/3xx (the random input happened to be valid) or the 4xx DESIGN.md §5 names
(400 CSRF, 403, 404, 409, 413, 422) with a Chinese message — never a 500 — and a refusal writes
nothing: the row counts of every table (but the audit log and the rate-limit counters) stay the same
and no insert, update or delete reaches the audit log.

Each example runs inside a savepoint of the test's connection that is rolled back afterwards, so every
example starts from the same world. The fuzz runs once, on SQLite: the PostgreSQL run would prove the
same thing about the views at twice the cost.
"""
import inspect
import io
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, text
from werkzeug.datastructures import MultiDict
from wtforms import Form as WTForm

from extensions import db
from tests import factories
from tests.access_table import FORBIDDEN, LOGIN, NOT_FOUND, TABLE, USERS
from tests.conftest import TEST_DATABASE_URL, make_app
from tests.helpers import row_counts
from tests.test_access_matrix import Refs

pytestmark = [pytest.mark.skipif(
    (TEST_DATABASE_URL or "").startswith("postgresql"),
    reason="the bad-input fuzz runs once, on SQLite: the views' answers do not depend on the database, "
           "and running it again on PostgreSQL would double its cost for nothing new")]

CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES") or (8 if CI else 25))
# No "explain" phase: it walks the traceback's files, and the shared .venv is a symlink.
FUZZ_SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=CI, database=None,
                         suppress_health_check=list(HealthCheck), print_blob=True,
                         phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink])

ANSWERS = {200, 201, 204, 302, 303, 400, 403, 404, 409, 413, 422, 429}
CJK = re.compile(r"[\u4e00-\u9fff]")
WRITES = ("create", "update", "transition", "delete")
DENIED = {FORBIDDEN, NOT_FOUND, LOGIN}

# The app, built once at collection time, only to enumerate its routes (no database is touched).
_ROUTES_APP = make_app("sqlite://")
POST_ENDPOINTS = sorted({rule.endpoint for rule in _ROUTES_APP.url_map.iter_rules() if "POST" in rule.methods})


# ---- whom to post as, and where


def _fuzz_refs(refs):
    """Records the table only reaches through missing ids: a bid, a milestone, a finding, an inspection,
    a reclaim — all on district_a's contract with X (Refs' `contract`)."""
    cached = refs.__dict__.get("_fuzz")
    if cached is not None:
        return cached
    from types import SimpleNamespace

    from models import Contract, Inspection, IntegrityFinding, Reclaim
    from models import clock

    contract = db.session.get(Contract, refs.contract)
    finding = IntegrityFinding(contract_id=contract.id, rule=_first_rule(), key="fuzz", description="测试发现",
                               records=[], found_on=clock.today())
    reclaim = Reclaim(contract_id=contract.id, amount=1, reason="追回", decided_on=clock.today())
    db.session.add_all([finding, reclaim])
    db.session.flush()
    inspection = Inspection.open(factories.user("district_a"), contract, _first_reason(), "检查台账")
    from tests.mediation_factories import make_case

    unassigned = make_case("contractor_x", state="registered")  # no mediator yet: worker_x may take it
    db.session.commit()
    cached = refs.__dict__["_fuzz"] = SimpleNamespace(
        procurement=contract.procurement_id, bid=contract.procurement.bids[0].id,
        milestone=contract.milestones[0].id, finding=finding.id, inspection=inspection.id, reclaim=reclaim.id,
        unassigned=unassigned.id)
    return cached


def _first_rule():
    from models.integrity import RULES

    return next(iter(RULES))


def _first_reason():
    from models.inspection import REASONS

    return next(iter(REASONS))


# endpoint -> (user, url) for routes whose table rows only hold ids no record has (or records outside
# every user's scope): the fuzz needs a real record the user may act on.
EXTRA = {
    "procurements.submit_bid": ("contractor_x", lambda r: f"/procurements/{_fuzz_refs(r).procurement}/bids"),
    "procurements.reject_bid": ("district_a", lambda r: f"/procurements/{_fuzz_refs(r).procurement}/bids/"
                                                        f"{_fuzz_refs(r).bid}/reject"),
    "procurements.record_scores": ("district_a", lambda r: f"/procurements/{_fuzz_refs(r).procurement}/scores"),
    "contracts.create": ("district_a", lambda r: "/contracts/"),
    "contracts.update_milestone": ("district_a", lambda r: f"/contracts/{r.contract}/milestones/"
                                                           f"{_fuzz_refs(r).milestone}"),
    "acceptance.decide_finding": ("district_a", lambda r: f"/contracts/{r.contract}/integrity/{_fuzz_refs(r).finding}"),
    "acceptance.advance_inspection": ("contractor_x", lambda r: f"/inspections/{_fuzz_refs(r).inspection}/advance"),
    "mediation.take": ("worker_x", lambda r: f"/mediation/{_fuzz_refs(r).unassigned}/take"),
    "acceptance.reclaim_repaid": ("district_a", lambda r: f"/contracts/{r.contract}/reclaims/"
                                                          f"{_fuzz_refs(r).reclaim}/repaid"),
}

# Preference among the users a row allows: one whose empty form is read (422) reaches the fields.
_RANK = {422: 0, 200: 2, 409: 3}


def _rank(expected):
    status = expected[0] if isinstance(expected, tuple) else expected
    return _RANK.get(status, 1)


@dataclass
class Target:
    endpoint: str
    user: str
    url: object  # refs -> url

    @property
    def label(self):
        return f"{self.endpoint}@{self.user}"


def target_for(endpoint):
    """The user and URL to fuzz `endpoint` with, or None when no user of the test world may use it."""
    if endpoint in EXTRA:
        user, url = EXTRA[endpoint]
        return Target(endpoint, user, url)
    allowed = sorted(((_rank(row.expect[user]), n, user, row) for n, row in enumerate(TABLE)
                      if row.endpoint == endpoint and row.method == "POST"
                      for user in USERS if row.expect[user] not in DENIED), key=lambda t: t[:3])
    if not allowed:
        return None
    _, _, user, row = allowed[0]
    return Target(endpoint, user, row.url)


def test_every_post_route_has_a_user_who_may_use_it():
    """A new POST route is fuzzed automatically, as long as the table names a user allowed to use it."""
    missing = [e for e in POST_ENDPOINTS if target_for(e) is None]
    assert not missing, ("POST routes no user of the test world may use (add a row to tests/access_table.py, "
                         "or an EXTRA target here with a real record): " + ", ".join(missing))


# ---- what fields a route takes


@dataclass
class Field:
    name: str
    kind: str = "text"  # text, number, integer, date, datetime, time, choice, multi, bool, file, hidden
    options: list = field(default_factory=list)  # real values for choice / multi / hidden


class _Forms(HTMLParser):
    """Every <form> of a page: where it posts (hx-post or action), its named controls and its htmx target."""

    def __init__(self, page_path):
        super().__init__(convert_charrefs=True)
        self.page_path, self.forms = page_path, []
        self._form, self._select, self._textarea = None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            path = urlsplit(a.get("hx-post") or a.get("action") or self.page_path).path
            self._form = {"path": path, "fields": {}, "target": a.get("hx-target", "").lstrip("#")}
            self.forms.append(self._form)
            return
        if self._form is None or not a.get("name"):
            if tag == "option" and self._select is not None and a.get("value") not in (None, ""):
                self._select.options.append(a["value"])
            return
        name, fields = a["name"], self._form["fields"]
        if tag == "input":
            kind = {"date": "date", "datetime-local": "datetime", "time": "time", "number": "number",
                    "file": "file", "hidden": "hidden", "checkbox": "bool", "radio": "choice"}.get(
                (a.get("type") or "text").lower(), "text")
            f = fields.get(name)
            if f is None:
                f = fields[name] = Field(name, kind)
            elif kind in ("bool", "choice") and f.kind in ("bool", "multi"):
                f.kind = "multi" if kind == "bool" else "choice"
            if a.get("value") not in (None, "") and kind in ("bool", "choice", "hidden"):
                f.options.append(a["value"])
        elif tag == "select":
            self._select = fields.setdefault(name, Field(name, "multi" if "multiple" in a else "choice"))
        elif tag == "textarea":
            fields.setdefault(name, Field(name, "text"))
        elif tag == "button" and a.get("value"):
            fields.setdefault(name, Field(name, "choice")).options.append(a["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


_WT_KINDS = {"DateField": "date", "DateTimeLocalField": "datetime", "DateTimeField": "datetime", "TimeField": "time",
             "DecimalField": "number", "FloatField": "number", "IntegerField": "integer", "FileField": "file",
             "MultipleFileField": "file", "BooleanField": "bool", "SelectField": "choice", "RadioField": "choice",
             "SelectMultipleField": "multi", "MultiCheckboxField": "multi", "HiddenField": "hidden"}


@lru_cache(maxsize=None)
def _form_classes():
    """Every WTForms class of blueprints/*/forms.py, by name (a blueprint's own module first)."""
    import importlib
    import pkgutil

    import blueprints

    found = {}
    for info in pkgutil.iter_modules(blueprints.__path__):
        try:
            module = importlib.import_module(f"blueprints.{info.name}.forms")
        except ModuleNotFoundError:
            continue
        for name, obj in vars(module).items():
            if isinstance(obj, type) and issubclass(obj, WTForm) and obj.__module__ == module.__name__:
                found.setdefault(name, []).append(obj)
    return found


def _view_form_classes(app, endpoint):
    """The form classes a view's source names (following helpers whose name says `form`, one level)."""
    view = inspect.unwrap(app.view_functions[endpoint])
    package = view.__module__.rsplit(".", 1)[0]
    sources, seen, classes = [view], set(), []
    while sources:
        fn = sources.pop()
        try:
            source = inspect.getsource(fn)
        except (OSError, TypeError):
            continue
        for name in set(re.findall(r"\b([A-Za-z_]\w*)\b", source)):
            obj = fn.__globals__.get(name)
            if name.endswith("Form") and name in _form_classes():
                candidates = _form_classes()[name]
                classes.append(next((c for c in candidates if c.__module__.startswith(package)), candidates[0]))
            elif callable(obj) and "form" in name.lower() and inspect.isfunction(obj) and obj not in seen \
                    and fn is view:
                seen.add(obj)
                sources.append(obj)
    return classes


def _wtforms_fields(app, cls):
    fields = {}
    with app.test_request_context():
        try:
            form = cls(meta={"csrf": False})
        except Exception:  # a form that needs constructor arguments: its HTML is enough
            return fields
        stack = list(form)
        while stack:
            f = stack.pop()
            kind = next((_WT_KINDS[k.__name__] for k in type(f).__mro__ if k.__name__ in _WT_KINDS), None)
            if type(f).__name__ in ("FormField", "FieldList"):
                stack.extend(f)
                continue
            opts = [str(c[0]) for c in (getattr(f, "choices", None) or []) if isinstance(c, (tuple, list))] \
                if not callable(getattr(f, "choices", None)) else []
            fields[f.name] = Field(f.name, kind or "text", opts)
    return fields


def _merge(into, found):
    for name, f in found.items():
        have = into.get(name)
        if have is None:
            into[name] = Field(f.name, f.kind, list(f.options))
        else:
            if have.kind == "text" and f.kind != "text":
                have.kind = f.kind
            have.options.extend(o for o in f.options if o not in have.options)


def _root(path):
    return path.split("/")[1]


def candidate_pages(app, refs, target, url):
    """The pages of the route's part of the app the user may open whose path is on the route's own."""
    path = urlsplit(url).path.rstrip("/") or "/"
    roots = {}
    for rule in app.url_map.iter_rules():
        roots.setdefault(rule.endpoint, set()).add(_root(rule.rule))
    pages = set()
    for row in TABLE:
        if row.method != "GET" or row.expect[target.user] != 200 or _root(path) not in roots[row.endpoint]:
            continue
        page = row.url(refs)
        page_path = urlsplit(page).path.rstrip("/") or "/"
        if path.startswith(page_path) or page_path.startswith(path):
            pages.add(page)
    return sorted(pages)


def discover(app, client, target, url, pages):
    """The route's fields and the htmx targets near it: from the pages around it, its 422 re-render and
    the WTForms classes of its view."""
    c, token = client
    path = urlsplit(url).path.rstrip("/") or "/"
    fields, targets = {}, set()
    responses = [(p, c.get(p)) for p in pages]
    responses.append((url, c.post(url, data={"csrf_token": token})))  # the re-rendered form, if any
    for page, response in responses:
        if response.mimetype != "text/html":
            continue
        parser = _Forms(urlsplit(page).path)
        parser.feed(response.get_data(as_text=True))
        for form in parser.forms:
            if form["path"].rstrip("/") == path.rstrip("/"):
                _merge(fields, form["fields"])
                if form["target"]:
                    targets.add(form["target"])
    for cls in _view_form_classes(app, target.endpoint):
        _merge(fields, _wtforms_fields(app, cls))
    csrf_names = sorted(n for n in fields if n.endswith("csrf_token")) or ["csrf_token"]
    for name in csrf_names:
        fields.pop(name, None)
    return list(fields.values()), sorted(targets), csrf_names


# ---- hostile values

HUGE = ["x" * 100_000, "中" * 100_000, "😀" * 30_000]
HOSTILE_TEXT = [
    "", " ", "\x00", "a\x00b", "\x1b[31m红\x1b[0m", "\r\n\t\x0b\x0c", "\u202e反转", "\ufeff", "\u200b",
    "<script>alert(1)</script>", "\"'><img src=x onerror=alert(1)>", "{{ 7*7 }}", "{% raw %}", "%s%n%x",
    "Robert'); DROP TABLE \"user\";--", "../../../etc/passwd", "C:\\con\\nul", "😀👨‍👩‍👧‍👦", "𠮷野家", "null", "[]",
    "{\"a\": 1}", "true", "-1", "0", "٣", "１２３",
]
HOSTILE_NUMBER = [
    "", "-1", "-0.01", "0", "-0", "0.001", "1.005", "1e309", "-1e309", "1e-400", "NaN", "nan", "inf", "-Infinity",
    "99999999999999999999999999", "-99999999999999999999999", "9223372036854775808", "123456789012.99",
    "1,000.00", "1 000", "1_000", "١٢٣", "１２３", "0x1F", "12abc", "abc", "1.2.3", "+5", ".5", "5.", "1e3",
]
HOSTILE_DATE = [
    "", "2026-02-30", "2026-02-29", "2024-02-29", "99999-01-01", "0000-00-00", "0001-01-01", "9999-12-31",
    "2026-13-01", "2026-00-10", "1900-01-01", "1899-12-31", "27/11/2026", "2026/11/27", "20261127", "2026-11-27T10:00",
    "2026-11-27 10:00:00", "-2026-01-01", "2026-1-1", "二〇二六年十一月", "today", "2026-11-27\x00",
]
HOSTILE_DATETIME = HOSTILE_DATE + ["2026-11-27T25:61", "2026-11-27T10:00", "9999-12-31T23:59", "2026-02-30T10:00"]
HOSTILE_TIME = ["", "25:00", "10:61", "24:00", "-1:00", "10:00:00", "10", "noon", "23:59", "00:00"]

hostile_any = st.one_of(st.sampled_from(HOSTILE_TEXT + HOSTILE_NUMBER + HOSTILE_DATE), st.sampled_from(HUGE),
                        st.text(max_size=40), st.integers(-10**30, 10**30).map(str))


def plausible(f, ids):
    """A value a clerk might type, so that the hostile values of the other fields reach deep code."""
    from models import clock

    today = clock.today()
    if f.kind in ("choice", "hidden") and f.options:
        return st.sampled_from(f.options)
    if f.kind == "multi":
        return st.lists(st.sampled_from(f.options), max_size=3, unique=True) if f.options else st.just([])
    if f.kind == "bool":
        return st.sampled_from(f.options or ["y"])
    if f.kind == "date":
        return st.integers(-400, 60).map(lambda d: (today.fromordinal(today.toordinal() + d)).isoformat())
    if f.kind == "datetime":
        return st.integers(-400, 60).map(lambda d: today.fromordinal(today.toordinal() + d).isoformat() + "T09:30")
    if f.kind == "time":
        return st.sampled_from(["08:30", "17:00", "12:00"])
    if f.kind in ("number", "integer"):
        return st.one_of(st.sampled_from(["1", "2", "3", "10", "100", "1000.00", "0.50"]), st.sampled_from(ids))
    if f.kind == "file":
        return st.just(("pdf", "方案.pdf"))
    if f.name.endswith("_id") or f.name in ("procurement", "bid_id", "member"):
        return st.sampled_from(ids)
    return st.sampled_from(["测试内容", "张三", "13847200000", "包头市昆都仑区", "1", "其他", "y"])


def hostile(f):
    if f.kind == "file":
        return st.sampled_from([("empty", "空.pdf"), ("exe", "../../evil.exe"), ("pdf", "a\x00b.pdf"),
                                ("text", "说明.pdf"), ("pdf", "名" * 300 + ".pdf"), ("png", "图.png"),
                                ("text", "")])
    if f.kind in ("number", "integer"):
        return st.one_of(st.sampled_from(HOSTILE_NUMBER), hostile_any)
    if f.kind == "date":
        return st.one_of(st.sampled_from(HOSTILE_DATE), hostile_any)
    if f.kind == "datetime":
        return st.sampled_from(HOSTILE_DATETIME)
    if f.kind == "time":
        return st.sampled_from(HOSTILE_TIME)
    if f.kind in ("choice", "multi", "bool", "hidden"):
        return st.one_of(st.sampled_from(["unknown", "0", "-1", "999999999", "", "\x00", "全部", "y", "n"]), hostile_any)
    return hostile_any


FILES = {"pdf": factories.PDF, "png": factories.PNG, "empty": b"", "exe": b"MZ\x90\x00" + b"\x00" * 60,
         "text": "纯文本，不是 PDF".encode()}


@st.composite
def submissions(draw, fields, ids, targets):
    """(form data, headers, csrf mode) for one post."""
    data = []
    for f in fields:
        mode = draw(st.sampled_from(["plausible", "plausible", "hostile", "missing", "repeated"]))
        if mode == "missing":
            continue
        if mode == "repeated":
            values = [draw(plausible(f, ids)), draw(hostile(f))]
        else:
            values = [draw(plausible(f, ids) if mode == "plausible" else hostile(f))]
        for v in values:
            if isinstance(v, list):
                data.extend((f.name, x) for x in v)
            else:
                data.append((f.name, v))
    if draw(st.integers(0, 9)) == 0:  # a field no form has
        data.append((draw(st.sampled_from(["id", "status", "role", "unit_id", "user_id", "amount", "__proto__"])),
                     draw(hostile_any)))
    csrf = draw(st.sampled_from(["valid", "valid", "valid", "valid", "header", "missing", "invalid", "repeated"]))
    htmx = draw(st.sampled_from(["off", "off", "on", "boosted"] + (["target"] if targets else [])))
    headers = {}
    if htmx != "off":
        headers["HX-Request"] = "true"
    if htmx == "boosted":
        headers["HX-Boosted"] = "true"
    if htmx == "target":
        headers["HX-Target"] = draw(st.sampled_from(targets))
    return data, headers, csrf


def _encode(data, token, csrf, headers, csrf_names):
    """The multipart body; the CSRF token under the name(s) the route's forms give it (a prefixed form's
    is `<prefix>-csrf_token`)."""
    multi = MultiDict()
    for name, value in data:
        if isinstance(value, tuple):
            kind, filename = value
            value = (io.BytesIO(FILES[kind]), filename)
        multi.add(name, value)
    for name in csrf_names:
        if csrf in ("valid", "repeated"):
            multi.add(name, token)
        if csrf == "repeated":
            multi.add(name, "forged")
        if csrf == "invalid":
            multi.add(name, token[:-4] + "AAAA")
    if csrf == "header":
        headers = dict(headers, **{"X-CSRFToken": token})
    return multi, headers


# ---- the answer


def _writes_since(last_id):
    """(table, action) of every insert, update or delete the audit log saw after entry `last_id`."""
    from models.audit import AuditLog

    return db.session.execute(select(AuditLog.record_type, AuditLog.action)
                              .where(AuditLog.id > last_id, AuditLog.action.in_(WRITES))).all()


def _last_audit_id():
    from models.audit import AuditLog

    return db.session.scalar(select(func.max(AuditLog.id))) or 0


_COUNT_SQL = {}


def counts():
    """tests.helpers.row_counts in one statement (the fuzz counts after every refusal)."""
    conn = db.session.connection()
    if conn not in _COUNT_SQL:
        names = list(row_counts())
        quote = conn.dialect.identifier_preparer.quote
        _COUNT_SQL.clear()
        _COUNT_SQL[conn] = (names, text("SELECT " + ", ".join(f"(SELECT count(*) FROM {quote(n)})" for n in names)))
    names, sql = _COUNT_SQL[conn]
    return dict(zip(names, db.session.execute(sql).one()))


def _messages(body):
    found = re.findall(r'<p class="error"[^>]*>(.*?)</p>', body, re.S)
    found += re.findall(r'<div class="form-errors"[^>]*>(.*?)</div>', body, re.S)
    found += re.findall(r'<div class="flash flash-error"[^>]*>(.*?)</div>', body, re.S)
    return [m for m in found if CJK.search(m)]


def check_answer(response, csrf, label, submitted):
    from app import ERROR_TEXT

    status = response.status_code
    where = f"{label} answered {status} to {submitted!r:.2000}"
    assert status in ANSWERS, where
    body = response.get_data(as_text=True) if response.mimetype.startswith("text/") else ""
    if csrf in ("missing", "invalid"):
        assert status == 400, where + " (a post without a valid CSRF token must be refused with 400)"
    if status == 422:
        assert _messages(body), where + ": a 422 must say in Chinese what is wrong, beside the field or on the form"
    elif status >= 400:
        assert ERROR_TEXT[status][0] in body or _messages(body), where + ": a refusal needs its Chinese message"


# ---- the world: built once for the module (the per-test world would cost seconds per route), each
# route's examples in savepoints of its connection.


@contextmanager
def undone(conn):
    """Whatever happens inside is rolled back: the example's requests commit into a savepoint."""
    db.session.remove()
    savepoint = conn.begin_nested()
    try:
        yield
    finally:
        db.session.remove()
        savepoint.rollback()


@pytest.fixture(scope="module")
def world(_app):
    from types import SimpleNamespace

    from models import clock
    from tests.conftest import TODAY, TestSession

    with _app.app_context():
        conn = db.engine.connect()
        outer = conn.begin()
        original = db.session
        db.session = db._make_scoped_session(
            {"bind": conn, "join_transaction_mode": "create_savepoint", "class_": TestSession})
        clock.set_now(TODAY)
        try:
            refs = Refs()
            ids = sorted({str(v) for v in _known_ids(refs)})
            for row in TABLE:  # every record the table's URLs name, made now, outside the examples
                row.url(refs)
            # Refs keeps the purchasing records as objects; the examples' sessions come and go: keep ids.
            kept = {k: SimpleNamespace(id=v.id) for k, v in refs._purchasing.items()}
            kept["contract"].procurement = SimpleNamespace(id=refs._purchasing["contract"].procurement.id,
                                                           year=refs._purchasing["contract"].procurement.year)
            refs.__dict__["_purchasing"] = kept
            db.session.commit()
            yield SimpleNamespace(app=_app, conn=conn, refs=refs, ids=ids, identities={})
        finally:
            clock.reset()
            db.session.remove()
            db.session = original
            outer.rollback()
            conn.close()


def identity(w, user):
    """(session cookie, CSRF token) of `user`, signed in once through the login form."""
    if user not in w.identities:
        c = w.app.test_client()
        if user != "anonymous":
            r = c.send("/login", {"username": user, "password": factories.PASSWORD})
            assert r.status_code == 303, f"login as {user} failed"
        cookie = c.get_cookie(w.app.config["SESSION_COOKIE_NAME"])
        w.identities[user] = (cookie.value if cookie else None, c.csrf_token())
        db.session.commit()
    return w.identities[user]


def client_of(w, user):
    cookie, token = identity(w, user)
    c = w.app.test_client()
    if cookie:
        c.set_cookie(w.app.config["SESSION_COOKIE_NAME"], cookie)
    return c, token


# ---- the fuzz


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_hostile_input_is_refused_cleanly(world, endpoint):
    w, app = world, world.app
    target = target_for(endpoint)
    assert target is not None, f"no user of the test world may use POST {endpoint}"
    url = target.url(w.refs)
    identity(w, target.user)
    pages = candidate_pages(app, w.refs, target, url)
    db.session.commit()
    with undone(w.conn):  # the probe post of discovering may succeed: undo it
        fields, targets, csrf_names = discover(app, client_of(w, target.user), target, url, pages)
    query = dict(parse_qsl(urlsplit(url).query))
    with undone(w.conn):
        before, last_audit = counts(), _last_audit_id()

    @FUZZ_SETTINGS
    @given(submission=submissions(fields, w.ids, targets),
           query_values=st.fixed_dictionaries({k: st.one_of(st.just(v), hostile_any) for k, v in query.items()}))
    def run(submission, query_values):
        data, headers, csrf = submission
        post_url = urlsplit(url).path + ("?" + "&".join(f"{k}={_q(v)}" for k, v in query_values.items())
                                         if query_values else "")
        with undone(w.conn):
            client, token = client_of(w, target.user)
            form, hdrs = _encode(data, token, csrf, headers, csrf_names)
            response = client.post(post_url, data=form, headers=hdrs)
            response.request.environ["wsgi.input"].close()  # the client spools a big body to a file
            check_answer(response, csrf, f"POST {post_url} as {target.user}", (data, headers, csrf))
            if response.status_code >= 400:
                assert counts() == before, f"{target.label}: a {response.status_code} refusal wrote rows"
                assert not _writes_since(last_audit), (
                    f"{target.label}: a {response.status_code} refusal changed records: {_writes_since(last_audit)}")

    run()


def _q(value):
    from urllib.parse import quote

    return quote(str(value), safe="")


def _known_ids(refs):
    """Ids of real records (and a missing one): plausible values for id-like fields."""
    ids = {refs.x, refs.y, refs.x_staff, refs.y_staff, refs.pending, refs.missing, *refs.user.values()}
    for name in ("contract", "plan", "item", "procurement", "acceptance", "acceptance_item", "deliverable"):
        ids.add(getattr(refs, name))
    fuzz = _fuzz_refs(refs)
    ids |= set(vars(fuzz).values())
    return ids
