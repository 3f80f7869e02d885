"""Before and after: the benchmarks on two commits of the app, with the same database and harness.

Run with ``.venv/bin/python -m bench.compare BEFORE [AFTER]`` (commits; AFTER defaults to HEAD). Each
commit is checked out into a temporary git worktree (removed afterwards); one organisation is
generated with the current code, and each commit's app gets fresh copies of it: first the cost of
each request in process (bench/request_cost.py: SQL statements, CPU time), then the server
benchmark (bench/server_bench.py). The runs are sequential: take the figures on a quiet machine.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.generate import generate_organisation, sqlite_url
from bench.gunicorn_server import PROJECT_ROOT
from bench.request_cost import RequestCost
from bench.server_bench import EndpointResult, LoadSettings, measure_server, problems


@contextmanager
def checkout(commit: str, folder: Path) -> Iterator[Path]:
    """``commit`` in a worktree of its own, removed afterwards."""
    subprocess.run(["git", "worktree", "add", "--detach", str(folder), commit], cwd=PROJECT_ROOT, check=True)
    try:
        yield folder
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(folder)], cwd=PROJECT_ROOT, check=True)


def short(commit: str) -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", commit], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


@dataclass
class Comparison:
    costs: list[tuple[RequestCost, RequestCost]]
    server: list[tuple[EndpointResult, EndpointResult]]


def request_costs(database: Path, tree: Path) -> list[RequestCost]:
    """bench/request_cost.py in a fresh interpreter that imports the app from ``tree``."""
    command = [sys.executable, "-m", "bench.request_cost", "--json", "--database", str(database)]
    done = subprocess.run(
        [*command, "--app-root", str(tree)], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    return [RequestCost(**cost) for cost in json.loads(done.stdout)]


def compare(
    before: str, after: str, folder: Path, employees: int, load: LoadSettings, workers: int
) -> Comparison:
    """Each endpoint as ``before`` and as ``after`` answers it."""
    organisation = folder / "organisation.db"
    generate_organisation(sqlite_url(organisation), employees)
    costs, servers = [], []
    for name, commit in (("before", before), ("after", after)):
        with checkout(commit, folder / name) as tree:
            in_process, served = folder / f"{name}-in-process.db", folder / f"{name}-served.db"
            shutil.copy(organisation, in_process)
            shutil.copy(organisation, served)
            costs.append(request_costs(in_process, tree))
            work = folder / f"{name}-server"
            work.mkdir()
            servers.append(measure_server(sqlite_url(served), work, load, workers, app_root=tree))
    return Comparison(list(zip(*costs, strict=True)), list(zip(*servers, strict=True)))


def format_costs_comparison(pairs: Sequence[tuple[RequestCost, RequestCost]]) -> list[str]:
    rows = ["| endpoint | SQL statements | CPU ms (in process) |", "| --- | ---: | ---: |"]
    rows += [
        f"| {new.name} | {old.statements} → {new.statements} | {old.cpu_ms:.2f} → {new.cpu_ms:.2f} |"
        for old, new in pairs
    ]
    return rows


def format_comparison(pairs: Sequence[tuple[EndpointResult, EndpointResult]]) -> list[str]:
    rows = [
        "| endpoint | req/s | CPU ms/req | ratio to baseline | p95 ms, 50 users pausing |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for old, new in pairs:
        p95 = [f"{r.users.p95_ms:.1f}" if r.users else "–" for r in (old, new)]
        # A run with errors or repeated requests (a pool of attempts too small) says so.
        noted = [problems(r.app) or "" for r in (old, new)]
        rows.append(
            f"| {new.name} | {old.app.requests_per_second:,.0f}{noted[0]} → "
            f"{new.app.requests_per_second:,.0f}{noted[1]} "
            f"| {old.app.server_cpu_ms:.2f} → {new.app.server_cpu_ms:.2f} "
            f"| {old.ratio:.2f} → {new.ratio:.2f} | {p95[0]} → {p95[1]} |"
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", help="the commit before the change")
    parser.add_argument("after", nargs="?", default="HEAD", help="the commit after it (default HEAD)")
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    load = LoadSettings(seconds=args.seconds)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="elearn-compare-") as tmp:
        comparison = compare(args.before, args.after, Path(tmp), args.employees, load, args.workers)
    print(
        f"before {short(args.before)}, after {short(args.after)}, {args.employees:,} employees; "
        f"load average {load_before:.2f} before the run, {os.getloadavg()[0]:.2f} after"
    )
    print("\n".join(format_costs_comparison(comparison.costs)))
    print()
    print("\n".join(format_comparison(comparison.server)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
