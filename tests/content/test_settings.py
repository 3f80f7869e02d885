"""policy/settings.yml: the organisation and its vocabulary are content, checked with path:line."""

from __future__ import annotations

import shutil

import pytest

from elearn.config import PROJECT_ROOT
from elearn.content import SettingsInvalid, check, find_root, load_text, settings_of

from .tree import bank, copy_project_content, edit, line_of, scenario


@pytest.fixture
def root(tmp_path):
    return copy_project_content(tmp_path)


def test_the_shipped_settings_are_this_citys_policy_and_vocabulary():
    settings = settings_of(PROJECT_ROOT)
    assert settings.site_title == "カスハラ防止研修"
    assert settings.categories["暴言"] == "第2(1)" and settings.categories["なし"] is None
    assert len(settings.categories) == 10
    assert settings.perspectives["staff-as-harasser"].clause == "第4-3"
    assert settings.perspectives["legitimate-complaint"].label == "正当な要望・苦情"
    assert settings.difficulties == ("初級", "中級", "上級")
    assert "避難所" in settings.settings
    assert settings.policy.get("第4-3") is not None


def test_the_content_root_is_found_above_the_paths_checked(root):
    assert find_root([root / "quizzes" / "teigi.md"]) == root.resolve()
    assert find_root([root.parent / "elsewhere"], default=root) == root


def test_a_scenario_is_checked_against_the_vocabulary_of_its_content_root(root):
    edit(root / "policy/settings.yml", "  - name: 暴言\n", "  - name: 暴言や侮辱\n")
    (root / "quizzes/extra.md").write_text(bank(scenario("extra-01")), "utf-8")
    result = check([root / "quizzes/extra.md"], root)
    messages = [p.message for p in result.problems.errors]
    assert any(m.startswith("不明な分類です: 暴言（使えるのは 暴言や侮辱、") for m in messages)


def test_a_clause_reference_is_checked_against_the_policy_loaded(root):
    policy = root / "policy/kihon-houshin.md"
    policy.write_text(policy.read_text("utf-8").replace("### 第4-3", "### 第4-4"), "utf-8")
    edit(root / "policy/settings.yml", "    clause: 第4-3", "    clause: 第4-4")
    result = check([root / "quizzes"], root)
    assert any("不明な条項です: 第4-3" in p.message for p in result.problems.errors)


def test_a_settings_file_with_errors_is_reported_by_line(root):
    path = root / "policy/settings.yml"
    edit(path, "    clause: 第2(4)", "    clause: 第2(40)")
    edit(path, "difficulties: [初級, 中級, 上級]", "difficulties: 初級")
    with pytest.raises(SettingsInvalid) as caught:
        settings_of(root, relative_to=root)
    found = [(p.path, p.line, p.message) for p in caught.value.problems]
    shown = "policy/settings.yml"
    assert (
        shown,
        line_of(path, "categories:"),
        "categories の不明な条項です: 第2(40)（基本方針にありません）",
    ) in found
    assert (shown, line_of(path, "difficulties:"), "difficulties は一覧（- …）で書いてください") in found


def test_an_unreadable_policy_stops_the_check_with_its_line(root):
    policy = root / "policy/kihon-houshin.md"
    policy.write_text(policy.read_text("utf-8").replace("### 第2(5)", "### 第2の5"), "utf-8")
    result = check([root / "quizzes"], root)
    [problem] = [p for p in result.problems.errors if p.path.endswith("kihon-houshin.md")]
    assert problem.line == line_of(policy, "### 第2の5")
    assert problem.message.startswith("条項の見出しを読み取れません: 第2の5")


def test_a_missing_policy_file_is_named(root):
    shutil.rmtree(root / "policy")
    (root / "policy").mkdir()
    (root / "policy/settings.yml").write_text(
        (PROJECT_ROOT / "policy/settings.yml").read_text("utf-8"), "utf-8"
    )
    result = check([root / "quizzes"], root)
    [problem] = result.problems
    assert problem.path.endswith("policy/kihon-houshin.md") and "読めません" in problem.message


def test_pasted_text_is_checked_with_the_settings_given():
    settings = settings_of(PROJECT_ROOT)
    result = load_text(bank(scenario("paste-01")), "貼り付け", settings)
    assert result.ok and result.settings is settings
