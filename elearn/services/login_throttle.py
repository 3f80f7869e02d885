"""Login throttling per account and per address, kept in the database so that every app process agrees.

An attempt is written (and committed) before its password is checked and counts against the account
from then on, so concurrent guesses at one account in several processes cannot slip past the limit
together; it is marked failed when the password turns out wrong, and a successful login deletes the
account's attempts. The per-address limit counts only failed attempts: many people behind one
office router logging in at nine o'clock must not lock each other out.

Activation attempts (``/activate``) are counted in the same table, apart from logins: per address,
every attempt not yet known to have succeeded counts (a successful activation deletes its own), so a
client guessing codes for many employees stops after ``per_address`` tries; per code, the activation
service itself revokes a code after a few wrong tries.

The address is whatever the web layer says it is (``request.remote_addr``); behind a reverse proxy
that is the proxy unless ProxyFix is configured (ELEARN_PROXY_FIX).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, delete, func, select, update

from ..database import utcnow
from ..extensions import db
from ..models import LoginAttempt
from ..models.logins import ACTIVATION, LOGIN
from ..normalise import employee_no as normalise_employee_no

Conditions = tuple[ColumnElement[bool], ...]


@dataclass(frozen=True)
class LoginLimits:
    """At most ``per_account`` failures per account and ``per_address`` per address within ``window``."""

    per_account: int = 5
    per_address: int = 20
    window: timedelta = timedelta(minutes=15)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> LoginLimits:
        return cls(
            per_account=config["LOGIN_FAILURES_PER_ACCOUNT"],
            per_address=config["LOGIN_FAILURES_PER_ADDRESS"],
            window=timedelta(minutes=config["LOGIN_FAILURE_WINDOW_MINUTES"]),
        )


class LoginThrottled(Exception):
    """Too many failed logins: refuse this one, whatever the password, until ``retry_after`` has passed."""

    def __init__(self, retry_after: timedelta) -> None:
        super().__init__(f"login throttled for {retry_after}")
        self.retry_after = retry_after


@dataclass(frozen=True)
class PendingLogin:
    """A counted attempt whose password is being checked."""

    attempt_id: int
    employee_no: str
    address: str = ""


@dataclass(frozen=True)
class ActivationLimits:
    """At most ``per_address`` activation attempts per address within ``window``, not counting successes."""

    per_address: int = 10
    window: timedelta = timedelta(minutes=15)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ActivationLimits:
        return cls(
            per_address=config["ACTIVATION_ATTEMPTS_PER_ADDRESS"],
            window=timedelta(minutes=config["LOGIN_FAILURE_WINDOW_MINUTES"]),
        )


def begin_login(employee_no: str, address: str | None, limits: LoginLimits) -> PendingLogin:
    """Count an attempt before its password is checked; raises LoginThrottled (and counts nothing) when
    the account or the address has had too many failures within the window."""
    # Counted under the number as stored: 「ｄ０００５」 and 「D0005」 are one account's attempts.
    employee_no, address = normalise_employee_no(employee_no)[:20], (address or "")[:64]
    checks = (
        ((LoginAttempt.employee_no == employee_no,), limits.per_account),
        ((LoginAttempt.address == address, LoginAttempt.failed.is_(True)), limits.per_address),
    )
    return _begin(LOGIN, employee_no, address, limits.window, checks)


def begin_activation(employee_no: str, address: str | None, limits: ActivationLimits) -> PendingLogin:
    """Count an activation attempt before its code is checked; raises LoginThrottled (and counts
    nothing) when the address has made too many within the window that did not succeed."""
    # Counted under the number as stored: 「ｄ０００５」 and 「D0005」 are one account's attempts.
    employee_no, address = normalise_employee_no(employee_no)[:20], (address or "")[:64]
    # Attempts still being checked count too: parallel guesses cannot all slip in under the limit.
    checks = (((LoginAttempt.address == address,), limits.per_address),)
    return _begin(ACTIVATION, employee_no, address, limits.window, checks)


def _begin(
    kind: str, employee_no: str, address: str, window: timedelta, checks: Sequence[tuple[Conditions, int]]
) -> PendingLogin:
    """Write the attempt and commit it, then refuse it (deleting it again) when, besides it, the attempts
    of its kind within the window that meet a check's conditions reach that check's limit."""
    now = utcnow()
    since = now - window
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.attempted_at <= since))
    attempt = LoginAttempt(employee_no=employee_no, address=address, attempted_at=now, kind=kind)
    db.session.add(attempt)
    db.session.flush()
    pending = PendingLogin(attempt.id, employee_no, address)
    # Rows are handled by id from here on: another process may delete them at any moment.
    db.session.commit()
    # Counted after the commit: of several concurrent attempts, the later ones see the earlier ones.
    others: Conditions = (
        LoginAttempt.kind == kind,
        LoginAttempt.attempted_at > since,
        LoginAttempt.id != pending.attempt_id,
    )
    waits = [
        _wait(others + conditions, limit, window, now)
        for conditions, limit in checks
        if _count(others + conditions) >= limit
    ]
    if waits:
        # A refused attempt is not a guess: it must not prolong the wait.
        db.session.execute(delete(LoginAttempt).where(LoginAttempt.id == pending.attempt_id))
        db.session.commit()
        raise LoginThrottled(max(waits))
    return pending


def login_failed(pending: PendingLogin) -> None:
    """The password was wrong (or the account unknown or inactive): the attempt stays, as a failure."""
    db.session.execute(update(LoginAttempt).where(LoginAttempt.id == pending.attempt_id).values(failed=True))
    db.session.commit()


def login_succeeded(pending: PendingLogin) -> None:
    """The account's counter starts again from zero."""
    clear_account(pending.employee_no)
    db.session.commit()


def activation_ended(pending: PendingLogin) -> None:
    """The code was right (the activation succeeded, or only the new password was refused): no guess."""
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.id == pending.attempt_id))
    db.session.commit()


def clear_account(employee_no: str) -> int:
    """Forget the account's attempts (lifting a lock), in the caller's transaction; how many there were."""
    return db.session.execute(
        delete(LoginAttempt).where(
            LoginAttempt.kind == LOGIN, LoginAttempt.employee_no == employee_no.strip()[:20]
        )
    ).rowcount


def remaining_attempts(pending: PendingLogin, limits: LoginLimits) -> int:
    """How many more failures the account or the address may have before logins are refused (0: the
    next attempt is refused), as the login page warns."""
    since = utcnow() - limits.window
    on_account = _count(
        (
            LoginAttempt.kind == LOGIN,
            LoginAttempt.employee_no == pending.employee_no,
            LoginAttempt.attempted_at > since,
        )
    )
    from_address = _count(
        (
            LoginAttempt.kind == LOGIN,
            LoginAttempt.address == pending.address,
            LoginAttempt.failed.is_(True),
            LoginAttempt.attempted_at > since,
        )
    )
    return max(min(limits.per_account - on_account, limits.per_address - from_address), 0)


def account_locked_for(employee_no: str, limits: LoginLimits) -> timedelta | None:
    """How long logins to the account stay refused, or None when they are not (for HR's page)."""
    now = utcnow()
    conditions: Conditions = (
        LoginAttempt.kind == LOGIN,
        LoginAttempt.employee_no == employee_no,
        LoginAttempt.attempted_at > now - limits.window,
    )
    if _count(conditions) < limits.per_account:
        return None
    wait = _wait(conditions, limits.per_account, limits.window, now)
    return wait if wait > timedelta(0) else None


def _count(conditions: Conditions) -> int:
    return db.session.scalar(select(func.count(LoginAttempt.id)).where(*conditions)) or 0


def _wait(conditions: Conditions, limit: int, window: timedelta, now: datetime) -> timedelta:
    """How long until fewer than ``limit`` attempts are left: until the limit-th newest leaves the window."""
    oldest_counted = db.session.scalar(
        select(LoginAttempt.attempted_at)
        .where(*conditions)
        .order_by(LoginAttempt.attempted_at.desc())
        .offset(limit - 1)
        .limit(1)
    )
    if oldest_counted is None:  # gone meanwhile: a successful login cleared them
        return timedelta(0)
    return max(oldest_counted + window - now, timedelta(0))
