"""What a synced version holds, from parsed content or from the database, in one comparable shape.

A sync writes a new version when what learners would see changes. Two texts that render the same
(an export written back, a file re-wrapped) give equal fields here although their hashes differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text

from ..content import Course as ParsedCourse
from ..content import Policy, render_content
from ..content import Scenario as ParsedScenario
from ..content import SelfCheck as ParsedSelfCheck
from ..content.export import ExportedChoice, ExportedScenario
from ..extensions import db
from ..models import Course, CourseVersion, Scenario, ScenarioVersion, SelfCheck, SelfCheckVersion

Fields = dict[str, Any]


def scenario_fields(item: ParsedScenario, policy: Policy) -> Fields:
    """The columns of a scenario version (and its choices) a sync writes for ``item``."""
    return {
        "title": item.title,
        "category": item.category,
        "perspective": item.perspective,
        "difficulty": item.difficulty,
        "setting": item.setting,
        "clauses": list(item.clauses),
        "multiple": item.multiple,
        "draft": item.draft,
        "situation_html": render_content(item.situation, policy),
        "question_html": render_content(item.question, policy),
        "explanation_html": render_content(item.explanation, policy),
        "choices": [
            {
                "position": position,
                "text_html": render_content(choice.text, policy),
                "correct": choice.correct,
                "feedback_html": render_content(choice.feedback, policy),
            }
            for position, choice in enumerate(item.choices)
        ],
    }


def stored_scenario_fields(version: ScenarioVersion) -> Fields:
    return {
        "title": version.title,
        "category": version.category,
        "perspective": version.perspective,
        "difficulty": version.difficulty,
        "setting": version.setting,
        "clauses": list(version.clauses),
        "multiple": version.multiple,
        "draft": version.draft,
        "situation_html": version.situation_html,
        "question_html": version.question_html,
        "explanation_html": version.explanation_html,
        "choices": [
            {
                "position": c.position,
                "text_html": c.text_html,
                "correct": c.correct,
                "feedback_html": c.feedback_html,
            }
            for c in version.choices
        ],
    }


def exported_scenario(key: str, fields: Fields) -> ExportedScenario:
    """Scenario fields in the shape the Markdown writer takes."""
    return ExportedScenario(
        key=key,
        choices=[ExportedChoice(c["text_html"], c["correct"], c["feedback_html"]) for c in fields["choices"]],
        **{name: value for name, value in fields.items() if name != "choices"},
    )


def course_fields(item: ParsedCourse, policy: Policy) -> Fields:
    return {
        "title": item.title,
        "summary": item.summary,
        "audience": item.audience,
        "pass_mark": item.pass_mark,
        "quiz_rules": item.quiz.as_dict(),
        "completion": item.completion,
        "quiz_after_lessons": item.quiz_after_lessons,
        "review": item.review,
        "draft": item.draft,
        "intro_html": render_content(item.intro, policy),
        "lessons": [
            {"slug": lesson.slug, "title": lesson.title, "html": render_content(lesson.body, policy)}
            for lesson in item.lessons
        ],
    }


def stored_course_fields(version: CourseVersion) -> Fields:
    return {
        "title": version.title,
        "summary": version.summary,
        "audience": version.audience,
        "pass_mark": version.pass_mark,
        "quiz_rules": dict(version.quiz_rules),
        "completion": version.completion,
        "quiz_after_lessons": version.quiz_after_lessons,
        "review": version.review,
        "draft": version.draft,
        "intro_html": version.intro_html,
        "lessons": [{"slug": le.slug, "title": le.title, "html": le.html} for le in version.lessons],
    }


def selfcheck_fields(item: ParsedSelfCheck, policy: Policy) -> Fields:
    return {
        "title": item.title,
        "summary": item.summary,
        "intro_html": render_content(item.intro, policy),
        "scale": list(item.scale),
        "items": [[item_id, text] for item_id, text in item.items],
        "bands": [{"low": b.low, "high": b.high, "html": render_content(b.text, policy)} for b in item.bands],
    }


def stored_selfcheck_fields(version: SelfCheckVersion) -> Fields:
    return {
        "title": version.title,
        "summary": version.summary,
        "intro_html": version.intro_html,
        "scale": list(version.scale),
        "items": [list(pair) for pair in version.items],
        "bands": [dict(band) for band in version.bands],
    }


PUBLICATION_LOCK = 4_613_001  # PostgreSQL advisory lock key, the app's only one


def lock_publication() -> None:
    """Hold the content's publication lock until the transaction ends: publishes, rollbacks and
    syncs then run one after another, each seeing what the one before it made live. PostgreSQL
    only; SQLite has one writer at a time, and a write from a stale read meets the unique version
    numbers, which the callers turn into the same refusal."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PUBLICATION_LOCK})


def latest_versions(model, version_model) -> dict[str, Any]:
    """key -> the latest version of every item of a kind (retired ones included)."""
    rows = db.session.execute(
        select(model.key, version_model)
        .select_from(model)
        .join(version_model)
        .order_by(version_model.version)
    )
    return {key: version for key, version in rows}


@dataclass(frozen=True)
class Kind:
    """One kind of versioned content and where its versions live."""

    code: str
    label: str  # Japanese, as the audit trail stores it
    model: Any
    version_model: Any
    parent: str  # the version's foreign key column
    fields: Any  # version -> its comparable fields (content_versions)


KINDS = {
    "scenario": Kind(
        "scenario", "シナリオ", Scenario, ScenarioVersion, "scenario_id", stored_scenario_fields
    ),
    "course": Kind("course", "コース", Course, CourseVersion, "course_id", stored_course_fields),
    "selfcheck": Kind(
        "selfcheck", "セルフチェック", SelfCheck, SelfCheckVersion, "selfcheck_id", stored_selfcheck_fields
    ),
}
