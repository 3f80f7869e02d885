"""The official training records (第3-4): assignments and completions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import UTCDateTime, utcnow
from ..extensions import db
from .content import Course, CourseVersion
from .learning import Attempt
from .people import Employee


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

    employee: Mapped[Employee] = relationship()
    course: Mapped[Course] = relationship()
    course_version: Mapped[CourseVersion] = relationship()
    attempt: Mapped[Attempt] = relationship()
