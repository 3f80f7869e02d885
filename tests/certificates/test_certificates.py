"""The 修了証: printable by its owner, verifiable by HR with its code, not forgeable."""

import re

from sqlalchemy import select

from elearn.extensions import db
from elearn.models import Completion, Role
from tests.learn.quiz import take


def complete(client, auth, employee) -> Completion:
    auth.login_as(employee)
    take(client, correct=True)
    auth.logout()
    return db.session.scalar(select(Completion).where(Completion.employee_id == employee.id))


def test_certificate_shows_the_record_and_a_verification_code(client, auth, people):
    employee = people.employee(name="青木 花子", department="市民課")
    completion = complete(client, auth, employee)
    auth.login_as(employee)
    page = client.get(f"/certificates/{completion.id}").get_data(as_text=True)
    for expected in ("修了証", "青木 花子", "市民課", "基本方針を理解する", "第1版", "100 点", "令和"):
        assert expected in page
    assert completion.certificate_code in page
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{5}", completion.certificate_code)
    assert "print.css" in page


def test_another_employees_certificate_is_not_found(client, auth, people):
    owner, other = people.employee(), people.employee()
    completion = complete(client, auth, owner)
    auth.login_as(other)
    assert client.get(f"/certificates/{completion.id}").status_code == 404


def test_hr_verifies_a_genuine_code_even_typed_loosely(client, auth, people):
    employee = people.employee(name="石田 健")
    completion = complete(client, auth, employee)
    auth.login_as(people.employee(Role.HR))
    typed = completion.certificate_code.replace("-", " ").lower()
    page = client.get("/certificates/verify", query_string={"code": typed}).get_data(as_text=True)
    assert "有効な修了証です" in page and "石田 健" in page


def test_hr_verifies_a_code_typed_in_full_width_characters(client, auth, people):
    employee = people.employee(name="石田 健")
    completion = complete(client, auth, employee)
    auth.login_as(people.employee(Role.HR))
    typed = completion.certificate_code.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})
    page = client.get("/certificates/verify", query_string={"code": typed}).get_data(as_text=True)
    assert "有効な修了証です" in page and "石田 健" in page


def test_a_forged_code_is_not_verified(client, auth, people):
    complete(client, auth, people.employee())
    auth.login_as(people.employee(Role.HR))
    page = client.get("/certificates/verify", query_string={"code": "ABCD-EFGH-JKLMN"}).get_data(as_text=True)
    assert "該当する修了証はありません" in page
    assert "有効な修了証です" not in page


def test_only_hr_can_verify_codes(client, auth, people):
    auth.login_as(people.employee(Role.MANAGER))
    assert client.get("/certificates/verify?code=x").status_code == 403


def test_the_certificate_is_issued_by_the_configured_issuer(app, client, auth, people):
    employee = people.employee()
    completion = complete(client, auth, employee)
    app.config["CERTIFICATE_ISSUER"] = "北野町長"
    auth.login_as(employee)
    page = client.get(f"/certificates/{completion.id}").get_data(as_text=True)
    assert '<p class="certificate-issuer">北野町長</p>' in page


def test_hrs_menu_links_to_the_verification_page(client, auth, people):
    auth.login_as(people.employee(Role.HR))
    for path in ("/hr/", "/certificates/verify"):
        page = client.get(path).get_data(as_text=True)
        assert 'href="/certificates/verify"' in page, path
