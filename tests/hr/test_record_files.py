"""HR's pages for exemptions, in-person sessions and per-person assignments: upload, preview of
every row or every error, confirm; one person from their page."""

import io
import re

from sqlalchemy import func, select

from elearn.extensions import db
from elearn.fiscal import current_fiscal_year, fiscal_year_bounds
from elearn.models import Assignment, Completion, Employee, Exemption, Role
from elearn.services.assignments import assign_required_courses
from tests.hr.test_completions_report import records
from tests.records import course

YEAR = current_fiscal_year()
BASIC = "基本方針を理解する"


def hr_with_staff(people, auth):
    hr = people.employee(Role.HR, employee_no="H001", department="職員課")
    people.employee(employee_no="A001", name="青木 花子", department="市民課")
    people.employee(employee_no="A002", name="石田 健", department="市民課")
    assign_required_courses(YEAR)
    auth.login_as(hr)
    return hr


def upload(client, path: str, text: str):
    response = client.post(path, data={"file": (io.BytesIO(text.encode("cp932")), "file.csv")})
    assert response.status_code == 303, response.status_code
    return response.headers["Location"]


def test_an_exemption_file_is_previewed_then_imported(client, auth, people):
    hr_with_staff(people, auth)
    preview = upload(
        client, "/hr/exemptions", f"職員番号,コース,年度,理由\r\nA001,kihon-houshin,{YEAR},育児休業\r\n"
    )
    page = client.get(preview).get_data(as_text=True)
    assert "免除される割当（1 件）" in page and "青木 花子" in page and "育児休業" in page
    assert db.session.scalar(select(func.count(Exemption.id))) == 0  # nothing yet
    assert client.post(preview).status_code == 303
    row = records(client.get(f"/hr/reports/completions.csv?year={YEAR}").data)[("A001", BASIC)]
    assert (row["状態"], row["免除理由"]) == ("免除", "育児休業")
    listed = client.get(f"/hr/records?year={YEAR}&status=exempt").get_data(as_text=True)
    assert "A001" in listed and "A002" not in listed
    dashboard = client.get(f"/hr/?year={YEAR}").get_data(as_text=True)
    assert "免除 1 件" in dashboard


def test_a_bad_exemption_file_lists_every_error_and_cannot_be_confirmed(client, auth, people):
    hr_with_staff(people, auth)
    preview = upload(
        client,
        "/hr/exemptions",
        f"職員番号,コース,年度,理由\r\nA009,kihon-houshin,{YEAR},休職\r\nA001,x,{YEAR},旅行\r\n",
    )
    page = client.get(preview).get_data(as_text=True)
    assert "誤りがあるため取り込めません" in page
    assert "2行目: 職員番号 A009 の職員はいません" in page and page.count("3行目:") == 2
    assert "この内容で取り込む" not in page
    client.post(preview)
    assert db.session.scalar(select(func.count(Exemption.id))) == 0


def test_an_attendance_file_completes_the_course_as_an_in_person_session(client, auth, people):
    hr_with_staff(people, auth)
    day = fiscal_year_bounds(YEAR)[0].isoformat()
    preview = upload(
        client, "/hr/attendance", f"職員番号,コース,実施日,研修名\r\nA002,{BASIC},{day},集合研修（給食）\r\n"
    )
    assert "修了として記録される出席（1 件）" in client.get(preview).get_data(as_text=True)
    assert client.post(preview).status_code == 303
    row = records(client.get(f"/hr/reports/completions.csv?year={YEAR}").data)[("A002", BASIC)]
    assert (row["状態"], row["修了日"], row["修了方法"], row["得点"]) == ("修了", day, "集合研修", "")


def test_the_employee_sees_an_in_person_completion_on_my_training_and_history(client, auth, people):
    hr_with_staff(people, auth)
    day = fiscal_year_bounds(YEAR)[0].isoformat()
    preview = upload(
        client, "/hr/attendance", f"職員番号,コース,実施日,研修名\r\nA002,kihon-houshin,{day},給食の研修\r\n"
    )
    client.get(preview)  # HR sees what will be written, then confirms
    client.post(preview)
    employee = db.session.scalar(select(Employee).filter_by(employee_no="A002"))
    auth.logout()
    auth.login_as(employee)
    home = client.get("/").get_data(as_text=True)
    assert "集合研修で修了" in home
    history = client.get("/history").get_data(as_text=True)
    assert "集合研修" in history and "給食の研修" in history
    completion = db.session.scalar(select(Completion).where(Completion.employee_id == employee.id))
    certificate = client.get(f"/certificates/{completion.id}")
    assert certificate.status_code == 200 and "集合研修" in certificate.get_data(as_text=True)


def test_hr_exempts_and_withdraws_on_the_employees_page(client, auth, people):
    hr_with_staff(people, auth)
    response = client.post(
        "/hr/employees/A001/exemptions",
        data={"year": YEAR, "course": course().id, "reason": "other", "details": "海外派遣"},
    )
    assert response.status_code == 303
    page = client.get("/hr/employees/A001").get_data(as_text=True)
    assert "その他（海外派遣）" in page and "免除を取り消す" in page
    exemption = db.session.scalar(select(Exemption))
    client.post("/hr/employees/A001/exemptions/withdraw", data={"exemption": exemption.id, "why": "誤り"})
    db.session.expire_all()
    assert db.session.get(Exemption, exemption.id).withdrawal_reason == "誤り"
    refused = client.post(  # その他 without words of its own
        "/hr/employees/A001/exemptions", data={"year": YEAR, "course": course().id, "reason": "other"}
    )
    assert "内容も書いてください" in client.get(refused.headers["Location"]).get_data(as_text=True)


def test_a_course_is_assigned_to_named_employees_only(client, auth, people, runner):
    hr_with_staff(people, auth)
    kanri = course("kanri")
    response = client.post(
        "/hr/assignments/individual", data={"employees": "A001、Ａ００２", "year": YEAR, "course": kanri.id}
    )
    assert response.status_code == 303
    assigned = set(
        db.session.scalars(
            select(Assignment.employee_id).where(
                Assignment.course_id == kanri.id, Assignment.fiscal_year == YEAR
            )
        )
    )
    assert len(assigned) == 2
    row = records(client.get(f"/hr/reports/completions.csv?year={YEAR}").data)[("A001", "管理監督者の対応")]
    assert row["割当"] == "個別"
    unknown = client.post(
        "/hr/assignments/individual", data={"employees": "A001,Z999", "year": YEAR, "course": kanri.id}
    )
    assert "Z999" in unknown.get_data(as_text=True)
    result = runner.invoke(
        args=["assign", "add", "--employee", "H001", "--course", "kanri", "--year", str(YEAR)]
    )
    assert result.exit_code == 0 and "1 assignment(s)" in result.output


def test_the_upload_pages_are_forms_that_work_without_script(client, auth, people):
    hr_with_staff(people, auth)
    for path in ("/hr/exemptions", "/hr/attendance", "/hr/assignments/individual", "/hr/employees/A001"):
        page = client.get(path).get_data(as_text=True)
        assert "<script" not in page and re.search(r"<form method=\"post\"", page), path
