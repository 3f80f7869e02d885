"""A small organisation with records of its own for every role, and every page of the app as a request.

Each signed-in role (employee, manager, trainer, hr) has a certificate, a submitted and an open quiz
attempt, a self-check response and, for HR, an uploaded roster; so has a colleague in the manager's
own department, whose records stand for "someone else's". Everyone is assigned the basic course.
Every route of the app becomes one or more ``Page``s: an endpoint, a method and a *variant* saying
whose record fills the URL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from elearn.extensions import db
from elearn.fiscal import current_fiscal_year, fiscal_year_bounds
from elearn.models import (
    AssignmentRule,
    AssignmentScope,
    Attempt,
    Completion,
    ContentUpload,
    Employee,
    RecordUpload,
    Role,
    RosterUpload,
    SelfCheckResponse,
)
from elearn.services import submission
from elearn.services.assignments import add_rule
from elearn.services.audit import Actor
from elearn.services.content_upload_files import read_upload
from elearn.services.content_uploads import store_upload as store_content_upload
from elearn.services.record_uploads import UploadKind
from elearn.services.record_uploads import store_upload as store_record_upload
from elearn.services.roster_uploads import store_upload
from elearn.services.selfchecks import current_version
from tests import records
from tests.conftest import People, sign_in
from tests.content.tree import bank, scenario
from tests.learn.quiz import save_answers, start_attempt

ROLES: tuple[str, ...] = ("anonymous", "employee", "manager", "trainer", "hr")
SIGNED_IN = {"employee": Role.EMPLOYEE, "manager": Role.MANAGER, "trainer": Role.TRAINER, "hr": Role.HR}

# Variants of a URL with a record in it.
OWN, OTHERS = "own", "other's"
COLLEAGUE, OUTSIDER = "colleague", "outsider"  # an employee of the manager's department, of another
CSV, XLSX, PDF = "csv", "xlsx", "pdf"

SELFCHECK = "own-conduct"
ROSTER = "職員番号,氏名,所属\r\nW001,新人 一郎,市民課\r\n"
# The colleague attended a session of a course nobody here has completed, on the first day of the year.
FIRST_DAY = fiscal_year_bounds(current_fiscal_year())[0]
ATTENDANCE = f"職員番号,コース,実施日,研修名\r\nE002,shokuin-koui,{FIRST_DAY},研修\r\n"

# Fixed URL values: real content of the project.
WORLD_BANK = bank(scenario("world-01"))
STATIC_VALUES = {
    "key": "kihon-houshin",
    "slug": "01-mokuteki",
    "folder": "kihon-houshin",
    "name": "teigi.md",
    "number": 1,
    "kind": "before_due",
}
# Marking a lesson read writes only the first time: one of a course the world's people have not read.
ENDPOINT_VALUES = {
    "learn.lesson_read": {"key": "shokuin-koui", "slug": "01-shokuin-mo"},
    "author.upload_quiz_file": {"name": "world.md"},  # the world's upload (a bank) has this file
    # The basic course's history, and its version 1 (the only one: a rollback to it is refused).
    "author.history": {"kind": "course"},
    "author.rollback_confirm": {"kind": "course"},
    "author.rollback_to": {"kind": "course"},
}
STATIC_FILES = {"static": "css/elearn.css", "author.static": "author.css"}
SELFCHECK_ENDPOINTS = {"selfcheck.take"}


@dataclass
class Records:
    """What one person has done."""

    completion: Completion
    submitted: Attempt
    open: Attempt
    response: SelfCheckResponse
    upload: RosterUpload | None = None
    record_upload: RecordUpload | None = None


@dataclass
class World:
    users: dict[str, Employee]  # by role name, signed-in roles only
    colleague: Employee  # in the manager's department
    outsider: Employee  # in another department
    other_hr: Employee
    records: dict[int, Records] = field(default_factory=dict)  # by employee id
    rule: AssignmentRule | None = None
    content_upload: ContentUpload | None = None  # a bank a trainer uploaded on /author/
    discardable_upload: ContentUpload | None = None  # another, for the discard button

    def user(self, role: str) -> Employee | None:
        return self.users.get(role)

    def of(self, employee: Employee) -> Records:
        return self.records[employee.id]


def build_world(people: People) -> World:
    """The organisation: 市民課 holds the employee, the manager and the trainer; HR sits in 職員課."""
    users = {
        "employee": people.employee(Role.EMPLOYEE, employee_no="E001", name="青木 花子"),
        "manager": people.employee(Role.MANAGER, employee_no="M001", name="松本 課長"),
        "trainer": people.employee(Role.TRAINER, employee_no="K001", name="研修 担当"),
        "hr": people.employee(Role.HR, employee_no="H001", name="人事 太郎", department="職員課"),
    }
    world = World(
        users=users,
        colleague=people.employee(employee_no="E002", name="石田 健"),
        outsider=people.employee(employee_no="E900", name="外山 理", department="課税課"),
        other_hr=people.employee(Role.HR, employee_no="H002", name="人事 次郎", department="職員課"),
    )
    for person in (*users.values(), world.colleague, world.other_hr):
        world.records[person.id] = _records_of(person)
    for hr in (users["hr"], world.other_hr):
        world.records[hr.id].upload = store_upload(ROSTER.encode(), "roster.csv", False, Actor.of(hr))
        world.records[hr.id].record_upload = store_record_upload(
            UploadKind.ATTENDANCE, ATTENDANCE.encode(), "attendance.csv", Actor.of(hr)
        )
    world.content_upload, world.discardable_upload = (
        store_content_upload(
            Actor.of(users["trainer"]), "world.md", read_upload("world.md", WORLD_BANK.encode()), False
        )
        for _ in range(2)
    )
    # Everyone must take the basic course this year, so that HR's and managers' reports list them.
    world.rule = add_rule(
        current_fiscal_year(), records.course(), AssignmentScope.ALL, actor=Actor.of(users["hr"])
    ).rule
    return world


def _records_of(person: Employee) -> Records:
    """A passed attempt of the basic course, an open one of the manager course, a self-check."""
    year = current_fiscal_year()
    submitted = start_attempt(person, "kihon-houshin", year)
    save_answers(submitted.id, correct=True)
    submission.submit_attempt(submitted)
    completion = db.session.scalar(select(Completion).where(Completion.attempt_id == submitted.id))
    opened = start_attempt(person, "kanri", year)
    response = records.selfcheck_response(person, current_version(SELFCHECK), 1)
    return Records(completion=completion, submitted=submitted, open=opened, response=response)


@dataclass(frozen=True, order=True)
class Page:
    endpoint: str
    method: str
    variant: str = ""

    def __str__(self) -> str:
        return f"{self.method} {self.endpoint}" + (f" [{self.variant}]" if self.variant else "")


def url_values(world: World, page: Page, role: str, rule_arguments: set[str]) -> dict[str, object]:
    """Values for the rule's arguments: the requester's own record, someone else's, or fixed content."""
    requester = world.user(role) or world.users["employee"]
    owner = requester if page.variant == OWN else world.colleague
    values: dict[str, object] = {}
    for name in rule_arguments:
        if name in ENDPOINT_VALUES.get(page.endpoint, {}):
            values[name] = ENDPOINT_VALUES[page.endpoint][name]
        elif name in STATIC_VALUES:
            values[name] = STATIC_VALUES[name]
        elif name == "filename":
            values[name] = STATIC_FILES[page.endpoint]
        elif name == "fmt":
            values[name] = page.variant
        else:
            values[name] = _record_value(world, page, name, owner)
    if page.endpoint in SELFCHECK_ENDPOINTS:
        values["key"] = SELFCHECK
    return values


def _record_value(world: World, page: Page, name: str, owner: Employee) -> object:
    """The id or number of a record in the world for the rule's argument ``name``."""
    if name == "attempt_id":
        mine = world.of(owner)
        return (mine.submitted if page.endpoint == "learn.attempt" else mine.open).id
    if name == "completion_id":
        return world.of(owner).completion.id
    if name == "response_id":
        return world.of(owner).response.id
    if name == "token":  # only HR uploads rosters; to anyone else every token is someone else's
        uploader = world.users["hr"] if page.variant == OWN else world.other_hr
        return world.of(uploader).upload.token
    if name == "upload_token":  # exemption and attendance files, HR's alone like rosters
        uploader = world.users["hr"] if page.variant == OWN else world.other_hr
        return world.of(uploader).record_upload.token
    if name == "upload_id":
        discard = page.endpoint == "author.upload_discard"
        return (world.discardable_upload if discard else world.content_upload).id
    if name == "rule_id":
        return world.rule.id
    if name == "employee_no":
        return (world.outsider if page.variant == OUTSIDER else world.colleague).employee_no
    raise AssertionError(f"no value for <{name}> of {page}: add it to tests/security/world.py")


def rules_by_endpoint(app: Flask) -> dict[str, set[str]]:
    return {rule.endpoint: set(rule.arguments) for rule in app.url_map.iter_rules()}


def routes(app: Flask) -> set[tuple[str, str]]:
    """(endpoint, method) of every route the app has, HEAD and OPTIONS aside."""
    return {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods or ()
        if method not in {"HEAD", "OPTIONS"}
    }


def url(app: Flask, world: World, page: Page, role: str) -> str:
    arguments = rules_by_endpoint(app)[page.endpoint]
    with app.test_request_context():
        return app.url_for(page.endpoint, **url_values(world, page, role, arguments))


def client_for(app: Flask, world: World, role: str) -> FlaskClient:
    """A client signed in as ``role`` through the session, as Flask-Login keeps it."""
    client = app.test_client()
    user = world.user(role)
    if user is not None:
        sign_in(client, user)
    return client


CSRF_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_token(client: FlaskClient, path: str = "/") -> str:
    """The CSRF token of the client's session, read off a page, as a browser would have it."""
    page = client.get(path).get_data(as_text=True)
    found = CSRF_INPUT.search(page)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def table_contents() -> dict[str, object]:
    """What every table holds, in primary-key order: equal before and after means nothing was written.

    On SQLite, every row as sqlite3 gives it, without SQLAlchemy's conversions (dates parsed from text,
    enums) or its row objects: only compared, never read. On PostgreSQL, the row count and an MD5 of the
    rows' text per table, computed by the server in one statement: the fuzz tests look twice per
    example, and sending every row over the socket and decoding it (JSON columns included) cost most
    of their time.
    """
    db.session.rollback()  # a fresh look, not the session's cached state
    connection = db.session.connection()
    quote = connection.dialect.identifier_preparer
    tables = db.metadata.sorted_tables
    if connection.dialect.name == "postgresql":
        return dict(zip([table.name for table in tables], _table_digests(connection, tables), strict=True))
    cursor = connection.connection.driver_connection.cursor()  # sqlite3's own rows: plain tuples
    contents = {}
    for table in tables:
        order = ", ".join(quote.quote(column.name) for column in table.primary_key)
        query = f"SELECT * FROM {quote.format_table(table)} ORDER BY {order}"
        contents[table.name] = cursor.execute(query).fetchall()
    cursor.close()
    return contents


def _table_digests(connection, tables) -> tuple[str, ...]:
    # A row's text (``t::text``) quotes any value with a comma, a parenthesis or white space in it, so
    # the rows joined by newlines spell the table's contents unambiguously.
    quote = connection.dialect.identifier_preparer
    digests = []
    for table in tables:
        order = ", ".join(f"t.{quote.quote(column.name)}" for column in table.primary_key)
        digests.append(
            f"(SELECT count(*) || ' ' || coalesce(md5(string_agg(t::text, E'\\n' ORDER BY {order})), '')"
            f" FROM {quote.format_table(table)} AS t)"
        )
    return tuple(connection.exec_driver_sql("SELECT " + ", ".join(digests)).one())


def changed_tables(before: dict[str, list], after: dict[str, list]) -> set[str]:
    return {name for name in before if before[name] != after[name]}
