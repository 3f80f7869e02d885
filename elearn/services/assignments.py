"""Assigning required courses for a fiscal year."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ..extensions import db
from ..models import Assignment, Employee, Role
from .catalog import active_courses


def assign_required_courses(year: int, due_date: date | None = None) -> int:
    """Assign every active employee the courses their audience requires; returns how many were new.

    ``all`` courses go to everyone and ``managers`` courses to managers. Existing
    assignments are kept as they are, so running it again only adds what is missing.
    """
    existing = {
        (course_id, employee_id)
        for course_id, employee_id in db.session.execute(
            select(Assignment.course_id, Assignment.employee_id).where(Assignment.fiscal_year == year)
        )
    }
    employees = db.session.execute(select(Employee.id, Employee.role).where(Employee.active.is_(True))).all()
    added = 0
    for course, version in active_courses():
        if version.audience == "all":
            targets = [e.id for e in employees]
        elif version.audience == "managers":
            targets = [e.id for e in employees if e.role == Role.MANAGER.value]
        else:
            continue
        for employee_id in targets:
            if (course.id, employee_id) not in existing:
                db.session.add(
                    Assignment(
                        fiscal_year=year, course_id=course.id, employee_id=employee_id, due_date=due_date
                    )
                )
                added += 1
    db.session.commit()
    return added
