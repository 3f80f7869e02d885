"""The draw of a quiz: a retake avoids the scenarios of the attempt before, as far as the rules allow."""

from __future__ import annotations

import random
from dataclasses import dataclass

from elearn.content.draw import draw


@dataclass(frozen=True)
class Item:
    id: str
    category: str = "暴言"
    perspective: str = "customer-to-staff"
    clauses: tuple[str, ...] = ("第2(1)",)


BANK = [Item(f"s{n}") for n in range(8)] + [Item(f"m{n}", perspective="staff-as-harasser") for n in range(3)]


def ids(drawn) -> set[str]:
    return {item.id for item in drawn}


def test_scenarios_to_avoid_are_drawn_only_when_nothing_else_is_left():
    for seed in range(50):
        first = ids(draw(4, {}, {}, [], BANK, random.Random(seed)))
        second = ids(draw(4, {}, {}, [], BANK, random.Random(seed + 1000), avoid=first))
        assert first.isdisjoint(second)  # 11 scenarios: 4 others are always there
        third = ids(draw(9, {}, {}, [], BANK, random.Random(seed), avoid=first))
        assert len(third & first) == 2  # 7 others, then 2 of those seen


def test_minimums_and_fixed_scenarios_still_hold_when_they_force_a_repeat():
    minimum = {"perspective": {"staff-as-harasser": 3}}
    seen = {"m0", "m1", "m2", "s0"}
    for seed in range(20):
        drawn = ids(draw(5, {}, minimum, ["s0"], BANK, random.Random(seed), avoid=seen))
        assert {"m0", "m1", "m2", "s0"} <= drawn and len(drawn) == 5
