from elearn.models import Role
from tests.conftest import PASSWORD


def test_login_with_wrong_password_is_refused_with_a_message(client, people):
    employee = people.employee()
    response = client.post("/login", data={"employee_no": employee.employee_no, "password": "wrong-pass-1"})
    assert response.status_code == 200
    assert "職員番号またはパスワードが正しくありません" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_login_with_unknown_employee_number_is_refused(client):
    response = client.post("/login", data={"employee_no": "NOBODY", "password": PASSWORD})
    assert "職員番号またはパスワードが正しくありません" in response.get_data(as_text=True)


def test_login_succeeds_and_shows_my_training(client, auth, people):
    employee = people.employee(name="青木 花子")
    response = auth.login(employee)
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "マイ研修" in page
    assert "青木 花子" in page


def test_deactivated_employee_cannot_log_in(client, auth, people):
    employee = people.employee(active=False)
    auth.login(employee)
    assert client.get("/").status_code == 302


def test_every_page_but_login_requires_a_login(client):
    for path in ("/", "/policy", "/courses/kihon-houshin", "/hr/", "/attempts/1"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/login")


def test_login_follows_only_local_next_targets(client, people):
    employee = people.employee()
    data = {"employee_no": employee.employee_no, "password": PASSWORD}
    response = client.post("/login?next=https://evil.example/", data=data)
    assert response.headers["Location"] == "/"
    client.post("/logout")
    response = client.post("/login?next=/policy", data=data)
    assert response.headers["Location"] == "/policy"


def test_logout_ends_the_session(client, auth, people):
    auth.login(people.employee())
    assert client.get("/").status_code == 200
    auth.logout()
    assert client.get("/").status_code == 302


def test_passwords_are_stored_hashed(people):
    employee = people.employee(role=Role.HR)
    assert PASSWORD not in employee.password_hash
    assert employee.password_hash.startswith(("scrypt:", "pbkdf2:"))


def test_the_forms_own_checks_speak_the_pages_language(client):
    too_long = {"employee_no": "1" * 21, "password": "x"}
    japanese = client.post("/login", data=too_long).get_data(as_text=True)
    assert "フィールドは 20 文字を超えることはできません。" in japanese
    client.post("/language", data={"language": "en", "next": "/login"})
    english = client.post("/login", data=too_long).get_data(as_text=True)
    assert "Field cannot be longer than 20 characters." in english
