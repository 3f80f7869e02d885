"""`diff_content`: what a sync of the files would change against the live versions, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from elearn.services.content_diff import CHANGED, LIVE, NEW, diff_content
from elearn.services.sync import sync_content
from tests.content.tree import bank, copy_project_content, edit, scenario

BANK = "quizzes/boogen-kouatsu.md"
OLD_SENTENCE = "「お前は頭が悪いのか」"


@pytest.fixture
def root(app, tmp_path) -> Path:
    """A copy of the project's content, which the test database has synced."""
    return copy_project_content(tmp_path / "content")


def test_the_synced_content_compared_with_itself_changes_nothing(root):
    result = diff_content(root)
    assert result.empty
    assert result.problems == []
    assert set(result.files.values()) == {LIVE}
    assert any(path.endswith(BANK) for path in result.files)


def test_a_new_bank_is_added_and_its_file_is_new(root):
    (root / "quizzes/new.md").write_text(bank(scenario("new-01"), scenario("new-02", "怒鳴られる")), "utf-8")
    result = diff_content(root)
    assert result.scenarios.added == ["new-01", "new-02"]
    assert [state for path, state in result.files.items() if path.endswith("quizzes/new.md")] == [NEW]


def test_an_edited_scenario_is_changed_with_a_unified_diff_of_its_markdown(root):
    edit(root / BANK, OLD_SENTENCE, "「ふざけるな」")
    result = diff_content(root)
    [change] = result.scenarios.changed
    assert change.key == "verbal-01"
    assert change.diff.startswith("--- live/verbal-01\n+++ disk/verbal-01\n@@")
    assert any(line.startswith("-") and OLD_SENTENCE in line for line in change.diff.splitlines())
    assert any(line.startswith("+") and "「ふざけるな」" in line for line in change.diff.splitlines())
    assert [state for path, state in result.files.items() if path.endswith(BANK)] == [CHANGED]
    assert result.scenarios.added == result.scenarios.retired == []


def test_a_paragraph_wrapped_differently_renders_the_same_and_is_not_a_change(root):
    edit(root / BANK, "と言い始め、", "と言い始め、\n")
    result = diff_content(root)
    assert result.empty
    assert sync_content(root).updated == []


def test_scenarios_whose_file_is_gone_are_retired(root):
    (root / BANK).unlink()
    result = diff_content(root)
    assert "verbal-01" in result.scenarios.retired
    assert result.scenarios.added == []


def test_course_settings_and_lessons_changed_are_listed_with_the_lesson_diff(root):
    edit(root / "courses/kanri/course.md", "pass_mark: 80", "pass_mark: 70")
    edit(root / "courses/kanri/02-soudan.md", "相談をためらいがちです。", "相談をためらいます。")
    (root / "courses/kanri/08-new.md").write_text("---\ntitle: 新しいレッスン\n---\n\n本文です。\n", "utf-8")
    [change] = diff_content(root).courses.changed
    assert change.key == "kanri"
    assert change.settings == ["pass_mark: 80 → 70"]
    assert change.lessons == ["added 08-new", "changed 02-soudan"]
    diff = change.lesson_diffs["02-soudan"].splitlines()
    assert any(line.startswith("-") and "相談をためらいがちです。" in line for line in diff)
    assert any(line.startswith("+") and "相談をためらいます。" in line for line in diff)


def test_quiz_rules_the_bank_can_no_longer_satisfy_are_listed(root):
    edit(root / "courses/kanri/course.md", "questions: 5", "questions: 500")
    result = diff_content(root)
    assert [line.split(":")[0] for line in result.unsatisfiable] == ["kanri"]


def test_given_files_are_compared_alone_and_nothing_else_counts_as_retired(root):
    edit(root / BANK, OLD_SENTENCE, "「ふざけるな」")
    result = diff_content(root, [root / BANK])
    assert [c.key for c in result.scenarios.changed] == ["verbal-01"]
    assert result.scenarios.retired == result.courses.retired == []
    assert result.unsatisfiable == []
    assert list(result.files.values()) == [CHANGED]


def test_a_file_with_errors_is_reported_and_not_compared(root):
    edit(root / BANK, "- 分類: 暴言", "- 分類: 不明な分類")
    result = diff_content(root, [root / BANK])
    assert result.problems and all(p.path.endswith(BANK) for p in result.problems)


def test_the_command_prints_each_change_and_the_markdown_diff(app, root, runner):
    app.config["CONTENT_ROOT"] = root
    assert runner.invoke(args=["content", "diff"]).output == "nothing to change\n"
    edit(root / BANK, OLD_SENTENCE, "「ふざけるな」")
    (root / "quizzes/new.md").write_text(bank(scenario("new-01")), "utf-8")
    result = runner.invoke(args=["content", "diff"])
    assert result.exit_code == 0
    assert "added scenario new-01" in result.output
    assert "changed scenario verbal-01 (" in result.output
    assert "+++ disk/verbal-01" in result.output


def test_the_command_lists_the_errors_and_exits_1(app, root, runner):
    app.config["CONTENT_ROOT"] = root
    edit(root / BANK, "- 分類: 暴言", "- 分類: 不明な分類")
    result = runner.invoke(args=["content", "diff"])
    assert result.exit_code == 1
    assert f"{BANK}:" in result.output and "error" in result.output
