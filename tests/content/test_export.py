"""`html_to_markdown`: the stored HTML back to Markdown that renders to the very same HTML."""

from __future__ import annotations

import pytest

from elearn.config import PROJECT_ROOT
from elearn.content import load_tree, render_content
from elearn.content.export import html_to_markdown


def round_trip(markdown: str) -> tuple[str, str]:
    html = render_content(markdown)
    return html, render_content(html_to_markdown(html))


@pytest.mark.parametrize(
    "markdown",
    [
        "暴言に当たり得ます [[第2(1)]]。組織で対応します [[第3]]。",
        "存在しない条項 [[第99]] はそのまま。",
        "一行目の文です。\n二行目の文です。\n\n次の段落です。",
        "**寄り添いの姿勢**\u3000利用者等からの意見は大切です。",
        "- **迅速に**: その日のうちに。\n- **適切に**: 組織として。",
        "> **ポイント**\n>\n> - 一つ目。\n> - 二つ目。",
        "| 項目 | 例 |\n| --- | --- |\n| 日時 | 午後 |\n| 場所 | 窓口 |",
        "1. 最初に\n2. 次に\n3. 最後に",
        "[次のレッスン](02-teigi.md) と [市のサイト](https://example.org/) を読む。",
    ],
)
def test_markdown_rebuilt_from_the_html_renders_the_same(markdown):
    html, again = round_trip(markdown)
    assert again == html


def test_clause_references_are_written_as_references_again():
    assert html_to_markdown(render_content("根拠は [[第3]] です。")) == "根拠は [[第3]] です。"


def test_every_text_of_the_shipped_content_round_trips():
    result = load_tree(PROJECT_ROOT)
    policy = result.settings.policy
    texts = [t for s in result.content.scenarios for t in (s.situation, s.question, s.explanation)]
    texts += [t for s in result.content.scenarios for c in s.choices for t in (c.text, c.feedback)]
    texts += [t for c in result.content.courses for t in (c.intro, *(le.body for le in c.lessons))]
    texts += [t for s in result.content.selfchecks for t in (s.intro, *(b.text for b in s.bands))]
    differing = [
        t
        for t in texts
        if render_content(html_to_markdown(render_content(t, policy)), policy) != render_content(t, policy)
    ]
    assert differing == []
