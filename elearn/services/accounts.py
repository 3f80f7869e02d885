"""Passwords and logins."""

from __future__ import annotations

from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from ..database import transaction
from ..extensions import db
from ..models import AuditAction, Employee
from ..normalise import employee_no as normalise_employee_no
from . import audit

MIN_PASSWORD_LENGTH = 10

# Compared against when the account does not exist, so a login takes as long either way.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


class PasswordPolicyError(ValueError):
    pass


def check_password_policy(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordPolicyError(f"パスワードは {MIN_PASSWORD_LENGTH} 文字以上にしてください")
    if password.isdigit() or password.isalpha():
        raise PasswordPolicyError("パスワードには英字と数字・記号を混ぜてください")


def set_password(employee: Employee, password: str) -> None:
    check_password_policy(password)
    employee.password_hash = generate_password_hash(password)


def set_password_for(employee: Employee, password: str, actor: audit.Actor) -> None:
    """Set an employee's password on their behalf (an administrator), with its audit event."""
    with transaction():
        set_password(employee, password)
        audit.record(
            actor,
            AuditAction.PASSWORD_SET,
            f"{employee.employee_no} {employee.name} のパスワードを設定しました",
            employee_no=employee.employee_no,
        )


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
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(employee.password_hash, password) or not employee.active:
        return None
    return employee
