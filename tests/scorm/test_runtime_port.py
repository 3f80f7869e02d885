"""The package's script draws and scores as the app does: the same rules run in Python and in the
browser's script (under Node) on the same bank, with the same seeded shuffle."""

from __future__ import annotations

import json
from dataclasses import asdict

import pytest

from elearn.content import DrawError, draw
from elearn.scorm import draw_plan
from tests.scorm.packages import bank, content, package_course
from tests.scorm.runtime import SeededShuffle, node

SEEDS = range(12)


def drawable() -> list[dict[str, object]]:
    return [{"id": s.id, "category": s.category, "perspective": s.perspective, "clauses": list(s.clauses)}
            for s in bank()]  # fmt: skip


def rule_sets() -> list[dict[str, object]]:
    """Every course's own rules, and rules that use each kind of filter, minimum and fixed id."""
    ids = [s.id for s in bank()]
    courses = [c.quiz.as_dict() for c in content().courses]
    made_up = [
        {"questions": 5, "pool": {"perspectives": ["staff-as-harasser", "legitimate-complaint"]}},
        {"questions": 4, "pool": {"clauses": ["第2(1)", "第4-3"]}, "minimum": {"clause": {"第4-3": 2}}},
        {"questions": 6, "minimum": {"category": {"暴言": 2}, "perspective": {"legitimate-complaint": 1}}},
        {"questions": 5, "fixed": [ids[3], ids[40], ids[3]], "minimum": {"clause": {"第2(3)": 2}}},
        {"questions": 3, "pool": {"categories": ["暴言", "暴行"]}, "fixed": [ids[0]]},
        # Impossible ones: each error as the app words it.
        {"questions": 3, "fixed": ["no-such-scenario"]},
        {"questions": len(ids) + 1},
        {"questions": 2, "minimum": {"perspective": {"staff-as-harasser": 2, "legitimate-complaint": 2}}},
        {"questions": 3, "pool": {"clauses": ["第2(1)"]}, "minimum": {"clause": {"第6": 1}}},
    ]
    return [{"pool": {}, "minimum": {}, "fixed": [], **rules} for rules in courses + made_up]


def draw_case(rules: dict, pool: list, seed: int) -> dict[str, object]:
    """A draw for the script: the rules, the scenarios to draw from, the seed."""
    return {**{k: rules[k] for k in ("questions", "pool", "minimum", "fixed")}, "bank": pool, "seed": seed}


def python_draw(rules: dict, seed: int) -> dict[str, object]:
    try:
        drawn = draw(
            rules["questions"], rules["pool"], rules["minimum"], rules["fixed"], bank(), SeededShuffle(seed)
        )
    except DrawError as exc:
        return {"error": str(exc)}
    return {"ids": [s.id for s in drawn]}


def test_the_browser_draws_exactly_what_the_app_draws_with_the_same_shuffle():
    cases = [draw_case(rules, drawable(), seed) for rules in rule_sets() for seed in SEEDS]
    expected = [python_draw(case, case["seed"]) for case in cases]
    assert node("draw", cases=cases) == expected
    assert sum("error" in e for e in expected) == 4 * len(SEEDS), "every impossible rule set is refused"


def test_the_browser_draws_from_the_exported_plan_what_the_app_draws_from_the_whole_bank():
    plan = draw_plan(package_course(), bank())
    assert len(plan["pool"]) == len(bank())  # kihon-houshin filters nothing: its plan is the whole bank
    narrow = package_course(quiz_rules={"questions": 4, "pool": {"perspectives": ["staff-as-harasser"]},
                                        "minimum": {}, "fixed": [bank()[0].id]})  # fmt: skip
    narrow_plan = draw_plan(narrow, bank())
    assert {s["id"] for s in narrow_plan["pool"]} == {bank()[0].id} | {
        s.id for s in bank() if s.perspective == "staff-as-harasser"
    }
    for course_plan, course in ((plan, package_course()), (narrow_plan, narrow)):
        cases = [draw_case(course_plan["rules"], course_plan["pool"], seed) for seed in SEEDS]
        app_rules = {"pool": {}, "minimum": {}, "fixed": [], **course.quiz_rules}
        assert node("draw", cases=cases) == [python_draw(app_rules, seed) for seed in SEEDS]


def test_the_score_is_rounded_as_python_rounds_it_halves_to_even():
    pairs = [(correct, total) for total in range(1, 41) for correct in range(total + 1)]
    assert node("percent", pairs=pairs) == [round(100 * c / t) for c, t in pairs]
    assert node("percent", pairs=[[1, 8], [3, 8]]) == [12, 38]


def test_a_question_is_right_only_when_exactly_the_correct_choices_are_chosen():
    select_all = {"choices": [{"correct": True}, {"correct": False}, {"correct": True}]}
    single = {"choices": [{"correct": False}, {"correct": True}]}
    cases = [[select_all, [0, 2]], [select_all, [2, 0]], [select_all, [0]], [select_all, [0, 1, 2]],
             [single, [1]], [single, [0]], [single, [0, 1]]]  # fmt: skip
    assert node("isRight", cases=cases) == [True, True, False, False, True, False, False]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_whole_answered_quiz_of_the_course_fits_in_suspend_data_and_reads_back(seed):
    state = node("state", plan=draw_plan(package_course(), bank()), seed=seed)
    assert state["roundTrip"]
    assert len(state["encoded"]) <= node("limit") == 4096


def test_even_a_quiz_of_the_whole_bank_fits_in_suspend_data():
    whole = package_course(quiz_rules={"questions": len(bank()), "pool": {}, "minimum": {}, "fixed": []})
    state = node("state", plan=draw_plan(whole, bank()), seed=7)
    assert state["roundTrip"]
    assert len(state["encoded"]) <= 4096, len(state["encoded"])


def test_the_plan_is_plain_json_with_the_rules_of_the_course():
    plan = draw_plan(package_course(), bank())
    assert json.loads(json.dumps(plan)) == plan
    course = next(c for c in content().courses if c.id == "kihon-houshin")
    assert plan["rules"]["questions"] == course.quiz.questions
    assert plan["rules"]["minimum"] == asdict(course.quiz)["minimum"]
    assert (plan["passMark"], plan["review"]) == (course.pass_mark, "after_pass")
