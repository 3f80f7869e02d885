"""The preview shows the content on disk as learners will see it, with the checker's messages beside it."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.models import Lesson, Scenario, ScenarioVersion
from tests.content.tree import bank, edit, line_of, scenario


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def stored_version(key: str) -> ScenarioVersion:
    """The version sync stored from the same file: what a learner is shown."""
    return db.session.scalars(
        select(ScenarioVersion).join(Scenario).where(Scenario.key == key).order_by(ScenarioVersion.version)
    ).all()[-1]


def scenario_article(text: str, title: str) -> str:
    """The part of a bank preview about one scenario: from its heading to the next scenario's."""
    start = text.index(f"{title}\n")
    end = text.find('<article class="card preview-scenario', start)
    return text[start : end if end != -1 else len(text)]


def test_index_lists_every_course_with_its_lessons_every_bank_and_the_selfcheck(
    client, trainer, content_root
):
    text = page(client, "/author/")
    assert 'href="/author/courses/kihon-houshin/"' in text and "基本方針を理解する" in text
    assert (
        'href="/author/courses/kihon-houshin/02-teigi"' in text and "カスタマー・ハラスメントの定義" in text
    )
    for path in sorted((content_root / "quizzes").glob("*.md")):
        assert f'href="/author/quizzes/{path.name}"' in text
    assert "業務での自分の言動セルフチェック" in text
    assert "count-error" not in text and "count-warning" not in text


def test_index_counts_errors_and_warnings_of_each_file(client, trainer, content_root):
    edit(content_root / "quizzes/teigi.md", "- 分類: 暴言", "- 分類: 悪口")
    edit(content_root / "quizzes/teigi.md", "  > 定義の要素を一つずつ当てはめて考えます。", "")
    text = page(client, "/author/")
    row = text[text.index("quizzes/teigi.md</code>") :].split("</tr>", 1)[0]
    assert "エラー 1" in row and "警告 1" in row
    other = text[text.index("quizzes/bouryoku.md</code>") :].split("</tr>", 1)[0]
    assert "問題なし" in other


def test_messages_are_found_when_the_bank_folder_is_a_link_to_elsewhere(client, trainer, content_root):
    elsewhere = content_root.parent / "bank-repository"
    (content_root / "quizzes").rename(elsewhere)
    (content_root / "quizzes").symlink_to(elsewhere)
    edit(elsewhere / "teigi.md", "- 分類: 暴言", "- 分類: 悪口")
    assert "不明な分類です: 悪口" in page(client, "/author/quizzes/teigi.md")
    assert "エラー 1" in page(client, "/author/")


def test_lesson_is_rendered_exactly_as_the_learner_sees_it(client, trainer, content_root):
    stored = db.session.scalars(select(Lesson).where(Lesson.slug == "02-teigi")).first()
    text = page(client, "/author/courses/kihon-houshin/02-teigi")
    assert f'<article class="prose">\n  <h1>{stored.title}</h1>\n  {stored.html}\n</article>' in text
    assert 'class="clause-ref"' in text
    assert 'rel="prev" href="/author/courses/kihon-houshin/01-mokuteki"' in text
    assert 'rel="next" href="/author/courses/kihon-houshin/03-koui-1"' in text
    assert "レッスン 2 / 9" in text


def test_course_preview_shows_the_rules_the_intro_and_the_lessons(client, trainer, content_root):
    text = page(client, "/author/courses/kihon-houshin/")
    assert "<h1>基本方針を理解する" in text
    assert "staff-as-harasser: 2 問以上" in text and "legitimate-complaint: 2 問以上" in text
    assert "このコースでは" in text
    assert text.count('href="/author/courses/kihon-houshin/0') == 9
    assert "問題なし" in text


def test_scenario_is_shown_with_its_metadata_answers_feedback_and_explanation(client, trainer, content_root):
    stored = stored_version("definition-01")
    text = scenario_article(page(client, "/author/quizzes/teigi.md"), stored.title)
    for label, value in [("ID", "definition-01"), ("分類", "暴言"), ("視点", "customer-to-staff")]:
        assert f"<dt>{label}</dt>" in text and value in text
    assert "<dt>難易度</dt><dd>中級</dd>" in text and "<dt>場面</dt>" in text
    assert 'href="/policy#clause-1-2">第1-2</a>' in text  # 根拠, linked to the clause
    assert stored.situation_html in text and stored.question_html in text
    assert stored.explanation_html in text and 'class="clause-ref"' in stored.explanation_html
    for choice in stored.choices:
        assert choice.text_html in text and choice.feedback_html in text
    correct = [c for c in stored.choices if c.correct]
    assert text.count('<span class="mark mark-correct">正解</span>') == len(correct) == 1


@pytest.fixture
def own_bank(content_root):
    """A bank file of the test's own beside the project's, three scenarios written by tests.content.tree."""
    path = content_root / "quizzes/test-bank.md"
    titles = ("一つ目の場面", "二つ目の場面", "三つ目の場面")
    path.write_text(bank(*(scenario(f"test-0{n}", t) for n, t in enumerate(titles, 1))), "utf-8")
    return path


def test_trainer_sees_the_checker_message_beside_a_broken_scenario(client, trainer, own_bank):
    edit(
        own_bank,
        "- [x] 落ち着いてやめるよう伝え、上司に報告する",
        "- [ ] 落ち着いてやめるよう伝え、上司に報告する",
    )
    line = line_of(own_bank, "### 選択肢")
    text = page(client, "/author/quizzes/test-bank.md")

    broken = scenario_article(text, "一つ目の場面")
    assert f'<a class="line-ref" href="#L{line}">{line} 行目</a>' in broken
    assert "正解の選択肢（- [x]）がありません" in broken
    assert "このシナリオにはエラーがあるため" in broken
    assert f'<tr id="L{line}" class="marked">' in broken  # its source, with the line marked
    assert html.escape("- [ ] 落ち着いてやめるよう伝え、上司に報告する", quote=False) in broken

    fine = scenario_article(text, "二つ目の場面")
    assert "問題なし" in fine and '<ul class="choices reviewed">' in fine


def test_a_scenario_that_cannot_be_parsed_still_appears_with_its_source(client, trainer, own_bank):
    edit(own_bank, "### 解説", "### かいせつ")
    edit(own_bank, "- 場面: 窓口", "- 場面")
    text = page(client, "/author/quizzes/test-bank.md")
    broken = scenario_article(text, "一つ目の場面")
    assert "不明な小見出しです: かいせつ" in broken
    assert "設定は「- 項目: 値」の形で書いてください" in broken
    assert f'<tr id="L{line_of(own_bank, "### かいせつ")}" class="marked">' in broken
    assert '<details class="source-details" open>' in broken
    assert text.count('<article class="card preview-scenario') == 3


def test_a_file_with_broken_front_matter_still_shows_its_scenarios_sources(client, trainer, own_bank):
    edit(own_bank, "title: テスト用の問題集", "title: [テスト用の問題集")
    text = page(client, "/author/quizzes/test-bank.md")
    assert "front matter の書き方が正しくありません" in text
    assert text.count('<article class="card preview-scenario') == 3
    assert text.count("ファイル全体のエラーのため、このシナリオを読み込めません") == 3
    assert '<details class="source-details" open>' in text


def test_content_not_yet_synced_can_be_previewed(client, trainer, content_root):
    (content_root / "quizzes/draft.md").write_text(
        bank(scenario("draft-01", "まだ取り込んでいない")), "utf-8"
    )
    assert (
        db.session.scalar(select(func.count()).select_from(Scenario).where(Scenario.key == "draft-01")) == 0
    )
    assert 'href="/author/quizzes/draft.md"' in page(client, "/author/")
    text = page(client, "/author/quizzes/draft.md")
    assert "まだ取り込んでいない" in text and '<ul class="choices reviewed">' in text


def test_a_multiple_answer_scenario_marks_every_correct_choice(client, trainer, own_bank):
    edit(own_bank, "- [ ] 相手の気が済むまで", "- [x] 相手の気が済むまで")
    text = scenario_article(page(client, "/author/quizzes/test-bank.md"), "一つ目の場面")
    assert text.count('<span class="mark mark-correct">正解</span>') == 2
    assert "あてはまるものをすべて選んでください" in text


def test_a_broken_lesson_link_is_shown_beside_the_rendered_lesson(client, trainer, content_root):
    path = content_root / "courses/kihon-houshin/02-teigi.md"
    edit(path, "> **ポイント**", "[続き](03-koui-one.md)\n\n> **ポイント**")
    text = page(client, "/author/courses/kihon-houshin/02-teigi")
    line = line_of(path, "03-koui-one.md")
    assert f"{line} 行目" in text and "リンク先のレッスンがありません: 03-koui-one.md" in text
    assert f'<tr id="L{line}" class="marked">' in text
    assert '<article class="prose">' in text
    course = page(client, "/author/courses/kihon-houshin/")
    row = course[course.index("courses/kihon-houshin/02-teigi.md</code>") :].split("</li>", 1)[0]
    assert "エラー 1" in row


def test_a_lesson_that_cannot_be_built_shows_its_source_and_the_others_still_render(
    client, trainer, content_root
):
    path = content_root / "courses/kihon-houshin/02-teigi.md"
    edit(path, "title: カスタマー・ハラスメントの定義", "titel: カスタマー・ハラスメントの定義")
    text = page(client, "/author/courses/kihon-houshin/02-teigi")
    assert "title（レッスン名）がありません" in text and "不明な項目です: titel" in text
    assert "このレッスンにはエラーがあるため" in text and '<details class="source-details" open>' in text
    course = page(client, "/author/courses/kihon-houshin/")
    assert "コースとして表示できません" in course
    assert 'href="/author/courses/kihon-houshin/02-teigi"' in course
    assert '<article class="prose">' in page(client, "/author/courses/kihon-houshin/03-koui-1")


def test_selfcheck_preview_shows_its_statements_scale_and_result_bands(client, trainer, content_root):
    text = page(client, "/author/quizzes/selfcheck.md")
    assert "委託先の担当者に、契約にない作業を「ついでに」頼むことがある。" in text
    assert "あまりあてはまらない（1 点）" in text
    assert "0〜6 点" in text and '<fieldset class="card question" disabled>' in text


def test_unknown_or_outside_paths_are_not_found(client, trainer, content_root):
    (content_root / "secret.md").write_text("---\nkind: scenarios\n---\n", "utf-8")
    for url in [
        "/author/quizzes/nope.md",
        "/author/quizzes/../secret.md",
        "/author/quizzes/%2e%2e/secret.md",
        "/author/quizzes/../courses/kanri/course.md",
        "/author/courses/nope/",
        "/author/courses/kanri/nope",
        "/author/courses/../quizzes/",
    ]:
        assert client.get(url).status_code == 404, url
