"""Parsed content rendered to HTML as learners see it, shaped like the stored versions.

The shared templates (templates/content/scenario.html) take either these or the synced
ScenarioVersion rows; the HTML comes from ``render_content``, as sync stores it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..content import Policy, Scenario, SelfCheck, render_content


@dataclass(frozen=True)
class RenderedChoice:
    id: int
    text_html: str
    correct: bool
    feedback_html: str


@dataclass(frozen=True)
class RenderedScenario:
    """A parsed scenario rendered to HTML, with the attributes of a stored ScenarioVersion."""

    key: str
    title: str
    category: str
    perspective: str
    difficulty: str
    setting: str
    clauses: tuple[str, ...]
    multiple: bool
    situation_html: str
    question_html: str
    explanation_html: str
    choices: tuple[RenderedChoice, ...]
    draft: bool = False  # 状態: 下書き

    @classmethod
    def of(cls, scenario: Scenario, policy: Policy | None = None) -> RenderedScenario:
        def render(text: str) -> str:
            return render_content(text, policy)

        return cls(
            key=scenario.id,
            title=scenario.title,
            category=scenario.category,
            perspective=scenario.perspective,
            difficulty=scenario.difficulty,
            setting=scenario.setting,
            clauses=tuple(scenario.clauses),
            multiple=scenario.multiple,
            situation_html=render(scenario.situation),
            question_html=render(scenario.question),
            explanation_html=render(scenario.explanation),
            choices=tuple(
                RenderedChoice(i, render(c.text), c.correct, render(c.feedback))
                for i, c in enumerate(scenario.choices)
            ),
            draft=scenario.draft,
        )


@dataclass(frozen=True)
class RenderedSelfCheck:
    title: str
    summary: str
    scale: tuple[str, ...]
    intro_html: str
    items: tuple[tuple[str, str], ...]  # (item id, statement)
    bands: tuple[tuple[int, int, str], ...]  # (lowest score, highest score, HTML)

    @classmethod
    def of(cls, selfcheck: SelfCheck, policy: Policy | None = None) -> RenderedSelfCheck:
        return cls(
            title=selfcheck.title,
            summary=selfcheck.summary,
            scale=tuple(selfcheck.scale),
            intro_html=render_content(selfcheck.intro, policy),
            items=tuple(selfcheck.items),
            bands=tuple((b.low, b.high, render_content(b.text, policy)) for b in selfcheck.bands),
        )
