"""Test-wise learners who read nothing: they pick by a choice's length or place on the screen.

Run as ``python -m tests.content.guessers`` to print how each would fare in each course.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from elearn.content import Choice, Course, Scenario, draw
from elearn.content.cues import choice_length

DRAWS = 2000

Strategy = Callable[[Scenario, list[Choice]], set[int]]  # shown choices -> indexes picked


def _by_length(shown: list[Choice]) -> list[int]:
    """Indexes of the shown choices, longest first (the first shown wins a tie)."""
    return sorted(range(len(shown)), key=lambda i: (-choice_length(shown[i]), i))


def longest(count_for_select_all: int) -> Strategy:
    def pick(scenario: Scenario, shown: list[Choice]) -> set[int]:
        return set(_by_length(shown)[: count_for_select_all if scenario.multiple else 1])

    return pick


def longer_than_average(scenario: Scenario, shown: list[Choice]) -> set[int]:
    if not scenario.multiple:
        return set(_by_length(shown)[:1])
    mean = sum(choice_length(c) for c in shown) / len(shown)
    return {i for i, c in enumerate(shown) if choice_length(c) > mean} or set(_by_length(shown)[:1])


def shortest(scenario: Scenario, shown: list[Choice]) -> set[int]:
    return {_by_length(shown)[-1]}


def first(_scenario: Scenario, _shown: list[Choice]) -> set[int]:
    return {0}


def last(_scenario: Scenario, shown: list[Choice]) -> set[int]:
    return {len(shown) - 1}


STRATEGIES: dict[str, Strategy] = {
    "longest (select-all: the longest one)": longest(1),
    "longest (select-all: the two longest)": longest(2),
    "longest (select-all: the three longest)": longest(3),
    "longest (select-all: those longer than average)": longer_than_average,
    "shortest choice": shortest,
    "first choice shown": first,
    "last choice shown": last,
}


@dataclass(frozen=True)
class Outcome:
    pass_rate: float
    mean_score: float


def simulate(course: Course, bank: Sequence[Scenario], strategy: Strategy, draws: int = DRAWS) -> Outcome:
    """Take the course's quiz ``draws`` times, drawn and shuffled as the app does, picking by ``strategy``."""
    rules = course.quiz
    passes = 0
    total = 0
    for seed in range(draws):
        rng = random.Random(seed)
        drawn = draw(rules.questions, rules.pool, rules.minimum, rules.fixed, bank, rng)
        right = 0
        for scenario in drawn:
            shown = list(scenario.choices)
            rng.shuffle(shown)
            correct = {i for i, c in enumerate(shown) if c.correct}
            right += strategy(scenario, shown) == correct
        score = round(100 * right / len(drawn))
        total += score
        passes += score >= course.pass_mark
    return Outcome(passes / draws, total / draws)


if __name__ == "__main__":
    from elearn.config import PROJECT_ROOT
    from elearn.content import load_tree

    content = load_tree(PROJECT_ROOT).content
    for course in content.courses:
        print(f"{course.id} (pass mark {course.pass_mark}, {course.quiz.questions} questions)")
        for name, strategy in STRATEGIES.items():
            outcome = simulate(course, content.scenarios, strategy)
            print(f"  {name}: passes {outcome.pass_rate:.1%}, mean score {outcome.mean_score:.1f}")
