"""Parsed content documents as plain data: what a course, a lesson, a scenario is (before sync;
the stored versions are elearn.models.content)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any


def content_hash(payload: Any) -> str:
    """A stable hash of a JSON-able value; equal content gives an equal hash."""
    data = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


@dataclass
class Choice:
    text: str
    correct: bool
    feedback: str = ""
    line: int = 0


@dataclass
class Scenario:
    id: str
    title: str
    category: str
    perspective: str
    difficulty: str
    setting: str
    clauses: list[str]
    situation: str
    question: str
    choices: list[Choice]
    explanation: str
    path: str = ""
    line: int = 0
    # 形式 as written: True for 複数選択, False for 択一, None when not written.
    select_all: bool | None = None
    # 状態: 下書き — previewed and tried by trainers, never drawn for learners.
    draft: bool = False

    @property
    def multiple(self) -> bool:
        """A select-all question: declared so, or with two or more correct choices."""
        if self.select_all is not None:
            return self.select_all
        return sum(c.correct for c in self.choices) > 1

    def hash(self) -> str:
        data = asdict(self)
        data.pop("path")
        data.pop("line")
        if data["select_all"] is None:
            data.pop("select_all")  # scenarios written before 形式 existed keep their hash
        if not data["draft"]:
            data.pop("draft")  # published scenarios keep the hash they had before drafts existed
        for choice in data["choices"]:
            choice.pop("line")
        return content_hash(data)


@dataclass
class QuizRules:
    questions: int
    pool: dict[str, list[str]] = field(default_factory=dict)  # perspectives/categories/clauses
    minimum: dict[str, dict[str, int]] = field(default_factory=dict)  # perspective/category/clause
    fixed: list[str] = field(default_factory=list)
    max_attempts: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Lesson:
    slug: str
    title: str
    body: str
    path: str = ""
    body_line: int = 1


@dataclass
class Course:
    id: str
    title: str
    summary: str
    audience: str
    pass_mark: int
    quiz: QuizRules
    intro: str
    lessons: list[Lesson]
    completion: str = "lessons_and_quiz"
    quiz_after_lessons: bool = True
    review: str = "after_pass"
    draft: bool = False  # status: draft — shown only to trainers, in preview and trial mode
    path: str = ""
    quiz_line: int = 1  # where the draw rules are written, for the checker's messages

    def hash(self) -> str:
        # A published course keeps the hash it had before drafts existed; publishing a draft changes it.
        return content_hash(
            ({"draft": True} if self.draft else {})
            | {
                "id": self.id,
                "title": self.title,
                "summary": self.summary,
                "audience": self.audience,
                "pass_mark": self.pass_mark,
                "quiz": self.quiz.as_dict(),
                "completion": self.completion,
                "quiz_after_lessons": self.quiz_after_lessons,
                "review": self.review,
                "intro": self.intro,
                "lessons": [(le.slug, le.title, le.body) for le in self.lessons],
            }
        )


@dataclass
class Band:
    low: int
    high: int
    text: str


@dataclass
class SelfCheck:
    id: str
    title: str
    summary: str
    scale: list[str]
    intro: str
    items: list[tuple[str, str]]
    bands: list[Band]
    path: str = ""

    @property
    def max_score(self) -> int:
        return (len(self.scale) - 1) * len(self.items)

    def band_for(self, score: int) -> Band | None:
        return next((b for b in self.bands if b.low <= score <= b.high), None)

    def hash(self) -> str:
        data = asdict(self)
        data.pop("path")
        return content_hash(data)


@dataclass
class ContentSet:
    """Everything loaded from a content tree."""

    courses: list[Course] = field(default_factory=list)
    scenarios: list[Scenario] = field(default_factory=list)
    selfchecks: list[SelfCheck] = field(default_factory=list)

    def scenario_index(self) -> dict[str, Scenario]:
        return {s.id: s for s in self.scenarios}
