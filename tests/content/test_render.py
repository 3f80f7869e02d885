"""Rendering: one function, sanitised, clause links with their text; shortcuts never change the output."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from elearn.content import Clause, Policy, default_settings, relink, render_content, render_markdown
from elearn.content.render import _PLAIN_LINE, _converter, markdown_html

# Japanese prose with the punctuation, digits and spaces that sit next to it, and anything else.
PROSE = st.text(
    st.characters(codec=None) | st.sampled_from([*"0123456789-+=.:/()「」（）、。ー一\u3000 \u00a0\"'%$?;,"]),
    min_size=1,
    max_size=40,
)


@settings(max_examples=300)
@given(PROSE)
def test_a_plain_line_is_rendered_exactly_as_markdown_would_render_it(text):
    assume(_PLAIN_LINE.fullmatch(text))
    policy = default_settings().policy
    assert markdown_html(text, policy) == _converter(policy, "/policy").convert(text)


def test_typical_choices_and_questions_take_the_plain_line_path():
    for text in [
        "この場面での対応として、最も適切なものはどれですか。",
        "上司に報告し、複数で対応する（10分以上）",
    ]:
        assert _PLAIN_LINE.fullmatch(text)
    for text in ["1. 番号つき", "- 箇条書き", "**強調**", "条項 [[第3]]", "a & b", " 字下げ", "二行\n目"]:
        assert not _PLAIN_LINE.fullmatch(text)


def test_a_known_clause_links_to_the_policy_and_an_unknown_one_does_not():
    html = render_markdown("根拠は [[第4-3]] と [[第9]] です。")
    assert '<a class="clause-ref" href="/policy#clause-4-3"' in html
    assert default_settings().policy.get("第4-3").text in html
    assert '<span class="clause-ref unknown">[[第9]]</span>' in html


def test_the_clause_text_in_the_tooltip_is_shown_as_written_not_as_markdown():
    policy = Policy("方針", "", (Clause("第1", "第1", "*強調* と [リンク](https://example.jp)"),))
    html = render_markdown("[[第1]]", policy=policy)
    assert '<span class="clause-tip" role="tooltip">*強調* と [リンク](https://example.jp)</span>' in html


def test_a_line_break_between_japanese_characters_is_not_a_space():
    assert render_markdown("窓口で\n説明する") == "<p>窓口で説明する</p>"


def test_hundreds_of_nested_lists_are_shown_as_text_not_an_error():
    html = render_markdown("\n".join("    " * depth + "- <b>x</b>" for depth in range(400)))
    assert html.startswith("<pre>") and "&lt;b&gt;" in html


def test_text_rendered_after_a_too_deeply_nested_one_is_rendered_as_usual():
    render_markdown("\n".join("    " * depth + "- <b>x</b>" for depth in range(400)))
    html = render_markdown('窓口で <img src=x onerror="alert(2)">説明する')
    assert html == "<p>窓口で 説明する</p>"


def test_relinking_rewrites_or_drops_link_targets_and_sanitises_again():
    rendered = render_content("[[第2(1)]] と [外部](https://example.org/) と [次](03-koui-1.md)")
    relinked = relink(
        rendered + '<script>alert(1)</script><a href="javascript:alert(1)">x</a>',
        lambda href: "policy.html#" + href.split("#")[1] if href.startswith("/policy#") else None,
    )
    assert 'href="policy.html#clause-2-1"' in relinked
    assert "example.org" not in relinked and "03-koui-1" not in relinked and ">外部</a>" in relinked
    assert "<script>" not in relinked and "javascript:" not in relinked


def test_content_cannot_reuse_the_apps_classes_or_ids():
    html = render_markdown(
        '<span class="flash error" id="main">注意</span> <a href="/policy" class="button primary">方針</a>'
    )
    assert 'class="flash' not in html and 'id="main"' not in html and "button" not in html
    assert "<span>注意</span>" in html and '<a href="/policy" rel="noopener noreferrer">方針</a>' in html


def test_clause_references_keep_the_renderers_own_classes():
    html = render_markdown("[[第4-3]] と [[第9]]")
    assert (
        'class="clause-ref"' in html and 'class="clause-tip"' in html and 'class="clause-ref unknown"' in html
    )


def test_links_to_other_sites_in_disguise_lose_their_target():
    for target in ("//evil.example/x", "/\\evil.example", "\\\\evil.example"):
        html = render_markdown(f"[ここ]({target})")
        assert "evil.example" not in html and "ここ" in html, target


def test_links_to_other_sites_open_without_a_referrer_or_the_opener():
    html = render_markdown("[市](https://www.city.example/)")
    assert html == '<p><a href="https://www.city.example/" rel="noopener noreferrer">市</a></p>'
