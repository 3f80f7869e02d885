"""Parse scenario bank files: one ``## `` block per scenario."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .documents import Choice, Scenario
from .frontmatter import Document, front_matter_end, source_lines
from .markdown_lines import Line, check_clause_refs, join, numbered, split_headings
from .policy import clause_ids
from .problems import Problems
from .vocab import CATEGORIES, DIFFICULTIES, PERSPECTIVES, SETTINGS

SCENARIO_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
META_LINE = re.compile(r"^[-*]\s+([^:：]+)[:：]\s*(.*)$")
CHOICE_LINE = re.compile(r"^[-*]\s+\[([ xX])\]\s*(.*)$")
FEEDBACK_LINE = re.compile(r"^\s{2,}>\s?(.*)$")
CONTINUATION_LINE = re.compile(r"^\s{2,}(\S.*)$")
CLAUSE_SPLIT = re.compile(r"[,、，\s]+")

META_KEYS = {
    "ID": "id",
    "分類": "category",
    "視点": "perspective",
    "難易度": "difficulty",
    "場面": "setting",
    "根拠": "clauses",
}
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


def parse_scenario_bank(doc: Document, problems: Problems) -> list[Scenario]:
    lines = numbered(doc.body, doc.body_start)
    check_clause_refs(doc.path, lines, problems)
    _preamble, blocks = split_headings(lines, "## ")
    if not blocks:
        problems.error(doc.path, doc.body_start, "シナリオがありません（「## 題名」で始めてください）")
    scenarios = []
    for heading, block in blocks:
        scenario = _parse_scenario(doc.path, heading, block, problems)
        if scenario is not None:
            scenarios.append(scenario)
    return scenarios


def _parse_scenario(path: str, heading: Line, block: list[Line], problems: Problems) -> Scenario | None:
    title = heading.text[3:].strip()
    if not title:
        problems.error(path, heading.number, "シナリオの題名がありません")
    meta_lines, sections = split_headings(block, "### ")
    meta = _parse_meta(path, heading, meta_lines, problems)
    texts: dict[str, list[Line]] = {}
    section_lines: dict[str, int] = {}
    for section_heading, body in sections:
        name = section_heading.text[4:].strip()
        if name not in SECTIONS:
            problems.error(
                path,
                section_heading.number,
                f"不明な小見出しです: {name}（使えるのは {'、'.join(SECTIONS)}）",
            )
            continue
        if name in texts:
            problems.error(path, section_heading.number, f"小見出し「{name}」が重複しています")
            continue
        texts[name] = body
        section_lines[name] = section_heading.number
    for name in SECTIONS:
        if name not in texts:
            problems.error(path, heading.number, f"小見出し「### {name}」がありません")
        elif name != "選択肢" and not join(texts[name]).strip():
            problems.error(path, section_lines[name], f"「{name}」が空です")
    choices = _parse_choices(
        path, section_lines.get("選択肢", heading.number), texts.get("選択肢", []), problems
    )
    if meta is None or len(texts) < len(SECTIONS) or choices is None:
        return None
    return Scenario(
        id=meta["id"],
        title=title,
        category=meta["category"],
        perspective=meta["perspective"],
        difficulty=meta["difficulty"],
        setting=meta["setting"],
        clauses=meta["clauses"],
        situation=join(texts["状況"]),
        question=join(texts["問い"]),
        choices=choices,
        explanation=join(texts["解説"]),
        path=path,
        line=heading.number,
    )


def _parse_meta(path: str, heading: Line, lines: list[Line], problems: Problems) -> dict | None:
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
            continue
        if key in values:
            problems.error(path, line.number, f"設定「{key}」が重複しています")
            continue
        values[key], where[key] = value, line.number

    ok = True
    for key in META_KEYS:
        if not values.get(key):
            problems.error(path, heading.number, f"設定「{key}」がありません")
            ok = False

    def invalid(key: str, message: str) -> None:
        nonlocal ok
        problems.error(path, where[key], message)
        ok = False

    if values.get("ID") and not SCENARIO_ID.match(values["ID"]):
        invalid("ID", f"ID は英小文字・数字・ハイフンで書いてください: {values['ID']}")
    if values.get("分類") and values["分類"] not in CATEGORIES:
        invalid("分類", f"不明な分類です: {values['分類']}（使えるのは {'、'.join(CATEGORIES)}）")
    if values.get("視点") and values["視点"] not in PERSPECTIVES:
        invalid("視点", f"不明な視点です: {values['視点']}（使えるのは {', '.join(PERSPECTIVES)}）")
    if values.get("難易度") and values["難易度"] not in DIFFICULTIES:
        invalid("難易度", f"不明な難易度です: {values['難易度']}（使えるのは {'、'.join(DIFFICULTIES)}）")
    if values.get("場面") and values["場面"] not in SETTINGS:
        invalid("場面", f"不明な場面です: {values['場面']}（使えるのは {'、'.join(SETTINGS)}）")
    clauses: list[str] = []
    if values.get("根拠"):
        known = set(clause_ids())
        for raw in CLAUSE_SPLIT.split(values["根拠"]):
            clause = raw.strip().strip("[]")
            if not clause:
                continue
            if clause not in known:
                invalid("根拠", f"不明な条項です: {clause}")
            elif clause in clauses:
                problems.warning(path, where["根拠"], f"条項 {clause} が重複しています")
            else:
                clauses.append(clause)
    if not ok:
        return None

    category_clause = CATEGORIES[values["分類"]]
    if category_clause and category_clause not in clauses:
        problems.warning(
            path, where["根拠"], f"分類「{values['分類']}」の条項 {category_clause} が根拠にありません"
        )
    expected = {"staff-as-harasser": "第4-3", "legitimate-complaint": "第5"}.get(values["視点"])
    if expected and expected not in clauses:
        problems.warning(path, where["根拠"], f"視点 {values['視点']} の条項 {expected} が根拠にありません")
    return {
        "id": values["ID"],
        "category": values["分類"],
        "perspective": values["視点"],
        "difficulty": values["難易度"],
        "setting": values["場面"],
        "clauses": clauses,
    }


def _parse_choices(
    path: str, section_line: int, lines: list[Line], problems: Problems
) -> list[Choice] | None:
    choices: list[Choice] = []
    text_parts: list[list[str]] = []
    feedback_parts: list[list[str]] = []
    ok = True
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
            ok = False
    for choice, text, feedback in zip(choices, text_parts, feedback_parts, strict=True):
        choice.text = "\n".join(text).strip()
        choice.feedback = "\n".join(feedback).strip()
        if not choice.text:
            problems.error(path, choice.line, "選択肢の文がありません")
            ok = False
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
    return choices if ok else None
