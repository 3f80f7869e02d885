"""Training content as synced from Markdown: versioned, never deleted.

Every edit of a course or scenario becomes a new version, so an attempt always
points at exactly the text its employee saw. Removed content is retired.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint, false, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import UTCDateTime, utcnow
from ..extensions import db

if TYPE_CHECKING:
    from .people import Employee


class Course(db.Model):
    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    versions: Mapped[list[CourseVersion]] = relationship(
        back_populates="course", order_by="CourseVersion.version"
    )

    @property
    def current(self) -> CourseVersion:
        """The latest version: what learners read now."""
        return db.session.scalars(
            select(CourseVersion)
            .where(CourseVersion.course_id == self.id)
            .order_by(CourseVersion.version.desc())
            .limit(1)
        ).one()


class CourseVersion(db.Model):
    __tablename__ = "course_versions"
    __table_args__ = (UniqueConstraint("course_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))
    version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    audience: Mapped[str] = mapped_column(String(20))
    pass_mark: Mapped[int] = mapped_column(Integer)
    quiz_rules: Mapped[dict[str, Any]] = mapped_column(JSON)
    # What 修了 needs and what a result page shows (elearn.content.courses). The server defaults are the
    # rules every version synced before they existed was taken under, so its records keep their meaning;
    # a sync always writes what the front matter says.
    completion: Mapped[str] = mapped_column(String(20), server_default="quiz")
    quiz_after_lessons: Mapped[bool] = mapped_column(Boolean, server_default=false())
    review: Mapped[str] = mapped_column(String(20), server_default="always")
    # status: draft — trainers preview and try it; learners never see a course whose current version is one.
    draft: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    intro_html: Mapped[str] = mapped_column(Text)
    # Who published this version and how: "files" (elearn content sync), "web" (an upload published
    # on /author/), "rollback" (an older version republished on /author/). NULL publisher: the command
    # line. The file the version came from, relative to the content root or the upload.
    origin: Mapped[str] = mapped_column(String(10), default="files", server_default="files")
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    source_path: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    course: Mapped[Course] = relationship(back_populates="versions")
    lessons: Mapped[list[Lesson]] = relationship(back_populates="course_version", order_by="Lesson.position")

    @property
    def question_count(self) -> int:
        return int(self.quiz_rules["questions"])

    @property
    def max_attempts(self) -> int:
        return int(self.quiz_rules.get("max_attempts") or 0)

    @property
    def needs_lessons(self) -> bool:
        """修了 needs every lesson of this version read, not only the quiz passed."""
        return self.completion == "lessons_and_quiz"


class Lesson(db.Model):
    __tablename__ = "lessons"
    __table_args__ = (
        UniqueConstraint("course_version_id", "slug"),
        UniqueConstraint("course_version_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_version_id: Mapped[int] = mapped_column(ForeignKey("course_versions.id"))
    position: Mapped[int] = mapped_column(Integer)
    slug: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    html: Mapped[str] = mapped_column(Text)

    course_version: Mapped[CourseVersion] = relationship(back_populates="lessons")


class Scenario(db.Model):
    __tablename__ = "scenarios"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    versions: Mapped[list[ScenarioVersion]] = relationship(
        back_populates="scenario", order_by="ScenarioVersion.version"
    )


class ScenarioVersion(db.Model):
    __tablename__ = "scenario_versions"
    __table_args__ = (UniqueConstraint("scenario_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id"))
    version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(40))
    perspective: Mapped[str] = mapped_column(String(40))
    difficulty: Mapped[str] = mapped_column(String(10))
    setting: Mapped[str] = mapped_column(String(40))
    clauses: Mapped[list[str]] = mapped_column(JSON)
    multiple: Mapped[bool] = mapped_column(Boolean)
    # 状態: 下書き — drawn only into trial attempts, never into a learner's quiz.
    draft: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    situation_html: Mapped[str] = mapped_column(Text)
    question_html: Mapped[str] = mapped_column(Text)
    explanation_html: Mapped[str] = mapped_column(Text)
    # Who published this version and how: "files" (elearn content sync), "web" (an upload published
    # on /author/), "rollback" (an older version republished on /author/). NULL publisher: the command
    # line. The file the version came from, relative to the content root or the upload.
    origin: Mapped[str] = mapped_column(String(10), default="files", server_default="files")
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    source_path: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    scenario: Mapped[Scenario] = relationship(back_populates="versions")
    choices: Mapped[list[ScenarioChoice]] = relationship(
        back_populates="scenario_version", order_by="ScenarioChoice.position"
    )

    @property
    def key(self) -> str:
        return self.scenario.key


class ScenarioChoice(db.Model):
    __tablename__ = "scenario_choices"
    __table_args__ = (UniqueConstraint("scenario_version_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_version_id: Mapped[int] = mapped_column(ForeignKey("scenario_versions.id"))
    position: Mapped[int] = mapped_column(Integer)
    text_html: Mapped[str] = mapped_column(Text)
    correct: Mapped[bool] = mapped_column(Boolean)
    feedback_html: Mapped[str] = mapped_column(Text)

    scenario_version: Mapped[ScenarioVersion] = relationship(back_populates="choices")


class SelfCheck(db.Model):
    __tablename__ = "selfchecks"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    versions: Mapped[list[SelfCheckVersion]] = relationship(
        back_populates="selfcheck", order_by="SelfCheckVersion.version"
    )


class SelfCheckVersion(db.Model):
    """A self-check as written at one time: statements, answer scale and result bands (HTML)."""

    __tablename__ = "selfcheck_versions"
    __table_args__ = (UniqueConstraint("selfcheck_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    selfcheck_id: Mapped[int] = mapped_column(ForeignKey("selfchecks.id"))
    version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    intro_html: Mapped[str] = mapped_column(Text)
    scale: Mapped[list[str]] = mapped_column(JSON)
    items: Mapped[list[list[str]]] = mapped_column(JSON)  # [[item id, statement], ...]
    bands: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # [{"low", "high", "html"}, ...]
    # Who published this version and how: "files" (elearn content sync), "web" (an upload published
    # on /author/), "rollback" (an older version republished on /author/). NULL publisher: the command
    # line. The file the version came from, relative to the content root or the upload.
    origin: Mapped[str] = mapped_column(String(10), default="files", server_default="files")
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    source_path: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    selfcheck: Mapped[SelfCheck] = relationship(back_populates="versions")

    @property
    def max_score(self) -> int:
        return (len(self.scale) - 1) * len(self.items)

    def band_for(self, score: int) -> dict[str, Any] | None:
        return next((b for b in self.bands if b["low"] <= score <= b["high"]), None)


class ContentUpload(db.Model):
    """Markdown a trainer uploaded on /author/, kept in the database until it is published or
    discarded: the files as received (UTF-8 text by path), never written to the content folder."""

    __tablename__ = "content_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    filename: Mapped[str] = mapped_column(String(255))  # as the browser named it
    files: Mapped[dict[str, str]] = mapped_column(JSON)  # content-root-relative path -> text
    # "pending" until published or discarded; a published upload is kept as the record of what was sent.
    status: Mapped[str] = mapped_column(String(12), default="pending", server_default="pending")
    # The upload's 下書き checkbox: every scenario and course of it is published as a draft.
    draft: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    uploaded_by: Mapped[Employee] = relationship()


class PolicyVersion(db.Model):
    """The organisation's policy as synced at one time: a new version whenever its text changes.

    Records made under an older text keep pointing at it by time: the version current at a moment
    is the latest one synced at or before it (services/policy.py ``policy_version_at``).
    """

    __tablename__ = "policy_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    # Not unique: a policy amended and then restored to an earlier text is a new version again.
    content_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    # The text itself is loaded only when read: pages that cite the version (every lesson, every
    # result) need its number and title, and the parsed text is kept per process (services/policy.py).
    source: Mapped[str] = mapped_column(Text, deferred=True)  # the Markdown as written
    parsed: Mapped[dict[str, Any]] = mapped_column(JSON, deferred=True)  # content.policy_data's
    synced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
