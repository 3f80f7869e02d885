"""The password policy (OWASP ASVS 4.0.3, 2.1): at least 12 characters, no composition rules, no common
or breached password, nothing containing the 職員番号; enforced wherever a password is set —
activation, the 「パスワードの変更」 page, ``elearn user set-password``."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from werkzeug.security import check_password_hash

from elearn.extensions import db
from elearn.models import Employee, SecurityEvent, SecurityKind, UserSession
from elearn.services.accounts import PasswordPolicyError, check_password_policy, common_passwords
from elearn.services.activation import reset_account
from elearn.services.audit import Actor
from tests.conftest import PASSWORD

NEW = "a-long-and-private-phrase"


@pytest.mark.parametrize(
    "weak",
    [
        "short-pass1",  # 11 characters
        "password1234",
        "PASSWORD1234",  # the list is compared without case
        "ｐａｓｓｗｏｒｄ１２３４",  # nor full-width forms
        "qwerty123456",
        "1q2w3e4r5t6y",
        "leavemealone",
    ],
)
def test_short_and_common_passwords_are_refused(weak):
    with pytest.raises(PasswordPolicyError):
        check_password_policy(weak)


@pytest.mark.parametrize("number", ["T0042", "t0042"])
def test_a_password_containing_the_employee_number_is_refused_whatever_the_case(number):
    with pytest.raises(PasswordPolicyError, match="職員番号"):
        check_password_policy(f"my-{number}-secret-phrase", "T0042")


@pytest.mark.parametrize(
    "fine",
    ["onlylettersbutlong", "パスワードだけのながいもじれつ", "123498761234987", "twelve chars"],
)
def test_no_composition_rules_length_is_what_counts(fine):
    check_password_policy(fine, "T0042")


def test_the_list_of_common_passwords_holds_at_least_ten_thousand():
    assert len(common_passwords()) >= 10_000
    assert {"password", "123456", "password1234"} <= common_passwords()


def sessions_of(employee: Employee) -> list[UserSession]:
    db.session.expire_all()
    return list(db.session.scalars(select(UserSession).where(UserSession.employee_id == employee.id)))


def change(client, current: str = PASSWORD, new: str = NEW, confirm: str | None = None):
    return client.post(
        "/password", data={"current_password": current, "password": new, "confirm": confirm or new}
    )


def test_every_signed_in_user_has_a_link_to_change_their_password(client, auth, people):
    auth.login_as(people.employee())
    assert 'href="/password"' in client.get("/").get_data(as_text=True)
    assert "パスワードの変更" in client.get("/password").get_data(as_text=True)


def test_changing_the_password_needs_the_current_one(client, auth, people):
    employee = people.employee()
    auth.login_as(employee)
    response = change(client, current="not-my-password")
    assert response.status_code == 200
    assert "現在のパスワードが正しくありません" in response.get_data(as_text=True)
    db.session.refresh(employee)
    assert check_password_hash(employee.password_hash, PASSWORD)


def test_the_change_page_refuses_password1234(client, auth, people):
    employee = people.employee()
    auth.login_as(employee)
    page = change(client, new="password1234").get_data(as_text=True)
    assert "よく使われているパスワード" in page
    db.session.refresh(employee)
    assert check_password_hash(employee.password_hash, PASSWORD)


def test_a_changed_password_ends_the_other_sessions_and_keeps_this_one(app, client, auth, people):
    employee = people.employee()
    auth.login_as(employee)
    elsewhere = app.test_client()
    elsewhere.post("/login", data={"employee_no": employee.employee_no, "password": PASSWORD})
    assert elsewhere.get("/").status_code == 200
    response = change(client)
    assert response.status_code == 303
    assert client.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302
    assert sorted(s.end_reason or "" for s in sessions_of(employee)) == ["", "password_changed"]
    fresh = app.test_client()
    assert (
        fresh.post("/login", data={"employee_no": employee.employee_no, "password": PASSWORD}).status_code
        == 200
    )
    assert (
        fresh.post("/login", data={"employee_no": employee.employee_no, "password": NEW}).status_code == 302
    )


def test_wrong_current_passwords_count_as_failed_logins(client, auth, people):
    """The change page is no way round the login limit: five wrong guesses lock it like the login."""
    employee = people.employee()
    auth.login_as(employee)
    for _ in range(5):
        assert change(client, current="guess-guess-guess").status_code == 200
    assert change(client).status_code == 429
    kinds = db.session.scalars(select(SecurityEvent.kind).where(SecurityEvent.employee_id == employee.id))
    assert list(kinds).count(SecurityKind.PASSWORD_CHANGE_REFUSED.value) == 5


def test_activation_refuses_password1234_and_a_password_with_the_employee_number(client, people):
    newcomer = people.employee(employee_no="N001")
    code = reset_account(newcomer, Actor.command_line(), days=14).code

    def activate(password: str):
        data = {"employee_no": "N001", "code": code, "password": password, "confirm": password}
        return client.post("/activate", data=data)

    assert "よく使われているパスワード" in activate("password1234").get_data(as_text=True)
    assert "職員番号を含む" in activate("n001-is-my-number").get_data(as_text=True)
    assert activate(NEW).status_code == 303  # the code survived the refusals


def test_the_command_line_refuses_password1234(runner, people):
    people.employee(employee_no="N001")
    result = runner.invoke(args=["user", "set-password", "N001"], input="password1234\n")
    assert result.exit_code != 0 and "よく使われているパスワード" in result.output
    result = runner.invoke(args=["user", "set-password", "N001"], input="short\n")
    assert result.exit_code != 0 and "12 文字以上" in result.output
    assert runner.invoke(args=["user", "set-password", "N001"], input=f"{NEW}\n").exit_code == 0
