"""Mail over TLS (ELEARN_SMTP_SECURITY starttls and ssl) to a real server on loopback with a test CA's
certificate: delivered when the certificate is trusted (ELEARN_SMTP_CA_FILE), and when it is not, or
the server offers no STARTTLS, nothing is sent, in plaintext or otherwise: the mails stay queued with
the reason for the run's report."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import trustme
from flask import current_app
from sqlalchemy import select

from elearn.extensions import db
from elearn.fiscal import current_fiscal_year
from elearn.models import AssignmentScope, ReminderMail
from elearn.services.assignments import add_rule
from elearn.services.audit import Actor
from elearn.services.deadlines import japan_today
from elearn.services.mailer import SmtpSettings
from elearn.services.reminders import send_due_reminders
from tests.conftest import running_app
from tests.mail_server import MailServer
from tests.records import course

YEAR = current_fiscal_year()


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA(organization_name="elearn test CA")


@pytest.fixture
def ca_file(ca, tmp_path) -> Path:
    path = tmp_path / "city-ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return path


def certificate(ca: trustme.CA) -> ssl.SSLContext:
    """The server's side: a certificate for 127.0.0.1 issued by the test CA."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return context


@pytest.fixture(params=["starttls", "ssl"])
def tls_server(request, ca) -> Iterator[MailServer]:
    server = MailServer(request.param, certificate(ca))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def plain_server() -> Iterator[MailServer]:
    server = MailServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def app(database):
    with running_app(database, WTF_CSRF_ENABLED=False) as app:
        yield app


def due_staff(people) -> None:
    for n in (1, 2):
        people.employee(employee_no=f"A00{n}", name=f"受講 {n}郎", email=f"a{n}@city.example.jp")
    add_rule(
        YEAR, course(), AssignmentScope.ALL, actor=Actor(None, "CLI test"),
        due_date=japan_today() + timedelta(days=3),
    )  # fmt: skip


def send(server: MailServer, **config):
    return send_due_reminders(YEAR, SmtpSettings.of({**current_app.config, **server.config(), **config}))


def states() -> list[str]:
    """The mail rows' states, leaving out the earlier rule recorded skipped (14 days before)."""
    rows = select(ReminderMail.state).where(ReminderMail.state != "skipped").order_by(ReminderMail.id)
    return list(db.session.scalars(rows))


def test_mail_goes_over_tls_to_a_server_whose_certificate_the_city_trusts(tls_server, ca_file, people):
    due_staff(people)
    result = send(tls_server, SMTP_CA_FILE=str(ca_file))
    assert not result.server_down and result.sent == 2
    assert states() == ["sent", "sent"]
    assert sorted(tls_server.mailbox.recipients()) == ["a1@city.example.jp", "a2@city.example.jp"]
    assert tls_server.mailbox.over_tls == [True, True]
    assert tls_server.mailbox.messages[0]["Subject"]  # a whole message came through


def test_a_certificate_the_client_does_not_trust_is_refused_and_the_mails_stay_queued(tls_server, people):
    due_staff(people)
    result = send(tls_server)  # no ELEARN_SMTP_CA_FILE: the system's CAs do not know the test CA
    assert "certificate is not trusted" in result.server_down and "ELEARN_SMTP_CA_FILE" in result.server_down
    assert (result.sent, result.queued) == (0, 2)
    assert states() == ["queued", "queued"] and tls_server.mailbox.received == []


def test_a_certificate_for_another_host_is_refused(ca, ca_file, people):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("mail.other.example.jp").configure_cert(context)
    server = MailServer("ssl", context)
    server.start()
    try:
        due_staff(people)
        result = send(server, SMTP_CA_FILE=str(ca_file))
        assert "not trusted" in result.server_down and result.sent == 0
        assert server.mailbox.received == []
    finally:
        server.stop()


def test_starttls_to_a_server_that_does_not_offer_it_sends_nothing_in_plaintext(
    plain_server, ca_file, people
):
    due_staff(people)
    result = send(plain_server, SMTP_SECURITY="starttls", SMTP_CA_FILE=str(ca_file))
    assert "STARTTLS" in result.server_down and (result.sent, result.queued) == (0, 2)
    assert states() == ["queued", "queued"] and plain_server.mailbox.received == []
