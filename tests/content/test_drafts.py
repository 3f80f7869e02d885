"""Drafts (下書き): written in the files, parsed as such, and left out of the bank the quiz rules need."""

from __future__ import annotations

from pathlib import Path

import pytest

from elearn.content import load_text, load_tree, stats
from tests.content.tree import bank, copy_project_content, edit, line_of, scenario


@pytest.fixture
def root(tmp_path) -> Path:
    return copy_project_content(tmp_path)


def drafted(text: str, state: str = "下書き") -> str:
    return text.replace("- 根拠:", f"- 状態: {state}\n- 根拠:", 1)


def test_a_scenario_marked_draft_is_parsed_as_a_draft():
    result = load_text(bank(drafted(scenario("a-draft")), scenario("a-live")), "quizzes/t.md")
    assert not result.problems.errors
    assert {s.id: s.draft for s in result.content.scenarios} == {"a-draft": True, "a-live": False}


def test_a_scenario_marked_published_is_not_a_draft_and_keeps_its_hash():
    [written] = load_text(bank(drafted(scenario("s"), "公開")), "quizzes/t.md").content.scenarios
    [plain] = load_text(bank(scenario("s")), "quizzes/t.md").content.scenarios
    assert not written.draft and written.hash() == plain.hash()


def test_marking_a_scenario_draft_changes_its_hash():
    [draft] = load_text(bank(drafted(scenario("s"))), "quizzes/t.md").content.scenarios
    [plain] = load_text(bank(scenario("s")), "quizzes/t.md").content.scenarios
    assert draft.hash() != plain.hash()


def test_an_unknown_state_is_an_error_at_its_line():
    text = bank(drafted(scenario("s"), "保留"))
    result = load_text(text, "quizzes/t.md")
    line = text.split("\n").index("- 状態: 保留") + 1
    assert [(p.line, p.message) for p in result.problems.errors] == [
        (line, "不明な状態です: 保留（使えるのは 下書き、公開）")
    ]


def test_a_course_with_status_draft_is_a_draft(root):
    edit(root / "courses/kanri/course.md", "quiz:", "status: draft\nquiz:")
    result = load_tree(root)
    assert not result.problems.errors
    assert {c.id: c.draft for c in result.content.courses}["kanri"] is True
    assert not any(c.draft for c in result.content.courses if c.id != "kanri")


def test_a_course_status_other_than_draft_or_published_is_an_error(root):
    path = root / "courses/kanri/course.md"
    edit(path, "quiz:", "status: hidden\nquiz:")
    errors = [(p.line, p.message) for p in load_tree(root).problems.errors]
    assert errors == [
        (line_of(path, "status:"), "status は draft, published のどれかにしてください（draft は下書き）")
    ]


def test_quiz_rules_are_checked_against_the_published_scenarios_only(root):
    """A fixed scenario that is only a draft would fail the first learner: the checker says so."""
    (root / "quizzes/extra.md").write_text(bank(drafted(scenario("only-a-draft"))), encoding="utf-8")
    path = root / "courses/kanri/course.md"
    edit(path, "  questions: 5", "  questions: 5\n  fixed: [only-a-draft]")
    errors = [(p.path, p.line, p.message) for p in load_tree(root).problems.errors]
    assert errors == [
        (
            str(path),
            line_of(path, "quiz:"),
            "出題の規則を問題集で満たせません: fixed のシナリオがありません: only-a-draft",
        )
    ]


def test_the_same_rule_passes_once_the_scenario_is_published(root):
    (root / "quizzes/extra.md").write_text(bank(scenario("now-live")), encoding="utf-8")
    edit(root / "courses/kanri/course.md", "  questions: 5", "  questions: 5\n  fixed: [now-live]")
    assert not load_tree(root).problems.errors


def test_stats_count_the_drafts():
    result = load_text(bank(drafted(scenario("a-draft")), scenario("a-live")), "quizzes/t.md")
    summary = stats(result.content)
    assert (summary["scenarios"], summary["drafts"]) == (2, 1)
