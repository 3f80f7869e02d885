"""What one request to each benchmarked endpoint costs inside the app: SQL statements and CPU time.

Run with ``.venv/bin/python -m bench.request_cost --database org.db [--app-root CHECKOUT]`` on a
generated organisation (bench/generate.py; the run submits quizzes in it). The same requests as the
server benchmark go through Flask's test client: no server, no network, no other process in the
way, so that these are the steadiest figures on a shared machine. CPU time is the best of several
rounds; statements are counted on one request after a few to warm up.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.endpoints import (
    USER_AGENT,
    Endpoint,
    answer_endpoint,
    line,
    page_endpoints,
    submission_endpoint,
)
from bench.generate import sqlite_url


@dataclass(frozen=True)
class RequestCost:
    name: str
    statements: int  # SQL statements sent for one request
    cpu_ms: float  # CPU time of one request, the best round's mean


def measure_request_costs(database_url: str, requests: int = 150, rounds: int = 5) -> list[RequestCost]:
    """Each endpoint's statements and CPU time per request, in process; then, for reference, the
    app's cheapest pages and the baseline's page and INSERT."""
    from flask.testing import FlaskClient
    from sqlalchemy import Engine, event

    from bench.baseline_app import create_baseline_app, create_table
    from bench.generate import bench_app

    rng = random.Random(1)
    pages = page_endpoints(database_url, 200, rng)
    measured = [*pages, answer_endpoint(database_url, rng), submission_endpoint(database_url, rng)]
    signed_in = [request_line.split("\t")[2] for request_line in pages[0].lines]
    references = [
        Endpoint(
            "app, for reference: GET /healthz (public, one SELECT 1)",
            "page",
            [line("GET", "/healthz", "")],
            200,
        ),
        Endpoint(
            "app, for reference: 基本方針 GET /policy (signed in, no query of its own)",
            "page",
            [line("GET", "/policy", cookie) for cookie in signed_in],
            200,
        ),
    ]
    create_table(database_url)
    baseline_references = [
        Endpoint("baseline: a 5 KB page", "page", [line("GET", "/page?bytes=5000", "")], 200),
        Endpoint("baseline: one INSERT", "write", [line("POST", "/write", "", "note=baseline")], 303),
    ]
    app = bench_app(database_url, ELEARN_ENV="production")
    baseline = create_baseline_app(database_url)
    statements = 0

    def counted(*_args: object) -> None:
        nonlocal statements
        statements += 1

    event.listen(Engine, "before_cursor_execute", counted)

    def send(client: FlaskClient, request_line: str, endpoint: Endpoint) -> None:
        method, path, cookie, body = request_line.split("\t")
        if cookie:
            client.set_cookie(*cookie.split("=", 1))
        options = {"headers": {"User-Agent": USER_AGENT}, "environ_base": {"REMOTE_ADDR": "127.0.0.1"}}
        if method == "POST":
            options |= {"data": body, "content_type": "application/x-www-form-urlencoded"}
        response = client.open(path, method=method, **options)
        assert response.status_code == endpoint.status, (endpoint.name, response.status_code)

    costs = []
    runs = [(app.test_client(), e) for e in [*measured, *references]]
    runs += [(baseline.test_client(), e) for e in baseline_references]
    for client, endpoint in runs:
        # The dashboard is slow enough that fewer requests give a steady figure.
        count = max(2, requests // 20) if "dashboard" in endpoint.name else requests
        if endpoint.once:  # each attempt is submitted once: a small organisation has few to spare
            count = max(1, min(count, (len(endpoint.lines) - 4) // rounds))
        lines = iter(endpoint.lines if endpoint.once else endpoint.lines * (4 + count * rounds))
        for _ in range(3):
            send(client, next(lines), endpoint)
        statements = 0
        send(client, next(lines), endpoint)
        sent = statements
        best = float("inf")
        for _ in range(rounds):
            batch = [next(lines) for _ in range(count)]
            start = time.process_time()
            for request_line in batch:
                send(client, request_line, endpoint)
            best = min(best, (time.process_time() - start) / count * 1000)
        costs.append(RequestCost(endpoint.name, sent, best))
    event.remove(Engine, "before_cursor_execute", counted)
    return costs


def format_costs(costs: list[RequestCost]) -> list[str]:
    rows = ["| endpoint | SQL statements | CPU ms (in process) |", "| --- | ---: | ---: |"]
    rows += [f"| {c.name} | {c.statements} | {c.cpu_ms:.2f} |" for c in costs]
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, required=True, help="a generated SQLite organisation")
    parser.add_argument("--app-root", type=Path, help="import the app from this checkout (before/after)")
    parser.add_argument("--requests", type=int, default=150, help="requests per round")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    if args.app_root:
        sys.path.insert(0, str(args.app_root.resolve()))  # before anything imports elearn
    costs = measure_request_costs(sqlite_url(args.database.resolve()), args.requests)
    print(json.dumps([asdict(c) for c in costs]) if args.json else "\n".join(format_costs(costs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
