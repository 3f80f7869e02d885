"""Time HR's dashboard and completion export on a generated city of 100,000 employees.

Run with ``.venv/bin/python bench/hr_bench.py [--employees N] [--keep PATH]``. A freshly migrated
SQLite database in a temporary folder gets 100,000 employees in 200 departments, 3 courses assigned
to everyone (300,000 assignments) and about 300,000 attempts. Each figure is measured against its
bare baseline in the same run:

- the dashboard page (GET /hr/, HTML with table and SVG) against the one aggregate SQL query it
  runs, executed bare through the ``sqlite3`` module: at most 1 s and at most 2x the query;
- the full completion export (GET /hr/reports/completions.csv, streamed to a file) against a
  script running the same SQL through ``sqlite3`` and writing it with ``csv``: at most 1.5x;
- the export's peak Python memory (tracemalloc), CSV and XLSX, for all rows against one course's
  rows (a third as many): it must not grow with the rows.
"""

from __future__ import annotations

import argparse
import csv
import logging
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

DEPARTMENTS = 200
COURSES = ("kihon-houshin", "shokuin-koui", "kanri")
STAMP = "2026-06-01 00:00:00.000000"


def best_of(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def build(path: Path, employees: int, year: int) -> None:
    """Migrate, load the content, then bulk-insert the organisation and its records with sqlite3."""
    from flask_migrate import upgrade

    from elearn import create_app
    from elearn.config import PROJECT_ROOT
    from elearn.extensions import db
    from elearn.services.sync import sync_content

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SECRET_KEY": "b" * 40})
    with app.app_context():
        upgrade()
        sync_content(PROJECT_ROOT)
        db.session.remove()
        db.engine.dispose()

    rng = random.Random(7)
    connection = sqlite3.connect(path)
    courses = connection.execute(
        "SELECT c.id, max(v.id) FROM courses c JOIN course_versions v ON v.course_id = c.id "
        f"WHERE c.key IN ({', '.join('?' * len(COURSES))}) GROUP BY c.id",
        COURSES,
    ).fetchall()
    connection.executemany(
        "INSERT INTO departments (id, name, created_at) VALUES (?, ?, ?)",
        [(d, f"部署{d:03d}", STAMP) for d in range(1, DEPARTMENTS + 1)],
    )
    connection.executemany(
        "INSERT INTO employees (id, employee_no, name, department_id, role, active, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, 1, ?, ?)",
        [
            (
                e,
                f"E{e:06d}",
                f"職員 {e}",
                1 + e % DEPARTMENTS,
                "manager" if e % 50 == 0 else "employee",
                STAMP,
                STAMP,
            )
            for e in range(1, employees + 1)
        ]
        + [(employees + 1, "HR0001", "人事 担当", 1, "hr", STAMP, STAMP)],
    )
    assignments, attempts, completions = [], [], []
    for employee in range(1, employees + 1):
        for course_id, version_id in courses:
            assignments.append((year, course_id, employee, f"{year + 1}-03-31", STAMP))
            roll = rng.random()
            if roll < 0.15:
                continue  # not started
            number = 1
            if roll < 0.30 or rng.random() < 0.2:  # a failed attempt (in progress, or before passing)
                attempts.append((employee, course_id, version_id, year, number, STAMP, STAMP, 4, 40, 0))
                number += 1
            if roll >= 0.30:
                attempts.append((employee, course_id, version_id, year, number, STAMP, STAMP, 10, 100, 1))
                completions.append((employee, course_id, version_id, year, len(attempts), number))
    connection.executemany(
        "INSERT INTO assignments (fiscal_year, course_id, employee_id, due_date, assigned_at) "
        "VALUES (?, ?, ?, ?, ?)",
        assignments,
    )
    connection.executemany(
        "INSERT INTO attempts (employee_id, course_id, course_version_id, fiscal_year, number, "
        "started_at, submitted_at, correct_count, score, passed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        attempts,
    )
    connection.executemany(
        "INSERT INTO completions (employee_id, course_id, course_version_id, fiscal_year, attempt_id, "
        "completed_at, score, attempts_count, certificate_code) VALUES (?, ?, ?, ?, ?, ?, 100, ?, ?)",
        [(e, c, v, y, a, STAMP, n, f"B{a:012d}") for e, c, v, y, a, n in completions],
    )
    connection.commit()
    connection.close()
    print(
        f"generated {employees:,} employees, {len(assignments):,} assignments, {len(attempts):,} attempts, "
        f"{len(completions):,} completions"
    )


def compiled(query, engine) -> str:
    return str(query.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True}))


def bare_export(path: Path, sql: str, target: Path) -> None:
    connection = sqlite3.connect(path)
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        cursor = connection.execute(sql)
        while rows := cursor.fetchmany(2000):
            writer.writerows(rows)
    connection.close()


def download(client, url: str, target: Path) -> None:
    response = client.get(url, buffered=False)
    with target.open("wb") as handle:
        for chunk in response.response:
            handle.write(chunk)
    response.close()


def peak_memory(work: Callable[[], object]) -> int:
    tracemalloc.start()
    work()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="Reuse (or create and keep) this database file.")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    logging.disable(logging.WARNING)

    from elearn import create_app
    from elearn.extensions import db
    from elearn.fiscal import current_fiscal_year
    from elearn.services.dashboard import cells_query
    from elearn.services.reports import ReportFilter, completion_query

    year = current_fiscal_year()
    with tempfile.TemporaryDirectory() as folder:
        path = args.keep or Path(folder) / "bench.db"
        if not path.exists():
            build(path, args.employees, year)
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
                "SECRET_KEY": "b" * 40,
                "WTF_CSRF_ENABLED": False,
            }
        )
        client = app.test_client()
        with app.app_context():
            hr_id = db.session.execute(
                db.text("SELECT id FROM employees WHERE employee_no = 'HR0001'")
            ).scalar()
            course_id = db.session.execute(
                db.text("SELECT id FROM courses WHERE key = 'kihon-houshin'")
            ).scalar()
            dashboard_sql = compiled(cells_query(ReportFilter(year)), db.engine)
            export_sql = compiled(completion_query(ReportFilter(year)), db.engine)
            db.engine.dispose()
        with client.session_transaction() as session:
            session["_user_id"] = str(hr_id)
            session["_fresh"] = True

        def bare_dashboard() -> None:
            connection = sqlite3.connect(path)
            connection.execute(dashboard_sql).fetchall()
            connection.close()

        def dashboard_page() -> None:
            response = client.get(f"/hr/?year={year}")
            assert response.status_code == 200, response.status_code

        bare_dashboard()  # warm the page cache for both
        bare_query = best_of(args.runs, bare_dashboard)
        page = best_of(args.runs, dashboard_page)
        print(
            f"dashboard: page {page:.3f} s, bare aggregate query {bare_query:.3f} s, "
            f"ratio {page / bare_query:.2f}"
        )
        ok = page <= 1.0 and page <= 2 * bare_query

        out = Path(folder)
        bare = best_of(args.runs, lambda: bare_export(path, export_sql, out / "bare.csv"))
        ours = best_of(
            args.runs, lambda: download(client, f"/hr/reports/completions.csv?year={year}", out / "ours.csv")
        )
        lines = sum(1 for _ in (out / "ours.csv").open(encoding="utf-8-sig")) - 1
        print(
            f"export: {lines:,} rows in {ours:.3f} s, bare sqlite3+csv {bare:.3f} s, ratio {ours / bare:.2f}"
        )
        ok = ok and ours <= 1.5 * bare

        for fmt in ("csv", "xlsx"):
            url = f"/hr/reports/completions.{fmt}?year={year}"
            third = peak_memory(lambda u=url: download(client, f"{u}&course={course_id}", out / "third"))
            full = peak_memory(lambda u=url: download(client, u, out / "all"))
            print(
                f"export memory ({fmt}): one course (1/3 of the rows) {third / 2**20:.1f} MiB peak, "
                f"all rows {full / 2**20:.1f} MiB peak"
            )
            ok = ok and full < 1.25 * third
    print("OK" if ok else "TOO SLOW OR TOO BIG")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.path.insert(0, os.fspath(Path(__file__).resolve().parent.parent))
    sys.exit(main())
