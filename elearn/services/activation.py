"""Activation codes: HR hands each new employee a one-time code with which they set their own password.

Codes are random (about 59 bits), expire, are refused after a few wrong tries and are stored only as
salted SHA-256: with that much entropy a slow hash buys nothing, and issuing codes for a whole city
must not take minutes.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select, update

from ..database import transaction, utcnow
from ..extensions import db
from ..fiscal import format_datetime
from ..models import ActivationCode, AuditAction, Department, Employee, SecurityKind, SessionEnd
from ..models.records import CODE_ALPHABET
from . import audit, login_throttle, security_log, sessions
from .accounts import check_password_policy, find_by_employee_no, set_password
from .exports import Export, ExportFormat

MAX_FAILED_ATTEMPTS = 5
ISSUED_HEADER = ("職員番号", "氏名", "所属", "有効化コード", "有効期限", "有効化の URL")
_NOT_CODE = re.compile(r"[^0-9A-Z]")


class ActivationError(ValueError):
    """The activation is refused; the message is for the employee and reveals nothing about why."""


@dataclass(frozen=True)
class IssuedCode:
    employee_no: str
    name: str
    department: str
    code: str
    expires_at: datetime

    def as_tuple(self, activate_url: str = "") -> tuple[str, ...]:
        expires = format_datetime(self.expires_at)
        return (self.employee_no, self.name, self.department, self.code, expires, activate_url)


def activate_url(base_url: str | None) -> str:
    """The activation page's address from the configured base URL; the bare path without one."""
    return f"{base_url or ''}/activate"


def new_code() -> str:
    """Twelve characters as XXXX-XXXX-XXXX, without the look-alikes 0/O and 1/I/L."""
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return "-".join((chars[0:4], chars[4:8], chars[8:12]))


def _normalised(code: str) -> str:
    """What was typed, without spaces or hyphens and in capitals."""
    return _NOT_CODE.sub("", unicodedata.normalize("NFKC", code).upper())  # full-width as typed in IME


def hash_code(code: str, salt: str | None = None) -> str:
    salt = salt or secrets.token_hex(16)
    digest = hashlib.sha256(f"{salt}:{_normalised(code)}".encode()).hexdigest()
    return f"sha256${salt}${digest}"


def code_matches(code: str, stored: str) -> bool:
    _method, salt, _digest = stored.split("$", 2)
    return hmac.compare_digest(hash_code(code, salt), stored)


def _revoke_open_codes(employee_ids, now: datetime) -> None:
    db.session.execute(
        update(ActivationCode)
        .where(
            ActivationCode.employee_id.in_(employee_ids),
            ActivationCode.used_at.is_(None),
            ActivationCode.revoked_at.is_(None),
        )
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )


def _issue(employee: Employee, department: str, actor: audit.Actor, expires_at: datetime) -> IssuedCode:
    code = new_code()
    db.session.add(
        ActivationCode(
            employee_id=employee.id,
            code_hash=hash_code(code),
            expires_at=expires_at,
            issued_by_id=actor.employee_id,
        )
    )
    return IssuedCode(employee.employee_no, employee.name, department, code, expires_at)


def issue_codes(
    actor: audit.Actor, *, days: int, department: Department | None = None, now: datetime | None = None
) -> list[IssuedCode]:
    """A new code for every active employee without a password (in ``department``), replacing older codes.

    The codes exist in plain text only in the returned list: hand them out, they cannot be shown again.
    """
    now = now or utcnow()
    expires_at = now + timedelta(days=days)
    query = (
        select(Employee, Department.name)
        .join(Department, Department.id == Employee.department_id)
        .where(Employee.active.is_(True), Employee.password_hash.is_(None))
        .order_by(*Department.ordering(), Employee.employee_no)
    )
    if department is not None:
        query = query.where(Employee.department_id == department.id)
    with transaction():
        targets = db.session.execute(query).all()
        pending = select(Employee.id).where(Employee.active.is_(True), Employee.password_hash.is_(None))
        if department is not None:
            pending = pending.where(Employee.department_id == department.id)
        _revoke_open_codes(pending, now)
        issued = [_issue(employee, name, actor, expires_at) for employee, name in targets]
        scope = department.name if department else "全所属"
        audit.record(
            actor,
            AuditAction.CODES_ISSUED,
            f"有効化コードを発行しました（{scope}、{len(issued)}人、{days}日間有効）",
            department=scope,
            count=len(issued),
            days=days,
        )
    return issued


def codes_file(issued: Sequence[IssuedCode], base_url: str = "") -> Export:
    """The codes as the CSV that HR hands out (UTF-8 with BOM, for Japanese Excel)."""
    rows = [code.as_tuple(activate_url(base_url)) for code in issued]
    return Export(ExportFormat.CSV, f"activation-codes-{date.today():%Y%m%d}", ISSUED_HEADER, rows)


def reset_account(
    employee: Employee, actor: audit.Actor, *, days: int, address: str | None = None
) -> IssuedCode:
    """Clear the password and issue a fresh code: the employee sets a new password with it. Every
    session of theirs ends, and a lock from failed logins is lifted (the code is their way back in)."""
    now = utcnow()
    with transaction():
        employee.password_hash = None
        sessions.end_all(employee, SessionEnd.ACCOUNT_RESET, now=now)
        login_throttle.clear_account(employee.employee_no)
        _revoke_open_codes([employee.id], now)
        issued = _issue(employee, employee.department.name, actor, now + timedelta(days=days))
        audit.record(
            actor,
            AuditAction.ACCOUNT_RESET,
            f"{employee.employee_no} {employee.name} のアカウントをリセットしました",
            employee_no=employee.employee_no,
            days=days,
        )
        security_log.record(SecurityKind.ACCOUNT_RESET, address=address, employee=employee, actor=actor.label)
    return issued


REFUSED = "職員番号または有効化コードが正しくないか、有効期限が切れています。人事担当にお問い合わせください。"


def activate(
    employee_no: str, code: str, password: str, now: datetime | None = None, *, address: str | None = None
) -> Employee:
    """Set the employee's password with their code; the code is used up. Raises ActivationError."""
    now = now or utcnow()
    employee = find_by_employee_no(employee_no)
    if employee is None or not employee.active:
        raise ActivationError(REFUSED)
    current = db.session.scalar(
        select(ActivationCode)
        .where(
            ActivationCode.employee_id == employee.id,
            ActivationCode.used_at.is_(None),
            ActivationCode.revoked_at.is_(None),
        )
        .order_by(ActivationCode.created_at.desc(), ActivationCode.id.desc())
        .limit(1)
    )
    if current is None or not current.usable_at(now) or not _take_a_try(current):
        raise ActivationError(REFUSED)
    if not code_matches(code, current.code_hash):
        _revoke_when_spent(current, now)  # guessing stops here; HR issues a new code
        raise ActivationError(REFUSED)
    _give_back_the_try(current)  # a right code is no wrong guess
    check_password_policy(
        password, employee.employee_no
    )  # PasswordPolicyError: the code stays valid for another try
    # Claim the code: of two concurrent activations only one updates the row.
    claimed = db.session.execute(
        update(ActivationCode)
        .where(ActivationCode.id == current.id, ActivationCode.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        raise ActivationError(REFUSED)
    set_password(employee, password)
    security_log.record(SecurityKind.ACTIVATION, address=address, employee=employee)
    db.session.commit()
    return employee


def _take_a_try(code: ActivationCode) -> bool:
    """Count the guess before checking it, in one conditional UPDATE: of any number of concurrent
    guesses at a code, at most MAX_FAILED_ATTEMPTS are ever checked."""
    taken = db.session.execute(
        update(ActivationCode)
        .where(
            ActivationCode.id == code.id,
            ActivationCode.used_at.is_(None),
            ActivationCode.revoked_at.is_(None),
            ActivationCode.failed_attempts < MAX_FAILED_ATTEMPTS,
        )
        .values(failed_attempts=ActivationCode.failed_attempts + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return taken == 1


def _give_back_the_try(code: ActivationCode) -> None:
    db.session.execute(
        update(ActivationCode)
        .where(ActivationCode.id == code.id)
        .values(failed_attempts=ActivationCode.failed_attempts - 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _revoke_when_spent(code: ActivationCode, now: datetime) -> None:
    db.session.execute(
        update(ActivationCode)
        .where(
            ActivationCode.id == code.id,
            ActivationCode.revoked_at.is_(None),
            ActivationCode.failed_attempts >= MAX_FAILED_ATTEMPTS,
        )
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def still_open(pairs: Iterable[tuple[str, str]], now: datetime | None = None) -> list[IssuedCode]:
    """The (職員番号, code) pairs that are each employee's current, unused code, as issued.

    HR's page shows freshly issued codes once; downloading them as CSV sends them back, and only
    codes that check against their stored hash are written out: the form cannot mint codes.
    """
    now = now or utcnow()
    found = []
    for employee_no, code in pairs:
        employee = find_by_employee_no(employee_no)
        current = pending_code(employee, now) if employee is not None else None
        if current is None or not code_matches(code, current.code_hash):
            continue
        found.append(
            IssuedCode(
                employee.employee_no, employee.name, employee.department.name, code, current.expires_at
            )
        )
    return found


def pending_code(employee: Employee, now: datetime | None = None) -> ActivationCode | None:
    """The employee's code still waiting to be used, if any (for HR's account page)."""
    now = now or utcnow()
    code = db.session.scalar(
        select(ActivationCode)
        .where(
            ActivationCode.employee_id == employee.id,
            ActivationCode.used_at.is_(None),
            ActivationCode.revoked_at.is_(None),
        )
        .order_by(ActivationCode.created_at.desc())
        .limit(1)
    )
    return code if code is not None and code.usable_at(now) else None


@dataclass(frozen=True)
class AccountCounts:
    active: int
    without_password: int
    with_open_code: int  # of those without a password, how many hold a code still valid


def account_counts(now: datetime | None = None) -> AccountCounts:
    now = now or utcnow()
    open_code = (
        select(ActivationCode.id)
        .where(
            ActivationCode.employee_id == Employee.id,
            ActivationCode.used_at.is_(None),
            ActivationCode.revoked_at.is_(None),
            ActivationCode.expires_at > now,
        )
        .exists()
    )
    no_password = Employee.password_hash.is_(None)
    active, without, with_code = db.session.execute(
        select(
            func.count(),
            func.count().filter(no_password),
            func.count().filter(no_password, open_code),
        ).where(Employee.active.is_(True))
    ).one()
    return AccountCounts(active, without, with_code)
