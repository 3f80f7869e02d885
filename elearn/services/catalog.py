"""Reading the synced content: current courses, lessons and the live scenario bank."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from flask import current_app
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Course, CourseVersion, Scenario, ScenarioVersion

KEPT_COURSE_TEXTS = 256  # course versions kept per process; a sync adds one per changed course


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


@cache
def _current_courses(drafts: bool = False):
    """Courses with their current version; a course whose current version is a draft only when asked
    (trainers' pages and trial mode): learners never see one. Built once per process, as マイ研修's
    statements are (services/progress.py)."""
    query = current_versions(Course, CourseVersion, CourseVersion.course_id)
    return query if drafts else query.where(CourseVersion.draft.is_(False))


@dataclass(frozen=True)
class LessonText:
    slug: str
    title: str
    html: str


@dataclass(frozen=True)
class CourseText:
    """A course version as learners read it: title, introduction, quiz rules and lessons in order.

    A synced version never changes (an edit makes a new version), so each is read from the database
    once per process and shared between requests; only which version is current is asked each time.
    """

    course_id: int
    key: str
    version_id: int
    version: int
    title: str
    summary: str
    audience: str
    pass_mark: int
    question_count: int
    max_attempts: int
    completion: str  # lessons_and_quiz or quiz
    quiz_after_lessons: bool
    review: str  # after_pass or always
    intro_html: str
    lessons: tuple[LessonText, ...]
    lesson_slugs: tuple[str, ...]
    synced_at: datetime  # when this version was synced: its text cites the policy current then

    @property
    def needs_lessons(self) -> bool:
        return self.completion == "lessons_and_quiz"

    def lesson_index(self, slug: str) -> int | None:
        return next((i for i, lesson in enumerate(self.lessons) if lesson.slug == slug), None)


def course_texts(versions: list[tuple[int, str]]) -> list[CourseText]:
    """The texts of these course versions (id, content hash), in the order given; read from the
    database only the first time this process needs each.

    A version is known by its id and content hash: an id alone could name other content after a
    restore from a backup, or an insert rolled back and made again.
    """
    # Per app, not per module: each app has its own database (tests run many side by side).
    kept: dict[tuple[int, str], CourseText] = current_app.extensions.setdefault("elearn.course_texts", {})
    if missing := [tuple(v) for v in versions if tuple(v) not in kept]:
        if len(kept) + len(missing) > KEPT_COURSE_TEXTS:
            kept.clear()
        query = select(CourseVersion).where(CourseVersion.id.in_([i for i, _ in missing]))
        for version in db.session.scalars(query.options(selectinload(CourseVersion.lessons))):
            kept[version.id, version.content_hash] = _course_text(version)
    return [kept[tuple(v)] for v in versions]


def version_text(version: CourseVersion) -> CourseText:
    """The text of one course version, kept per process as ``course_texts`` keeps it."""
    return course_texts([(version.id, version.content_hash)])[0]


def _course_text(version: CourseVersion) -> CourseText:
    return CourseText(
        course_id=version.course_id,
        key=version.course.key,
        version_id=version.id,
        version=version.version,
        title=version.title,
        summary=version.summary,
        audience=version.audience,
        pass_mark=version.pass_mark,
        question_count=version.question_count,
        max_attempts=version.max_attempts,
        completion=version.completion,
        quiz_after_lessons=version.quiz_after_lessons,
        review=version.review,
        intro_html=version.intro_html,
        lessons=tuple(LessonText(lesson.slug, lesson.title, lesson.html) for lesson in version.lessons),
        lesson_slugs=tuple(lesson.slug for lesson in version.lessons),
        synced_at=version.created_at,
    )


@cache
def _current_version_ids(drafts: bool):
    return _current_courses(drafts).with_only_columns(CourseVersion.id, CourseVersion.content_hash)


def active_course_texts(drafts: bool = False) -> list[CourseText]:
    """Every course not retired, as its current version's text, in key order (drafts only when asked)."""
    return course_texts(list(db.session.execute(_current_version_ids(drafts))))


# Built once per process: every course page asks for its course's current version.
_LATEST_VERSION = (
    select(CourseVersion.id, CourseVersion.content_hash, CourseVersion.draft)
    .join(Course, Course.id == CourseVersion.course_id)
    .where(Course.key == bindparam("key"), Course.retired_at.is_(None))
    .order_by(CourseVersion.version.desc())
    .limit(1)
)


def course_text(key: str, drafts: bool = False) -> CourseText | None:
    """The current text of the course with this key, or None when there is none, it is retired, or it is
    a draft and drafts were not asked for."""
    version = db.session.execute(_LATEST_VERSION, {"key": key}).first()
    if version is None or (version.draft and not drafts):
        return None
    return course_texts([(version.id, version.content_hash)])[0]


def active_courses(drafts: bool = False) -> list[tuple[Course, CourseVersion]]:
    """Every course not retired, with its current version, in key order (drafts only when asked)."""
    return [(course, version) for course, version in db.session.execute(_current_courses(drafts))]


def course_by_key(key: str, drafts: bool = False) -> Course | None:
    """The course with this key if not retired; a draft course only when ``drafts`` is asked for."""
    course = db.session.scalar(select(Course).where(Course.key == key, Course.retired_at.is_(None)))
    if course is None or (course.current.draft and not drafts):
        return None
    return course


@dataclass(frozen=True)
class BankEntry:
    """A live scenario's current version, in the shape the draw needs."""

    id: str
    category: str
    perspective: str
    clauses: tuple[str, ...]
    version_id: int


def live_bank(drafts: bool = False) -> list[BankEntry]:
    """The scenarios a quiz draws from: not retired, and not drafts unless asked (trial attempts only)."""
    query = current_versions(Scenario, ScenarioVersion, ScenarioVersion.scenario_id)
    if not drafts:
        query = query.where(ScenarioVersion.draft.is_(False))
    rows = db.session.execute(query)
    return [BankEntry(s.key, v.category, v.perspective, tuple(v.clauses), v.id) for s, v in rows]
