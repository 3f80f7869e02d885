"""The policy format: the shapes municipal policies take, stable clause ids and anchors, located errors."""

from __future__ import annotations

from elearn.config import PROJECT_ROOT
from elearn.content import Problems, clause_anchor, parse_policy

ARTICLES = """# 南野市職員に対するカスタマー・ハラスメントの防止に関する基本方針

令和7年4月1日　南野市

## 前文

市は、職員を守ります。

## 第1章 総則

### 第1条（目的）

この方針は、職員の就業環境を守ることを目的とする。

### 第2条（定義）

この方針において「カスタマー・ハラスメント」とは、著しい迷惑行為をいう。

2 前項の「著しい迷惑行為」とは、次に掲げるものをいう。

（1）暴行、脅迫その他の違法な行為
（2）正当な理由がない過度な要求

３　前二項の規定は、職員の行為にも準用する。

### 第2条の2（例示）

該当し得る行為は、次のとおりとする。

(1) 身体的な攻撃
(2) 精神的な攻撃
    （暴言、侮辱）

### 第十二条（委任）

この方針の実施に関し必要な事項は、別に定める。

## 附則

この方針は、令和7年4月1日から施行する。
"""

SECTIONS = """# ある町の基本方針

## 第1 定義

この方針で使う言葉の意味は、次のとおりとする。

1 「職員」とは、町の職員をいう。

2 「利用者等」とは、町の行政サービスを利用する者をいう。

## 第2 該当し得る行為

(1) 暴言

(2) 執拗な要求
"""


def parse(text: str) -> tuple[dict, Problems]:
    problems = Problems()
    policy = parse_policy(text, "policy/houshin.md", problems)
    return {c.id: c for c in policy.clauses}, problems


def test_articles_paragraphs_and_items_get_the_ids_they_are_cited_by():
    clauses, problems = parse(ARTICLES)
    assert problems == []
    assert list(clauses) == [
        "前文",
        "第1条", "第1条第1項",
        "第2条", "第2条第1項", "第2条第2項", "第2条第2項第1号", "第2条第2項第2号", "第2条第3項",
        "第2条の2", "第2条の2第1項", "第2条の2第1号", "第2条の2第2号",
        "第12条", "第12条第1項",
        "附則",
    ]  # fmt: skip
    assert clauses["第2条第2項第2号"].text == "（2）正当な理由がない過度な要求"
    assert clauses["第2条の2第2号"].text == "(2) 精神的な攻撃\n    （暴言、侮辱）"
    assert clauses["第2条"].heading == "第2条（定義）"
    assert "前二項の規定" in clauses["第2条"].text  # a reference to the article shows all of it


def test_a_paragraph_with_items_shows_only_its_lead_at_its_place_on_the_page():
    clauses, _ = parse(ARTICLES)
    kou = clauses["第2条第2項"]
    assert kou.page_text == "2 前項の「著しい迷惑行為」とは、次に掲げるものをいう。"
    assert "違法な行為" in kou.text
    assert clauses["第2条"].page_text == ""  # shown through its paragraphs


def test_numbered_sections_read_their_items_from_headings_or_from_numbered_paragraphs():
    clauses, problems = parse(SECTIONS)
    assert problems == []
    assert list(clauses) == ["第1", "第1-1", "第1-2", "第2(1)", "第2(2)"]
    assert clauses["第1-2"].text == "2 「利用者等」とは、町の行政サービスを利用する者をいう。"


def test_this_citys_policy_keeps_its_clause_ids():
    policy = parse_policy((PROJECT_ROOT / "policy/kihon-houshin.md").read_text("utf-8"))
    ids = [c.id for c in policy.clauses]
    assert ids[:6] == ["前文", "第1-1", "第1-2", "第1-3", "第1-4", "第2"]
    assert ids[-5:] == ["第4-1", "第4-2", "第4-3", "第5", "第6"]
    assert len(ids) == 27


def test_anchors_are_stable_ascii_fragments():
    assert clause_anchor("前文") == "clause-preamble"
    assert clause_anchor("附則") == "clause-supplement"
    assert clause_anchor("第2(1)") == "clause-2-1"
    assert clause_anchor("第4-3") == "clause-4-3"
    assert clause_anchor("第3条") == "clause-3"
    assert clause_anchor("第3条第2項") == "clause-3-2"
    assert clause_anchor("第3条第1号") == "clause-3-n1"
    assert clause_anchor("第3条第2項第1号") == "clause-3-2-n1"
    assert clause_anchor("第3条の2") == "clause-3-a2"
    assert clause_anchor("第3条の2第1項") == "clause-3-a2-1"


def test_every_anchor_of_a_policy_is_unique():
    clauses, _ = parse(ARTICLES)
    anchors = [c.anchor for c in clauses.values()]
    assert len(anchors) == len(set(anchors))


def test_a_policy_it_cannot_read_is_reported_by_path_and_line():
    text = "\n".join(
        [
            "前置きの文",  # 1: before the title
            "# 方針",
            "## はじめに",
            "見出しに番号がない文",  # 4
            "### 第1条",  # 5: no text
            "### 第1-1",
            "本文",
            "### 第1-1",  # 8: duplicate
            "本文",
            "### 目的",  # 10: not a clause heading
            "#### 細目",  # 11: too deep
            "### 第2条",
            "本文",
            "",
            "3 飛んだ項",  # 15
        ]
    )
    _, problems = parse(text)
    found = [(p.line, p.message.split("（")[0].split(":")[0]) for p in problems]
    assert [p.path for p in problems] == ["policy/houshin.md"] * len(problems)
    assert found == [
        (1, "基本方針は題名"),
        (4, "見出し「はじめに」の下の文に条項番号がありません"),
        (5, "第1条 に本文がありません"),
        (8, "条項 第1-1 が重複しています"),
        (10, "条項の見出しを読み取れません"),
        (11, "見出しを読み取れません"),
        (15, "第2条 の項の番号が続いていません"),
    ]


def test_two_clauses_that_would_share_an_anchor_are_an_error():
    _, problems = parse("# 方針\n## 第2 行為\n### 第2(1)\n暴言\n### 第2-1\n暴行\n")
    assert [(p.line, p.message) for p in problems] == [
        (5, "条項 第2-1 と 第2(1) は同じリンク先（#clause-2-1）になります")
    ]


def test_a_text_without_title_or_clauses_is_an_error():
    _, problems = parse("")
    assert [(p.line, p.message[:5]) for p in problems] == [(1, "基本方針の"), (1, "条項があり")]
