"""Login throttling: 5 failures per account, 20 per address in 15 minutes, then 429 until the window passes.

The counters live in the database, so every app process sees the same ones (see also
tests/reliability/test_concurrency.py, which guesses at one account through several processes).
"""

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from elearn.config import ConfigError, load_config
from elearn.extensions import db
from elearn.models import LoginAttempt
from elearn.services.login_throttle import LoginLimits
from tests.conftest import PASSWORD, running_app

WRONG = "wrong-pass-1"
THROTTLED = "ログインの失敗が続いたため、しばらくログインできません。"
CSRF_VALUE = re.compile(r'name="csrf_token" type="hidden" value="[^"]+"')


def login(client, employee_no: str, password: str, address: str = "192.0.2.10"):
    return client.post(
        "/login",
        data={"employee_no": employee_no, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def fail(client, employee_no: str, times: int, address: str = "192.0.2.10") -> None:
    for _ in range(times):
        response = login(client, employee_no, WRONG, address)
        assert response.status_code == 200, response.status_code


def logged_in(client) -> bool:
    return client.get("/").status_code == 200


def pass_the_window(minutes: int = 15) -> None:
    """Let time pass for the throttle: every attempt kept so far becomes that much older."""
    for attempt in db.session.scalars(select(LoginAttempt)):
        attempt.attempted_at -= timedelta(minutes=minutes)
    db.session.commit()


def attempts_kept() -> int:
    return db.session.scalar(select(func.count(LoginAttempt.id)))


def test_after_five_failures_even_the_right_password_is_refused_with_429(client, people):
    employee = people.employee()
    fail(client, employee.employee_no, 5)
    response = login(client, employee.employee_no, PASSWORD)
    assert response.status_code == 429
    assert THROTTLED in response.get_data(as_text=True)
    assert 14 * 60 < int(response.headers["Retry-After"]) <= 15 * 60
    assert not logged_in(client)


def test_four_failures_still_allow_the_right_password(client, people):
    employee = people.employee()
    fail(client, employee.employee_no, 4)
    assert login(client, employee.employee_no, PASSWORD).status_code == 302
    assert logged_in(client)


def test_the_account_opens_again_when_the_window_has_passed(client, people):
    employee = people.employee()
    fail(client, employee.employee_no, 5)
    pass_the_window(minutes=14)
    assert login(client, employee.employee_no, PASSWORD).status_code == 429
    pass_the_window(minutes=1)
    assert login(client, employee.employee_no, PASSWORD).status_code == 302
    assert logged_in(client)


def test_a_successful_login_clears_the_accounts_failures(client, auth, people):
    employee = people.employee()
    fail(client, employee.employee_no, 4)
    assert login(client, employee.employee_no, PASSWORD).status_code == 302
    auth.logout()
    fail(client, employee.employee_no, 4)
    assert login(client, employee.employee_no, PASSWORD).status_code == 302


def test_refused_attempts_do_not_prolong_the_wait(client, people):
    employee = people.employee()
    fail(client, employee.employee_no, 5)
    for _ in range(10):
        assert login(client, employee.employee_no, WRONG).status_code == 429
    assert attempts_kept() == 5
    pass_the_window()
    assert login(client, employee.employee_no, PASSWORD).status_code == 302


def test_unknown_employee_numbers_are_throttled_like_real_ones(client, people):
    real = people.employee()
    fail(client, real.employee_no, 5)
    fail(client, "NOBODY", 5)
    refused_real = login(client, real.employee_no, WRONG)
    refused_unknown = login(client, "NOBODY", WRONG)
    assert refused_real.status_code == refused_unknown.status_code == 429
    page_real = anonymised(refused_real.get_data(as_text=True), real.employee_no)
    assert page_real == anonymised(refused_unknown.get_data(as_text=True), "NOBODY")


def anonymised(page: str, employee_no: str) -> str:
    """The page without what must differ: the number typed, and the CSRF token (signed with the second
    it was made in, so two pages a moment apart may carry different ones)."""
    return CSRF_VALUE.sub('name="csrf_token" type="hidden" value="?"', page.replace(employee_no, "?"))


def test_one_account_locked_leaves_other_accounts_and_addresses_alone(client, people):
    locked, other = people.employee(), people.employee()
    fail(client, locked.employee_no, 5)
    assert login(client, locked.employee_no, PASSWORD, address="198.51.100.7").status_code == 429
    assert login(client, other.employee_no, PASSWORD).status_code == 302


def test_the_limits_are_5_per_account_and_20_per_address_in_15_minutes(app):
    assert LoginLimits.from_config(app.config) == LoginLimits(5, 20, timedelta(minutes=15))


@pytest.fixture
def small_office(database) -> Iterator[FlaskClient]:
    """The per-address limit at 4 instead of 20: the same rule, with fewer slow password checks."""
    with running_app(database, WTF_CSRF_ENABLED=False, LOGIN_FAILURES_PER_ADDRESS=4) as app:
        yield app.test_client()


def test_failures_from_one_address_close_it_for_every_account(small_office, people):
    sprayed = [people.employee() for _ in range(2)]
    for employee in sprayed:
        fail(small_office, employee.employee_no, 2)  # under the per-account limit each
    newcomer = people.employee()
    refused = login(small_office, newcomer.employee_no, PASSWORD)
    assert refused.status_code == 429
    assert THROTTLED in refused.get_data(as_text=True)
    assert login(small_office, newcomer.employee_no, PASSWORD, address="198.51.100.7").status_code == 302


def test_successful_logins_from_a_shared_address_do_not_count_against_it(small_office, people):
    """A whole office behind one router logs in at nine: only failures count per address."""
    for employee in [people.employee() for _ in range(5)]:
        assert login(small_office, employee.employee_no, PASSWORD).status_code == 302
        small_office.post("/logout")
    assert attempts_kept() == 0


def test_the_limits_come_from_the_configuration(database, people):
    with running_app(database, WTF_CSRF_ENABLED=False, LOGIN_FAILURES_PER_ACCOUNT=2) as app:
        client = app.test_client()
        employee = people.employee()
        fail(client, employee.employee_no, 2)
        assert login(client, employee.employee_no, PASSWORD).status_code == 429


def test_forwarded_addresses_are_ignored_unless_a_proxy_is_configured(client, people):
    employee = people.employee()
    for number in range(5):
        client.post(
            "/login",
            data={"employee_no": employee.employee_no, "password": WRONG},
            headers={"X-Forwarded-For": f"203.0.113.{number}"},
        )
    assert login(client, employee.employee_no, PASSWORD, address="127.0.0.1").status_code == 429
    assert set(db.session.scalars(select(LoginAttempt.address))) == {"127.0.0.1"}


def test_behind_a_configured_proxy_the_forwarded_address_is_the_one_counted(database, people):
    with running_app(database, WTF_CSRF_ENABLED=False, PROXY_FIX=1, LOGIN_FAILURES_PER_ADDRESS=4) as app:
        client = app.test_client()
        through = {"X-Forwarded-For": "203.0.113.9"}
        for employee in [people.employee() for _ in range(2)]:
            for _ in range(2):
                data = {"employee_no": employee.employee_no, "password": WRONG}
                assert client.post("/login", data=data, headers=through).status_code == 200
        data = {"employee_no": people.employee().employee_no, "password": PASSWORD}
        assert client.post("/login", data=data, headers=through).status_code == 429
        elsewhere = {"X-Forwarded-For": "203.0.113.10"}
        assert client.post("/login", data=data, headers=elsewhere).status_code == 302


@pytest.mark.parametrize(("value", "proxies"), [("", 0), ("0", 0), ("1", 1), ("2", 2)])
def test_elearn_proxy_fix_is_the_number_of_proxies_to_trust(tmp_path, value, proxies):
    assert load_config({"ELEARN_PROXY_FIX": value}, str(tmp_path))["PROXY_FIX"] == proxies


@pytest.mark.parametrize("value", ["yes", "-1", "9"])
def test_a_wrong_elearn_proxy_fix_stops_the_start(tmp_path, value):
    with pytest.raises(ConfigError, match="ELEARN_PROXY_FIX"):
        load_config({"ELEARN_PROXY_FIX": value}, str(tmp_path))
