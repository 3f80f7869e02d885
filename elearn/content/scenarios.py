"""Parse scenario bank files: one ``## `` block per scenario."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from .documents import Choice, Scenario
from .frontmatter import Document, front_matter_end, source_lines
from .markdown_lines import Line, check_markdown, join, numbered, split_headings
from .problems import Problems
from .settings import ContentSettings
from .vocab import ANSWER_FORMATS, SCENARIO_STATES

SCENARIO_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
META_LINE = re.compile(r"^[-*]\s+([^:：]+)[:：]\s*(.*)$")
CHOICE_LINE = re.compile(r"^[-*]\s+\[([ xX])\]\s*(.*)$")
FEEDBACK_LINE = re.compile(r"^\s{2,}>\s?(.*)$")
CONTINUATION_LINE = re.compile(r"^\s{2,}(\S.*)$")
CLAUSE_SPLIT = re.compile(r"[,、，\s]+")


@dataclass(frozen=True)
class MetaField:
    """One ``- 項目: 値`` line of a scenario's settings."""

    key: str  # as written in the file
    name: str  # the Scenario attribute it fills
    vocabulary: Collection[str] | None = None  # the values allowed, when the field is a vocabulary
    required: bool = True


META_KEYS = ("ID", "分類", "視点", "難易度", "場面", "根拠", "形式", "状態")


def meta_fields(settings: ContentSettings) -> tuple[MetaField, ...]:
    """The settings lines of a scenario, the vocabularies as the content settings define them."""
    return (
        MetaField("ID", "id"),
        MetaField("分類", "category", settings.categories),
        MetaField("視点", "perspective", settings.perspectives),
        MetaField("難易度", "difficulty", settings.difficulties),
        MetaField("場面", "setting", settings.settings),
        MetaField("根拠", "clauses"),
        MetaField("形式", "answer_format", ANSWER_FORMATS, required=False),
        MetaField("状態", "state", SCENARIO_STATES, required=False),
    )


SECTIONS = {"状況": "situation", "問い": "question", "選択肢": "choices", "解説": "explanation"}


@dataclass
class ScenarioSource:
    """The source lines of one ``## `` block of a bank file, whether or not it parses."""

    title: str
    lines: list[Line]  # from the heading to the line before the next heading

    @property
    def first(self) -> int:
        return self.lines[0].number

    @property
    def last(self) -> int:
        return self.lines[-1].number


def scenario_sources(text: str) -> list[ScenarioSource]:
    """Split a bank file into its scenarios' source blocks, as the parser does.

    A broken front matter does not hide the scenarios: without a closed block the
    whole file is searched for headings.
    """
    lines = source_lines(text)
    end = front_matter_end(lines)
    start = 0 if end is None else end + 1
    _preamble, blocks = split_headings(numbered(lines[start:], start + 1), "## ")
    return [ScenarioSource(heading.text[3:].strip(), [heading, *body]) for heading, body in blocks]


def parse_scenario_bank(doc: Document, problems: Problems, settings: ContentSettings) -> list[Scenario]:
    lines = numbered(doc.body, doc.body_start)
    check_markdown(doc.path, lines, problems, settings.clause_ids())
    _preamble, blocks = split_headings(lines, "## ")
    if not blocks:
        problems.error(doc.path, doc.body_start, "シナリオがありません（「## 題名」で始めてください）")
    scenarios = []
    for heading, block in blocks:
        scenario = _parse_scenario(doc.path, heading, block, problems, settings)
        if scenario is not None:
            scenarios.append(scenario)
    return scenarios


def _parse_scenario(
    path: str, heading: Line, block: list[Line], problems: Problems, settings: ContentSettings
) -> Scenario | None:
    title = heading.text[3:].strip()
    if not title:
        problems.error(path, heading.number, "シナリオの題名がありません")
    meta_lines, sections = split_headings(block, "### ")
    meta = _parse_meta(path, heading, meta_lines, problems, settings)
    texts, section_lines = _read_sections(path, heading, sections, problems)
    choices_line = section_lines.get("選択肢", heading.number)
    choices = _parse_choices(path, choices_line, texts.get("選択肢", []), problems)
    if meta is None or len(texts) < len(SECTIONS) or choices is None:
        return None
    errors_before = problems.error_count
    select_all = _select_all(path, choices_line, meta["answer_format"], choices, problems)
    if problems.error_count > errors_before:
        return None
    return Scenario(
        id=meta["id"],
        title=title,
        category=meta["category"],
        perspective=meta["perspective"],
        difficulty=meta["difficulty"],
        setting=meta["setting"],
        clauses=meta["clauses"],
        select_all=select_all,
        situation=join(texts["状況"]),
        question=join(texts["問い"]),
        choices=choices,
        explanation=join(texts["解説"]),
        path=path,
        line=heading.number,
        draft=SCENARIO_STATES.get(meta["state"] or "公開", False),
    )


def _read_sections(
    path: str, heading: Line, sections: list[tuple[Line, list[Line]]], problems: Problems
) -> tuple[dict[str, list[Line]], dict[str, int]]:
    """The four ``### `` sections' lines by name, and the line of each heading."""
    texts: dict[str, list[Line]] = {}
    section_lines: dict[str, int] = {}
    for section_heading, body in sections:
        name = section_heading.text[4:].strip()
        if name not in SECTIONS:
            allowed = "、".join(SECTIONS)
            problems.error(
                path, section_heading.number, f"不明な小見出しです: {name}（使えるのは {allowed}）"
            )
        elif name in texts:
            problems.error(path, section_heading.number, f"小見出し「{name}」が重複しています")
        else:
            texts[name] = body
            section_lines[name] = section_heading.number
    for name in SECTIONS:
        if name not in texts:
            problems.error(path, heading.number, f"小見出し「### {name}」がありません")
        elif name != "選択肢" and not join(texts[name]).strip():
            problems.error(path, section_lines[name], f"「{name}」が空です")
    return texts, section_lines


def _select_all(
    path: str, line: int, answer_format: str | None, choices: list[Choice], problems: Problems
) -> bool | None:
    """What 形式 says (None when not written: then two or more correct choices make it select-all)."""
    if answer_format is None:
        return None
    select_all = ANSWER_FORMATS[answer_format] == "select-all"
    if not select_all and sum(c.correct for c in choices) > 1:
        problems.error(path, line, f"形式が{answer_format}なのに正解（- [x]）が二つ以上あります")
    return select_all


def _parse_meta(
    path: str, heading: Line, lines: list[Line], problems: Problems, settings: ContentSettings
) -> dict | None:
    errors_before = problems.error_count
    values, where = _read_meta_lines(path, lines, problems)
    fields = meta_fields(settings)
    for field in fields:
        value = values.get(field.key)
        if not value:
            if field.required:
                problems.error(path, heading.number, f"設定「{field.key}」がありません")
        elif field.vocabulary is not None and value not in field.vocabulary:
            allowed = "、".join(field.vocabulary)
            problems.error(path, where[field.key], f"不明な{field.key}です: {value}（使えるのは {allowed}）")
    if values.get("ID") and not SCENARIO_ID.match(values["ID"]):
        problems.error(path, where["ID"], f"ID は英小文字・数字・ハイフンで書いてください: {values['ID']}")
    known = set(settings.clause_ids())
    clauses = _parse_clauses(path, where.get("根拠", heading.number), values.get("根拠", ""), problems, known)
    if problems.error_count > errors_before:
        return None
    _check_clauses_cited(path, where["根拠"], values, clauses, problems, settings)
    meta = {field.name: values.get(field.key) for field in fields}
    return meta | {"clauses": clauses}


def _read_meta_lines(
    path: str, lines: list[Line], problems: Problems
) -> tuple[dict[str, str], dict[str, int]]:
    """The ``- 項目: 値`` lines as values and the line each was written on."""
    values: dict[str, str] = {}
    where: dict[str, int] = {}
    for line in lines:
        if not line.text.strip():
            continue
        match = META_LINE.match(line.text)
        if not match:
            problems.error(path, line.number, "設定は「- 項目: 値」の形で書いてください")
            continue
        key, value = match.group(1).strip(), match.group(2).strip()
        if key not in META_KEYS:
            problems.warning(path, line.number, f"不明な設定です: {key}（使えるのは {'、'.join(META_KEYS)}）")
        elif key in values:
            problems.error(path, line.number, f"設定「{key}」が重複しています")
        else:
            values[key], where[key] = value, line.number
    return values, where


def _parse_clauses(path: str, line: int, text: str, problems: Problems, known: set[str]) -> list[str]:
    clauses: list[str] = []
    for raw in CLAUSE_SPLIT.split(text):
        clause = raw.strip().strip("[]")
        if not clause:
            continue
        if clause not in known:
            problems.error(path, line, f"不明な条項です: {clause}")
        elif clause in clauses:
            problems.warning(path, line, f"条項 {clause} が重複しています")
        else:
            clauses.append(clause)
    return clauses


def _check_clauses_cited(
    path: str,
    line: int,
    values: dict[str, str],
    clauses: list[str],
    problems: Problems,
    settings: ContentSettings,
) -> None:
    """The clause of the scenario's category and of its perspective belong among its grounds."""
    category_clause = settings.categories[values["分類"]]
    if category_clause and category_clause not in clauses:
        problems.warning(path, line, f"分類「{values['分類']}」の条項 {category_clause} が根拠にありません")
    perspective_clause = settings.perspectives[values["視点"]].clause
    if perspective_clause and perspective_clause not in clauses:
        problems.warning(path, line, f"視点 {values['視点']} の条項 {perspective_clause} が根拠にありません")


def _parse_choices(
    path: str, section_line: int, lines: list[Line], problems: Problems
) -> list[Choice] | None:
    errors_before = problems.error_count
    choices: list[Choice] = []
    text_parts: list[list[str]] = []
    feedback_parts: list[list[str]] = []
    for line in lines:
        if not line.text.strip():
            continue
        choice = CHOICE_LINE.match(line.text)
        if choice:
            choices.append(Choice(text="", correct=choice.group(1) in "xX", line=line.number))
            text_parts.append([choice.group(2).strip()])
            feedback_parts.append([])
            continue
        feedback = FEEDBACK_LINE.match(line.text)
        continuation = CONTINUATION_LINE.match(line.text)
        if choices and feedback:
            feedback_parts[-1].append(feedback.group(1))
        elif choices and continuation:
            (feedback_parts[-1] if feedback_parts[-1] else text_parts[-1]).append(continuation.group(1))
        else:
            problems.error(path, line.number, "選択肢は「- [ ] 文」または「- [x] 文」の形で書いてください")
    for choice, text, feedback in zip(choices, text_parts, feedback_parts, strict=True):
        choice.text = "\n".join(text).strip()
        choice.feedback = "\n".join(feedback).strip()
        if not choice.text:
            problems.error(path, choice.line, "選択肢の文がありません")
        if not choice.feedback:
            problems.warning(path, choice.line, "選択肢にフィードバック（  > …）がありません")
    if len(choices) < 2:
        problems.error(path, section_line, "選択肢は二つ以上必要です")
        return None
    correct = sum(c.correct for c in choices)
    if correct == 0:
        problems.error(path, section_line, "正解の選択肢（- [x]）がありません")
        return None
    if correct == len(choices):
        problems.warning(path, section_line, "すべての選択肢が正解になっています")
    return choices if problems.error_count == errors_before else None
