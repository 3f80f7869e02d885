"""State changes only by POST with a valid CSRF token: every POST route refuses a missing, forged or
borrowed token and writes nothing; no GET of any page writes anything (save the records of downloads
and the security log's records of refused access).

Every POST below is a request that does change something when its token is right (checked too), so
a refusal is the token's doing and not a bad form's.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from flask import Flask

from elearn.fiscal import current_fiscal_year
from elearn.services.activation import reset_account
from elearn.services.audit import Actor
from elearn.services.content_uploads import live_fingerprint
from elearn.services.exemptions import standing
from elearn.services.selfchecks import current_version
from tests import records
from tests.conftest import PASSWORD, People, running_app
from tests.learn.quiz import answers, save_answers
from tests.security.test_authorisation_matrix import EXPECTED
from tests.security.world import (
    ATTENDANCE,
    COLLEAGUE,
    OWN,
    ROLES,
    ROSTER,
    SELFCHECK,
    WORLD_BANK,
    Page,
    World,
    build_world,
    changed_tables,
    client_for,
    csrf_token,
    routes,
    table_contents,
    url,
)

NEW_PASSWORD = "my-own-pass-2026"


@dataclass(frozen=True)
class Post:
    """A POST that a ``role`` may make and that takes effect with a valid token."""

    role: str
    data: Callable[[Setup], dict[str, object]]
    variant: str = ""
    writes: bool = True  # False: its effect is on the session only (language) or a page (paste)
    accepted: int = 303


@dataclass
class Setup:
    world: World
    activation_code: str
    waiting_code: str  # N002's, issued and not used

    @property
    def open_attempt(self):
        return self.world.of(self.world.users["employee"]).open


def first_answer(setup: Setup) -> dict[str, object]:
    return {"answer": answers(setup.open_attempt.id, correct=True)[0]}


def every_item_answered(_setup: Setup) -> dict[str, object]:
    return {f"item_{item_id}": "2" for item_id, _ in current_version(SELFCHECK).items}


def bank_file(_setup: Setup) -> dict[str, object]:
    return {"file": (io.BytesIO(WORLD_BANK.encode()), "bank.md")}


def roster_file(_setup: Setup) -> dict[str, object]:
    return {"file": (io.BytesIO(ROSTER.encode()), "roster.csv")}


def attendance_file(_setup: Setup) -> dict[str, object]:
    return {"file": (io.BytesIO(ATTENDANCE.encode()), "attendance.csv")}


def exemption_file(_setup: Setup) -> dict[str, object]:
    data = f"職員番号,コース,年度,理由\r\nE001,kihon-houshin,{current_fiscal_year()},休職\r\n"
    return {"file": (io.BytesIO(data.encode()), "exemptions.csv")}


def kanri(employees: str = "") -> Callable[[Setup], dict[str, object]]:
    """The manager course this year: to assign (to ``employees``) or to exempt from."""
    return lambda s: {
        "year": current_fiscal_year(),
        "course": records.course("kanri").id,
        "employees": employees,
        "reason": "leave",
    }


def the_colleagues_exemption(setup: Setup) -> dict[str, object]:
    found = standing(setup.world.colleague.id, records.course("kanri").id, current_fiscal_year())
    return {"exemption": str(found.id) if found else "", "why": "復職"}


POSTS: dict[str, Post] = {
    "auth.login": Post(
        "anonymous", lambda s: {"employee_no": "E001", "password": PASSWORD}, accepted=302
    ),  # writes the session's row and the security log
    "auth.activate": Post(
        "anonymous",
        lambda s: {
            "employee_no": "N001",
            "code": s.activation_code,
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    ),
    "auth.logout": Post("employee", lambda s: {}, accepted=302),  # ends the session's row
    "auth.change_password": Post(
        "employee",
        lambda s: {"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    ),
    "preferences.language": Post("employee", lambda s: {"language": "en", "next": "/"}, writes=False),
    "learn.lesson_read": Post("employee", lambda s: {}),
    "learn.start_attempt": Post("employee", lambda s: {}),
    "learn.question": Post("employee", first_answer, variant=OWN),
    "learn.submit": Post("employee", lambda s: {}, variant=OWN),
    "selfcheck.take": Post("employee", every_item_answered),
    "author.paste": Post("trainer", lambda s: {"markdown": "# 問題集"}, writes=False, accepted=200),
    # Trial mode lives in the session: beginning and ending it write no table.
    "author.begin_trial_of": Post("trainer", lambda s: {}, writes=False),
    "author.end_trial_of": Post("trainer", lambda s: {}, writes=False),
    # The world has one version of each course: the rollback to it is refused after the token was accepted.
    "author.rollback_to": Post("trainer", lambda s: {}, writes=False),
    # The CSV of codes just issued: writes nothing (before hr.accounts, which replaces the code)
    "hr.codes_download": Post(
        "hr", lambda s: {"codes": f"N002 {s.waiting_code}"}, writes=False, accepted=200
    ),
    "hr.accounts": Post("hr", lambda s: {"department": "", "layout": "one"}, accepted=200),  # the slips
    "hr.assignments": Post(
        "hr",
        lambda s: {
            "year": current_fiscal_year(),
            "course": records.course("kanri").id,
            "scope": "all",
            "confirmed": "y",
        },
    ),
    "hr.rule_due": Post("hr", lambda s: {"due_date": f"{current_fiscal_year()}-12-01"}),
    "hr.rule_withdraw": Post("hr", lambda s: {"reason": "誤って登録"}),
    "hr.assign_required": Post("hr", lambda s: {"year": current_fiscal_year()}),
    "hr.carry_over": Post("hr", lambda s: {"year": current_fiscal_year() + 1}),
    "hr.reset": Post("hr", lambda s: {}, variant=COLLEAGUE, accepted=200),
    "hr.unlock": Post("hr", lambda s: {}, variant=COLLEAGUE),  # audited even when nothing was locked
    "hr.roster": Post("hr", roster_file),
    "hr.roster_preview": Post("hr", lambda s: {}, variant=OWN),
    # No mail server in these tests: the send is refused by the view, after the token was accepted.
    "manage.remind": Post("manager", lambda s: {}, writes=False),
    "hr.remind": Post("hr", lambda s: {}, writes=False),
    "hr.reminder_settings": Post(
        "hr", lambda s: {"days_before": "14, 3", "first_after": "1", "every_after": "7", "times_after": "3"}
    ),
    "hr.mail_template": Post("hr", lambda s: {"subject": "{コース}", "body": "{氏名} 様", "save": "y"}),
    # In this order: the colleague is assigned the manager course, exempted, and the exemption withdrawn.
    "hr.assign_employee": Post("hr", kanri(), variant=COLLEAGUE),
    "hr.exempt_employee": Post("hr", kanri(), variant=COLLEAGUE),
    "hr.withdraw_exemption": Post("hr", the_colleagues_exemption, variant=COLLEAGUE),
    "hr.assign_individually": Post("hr", kanri("E001")),
    "hr.exemptions": Post("hr", exemption_file),
    "hr.attendance": Post("hr", attendance_file),
    "hr.record_upload": Post("hr", lambda s: {}, variant=OWN),
    "author.upload": Post("trainer", bank_file),
    # The fingerprint of the live content, as the upload page carries it.
    "author.upload_publish": Post("trainer", lambda s: {"fingerprint": live_fingerprint()}),
    "author.upload_discard": Post("trainer", lambda s: {}),
}


@pytest.fixture
def csrf_app(database) -> Iterator[Flask]:
    with running_app(database) as app:  # CSRF on, as in production
        yield app


def prepare(people: People) -> Setup:
    """The world, plus someone to activate, someone without a password, and a quiz ready to submit."""
    world = build_world(people)
    hr = Actor.of(world.users["hr"])
    activation_code = reset_account(people.employee(employee_no="N001"), hr, days=14).code
    waiting_code = reset_account(people.employee(employee_no="N002"), hr, days=14).code
    attempt = world.of(world.users["employee"]).open
    save_answers(attempt.id, correct=True)
    return Setup(world, activation_code, waiting_code)


def test_every_post_route_is_in_the_table(csrf_app):
    posts = {endpoint for endpoint, method in routes(csrf_app) if method == "POST"}
    assert sorted(posts ^ set(POSTS)) == []


def test_a_post_without_a_valid_token_is_refused_and_writes_nothing(csrf_app):
    setup = prepare(People())
    world = setup.world
    stranger = client_for(csrf_app, world, "hr")
    borrowed = csrf_token(stranger)  # valid, but for another session
    problems = []
    for endpoint, post in POSTS.items():
        page = Page(endpoint, "POST", post.variant)
        target = url(csrf_app, world, page, post.role)
        client = client_for(csrf_app, world, post.role)
        if endpoint in ("hr.roster_preview", "hr.record_upload"):
            client.get(target)  # the preview HR saw before confirming
        token = csrf_token(client, "/login" if post.role == "anonymous" else "/")
        bad_tokens = {
            "no token": {},
            "forged": {"csrf_token": "x" * 40},
            "borrowed": {"csrf_token": borrowed},
        }
        tables = table_contents()  # after each post, the tables as the next one finds them
        for label, extra in bad_tokens.items():
            response = client.post(target, data={**post.data(setup), **extra})
            before, tables = tables, table_contents()
            changed = changed_tables(before, tables)
            if response.status_code != 400 or changed:
                problems.append((endpoint, label, response.status_code, sorted(changed)))
        response = client.post(target, data={**post.data(setup), "csrf_token": token})
        response.close()
        wrote = bool(changed_tables(tables, table_contents()))
        if response.status_code != post.accepted or wrote != post.writes:
            problems.append((endpoint, "valid token", response.status_code, wrote))
    assert problems == []


def test_a_refused_logout_leaves_the_employee_signed_in(csrf_app):
    world = build_world(People())
    client = client_for(csrf_app, world, "employee")
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200


# A download is itself recorded (who took which personal data, when); the roster preview remembers
# the digest of the plan HR was shown, so that the import applies exactly that plan.
RECORDED_DOWNLOADS = {
    "hr.completions_download",
    "hr.audit_download",
    "analysis.items_download",
    "author.scorm_download",
    "manage.completions_download",
    "hr.certificates_download",
    "hr.annual_report",
    "hr.security_download",
}
REFUSED = {403, 404}
GET_MAY_WRITE = {
    **{endpoint: {"audit_events"} for endpoint in RECORDED_DOWNLOADS},
    "hr.roster_preview": {"roster_uploads"},
    "certificates.pdf": {
        "audit_events"
    },  # HR issuing someone else's certificate; the holder's own writes nothing
    "hr.record_upload": {"record_uploads"},
}


@pytest.mark.parametrize("role", ROLES)
def test_no_get_of_any_page_writes_to_the_database(app, people, role):
    world = build_world(people)
    column = ROLES.index(role)
    writes = {}
    for page in sorted(p for p in EXPECTED if p.method == "GET"):
        client = client_for(app, world, role)  # signing in writes the session's row
        before = table_contents()
        response = client.get(url(app, world, page, role))
        response.close()
        changed = changed_tables(before, table_contents())
        may_write = GET_MAY_WRITE.get(page.endpoint, set())
        if EXPECTED[page][column] in REFUSED:
            may_write = may_write | {"security_events"}
        if changed - may_write:
            writes[str(page)] = sorted(changed)
        if page.endpoint in RECORDED_DOWNLOADS and EXPECTED[page][column] == 200:
            assert changed == {"audit_events"}, f"{page} left no record of the download"
    assert writes == {}
