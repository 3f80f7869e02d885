"""The policy text as clauses with stable identifiers and anchors.

The text is content: a Markdown file in ``policy/`` under the content root, named in
settings.yml. The format (docs/authoring.md「自分の自治体の基本方針で使う」) covers the shapes
municipal policies take:

- ``# `` the title, once; lines before the first ``## `` are shown under it (date, issuer).
- ``## 前文`` and ``## 附則``: one clause each (前文, 附則).
- ``## 第7 雑則``: a numbered section; its own text is clause 第7, and within it
  ``### 第7-2`` / ``### 第7(2)`` headings, or paragraphs starting ``2 `` / ``(2)``, are its items
  (第7-2, 第7(2)).
- ``## 第1章 総則``: a chapter heading; it groups articles and is no clause itself.
- ``## 第3条（定義）`` or ``### 第3条（定義）``, also 枝番 ``第3条の2``: an article. Its first paragraph
  is 第3条第1項, a paragraph starting ``2 `` is 第3条第2項, and an item line ``(1) …`` (or ``一 …``)
  is a 号: 第3条第1号 in an article of one paragraph, 第3条第2項第1号 in a paragraph of several.

Numbers may be written in full-width or kanji (第十二条); identifiers use ASCII digits.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field
from functools import cache, cached_property
from typing import Any

from .problems import Problems

_KANJI_DIGITS = {"〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_KANJI_UNITS = {"十": 10, "百": 100}
_NUMBER = r"[0-9〇一二三四五六七八九十百]+"
_ARTICLE = re.compile(rf"^第({_NUMBER})条(?:の({_NUMBER}))?(?=$|[\s（(])")
_CHAPTER = re.compile(rf"^第{_NUMBER}[章節](?=$|[\s　])")
_SECTION = re.compile(rf"^第({_NUMBER})(?=$|[\s　])")
_ITEM_HEADING = re.compile(r"^第(\d+)(?:-(\d+)|\((\d+)\))(?=$|\s)")
_PARAGRAPH_NUMBER = re.compile(r"^([0-9]+)[ \u3000]+(?=\S)")
_SUBITEM = re.compile(r"^[(（]([0-9]+)[)）][ \u3000]*(?=\S)|^([〇一二三四五六七八九十]+)[ \u3000]+(?=\S)")
_FENCE = re.compile(r"^\s*(```|~~~)")
HEADING_HELP = "「## 第1 定義」「### 第2-1」「### 第3条（定義）」「## 第1章 総則」「## 前文」「## 附則」"
FORMS = f"（見出しは {HEADING_HELP} の形で書いてください）"


def _number(text: str) -> int:
    """A number as written in a policy: ASCII, full-width or kanji (十二, 二十一, 百)."""
    text = unicodedata.normalize("NFKC", text)
    if text.isdigit():
        return int(text)
    total, digit = 0, 0
    for char in text:
        if char in _KANJI_UNITS:
            total += (digit or 1) * _KANJI_UNITS[char]
            digit = 0
        else:
            digit = digit * 10 + _KANJI_DIGITS[char]
    return total + digit


# The date line under the title, e.g. 「令和7年12月」.
_ISSUED = re.compile(r"^令和(元|\d+)年(\d+)月")
REIWA_START = 2019


@dataclass(frozen=True)
class Clause:
    id: str
    section: str
    text: str  # the whole clause, as a reference's tooltip shows it
    heading: str = ""  # shown above it on the policy page; "" when the section heading names it
    line: int = 0
    own: str | None = None  # the part shown at its place on the page, when its text is its parts'
    level: int = 0  # 0 a section's clause or an article, 1 an item or 項, 2 a 号

    @property
    def anchor(self) -> str:
        return clause_anchor(self.id)

    @property
    def page_text(self) -> str:
        return self.text if self.own is None else self.own


@dataclass(frozen=True)
class Policy:
    title: str
    preface: str
    clauses: tuple[Clause, ...]

    @property
    def fiscal_year(self) -> int | None:
        """The fiscal year (April to March) the policy was issued in, from its date line."""
        for line in self.preface.splitlines():
            match = _ISSUED.match(line.strip())
            if match:
                era_year = 1 if match.group(1) == "元" else int(match.group(1))
                year, month = REIWA_START + era_year - 1, int(match.group(2))
                return year if month >= 4 else year - 1
        return None

    def get(self, clause_id: str) -> Clause | None:
        return self._index.get(clause_id)

    def by_id(self) -> dict[str, Clause]:
        return dict(self._index)

    @cached_property
    def _index(self) -> dict[str, Clause]:
        # Looked up for every clause reference rendered; built once per policy.
        return {c.id: c for c in self.clauses}

    def sections(self) -> list[tuple[str, list[Clause]]]:
        """Clauses grouped by section heading, in the policy's order."""
        grouped: dict[str, list[Clause]] = {}
        for clause in self.clauses:
            grouped.setdefault(clause.section, []).append(clause)
        return list(grouped.items())


def policy_data(policy: Policy) -> dict[str, Any]:
    """The parsed policy as JSON-able data, to store a version of it."""
    return {"title": policy.title, "preface": policy.preface, "clauses": [asdict(c) for c in policy.clauses]}


def policy_from_data(data: dict[str, Any]) -> Policy:
    """A policy stored by ``policy_data``."""
    return Policy(data["title"], data["preface"], tuple(Clause(**c) for c in data["clauses"]))


_ARTICLE_ANCHOR = re.compile(r"^第(\d+)条(?:の(\d+))?(?:第(\d+)項)?(?:第(\d+)号)?$")


@cache
def clause_anchor(clause_id: str) -> str:
    """An ASCII fragment id, stable for a clause id.

    前文 -> clause-preamble, 附則 -> clause-supplement, 第7(1) -> clause-7-1, 第7-3 -> clause-7-3,
    第3条 -> clause-3, 第3条第2項 -> clause-3-2, 第3条第1号 -> clause-3-n1, 第3条の2 -> clause-3-a2.
    """
    if clause_id == "前文":
        return "clause-preamble"
    if clause_id == "附則":
        return "clause-supplement"
    if match := _ARTICLE_ANCHOR.match(clause_id):
        article, branch, paragraph, item = match.groups()
        parts = [article, branch and f"a{branch}", paragraph, item and f"n{item}"]
        return "clause-" + "-".join(p for p in parts if p)
    return "clause-" + (re.sub(r"[^0-9]+", "-", clause_id).strip("-") or "x")


@dataclass
class _Paragraph:
    line: int
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines).strip()


@dataclass
class _Block:
    """The text under one heading, until the next: what it is decides how its paragraphs are read."""

    kind: str  # "plain", "section", "article", "none" (a heading without a clause), "unread"
    clause_id: str
    heading: str
    line: int
    show_heading: bool = True
    paragraphs: list[_Paragraph] = field(default_factory=list)


class _Parser:
    def __init__(self, path: str, problems: Problems) -> None:
        self.path = path
        self.problems = problems
        self.title = ""
        self.preface: list[str] = []
        self.clauses: list[Clause] = []
        self.first_line: dict[str, int] = {}
        self.anchors: dict[str, str] = {}  # anchor -> the clause that has it
        self.section = ""
        self.block: _Block | None = None

    def error(self, line: int, message: str) -> None:
        self.problems.error(self.path, line, message)

    def parse(self, text: str) -> Policy:
        fenced = False
        lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
        for number, line in enumerate(lines, start=1):
            if _FENCE.match(line):
                fenced = not fenced
            if not fenced and line.startswith("#"):
                self.heading(number, line)
            else:
                self.text_line(number, line)
        self.flush()
        if not self.title:
            self.error(1, "基本方針の題名（「# 」で始まる行）がありません")
        if not self.clauses:
            self.error(1, f"条項がありません{FORMS}")
        return Policy(self.title, "\n".join(self.preface).strip(), tuple(self.clauses))

    def heading(self, number: int, line: str) -> None:
        marks, _, rest = line.partition(" ")
        heading = rest.strip()
        if marks == "#" and heading:
            self.flush()
            if self.title:
                self.error(number, "題名（「# 」の行）は一つにしてください")
            self.title = heading
        elif marks == "##" and heading:
            self.flush()
            self.section = heading
            self.block = self.section_block(number, heading)
        elif marks == "###" and heading:
            self.flush()
            self.block = self.item_block(number, heading)
        else:
            self.error(number, f"見出しを読み取れません: {line.strip()}{FORMS}")

    def section_block(self, number: int, heading: str) -> _Block:
        first = heading.split()[0]
        if first in ("前文", "附則"):
            return _Block("plain", first, heading, number, show_heading=False)
        if _ARTICLE.match(heading):
            return self.article_block(number, heading)
        if _CHAPTER.match(heading):
            return _Block("none", "", heading, number)
        if match := _SECTION.match(heading):
            return _Block("section", f"第{_number(match.group(1))}", heading, number, show_heading=False)
        return _Block("none", "", heading, number)

    def item_block(self, number: int, heading: str) -> _Block:
        if _ARTICLE.match(heading):
            return self.article_block(number, heading)
        normalised = unicodedata.normalize("NFKC", heading)
        if match := _ITEM_HEADING.match(normalised):
            return _Block("plain", match.group(0), heading, number)
        self.error(number, f"条項の見出しを読み取れません: {heading}{FORMS}")
        return _Block("unread", "", heading, number)  # its text is not reported again

    def article_block(self, number: int, heading: str) -> _Block:
        match = _ARTICLE.match(heading)
        assert match is not None
        branch = f"の{_number(match.group(2))}" if match.group(2) else ""
        article = f"第{_number(match.group(1))}条{branch}"
        return _Block("article", article, heading, number)

    def text_line(self, number: int, line: str) -> None:
        if self.block is None:
            if not self.title and line.strip():
                self.error(number, "基本方針は題名（「# 」で始まる行）から書いてください")
            self.preface.append(line)
            return
        paragraphs = self.block.paragraphs
        if not line.strip():
            if paragraphs and paragraphs[-1].lines:
                paragraphs.append(_Paragraph(number + 1))
            return
        if not paragraphs:
            paragraphs.append(_Paragraph(number))
        if not paragraphs[-1].lines:
            paragraphs[-1].line = number
        paragraphs[-1].lines.append(line)

    def add(self, clause: Clause) -> None:
        if clause.id in self.first_line:
            first = self.first_line[clause.id]
            self.error(clause.line, f"条項 {clause.id} が重複しています（最初は {first} 行目）")
            return
        if clause.anchor in self.anchors:
            other, anchor = self.anchors[clause.anchor], clause.anchor
            self.error(clause.line, f"条項 {clause.id} と {other} は同じリンク先（#{anchor}）になります")
            return
        self.first_line[clause.id] = clause.line
        self.anchors[clause.anchor] = clause.id
        self.clauses.append(clause)

    def flush(self) -> None:
        block, self.block = self.block, None
        if block is None or block.kind == "unread":
            return
        paragraphs = [p for p in block.paragraphs if p.lines]
        if block.kind == "none":
            if paragraphs:
                self.error(
                    paragraphs[0].line,
                    f"見出し「{block.heading}」の下の文に条項番号がありません{FORMS}",
                )
        elif block.kind == "article":
            self.flush_article(block, paragraphs)
        elif block.kind == "section":
            self.flush_section(block, paragraphs)
        elif not paragraphs:
            self.error(block.line, f"{block.clause_id} に本文がありません")
        else:
            text = "\n\n".join(p.text for p in paragraphs)
            heading = block.heading if block.show_heading else ""
            level = 1 if heading else 0
            self.add(Clause(block.clause_id, self.section, text, heading, block.line, level=level))

    def flush_section(self, block: _Block, paragraphs: list[_Paragraph]) -> None:
        """A numbered section: its own text, then items written as ``1 …`` or ``(1) …`` paragraphs."""
        own: list[_Paragraph] = []
        items: list[tuple[str, _Paragraph, str]] = []
        for paragraph in paragraphs:
            first = unicodedata.normalize("NFKC", paragraph.lines[0])
            if match := _PARAGRAPH_NUMBER.match(first):
                items.append((f"{block.clause_id}-{int(match.group(1))}", paragraph, match.group(1)))
            elif (match := _SUBITEM.match(first)) and match.group(1):
                items.append((f"{block.clause_id}({int(match.group(1))})", paragraph, match.group(1)))
            elif items:
                items[-1][1].lines.extend(["", *paragraph.lines])
            else:
                own.append(paragraph)
        if own:
            text = "\n\n".join(p.text for p in own)
            self.add(Clause(block.clause_id, self.section, text, "", own[0].line))
        for clause_id, paragraph, _number_text in items:
            self.add(Clause(clause_id, self.section, paragraph.text, clause_id, paragraph.line, level=1))

    def flush_article(self, block: _Block, paragraphs: list[_Paragraph]) -> None:
        """An article: 項 by paragraph number, 号 by item lines within a 項."""
        if not paragraphs:
            self.error(block.line, f"{block.clause_id} に本文がありません")
            return
        kou = self.split_paragraphs(block, paragraphs)
        whole = "\n\n".join("\n".join(lines) for _, _, lines in kou).strip()
        self.add(Clause(block.clause_id, self.section, whole, block.heading, block.line, own=""))
        for number, line, lines in kou:
            kou_id = f"{block.clause_id}第{number}項"
            lead, items = self.split_items(kou_id, line, lines)
            text = "\n".join(lines).strip()
            own = "\n".join(lead).strip() if items else None
            self.add(Clause(kou_id, self.section, text, "", line, own=own, level=1))
            prefix = kou_id if len(kou) > 1 else block.clause_id
            for item_number, item_line, item_lines in items:
                item_id = f"{prefix}第{item_number}号"
                self.add(Clause(item_id, self.section, "\n".join(item_lines).strip(), "", item_line, level=2))

    def split_paragraphs(
        self, block: _Block, paragraphs: list[_Paragraph]
    ) -> list[tuple[int, int, list[str]]]:
        """(項 number, line, lines): the first paragraph is 第1項; ``2 …`` starts 第2項."""
        kou: list[tuple[int, int, list[str]]] = []
        for paragraph in paragraphs:
            match = _PARAGRAPH_NUMBER.match(unicodedata.normalize("NFKC", paragraph.lines[0]))
            if match and kou:
                number = int(match.group(1))
                if number != len(kou) + 1:
                    self.error(
                        paragraph.line,
                        f"{block.clause_id} の項の番号が続いていません: {number}（{len(kou) + 1} のはず）",
                    )
                kou.append((len(kou) + 1, paragraph.line, list(paragraph.lines)))
            elif kou:
                kou[-1][2].extend(["", *paragraph.lines])
            else:
                kou.append((1, paragraph.line, list(paragraph.lines)))
        return kou

    def split_items(
        self, kou_id: str, line: int, lines: list[str]
    ) -> tuple[list[str], list[tuple[int, int, list[str]]]]:
        """A 項's lead text and its 号 (number, line, lines), each 号 starting at an item line."""
        lead: list[str] = []
        items: list[tuple[int, int, list[str]]] = []
        for offset, text in enumerate(lines):
            match = _SUBITEM.match(unicodedata.normalize("NFKC", text))
            if match:
                number = _number(match.group(1) or match.group(2))
                if number != len(items) + 1:
                    self.error(
                        line + offset,
                        f"{kou_id} の号の番号が続いていません: {number}（{len(items) + 1} のはず）",
                    )
                items.append((len(items) + 1, line + offset, [text]))
            elif items and text.strip():
                items[-1][2].append(text)
            elif not items:
                lead.append(text)
        return lead, items


def parse_policy(text: str, path: str = "policy.md", problems: Problems | None = None) -> Policy:
    """Parse the policy's Markdown; each problem found is recorded as ``path:line``."""
    return _Parser(path, problems if problems is not None else Problems()).parse(text)
