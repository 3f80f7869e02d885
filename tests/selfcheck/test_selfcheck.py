"""The self-check is private: the employee sees their result and guidance; nobody else sees their answers."""

import re

import pytest
from sqlalchemy import select

from elearn.extensions import db
from elearn.models import Role, SelfCheckResponse, SelfCheckVersion


def form_data(value: int) -> dict[str, str]:
    version = db.session.scalars(select(SelfCheckVersion)).first()
    return {f"item_{item_id}": str(value) for item_id, _statement in version.items}


def test_employee_answers_and_sees_score_and_guidance(client, auth, people):
    auth.login_as(people.employee())
    page = client.get("/selfcheck/own-conduct").get_data(as_text=True)
    assert "回答はあなただけが見られます" in page
    response = client.post("/selfcheck/own-conduct", data=form_data(0))
    assert response.status_code == 303
    result = client.get(response.headers["Location"]).get_data(as_text=True)
    assert re.search(r"合計 0 点（\d+ 点中）", result)
    assert "第4-3" in result  # the band's guidance with its clause link
    assert "不合格" not in result and "合格です" not in result


def test_the_self_check_can_be_retaken(client, auth, people):
    employee = people.employee()
    auth.login_as(employee)
    client.post("/selfcheck/own-conduct", data=form_data(0))
    client.post("/selfcheck/own-conduct", data=form_data(3))
    scores = sorted(r.score for r in db.session.scalars(select(SelfCheckResponse)))
    assert scores[0] == 0 and scores[1] > 0
    listing = client.get("/selfcheck/").get_data(as_text=True)
    assert listing.count("/selfcheck/responses/") == 2


def test_every_item_must_be_answered(client, auth, people):
    auth.login_as(people.employee())
    data = form_data(1)
    data.pop(next(iter(data)))
    response = client.post("/selfcheck/own-conduct", data=data)
    assert response.status_code == 200
    assert db.session.scalar(select(SelfCheckResponse)) is None


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.MANAGER, Role.TRAINER, Role.HR])
def test_nobody_else_can_read_an_individuals_answers(client, auth, people, role):
    owner = people.employee(department="市民課")
    auth.login_as(owner)
    location = client.post("/selfcheck/own-conduct", data=form_data(2)).headers["Location"]
    auth.logout()
    auth.login_as(people.employee(role, department="市民課"))
    assert client.get(location).status_code == 404
