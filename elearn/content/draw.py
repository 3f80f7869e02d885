"""Draw a quiz's questions from the scenario bank by a course's rules."""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence
from typing import Protocol


class Drawable(Protocol):
    """What the draw needs to know of a scenario (parsed or stored)."""

    @property
    def id(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def perspective(self) -> str: ...
    @property
    def clauses(self) -> Sequence[str]: ...


class DrawError(ValueError):
    pass


def _has(scenario: Drawable, kind: str, value: str) -> bool:
    if kind == "perspective":
        return scenario.perspective == value
    if kind == "category":
        return scenario.category == value
    return value in scenario.clauses


_POOL_KIND = {"perspectives": "perspective", "categories": "category", "clauses": "clause"}


def eligible(rules_pool: dict[str, list[str]], scenario: Drawable) -> bool:
    """A scenario is eligible when, for every pool filter, it has one of the listed values."""
    return all(
        any(_has(scenario, _POOL_KIND[key], value) for value in values) for key, values in rules_pool.items()
    )


def draw(
    questions: int,
    pool: dict[str, list[str]],
    minimum: dict[str, dict[str, int]],
    fixed: Sequence[str],
    bank: Sequence[Drawable],
    rng: random.Random,
    avoid: Collection[str] = (),
) -> list[Drawable]:
    """Return the drawn scenarios in presentation order, or raise DrawError.

    Fixed scenarios come first, then the minimums are met greedily (a candidate
    that meets the most unmet minimums wins), then the rest is filled at random.
    Scenarios in ``avoid`` (the previous attempt's) come last among equal candidates, so a retake
    gets as many other scenarios as the rules allow instead of the set it has just seen reviewed.
    """
    by_id = {s.id: s for s in bank}
    missing = [f for f in fixed if f not in by_id]
    if missing:
        raise DrawError(f"fixed のシナリオがありません: {', '.join(missing)}")
    chosen = [by_id[f] for f in dict.fromkeys(fixed)]
    remaining = [s for s in bank if eligible(pool, s) and s.id not in set(fixed)]
    rng.shuffle(remaining)
    remaining.sort(key=lambda s: s.id in avoid)  # stable: the shuffled order stays within each group
    needs = [(kind, value, count) for kind, counts in minimum.items() for value, count in counts.items()]

    def unmet() -> list[tuple[str, str]]:
        return [
            (kind, value) for kind, value, count in needs if sum(_has(s, kind, value) for s in chosen) < count
        ]

    while gaps := unmet():
        scored = [(sum(_has(s, k, v) for k, v in gaps), s) for s in remaining]
        best = max(scored, key=lambda pair: pair[0], default=(0, None))
        if best[1] is None or best[0] == 0:
            kind, value = gaps[0]
            raise DrawError(f"出題対象に {kind}「{value}」のシナリオが足りません")
        chosen.append(best[1])
        remaining.remove(best[1])
    if len(chosen) > questions:
        raise DrawError(
            f"最低数と fixed を満たすには {len(chosen)} 問必要ですが、出題数は {questions} 問です"
        )
    needed = questions - len(chosen)
    if needed > len(remaining):
        raise DrawError(
            f"出題対象のシナリオが足りません（{questions} 問に対して {len(chosen) + len(remaining)} 問）"
        )
    chosen.extend(remaining[:needed])
    rng.shuffle(chosen)
    return chosen
