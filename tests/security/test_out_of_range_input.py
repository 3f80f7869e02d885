"""Numbers and characters no page link would send are a 4xx page, never a 500: ids and page numbers
beyond what the database stores (10^20, and 2^31 which PostgreSQL's INTEGER cannot hold), digits that
are not ASCII (``²``), NUL in a path, CR/LF in a redirect target."""

from __future__ import annotations

import io

import pytest

from elearn.models import Role
from tests.conftest import PASSWORD

HUGE = (10**20, 2**31)


@pytest.mark.parametrize("number", HUGE)
@pytest.mark.parametrize(
    "path",
    [
        "/attempts/{n}",
        "/attempts/1/questions/{n}",
        "/attempts/{n}/submit",
        "/certificates/{n}",
        "/selfcheck/responses/{n}",
    ],
)
def test_ids_beyond_the_databases_integers_are_not_found(client, auth, people, path, number):
    auth.login_as(people.employee())
    assert client.get(path.format(n=number)).status_code == 404


@pytest.mark.parametrize("number", HUGE)
@pytest.mark.parametrize("path", ["/hr/records?page={n}", "/hr/audit?page={n}", "/manage/?page={n}"])
def test_page_numbers_beyond_any_list_are_a_bad_request(client, auth, people, path, number):
    auth.login_as(people.employee(Role.HR if path.startswith("/hr") else Role.MANAGER))
    assert client.get(path.format(n=number)).status_code == 400


@pytest.mark.parametrize("path", ["/hr/assignments?year=²", "/hr/records?year=²", "/hr/?year=２０２６²"])
def test_digits_that_are_not_numbers_are_a_bad_request(client, auth, people, path):
    auth.login_as(people.employee(Role.HR))
    assert client.get(path).status_code == 400


@pytest.mark.parametrize("path", ["/hr/employees/%00", "/courses/kihon%00houshin", "/selfcheck/%00"])
def test_a_nul_in_a_path_is_a_bad_request(client, auth, people, path):
    auth.login_as(people.employee(Role.HR))
    assert client.get(path).status_code == 400


@pytest.mark.parametrize(
    "target", ["/%0d%0aSet-Cookie:%20x=1", "/policy%0a", "/\\evil.example", "/\\/evil.example"]
)
def test_a_next_target_with_a_line_break_or_backslash_leads_home(client, people, target):
    employee = people.employee()
    data = {"employee_no": employee.employee_no, "password": PASSWORD}
    response = client.post(f"/login?next={target}", data=data)
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_a_nul_in_an_uploaded_files_name_is_a_bad_request(client, auth, people):
    auth.login_as(people.employee(Role.HR))
    roster = io.BytesIO("職員番号,氏名,所属\r\nR001,青木 花子,市民課\r\n".encode())
    response = client.post(
        "/hr/roster", data={"file": (roster, "名簿\x00.csv")}, content_type="multipart/form-data"
    )
    assert response.status_code == 400
