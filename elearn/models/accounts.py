"""One-time activation codes with which an employee sets their own first password."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import UTCDateTime, utcnow
from ..extensions import db
from .people import Employee


class ActivationCode(db.Model):
    """A code handed to one employee on paper; only its salted hash is stored."""

    __tablename__ = "activation_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(160))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Wrong guesses, and guesses being checked: each is counted before it is checked.
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))

    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])

    def usable_at(self, moment: datetime) -> bool:
        return self.used_at is None and self.revoked_at is None and moment < self.expires_at
