"""A learner who reads nothing and picks by length or place cannot pass a course's quiz (issue 15).

Each course's real quiz rules and the real draw, over many seeded draws, with choices shuffled as
the app shuffles them.
"""

from __future__ import annotations

import pytest

from elearn.config import PROJECT_ROOT
from elearn.content import load_tree
from tests.content.guessers import STRATEGIES, simulate

CONTENT = load_tree(PROJECT_ROOT).content


@pytest.mark.parametrize("strategy", list(STRATEGIES), ids=list(STRATEGIES))
@pytest.mark.parametrize("course", CONTENT.courses, ids=[c.id for c in CONTENT.courses])
def test_a_test_wise_guesser_fails_the_quiz(course, strategy):
    outcome = simulate(course, CONTENT.scenarios, STRATEGIES[strategy])
    assert outcome.pass_rate <= 0.05
    assert outcome.mean_score <= course.pass_mark - 20
