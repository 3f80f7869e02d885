"""What a package is built from: a course version and scenario versions as plain data (HTML sanitised)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class PackageLesson:
    slug: str
    title: str
    html: str


@dataclass(frozen=True)
class PackageChoice:
    html: str
    correct: bool
    feedback_html: str = ""


@dataclass(frozen=True)
class PackageScenario:
    """A scenario version as the quiz shows it; also what the draw needs (id, category, …)."""

    id: str
    title: str
    category: str
    perspective: str
    clauses: tuple[str, ...]
    multiple: bool
    situation_html: str
    question_html: str
    explanation_html: str
    choices: tuple[PackageChoice, ...]


@dataclass(frozen=True)
class PackageCourse:
    """A synced course version and the rules that the package applies in the browser."""

    key: str
    version: int
    title: str
    summary: str
    intro_html: str
    pass_mark: int
    quiz_rules: dict[str, Any]
    lessons: tuple[PackageLesson, ...]
    created_at: datetime
    review: str = "after_pass"
    completion: str = "lessons_and_quiz"
    quiz_after_lessons: bool = True

    @property
    def package_id(self) -> str:
        """An XML ID (NCName) naming this course version: a letter first, no colon."""
        return f"elearn-{self.key}-v{self.version}"
