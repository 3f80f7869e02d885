"""A reminder run's way out: one SMTP session, and a database connection of its own for the outcomes."""

from __future__ import annotations

from contextlib import ExitStack

from sqlalchemy import Connection, bindparam, update

from ..database import utcnow
from ..extensions import db
from ..models import MailState, ReminderMail
from .mailer import OutgoingMail, SmtpSettings, connection, deliver


class Outcomes:
    """Where a run records what became of each mail: a database connection of its own, committed after
    every mail, so that a run that dies loses at most the answer to the mail it was sending.

    These commits do not wait for the disk (SQLite in WAL mode: synchronous=NORMAL; PostgreSQL:
    synchronous_commit off, for this connection only): the record survives the sending process dying,
    and only a power failure of the database machine can lose the last answers, whose mails the next
    run then sends again. Waiting for the disk cost more than the SMTP conversation itself
    (docs/benchmarks.md).
    """

    def __enter__(self) -> Outcomes:
        self.connection: Connection = db.engine.connect()
        self.dialect = self.connection.dialect.name
        if self.dialect == "sqlite":
            self.restore = self.connection.exec_driver_sql("PRAGMA synchronous").scalar()
            self.connection.exec_driver_sql("PRAGMA synchronous=NORMAL")
        elif self.dialect == "postgresql":
            self.connection.exec_driver_sql("SET synchronous_commit TO OFF")
        self.connection.commit()
        self.untried = update(ReminderMail).where(ReminderMail.id == bindparam("mail_id"))
        self.tried = self.untried.values(tries=ReminderMail.tries + 1)
        return self

    def __exit__(self, *exc) -> None:
        self.connection.rollback()
        if self.dialect == "sqlite":
            self.connection.exec_driver_sql(f"PRAGMA synchronous={int(self.restore)}")
        elif self.dialect == "postgresql":
            self.connection.exec_driver_sql("RESET synchronous_commit")
        self.connection.commit()
        self.connection.close()

    def record(self, mail_id: int, state: MailState, reply: str, *, tried: bool = True) -> None:
        now = utcnow()
        values: dict = {"mail_id": mail_id, "state": state.value, "smtp_reply": reply[:2000]}
        if tried:
            values["last_try_at"] = now
        if state is MailState.SENT:
            values["sent_at"] = now
        # The SET columns are the parameters' other keys. The two statements are built once per run,
        # not per mail: building one cost a tenth of a mail's time (docs/benchmarks.md).
        self.connection.execute(self.tried if tried else self.untried, values)
        self.connection.commit()


class Sender:
    """A run's way out: one SMTP session, opened at the first mail (a run with nothing to send connects
    nowhere), and the connection its outcomes are recorded through."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self.stack = ExitStack()
        self.smtp = None

    def __enter__(self) -> Sender:
        self.outcomes = self.stack.enter_context(Outcomes())
        return self

    def __exit__(self, *exc) -> None:
        self.stack.close()

    def deliver(self, mail: OutgoingMail) -> str:
        if self.smtp is None:
            self.smtp = self.stack.enter_context(connection(self.settings))
        return deliver(self.smtp, mail)
