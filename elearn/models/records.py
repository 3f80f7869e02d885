"""The official training records: assignments and completions."""

from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    text,
)
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
    # Withdrawn (取消) rules are kept with their reason; they assign nobody any more.
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    withdrawal_reason: Mapped[str | None] = mapped_column(String(200))

    course: Mapped[Course] = relationship()
    department: Mapped[Department | None] = relationship()

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None


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
    # The department of record: the employee's when the assignment was made, and again when it was
    # completed. A transfer afterwards does not move the year's record to the new department.
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)

    course: Mapped[Course] = relationship()
    employee: Mapped[Employee] = relationship()
    department: Mapped[Department | None] = relationship()
    rule: Mapped[AssignmentRule | None] = relationship()


class CompletionMethod(NamedCode):
    ONLINE = "online", N_("オンライン")
    IN_PERSON = "in_person", N_("集合研修")


class Completion(db.Model):
    """The first passing attempt of a course in a fiscal year, or an attended in-person session;
    once per employee, course and year."""

    __tablename__ = "completions"
    __table_args__ = (
        UniqueConstraint("employee_id", "course_id", "fiscal_year"),
        CheckConstraint(
            "(method = 'online' AND attempt_id IS NOT NULL AND score IS NOT NULL)"
            " OR (method = 'in_person' AND attendance_id IS NOT NULL AND attempt_id IS NULL)",
            name="method_source",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))
    course_version_id: Mapped[int] = mapped_column(ForeignKey("course_versions.id"))
    fiscal_year: Mapped[int] = mapped_column(Integer)
    attempt_id: Mapped[int | None] = mapped_column(ForeignKey("attempts.id"), unique=True)
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    score: Mapped[int | None] = mapped_column(Integer)  # none for an in-person session
    attempts_count: Mapped[int] = mapped_column(Integer)
    # How many of the version's lessons had been read when the completion was made (evidence that the
    # training was taken).
    # NULL on completions made before this was recorded: not known, and not guessed afterwards.
    lessons_read: Mapped[int | None] = mapped_column(Integer)
    lesson_count: Mapped[int | None] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(
        String(20), default=CompletionMethod.ONLINE.value, server_default=CompletionMethod.ONLINE.value
    )
    attendance_id: Mapped[int | None] = mapped_column(ForeignKey("attendances.id"), unique=True)
    # Printed on the certificate; HR looks it up to confirm the certificate is genuine.
    certificate_code: Mapped[str] = mapped_column(String(20), unique=True, default=new_certificate_code)

    employee: Mapped[Employee] = relationship()
    course: Mapped[Course] = relationship()
    course_version: Mapped[CourseVersion] = relationship()
    attempt: Mapped[Attempt | None] = relationship()
    attendance: Mapped[Attendance | None] = relationship()

    @property
    def method_label(self) -> str:
        return str(CompletionMethod(self.method).label)

    @property
    def in_person(self) -> bool:
        return self.method == CompletionMethod.IN_PERSON.value


class Attendance(db.Model):
    """That an employee attended an in-person session (集合研修) of a course; append-only like a
    completion, which it makes for the fiscal year of its date."""

    __tablename__ = "attendances"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))
    fiscal_year: Mapped[int] = mapped_column(Integer)
    held_on: Mapped[date] = mapped_column(Date)
    session_name: Mapped[str] = mapped_column(String(200))
    instructor: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(String(500))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    source: Mapped[str] = mapped_column(String(300))  # the file and its hash, or the page


class ExemptionReason(NamedCode):
    LEAVE = "leave", N_("休職")
    CHILDCARE = "childcare", N_("育児休業")
    SICK = "sick", N_("病気休暇")
    SECONDMENT = "secondment", N_("派遣・出向")
    OTHER = "other", N_("その他")


class Exemption(db.Model):
    """HR's decision that an employee need not take a course in a fiscal year. Never deleted: a
    withdrawal is recorded on it (who, when, why), and a new exemption may follow."""

    __tablename__ = "exemptions"
    __table_args__ = (
        CheckConstraint(
            f"reason IN ({', '.join(repr(r.value) for r in ExemptionReason)})", name="reason_known"
        ),
        # At most one standing exemption per employee, course and year.
        Index(
            "uq_exemptions_one_standing",
            "employee_id",
            "course_id",
            "fiscal_year",
            unique=True,
            sqlite_where=text("withdrawn_at IS NULL"),
            postgresql_where=text("withdrawn_at IS NULL"),
        ),
        Index("ix_exemptions_employee_year", "employee_id", "fiscal_year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))
    fiscal_year: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(20))
    reason_text: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    created_by_label: Mapped[str] = mapped_column(String(160))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    withdrawn_by_label: Mapped[str | None] = mapped_column(String(160))
    withdrawal_reason: Mapped[str | None] = mapped_column(String(200))

    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])
    course: Mapped[Course] = relationship()

    @property
    def reason_label(self) -> str:
        """The reason as the record writes it: the kind, and the free text if any."""
        kind = ExemptionReason(self.reason).japanese
        return f"{kind}（{self.reason_text}）" if self.reason_text else kind


class RecordUpload(db.Model):
    """An uploaded exemption or attendance file kept between its preview and its import, as the
    roster's (RosterUpload): the import uses exactly these bytes and the plan previewed."""

    __tablename__ = "record_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # exemptions or attendance
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    filename: Mapped[str] = mapped_column(String(255))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    plan_digest: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    imported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
