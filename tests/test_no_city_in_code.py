"""The code names no city: the organisation, its policy and its vocabulary are content (issue 21).

Content (courses/, quizzes/, policy/, examples/) and tests may name them; the package and its
templates may not.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from elearn.config import PROJECT_ROOT
from elearn.content import settings_of

PACKAGE = PROJECT_ROOT / "elearn"
SHIPPED = settings_of(PROJECT_ROOT)


def code_files() -> list[Path]:
    # The translation catalogues hold the UI's words, not content; everything else in the package
    # is code or a template.
    return sorted(
        p
        for p in PACKAGE.rglob("*")
        if p.suffix in {".py", ".html", ".txt", ".css"} and "translations" not in p.parts
    )


def forbidden() -> list[str]:
    names = [SHIPPED.organisation, "東久留米"]
    names += [name for name, clause in SHIPPED.categories.items() if clause is not None]
    # The behaviours' clause ids (第2(1)…) and the perspectives' (第4-3, 第5), as code would quote them.
    clauses = {c for c in SHIPPED.categories.values() if c} | {
        p.clause for p in SHIPPED.perspectives.values() if p.clause
    }
    names += [f'"{c}"' for c in clauses] + [f"'{c}'" for c in clauses]
    return names


def test_the_forbidden_names_are_those_of_the_shipped_settings():
    found = forbidden()
    assert "東久留米市" in found and "暴言" in found and '"第2(1)"' in found and '"第4-3"' in found


def clause_mentions(text: str) -> list[str]:
    """The shipped policy's clause ids named in ``text``: 第4-2 but not 第4-21, 第4条 or 第4版.
    前文 is a word of the policy format, not of this city."""
    found = []
    for clause in SHIPPED.clause_ids():
        if clause != "前文" and re.search(re.escape(clause) + r"(?![0-9０-９\-(（条章節版項号の])", text):
            found.append(clause)
    return found


@pytest.mark.parametrize("path", code_files(), ids=lambda p: str(p.relative_to(PROJECT_ROOT)))
def test_no_module_or_template_names_the_city_its_categories_or_their_clauses(path):
    text = path.read_text(encoding="utf-8")
    assert [name for name in forbidden() if name in text] == []
    assert clause_mentions(text) == []


def test_a_clause_is_found_where_code_would_name_it():
    assert clause_mentions('PERSPECTIVE_CLAUSES = {"x": "第4-3"}  # 第2(1)') == ["第2(1)", "第4-3"]
    assert clause_mentions("第4-21 第4条 第5版 第3条の2") == []
