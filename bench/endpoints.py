"""The requests the server benchmark sends: each as another signed-in employee, prepared one per line
for wrk (method, path, Cookie header, body), with the answer each must get."""

from __future__ import annotations

import json
import random
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote, urlencode

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from bench.generate import bench_app

USER_AGENT = "elearn-bench"


@dataclass(frozen=True)
class Endpoint:
    """An endpoint under load: its requests (one per line for wrk) and the answer each must get."""

    name: str
    kind: str
    lines: list[str]
    status: int
    once: bool = False  # each request may be sent only once (a submission)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def send_line(base_url: str, line: str) -> tuple[int, int, str]:
    """Send one prepared request as wrk would: (status, body length, Location header)."""
    method, path, cookie, *rest = line.split("\t")
    body = rest[0].encode() if method == "POST" and rest else None
    headers = {"Cookie": cookie, "User-Agent": USER_AGENT}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    request = urllib.request.Request(base_url + path, data=body, headers=headers, method=method)
    try:
        with _opener.open(request, timeout=30) as response:
            return response.status, len(response.read()), response.headers.get("Location", "")
    except urllib.error.HTTPError as error:
        return error.code, len(error.read()), error.headers.get("Location", "")


def signed_sessions(database_url: str, employee_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    """employee id -> (Cookie header, CSRF token), as the app's login would have set them."""
    from flask import session
    from flask_login import login_user
    from flask_wtf.csrf import generate_csrf

    from elearn.extensions import db
    from elearn.models import Employee

    app = bench_app(database_url)
    serializer = app.session_interface.get_signing_serializer(app)
    cookie_name = app.config["SESSION_COOKIE_NAME"]
    sessions = {}
    environ = {"REMOTE_ADDR": "127.0.0.1"}
    with app.app_context():
        employees = list(db.session.scalars(db.select(Employee).where(Employee.id.in_(employee_ids))))
        for employee in employees:
            # A context of its own per employee: Flask-WTF keeps the token on ``g`` once made.
            with (
                app.app_context(),
                app.test_request_context(environ_base=environ, headers={"User-Agent": USER_AGENT}),
            ):
                login_user(employee)
                token = generate_csrf()
                sessions[employee.id] = (f"{cookie_name}={serializer.dumps(dict(session))}", token)
        db.session.remove()
        db.engine.dispose()
    return sessions


def line(method: str, path: str, cookie: str, body: str = "") -> str:
    return "\t".join((method, path, cookie, body))


def baseline_page(size: int) -> Endpoint:
    return Endpoint(
        "baseline: a page of the same size", "page", [line("GET", f"/page?bytes={size}", "")], 200
    )


BASELINE_INSERT = Endpoint(
    "baseline: one INSERT", "write", [line("POST", "/write", "", "note=baseline")], 303
)


def fetch(database_url: str, sql: str, **params: object) -> list[tuple]:
    engine = create_engine(database_url, poolclass=NullPool)
    with engine.connect() as connection:
        rows = [tuple(row) for row in connection.execute(text(sql), params)]
    engine.dispose()
    return rows


def learners(database_url: str, count: int, rng: random.Random) -> list[int]:
    ids = [
        row[0]
        for row in fetch(
            database_url,
            "SELECT id FROM employees WHERE active AND role IN ('employee', 'manager') ORDER BY id",
        )
    ]
    return rng.sample(ids, min(count, len(ids)))


def page_endpoints(database_url: str, users: int, rng: random.Random) -> list[Endpoint]:
    """マイ研修, a lesson page and the HR dashboard, each request as another employee."""
    employees = learners(database_url, users, rng)
    hr = [row[0] for row in fetch(database_url, "SELECT id FROM employees WHERE active AND role = 'hr'")]
    lessons = fetch(
        database_url,
        "SELECT c.key, l.slug FROM lessons l JOIN course_versions v ON v.id = l.course_version_id "
        "JOIN courses c ON c.id = v.course_id "
        "WHERE v.version = (SELECT max(version) FROM course_versions WHERE course_id = c.id)",
    )
    sessions = signed_sessions(database_url, [*employees, *hr])
    my_training = [line("GET", "/", sessions[e][0]) for e in employees]
    lesson = [
        line("GET", "/courses/{}/lessons/{}".format(*rng.choice(lessons)), sessions[e][0]) for e in employees
    ]
    dashboard = [line("GET", "/hr/", sessions[h][0]) for h in hr]
    return [
        Endpoint("マイ研修 GET /", "page", my_training, 200),
        Endpoint("lesson page GET /courses/<key>/lessons/<slug>", "page", lesson, 200),
        Endpoint("HR dashboard GET /hr/", "page", dashboard, 200),
    ]


def answer_endpoint(database_url: str, rng: random.Random) -> Endpoint:
    """Saving an answer to each question of the attempts in progress, by their owners."""
    rows = fetch(
        database_url,
        "SELECT a.employee_id, a.id, q.position, q.choice_order, v.multiple "
        "FROM attempts a JOIN employees e ON e.id = a.employee_id "
        "JOIN attempt_questions q ON q.attempt_id = a.id "
        "JOIN scenario_versions v ON v.id = q.scenario_version_id "
        "WHERE a.submitted_at IS NULL AND e.active",
    )
    correct = {
        row[0]: row[1]
        for row in fetch(database_url, "SELECT id, scenario_version_id FROM scenario_choices WHERE correct")
    }
    sessions = signed_sessions(database_url, sorted({row[0] for row in rows}))
    lines = []
    for employee_id, attempt_id, position, order, multiple in rows:
        choices = json.loads(order) if isinstance(order, str) else order
        answer = [c for c in choices if c in correct] if multiple else [rng.choice(choices)]
        cookie, token = sessions[employee_id]
        body = urlencode([("csrf_token", token), *(("answer", str(c)) for c in answer)])
        lines.append(line("POST", f"/attempts/{attempt_id}/questions/{position + 1}", cookie, body))
    rng.shuffle(lines)
    return Endpoint("quiz answer save POST /attempts/<id>/questions/<n>", "write", lines, 303)


def submission_endpoint(database_url: str, rng: random.Random) -> Endpoint:
    """Submitting fully answered attempts, each once: opened here for courses not started or not passed."""
    attempts = open_answered_attempts(database_url, rng)
    sessions = signed_sessions(database_url, sorted({employee for employee, _ in attempts}))
    lines = []
    for employee_id, attempt_id in attempts:
        cookie, token = sessions[employee_id]
        body = urlencode({"csrf_token": token}, quote_via=quote)
        lines.append(line("POST", f"/attempts/{attempt_id}/submit", cookie, body))
    rng.shuffle(lines)
    return Endpoint("quiz submission POST /attempts/<id>/submit", "write", lines, 303, once=True)


def open_answered_attempts(database_url: str, rng: random.Random) -> list[tuple[int, int]]:
    """A fully answered attempt in progress for every active employee's course with no attempt open and no
    completion this year, and one of the year before for every assignment (so that a fast server does
    not run out of attempts to submit in 15 s: submitting one is the same work in any year); returns
    (employee id, attempt id) pairs."""
    from bench.bulk_writer import BulkWriter
    from bench.generate import read_courses
    from bench.organisation import OrganisationBuilder

    courses, choices = read_courses(database_url, rng)
    by_id = {course.id: course for course in courses}
    pairs = fetch(
        database_url,
        "SELECT s.employee_id, s.course_id, s.fiscal_year, "
        "(SELECT coalesce(max(number), 0) FROM attempts a WHERE a.employee_id = s.employee_id "
        " AND a.course_id = s.course_id AND a.fiscal_year = s.fiscal_year) "
        "FROM assignments s JOIN employees e ON e.id = s.employee_id "
        "WHERE e.active AND NOT EXISTS (SELECT 1 FROM completions c WHERE c.employee_id = s.employee_id "
        " AND c.course_id = s.course_id AND c.fiscal_year = s.fiscal_year) "
        "AND NOT EXISTS (SELECT 1 FROM attempts a WHERE a.employee_id = s.employee_id "
        " AND a.course_id = s.course_id AND a.fiscal_year = s.fiscal_year AND a.submitted_at IS NULL)",
    )
    year_before = fetch(
        database_url,
        "SELECT s.employee_id, s.course_id, s.fiscal_year - 1, 0 "
        "FROM assignments s JOIN employees e ON e.id = s.employee_id "
        "WHERE e.active AND NOT EXISTS (SELECT 1 FROM attempts a WHERE a.employee_id = s.employee_id "
        " AND a.course_id = s.course_id AND a.fiscal_year = s.fiscal_year - 1)",
    )
    (max_attempt, max_question), *_ = fetch(
        database_url,
        "SELECT (SELECT coalesce(max(id), 0) FROM attempts), "
        "(SELECT coalesce(max(id), 0) FROM attempt_questions)",
    )
    writer = BulkWriter(database_url)
    next_ids = max_attempt + 1, max_question + 1
    opened = []
    try:
        for group in (pairs, year_before):
            if not group:
                continue
            attempts: list[tuple] = []
            questions: list[tuple] = []
            builder = OrganisationBuilder(
                writer, 0, group[0][2], courses, choices, rng, now=datetime.now(UTC)
            )
            builder.next_attempt_id, builder.next_question_id = next_ids
            for employee_id, course_id, _year, number in group:
                course = by_id[course_id]
                started = builder.moment()
                attempt_id = builder.add_open_attempt(
                    attempts, questions, employee_id, course, number + 1, started, len(course.draws[0])
                )
                opened.append((employee_id, attempt_id))
            next_ids = builder.next_attempt_id, builder.next_question_id
            builder.write_attempts(attempts, questions)
        writer.commit()
        writer.reset_sequences(["attempts", "attempt_questions"])
    finally:
        writer.close()
    return opened
