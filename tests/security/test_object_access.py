"""Ids in URLs reach only what the requester may see: attempts, certificates and self-check responses are
their owner's alone; a manager reaches their own department's staff; an HR user their own uploads.

Someone else's record answers exactly like a record that does not exist, so ids reveal nothing.
"""

from __future__ import annotations

from sqlalchemy import select

from elearn.extensions import db
from elearn.models import Attempt, SecurityEvent, SecurityKind
from tests.learn.quiz import answers
from tests.security.world import build_world, changed_tables, client_for, table_contents

MISSING = 10**6


def page(response, path: str) -> tuple[int, str]:
    """Status and body, less the page's own address (the language switch links back to it)."""
    return response.status_code, response.get_data(as_text=True).replace(path, "<path>")


def get(client, path: str) -> tuple[int, str]:
    return page(client.get(path), path)


def test_another_employees_attempt_cannot_be_read_answered_or_submitted(app, people):
    world = build_world(people)
    theirs = world.of(world.colleague).open.id
    client = client_for(app, world, "employee")
    chosen = answers(theirs, correct=True)[0]
    before = table_contents()
    for method, path, data in (
        ("GET", f"/attempts/{theirs}", None),
        ("GET", f"/attempts/{theirs}/questions/1", None),
        ("POST", f"/attempts/{theirs}/questions/1", {"answer": chosen}),
        ("GET", f"/attempts/{theirs}/submit", None),
        ("POST", f"/attempts/{theirs}/submit", {}),
    ):
        assert client.open(path, method=method, data=data).status_code == 404, (method, path)
    # Nothing but the security log's record of each refusal.
    assert changed_tables(before, table_contents()) == {"security_events"}
    refusals = db.session.scalars(select(SecurityEvent.kind)).all()
    assert refusals == [SecurityKind.ACCESS_REFUSED.value] * 5
    assert db.session.get(Attempt, theirs).submitted_at is None


def test_someone_elses_record_looks_exactly_like_a_missing_one(app, people):
    world = build_world(people)
    client = client_for(app, world, "employee")
    theirs = world.of(world.colleague)
    for pattern, record_id in (
        ("/attempts/{}", theirs.submitted.id),
        ("/attempts/{}/questions/1", theirs.open.id),
        ("/certificates/{}", theirs.completion.id),
        ("/selfcheck/responses/{}", theirs.response.id),
    ):
        assert get(client, pattern.format(record_id)) == get(client, pattern.format(MISSING))


def test_a_certificate_is_its_owners_even_for_their_manager_and_hr(app, people):
    world = build_world(people)
    certificate = f"/certificates/{world.of(world.colleague).completion.id}"
    owner = client_for(app, world, "employee")
    owner_page = owner.get(f"/certificates/{world.of(world.users['employee']).completion.id}")
    assert owner_page.status_code == 200 and "青木 花子" in owner_page.get_data(as_text=True)
    for role in ("employee", "manager", "trainer", "hr"):
        response = client_for(app, world, role).get(certificate)
        assert response.status_code == 404, role
        assert world.colleague.name not in response.get_data(as_text=True)


def test_self_check_answers_are_private_even_from_their_manager_and_hr(app, people):
    world = build_world(people)
    response_id = world.of(world.colleague).response.id
    for role in ("employee", "manager", "trainer", "hr"):
        assert client_for(app, world, role).get(f"/selfcheck/responses/{response_id}").status_code == 404, (
            role
        )
    listing = client_for(app, world, "manager").get("/selfcheck/").get_data(as_text=True)
    assert f"/selfcheck/responses/{response_id}" not in listing


def test_a_manager_reaches_their_own_department_and_nobody_else(app, people):
    world = build_world(people)
    client = client_for(app, world, "manager")
    overview = client.get("/manage/").get_data(as_text=True)
    assert world.colleague.name in overview
    assert world.outsider.name not in overview and world.users["hr"].name not in overview
    assert client.get(f"/manage/employees/{world.colleague.employee_no}").status_code == 200
    outsider = get(client, f"/manage/employees/{world.outsider.employee_no}")
    assert outsider == get(client, "/manage/employees/NOBODY")


def test_a_manager_cannot_pick_another_department_through_the_query_string(app, people):
    world = build_world(people)
    client = client_for(app, world, "manager")
    response = client.get(f"/manage/?department={world.outsider.department_id}")
    assert response.status_code == 400
    assert world.outsider.name not in response.get_data(as_text=True)


def test_an_hr_user_cannot_open_or_import_another_hr_users_upload(app, people):
    world = build_world(people)
    token = world.of(world.other_hr).upload.token
    client = client_for(app, world, "hr")
    before = table_contents()
    assert client.get(f"/hr/roster/{token}").status_code == 404
    assert client.post(f"/hr/roster/{token}").status_code == 404
    assert changed_tables(before, table_contents()) == set()


def test_hr_pages_of_an_unknown_employee_number_are_not_found_and_write_nothing(app, people):
    world = build_world(people)
    client = client_for(app, world, "hr")
    before = table_contents()
    assert client.get("/hr/employees/NOBODY").status_code == 404
    assert client.post("/hr/employees/NOBODY/reset").status_code == 404
    assert changed_tables(before, table_contents()) == set()


def test_an_answer_naming_a_choice_of_another_question_is_refused(app, people):
    """Ids inside a form are checked too: a choice shown to someone else is no answer to my question."""
    world = build_world(people)
    mine = world.of(world.users["employee"]).open
    offered = set(mine.questions[0].choice_order)
    foreign = next(
        choice
        for question in world.of(world.colleague).open.questions
        for choice in question.choice_order
        if choice not in offered
    )
    client = client_for(app, world, "employee")
    before = table_contents()
    response = client.post(f"/attempts/{mine.id}/questions/1", data={"answer": str(foreign)})
    assert response.status_code == 200  # the question again, with an error
    assert changed_tables(before, table_contents()) == set()
