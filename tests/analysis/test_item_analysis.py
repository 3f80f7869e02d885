"""Item analysis: per scenario version, how many answered, the share correct and the likeliest wrong answer;
the private self-check only in aggregate, and only for groups of five or more (the attacks by
subtraction are in test_selfcheck_privacy.py)."""

import csv
import io

from openpyxl import load_workbook
from sqlalchemy import select

from elearn.config import PROJECT_ROOT
from elearn.content import load_tree
from elearn.extensions import db
from elearn.models import Role, SelfCheckVersion
from elearn.services.item_analysis import ItemSort, item_statistics, selfcheck_groups
from tests.records import answer, scenario_version, selfcheck_response

# The first wrong choice of definition-01 as written in the bank: the one chosen twice below.
WRONG_TEXT = next(
    c.text
    for s in load_tree(PROJECT_ROOT).content.scenarios
    if s.id == "definition-01"
    for c in s.choices
    if not c.correct
)


def answers_to_definition_01(people):
    """Five submitted answers (two right, two of the same wrong one, one other) and one not submitted."""
    version = scenario_version("definition-01")
    right = next(c for c in version.choices if c.correct)
    wrong = [c for c in version.choices if not c.correct]
    for chosen in (right, right, wrong[0], wrong[0], wrong[1]):
        answer(people.employee(), version, [chosen])
    answer(people.employee(), version, [wrong[2]], submitted=False)  # still open: not counted
    return version


def test_each_scenario_version_gets_answers_share_correct_and_top_wrong_answer(app, people):
    answers_to_definition_01(people)
    [stats] = item_statistics()
    assert (stats.scenario_key, stats.version) == ("definition-01", 1)
    assert (stats.answered, stats.correct) == (5, 2)
    assert stats.percent_correct == 40.0
    assert stats.top_wrong == WRONG_TEXT and stats.top_wrong_count == 2


def test_the_table_sorts_and_downloads_as_csv_and_xlsx(client, auth, people):
    answers_to_definition_01(people)
    other = scenario_version("definition-02")
    for _ in range(5):
        answer(people.employee(), other, [next(c for c in other.choices if c.correct)])
    assert [s.scenario_key for s in item_statistics(sort=ItemSort.CORRECT, descending=True)] == [
        "definition-02",
        "definition-01",
    ]

    auth.login_as(people.employee(Role.TRAINER))
    page = client.get("/analysis/?sort=correct&order=desc").get_data(as_text=True)
    assert page.index("definition-02") < page.index("definition-01")
    assert 'aria-sort="descending"' in page
    assert client.get("/analysis/?sort=bogus").status_code == 400

    table = list(csv.reader(io.StringIO(client.get("/analysis/items.csv").data.decode("utf-8-sig"))))
    assert table[0][:7] == ["シナリオ", "版", "題名", "分類", "回答数", "正答数", "正答率(%)"]
    assert table[1][0] == "definition-01" and table[1][4:9] == ["5", "2", "40.0", WRONG_TEXT, "2"]
    sheet = load_workbook(io.BytesIO(client.get("/analysis/items.xlsx").data), read_only=True).active
    assert list(sheet.iter_rows(values_only=True))[1][4:7] == (5, 2, 40.0)


def test_self_check_answers_are_shown_only_for_departments_of_five_or_more(app, people):
    version = db.session.scalars(select(SelfCheckVersion)).first()
    for n in range(5):
        selfcheck_response(people.employee(department="市民課"), version, answer_index=n % 2)
    for _ in range(2):
        selfcheck_response(people.employee(department="課税課"), version, answer_index=3)

    [whole] = selfcheck_groups()  # the sum of the departments shown: 課税課's two are not in it
    assert (whole.respondents, whole.waiting) == (5, 2) and not whole.suppressed
    assert whole.items[0].counts == [3, 2, 0, 0]

    by_department = {g.group: g for g in selfcheck_groups(by_department=True)}
    assert by_department["市民課"].items[0].counts == [3, 2, 0, 0]
    assert by_department["課税課"].suppressed and by_department["課税課"].items == []
    assert by_department["課税課"].waiting == 2


def test_a_respondent_is_counted_once_with_their_latest_answers(app, people):
    version = db.session.scalars(select(SelfCheckVersion)).first()
    repeat = people.employee()
    selfcheck_response(repeat, version, answer_index=0)
    selfcheck_response(repeat, version, answer_index=2)
    for _ in range(3):
        selfcheck_response(people.employee(), version, answer_index=1)
    [group] = selfcheck_groups()
    assert (group.respondents, group.waiting) == (0, 4) and group.suppressed
    selfcheck_response(people.employee(), version, answer_index=1)
    [group] = selfcheck_groups()
    assert group.respondents == 5 and group.items[0].counts == [0, 4, 1, 0]


def test_the_page_hides_small_self_check_groups(client, auth, people):
    version = db.session.scalars(select(SelfCheckVersion)).first()
    for _ in range(3):
        selfcheck_response(people.employee(), version, answer_index=1)
    auth.login_as(people.employee(Role.HR))
    page = client.get("/analysis/").get_data(as_text=True)
    assert "0 人" in page and "集計待ち 3 人" in page and "回答者が少ないため内訳は表示しません" in page


def test_scenario_versions_with_fewer_than_five_answers_show_only_their_count(client, auth, people):
    answers_to_definition_01(people)
    few = scenario_version("definition-02")
    for _ in range(4):
        answer(people.employee(), few, [next(c for c in few.choices if not c.correct)])
    by_key = {s.scenario_key: s for s in item_statistics()}
    assert by_key["definition-02"].suppressed and not by_key["definition-01"].suppressed
    # Nor does the order tell: by share correct, the hidden 0 % sorts below 40 % either way.
    for descending in (False, True):
        order = [s.scenario_key for s in item_statistics(sort=ItemSort.CORRECT, descending=descending)]
        assert order == (
            ["definition-01", "definition-02"] if descending else ["definition-02", "definition-01"]
        )

    auth.login_as(people.employee(Role.HR))
    page = client.get("/analysis/").get_data(as_text=True)
    assert "回答が 5 件未満のため表示しません" in page
    table = list(csv.reader(io.StringIO(client.get("/analysis/items.csv").data.decode("utf-8-sig"))))
    hidden = next(row for row in table if row[0] == "definition-02")
    assert hidden[4:] == ["4", "", "", "", ""]
