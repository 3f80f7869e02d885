"""Parse a self-check file: rated statements and result bands, no pass or fail."""

from __future__ import annotations

import re

from .documents import Band, SelfCheck
from .frontmatter import Document
from .markdown_lines import check_clause_refs, join, numbered, split_headings
from .problems import Problems

ITEM_LINE = re.compile(r"^[-*]\s+([a-z0-9][a-z0-9-]*)\s*[:：]\s*(.+)$")
# Bounded so that int() never meets a number too long to convert.
BAND_HEADING = re.compile(r"^###\s+(\d{1,9})\s*[-〜~]\s*(\d{1,9})\s*$")
SELFCHECK_KEYS = {"kind", "id", "title", "summary", "scale"}


def parse_selfcheck(doc: Document, problems: Problems) -> SelfCheck | None:
    path, meta = doc.path, doc.meta
    ok = True

    def error(line: int, message: str) -> None:
        nonlocal ok
        problems.error(path, line, message)
        ok = False

    for key in meta:
        if key not in SELFCHECK_KEYS:
            problems.warning(path, doc.line_of(key), f"不明な項目です: {key}")
    if not isinstance(meta.get("id"), str) or not re.match(r"^[a-z0-9][a-z0-9-]*$", meta["id"]):
        error(doc.line_of("id"), "id は英小文字・数字・ハイフンで書いてください")
    for key in ("title", "summary"):
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            error(doc.line_of(key), f"{key} がありません")
    scale = meta.get("scale")
    if not isinstance(scale, list) or len(scale) < 2 or not all(isinstance(s, str) for s in scale):
        error(doc.line_of("scale"), "scale は二つ以上の段階の一覧（[a, b, c]）で書いてください")
        scale = []

    lines = numbered(doc.body, doc.body_start)
    check_clause_refs(path, lines, problems)
    intro, sections = split_headings(lines, "## ")
    found = {heading.text[3:].strip(): (heading, body) for heading, body in sections}
    items: list[tuple[str, str]] = []
    bands: list[Band] = []
    if "項目" not in found:
        error(doc.body_start, "「## 項目」がありません")
    else:
        seen: set[str] = set()
        for line in found["項目"][1]:
            if not line.text.strip():
                continue
            match = ITEM_LINE.match(line.text)
            if not match:
                error(line.number, "項目は「- 項目ID: 文」の形で書いてください")
            elif match.group(1) in seen:
                error(line.number, f"項目 ID が重複しています: {match.group(1)}")
            else:
                seen.add(match.group(1))
                items.append((match.group(1), match.group(2).strip()))
        if not items:
            error(found["項目"][0].number, "項目がありません")
    if "結果" not in found:
        error(doc.body_start, "「## 結果」がありません")
    else:
        _, band_blocks = split_headings(found["結果"][1], "### ")
        for heading, body in band_blocks:
            match = BAND_HEADING.match(heading.text)
            if not match:
                error(heading.number, "結果の見出しは「### 最低点-最高点」の形で書いてください")
                continue
            bands.append(Band(int(match.group(1)), int(match.group(2)), join(body)))
        if scale and items:
            _check_bands(path, found["結果"][0].number, bands, (len(scale) - 1) * len(items), error)
    if not ok:
        return None
    return SelfCheck(
        id=meta["id"],
        title=meta["title"].strip(),
        summary=meta["summary"].strip(),
        scale=list(scale),
        intro=join(intro),
        items=items,
        bands=bands,
        path=path,
    )


def _check_bands(path: str, line: int, bands: list[Band], max_score: int, error) -> None:
    expected = 0
    for band in sorted(bands, key=lambda b: b.low):
        if band.low != expected or band.high < band.low:
            error(line, f"結果の帯は 0〜{max_score} 点をすき間も重なりもなく覆ってください")
            return
        expected = band.high + 1
    if expected != max_score + 1:
        error(line, f"結果の帯は 0〜{max_score} 点をすき間も重なりもなく覆ってください")
