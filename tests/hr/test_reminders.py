"""HR's reminder settings (rules per year, templates with preview and versions) and HR's manual send."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from elearn.extensions import db
from elearn.fiscal import current_fiscal_year
from elearn.models import AssignmentScope, AuditEvent, MailTemplate, Role
from elearn.services.assignments import add_rule
from elearn.services.audit import Actor
from elearn.services.deadlines import japan_today
from elearn.services.reminder_rules import rules_for
from tests.conftest import running_app
from tests.mail_server import mail_server  # noqa: F401  (a fixture)
from tests.records import course

YEAR = current_fiscal_year()


@pytest.fixture
def app(database, mail_server):  # noqa: F811
    with running_app(database, WTF_CSRF_ENABLED=False, **mail_server.config()) as app:
        yield app


@pytest.fixture
def hr(people, auth):
    person = people.employee(Role.HR, employee_no="H001", department="人事課")
    auth.login_as(person)
    return person


def test_hr_sees_the_default_rules_and_changes_them_for_a_year(client, hr):
    page = client.get(f"/hr/reminders?year={YEAR}").get_data(as_text=True)
    assert 'value="14, 3"' in page and "127.0.0.1" in page
    response = client.post(
        f"/hr/reminders?year={YEAR}",
        data={
            "invitation": "y",
            "days_before": "7、1",
            "first_after": "2",
            "every_after": "5",
            "times_after": "2",
        },
    )
    assert response.status_code == 303
    rules = rules_for(YEAR)
    assert (rules.invitation, rules.days_before, rules.first_after, rules.every_after, rules.times_after) == (
        True, (7, 1), 2, 5, 2
    )  # fmt: skip
    assert rules_for(YEAR + 1).days_before == (14, 3)
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "reminder.rules")).one()


def test_bad_rules_are_refused_with_a_japanese_message(client, hr):
    page = client.post(
        f"/hr/reminders?year={YEAR}",
        data={"days_before": "14, three", "every_after": "7", "times_after": "3"},
    ).get_data(as_text=True)
    assert "1〜365 の日数をカンマで区切って入力してください。" in page
    assert rules_for(YEAR).days_before == (14, 3)


def test_a_template_is_previewed_then_saved_as_a_new_version(client, hr):
    form = {"subject": "至急: {コース}", "body": "{氏名} 様 {期限} {URL}"}
    preview = client.post("/hr/reminders/templates/overdue", data={**form, "preview": "y"}).get_data(
        as_text=True
    )
    assert "市民 花子 様 令和8年9月30日" in preview and db.session.scalar(select(MailTemplate)) is None
    assert client.post("/hr/reminders/templates/overdue", data={**form, "save": "y"}).status_code == 303
    client.post("/hr/reminders/templates/overdue", data={**form, "subject": "再送: {コース}", "save": "y"})
    versions = db.session.scalars(select(MailTemplate.version).where(MailTemplate.kind == "overdue")).all()
    assert sorted(versions) == [1, 2]
    assert "第2版" in client.get("/hr/reminders").get_data(as_text=True)


def test_an_unknown_placeholder_is_refused(client, hr):
    page = client.post(
        "/hr/reminders/templates/overdue", data={"subject": "{名前} 様", "body": "本文", "save": "y"}
    ).get_data(as_text=True)
    assert "使えない差し込み項目があります: {名前}" in page
    assert db.session.scalar(select(MailTemplate)) is None
    assert client.get("/hr/reminders/templates/nonsense").status_code == 404


def test_hr_reminds_the_overdue_staff_of_a_records_filter(client, hr, people, mail_server):  # noqa: F811
    late = people.employee(employee_no="A001", email="late@city.example.jp", department="市民課")
    people.employee(employee_no="B001", email="other@city.example.jp", department="課税課")
    add_rule(YEAR, course("kihon-houshin"), AssignmentScope.ALL, actor=Actor(None, "CLI test"),
             due_date=japan_today() - timedelta(days=3))  # fmt: skip
    citizens = people.department("市民課").id
    assert "この条件の未修了者に督促" in client.get(f"/hr/records?year={YEAR}").get_data(as_text=True)
    preview = client.get(f"/hr/remind?year={YEAR}&department={citizens}").get_data(as_text=True)
    assert "受講期限を過ぎています" in preview and "other@city.example.jp" not in preview
    assert client.post(f"/hr/remind?year={YEAR}&department={citizens}").status_code == 303
    assert mail_server.mailbox.recipients() == [late.email]


def test_a_subject_with_a_line_break_is_refused(client, hr):
    page = client.post(
        "/hr/reminders/templates/overdue",
        data={"subject": "件名\r\nBcc: x@example.jp", "body": "本文", "save": "y"},
    ).get_data(as_text=True)
    assert "件名は1行で入力してください。" in page
    assert db.session.scalar(select(MailTemplate)) is None
