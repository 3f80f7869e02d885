"""Who uses the app: departments and employees with their role."""

from __future__ import annotations

from datetime import datetime

from flask_babel import LazyString
from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, ColumnElement, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import UTCDateTime, utcnow
from ..extensions import db
from ..i18n import N_, NamedCode


class Role(NamedCode):
    EMPLOYEE = "employee", N_("職員")
    MANAGER = "manager", N_("管理監督者")
    TRAINER = "trainer", N_("研修担当")
    HR = "hr", N_("人事担当")


class Department(db.Model):
    """An organisational unit (所属) as named in HR's roster."""

    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    # From the roster's optional 所属コード and 所属カナ: the city's own order of departments.
    code: Mapped[str | None] = mapped_column(String(20))
    kana: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    employees: Mapped[list[Employee]] = relationship(back_populates="department")

    @classmethod
    def ordering(cls) -> tuple[ColumnElement, ...]:
        """The order departments are listed in everywhere: by 所属コード, then by 所属カナ (五十音),
        then by name; departments without a code (or kana) after those with one."""
        return (cls.code.is_(None), cls.code, cls.kana.is_(None), cls.kana, cls.name)

    def __repr__(self) -> str:
        return f"<Department {self.name}>"


class Employee(UserMixin, db.Model):
    """A member of staff, identified by their employee number (職員番号)."""

    __tablename__ = "employees"
    __table_args__ = (
        CheckConstraint(f"role IN ({', '.join(repr(r.value) for r in Role)})", name="role_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_no: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    name_kana: Mapped[str | None] = mapped_column(String(100))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    role: Mapped[str] = mapped_column(String(20), default=Role.EMPLOYEE.value)
    employment_type: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(254))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Set when a full roster no longer lists the employee; they keep every record.
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Indexed: the latest change to any employee is part of the records stamp (services/data_stamp.py).
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, index=True)

    department: Mapped[Department] = relationship(back_populates="employees")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def has_role(self, *roles: Role) -> bool:
        return self.role in {r.value for r in roles}

    @property
    def role_label(self) -> LazyString:
        return Role(self.role).label

    def __repr__(self) -> str:
        return f"<Employee {self.employee_no}>"


class RosterUpload(db.Model):
    """An uploaded roster file kept between preview and import, so the import uses exactly these bytes."""

    __tablename__ = "roster_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    filename: Mapped[str] = mapped_column(String(255))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    full: Mapped[bool] = mapped_column(Boolean)
    # Digest of the preview shown; the import refuses to run if the plan has changed since.
    plan_digest: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    imported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
