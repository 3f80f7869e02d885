"""Reading the synced content: current courses, lessons and the live scenario bank."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from ..extensions import db
from ..models import Course, CourseVersion, Scenario, ScenarioVersion


def active_courses() -> list[tuple[Course, CourseVersion]]:
    """Every course not retired, with its current version, in title order."""
    latest = (
        select(CourseVersion.course_id, func.max(CourseVersion.version).label("version"))
        .group_by(CourseVersion.course_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Course, CourseVersion)
        .join(CourseVersion, CourseVersion.course_id == Course.id)
        .join(
            latest,
            (latest.c.course_id == CourseVersion.course_id) & (latest.c.version == CourseVersion.version),
        )
        .where(Course.retired_at.is_(None))
        .order_by(Course.key)
    )
    return [(course, version) for course, version in rows]


def course_by_key(key: str) -> Course | None:
    return db.session.scalar(select(Course).where(Course.key == key, Course.retired_at.is_(None)))


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
