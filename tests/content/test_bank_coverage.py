"""The project's own scenario bank covers the policy with both sides of the line (issue 5's minimums).

The rules come from the content settings (policy/settings.yml: categories, coverage), not from code.
"""

import pytest

from elearn.config import PROJECT_ROOT
from elearn.content import load_tree, settings_of, stats

SETTINGS = settings_of(PROJECT_ROOT)


@pytest.fixture(scope="module")
def bank():
    result = load_tree(PROJECT_ROOT)
    assert not result.problems, [str(p) for p in result.problems]
    return result.content


def test_the_bank_has_at_least_sixty_scenarios(bank):
    assert len(bank.scenarios) >= 60


def test_every_behaviour_of_the_settings_has_its_minimum_of_scenarios(bank):
    counts = stats(bank, SETTINGS)["by_category"]
    minimum = SETTINGS.coverage.scenarios_per_category
    assert minimum >= 4
    for category, clause in SETTINGS.categories.items():
        if clause is not None:  # a category without a clause is "not harassment", not a behaviour
            assert counts[category] >= minimum, category


def test_both_sides_of_the_line_are_well_represented(bank):
    perspectives = stats(bank, SETTINGS)["by_perspective"]
    assert perspectives["staff-as-harasser"] >= 8
    assert perspectives["legitimate-complaint"] >= 8


def test_every_clause_is_cited_as_often_as_the_settings_ask(bank):
    by_clause = stats(bank, SETTINGS)["by_clause"]
    minimum = SETTINGS.coverage.citations_per_clause
    assert minimum >= 2
    assert {c: n for c, n in by_clause.items() if n < minimum} == {}
    assert set(SETTINGS.clause_ids()) <= by_clause.keys()


def test_manager_responses_and_definition_boundaries_are_covered(bank):
    assert sum("第4-2" in s.clauses for s in bank.scenarios) >= 4
    definitions = [s for s in bank.scenarios if s.id.startswith("definition-")]
    assert len(definitions) >= 4
    assert all(any(c.startswith("第1-") for c in s.clauses) for s in definitions)


def test_settings_and_difficulties_are_spread(bank):
    summary = stats(bank, SETTINGS)
    assert len(summary["by_setting"]) >= 6
    assert all(summary["by_difficulty"][d] >= 10 for d in SETTINGS.difficulties)


def test_every_scenario_has_feedback_on_every_choice(bank):
    missing = [(s.id, i) for s in bank.scenarios for i, c in enumerate(s.choices) if not c.feedback]
    assert missing == []


def test_staff_as_harasser_scenarios_rest_on_section_4_3(bank):
    assert all("第4-3" in s.clauses for s in bank.scenarios if s.perspective == "staff-as-harasser")


def test_stats_name_no_gap_in_the_shipped_bank_and_every_gap_in_a_thin_one(bank):
    assert stats(bank, SETTINGS)["coverage_gaps"] == {"categories": {}, "clauses": {}}
    thin = type(bank)(scenarios=[s for s in bank.scenarios if s.category != "暴行"])
    gaps = stats(thin, SETTINGS)["coverage_gaps"]
    assert gaps["categories"] == {"暴行": 0}
    assert all(count < SETTINGS.coverage.citations_per_clause for count in gaps["clauses"].values())
