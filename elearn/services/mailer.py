"""Mail through the city's SMTP server: settings, the Japanese message, and one SMTP conversation.

Messages are built with the standard library's email package: UTF-8 bodies, RFC 2047 encoded subject
and display names, CRLF line ends.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from email import policy
from email.header import Header
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr, make_msgid
from typing import Any

from ..database import utcnow

TIMEOUT_SECONDS = 30
SMTP_COMPAT = policy.compat32.clone(linesep="\r\n")


class MailServerDown(Exception):
    """The server cannot be reached or dropped the connection: nothing is the message's fault."""


class MailRefused(Exception):
    """The server refused this one message (its sender, recipient or content)."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str | None
    port: int
    username: str | None
    password: str | None
    security: str  # none | starttls | ssl
    sender: str
    sender_name: str
    base_url: str
    ca_file: str | None = None  # a CA trusted besides the system's (ELEARN_SMTP_CA_FILE)

    @classmethod
    def of(cls, config: Mapping[str, Any]) -> SmtpSettings:
        return cls(
            host=config.get("SMTP_HOST"),
            port=config.get("SMTP_PORT", 25),
            username=config.get("SMTP_USERNAME"),
            password=config.get("SMTP_PASSWORD"),
            security=config.get("SMTP_SECURITY", "none"),
            sender=config.get("MAIL_FROM", "no-reply@localhost"),
            sender_name=f"{config.get('ORGANISATION_NAME', '')} 職員研修".strip(),
            base_url=config.get("BASE_URL") or "http://127.0.0.1:5000",
            ca_file=config.get("SMTP_CA_FILE"),
        )

    def tls_context(self) -> ssl.SSLContext:
        """Certificate and host name verified, always: a server that cannot prove who it is gets no
        mail (and no password), never a plaintext fallback."""
        context = ssl.create_default_context()
        if self.ca_file:
            context.load_verify_locations(cafile=self.ca_file)
        return context

    @property
    def configured(self) -> bool:
        return bool(self.host)

    @property
    def my_training_url(self) -> str:
        return f"{self.base_url}/"


@dataclass(frozen=True)
class OutgoingMail:
    """A message ready for the SMTP conversation: the envelope and the bytes of the message."""

    sender: str
    recipient: str
    data: bytes


def one_line(text: str) -> str:
    """A header's text never carries a line break (that would start a header of its own)."""
    return " ".join(text.splitlines())


_NOT_IN_ADDRESS = frozenset(' \t\r\n,;:<>()[]"\\')


def plain_address(text: str) -> str:
    """``text`` if it is one plain ASCII address (local@domain); ValueError otherwise. Non-ASCII
    addresses would need SMTPUTF8, which a city's server cannot be assumed to offer."""
    text = text.strip()
    local, at, domain = text.rpartition("@")
    if not (at and local and "." in domain and text.isascii()) or any(c in _NOT_IN_ADDRESS for c in text):
        raise ValueError(f"not a mail address: {text!r}")
    return text


def build_message(
    settings: SmtpSettings, to_name: str, to_address: str, subject: str, body: str
) -> OutgoingMail:
    """A plain-text Japanese message: UTF-8 body, RFC 2047 encoded subject and display names.

    Built with the standard library's MIMEText and Header rather than EmailMessage under the SMTP
    policy: the same RFC 2047 output, at a tenth of the cost (EmailMessage refolds every header
    through its parser; the figures are in docs/benchmarks.md).
    """
    recipient, sender = plain_address(to_address), plain_address(settings.sender)
    message = MIMEText(body, "plain", "utf-8")
    message["Subject"] = Header(one_line(subject), "utf-8")
    message["From"] = formataddr((one_line(settings.sender_name), sender), charset="utf-8")
    message["To"] = formataddr((one_line(to_name), recipient), charset="utf-8")
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2])
    return OutgoingMail(sender, recipient, message.as_bytes(policy=SMTP_COMPAT))


def _open(settings: SmtpSettings) -> smtplib.SMTP:
    """A session, over TLS as configured, logged in if there is a user name."""
    if settings.security == "ssl":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.host or "", settings.port, timeout=TIMEOUT_SECONDS, context=settings.tls_context()
        )
    else:
        smtp = smtplib.SMTP(settings.host or "", settings.port, timeout=TIMEOUT_SECONDS)
    try:
        if settings.security == "starttls":
            smtp.starttls(context=settings.tls_context())  # raises when not offered: no plaintext
        if settings.username:
            smtp.login(settings.username, settings.password or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


@contextmanager
def connection(settings: SmtpSettings) -> Iterator[smtplib.SMTP]:
    """One SMTP session for many messages; MailServerDown when it cannot be opened."""
    try:
        smtp = _open(settings)
    except ssl.SSLCertVerificationError as error:
        raise MailServerDown(
            f"the mail server's certificate is not trusted ({error.verify_message}): "
            "nothing was sent; if the city has its own CA, set ELEARN_SMTP_CA_FILE"
        ) from error
    except smtplib.SMTPNotSupportedError as error:
        raise MailServerDown(f"the mail server offers no STARTTLS: nothing was sent ({error})") from error
    except (OSError, smtplib.SMTPException) as error:
        raise MailServerDown(str(error) or error.__class__.__name__) from error
    try:
        yield smtp
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()


def _answer(code: int, text: bytes | str) -> str:
    return f"{code} {text.decode('utf-8', 'replace') if isinstance(text, bytes) else text}"


def deliver(smtp: smtplib.SMTP, mail: OutgoingMail) -> str:
    """Send one message; the server's final answer. MailRefused for this message, MailServerDown if the
    session is lost. Spelled out (not sendmail) to keep the server's answer for the record."""
    sender, recipient = mail.sender, mail.recipient
    try:
        smtp.ehlo_or_helo_if_needed()
        for step, accepted in (
            (lambda: smtp.mail(sender), (250,)),
            (lambda: smtp.rcpt(recipient), (250, 251)),
        ):
            code, text = step()
            if code not in accepted:
                smtp.rset()
                raise MailRefused(_answer(code, text))
        code, text = smtp.data(mail.data)
        if code != 250:
            smtp.rset()
            raise MailRefused(_answer(code, text))
        return _answer(code, text)
    except smtplib.SMTPServerDisconnected as error:
        raise MailServerDown(str(error)) from error
    except smtplib.SMTPResponseException as error:
        smtp.rset()
        raise MailRefused(_answer(error.smtp_code, error.smtp_error)) from error
    except OSError as error:
        raise MailServerDown(str(error)) from error
