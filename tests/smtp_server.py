"""A real SMTP server on loopback (aiosmtpd) for the tests of e-mail: the `smtp` fixture points the app's
MAIL_SERVER at it and yields the handler, whose `messages` are (recipients, raw message) as received."""
import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller

from services import notifications


class Inbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
        return "250 OK"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(app):
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    old = {k: app.config.get(k) for k in ("MAIL_SERVER", "MAIL_PORT")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
    notifications._state["retry_after"] = None
    try:
        yield handler
    finally:
        app.config.update(old)
        controller.stop()


def decoded(raw):
    """A received message's subject and text, decoded."""
    msg = email.message_from_string(raw, policy=policy.default)
    return msg["Subject"] + "\n" + msg.get_content()
