"""Answer cues: whether a test-wise guesser could find the key from a choice's length or place.

Well-written multiple-choice items keep the choices homogeneous. These checks look only at what can
be counted: the length of the choices and where the correct ones sit in the file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby
from os.path import commonpath

from .documents import Choice, Scenario
from .problems import Problems

# A key more than this many times as long as every distractor gives itself away.
KEY_LONGER_LIMIT = 1.3
# With four choices, a key that is the longest by chance is so in 25% of items.
LONGEST_RATE_LIMIT = 0.35
POSITION_RATE_LIMIT = 0.40
# Rates over fewer items than these say nothing about the writer's habits.
MIN_SINGLE_ANSWER = 5
MIN_SELECT_ALL = 3


def choice_length(choice: Choice) -> int:
    return len("".join(choice.text.split()))


def _lengths(scenario: Scenario) -> tuple[list[int], list[int]]:
    """Lengths of the correct choices and of the distractors."""
    right = [choice_length(c) for c in scenario.choices if c.correct]
    wrong = [choice_length(c) for c in scenario.choices if not c.correct]
    return right, wrong


def key_is_longest(scenario: Scenario) -> bool:
    """Single answer: the key is strictly longer than every distractor."""
    right, wrong = _lengths(scenario)
    return bool(wrong) and right[0] > max(wrong)


def key_much_longer(scenario: Scenario) -> bool:
    right, wrong = _lengths(scenario)
    return bool(wrong) and right[0] > KEY_LONGER_LIMIT * max(wrong)


def correct_set_is_longest(scenario: Scenario) -> bool:
    """Select-all: the correct choices are exactly the longest ones."""
    right, wrong = _lengths(scenario)
    return bool(wrong) and min(right) > max(wrong)


def correct_positions(scenario: Scenario) -> tuple[int, ...]:
    """Where the correct choices sit in the file, counted from 1."""
    return tuple(i for i, choice in enumerate(scenario.choices, start=1) if choice.correct)


@dataclass(frozen=True)
class AnswerCues:
    """The figures of a set of scenarios that a guesser could exploit."""

    single_answer: int
    key_longest: int
    mean_length_ratio: float | None  # the key's length over the distractors' mean, averaged
    select_all: int
    select_all_correct_counts: dict[int, int]
    key_positions: dict[int, int]  # single answer: position of the key -> scenarios
    select_all_positions: dict[str, int]  # select-all: "1,3" -> scenarios

    @property
    def key_longest_rate(self) -> float | None:
        return self.key_longest / self.single_answer if self.single_answer else None

    def as_dict(self) -> dict:
        rate = self.key_longest_rate
        return {
            "single_answer": self.single_answer,
            "correct_is_longest": self.key_longest,
            "correct_is_longest_rate": None if rate is None else round(rate, 3),
            "mean_length_ratio": None if self.mean_length_ratio is None else round(self.mean_length_ratio, 3),
            "select_all": self.select_all,
            "select_all_correct_counts": {
                str(k): v for k, v in sorted(self.select_all_correct_counts.items())
            },
            "position_histogram": {str(k): v for k, v in sorted(self.key_positions.items())},
            "select_all_position_histogram": dict(sorted(self.select_all_positions.items())),
        }


def answer_cues(scenarios: Sequence[Scenario]) -> AnswerCues:
    single = [s for s in scenarios if not s.multiple]
    select_all = [s for s in scenarios if s.multiple]
    ratios = []
    for scenario in single:
        right, wrong = _lengths(scenario)
        if wrong and sum(wrong):
            ratios.append(right[0] / (sum(wrong) / len(wrong)))
    return AnswerCues(
        single_answer=len(single),
        key_longest=sum(key_is_longest(s) for s in single),
        mean_length_ratio=sum(ratios) / len(ratios) if ratios else None,
        select_all=len(select_all),
        select_all_correct_counts=dict(Counter(len(correct_positions(s)) for s in select_all)),
        key_positions=dict(Counter(correct_positions(s)[0] for s in single)),
        select_all_positions=dict(Counter(",".join(map(str, correct_positions(s))) for s in select_all)),
    )


def check_answer_cues(scenarios: Sequence[Scenario], problems: Problems) -> None:
    """Warn of each scenario whose key stands out, then of each bank file and of the whole bank."""
    for scenario in scenarios:
        _check_scenario(scenario, problems)
    by_file = [list(group) for _path, group in groupby(sorted(scenarios, key=_file_order), lambda s: s.path)]
    for group in by_file:
        _check_set(group, group[0].path, "このファイル", problems)
    if len(by_file) > 1:
        bank_path = commonpath([group[0].path for group in by_file]) or "."
        _check_set(scenarios, bank_path, "問題集全体", problems)


def _file_order(scenario: Scenario) -> tuple[str, int]:
    return scenario.path, scenario.line


def _check_scenario(scenario: Scenario, problems: Problems) -> None:
    first_key = next(c for c in scenario.choices if c.correct)
    if not scenario.multiple and key_much_longer(scenario):
        right, wrong = _lengths(scenario)
        problems.warning(
            scenario.path,
            first_key.line,
            f"正解の選択肢だけが長すぎます（正解 {right[0]} 字、誤答は最長 {max(wrong)} 字）:"
            " 長さで答えが分かります",
        )
    elif scenario.multiple and correct_set_is_longest(scenario):
        problems.warning(
            scenario.path,
            first_key.line,
            f"正解の選択肢 {len(correct_positions(scenario))} 個がちょうど長い順の上位です:"
            " 長さで答えが分かります",
        )


def _check_set(scenarios: Sequence[Scenario], path: str, where: str, problems: Problems) -> None:
    cues = answer_cues(scenarios)
    rate = cues.key_longest_rate
    if cues.single_answer >= MIN_SINGLE_ANSWER and rate is not None and rate > LONGEST_RATE_LIMIT:
        problems.warning(
            path,
            1,
            f"{where}の択一問題 {cues.single_answer} 問のうち {cues.key_longest} 問（{rate:.0%}）で"
            f"正解がいちばん長い選択肢です（{LONGEST_RATE_LIMIT:.0%} 以下にしてください）",
        )
    if cues.single_answer >= MIN_SINGLE_ANSWER:
        _check_position(cues.key_positions, cues.single_answer, path, f"{where}の択一問題", problems)
    if cues.select_all >= MIN_SELECT_ALL:
        if len(cues.select_all_correct_counts) == 1:
            (count,) = cues.select_all_correct_counts
            problems.warning(
                path,
                1,
                f"{where}の複数選択の問題 {cues.select_all} 問は、正解の数がどれも {count} 個です"
                "（問題によって正解の数を変えてください）",
            )
        _check_position(
            cues.select_all_positions, cues.select_all, path, f"{where}の複数選択の問題", problems
        )


def _check_position(histogram: dict, total: int, path: str, what: str, problems: Problems) -> None:
    position, count = max(histogram.items(), key=lambda item: item[1])
    if count / total > POSITION_RATE_LIMIT:
        problems.warning(
            path,
            1,
            f"{what} {total} 問のうち {count} 問（{count / total:.0%}）で、"
            f"正解が同じ位置（{position} 番目）にあります（{POSITION_RATE_LIMIT:.0%} 以下にしてください）",
        )
