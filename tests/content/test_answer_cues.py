"""The checker warns when a choice's length or place gives the answer away (issue 15)."""

from __future__ import annotations

from elearn.content import load_text, stats
from elearn.content.documents import ContentSet
from tests.content.tree import BANK_HEADER

SCENARIO = """
## {id}

- ID: {id}
- 分類: 暴言
- 視点: customer-to-staff
- 難易度: 初級
- 場面: 窓口
- 根拠: 第1-3, 第2(1), 第3
{extra}
### 状況

来庁者が窓口で大声を出しました。

### 問い

最も適切な対応はどれですか。

### 選択肢

{choices}

### 解説

暴言は著しい迷惑行為に当たり得ます [[第2(1)]]。
"""


def scenario(id: str, *choices: tuple[bool, str], extra: str = "") -> str:
    lines = "\n".join(f"- [{'x' if right else ' '}] {text}\n  > フィードバック" for right, text in choices)
    return SCENARIO.format(id=id, choices=lines, extra=extra)


def even(id: str, key_at: int = 0, key: str = "中止を求めて上司に報告する") -> str:
    """A single-answer scenario whose four choices are about as long as each other."""
    texts = ["黙って最後まで話を聞き続ける", "その場で強い口調で言い返す", "担当ではないと言って席を外す"]
    texts.insert(key_at, key)
    return scenario(id, *((i == key_at, t) for i, t in enumerate(texts)))


def warnings(text: str) -> list[tuple[int, str]]:
    result = load_text(text, "quizzes/test.md")
    assert not result.problems.errors, [str(p) for p in result.problems]
    return [(p.line, p.message) for p in result.problems.warnings]


def test_choices_of_similar_length_in_varied_places_give_no_warning():
    text = BANK_HEADER + "".join(even(f"s-{i}", key_at=i % 4) for i in range(8))
    assert warnings(text) == []


def test_a_key_much_longer_than_every_distractor_is_warned_of_on_its_line():
    long_key = "落ち着いて中止を求め、上司に報告し、複数の職員で対応して、経過を記録に残す"
    text = BANK_HEADER + even("long-01", key_at=1, key=long_key)
    [(line, message)] = warnings(text)
    assert text.split("\n")[line - 1] == f"- [x] {long_key}"
    assert message.startswith("正解の選択肢だけが長すぎます（正解 37 字、誤答は最長 14 字）")


def test_a_select_all_key_made_of_exactly_the_longest_choices_is_warned_of():
    text = BANK_HEADER + scenario(
        "multi-01",
        (True, "中止を求めたうえで、上司に報告して組織で対応する"),
        (True, "日時と発言の内容を、できるだけそのまま記録に残す"),
        (False, "黙って聞き続ける"),
        (False, "言い返す"),
    )
    assert [m for _line, m in warnings(text)] == [
        "正解の選択肢 2 個がちょうど長い順の上位です: 長さで答えが分かります"
    ]


def test_a_file_whose_key_is_mostly_the_longest_choice_is_warned_of_on_line_one():
    slightly_longer = "中止を求めたうえで上司に報告する"  # longer, but not by 30%
    text = BANK_HEADER + "".join(even(f"s-{i}", key_at=i % 4, key=slightly_longer) for i in range(5))
    assert warnings(text) == [
        (
            1,
            "このファイルの択一問題 5 問のうち 5 問（100%）で正解がいちばん長い選択肢です"
            "（35% 以下にしてください）",
        )
    ]


def test_keys_in_the_same_place_are_warned_of():
    text = BANK_HEADER + "".join(even(f"s-{i}", key_at=[1, 1, 1, 0, 2][i]) for i in range(5))
    assert warnings(text) == [
        (
            1,
            "このファイルの択一問題 5 問のうち 3 問（60%）で、正解が同じ位置（2 番目）にあります"
            "（40% 以下にしてください）",
        )
    ]


def test_select_all_items_that_always_have_the_same_number_of_keys_are_warned_of():
    def two_of_four(id: str, first: int) -> str:
        texts = [
            "中止を求めて上司に報告する",
            "発言の内容を記録に残す",
            "黙って最後まで聞き続ける",
            "強い口調で言い返す",
        ]
        keys = {first, (first + 1) % 4}
        return scenario(id, *((i in keys, t) for i, t in enumerate(texts)))

    text = BANK_HEADER + "".join(two_of_four(f"m-{i}", i) for i in range(4))
    assert (
        1,
        "このファイルの複数選択の問題 4 問は、正解の数がどれも 2 個です"
        "（問題によって正解の数を変えてください）",
    ) in (warnings(text))


def test_a_select_all_item_may_have_a_single_key_when_its_format_says_so():
    text = BANK_HEADER + scenario(
        "one-of-all",
        (True, "中止を求めて上司に報告する"),
        (False, "黙って最後まで聞き続ける"),
        (False, "強い口調で言い返す"),
        (False, "担当外と言って席を外す"),
        extra="- 形式: 複数選択\n",
    )
    result = load_text(text, "quizzes/test.md")
    [item] = result.content.scenarios
    assert item.multiple and not result.problems.errors


def test_a_single_answer_format_with_two_keys_is_an_error_on_the_choices():
    text = BANK_HEADER + scenario(
        "two-keys",
        (True, "中止を求めて上司に報告する"),
        (True, "発言の内容を記録に残す"),
        (False, "黙って最後まで聞き続ける"),
        extra="- 形式: 択一\n",
    )
    result = load_text(text, "quizzes/test.md")
    assert [(p.line, p.message) for p in result.problems.errors] == [
        (text.split("\n").index("### 選択肢") + 1, "形式が択一なのに正解（- [x]）が二つ以上あります")
    ]
    assert result.content.scenarios == []


def test_stats_report_the_answer_cues_of_the_bank():
    text = BANK_HEADER + "".join(even(f"s-{i}", key_at=i % 4) for i in range(4))
    figures = stats(ContentSet(scenarios=load_text(text, "quizzes/test.md").content.scenarios))["answer_cues"]
    assert figures["single_answer"] == 4
    assert figures["correct_is_longest"] == 0  # the key is a little shorter than the longest distractor
    assert figures["correct_is_longest_rate"] == 0.0
    assert figures["position_histogram"] == {"1": 1, "2": 1, "3": 1, "4": 1}
    assert figures["select_all"] == 0 and figures["select_all_correct_counts"] == {}
    assert 0.8 < figures["mean_length_ratio"] < 1.0
