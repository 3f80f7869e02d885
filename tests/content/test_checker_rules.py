"""What the checker catches, each with the line an editor should jump to."""

from __future__ import annotations

from pathlib import Path

import pytest

from elearn.content import check, links, load, load_text, load_tree, scenario_sources
from tests.content.tree import bank, copy_project_content, edit, line_of, scenario


@pytest.fixture
def root(tmp_path) -> Path:
    return copy_project_content(tmp_path)


def messages(result, path: Path | str | None = None) -> list[tuple[int, str, str]]:
    """(line, severity, message) of the problems, for one file when ``path`` is given."""
    return [
        (p.line, str(p.severity), p.message)
        for p in result.problems
        if path is None or p.path == str(path) or p.path.endswith(f"/{path}")
    ]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- quiz draw rules -----------------------------------------------------------------------


def test_a_draw_minimum_the_bank_cannot_meet_is_an_error_on_the_course(root):
    path = root / "courses/kihon-houshin/course.md"
    edit(path, "staff-as-harasser: 2", "staff-as-harasser: 40")
    found = messages(load_tree(root), "kihon-houshin/course.md")
    shortage = "出題対象に perspective「staff-as-harasser」のシナリオが足りません"
    assert found == [(line_of(path, "quiz:"), "error", f"出題の規則を問題集で満たせません: {shortage}")]


def test_more_questions_than_the_pool_holds_is_an_error(root):
    edit(root / "courses/kanri/course.md", "questions: 5", "questions: 500")
    [(line, severity, message)] = messages(load_tree(root), "kanri/course.md")
    assert (line, severity) == (
        line_of(root / "courses/kanri/course.md", "quiz:"),
        "error",
    ) and "出題対象のシナリオが足りません（500 問に対して" in message


def test_a_fixed_scenario_missing_from_the_bank_is_an_error(root):
    edit(
        root / "courses/kanri/course.md",
        "  max_attempts: 0",
        "  fixed: [no-such-scenario]\n  max_attempts: 0",
    )
    assert messages(load_tree(root), "kanri/course.md") == [
        (
            line_of(root / "courses/kanri/course.md", "quiz:"),
            "error",
            "出題の規則を問題集で満たせません: fixed のシナリオがありません: no-such-scenario",
        )
    ]


def test_checking_a_course_alone_still_checks_its_rules_against_the_bank(root):
    edit(root / "courses/kanri/course.md", "questions: 5", "questions: 500")
    result = check([root / "courses/kanri"], root)
    assert next(m for _, _, m in messages(result)).startswith("出題の規則を問題集で満たせません")


# --- lessons ---------------------------------------------------------------------------------


def test_a_link_to_a_lesson_that_does_not_exist_is_an_error_on_its_line(root):
    path = root / "courses/kihon-houshin/02-teigi.md"
    edit(path, "> **ポイント**", "[続き](03-koui.md)\n\n> **ポイント**")
    assert messages(load([root / "courses"]), "02-teigi.md") == [
        (line_of(path, "(03-koui.md)"), "error", "リンク先のレッスンがありません: 03-koui.md")
    ]


def test_links_to_other_lessons_allowed_web_pages_and_anchors_are_fine(root, monkeypatch):
    monkeypatch.setattr(links, "EXTERNAL_LINK_HOSTS", frozenset({"example.jp"}))
    path = root / "courses/kihon-houshin/02-teigi.md"
    edit(
        path,
        "> **ポイント**",
        "[前](01-mokuteki.md#top) [外](https://example.jp/a.md) [上](#here) [次](03-koui-1.md) "
        "[方針](/policy#clause-1) [問合せ](mailto:jinji@example.jp)\n\n"
        "> **ポイント**",
    )
    assert messages(load([root / "courses"])) == []


def test_links_to_other_sites_are_refused_unless_allowed_with_their_line(root):
    path = root / "courses/kihon-houshin/02-teigi.md"
    edit(
        path,
        "> **ポイント**",
        "[a](//evil.example/x)\n\n[b](/\\evil.example)\n\n[c](https://evil.example/)\n\n> **ポイント**",
    )
    bank = root / "quizzes/boogen-kouatsu.md"
    text = bank.read_text(encoding="utf-8")
    bank.write_text(
        text + '\n<a href="javascript:alert(1)">x</a>\n\n[ref]: //evil.example\n', encoding="utf-8"
    )
    result = load([root / "courses", root / "quizzes"])
    refused = [
        (p.path.rsplit("/", 1)[-1], p.line, str(p.severity), p.message.split(":")[0])
        for p in result.problems
        if "リンク" in p.message
    ]
    bank_lines = bank.read_text(encoding="utf-8").splitlines()
    assert refused == [
        ("02-teigi.md", line_of(path, "[a]"), "error", "ほかのサイトを指すリンクです"),
        ("02-teigi.md", line_of(path, "[b]"), "error", "ほかのサイトを指すリンクです"),
        ("02-teigi.md", line_of(path, "[c]"), "error", "許可されていないサイトへのリンクです"),
        ("boogen-kouatsu.md", len(bank_lines) - 2, "error", "使えないリンクです"),
        ("boogen-kouatsu.md", len(bank_lines), "error", "ほかのサイトを指すリンクです"),
    ]


# --- front matter ----------------------------------------------------------------------------


def test_a_yaml_error_in_front_matter_is_reported_on_its_line(tmp_path):
    path = write(tmp_path / "bank.md", "---\nkind: scenarios\ntitle: 暴言: 窓口\nsummary: x\n---\n")
    [(line, severity, message)] = messages(load([path]))
    assert (line, severity) == (3, "error") and message.startswith("front matter の書き方が正しくありません")


def test_a_value_yaml_cannot_build_is_reported_on_its_line_not_raised(tmp_path):
    path = write(tmp_path / "bank.md", "---\nkind: scenarios\ntitle: x\nsize: !!int abc\n---\n")
    [(line, severity, message)] = messages(load([path]))
    assert (line, severity) == (4, "error") and "値を読めません" in message


@pytest.mark.parametrize("value", ["2024-02-30", "2026-04-01"])
def test_a_date_like_title_is_just_text(tmp_path, value):
    result = load_text(
        bank(scenario("ok-01")).replace("title: テスト用の問題集", f"title: {value}"), "bank.md"
    )
    assert messages(result) == []


def test_a_number_too_long_to_convert_is_a_message(tmp_path):
    path = write(tmp_path / "bank.md", "---\nkind: scenarios\nsize: " + "9" * 5000 + "\n---\n")
    [(line, _, message)] = messages(load([path]))
    assert line == 3 and "値を読めません" in message


def test_deeply_nested_front_matter_is_a_message(tmp_path):
    path = write(tmp_path / "bank.md", "---\nkind: " + "[" * 5000 + "\n---\n")
    [(line, _, message)] = messages(load([path]))
    assert line == 2 and "入れ子が深すぎます" in message


def test_missing_or_unclosed_front_matter_is_reported_on_line_one(tmp_path):
    assert messages(load_text("## 題名\n", "a.md")) == [
        (1, "error", "front matter がありません（1行目は --- にしてください）")
    ]
    assert messages(load_text("---\nkind: scenarios\n", "a.md")) == [
        (1, "error", "front matter が閉じていません（--- の行がありません）")
    ]


def test_an_unknown_kind_is_reported_on_its_line():
    assert messages(load_text("---\ntitle: x\nkind: quiz\n---\n", "a.md")) == [
        (3, "error", "kind は scenarios または self-check にしてください")
    ]


# --- scenarios -------------------------------------------------------------------------------


def test_an_unknown_category_and_perspective_are_errors_on_their_lines():
    text = bank(scenario("ok-01").replace("分類: 暴言", "分類: 悪口").replace("customer-to-staff", "citizen"))
    lines = text.split("\n")
    found = messages(load_text(text, "a.md"))
    assert (lines.index("- 分類: 悪口") + 1, "error") == found[0][:2] and "不明な分類です: 悪口" in found[0][
        2
    ]
    assert (lines.index("- 視点: citizen") + 1, "error") == found[1][
        :2
    ] and "不明な視点です: citizen" in found[1][2]


def test_missing_sections_are_each_reported_on_the_scenario_heading():
    text = bank(scenario("ok-01")).replace("### 問い\n", "").replace("### 解説\n", "")
    heading = text.split("\n").index("## 暴言を受ける") + 1
    found = messages(load_text(text, "a.md"))
    assert (heading, "error", "小見出し「### 問い」がありません") in found
    assert (heading, "error", "小見出し「### 解説」がありません") in found


def test_a_missing_id_and_no_correct_choice_are_errors():
    text = bank(scenario("ok-01")).replace("- ID: ok-01\n", "").replace("- [x]", "- [ ]")
    found = [m for _, _, m in messages(load_text(text, "a.md"))]
    assert "設定「ID」がありません" in found and "正解の選択肢（- [x]）がありません" in found


def test_a_scenario_with_several_correct_choices_is_a_multiple_answer_question():
    text = bank(scenario("multi-01").replace("- [ ] 相手の気が済むまで黙って聞き続ける", "- [x] 記録を残す"))
    result = load_text(text, "a.md")
    assert result.ok
    [parsed] = result.content.scenarios
    assert parsed.multiple and [c.correct for c in parsed.choices] == [True, True]


def test_checking_pasted_text_gives_the_same_messages_as_checking_the_file(tmp_path):
    text = bank(scenario("Bad ID"), scenario("ok-02").replace("第3", "第9"))
    path = write(tmp_path / "bank.md", text)
    from_file = [(p.line, p.severity, p.message) for p in check([path], tmp_path).problems]
    from_text = [(p.line, p.severity, p.message) for p in load_text(text, "貼り付け").problems]
    assert from_text == from_file and len(from_text) >= 2


# --- line numbers --------------------------------------------------------------------------


def test_line_numbers_count_line_feeds_only(tmp_path):
    # A form feed or U+2028 inside a line is not a line break for an editor.
    text = bank(scenario("ok-01").replace("大声を出しました。", "大声を\u2028出し\x0cました。")).replace(
        "- 分類: 暴言", "- 分類: 悪口"
    )
    path = write(tmp_path / "bank.md", text)
    [(line, _, _)] = messages(load([path]))
    assert line == text.split("\n").index("- 分類: 悪口") + 1


def test_a_byte_order_mark_and_windows_line_endings_are_accepted(tmp_path):
    path = tmp_path / "bank.md"
    path.write_bytes(("\ufeff" + bank(scenario("ok-01"))).replace("\n", "\r\n").encode("utf-8"))
    assert messages(load([path])) == []


def test_scenario_sources_split_a_file_even_when_its_front_matter_is_broken():
    text = bank(scenario("a-01", "一つ目"), scenario("a-02", "二つ目")).replace("kind: scenarios", "kind: [")
    sources = scenario_sources(text)
    assert [s.title for s in sources] == ["一つ目", "二つ目"]
    assert sources[0].first == text.split("\n").index("## 一つ目") + 1
    assert sources[0].last == sources[1].first - 1


# --- self-checks -----------------------------------------------------------------------------


def test_a_result_band_with_an_absurd_number_is_a_message(root):
    path = root / "quizzes/selfcheck.md"
    edit(path, "### 0-6", "### 0-" + "9" * 5000)
    found = messages(load([path]))
    assert (
        line_of(path, "### 0-999"),
        "error",
        "結果の見出しは「### 最低点-最高点」の形で書いてください",
    ) in found


# --- the command line ------------------------------------------------------------------------


def test_the_check_command_prints_one_line_if_the_checker_itself_fails(runner, monkeypatch):
    def broken(*args):
        raise KeyError("something the checker never expected")

    monkeypatch.setattr("elearn.cli.content.check_content", broken)
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.output.strip().splitlines() == [
        "Error: the checker failed (KeyError: 'something the checker never expected')"
    ]
