"""Server-side sessions: every login gets a row, and a request counts as signed in only while its row
says so. The cookie stays a signed cookie, but it now only carries a random token; ending the row
(logout, password change, HR reset, deactivation, timeout) ends the session in every browser that
holds a copy of the cookie.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import joinedload

from ..database import utcnow
from ..extensions import db
from ..models import Employee, SessionEnd, UserSession

# last_seen_at is written at most this often: a write on every page would cost more than an idle
# timeout a minute late.
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class SessionLimits:
    idle: timedelta = timedelta(minutes=30)
    absolute: timedelta = timedelta(hours=12)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SessionLimits:
        return cls(
            idle=timedelta(minutes=config["SESSION_IDLE_MINUTES"]),
            absolute=timedelta(hours=config["SESSION_MAX_HOURS"]),
        )


@dataclass(frozen=True)
class SessionCheck:
    """The signed-in employee, or why there is none (None when there never was a session)."""

    employee: Employee | None
    ended: SessionEnd | None = None


def hash_token(token: str) -> str:
    # The database holds no token that could be put into a cookie.
    return hashlib.sha256(token.encode()).hexdigest()


def start(employee_id: int, address: str | None, now: datetime | None = None) -> str:
    """A new session for the employee, committed; returns the token for the cookie."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(
            token_hash=hash_token(token),
            employee_id=employee_id,
            address=(address or "")[:64],
            created_at=now,
            last_seen_at=now,
        )
    )
    db.session.commit()
    return token


def _expiry(row: UserSession, employee: Employee, limits: SessionLimits, now: datetime) -> SessionEnd | None:
    if not employee.active:
        return SessionEnd.DEACTIVATED
    if now - row.created_at >= limits.absolute:
        return SessionEnd.EXPIRED
    if now - row.last_seen_at >= limits.idle:
        return SessionEnd.IDLE
    return None


# Built once per process: every signed-in request runs it. With the department, which every page's
# header shows: one query for all three.
_SESSION_ROW = (
    select(UserSession, Employee)
    .join(Employee, Employee.id == UserSession.employee_id)
    .options(joinedload(Employee.department))
    .where(UserSession.token_hash == bindparam("token_hash"))
)


def check(token: str, employee_id: int, limits: SessionLimits, now: datetime | None = None) -> SessionCheck:
    """The employee of a live session, touched; a session past its limits is ended here."""
    now = now or utcnow()
    found = db.session.execute(_SESSION_ROW, {"token_hash": hash_token(token)}).one_or_none()
    if found is None or found[0].employee_id != employee_id:
        return SessionCheck(None, SessionEnd.LOGOUT if found else None)
    row, employee = found
    if row.ended_at is not None:
        return SessionCheck(None, _reason(row.end_reason))
    if (expired := _expiry(row, employee, limits, now)) is not None:
        _end_rows(UserSession.id == row.id, expired, now)
        db.session.commit()
        return SessionCheck(None, expired)
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
        db.session.commit()
    return SessionCheck(employee)


def _reason(code: str | None) -> SessionEnd:
    try:
        return SessionEnd(code)
    except ValueError:
        return SessionEnd.LOGOUT


def _end_rows(condition, reason: SessionEnd, now: datetime) -> int:
    return db.session.execute(
        update(UserSession)
        .where(condition, UserSession.ended_at.is_(None))
        .values(ended_at=now, end_reason=reason.value)
        .execution_options(synchronize_session=False)
    ).rowcount


def end(token: str, reason: SessionEnd, now: datetime | None = None) -> None:
    """End one session (a logout), committed."""
    _end_rows(UserSession.token_hash == hash_token(token), reason, now or utcnow())
    db.session.commit()


def end_all(
    employee: Employee, reason: SessionEnd, *, keep: str | None = None, now: datetime | None = None
) -> int:
    """End every session of the employee but ``keep``'s, in the caller's transaction; how many ended."""
    condition = UserSession.employee_id == employee.id
    if keep is not None:
        condition = condition & (UserSession.token_hash != hash_token(keep))
    return _end_rows(condition, reason, now or utcnow())
