"""/activate: at most 10 unsuccessful tries per address in 15 minutes, and at most 5 checked per code.

Like login throttling, the counts live in the database, so every app process sees the same ones.
"""

from __future__ import annotations

from contextlib import suppress

from sqlalchemy import select

from elearn.extensions import db
from elearn.models import ActivationCode, Role
from elearn.services import activation
from elearn.services.activation import MAX_FAILED_ATTEMPTS, issue_codes
from elearn.services.audit import Actor
from tests.conftest import PASSWORD

NEW_PASSWORD = "my-own-secret-7"
WRONG_CODE = "AAAA-BBBB-CCCC"
THROTTLED = "有効化の失敗が続いたため"


def newcomers(people, count: int) -> dict[str, str]:
    """``count`` employees without a password, and the code each was given."""
    for number in range(count):
        people.employee(employee_no=f"N{number:03d}").password_hash = None
    db.session.commit()
    return {code.employee_no: code.code for code in issue_codes(Actor.of(people.employee(Role.HR)), days=14)}


def activate(app, number: str, code: str, address: str = "192.0.2.10"):
    """From a browser of its own: a successful activation signs that browser in."""
    return app.test_client().post(
        "/activate",
        data={"employee_no": number, "code": code, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        environ_base={"REMOTE_ADDR": address},
    )


def test_an_address_that_tried_ten_wrong_codes_is_refused_even_the_right_one(app, people):
    codes = newcomers(people, 6)
    for number in range(10):  # two guesses at each of five codes: none of them is revoked
        assert activate(app, f"N{number % 5:03d}", WRONG_CODE).status_code == 200
    refused = activate(app, "N005", codes["N005"])
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert THROTTLED in refused.get_data(as_text=True)
    assert activate(app, "N005", codes["N005"], address="192.0.2.99").status_code == 303


def test_unknown_employee_numbers_count_against_the_address_too(app, people):
    codes = newcomers(people, 1)
    for number in range(10):
        activate(app, f"X{number:03d}", WRONG_CODE)
    assert activate(app, "N000", codes["N000"]).status_code == 429


def test_successful_activations_from_one_address_do_not_count_against_it(app, people):
    codes = newcomers(people, 12)  # a room of new staff behind one router
    for number, code in codes.items():
        assert activate(app, number, code).status_code == 303


def test_wrong_codes_do_not_count_against_later_logins(app, people):
    employee = people.employee(employee_no="E001")
    for _ in range(5):
        activate(app, "E001", WRONG_CODE, address="192.0.2.20")
    response = app.test_client().post(
        "/login",
        data={"employee_no": employee.employee_no, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "192.0.2.20"},
    )
    assert response.status_code == 302


def test_of_many_concurrent_guesses_at_one_code_at_most_five_are_checked(app, people, monkeypatch):
    """Each guess is counted before it is checked: while one guess is being checked, eleven more arrive
    (each in a request and database session of its own, as from other processes)."""
    codes = newcomers(people, 1)
    checked = []
    original = activation.code_matches

    def slow_check(code: str, stored: str) -> bool:
        checked.append(code)
        if len(checked) == 1:
            for _ in range(11):
                with app.app_context(), suppress(activation.ActivationError):
                    activation.activate("N000", WRONG_CODE, NEW_PASSWORD)
        return original(code, stored)

    monkeypatch.setattr(activation, "code_matches", slow_check)
    with suppress(activation.ActivationError):
        activation.activate("N000", WRONG_CODE, NEW_PASSWORD)
    assert len(checked) == MAX_FAILED_ATTEMPTS
    code = db.session.scalar(select(ActivationCode))
    db.session.refresh(code)
    assert code.revoked_at is not None and code.failed_attempts == MAX_FAILED_ATTEMPTS
    assert activate(app, "N000", codes["N000"]).status_code == 200  # revoked: the right code comes too late


def test_a_right_code_with_a_refused_password_is_no_wrong_guess(app, people):
    codes = newcomers(people, 1)
    for _ in range(MAX_FAILED_ATTEMPTS):
        app.test_client().post(
            "/activate", data={"employee_no": "N000", "code": codes["N000"], "password": "x", "confirm": "x"}
        )
    assert db.session.scalar(select(ActivationCode.failed_attempts)) == 0
    assert activate(app, "N000", codes["N000"]).status_code == 303
