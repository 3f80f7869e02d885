"""Reminders through a real SMTP server on loopback: read back with Python's email parser, exactly once
per assignment and rule, nothing for finished staff, failures recorded and retried, a down server
leaving everything queued."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from email.header import decode_header
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import select

from elearn.config import PROJECT_ROOT
from elearn.database import utcnow
from elearn.extensions import db
from elearn.fiscal import current_fiscal_year, era_date
from elearn.models import Assignment, AssignmentScope, MailKind, ReminderMail
from elearn.services.assignments import add_rule
from elearn.services.audit import Actor
from elearn.services.deadlines import japan_today
from elearn.services.mail_templates import save_template
from elearn.services.mailer import SmtpSettings
from elearn.services.reminder_rules import Rules, save_rules
from elearn.services.reminders import MAX_TRIES, send_due_reminders
from tests.conftest import SECRET, running_app
from tests.mail_server import mail_server  # noqa: F401  (a fixture)
from tests.records import completed, course

YEAR = current_fiscal_year()
BASICS = "kihon-houshin"


@pytest.fixture
def app(database, mail_server):  # noqa: F811
    with running_app(database, WTF_CSRF_ENABLED=False, **mail_server.config()) as app:
        yield app


def staff(people, *emails: str | None, due_in: int = 10):
    """One employee per address, each assigned the basic course only, due in ``due_in`` days."""
    made = [
        people.employee(employee_no=f"A{n:03d}", name=f"受講 {n}郎", email=address)
        for n, address in enumerate(emails, start=1)
    ]
    add_rule(
        YEAR, course(BASICS), AssignmentScope.ALL, actor=Actor(None, "CLI test"),
        due_date=japan_today() + timedelta(days=due_in),
    )  # fmt: skip
    return made


def settings() -> SmtpSettings:
    return SmtpSettings.of(current_app.config)


def send():
    return send_due_reminders(YEAR, settings())


def mails() -> list[ReminderMail]:
    return list(db.session.scalars(select(ReminderMail).order_by(ReminderMail.id)))


def test_a_due_reminder_arrives_in_japanese_with_the_era_date_status_and_link(mail_server, people):  # noqa: F811
    (person,) = staff(people, "a001@city.example.jp")
    result = send()
    assert (result.sent, result.failed) == (1, 0)
    (message,) = mail_server.mailbox.messages
    raw = mail_server.mailbox.received[0][1].decode("ascii")
    assert "=?utf-8?" in raw.lower()  # RFC 2047 encoded subject and display name
    assert "受講期限が近づいています" in message["Subject"]
    assert message["To"].addresses[0].display_name == "受講 1郎"
    assert message["To"].addresses[0].addr_spec == "a001@city.example.jp"
    assert message["From"].addresses[0].addr_spec == "no-reply@city.example.jp"
    body = message.get_body(("plain",)).get_content()
    assert message.get_content_charset() == "utf-8"
    assert "受講 1郎 様" in body
    assert era_date(japan_today() + timedelta(days=10)) in body and "令和" in body
    assert "未受講" in body
    assert "https://elearn.city.example.jp/" in body
    (row,) = mails()
    assert (row.state, row.rule_key, row.kind, row.template_version, row.tries) == (
        "sent", "before:14", "before_due", 0, 1
    )  # fmt: skip
    assert row.smtp_reply.startswith("250") and row.sent_at is not None and row.employee_id == person.id
    assert decode_header(raw.split("Subject: ", 1)[1].split("\r\n")[0])  # a header the parser can split


def test_completed_staff_get_nothing(mail_server, people):  # noqa: F811
    done, _ = staff(people, "done@city.example.jp", "todo@city.example.jp")
    completed(done)
    assert send().sent == 1
    assert mail_server.mailbox.recipients() == ["todo@city.example.jp"]


def test_a_second_run_sends_nothing(mail_server, people):  # noqa: F811
    staff(people, "a@city.example.jp", "b@city.example.jp")
    assert send().sent == 2
    again = send()
    assert (again.sent, again.failed, again.skipped) == (0, 0, 0)
    assert len(mail_server.mailbox.received) == 2


def test_only_the_latest_due_rule_is_sent_and_the_earlier_ones_are_recorded_skipped(mail_server, people):  # noqa: F811
    staff(people, "late@city.example.jp", due_in=-2)  # 14 and 3 days before, 1 day after: all come due
    result = send()
    assert (result.sent, result.skipped) == (1, 2)
    assert {(m.rule_key, m.state) for m in mails()} == {
        ("before:14", "skipped"), ("before:3", "skipped"), ("after:1", "sent")
    }  # fmt: skip
    assert "受講期限を過ぎています" in mail_server.mailbox.messages[0]["Subject"]


def test_a_refused_recipient_fails_the_others_are_sent_and_it_is_retried_up_to_the_limit(mail_server, people):  # noqa: F811
    staff(people, "a@city.example.jp", "refused@city.example.jp", "c@city.example.jp")
    result = send()
    assert (result.sent, result.failed) == (2, 1)
    assert sorted(mail_server.mailbox.recipients()) == ["a@city.example.jp", "c@city.example.jp"]
    failed = next(m for m in mails() if m.state == "failed")
    assert failed.to_address == "refused@city.example.jp" and failed.smtp_reply.startswith("550")
    for _ in range(MAX_TRIES + 1):
        send()
    db.session.expire_all()
    failed = next(m for m in mails() if m.to_address == "refused@city.example.jp")
    assert (failed.state, failed.tries) == ("failed", MAX_TRIES)
    assert len(mail_server.mailbox.received) == 2


def test_a_server_that_is_down_leaves_everything_queued_for_the_next_run(mail_server, people):  # noqa: F811
    staff(people, "a@city.example.jp", "b@city.example.jp")
    down = SmtpSettings.of({**current_app.config, "SMTP_PORT": mail_server.port})
    mail_server.stop()
    result = send_due_reminders(YEAR, down)
    assert result.server_down and (result.sent, result.queued) == (0, 2)
    assert {m.state for m in mails()} == {"queued"}
    mail_server.start()
    later = send_due_reminders(YEAR, SmtpSettings.of({**current_app.config, "SMTP_PORT": mail_server.port}))
    assert (later.sent, later.queued) == (2, 0)
    assert len(mail_server.mailbox.received) == 2


def test_a_row_left_queued_by_a_run_that_died_is_sent_by_the_next_run_once(mail_server, people):  # noqa: F811
    (person,) = staff(people, "a@city.example.jp")
    assignment = db.session.scalar(select(Assignment).where(Assignment.employee_id == person.id))
    db.session.add(
        ReminderMail(
            assignment_id=assignment.id, employee_id=person.id, kind="before_due", rule_key="before:14",
            template_version=0, state="queued", to_address=person.email, tries=0,
            claim="a-run-that-died", claimed_at=utcnow() - timedelta(hours=2),
        )
    )  # fmt: skip
    db.session.commit()
    assert send().sent == 1
    assert send().sent == 0
    assert [m.state for m in mails()] == ["sent"]
    assert len(mail_server.mailbox.received) == 1


def test_staff_without_an_address_are_counted_and_reminded_once_they_have_one(mail_server, people):  # noqa: F811
    (person,) = staff(people, None)
    result = send()
    assert (result.sent, result.no_address) == (0, 1) and mails() == []
    person.email = "new@city.example.jp"
    db.session.commit()
    assert send().sent == 1


def test_a_dry_run_lists_who_would_get_what_and_sends_and_records_nothing(mail_server, people):  # noqa: F811
    staff(people, "a@city.example.jp")
    result = send_due_reminders(YEAR, settings(), dry_run=True)
    assert [(t.employee_no, r.key) for t, r in result.planned] == [("A001", "before:14")]
    assert mails() == [] and mail_server.mailbox.received == []


def test_hr_rules_and_templates_decide_what_is_sent_and_the_version_is_recorded(mail_server, people):  # noqa: F811
    staff(people, "a@city.example.jp", due_in=30)
    hr = Actor(None, "CLI test")
    assert send().sent == 0  # not due yet by the default rules
    save_rules(hr, YEAR, Rules(invitation=True, days_before=(30,), first_after=None))
    save_template(hr, MailKind.BEFORE_DUE, "期限まで30日: {コース}", "{氏名}さん、{期限}までです。{URL}")
    assert send().sent == 1
    invitation, row = mails()  # the invitation came due first: only the latest is sent
    assert (invitation.rule_key, invitation.state) == ("invitation", "skipped")
    assert (row.rule_key, row.state, row.template_version) == ("before:30", "sent", 1)
    message = mail_server.mailbox.messages[0]
    assert message["Subject"].startswith("期限まで30日: ")
    assert message.get_body(("plain",)).get_content().startswith("受講 1郎さん、令和")


def test_the_command_prints_counts_and_refuses_without_a_mail_server(mail_server, people, runner):  # noqa: F811
    staff(people, "a@city.example.jp")
    dry = runner.invoke(args=["remind", "send", "--year", str(YEAR), "--dry-run"])
    assert "A001" in dry.output and "would send 1" in dry.output
    sent = runner.invoke(args=["remind", "send", "--year", str(YEAR)])
    assert sent.exit_code == 0 and "sent 1," in sent.output
    current_app.config["SMTP_HOST"] = None
    refused = runner.invoke(args=["remind", "send", "--year", str(YEAR)])
    assert refused.exit_code == 1 and "ELEARN_SMTP_HOST" in refused.output


def test_two_runs_at_once_in_two_processes_send_each_mail_once(mail_server, people, database, tmp_path):  # noqa: F811
    addresses = [f"p{n}@city.example.jp" for n in range(40)]
    staff(people, *addresses)
    db.session.remove()
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("ELEARN_", "DATABASE_URL"))}
    environ |= mail_server.environment() | {
        "DATABASE_URL": database, "SECRET_KEY": SECRET, "ELEARN_INSTANCE_PATH": str(tmp_path),
        "ELEARN_CONTENT_ROOT": str(PROJECT_ROOT),
    }  # fmt: skip
    command = [str(Path(sys.executable).with_name("elearn")), "remind", "send", "--year", str(YEAR)]
    runs = [subprocess.Popen(command, env=environ, cwd=PROJECT_ROOT, stdout=subprocess.PIPE) for _ in "ab"]
    outputs = [run.communicate()[0].decode() for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert sorted(mail_server.mailbox.recipients()) == sorted(addresses)
    assert sum(int(out.split("sent ")[1].split(",")[0]) for out in outputs) == 40


def test_a_queued_mail_whose_course_was_completed_meanwhile_is_recorded_skipped(mail_server, people):  # noqa: F811
    (person,) = staff(people, "a@city.example.jp")
    down = SmtpSettings.of({**current_app.config, "SMTP_PORT": mail_server.port})
    mail_server.stop()
    assert send_due_reminders(YEAR, down).queued == 1
    completed(person)
    mail_server.start()
    result = send_due_reminders(YEAR, SmtpSettings.of({**current_app.config, "SMTP_PORT": mail_server.port}))
    assert (result.sent, result.skipped) == (0, 1)
    assert [m.state for m in mails()] == ["skipped"] and mail_server.mailbox.received == []
