"""Parse a self-check file: rated statements and result bands, no pass or fail."""

from __future__ import annotations

import re

from .documents import Band, SelfCheck
from .frontmatter import Document
from .markdown_lines import Line, check_markdown, join, numbered, split_headings
from .problems import Problems
from .settings import ContentSettings

ITEM_LINE = re.compile(r"^[-*]\s+([a-z0-9][a-z0-9-]*)\s*[:：]\s*(.+)$")
# Bounded so that int() never meets a number too long to convert.
BAND_HEADING = re.compile(r"^###\s+(\d{1,9})\s*[-〜~]\s*(\d{1,9})\s*$")
SELFCHECK_KEYS = {"kind", "id", "title", "summary", "scale"}


def parse_selfcheck(doc: Document, problems: Problems, settings: ContentSettings) -> SelfCheck | None:
    path = doc.path
    errors_before = problems.error_count
    scale = _check_selfcheck_meta(doc, problems)
    lines = numbered(doc.body, doc.body_start)
    check_markdown(path, lines, problems, settings.clause_ids())
    intro, sections = split_headings(lines, "## ")
    found = {heading.text[3:].strip(): (heading, body) for heading, body in sections}
    items = _parse_items(path, doc.body_start, found.get("項目"), problems)
    bands = _parse_bands(path, doc.body_start, found.get("結果"), problems)
    if scale and items and "結果" in found:
        _check_bands(path, found["結果"][0].number, bands, (len(scale) - 1) * len(items), problems)
    if problems.error_count > errors_before:
        return None
    return SelfCheck(
        id=doc.meta["id"],
        title=doc.meta["title"].strip(),
        summary=doc.meta["summary"].strip(),
        scale=list(scale),
        intro=join(intro),
        items=items,
        bands=bands,
        path=path,
    )


def _check_selfcheck_meta(doc: Document, problems: Problems) -> list[str]:
    """Check the front matter; return the answer scale (empty when it is not usable)."""
    path, meta = doc.path, doc.meta
    for key in meta:
        if key not in SELFCHECK_KEYS:
            problems.warning(path, doc.line_of(key), f"不明な項目です: {key}")
    if not isinstance(meta.get("id"), str) or not re.match(r"^[a-z0-9][a-z0-9-]*$", meta["id"]):
        problems.error(path, doc.line_of("id"), "id は英小文字・数字・ハイフンで書いてください")
    for key in ("title", "summary"):
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            problems.error(path, doc.line_of(key), f"{key} がありません")
    scale = meta.get("scale")
    if not isinstance(scale, list) or len(scale) < 2 or not all(isinstance(s, str) for s in scale):
        problems.error(
            path, doc.line_of("scale"), "scale は二つ以上の段階の一覧（[a, b, c]）で書いてください"
        )
        return []
    return scale


Section = tuple[Line, list[Line]]  # a heading and the lines under it


def _parse_items(
    path: str, body_start: int, section: Section | None, problems: Problems
) -> list[tuple[str, str]]:
    """The ``## 項目`` list: ``- 項目ID: 文`` lines, ids unique."""
    if section is None:
        problems.error(path, body_start, "「## 項目」がありません")
        return []
    heading, lines = section
    items: list[tuple[str, str]] = []
    seen: set[str] = set()
    for line in lines:
        if not line.text.strip():
            continue
        match = ITEM_LINE.match(line.text)
        if not match:
            problems.error(path, line.number, "項目は「- 項目ID: 文」の形で書いてください")
        elif match.group(1) in seen:
            problems.error(path, line.number, f"項目 ID が重複しています: {match.group(1)}")
        else:
            seen.add(match.group(1))
            items.append((match.group(1), match.group(2).strip()))
    if not items:
        problems.error(path, heading.number, "項目がありません")
    return items


def _parse_bands(path: str, body_start: int, section: Section | None, problems: Problems) -> list[Band]:
    """The ``## 結果`` section: one ``### 最低点-最高点`` heading and its text per band."""
    if section is None:
        problems.error(path, body_start, "「## 結果」がありません")
        return []
    bands: list[Band] = []
    _, band_blocks = split_headings(section[1], "### ")
    for heading, body in band_blocks:
        match = BAND_HEADING.match(heading.text)
        if not match:
            problems.error(path, heading.number, "結果の見出しは「### 最低点-最高点」の形で書いてください")
            continue
        bands.append(Band(int(match.group(1)), int(match.group(2)), join(body)))
    return bands


def _check_bands(path: str, line: int, bands: list[Band], max_score: int, problems: Problems) -> None:
    """The bands cover 0 to the highest score without gaps or overlaps."""
    expected = 0
    for band in sorted(bands, key=lambda b: b.low):
        if band.low != expected or band.high < band.low:
            expected = -1  # a gap or an overlap
            break
        expected = band.high + 1
    if expected != max_score + 1:
        problems.error(path, line, f"結果の帯は 0〜{max_score} 点をすき間も重なりもなく覆ってください")
