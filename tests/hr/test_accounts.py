"""Accounts: HR hands out one-time activation codes; each employee sets their own password with one."""

import csv
import html
import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from elearn.config import ConfigError, load_config
from elearn.database import utcnow
from elearn.extensions import db
from elearn.models import ActivationCode, Role
from elearn.services.activation import issue_codes
from elearn.services.audit import Actor
from tests.conftest import PASSWORD, running_app, sign_in

CODE = re.compile(r"^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$")
NEW_PASSWORD = "my-own-secret-7"


def newcomer(people, number: str, department: str = "市民課"):
    employee = people.employee(employee_no=number, department=department)
    employee.password_hash = None
    db.session.commit()
    return employee


def table(payload: bytes) -> list[list[str]]:
    assert payload.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(payload.decode("utf-8-sig"))))


HIDDEN_CODES = re.compile(r'<input id="codes" name="codes" type="hidden" value="([^"]*)">')


def issued_codes(client, department_id: int | None = None) -> dict[str, str]:
    """Issue codes on the page, then download the CSV the page offers."""
    page = client.post("/hr/accounts", data={"department": department_id or "", "layout": "one"})
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    codes = html.unescape(HIDDEN_CODES.search(page.get_data(as_text=True)).group(1))
    response = client.post("/hr/accounts/codes.csv", data={"codes": codes})
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/csv")
    rows = table(response.data)
    assert rows[0] == ["職員番号", "氏名", "所属", "有効化コード", "有効期限", "有効化の URL"]
    return {row[0]: row[3] for row in rows[1:]}


def activate(client, number: str, code: str, password: str = NEW_PASSWORD, confirm: str | None = None):
    return client.post(
        "/activate",
        data={"employee_no": number, "code": code, "password": password, "confirm": confirm or password},
    )


def test_hr_issues_codes_for_staff_without_a_password_as_a_csv(client, auth, people):
    first = newcomer(people, "N001")
    newcomer(people, "N002", department="課税課")
    people.employee(employee_no="E001")  # has a password already: no code
    auth.login_as(people.employee(Role.HR))

    codes = issued_codes(client, department_id=first.department_id)
    assert list(codes) == ["N001"]
    assert CODE.match(codes["N001"])
    again = issued_codes(client)  # all departments
    assert set(again) == {"N001", "N002"}
    auth.logout()
    assert activate(client, "N001", codes["N001"]).status_code == 200  # the first code was replaced
    assert activate(client, "N001", again["N001"]).status_code == 303


def test_codes_are_stored_only_as_salted_hashes(client, auth, people):
    newcomer(people, "N001")
    newcomer(people, "N002")
    auth.login_as(people.employee(Role.HR))
    codes = issued_codes(client)
    stored = db.session.scalars(select(ActivationCode.code_hash)).all()
    assert len(stored) == 2
    for code in codes.values():
        assert not any(code in h or code.replace("-", "") in h for h in stored)
    salts = [h.split("$")[1] for h in stored]
    assert all(h.startswith("sha256$") for h in stored) and len(set(salts)) == 2


def test_an_employee_sets_their_password_with_the_code_and_it_works_only_once(client, auth, people):
    newcomer(people, "N001")
    auth.login_as(people.employee(Role.HR))
    code = issued_codes(client)["N001"]
    auth.logout()

    assert client.get("/activate").status_code == 200  # reachable without logging in
    response = activate(client, "N001", code.lower().replace("-", " "))  # typed loosely
    assert response.status_code == 303
    assert client.get("/").status_code == 200  # signed in
    auth.logout()
    assert client.post("/login", data={"employee_no": "N001", "password": NEW_PASSWORD}).status_code == 302

    auth.logout()
    again = activate(client, "N001", code, password="another-secret-8")
    assert "有効期限が切れています" in again.get_data(as_text=True)
    assert (
        client.post("/login", data={"employee_no": "N001", "password": "another-secret-8"}).status_code == 200
    )


def test_an_expired_code_is_refused(client, people):
    employee = newcomer(people, "N001")
    hr = people.employee(Role.HR)
    [issued] = issue_codes(
        Actor.of(hr), days=14, department=employee.department, now=utcnow() - timedelta(days=15)
    )
    page = activate(client, "N001", issued.code).get_data(as_text=True)
    assert "有効期限が切れています" in page
    assert client.get("/").status_code == 302  # not signed in


def test_a_weak_password_is_refused_and_the_code_stays_valid(client, people):
    employee = newcomer(people, "N001")
    [issued] = issue_codes(Actor.of(people.employee(Role.HR)), days=14, department=employee.department)
    assert "12 文字以上" in activate(client, "N001", issued.code, password="short-pw1").get_data(as_text=True)
    assert "一致しません" in activate(client, "N001", issued.code, confirm="different-9x").get_data(
        as_text=True
    )
    assert activate(client, "N001", issued.code).status_code == 303


def test_five_wrong_codes_revoke_the_code(client, people):
    employee = newcomer(people, "N001")
    [issued] = issue_codes(Actor.of(people.employee(Role.HR)), days=14, department=employee.department)
    for _ in range(5):
        activate(client, "N001", "AAAA-BBBB-CCCC")
    assert "有効期限が切れています" in activate(client, "N001", issued.code).get_data(as_text=True)


def test_hr_resets_an_account_and_the_employee_sets_a_new_password(client, auth, people):
    employee = people.employee(employee_no="E001")
    auth.login_as(people.employee(Role.HR))
    response = client.post("/hr/employees/E001/reset")
    assert response.headers["Cache-Control"] == "no-store"
    code = re.search(r"<code>([2-9A-Z-]{14})</code>", response.get_data(as_text=True)).group(1)
    auth.logout()

    assert client.post("/login", data={"employee_no": "E001", "password": PASSWORD}).status_code == 200
    assert activate(client, "E001", code).status_code == 303
    db.session.expire_all()
    assert employee.password_hash is not None


def test_the_page_says_how_many_codes_were_issued_and_prints_one_slip_each(app, client, auth, people):
    app.config["BASE_URL"] = "https://elearn.city.example.jp"
    newcomer(people, "N001")
    newcomer(people, "N002")
    auth.login_as(people.employee(Role.HR))
    page = client.post("/hr/accounts", data={"department": "", "layout": "four"})
    text = page.get_data(as_text=True)
    assert "2 人に有効化コードを発行しました" in text
    assert text.count('class="slip"') == 2 and "slips-four" in text
    assert (
        "https://elearn.city.example.jp/activate" in text and "localhost" not in text
    )  # not the Host header
    codes = html.unescape(HIDDEN_CODES.search(text).group(1))
    rows = table(client.post("/hr/accounts/codes.csv", data={"codes": codes}).data)
    assert [row[5] for row in rows[1:]] == ["https://elearn.city.example.jp/activate"] * 2


def test_the_csv_download_writes_only_codes_that_were_really_issued(client, auth, people):
    newcomer(people, "N001")
    auth.login_as(people.employee(Role.HR))
    real = issued_codes(client)["N001"]
    forged = client.post("/hr/accounts/codes.csv", data={"codes": "N001 ABCD-EFGH-JKLM"})
    assert forged.status_code == 400
    mixed = table(
        client.post("/hr/accounts/codes.csv", data={"codes": f"N001 {real}\nN002 ABCD-EFGH-JKLM"}).data
    )
    assert [row[0] for row in mixed[1:]] == ["N001"]


def test_a_reset_asks_for_confirmation_first_and_changes_nothing_until_then(client, auth, people):
    employee = people.employee(employee_no="E001", name="確認 一郎")
    auth.login_as(people.employee(Role.HR))
    page = client.get("/hr/employees/E001").get_data(as_text=True)
    assert 'href="/hr/employees/E001/reset"' in page and 'action="/hr/employees/E001/reset"' not in page
    confirm = client.get("/hr/employees/E001/reset").get_data(as_text=True)
    assert "確認 一郎（E001" in confirm and "リセットする" in confirm
    db.session.refresh(employee)
    assert employee.password_hash is not None


def test_cli_issues_codes_for_a_department_into_a_file(app, runner, people, tmp_path):
    newcomer(people, "N001")
    newcomer(people, "N002", department="課税課")
    output = tmp_path / "codes.csv"
    result = runner.invoke(args=["accounts", "issue-codes", "--department", "課税課", "-o", str(output)])
    assert result.exit_code == 0, result.output
    rows = table(output.read_bytes())
    assert [r[0] for r in rows[1:]] == ["N002"] and CODE.match(rows[1][3])
    assert runner.invoke(args=["accounts", "issue-codes", "--department", "無い課"]).exit_code == 1


def test_the_activation_address_on_hrs_pages_comes_from_the_configuration_not_the_host_header(
    database, people
):
    """A forged Host header must not put another site's address on the page HR copies from."""
    forged = {"HTTP_HOST": "evil.example"}
    with running_app(database, WTF_CSRF_ENABLED=False, BASE_URL="https://elearn.city.example") as app:
        client = app.test_client()
        newcomer(people, "N001")
        sign_in(client, people.employee(Role.HR))
        for response in (
            client.get("/hr/accounts", environ_base=forged),
            client.post("/hr/employees/N001/reset", environ_base=forged),
        ):
            page = response.get_data(as_text=True)
            assert "https://elearn.city.example/activate" in page and "evil.example" not in page
    with running_app(database, WTF_CSRF_ENABLED=False) as app:  # not configured: the path alone
        client = app.test_client()
        sign_in(client, people.employee(Role.HR))
        page = client.get("/hr/accounts", environ_base=forged).get_data(as_text=True)
        assert " /activate " in page and "evil.example" not in page


@pytest.mark.parametrize(
    "value", ["elearn.city.example", "ftp://elearn.city.example", "https://x.example/?a=1"]
)
def test_a_wrong_elearn_base_url_stops_the_start(tmp_path, value):
    with pytest.raises(ConfigError, match="ELEARN_BASE_URL"):
        load_config({"ELEARN_BASE_URL": value}, str(tmp_path))


def test_elearn_base_url_loses_its_trailing_slash(tmp_path):
    assert (
        load_config({"ELEARN_BASE_URL": "https://x.example/"}, str(tmp_path))["BASE_URL"]
        == "https://x.example"
    )
