"""A trainer pastes a draft bank file: checked by the checker's rules and rendered; nothing is stored."""

from __future__ import annotations

from sqlalchemy import func, select

from elearn.config import PROJECT_ROOT
from elearn.extensions import db
from elearn.models import Scenario, ScenarioVersion
from tests.content.tree import bank, scenario


def paste(client, markdown: str) -> str:
    response = client.post("/author/paste", data={"markdown": markdown})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def counts() -> tuple[int, int]:
    return (
        db.session.scalar(select(func.count()).select_from(Scenario)),
        db.session.scalar(select(func.count()).select_from(ScenarioVersion)),
    )


def test_the_form_explains_itself_and_shows_no_result_before_pasting(client, trainer):
    text = client.get("/author/paste").get_data(as_text=True)
    assert '<label for="markdown">' in text and "<textarea" in text
    assert "保存されません" in text
    assert "preview-scenario" not in text


def test_a_pasted_bank_is_rendered_as_learners_will_see_it(client, trainer):
    before = counts()
    text = paste(client, bank(scenario("draft-01", "税金泥棒と怒鳴られる")))
    assert "<h2" in text and "税金泥棒と怒鳴られる" in text
    assert '<span class="mark mark-correct">正解</span>' in text
    assert "組織で対応するのが基本です" in text  # feedback
    assert 'href="/policy#clause-2-1"' in text  # a clause link in the explanation
    assert "<dt>ID</dt><dd><code>draft-01</code></dd>" in text
    assert "問題なし" in text
    assert counts() == before


def test_a_pasted_draft_is_checked_with_line_numbers(client, trainer):
    draft = bank(scenario("draft-01"), scenario("Draft 02", "二つ目")).replace(
        "- [x] 落ち着いて", "- [ ] 落ち着いて", 1
    )
    lines = draft.split("\n")
    choices = lines.index("### 選択肢") + 1
    bad_id = lines.index("- ID: Draft 02") + 1
    text = paste(client, draft)
    assert f'href="#L{choices}">{choices} 行目</a>' in text and "正解の選択肢（- [x]）がありません" in text
    assert f'href="#L{bad_id}">{bad_id} 行目</a>' in text
    assert "ID は英小文字・数字・ハイフンで書いてください: Draft 02" in text
    assert text.count('<article class="card preview-scenario has-errors"') == 2


def test_duplicate_ids_within_the_pasted_text_are_errors(client, trainer):
    text = paste(client, bank(scenario("same-01"), scenario("same-01", "もう一つ")))
    assert "シナリオ ID same-01 が重複しています" in text


def test_windows_line_endings_and_a_byte_order_mark_are_accepted(client, trainer):
    draft = "\ufeff" + bank(scenario("draft-01")).replace("\n", "\r\n")
    text = paste(client, draft)
    assert "問題なし" in text and "front matter がありません" not in text


def test_pasting_nothing_asks_for_the_markdown(client, trainer):
    text = paste(client, "")
    assert "Markdown を貼り付けてください。" in text
    assert "preview-scenario" not in text


def test_script_in_a_pasted_draft_is_not_rendered(client, trainer):
    text = paste(
        client, bank(scenario("draft-01")).replace("大声を出しました。", "<script>alert(1)</script>")
    )
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text  # shown only as source text


def test_a_pasted_selfcheck_is_checked_but_its_sections_are_not_taken_for_scenarios(client, trainer):
    selfcheck = (
        (PROJECT_ROOT / "quizzes/selfcheck.md").read_text(encoding="utf-8").replace("### 0-6", "### 0-5")
    )
    text = paste(client, selfcheck)
    assert "問題集（kind: scenarios）ではないため" in text
    assert "結果の帯は 0〜36 点をすき間も重なりもなく覆ってください" in text
    assert "preview-scenario" not in text


def test_a_paste_over_200000_characters_is_refused_with_a_message_and_not_rendered(client, trainer):
    draft = bank(scenario("draft-01", "税金泥棒と怒鳴られる"))
    text = paste(client, draft + "あ" * (200_001 - len(draft)))
    assert "長すぎます（200001 文字、200000 文字まで）" in text
    assert "preview-scenario" not in text
    assert 'maxlength="200000"' in paste(client, draft)  # the browser stops the typing there too
