"""The policy text as clauses with stable identifiers and anchors.

The text lives in ``policy.md`` beside this module: ``## `` headings are sections,
``### `` headings are numbered clauses, and a section's own text before its first
numbered clause (前文, 第3 本文, 第5, 第6) is a clause named after the section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

POLICY_FILE = Path(__file__).with_name("policy.md")

_SECTION_ID = re.compile(r"^(前文|第\d+)")
# The date line under the title, e.g. 「令和7年12月　東久留米市」.
_ISSUED = re.compile(r"^令和(元|\d+)年(\d+)月")
REIWA_START = 2019


@dataclass(frozen=True)
class Clause:
    id: str
    section: str
    text: str

    @property
    def anchor(self) -> str:
        return clause_anchor(self.id)


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


@cache
def clause_anchor(clause_id: str) -> str:
    """An ASCII fragment id: 第2(1) -> clause-2-1, 第4-3 -> clause-4-3, 前文 -> clause-preamble."""
    if clause_id == "前文":
        return "clause-preamble"
    return "clause-" + re.sub(r"[^0-9]+", "-", clause_id).strip("-")


def parse_policy(text: str) -> Policy:
    title = ""
    preface: list[str] = []
    clauses: list[Clause] = []
    section = ""
    current_id: str | None = None
    buffer: list[str] = []

    def flush() -> None:
        body = "\n".join(buffer).strip()
        if current_id and body:
            clauses.append(Clause(current_id, section, body))
        elif not section and body:
            preface.append(body)
        buffer.clear()

    for line in text.splitlines():
        if line.startswith("# "):
            title = line[2:].strip()
        elif line.startswith("## "):
            flush()
            section = line[3:].strip()
            match = _SECTION_ID.match(section)
            current_id = match.group(1) if match else None
        elif line.startswith("### "):
            flush()
            current_id = line[4:].strip()
        else:
            buffer.append(line)
    flush()
    return Policy(title, "\n".join(preface), tuple(clauses))


@cache
def load_policy() -> Policy:
    return parse_policy(POLICY_FILE.read_text(encoding="utf-8"))


def clause_ids() -> tuple[str, ...]:
    return tuple(c.id for c in load_policy().clauses)
