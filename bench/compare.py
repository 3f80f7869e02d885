"""Before and after: the server benchmark on two commits of the app, with the same database and harness.

Run with ``.venv/bin/python -m bench.compare BEFORE [AFTER]`` (commits; AFTER defaults to HEAD). Each
commit is checked out into a temporary git worktree (removed afterwards); one organisation is
generated with the current code, and each app serves a fresh copy of it through bench/server_bench.py.
The two runs are sequential: take the figures on a quiet machine.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from bench.generate import generate_organisation, sqlite_url
from bench.server_bench import PROJECT_ROOT, EndpointResult, LoadSettings, measure_server


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


def compare(
    before: str, after: str, folder: Path, employees: int, load: LoadSettings, workers: int
) -> list[tuple[EndpointResult, EndpointResult]]:
    """Each endpoint as served by ``before`` and by ``after``."""
    organisation = folder / "organisation.db"
    generate_organisation(sqlite_url(organisation), employees)
    runs = []
    for name, commit in (("before", before), ("after", after)):
        with checkout(commit, folder / name) as tree:
            database = folder / f"{name}.db"
            shutil.copy(organisation, database)
            work = folder / f"{name}-server"
            work.mkdir()
            runs.append(measure_server(sqlite_url(database), work, load, workers, app_root=tree))
    return list(zip(*runs, strict=True))


def format_comparison(pairs: Sequence[tuple[EndpointResult, EndpointResult]]) -> list[str]:
    rows = [
        "| endpoint | req/s | CPU ms/req | ratio to baseline | p95 ms, 50 users pausing |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for old, new in pairs:
        p95 = [f"{r.users.p95_ms:.1f}" if r.users else "–" for r in (old, new)]
        rows.append(
            f"| {new.name} | {old.app.requests_per_second:,.0f} → {new.app.requests_per_second:,.0f} "
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
    with tempfile.TemporaryDirectory(prefix="elearn-compare-") as tmp:
        pairs = compare(args.before, args.after, Path(tmp), args.employees, load, args.workers)
    print(f"before {short(args.before)}, after {short(args.after)}; load average {os.getloadavg()[0]:.2f}")
    print("\n".join(format_comparison(pairs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
