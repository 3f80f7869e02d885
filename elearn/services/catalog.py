"""Reading the synced content: current courses, lessons and the live scenario bank."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, func, select

from ..extensions import db
from ..models import Course, CourseVersion, Scenario, ScenarioVersion

# Statements built once: building a SELECT costs more than running it on these small tables, and
# マイ研修 and the course pages run them on every request.
_LATEST_VERSIONS = (
    select(CourseVersion.course_id, func.max(CourseVersion.version).label("version"))
    .group_by(CourseVersion.course_id)
    .subquery()
)
_ACTIVE_COURSES = (
    select(Course, CourseVersion)
    .join(CourseVersion, CourseVersion.course_id == Course.id)
    .join(
        _LATEST_VERSIONS,
        (_LATEST_VERSIONS.c.course_id == CourseVersion.course_id)
        & (_LATEST_VERSIONS.c.version == CourseVersion.version),
    )
    .where(Course.retired_at.is_(None))
    .order_by(Course.key)
)
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
    latest = (
        select(ScenarioVersion.scenario_id, func.max(ScenarioVersion.version).label("version"))
        .group_by(ScenarioVersion.scenario_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Scenario.key, ScenarioVersion)
        .join(ScenarioVersion, ScenarioVersion.scenario_id == Scenario.id)
        .join(
            latest,
            (latest.c.scenario_id == ScenarioVersion.scenario_id)
            & (latest.c.version == ScenarioVersion.version),
        )
        .where(Scenario.retired_at.is_(None))
        .order_by(Scenario.key)
    )
    return [BankEntry(key, v.category, v.perspective, tuple(v.clauses), v.id) for key, v in rows]
