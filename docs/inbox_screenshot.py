"""Make docs/inbox.png, the README's picture of the work inbox: `make inbox-screenshot`.

A database of its own in a temporary folder (migrated, `flask demo seed`'s data), the app served from a
thread, Debian's Chromium signed in as the demo's 昆都仑区 clerk (kundulun) on /inbox/. Not part of the
test suite (tests write only to temporary folders). Takes a few minutes (the demo seed).
"""
import os
import sys
import tempfile
import threading

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from playwright.sync_api import sync_playwright  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from app import create_app  # noqa: E402
from demo.helpers import PASSWORD  # noqa: E402
from demo.seed import seed  # noqa: E402
from extensions import db  # noqa: E402

OUT = os.path.join(ROOT, "docs", "inbox.png")


def main(out=OUT, username="kundulun"):
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite:///" + os.path.join(tmp, "demo.db"),
                          "SESSION_COOKIE_SECURE": False, "REMEMBER_COOKIE_SECURE": False})
        with app.app_context():
            upgrade()
            for _ in seed():
                pass
            db.session.remove()
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_port}"
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
                page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
                page.goto(url + "/login")
                page.get_by_label("用户名").fill(username)
                page.get_by_label("密码", exact=True).fill(PASSWORD)
                page.get_by_role("button", name="登录", exact=True).click()
                page.wait_for_url(url + "/")
                page.goto(url + "/inbox/")
                page.locator("#inbox-count").wait_for()
                page.screenshot(path=out, full_page=True)
                browser.close()
        finally:
            server.shutdown()
    print(out)


if __name__ == "__main__":
    main(*sys.argv[1:2])
