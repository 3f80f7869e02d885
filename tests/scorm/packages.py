"""Packages built straight from the content in the repository (no database): parsed, rendered as sync does."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from functools import cache

from elearn.config import PROJECT_ROOT
from elearn.content import ContentSet, default_settings, load_tree, render_content
from elearn.scorm import PackageChoice, PackageCourse, PackageLesson, PackageScenario, package_files

COURSE = "kihon-houshin"


@cache
def content() -> ContentSet:
    result = load_tree(PROJECT_ROOT)
    assert not result.problems.errors
    return result.content


def package_course(key: str = COURSE, **changes) -> PackageCourse:
    course = next(c for c in content().courses if c.id == key)
    built = PackageCourse(
        key=course.id,
        version=1,
        title=course.title,
        summary=course.summary,
        intro_html=render_content(course.intro),
        pass_mark=course.pass_mark,
        quiz_rules=course.quiz.as_dict(),
        lessons=tuple(PackageLesson(le.slug, le.title, render_content(le.body)) for le in course.lessons),
        created_at=datetime(2026, 4, 1, tzinfo=UTC),
        review=course.review,
        completion=course.completion,
        quiz_after_lessons=course.quiz_after_lessons,
    )
    return replace(built, **changes)


@cache
def bank() -> tuple[PackageScenario, ...]:
    return tuple(
        PackageScenario(
            id=s.id,
            title=s.title,
            category=s.category,
            perspective=s.perspective,
            clauses=tuple(s.clauses),
            multiple=s.multiple,
            situation_html=render_content(s.situation),
            question_html=render_content(s.question),
            explanation_html=render_content(s.explanation),
            choices=tuple(
                PackageChoice(render_content(c.text), c.correct, render_content(c.feedback))
                for c in s.choices
            ),
        )
        for s in sorted(content().scenarios, key=lambda s: s.id)
    )


def files(course: PackageCourse | None = None) -> dict[str, bytes]:
    return package_files(course or package_course(), bank(), default_settings().policy)
