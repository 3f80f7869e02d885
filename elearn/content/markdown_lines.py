"""Helpers for walking Markdown source line by line with line numbers."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass

from .links import link_problem, link_targets
from .problems import Problems
from .render import CLAUSE_REF

_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass
class Line:
    number: int
    text: str


def numbered(lines: list[str], start: int) -> list[Line]:
    return [Line(start + i, text) for i, text in enumerate(lines)]


def outside_fences(lines: Iterable[Line]) -> Iterator[tuple[Line, bool]]:
    """Yield each line with whether it lies outside a fenced code block."""
    fenced = False
    for line in lines:
        if _FENCE.match(line.text):
            fenced = not fenced
            yield line, False
        else:
            yield line, not fenced


def split_headings(lines: list[Line], marker: str) -> tuple[list[Line], list[tuple[Line, list[Line]]]]:
    """Split at headings starting with ``marker`` (e.g. ``"## "``), ignoring fenced code.

    Returns the lines before the first heading and a list of (heading line, its lines).
    """
    preamble: list[Line] = []
    blocks: list[tuple[Line, list[Line]]] = []
    for line, live in outside_fences(lines):
        if live and line.text.startswith(marker):
            blocks.append((line, []))
        elif blocks:
            blocks[-1][1].append(line)
        else:
            preamble.append(line)
    return preamble, blocks


def join(lines: list[Line]) -> str:
    return "\n".join(line.text for line in lines).strip("\n")


def check_markdown(path: str, lines: Iterable[Line], problems: Problems, known: Collection[str]) -> None:
    """What every Markdown body must keep to: clauses of the loaded policy (``known``: its clause ids),
    and links only where content may link."""
    known = set(known)
    for line, live in outside_fences(lines):
        for match in CLAUSE_REF.finditer(line.text):
            if match.group(1).strip() not in known:
                problems.error(path, line.number, f"不明な条項です: {match.group(0)}")
        for target in link_targets(line.text) if live else ():
            if (problem := link_problem(target)) is not None:
                problems.error(path, line.number, problem)
