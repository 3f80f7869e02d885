"""Reading the synced content: current courses, lessons and the live scenario bank."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, func, select

from ..extensions import db
from ..models import Course, CourseVersion, Scenario, ScenarioVersion


def current_versions(model, version_model, parent_column):
    """SELECT (record, its latest version) for every record not retired, in key order.

    Courses, scenarios and self-checks are all versioned the same way; this is the one query that
    picks the current version of each.
    """
    latest = (
        select(parent_column, func.max(version_model.version).label("version"))
        .group_by(parent_column)
        .subquery()
    )
    return (
        select(model, version_model)
        .join(version_model, parent_column == model.id)
        .join(
            latest,
            (latest.c[parent_column.key] == parent_column) & (latest.c.version == version_model.version),
        )
        .where(model.retired_at.is_(None))
        .order_by(model.key)
    )


# Statements built once: building a SELECT costs more than running it on these small tables, and
# マイ研修 and the course pages run them on every request.
_ACTIVE_COURSES = current_versions(Course, CourseVersion, CourseVersion.course_id)
_LIVE_BANK = current_versions(Scenario, ScenarioVersion, ScenarioVersion.scenario_id)
_COURSE_BY_KEY = select(Course).where(Course.key == bindparam("key"), Course.retired_at.is_(None))


def active_courses() -> list[tuple[Course, CourseVersion]]:
    """Every course not retired, with its current version, in title order."""
    return [(course, version) for course, version in db.session.execute(_ACTIVE_COURSES)]


def course_by_key(key: str) -> Course | None:
    return db.session.scalar(_COURSE_BY_KEY, {"key": key})


@dataclass(frozen=True)
class BankEntry:
    """A live scenario's current version, in the shape the draw needs."""

    id: str
    category: str
    perspective: str
    clauses: tuple[str, ...]
    version_id: int


def live_bank() -> list[BankEntry]:
    rows = db.session.execute(_LIVE_BANK)
    return [BankEntry(s.key, v.category, v.perspective, tuple(v.clauses), v.id) for s, v in rows]
