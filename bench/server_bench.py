"""Server throughput: the app under gunicorn against a plain-Flask baseline, loaded by wrk on loopback.

Run with ``.venv/bin/python -m bench.server_bench [--database FILE.db | --database-url URL]``; without a
database, a 10,000-employee organisation is generated into a temporary folder (bench/generate.py).

The app (``wsgi:app``, ELEARN_ENV=production) and the baseline (bench/baseline_app.py) run side by side
under the same gunicorn settings on the same database; wrk (Debian's package) drives each endpoint for
a fixed time with a fixed number of connections, each request as a different signed-in employee (session
cookies and CSRF tokens signed here with the app's key, as a login would set them):

- マイ研修 (GET /), a lesson page, the HR dashboard (GET /hr/): pages, each against a baseline page
  of the same size;
- a quiz answer save (POST /attempts/<id>/questions/<n>) and a quiz submission (POST
  /attempts/<id>/submit, each attempt submitted once), against the baseline's one INSERT.

Targets (issue 10): every endpoint at least half the baseline's throughput, p95 under 100 ms at
50 concurrent connections on the project's 2-core machine.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import logging
import math
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlencode

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from bench.generate import SECRET_KEY, bench_app, generate_organisation, sqlite_url

PROJECT_ROOT = Path(__file__).resolve().parent.parent
REPLAY_SCRIPT = Path(__file__).resolve().parent / "wrk" / "replay.lua"
USER_AGENT = "elearn-bench"
TARGET_RATIO = 0.5
TARGET_P95_MS = 100.0
START_TIMEOUT = 60.0
WARM_UP_SECONDS = 2
THINK_MS = 1000  # each user's pause between requests in the latency run (on average)


@dataclass(frozen=True)
class Load:
    """What one wrk run measured."""

    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    repeated: bool  # a request meant to be sent once was sent again
    server_cpu_ms: float = 0.0  # CPU time of the server's processes per request

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


@dataclass(frozen=True)
class EndpointResult:
    name: str
    kind: str  # "page" or "write"
    app: Load  # capacity: the connections send their next request as soon as the last is answered
    baseline: Load
    page_bytes: int | None = None
    users: Load | None = None  # as many users as connections, pausing between requests

    @property
    def ratio(self) -> float:
        baseline = self.baseline.requests_per_second
        return self.app.requests_per_second / baseline if baseline else 0.0

    @property
    def clean(self) -> bool:
        """No errors, and no once-only request (a submission) sent twice."""
        runs = [self.app, self.users] if self.users else [self.app]
        return all(not run.errors and not run.repeated for run in runs)

    @property
    def meets_ratio(self) -> bool:
        return self.ratio >= TARGET_RATIO

    @property
    def meets_latency(self) -> bool:
        """p95 at the users' pace, or at full load if no users' run was made."""
        return (self.users or self.app).p95_ms < TARGET_P95_MS

    @property
    def meets_targets(self) -> bool:
        return self.meets_ratio and self.meets_latency and self.clean

    def as_dict(self) -> dict[str, object]:
        return {
            **asdict(self),
            "app_rps": self.app.requests_per_second,
            "baseline_rps": self.baseline.requests_per_second,
            "ratio": self.ratio,
            "meets_targets": self.meets_targets,
        }


@dataclass(frozen=True)
class Endpoint:
    """An endpoint under load: its requests (one per line for wrk) and the answer each must get."""

    name: str
    kind: str
    lines: list[str]
    status: int
    once: bool = False  # each request may be sent only once (a submission)


class GunicornServer:
    """gunicorn serving ``app`` on a free loopback port, in a process group of its own."""

    def __init__(
        self, app: str, environ: dict[str, str], workers: int, log: Path, root: Path = PROJECT_ROOT
    ) -> None:
        self.app = app
        self.root = root
        # The app's own tree first, so that another checkout (--app-root) is what gets imported.
        self.environ = {**environ, "PYTHONPATH": str(root)}
        self.workers = workers
        self.log = log
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [
            sys.executable, "-m", "gunicorn",
            "--workers", str(self.workers),
            "--bind", f"127.0.0.1:{self.port}",
            "--chdir", str(self.root),
            "--timeout", "120",
            "--graceful-timeout", "5",
            self.app,
        ]  # fmt: skip
        self.check_imports()
        with self.log.open("ab") as log:
            # Started in the app's tree: ``python -m`` puts the working directory first on sys.path,
            # before PYTHONPATH, and the project's editable install would then serve this checkout.
            self.process = subprocess.Popen(
                command,
                cwd=self.root,
                env=self.environ,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.app} exited at start:\n{self.log.read_text(errors='replace')}")
            with contextlib.suppress(OSError):
                if http_status(f"{self.url}/healthz") == 200:
                    return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.app} did not answer /healthz within {START_TIMEOUT:.0f} s")

    def check_imports(self) -> None:
        """Refuse to measure another checkout's code than the one asked for."""
        found = subprocess.run(
            [sys.executable, "-c", "import elearn; print(elearn.__file__)"],
            cwd=self.root,
            env=self.environ,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        if not Path(found).resolve().is_relative_to(self.root.resolve()):
            raise RuntimeError(f"the server would import elearn from {found}, not from {self.root}")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None

    def cpu_seconds(self) -> float:
        """CPU time used so far by the master and its workers (from /proc, Linux only)."""
        if self.process is None:
            return 0.0
        master = self.process.pid
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        ticks = 0
        for pid in [master, *map(int, children)]:
            with contextlib.suppress(FileNotFoundError, ProcessLookupError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                ticks += int(fields[11]) + int(fields[12])  # utime and stime
        return ticks / os.sysconf("SC_CLK_TCK")

    def errors(self) -> list[str]:
        lines = self.log.read_text(errors="replace").splitlines() if self.log.exists() else []
        return [line for line in lines if "Traceback" in line or "[ERROR]" in line]


@contextlib.contextmanager
def serving(
    app: str, environ: dict[str, str], workers: int, log: Path, root: Path = PROJECT_ROOT
) -> Iterator[GunicornServer]:
    server = GunicornServer(app, environ, workers, log, root)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def http_status(url: str) -> int:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status


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


# Sessions and prepared requests


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
    from bench.generate import BulkWriter, OrganisationBuilder, read_courses

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


# Running wrk


def run_wrk(
    base_url: str, lines_file: Path, seconds: float, connections: int, threads: int, once: bool = False
) -> Load:
    """One wrk run over the prepared requests; its Lua script prints the figures as JSON."""
    command = [
        "wrk", f"--threads={threads}", f"--connections={connections}",
        f"--duration={max(1, round(seconds))}s", "--timeout=30s", f"--script={REPLAY_SCRIPT}", base_url,
        "--", str(lines_file), str(threads), "once" if once else "cycle",
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=True, timeout=seconds + 120)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return Load(
        requests=figures["requests"],
        seconds=figures["duration_us"] / 1e6,
        p50_ms=figures["p50_us"] / 1000,
        p95_ms=figures["p95_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
        errors=sum(figures[k] for k in ("connect_errors", "read_errors", "write_errors", "status_errors"))
        + figures["timeouts"],
        repeated=once and figures["threads_repeated"] > 0,
    )


def run_users(
    base_url: str, lines: Sequence[str], seconds: float, users: int, think_ms: int, endpoint: Endpoint
) -> Load:
    """``users`` simulated users, each pausing a random 0.5 to 1.5 times ``think_ms`` before each request.

    Not wrk: wrk opens the next connection before pausing, and gunicorn's sync workers (made to sit
    behind a buffering proxy) would each wait on an idle connection. A user here connects when they
    click, as through the proxy; a thread per user is plenty at this pace (a few dozen requests/s).
    """
    queue = iter(lines) if endpoint.once else itertools.cycle(lines)
    lock = threading.Lock()
    latencies: list[float] = []
    errors = repeated = 0
    deadline = time.monotonic() + seconds

    def user(number: int) -> None:
        nonlocal errors, repeated
        rng = random.Random(number)
        while True:
            time.sleep(rng.uniform(0.5, 1.5) * think_ms / 1000)
            if time.monotonic() >= deadline:
                return
            with lock:
                request_line = next(queue, None)
            if request_line is None:
                with lock:
                    repeated += 1
                return
            start = time.perf_counter()
            try:
                status, _, location = send_line(base_url, request_line)
                ok = status == endpoint.status and "/login" not in location
            except OSError:
                ok = False
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                errors += not ok

    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ranked = sorted(latencies) or [0.0]

    def percentile(p: float) -> float:
        return 1000 * ranked[min(len(ranked) - 1, math.ceil(p / 100 * len(ranked)) - 1)]

    return Load(
        requests=len(latencies),
        seconds=seconds,  # requests are sent until the deadline; the last answers may come after it
        p50_ms=percentile(50),
        p95_ms=percentile(95),
        p99_ms=percentile(99),
        errors=errors,
        repeated=repeated > 0,
    )


def load_server(
    server: GunicornServer,
    lines_file: Path,
    seconds: float,
    connections: int,
    threads: int,
    once: bool = False,
) -> Load:
    """wrk against ``server``, with the CPU time the server spent per request."""
    before = server.cpu_seconds()
    load = run_wrk(server.url, lines_file, seconds, connections, threads, once)
    spent = server.cpu_seconds() - before
    return replace(load, server_cpu_ms=1000 * spent / load.requests if load.requests else 0.0)


def check_answers(base_url: str, endpoint: Endpoint, samples: int = 5) -> int:
    """Send a few of the endpoint's requests by hand: each must get its status and not a login page.

    Returns the mean body size, for the baseline page of the same size. A once-only endpoint is checked
    on its last requests, which are then left out of the load.
    """
    picked = endpoint.lines[-samples:] if endpoint.once else endpoint.lines[:samples]
    sizes = []
    for request_line in picked:
        status, size, location = send_line(base_url, request_line)
        if status != endpoint.status or "/login" in location:
            raise RuntimeError(
                f"{endpoint.name}: got {status} {location} for {request_line.split(chr(9))[:2]}"
            )
        sizes.append(size)
    if endpoint.once:
        del endpoint.lines[-samples:]
    return round(sum(sizes) / len(sizes))


def write_lines(path: Path, lines: Sequence[str]) -> Path:
    path.write_text("".join(f"{entry}\n" for entry in lines), encoding="utf-8")
    return path


def server_environment(database_url: str, folder: Path) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("ELEARN_", "DATABASE_URL"))}
    environ.update(
        DATABASE_URL=database_url,
        SECRET_KEY=SECRET_KEY,
        ELEARN_ENV="production",
        ELEARN_INSTANCE_PATH=str(folder / "instance"),
        ELEARN_CONTENT_ROOT=str(PROJECT_ROOT),
    )
    return environ


@dataclass(frozen=True)
class LoadSettings:
    """How each endpoint is loaded: for how long, by how many connections, after how long a warm-up."""

    seconds: float = 15
    connections: int = 50
    wrk_threads: int = 2
    warm_up: float = WARM_UP_SECONDS  # not measured: every worker up, templates compiled, caches filled
    think_ms: int = THINK_MS  # the users' pause between requests in the latency run; 0: no such run


def measure_endpoint(
    server: GunicornServer, endpoint: Endpoint, lines_file: Path, load: LoadSettings, users: bool = True
) -> tuple[Load, Load | None]:
    """The server's capacity (no pause between requests) and, if ``users``, the latency that as many
    users as connections see when each pauses between requests."""
    lines, reserved = endpoint.lines, endpoint.lines
    if users and load.think_ms and endpoint.once:  # the users' run gets requests of its own
        needed = math.ceil(1.5 * load.connections * load.seconds * 1000 / load.think_ms)
        needed = min(needed, len(endpoint.lines) // 2)  # a tiny pool (the smoke test) is shared out
        lines, reserved = endpoint.lines[:-needed], endpoint.lines[-needed:]
    threads = min(load.wrk_threads, len(lines))
    write_lines(lines_file, lines)
    if load.warm_up and not endpoint.once:
        run_wrk(server.url, lines_file, load.warm_up, load.connections, threads)
    capacity = load_server(server, lines_file, load.seconds, load.connections, threads, endpoint.once)
    if not (users and load.think_ms):
        return capacity, None
    before = server.cpu_seconds()
    pausing = run_users(server.url, reserved, load.seconds, load.connections, load.think_ms, endpoint)
    spent = server.cpu_seconds() - before
    return capacity, replace(pausing, server_cpu_ms=1000 * spent / max(pausing.requests, 1))


def measure_server(
    database_url: str,
    folder: Path,
    load: LoadSettings | None = None,
    workers: int = 5,
    users: int = 1000,
    seed: int = 10,
    app_root: Path = PROJECT_ROOT,
) -> list[EndpointResult]:
    """Each endpoint of the app, then the baseline doing the same kind of work, under the same load.

    ``app_root`` serves the app from another checkout (a ``git worktree`` of an older commit, say),
    for a before-and-after comparison on the same database and harness.
    """
    from bench.baseline_app import create_table

    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed (apt-get install wrk)")
    load = load or LoadSettings()
    rng = random.Random(seed)
    endpoints = [
        *page_endpoints(database_url, users, rng),
        answer_endpoint(database_url, rng),
        submission_endpoint(database_url, rng),
    ]
    create_table(database_url)
    environ = server_environment(database_url, folder)
    results = []
    with (
        serving("wsgi:app", environ, workers, folder / "app.log", app_root) as app,
        serving("bench.baseline_app:app", environ, workers, folder / "baseline.log") as baseline,
    ):
        one_insert: Load | None = None
        for number, endpoint in enumerate(endpoints):
            size = check_answers(app.url, endpoint)
            capacity, users = measure_endpoint(app, endpoint, folder / f"endpoint-{number}.txt", load)
            if endpoint.kind == "page":
                same_size, page_file = baseline_page(size), folder / f"baseline-{number}.txt"
                base, _ = measure_endpoint(baseline, same_size, page_file, load, users=False)
            else:  # the same for every write: measured once
                if one_insert is None:
                    insert_file = folder / "baseline-insert.txt"
                    one_insert, _ = measure_endpoint(
                        baseline, BASELINE_INSERT, insert_file, load, users=False
                    )
                base = one_insert
            results.append(EndpointResult(endpoint.name, endpoint.kind, capacity, base, size, users))
        problems = app.errors() + baseline.errors()
    if problems:
        raise RuntimeError("the servers logged errors:\n" + "\n".join(problems[:20]))
    return results


def format_table(results: Sequence[EndpointResult]) -> list[str]:
    """Markdown: the capacity of each endpoint against its baseline, then the latency at the users' pace."""
    rows = [
        "| endpoint | req/s | p50 ms | p95 ms | p99 ms | CPU ms/req | baseline req/s | baseline CPU ms/req "
        f"| ratio (≥ {TARGET_RATIO}) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        rows.append(
            f"| {r.name} | {r.app.requests_per_second:,.0f} | {r.app.p50_ms:.1f} | {r.app.p95_ms:.1f} | "
            f"{r.app.p99_ms:.1f} | {r.app.server_cpu_ms:.2f} | {r.baseline.requests_per_second:,.0f} | "
            f"{r.baseline.server_cpu_ms:.2f} | {r.ratio:.2f} {verdict(r.meets_ratio)}{problems(r.app)} |"
        )
    if not any(r.users for r in results):
        return rows
    rows += [
        "",
        f"| endpoint, users pausing between requests | req/s | p50 ms | p95 ms (< {TARGET_P95_MS:.0f}) "
        "| p99 ms | CPU ms/req |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        if r.users:
            u = r.users
            rows.append(
                f"| {r.name} | {u.requests_per_second:,.0f} | {u.p50_ms:.1f} | {u.p95_ms:.1f} "
                f"{verdict(r.meets_latency)}{problems(u)} | {u.p99_ms:.1f} | {u.server_cpu_ms:.2f} |"
            )
    return rows


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def problems(load: Load) -> str:
    found = [f"{load.errors} errors"] if load.errors else []
    found += ["requests repeated: pool too small"] if load.repeated else []
    return f" ({', '.join(found)})" if found else ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--database", type=Path, help="a generated SQLite organisation (changed by the run)")
    source.add_argument("--database-url", help="a generated organisation on any database")
    parser.add_argument("--employees", type=int, default=10_000, help="size to generate without a database")
    parser.add_argument("--seconds", type=float, default=15, help="load time per endpoint and baseline")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--json", type=Path, help="also write the results here as JSON")
    parser.add_argument(
        "--app-root", type=Path, default=PROJECT_ROOT, help="serve the app from this checkout (before/after)"
    )
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="elearn-server-bench-") as tmp:
        folder = Path(tmp)
        if args.database_url:
            url = args.database_url
        elif args.database:
            url = sqlite_url(args.database.resolve())
        else:
            url = sqlite_url(folder / "organisation.db")
            generate_organisation(url, args.employees)
        load = LoadSettings(seconds=args.seconds, connections=args.connections)
        results = measure_server(url, folder, load, args.workers, app_root=args.app_root.resolve())
    print(
        f"{args.connections} connections, {args.seconds:.0f} s per run, gunicorn --workers {args.workers}, "
        f"{make_url(url).get_backend_name()}, app from {args.app_root}"
    )
    print("\n".join(format_table(results)))
    if args.json:
        args.json.write_text(json.dumps([r.as_dict() for r in results], indent=2, ensure_ascii=False))
    return 0 if all(r.meets_targets for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
