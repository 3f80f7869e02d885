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
import json
import logging
import math
import os
import random
import shutil
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from sqlalchemy.engine import make_url

from bench.endpoints import (
    BASELINE_INSERT,
    Endpoint,
    answer_endpoint,
    baseline_page,
    page_endpoints,
    send_line,
    submission_endpoint,
)
from bench.generate import generate_organisation, sqlite_url
from bench.gunicorn_server import PROJECT_ROOT, GunicornServer, server_environment, serving
from bench.load import Load, run_users, run_wrk

TARGET_RATIO = 0.5
TARGET_P95_MS = 100.0
WARM_UP_SECONDS = 2
THINK_MS = 1000  # each user's pause between requests in the latency run (on average)


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
