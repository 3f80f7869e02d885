"""Mail through the city's SMTP server: settings, the Japanese message, and one SMTP conversation.

Messages are built with the standard library's email package under the SMTP policy: UTF-8 bodies,
RFC 2047 encoded subject and display names, CRLF line ends.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any

from ..database import utcnow

TIMEOUT_SECONDS = 30


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
            base_url=config.get("BASE_URL", "http://127.0.0.1:5000"),
        )

    @property
    def configured(self) -> bool:
        return bool(self.host)

    @property
    def my_training_url(self) -> str:
        return f"{self.base_url}/"


def address(display_name: str, addr_spec: str) -> Address:
    """Raises ValueError (or a parser error, a ValueError too) for what is not one mail address."""
    return Address(display_name=display_name, addr_spec=addr_spec)


def build_message(
    settings: SmtpSettings, to_name: str, to_address: str, subject: str, body: str
) -> EmailMessage:
    message = EmailMessage(policy=policy.SMTP)
    message["Subject"] = subject
    message["From"] = address(settings.sender_name, settings.sender)
    message["To"] = address(to_name, to_address)
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or "localhost")
    message.set_content(body, charset="utf-8")
    return message


@contextmanager
def connection(settings: SmtpSettings) -> Iterator[smtplib.SMTP]:
    """One SMTP session for many messages; MailServerDown when it cannot be opened."""
    try:
        if settings.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.host or "",
                settings.port,
                timeout=TIMEOUT_SECONDS,
                context=ssl.create_default_context(),
            )
        else:
            smtp = smtplib.SMTP(settings.host or "", settings.port, timeout=TIMEOUT_SECONDS)
        if settings.security == "starttls":
            smtp.starttls(context=ssl.create_default_context())
        if settings.username:
            smtp.login(settings.username, settings.password or "")
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


def deliver(smtp: smtplib.SMTP, message: EmailMessage) -> str:
    """Send one message; the server's final answer. MailRefused for this message, MailServerDown if the
    session is lost. Spelled out (not sendmail) to keep the server's answer for the record."""
    sender = message["From"].addresses[0].addr_spec
    recipient = message["To"].addresses[0].addr_spec
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
        code, text = smtp.data(message.as_bytes())
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
