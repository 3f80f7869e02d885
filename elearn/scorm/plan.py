"""The draw plan: the course's quiz rules and the whole eligible pool, drawn in the learner's browser.

The package's script draws by the same rules as the app (elearn/content/draw.py, ported to
static/elearn-scorm.js): fixed scenarios first, the minimums met greedily, the rest at random.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence
from typing import Any

from ..content import clause_anchor, draw, eligible
from .course import PackageCourse, PackageScenario
from .links import packaged_html

PLAN_FORMAT = 1


def plan_pool(course: PackageCourse, bank: Sequence[PackageScenario]) -> list[PackageScenario]:
    """The scenarios a draw can pick: eligible by the pool filters, or fixed; in the bank's order."""
    rules = course.quiz_rules
    fixed = set(rules.get("fixed") or [])
    return [s for s in bank if s.id in fixed or eligible(rules.get("pool") or {}, s)]


def check_drawable(course: PackageCourse, pool: Sequence[PackageScenario]) -> None:
    """Raise DrawError when no draw can meet the rules: a package must not ship an empty quiz.

    Drawn once, in one order: what makes a draw impossible (a fixed id not in the bank, too few
    eligible scenarios, minimums the pool cannot meet) fails it in any order, as in the app, where the
    same error stops every learner's quiz from starting.
    """
    rules = course.quiz_rules
    draw(
        rules["questions"],
        rules.get("pool") or {},
        rules.get("minimum") or {},
        rules.get("fixed") or [],
        pool,
        random.Random(0),
    )


def draw_plan(course: PackageCourse, bank: Sequence[PackageScenario]) -> dict[str, Any]:
    """The plan as JSON-able data, embedded in the launch page (DrawError if it cannot be drawn)."""
    pool = plan_pool(course, bank)
    check_drawable(course, pool)
    rules = course.quiz_rules
    slugs = [lesson.slug for lesson in course.lessons]
    return {
        "format": PLAN_FORMAT,
        "package": course.package_id,
        "title": course.title,
        "passMark": course.pass_mark,
        "review": course.review,
        "completion": course.completion,
        "quizAfterLessons": course.quiz_after_lessons,
        "lessons": slugs,
        "rules": {
            "questions": rules["questions"],
            "pool": rules.get("pool") or {},
            "minimum": rules.get("minimum") or {},
            "fixed": rules.get("fixed") or [],
            "maxAttempts": rules.get("max_attempts") or 0,
        },
        "pool": [_scenario(s, slugs) for s in pool],
    }


def _scenario(scenario: PackageScenario, slugs: Collection[str]) -> dict[str, Any]:
    return {
        "id": scenario.id,
        "category": scenario.category,
        "perspective": scenario.perspective,
        "clauses": list(scenario.clauses),
        "anchors": [clause_anchor(clause) for clause in scenario.clauses],
        "multiple": scenario.multiple,
        "title": scenario.title,
        "situation": packaged_html(scenario.situation_html, slugs),
        "question": packaged_html(scenario.question_html, slugs),
        "explanation": packaged_html(scenario.explanation_html, slugs),
        "choices": [
            {
                "html": packaged_html(c.html, slugs),
                "correct": c.correct,
                "feedback": packaged_html(c.feedback_html, slugs),
            }
            for c in scenario.choices
        ],
    }
