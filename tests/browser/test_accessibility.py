"""Every page of the demo in Chromium, checked by axe-core (WCAG 2.0 and 2.1, levels A and AA) and for the
form wiring axe does not see: no id twice on a page, every label[for] names a control of its own form.

The demo (`flask demo seed`) runs on a server of its own. Each demo role signs in once and follows the
links its pages show, breadth first from the work list; one page per route and role is checked (a case's
page, not all eleven), with every <details> opened so that folded forms are checked too. axe-core comes
from npm (package.json, devDependencies) and is evaluated in the page from node_modules; it is never
served. Without node_modules/axe-core the test skips locally and fails under CI=true.
"""
import os
import re
import time
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from flask import got_request_exception
from playwright.sync_api import Error as PlaywrightError
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from extensions import db
from models import clock
from tests.browser.helpers import ROOT, VIEWPORT, serve, wait_idle
from tests.conftest import TODAY, make_app

AXE = os.path.join(ROOT, "node_modules", "axe-core", "axe.min.js")
WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DEMO_PASSWORD = "Fengqiao-2026"
# One login per role of the demo (two workers: a mediator and an assistance worker see different pages).
DEMO_USERS = ["admin", "city", "kundulun", "caizheng_kdl", "herun", "beifang", "herun_tiaojie", "bangjiao",
              "pingjia"]
PUBLIC_START = ["/", "/login", "/register/", "/portal/"]
# Routes whose word argument only changes the figures shown (one measure's records, another's): one page.
SAME_PAGE_ANY_WORD = {"/contracts/<int:contract_id>/measures/<code>", "/apply/sign/<token>"}
NOT_PAGES = re.compile(r"\.(docx|xlsx|csv|pdf|json|xml|zip|png|jpg|jpeg)$|^/static/")

RUN_AXE = """async (tags) => {
  // folded forms are checked too; a disclosure that loads its form on demand (hx-get) is checked on the
  // page of its own that its link opens without JavaScript
  document.querySelectorAll('details:not([hx-get])').forEach((d) => { d.open = true; });
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ` +
    v.nodes.slice(0, 4).map((n) => n.target.join(' ') + (n.failureSummary ? ' [' + n.failureSummary.replace(/\\s+/g, ' ').slice(0, 160) + ']' : '')).join('; ') +
    (v.nodes.length > 4 ? `; … ${v.nodes.length} in all` : ''));
}"""

CHECK_FORMS = """() => {
  const problems = [];
  const counts = new Map();
  document.querySelectorAll('[id]').forEach((e) => counts.set(e.id, (counts.get(e.id) || 0) + 1));
  counts.forEach((n, id) => { if (n > 1) problems.push(`id "${id}" appears ${n} times`); });
  document.querySelectorAll('label[for]').forEach((label) => {
    const name = `label "${label.textContent.trim().slice(0, 30)}" (for="${label.htmlFor}")`;
    const control = document.getElementById(label.htmlFor);
    if (!control) { problems.push(`${name} names no element`); return; }
    if (!control.matches('input:not([type=hidden]), select, textarea, button, meter, output, progress')) {
      problems.push(`${name} names a <${control.tagName.toLowerCase()}>, not a form control`); return;
    }
    if ((control.form || control.closest('form')) !== label.closest('form')) problems.push(`${name} names a control of another form`);
  });
  document.querySelectorAll('select option').forEach((o) => {
    if (o.textContent.trim() === '请选择' && o.value !== '') problems.push(`select #${o.parentElement.id}: 请选择 has the value "${o.value}", so "required" cannot work`);
  });
  return problems;
}"""


def _demo_database(tmp_path_factory):
    """<name>_axe beside TEST_DATABASE_URL's PostgreSQL database, else a SQLite file."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not (base and base.startswith("postgresql")):
        return "sqlite:///" + str(tmp_path_factory.mktemp("axe-db") / "demo.db")
    url = make_url(base)
    name = f"{url.database}_axe"
    if not re.fullmatch(r"[A-Za-z0-9_]+", name):
        raise pytest.UsageError(f"unexpected database name in TEST_DATABASE_URL: {url.database!r}")
    admin = create_engine(url.set(drivername="postgresql+psycopg", database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="module")
def axe_source():
    if not os.path.exists(AXE):
        message = f"{AXE} not found: run `make install` (npm ci installs axe-core from package.json)"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    with open(AXE, encoding="utf-8") as f:
        return f.read()


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory, axe_source):
    """The app with `flask demo seed` loaded (on the tests' fixed day), served from a thread."""
    app = make_app(_demo_database(tmp_path_factory))
    clock.set_now(TODAY)
    try:
        with app.app_context():
            from flask_migrate import upgrade

            upgrade()
            result = app.test_cli_runner().invoke(args=["demo", "seed"])
            assert result.exit_code == 0, result.output
            db.session.remove()
    finally:
        clock.reset()
    errors = []
    got_request_exception.connect(lambda sender, exception, **kw: errors.append(repr(exception)), app, weak=False)
    with serve(app, "demo-server") as url:
        yield app, url, errors


@pytest.fixture(autouse=True)
def _clock_and_server_errors():
    """Overrides the conftest's (which would start the test world's server too): the fixed day only."""
    clock.set_now(TODAY)
    yield
    clock.reset()


def _route(adapter, url):
    """The route pattern of a same-site page URL (`/contracts/<int:contract_id>`), or None."""
    path = urlsplit(url).path
    if NOT_PAGES.search(path):
        return None
    try:
        rule, args = adapter.match(path, method="GET", return_rule=True)
    except RequestRedirect:
        return None
    except HTTPException:
        return path  # a link to nowhere: visited, so that its 404 is reported
    # A word in the path names a different page (a case's step form, a dashboard panel): keep it.
    words = sorted((k, v) for k, v in args.items() if isinstance(v, str) and rule.rule not in SAME_PAGE_ANY_WORD)
    return rule.rule + "".join(f" {k}={v}" for k, v in words)


def _sign_in(page, base, username):
    page.goto(base + "/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.locator("header .who").wait_for()


def _check(page, axe_source):
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(axe_source)
    return page.evaluate(CHECK_FORMS) + page.evaluate(RUN_AXE, WCAG_A_AA)


def _crawl(page, base, adapter, starts, axe_source, problems, checked):
    """Breadth first over the links of the site's pages; one page per route is checked."""
    seen = set()
    queue = deque((base + s, None) for s in starts)
    while queue:
        url, referrer = queue.popleft()
        route = _route(adapter, url)
        if route is None or route in seen:
            continue
        seen.add(route)
        try:
            response = page.goto(url)
        except PlaywrightError as e:
            if "Download is starting" in str(e):
                continue
            raise
        if response is None or not response.headers.get("content-type", "").startswith("text/html"):
            continue
        where = urlsplit(url).path + (f"?{urlsplit(url).query}" if urlsplit(url).query else "")
        if response.status != 200:
            problems.append(f"{where}: HTTP {response.status} from a link on {referrer}")
            continue
        checked.append(where)
        problems.extend(f"{where}: {p}" for p in _check(page, axe_source))
        for href in page.eval_on_selector_all("a[href]", "els => els.map((a) => a.href)"):
            href = urldefrag(href)[0]
            if href.startswith(base + "/"):
                queue.append((href, where))


def test_every_demo_page_passes_axe_and_its_labels_name_their_own_fields(browser, demo_server, axe_source):
    app, base, errors = demo_server
    adapter = app.url_map.bind("127.0.0.1")
    problems, checked = [], []
    context_args = {"viewport": VIEWPORT, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}
    context = browser.new_context(**context_args)
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        _crawl(page, base, adapter, PUBLIC_START, axe_source, problems, checked)
        for username in DEMO_USERS:
            t0, n0 = time.perf_counter(), len(checked)
            page.goto("about:blank")  # no request of the last page left to set its cookie again
            wait_idle()
            context.clear_cookies()
            _sign_in(page, base, username)
            before = len(problems)
            _crawl(page, base, adapter, ["/"], axe_source, problems, checked)
            print(f"{username}: {len(checked) - n0} pages in {time.perf_counter() - t0:.1f} s")
            problems[before:] = [f"({username}) {p}" for p in problems[before:]]
    finally:
        context.close()
    print(f"\n{len(checked)} pages checked")
    assert not errors, f"the server raised: {errors}"
    assert len(checked) > 60, checked
    assert not problems, f"{len(problems)} problems on {len(checked)} pages:\n" + "\n".join(problems)
