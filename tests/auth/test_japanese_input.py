"""Employee numbers typed on a Japanese keyboard: full-width or lower case, the same account."""

import pytest

from elearn.extensions import db
from elearn.services.activation import issue_codes
from elearn.services.audit import Actor
from tests.conftest import PASSWORD

WRONG = "wrong-pass-1"


def login(client, employee_no: str, password: str = PASSWORD):
    return client.post("/login", data={"employee_no": employee_no, "password": password})


@pytest.mark.parametrize("typed", ["ｄ０００５", "Ｄ０００５", "d0005", " D0005 "])
def test_a_number_typed_full_width_or_in_lower_case_logs_in(client, people, typed):
    people.employee(employee_no="D0005", name="全角 入力")
    response = login(client, typed)
    assert response.status_code == 302
    assert "全角 入力" in client.get("/").get_data(as_text=True)


def test_failures_typed_full_width_count_against_that_account_only(client, people):
    people.employee(employee_no="D0005")
    other = people.employee(employee_no="D0006")
    for _ in range(5):
        assert login(client, "ｄ０００５", WRONG).status_code == 200
    assert login(client, "D0005").status_code == 429  # the same account: its five failures count
    assert login(client, other.employee_no).status_code == 302


def full_width(text: str) -> str:
    return text.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})


def test_an_activation_accepts_a_full_width_number_and_code(client, people):
    employee = people.employee(employee_no="D0007")
    employee.password_hash = None
    db.session.commit()
    [issued] = issue_codes(Actor.command_line(), days=7)
    new_password = "new-pass-2026"
    response = client.post(
        "/activate",
        data={
            "employee_no": "ｄ０００７",
            "code": full_width(issued.code.lower()),
            "password": new_password,
            "confirm": new_password,
        },
    )
    assert response.status_code == 303
    client.post("/logout")
    assert login(client, employee.employee_no, new_password).status_code == 302
