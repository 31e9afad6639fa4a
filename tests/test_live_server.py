"""The browser tests' server thread closes a response body when the client resets the connection.

Werkzeug's development server closes a body at the end of its last read of the socket, and skips the close
when that read meets a reset: a browser leaving a page while the server drained its socket left the file
behind a stylesheet open, and its ResourceWarning failed a browser test in CI (filterwarnings = error).
"""
import socket
import struct
import threading
import time

from flask import Flask

from extensions import db
from tests.browser.helpers import serve


class _Body:
    """A small body that ends when the test says so, and records whether it was closed."""

    def __init__(self):
        self.may_end = threading.Event()
        self.closed = threading.Event()

    def __iter__(self):
        yield b"body { color: #000 }\n"
        self.may_end.wait(10)

    def close(self):
        self.closed.set()


def _app(body):
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    db.init_app(app)
    app.add_url_rule("/style.css", "style", lambda: app.response_class(body, mimetype="text/css"))
    return app


def _request_then_reset(url, body):
    """Ask, read the start of the answer, send more bytes (the server drains them after the body), and
    go away with a reset (linger 0) while the server is reading them."""
    host, port = url.removeprefix("http://").split(":")
    conn = socket.create_connection((host, int(port)), timeout=10)
    conn.sendall(b"GET /style.css HTTP/1.0\r\nHost: x\r\n\r\n")
    assert conn.recv(4096).startswith(b"HTTP/1.1 200")
    conn.sendall(b"x" * 100)
    time.sleep(0.1)  # the bytes are in the server's socket before the body ends
    body.may_end.set()
    time.sleep(0.1)  # the server is draining the socket
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


def test_a_reset_connection_still_closes_the_body():
    body = _Body()
    with serve(_app(body), "test-server") as url:
        _request_then_reset(url, body)
        assert body.closed.wait(10), "the body was not closed after the client reset the connection"
