"""Split a Markdown file into its YAML front matter and body, keeping line numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .problems import Problems

_DELIMITER = "---"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


class _FrontMatterLoader(yaml.SafeLoader):
    """YAML as trainers write it: dates stay text, and every bad value is a YAML error with a line.

    PyYAML raises plain ValueError, KeyError … (not YAMLError) for values such as
    ``2024-02-30``, ``!!int abc`` or a 5,000-digit number; here they carry the node's mark.
    """

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except yaml.YAMLError:
            raise
        except (ArithmeticError, AttributeError, LookupError, TypeError, ValueError) as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"値を読めません（{exc}）", node.start_mark
            ) from exc


# Nothing in the front matter is a date; an implicit timestamp only turns typos into crashes.
_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != _TIMESTAMP_TAG]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


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


def source_lines(text: str) -> list[str]:
    """The lines of ``text`` as an editor numbers them.

    Only line feeds (after CR LF and CR are normalised) end a line: ``str.splitlines``
    also splits at form feeds, U+2028 and the like, which would shift every line number
    after them. A leading byte order mark (Windows Notepad writes one) is dropped.
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines


def front_matter_end(lines: list[str]) -> int | None:
    """Index of the closing ``---`` line, or None when there is no complete front matter block."""
    if not lines or lines[0].strip() != _DELIMITER:
        return None
    return next((i for i in range(1, len(lines)) if lines[i].strip() == _DELIMITER), None)


def split_front_matter(path: str, text: str, problems: Problems) -> Document | None:
    """Parse the ``---`` delimited YAML block at the top of ``text``.

    Returns None (with a problem recorded) when the block is missing or malformed.
    """
    lines = source_lines(text)
    if not lines or lines[0].strip() != _DELIMITER:
        problems.error(path, 1, "front matter がありません（1行目は --- にしてください）")
        return None
    end = front_matter_end(lines)
    if end is None:
        problems.error(path, 1, "front matter が閉じていません（--- の行がありません）")
        return None
    raw = "\n".join(lines[1:end])
    try:
        meta = yaml.load(raw, Loader=_FrontMatterLoader) if raw.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or "YAML として読めません"
        problems.error(path, line, f"front matter の書き方が正しくありません: {problem}")
        return None
    except RecursionError:
        problems.error(path, 2, "front matter の書き方が正しくありません: 入れ子が深すぎます")
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
