"""Stored content back to Markdown: the versions keep rendered HTML, not the text as written.

A version holds what learners see (sanitised HTML, the settings lines, the quiz rules); its
Markdown is rebuilt from that. The rebuilt text renders to the same HTML, but is normalised:
one bank file per scenario, every front matter key written out, Markdown spelled as markdownify
spells it (``**`` for bold, ``-`` for lists), clause references written ``[[id]]`` again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import yaml

# Rendered clause references (render._ClauseRefProcessor): the link with its tooltip, or the
# marker of an unknown one, which shows the reference as written.
_CLAUSE_LINK = re.compile(
    r'<a class="clause-ref" href="[^"]*"[^>]*>([^<]*)<span class="clause-tip" role="tooltip">.*?</span></a>',
    re.S,
)
_UNKNOWN_CLAUSE = re.compile(r'<span class="clause-ref unknown">(.*?)</span>', re.S)
# The converter treats a line break inside a paragraph and an ideographic space as any white space;
# the renderer keeps both, so they travel through the conversion as private-use characters.
_SOFT_BREAK, _WIDE_SPACE = "\ue000", "\ue001"
_BREAK_IN_TEXT = re.compile(r"(?<=[^>])\n(?=[^<])")
_BLANK_LINES = re.compile(r"\n{3,}")


def html_to_markdown(html: str) -> str:
    """Markdown that the renderer turns into ``html`` again (content/render.py)."""
    from .converter import CONVERTER  # markdownify (and BeautifulSoup) load with the first export

    if not html.strip():
        return ""
    html = _CLAUSE_LINK.sub(lambda m: f"[[{m.group(1)}]]", html)
    html = _UNKNOWN_CLAUSE.sub(lambda m: m.group(1), html)
    html = _BREAK_IN_TEXT.sub(_SOFT_BREAK, html).replace("\u3000", _WIDE_SPACE)
    text = CONVERTER.convert(html)
    lines = [line.rstrip() for line in text.replace(_SOFT_BREAK, "\n").split("\n")]
    text = _BLANK_LINES.sub("\n\n", "\n".join(lines).strip("\n"))
    return text.replace(_WIDE_SPACE, "\u3000")


def _lines_of(text: str) -> str:
    return text.strip("\n") + "\n"


def _front_matter(meta: dict) -> str:
    dumped = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, default_flow_style=None, width=10_000)
    return f"---\n{dumped}---\n"


@dataclass
class ExportedChoice:
    html: str
    correct: bool
    feedback_html: str


@dataclass
class ExportedScenario:
    """A stored scenario version's fields, as the sync wrote them."""

    key: str
    title: str
    category: str
    perspective: str
    difficulty: str
    setting: str
    clauses: list[str]
    multiple: bool
    situation_html: str
    question_html: str
    explanation_html: str
    choices: list[ExportedChoice] = field(default_factory=list)
    draft: bool = False


def scenario_markdown(s: ExportedScenario) -> str:
    """One scenario as a bank file's ``## `` block."""
    meta = [
        f"- ID: {s.key}",
        f"- 分類: {s.category}",
        f"- 視点: {s.perspective}",
        f"- 難易度: {s.difficulty}",
        f"- 場面: {s.setting}",
        f"- 根拠: {', '.join(s.clauses)}",
        # Written out: the parser's default (two correct choices or more) could differ from what was stored.
        f"- 形式: {'複数選択' if s.multiple else '択一'}",
        *(["- 状態: 下書き"] if s.draft else []),
    ]
    choices = []
    for choice in s.choices:
        mark = "x" if choice.correct else " "
        choices.append(f"- [{mark}] {_indented(html_to_markdown(choice.html))}")
        feedback = html_to_markdown(choice.feedback_html)
        choices += [f"  > {line}".rstrip() for line in feedback.split("\n")] if feedback else []
    parts = [
        f"## {s.title}\n\n" + "\n".join(meta),
        "### 状況\n\n" + html_to_markdown(s.situation_html),
        "### 問い\n\n" + html_to_markdown(s.question_html),
        "### 選択肢\n\n" + "\n".join(choices),
        "### 解説\n\n" + html_to_markdown(s.explanation_html),
    ]
    return "\n\n".join(parts) + "\n"


def _indented(text: str) -> str:
    return text.replace("\n", "\n  ")


def bank_markdown(title: str, scenarios: Iterable[ExportedScenario]) -> str:
    blocks = [scenario_markdown(s) for s in scenarios]
    return _front_matter({"kind": "scenarios", "title": title}) + "\n" + "\n".join(blocks)


def course_markdown(meta: dict, intro_html: str) -> str:
    """course.md: the front matter (every key written out) and the course's introduction."""
    return _front_matter(meta) + "\n" + _lines_of(html_to_markdown(intro_html))


def lesson_markdown(title: str, html: str) -> str:
    return _front_matter({"title": title}) + "\n" + _lines_of(html_to_markdown(html))


def _band_markdown(band: dict) -> str:
    return f"### {band['low']}-{band['high']}\n\n{html_to_markdown(band['html'])}"


def selfcheck_markdown(meta: dict, intro_html: str, items: list[list[str]], bands: list[dict]) -> str:
    parts = [
        html_to_markdown(intro_html),
        "## 項目\n\n" + "\n".join(f"- {item_id}: {text}" for item_id, text in items),
        "## 結果\n\n" + "\n\n".join(_band_markdown(band) for band in bands),
    ]
    return _front_matter({"kind": "self-check", **meta}) + "\n" + "\n\n".join(p for p in parts if p) + "\n"
