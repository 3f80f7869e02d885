"""Any text given as a policy is parsed or reported with lines inside the file, never raises."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from elearn.content import Problems, clause_anchor, parse_policy

PIECES = [
    "# 方針\n", "## 前文\n", "## 第1 定義\n", "## 第1章 総則\n", "### 第1条（目的）\n", "### 第1-1\n",
    "### 第2(1)\n", "## 附則\n", "### 第3条の2\n", "#### x\n", "本文\n", "\n", "2 項\n", "3 項\n",
    "（1）号\n", "(2) 号\n", "一 号\n", "1 項目\n", "```\n", "第十二条\n", "### 目的\n", "#\n",
]  # fmt: skip
TEXT = st.lists(st.sampled_from(PIECES) | st.text(max_size=6), max_size=40).map("".join)


@settings(max_examples=300)
@given(TEXT)
def test_a_policy_parses_or_reports_problems_within_its_lines(text):
    problems = Problems()
    policy = parse_policy(text, "policy.md", problems)
    lines = max(1, len(text.splitlines()))  # a lone CR ends a line too, as in editors
    assert all(1 <= p.line <= lines + 1 and p.path == "policy.md" for p in problems)
    if not problems.errors:
        ids = [c.id for c in policy.clauses]
        assert ids and len(ids) == len(set(ids))
        anchors = [clause_anchor(i) for i in ids]
        assert all(a.isascii() for a in anchors) and len(anchors) == len(set(anchors))
