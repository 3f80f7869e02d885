"""The official training records: assignments and completions."""

from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import UTCDateTime, utcnow
from ..extensions import db
from ..i18n import N_, NamedCode
from .content import Course, CourseVersion
from .learning import Attempt
from .people import Department, Employee

# No 0/O or 1/I/L: codes are read off paper and typed in.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_certificate_code() -> str:
    """A random code such as K7Q2-M9XD-4PTA (about 64 bits)."""
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(13))
    return "-".join((chars[0:4], chars[4:8], chars[8:13]))


class AssignmentScope(NamedCode):
    ALL = "all", N_("全職員")
    DEPARTMENT = "department", N_("所属")
    ROLE = "role", N_("役割")
    EMPLOYMENT_TYPE = "employment_type", N_("雇用区分")


class AssignmentRule(db.Model):
    """Who must take a course in a fiscal year. Kept, so that staff who join later are assigned too."""

    __tablename__ = "assignment_rules"
    __table_args__ = (
        CheckConstraint(
            "(scope = 'all' AND department_id IS NULL AND value IS NULL)"
            " OR (scope = 'department' AND department_id IS NOT NULL AND value IS NULL)"
            " OR (scope IN ('role', 'employment_type') AND department_id IS NULL AND value IS NOT NULL)",
            name="scope_target",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(Integer, index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))
    scope: Mapped[str] = mapped_column(String(20))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    value: Mapped[str | None] = mapped_column(String(40))  # a role or an employment type
    due_date: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))

    course: Mapped[Course] = relationship()
    department: Mapped[Department | None] = relationship()


class Assignment(db.Model):
    """A course an employee is required to complete in a fiscal year."""

    __tablename__ = "assignments"
    __table_args__ = (
        UniqueConstraint("fiscal_year", "course_id", "employee_id"),
        Index("ix_assignments_employee_year", "employee_id", "fiscal_year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(Integer)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    due_date: Mapped[date | None] = mapped_column(Date)
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    rule_id: Mapped[int | None] = mapped_column(ForeignKey("assignment_rules.id"))

    course: Mapped[Course] = relationship()
    employee: Mapped[Employee] = relationship()


class Completion(db.Model):
    """The first passing attempt of a course in a fiscal year; once per employee, course and year."""

    __tablename__ = "completions"
    __table_args__ = (UniqueConstraint("employee_id", "course_id", "fiscal_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))
    course_version_id: Mapped[int] = mapped_column(ForeignKey("course_versions.id"))
    fiscal_year: Mapped[int] = mapped_column(Integer)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id"), unique=True)
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    score: Mapped[int] = mapped_column(Integer)
    attempts_count: Mapped[int] = mapped_column(Integer)
    # How many of the version's lessons had been read when the completion was made (evidence that the
    # training was taken).
    # NULL on completions made before this was recorded: not known, and not guessed afterwards.
    lessons_read: Mapped[int | None] = mapped_column(Integer)
    lesson_count: Mapped[int | None] = mapped_column(Integer)
    # Printed on the certificate; HR looks it up to confirm the certificate is genuine.
    certificate_code: Mapped[str] = mapped_column(String(20), unique=True, default=new_certificate_code)

    employee: Mapped[Employee] = relationship()
    course: Mapped[Course] = relationship()
    course_version: Mapped[CourseVersion] = relationship()
    attempt: Mapped[Attempt] = relationship()
