"""The preview's overview marks each file on disk as 公開中, 未公開の変更あり or 新規 (the content diff)."""

from __future__ import annotations

import re

from tests.content.tree import bank, edit, scenario


def state_of(text: str, path: str) -> str:
    """The publication state shown in the row of the file ``path``."""
    row = re.search(rf"<code>{re.escape(path)}</code>.*?</tr>", text, re.S)
    assert row, path
    found = re.search(r'<span class="publication[^"]*">([^<]*)</span>', row.group(0))
    assert found, path
    return found.group(1)


def test_each_file_is_marked_live_changed_or_new(client, trainer, content_root):
    edit(content_root / "quizzes/boogen-kouatsu.md", "「お前は頭が悪いのか」", "「ふざけるな」")
    edit(content_root / "courses/kanri/02-soudan.md", "相談をためらいがちです。", "相談をためらいます。")
    (content_root / "quizzes/new.md").write_text(bank(scenario("new-01")), "utf-8")

    response = client.get("/author/")
    assert response.status_code == 200
    text = response.get_data(as_text=True)

    assert state_of(text, "quizzes/teigi.md") == "公開中"
    assert state_of(text, "quizzes/boogen-kouatsu.md") == "未公開の変更あり"
    assert state_of(text, "quizzes/new.md") == "新規"
    assert state_of(text, "courses/kanri/02-soudan.md") == "未公開の変更あり"
    assert state_of(text, "courses/kanri/01-yakuwari.md") == "公開中"
    assert state_of(text, "courses/kihon-houshin/course.md") == "公開中"
    assert state_of(text, "quizzes/selfcheck.md") == "公開中"
