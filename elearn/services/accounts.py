"""Passwords and logins.

The policy follows OWASP ASVS 4.0.3 (2.1): at least 12 characters, no composition rules, and no
password that is on a list of common or breached passwords or contains the employee's 職員番号.
The list is the 30,000 most common passwords that the zxcvbn library ships (MIT licence, from
Xato's corpus of leaked passwords); it is read once per process.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from ..database import transaction
from ..extensions import db
from ..models import AuditAction, Employee, SecurityKind, SessionEnd
from ..normalise import employee_no as normalise_employee_no
from . import audit, login_throttle, security_log, sessions

MIN_PASSWORD_LENGTH = 12


@cache
def _dummy_hash() -> str:
    """Compared against when the account does not exist, so a login takes as long either way. Made at
    the first such login rather than at import: hashing is slow on purpose, and every process (each
    server worker, each command) would pay for it at start."""
    return generate_password_hash("not-a-real-password")


class PasswordPolicyError(ValueError):
    pass


class WrongPasswordError(ValueError):
    """The current password given to change it was not the employee's."""


@cache
def common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def _folded(text: str) -> str:
    # Full-width letters and digits (ｐａｓｓｗｏｒｄ１２３４) are the same password to a guesser.
    return unicodedata.normalize("NFKC", text).casefold()


def check_password_policy(password: str, employee_no: str | None = None) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordPolicyError(f"パスワードは {MIN_PASSWORD_LENGTH} 文字以上にしてください")
    folded = _folded(password)
    if folded in common_passwords():
        raise PasswordPolicyError(
            "よく使われているパスワードや、漏えいしたことのあるパスワードは使えません。別のものにしてください"
        )
    if employee_no and _folded(employee_no.strip()) in folded:
        raise PasswordPolicyError("職員番号を含むパスワードは使えません")


def set_password(employee: Employee, password: str) -> None:
    check_password_policy(password, employee.employee_no)
    employee.password_hash = generate_password_hash(password)


def set_password_for(employee: Employee, password: str, actor: audit.Actor) -> None:
    """Set an employee's password on their behalf (an administrator), with its audit event; every
    session of theirs ends."""
    with transaction():
        set_password(employee, password)
        sessions.end_all(employee, SessionEnd.PASSWORD_SET)
        audit.record(
            actor,
            AuditAction.PASSWORD_SET,
            f"{employee.employee_no} {employee.name} のパスワードを設定しました",
            employee_no=employee.employee_no,
        )
        security_log.record(SecurityKind.PASSWORD_SET, address=None, employee=employee, actor=actor.label)


def change_password(
    employee: Employee, current: str, new: str, *, keep_session: str | None, address: str | None
) -> None:
    """The employee changes their own password; their other sessions end, ``keep_session`` stays.

    Raises WrongPasswordError or PasswordPolicyError and changes nothing."""
    if employee.password_hash is None or not check_password_hash(employee.password_hash, current):
        security_log.log(
            SecurityKind.PASSWORD_CHANGE_REFUSED,
            address=address,
            employee=employee,
            detail="現在のパスワードが違う",
        )
        raise WrongPasswordError("現在のパスワードが正しくありません")
    with transaction():
        set_password(employee, new)
        ended = sessions.end_all(employee, SessionEnd.PASSWORD_CHANGED, keep=keep_session)
        security_log.record(
            SecurityKind.PASSWORD_CHANGED,
            address=address,
            employee=employee,
            detail=f"ほかのセッション {ended} 件を終了",
        )


def unlock_account(employee: Employee, actor: audit.Actor, *, address: str | None) -> None:
    """HR lifts the lock that failed logins put on the account, with its audit event."""
    with transaction():
        login_throttle.clear_account(employee.employee_no)
        audit.record(
            actor,
            AuditAction.ACCOUNT_UNLOCKED,
            f"{employee.employee_no} {employee.name} のログインのロックを解除しました",
            employee_no=employee.employee_no,
        )
        security_log.record(SecurityKind.UNLOCK, address=address, employee=employee, actor=actor.label)


def find_by_employee_no(employee_no: str) -> Employee | None:
    """The employee with this number as typed: 「ｄ０００５」 finds D0005."""
    number = normalise_employee_no(employee_no)
    if not number:
        return None
    return db.session.scalar(select(Employee).where(Employee.employee_no == number))


def authenticate(employee_no: str, password: str) -> Employee | None:
    """The active employee with these credentials, or None."""
    employee = find_by_employee_no(employee_no)
    if employee is None or employee.password_hash is None:
        check_password_hash(_dummy_hash(), password)
        return None
    if not check_password_hash(employee.password_hash, password) or not employee.active:
        return None
    return employee
