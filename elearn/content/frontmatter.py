"""Split a Markdown file into its YAML front matter and body, keeping line numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .problems import Problems

_DELIMITER = "---"


@dataclass
class Document:
    path: str
    meta: dict[str, Any]
    body: list[str]
    body_start: int  # 1-based line number of body[0]
    meta_lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, key: str) -> int:
        """Line of a top-level front matter key, or the first line when absent."""
        return self.meta_lines.get(key, 1)


def split_front_matter(path: str, text: str, problems: Problems) -> Document | None:
    """Parse the ``---`` delimited YAML block at the top of ``text``.

    Returns None (with a problem recorded) when the block is missing or malformed.
    """
    lines = text.splitlines()
    if not lines or lines[0].strip() != _DELIMITER:
        problems.error(path, 1, "front matter がありません（1行目は --- にしてください）")
        return None
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == _DELIMITER)
    except StopIteration:
        problems.error(path, 1, "front matter が閉じていません（--- の行がありません）")
        return None
    raw = "\n".join(lines[1:end])
    try:
        meta = yaml.safe_load(raw) if raw.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or "YAML として読めません"
        problems.error(path, line, f"front matter の書き方が正しくありません: {problem}")
        return None
    if not isinstance(meta, dict):
        problems.error(path, 2, "front matter は「項目: 値」の形で書いてください")
        return None
    meta_lines = {}
    for offset, line in enumerate(lines[1:end], start=2):
        match = re.match(r"^([^\s#:][^:]*):", line)
        if match:
            meta_lines.setdefault(match.group(1).strip(), offset)
    return Document(path, meta, lines[end + 1 :], end + 2, meta_lines)
