"""Login and activation attempts that have not (yet) succeeded, kept for the throttling window only."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..database import UTCDateTime, utcnow
from ..extensions import db

# What was attempted: the two are counted apart, so that typing an activation code wrong does not
# count against one's later logins.
LOGIN = "login"
ACTIVATION = "activation"


class LoginAttempt(db.Model):
    """One login (or activation) attempt, counted against its account and address.

    Written before the password is checked, so that concurrent guesses in several app processes
    count against each other; ``failed`` is set once the password turned out wrong. A successful
    login deletes the account's rows, and rows older than the window are deleted as logins come in.
    """

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_employee_no_attempted_at", "employee_no", "attempted_at"),
        Index("ix_login_attempts_address_attempted_at", "address", "attempted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # As typed (without surrounding spaces): unknown numbers are throttled like real ones.
    employee_no: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(String(64))
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    failed: Mapped[bool] = mapped_column(Boolean, default=False)
    kind: Mapped[str] = mapped_column(String(20), default=LOGIN, server_default=LOGIN)
