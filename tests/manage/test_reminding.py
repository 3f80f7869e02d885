"""A manager reminds the unfinished staff of their own department by hand: preview, confirm, one audited
send through a real SMTP server, not twice on the same day, and a paper list for staff without mail."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from elearn.extensions import db
from elearn.fiscal import current_fiscal_year
from elearn.models import AssignmentScope, AuditEvent, ReminderMail, Role
from elearn.services.assignments import add_rule
from elearn.services.audit import Actor
from elearn.services.deadlines import japan_today
from tests.conftest import running_app
from tests.mail_server import mail_server  # noqa: F401  (a fixture)
from tests.records import completed, course

YEAR = current_fiscal_year()


@pytest.fixture
def app(database, mail_server):  # noqa: F811
    with running_app(database, WTF_CSRF_ENABLED=False, **mail_server.config()) as app:
        yield app


def department(people):
    staff = {
        "manager": people.employee(
            Role.MANAGER, employee_no="M001", name="課長 一", email="m@city.example.jp"
        ),
        "a": people.employee(employee_no="A001", name="未受講 太郎", email="a@city.example.jp"),
        "b": people.employee(employee_no="A002", name="未受講 花子", email="b@city.example.jp"),
        "paper": people.employee(employee_no="A003", name="紙 三郎", email=None),
        "done": people.employee(employee_no="A004", name="修了 四郎", email="d@city.example.jp"),
        "other": people.employee(
            employee_no="B001", name="他課 五郎", department="課税課", email="o@city.example.jp"
        ),
    }
    add_rule(YEAR, course("kihon-houshin"), AssignmentScope.ALL, actor=Actor(None, "CLI test"),
             due_date=japan_today() - timedelta(days=1))  # fmt: skip
    completed(staff["done"])
    return staff


def test_the_preview_shows_the_mail_and_lists_staff_without_an_address(client, auth, people):
    staff = department(people)
    auth.login_as(staff["manager"])
    page = client.get(f"/manage/remind?year={YEAR}").get_data(as_text=True)
    assert "所属長からのお願い" in page and "未受講 太郎 様" in page
    assert "a@city.example.jp" in page and "b@city.example.jp" in page
    assert "紙 三郎" in page and "紙で督促" in page
    assert "修了 四郎" not in page and "他課 五郎" not in page
    assert "3 件の督促メールを送信する" in page  # A001, A002 and the manager himself


def test_the_manager_sends_to_ticked_staff_once_a_day_and_it_is_audited(client, auth, people, mail_server):  # noqa: F811
    staff = department(people)
    auth.login_as(staff["manager"])
    preview = client.get(f"/manage/remind?year={YEAR}&employee=A001").get_data(as_text=True)
    assert "1 件の督促メールを送信する" in preview and "b@city.example.jp" not in preview
    sent = client.post(f"/manage/remind?year={YEAR}", data={"employee": ["A001"]})
    assert sent.status_code == 303
    assert mail_server.mailbox.recipients() == ["a@city.example.jp"]
    (row,) = db.session.scalars(select(ReminderMail))
    assert (row.kind, row.state, row.sent_by_id) == ("from_manager", "sent", staff["manager"].id)
    assert row.rule_key == f"manual:{japan_today().isoformat()}"
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "reminder.send")).one()
    assert event.details["employees"] == ["A001"] and event.details["mails"] == 1
    hr = people.employee(Role.HR, employee_no="H001", department="人事課")
    auth.login_as(hr)
    log = client.get("/hr/employees/A001").get_data(as_text=True)
    assert "督促メールの記録" in log and "管理監督者から" in log and "送信済み" in log and "250 " in log
    auth.login_as(staff["manager"])
    again = client.get(f"/manage/remind?year={YEAR}&employee=A001").get_data(as_text=True)
    assert "本日すでに督促済み" in again and "督促メールを送信する" not in again
    client.post(f"/manage/remind?year={YEAR}", data={"employee": ["A001"]})
    assert mail_server.mailbox.recipients() == ["a@city.example.jp"]


def test_a_manager_cannot_remind_staff_of_another_department(client, auth, people, mail_server):  # noqa: F811
    staff = department(people)
    auth.login_as(staff["manager"])
    client.post(f"/manage/remind?year={YEAR}", data={"employee": ["B001"]})
    assert mail_server.mailbox.received == []


def test_the_paper_list_groups_staff_without_an_address_by_department(client, auth, people):
    staff = department(people)
    auth.login_as(staff["manager"])
    page = client.get(f"/manage/remind/paper?year={YEAR}").get_data(as_text=True)
    assert "督促一覧" in page and "紙 三郎" in page and "paper-department" in page
    assert "未受講 太郎" not in page


def test_without_a_mail_server_the_pages_say_so_and_nothing_is_sent(client, auth, people, mail_server, app):  # noqa: F811
    staff = department(people)
    app.config["SMTP_HOST"] = None
    auth.login_as(staff["manager"])
    assert "設定されていない" in client.get("/manage/").get_data(as_text=True)
    page = client.get(f"/manage/remind?year={YEAR}").get_data(as_text=True)
    assert "ELEARN_SMTP_HOST" in page and "督促メールを送信する" not in page
    assert client.post(f"/manage/remind?year={YEAR}").status_code == 303
    assert mail_server.mailbox.received == []
    assert "未受講 太郎" in client.get(f"/manage/remind/paper?year={YEAR}").get_data(as_text=True)
