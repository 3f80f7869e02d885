"""A real SMTP server on loopback for tests (aiosmtpd): it keeps every message it accepts, refuses
recipients whose address starts with "refused", and can be stopped to play a server that is down.
It can speak TLS, by STARTTLS or from the first byte (ssl), with a certificate from a test CA."""

from __future__ import annotations

import email
import ssl
import threading
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from tests.live_server import free_port

PORT_TRIES = 3


class Mailbox:
    """The aiosmtpd handler: what was accepted, for whom."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.received: list[tuple[list[str], bytes]] = []
        self.over_tls: list[bool] = []  # per message: did it come over TLS

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("refused"):
            return "550 5.1.1 no such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.received.append((list(envelope.rcpt_tos), envelope.original_content or envelope.content))
            # The connection's transport: TLS from the first byte, or since STARTTLS.
            self.over_tls.append(server.transport.get_extra_info("ssl_object") is not None)
        return f"250 2.0.0 accepted as message {len(self.received)}"

    @property
    def messages(self) -> list[EmailMessage]:
        """Every accepted message, parsed back with the standard library."""
        with self.lock:
            raw = [content for _, content in self.received]
        return [email.message_from_bytes(content, policy=policy.default) for content in raw]

    def recipients(self) -> list[str]:
        with self.lock:
            return [address for tos, _ in self.received for address in tos]


class MailServer:
    def __init__(self, security: str = "none", certificate: ssl.SSLContext | None = None) -> None:
        """``security`` as ELEARN_SMTP_SECURITY: none, starttls (required before MAIL) or ssl, with
        ``certificate`` the server's TLS context."""
        self.mailbox = Mailbox()
        self.controller: Controller | None = None
        self.port = 0
        self.security = security
        self.tls: dict[str, object] = {}
        if security == "starttls":
            self.tls = {"tls_context": certificate, "require_starttls": True}
        elif security == "ssl":
            self.tls = {"ssl_context": certificate}

    def start(self) -> None:
        for attempt in range(PORT_TRIES):
            self.port = free_port()
            self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port, **self.tls)
            try:
                self.controller.start()
                return
            except OSError:  # the port was taken between choosing and binding
                if attempt == PORT_TRIES - 1:
                    raise

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def config(self) -> dict[str, object]:
        """The app's configuration for this server, as ELEARN_SMTP_* would give it."""
        return {
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": self.port,
            "SMTP_SECURITY": self.security,
            "MAIL_FROM": "no-reply@city.example.jp",
            "BASE_URL": "https://elearn.city.example.jp",
        }

    def environment(self) -> dict[str, str]:
        return {
            "ELEARN_SMTP_HOST": "127.0.0.1",
            "ELEARN_SMTP_PORT": str(self.port),
            "ELEARN_MAIL_FROM": "no-reply@city.example.jp",
            "ELEARN_BASE_URL": "https://elearn.city.example.jp",
        }


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    server = MailServer()
    server.start()
    yield server
    server.stop()
