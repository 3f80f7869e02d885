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

from bench.generate import sqlite_url
from bench.server_bench import USER_AGENT, Endpoint, answer_endpoint, page_endpoints, submission_endpoint


@dataclass(frozen=True)
class RequestCost:
    name: str
    statements: int  # SQL statements sent for one request
    cpu_ms: float  # CPU time of one request, the best round's mean


def measure_request_costs(database_url: str, requests: int = 150, rounds: int = 5) -> list[RequestCost]:
    """Each endpoint's statements and CPU time per request, in process."""
    from sqlalchemy import event

    from bench.generate import bench_app
    from elearn.extensions import db

    rng = random.Random(1)
    endpoints = [
        *page_endpoints(database_url, 200, rng),
        answer_endpoint(database_url, rng),
        submission_endpoint(database_url, rng),
    ]
    app = bench_app(database_url, ELEARN_ENV="production")
    client = app.test_client()
    statements = 0

    def counted(*_args: object) -> None:
        nonlocal statements
        statements += 1

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", counted)

    def send(request_line: str, endpoint: Endpoint) -> None:
        method, path, cookie, body = request_line.split("\t")
        client.set_cookie(*cookie.split("=", 1))
        options = {"headers": {"User-Agent": USER_AGENT}, "environ_base": {"REMOTE_ADDR": "127.0.0.1"}}
        if method == "POST":
            options |= {"data": body, "content_type": "application/x-www-form-urlencoded"}
        response = client.open(path, method=method, **options)
        assert response.status_code == endpoint.status, (endpoint.name, response.status_code)

    costs = []
    for endpoint in endpoints:
        # The dashboard is slow enough that fewer requests give a steady figure.
        count = max(2, requests // 20) if "dashboard" in endpoint.name else requests
        if endpoint.once:  # each attempt is submitted once: a small organisation has few to spare
            count = max(1, min(count, (len(endpoint.lines) - 4) // rounds))
        lines = iter(endpoint.lines if endpoint.once else endpoint.lines * (1 + count * rounds))
        for _ in range(3):
            send(next(lines), endpoint)
        statements = 0
        send(next(lines), endpoint)
        sent = statements
        best = float("inf")
        for _ in range(rounds):
            batch = [next(lines) for _ in range(count)]
            start = time.process_time()
            for request_line in batch:
                send(request_line, endpoint)
            best = min(best, (time.process_time() - start) / count * 1000)
        costs.append(RequestCost(endpoint.name, sent, best))
    with app.app_context():
        db.engine.dispose()
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
