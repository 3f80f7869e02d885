"""Self-check aggregates survive subtraction: no difference between two readings of /analysis/, and no
total minus the groups shown, reveals fewer than five people's answers."""

from __future__ import annotations

from sqlalchemy import select

from elearn.extensions import db
from elearn.models import Role, SelfCheckVersion
from elearn.services.item_analysis import SelfCheckGroup, selfcheck_groups
from tests.records import selfcheck_response


def version() -> SelfCheckVersion:
    return db.session.scalars(select(SelfCheckVersion)).first()


def counts(group: SelfCheckGroup) -> list[list[int]]:
    return [item.counts for item in group.items]


def test_one_more_answer_changes_nothing_published_until_five_have_come_in(app, people):
    for _ in range(5):
        selfcheck_response(people.employee(), version(), answer_index=0)
    [before] = selfcheck_groups()
    for newcomer in range(1, 5):  # the attack: read, let one person answer, read again
        selfcheck_response(people.employee(), version(), answer_index=3)
        [after] = selfcheck_groups()
        assert (counts(after), after.respondents, after.waiting) == (counts(before), 5, newcomer)
    selfcheck_response(people.employee(), version(), answer_index=3)
    [advanced] = selfcheck_groups()
    assert advanced.respondents == 10 and advanced.waiting == 0
    assert advanced.items[0].counts == [5, 0, 0, 5]  # the difference is five people's answers


def test_changing_ones_answers_changes_nothing_published_until_four_others_have_answered(app, people):
    staff = [people.employee() for _ in range(5)]
    for employee in staff:
        selfcheck_response(employee, version(), answer_index=0)
    [before] = selfcheck_groups()
    selfcheck_response(staff[0], version(), answer_index=3)
    selfcheck_response(staff[0], version(), answer_index=2)  # the same person again is still one
    [after] = selfcheck_groups()
    assert counts(after) == counts(before) and after.waiting == 1


def test_the_whole_minus_the_departments_shown_reveals_no_hidden_department(app, people):
    for _ in range(5):
        selfcheck_response(people.employee(department="市民課"), version(), answer_index=0)
    selfcheck_response(people.employee(department="課税課"), version(), answer_index=3)  # alone
    for _ in range(6):
        selfcheck_response(people.employee(department="福祉課"), version(), answer_index=1)
    [whole] = selfcheck_groups()
    shown = [g for g in selfcheck_groups(by_department=True) if not g.suppressed]
    assert {g.group for g in shown} == {"市民課", "福祉課"}
    remainder = [
        [total - sum(g.items[i].counts[a] for g in shown) for a, total in enumerate(item.counts)]
        for i, item in enumerate(whole.items)
    ]
    assert remainder == [[0, 0, 0, 0]] * len(whole.items)
    assert whole.respondents == sum(g.respondents for g in shown) == 10  # 福祉課's sixth is waiting


def test_a_transfer_moves_no_answers_between_published_figures(app, people):
    staff = [people.employee(department="市民課") for _ in range(5)]
    for _ in range(5):
        selfcheck_response(people.employee(department="課税課"), version(), answer_index=1)
    for employee in staff:
        selfcheck_response(employee, version(), answer_index=0)
    before = {g.group: counts(g) for g in selfcheck_groups(by_department=True)}
    staff[0].department = people.department("課税課")
    db.session.commit()
    assert {g.group: counts(g) for g in selfcheck_groups(by_department=True)} == before


def test_the_page_says_how_many_answers_wait_for_the_next_snapshot(client, auth, people):
    for _ in range(7):
        selfcheck_response(people.employee(), version(), answer_index=1)
    auth.login_as(people.employee(Role.HR))
    page = client.get("/analysis/").get_data(as_text=True)
    assert "5 人" in page and "集計待ち 2 人" in page
