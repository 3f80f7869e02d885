"""Statuses, roles and audit actions are stable codes: named in English on English pages, while the
records, the files and what the audit trail stores stay in Japanese."""

import csv
import io

from sqlalchemy import select

from elearn.extensions import db
from elearn.fiscal import current_fiscal_year
from elearn.models import AuditEvent, Role
from elearn.services.assignments import assign_required_courses
from elearn.services.progress import Status
from tests.records import completed, course

YEAR = current_fiscal_year()


def in_english(client) -> None:
    """After logging in: a login starts a fresh session, which forgets the language."""
    client.post("/language", data={"language": "en", "next": "/"})


def rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_status_codes_are_stable_and_each_has_its_japanese_name():
    assert [(s.value, s.japanese) for s in Status] == [
        ("not_started", "未受講"),
        ("in_progress", "受講中"),
        ("completed", "修了"),
        ("exempt", "免除"),
    ]
    assert Role("manager").japanese == "管理監督者"


def test_an_english_page_names_the_role_and_the_statuses_in_english(client, auth, people):
    manager = people.employee(Role.MANAGER, employee_no="M001", name="課長 一", department="市民課")
    done = people.employee(employee_no="A001", name="修了 花子", department="市民課")
    assign_required_courses(YEAR)
    completed(done)
    auth.login(manager)
    in_english(client)
    page = client.get("/manage/").get_data(as_text=True)
    assert "課長 一（市民課・Manager）" in page
    assert '<span class="badge badge-done">Completed</span>' in page
    assert '<span class="badge badge-todo">Not started</span>' in page


def test_an_english_audit_page_names_the_actions_in_english_and_the_files_stay_japanese(client, auth, people):
    hr = people.employee(Role.HR, employee_no="H001", name="人事 太郎", department="職員課")
    completed(people.employee(employee_no="A001"))
    auth.login(hr)
    in_english(client)
    client.post(
        "/hr/assignments", data={"year": YEAR, "course": course().id, "scope": "all", "confirmed": "y"}
    )
    page = client.get("/hr/audit").get_data(as_text=True)
    assert "Training assignments" in page and "研修の割当" not in page

    report = rows(client.get(f"/hr/reports/completions.csv?year={YEAR}"))
    status = report[0].index("状態")
    assert {row[status] for row in report[1:]} == {"修了", "未受講"}
    trail = rows(client.get("/hr/audit.csv"))
    assert [row[2] for row in trail[1:]] == ["研修の割当", "ダウンロード", "ダウンロード"]
    summaries = db.session.scalars(select(AuditEvent.summary).order_by(AuditEvent.id)).all()
    assert summaries[0].startswith(f"{YEAR}年度「基本方針を理解する」を割り当てました（全職員、")
    assert summaries[1:] == [
        f"{YEAR}年度の修了状況をダウンロードしました（CSV）",
        "操作記録をダウンロードしました（CSV）",
    ]
