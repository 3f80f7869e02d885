"""Time HR's dashboard and completion export on a generated city of 100,000 employees.

Run with ``.venv/bin/python bench/hr_bench.py [--employees N] [--keep PATH]``. A freshly migrated
SQLite database in a temporary folder gets an organisation from bench/generate.py: 100,000
employees in 300 departments, 3 courses assigned to everyone (300,000 assignments) and about 300,000
attempts with their answers. Each figure is measured against its bare baseline in the same run:

- the dashboard page (GET /hr/, HTML with table and SVG), computed, against the one aggregate SQL
  query it runs, executed bare through the ``sqlite3`` module: at most 1 s and at most 2x the
  query; and the page served again while the records have not changed (the aggregate kept);
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
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


def best_of(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def build(path: Path, employees: int, year: int) -> None:
    """Migrate, load the content, then bulk-insert the organisation and its records (bench/generate.py)."""
    from bench.generate import describe, generate_organisation, sqlite_url

    print("\n".join(describe(generate_organisation(sqlite_url(path), employees, year))))


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


@dataclass
class ReportFigures:
    """The dashboard and the completion export against their bare baselines, measured in one run."""

    dashboard_page: float
    dashboard_query: float
    export: float
    bare_export: float
    export_rows: int
    dashboard_again: float = 0.0  # the page served again, records unchanged (kept aggregate)
    # format -> (peak bytes exporting one course's rows, a third of them; peak bytes exporting all)
    export_memory: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def dashboard_ok(self) -> bool:
        return self.dashboard_page <= 1.0 and self.dashboard_page <= 2 * self.dashboard_query

    @property
    def export_ok(self) -> bool:
        return self.export <= 1.5 * self.bare_export

    @property
    def memory_ok(self) -> bool:
        return all(full < 1.25 * third for third, full in self.export_memory.values())

    @property
    def ok(self) -> bool:
        return self.dashboard_ok and self.export_ok and self.memory_ok

    def lines(self) -> list[str]:
        lines = [
            f"dashboard: page {self.dashboard_page:.3f} s, bare aggregate query "
            f"{self.dashboard_query:.3f} s, ratio {self.dashboard_page / self.dashboard_query:.2f}; "
            f"served again {self.dashboard_again:.3f} s",
            f"export: {self.export_rows:,} rows in {self.export:.3f} s, bare sqlite3+csv "
            f"{self.bare_export:.3f} s, ratio {self.export / self.bare_export:.2f}",
        ]
        for fmt, (third, full) in self.export_memory.items():
            lines.append(
                f"export memory ({fmt}): one course (1/3 of the rows) {third / 2**20:.1f} MiB peak, "
                f"all rows {full / 2**20:.1f} MiB peak"
            )
        return lines


def measure_reports(path: Path, runs: int = 3, memory: bool = True) -> ReportFigures:
    """Time the dashboard and the export of the organisation in ``path`` against their bare SQL."""
    from flask import session as flask_session
    from flask_login import login_user

    from elearn import create_app
    from elearn.extensions import db
    from elearn.fiscal import current_fiscal_year
    from elearn.models import Employee
    from elearn.services.dashboard import cells_query
    from elearn.services.record_export import export_query
    from elearn.services.reports import Enrolment, ReportFilter

    year = current_fiscal_year()
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SECRET_KEY": "b" * 40, "WTF_CSRF_ENABLED": False}
    )
    client = app.test_client()
    with app.app_context():
        hr_id = db.session.execute(
            db.text("SELECT id FROM employees WHERE role = 'hr' AND active ORDER BY id LIMIT 1")
        ).scalar()
        course_id = db.session.execute(db.text("SELECT id FROM courses WHERE key = 'kihon-houshin'")).scalar()
        # The page's own filter: its rates count active staff unless asked otherwise.
        dashboard_sql = compiled(cells_query(ReportFilter(year, enrolment=Enrolment.ACTIVE)), db.engine)
        # The CSV's own query: the export writes its rows as they come, the bare script the same rows.
        export_sql = compiled(export_query(ReportFilter(year), csv=True), db.engine)
        # Signed in as a login does (a session row and its token), without the login form.
        with app.test_request_context():
            login_user(db.session.get(Employee, hr_id))
            signed_in = dict(flask_session)
        db.session.remove()
        db.engine.dispose()
    with client.session_transaction() as session:
        session.update(signed_in)

    def bare_dashboard() -> None:
        connection = sqlite3.connect(path)
        connection.execute(dashboard_sql).fetchall()
        connection.close()

    def dashboard_page(computed: bool = True) -> None:
        if computed:  # as after any change to the records: the kept aggregate no longer counts
            app.extensions.pop("elearn.dashboards", None)
        response = client.get(f"/hr/?year={year}")
        assert response.status_code == 200, response.status_code

    bare_dashboard()  # warm the page cache for both
    bare_query = best_of(runs, bare_dashboard)
    page = best_of(runs, dashboard_page)
    again = best_of(runs, lambda: dashboard_page(computed=False))

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        bare = best_of(runs, lambda: bare_export(path, export_sql, out / "bare.csv"))
        ours = best_of(
            runs, lambda: download(client, f"/hr/reports/completions.csv?year={year}", out / "ours.csv")
        )
        with (out / "ours.csv").open(encoding="utf-8-sig") as written:
            rows = sum(1 for _ in written) - 1
        figures = ReportFigures(page, bare_query, ours, bare, rows, again)
        for fmt in ("csv", "xlsx") if memory else ():
            url = f"/hr/reports/completions.{fmt}?year={year}"
            third = peak_memory(lambda u=url: download(client, f"{u}&course={course_id}", out / "third"))
            full = peak_memory(lambda u=url: download(client, u, out / "all"))
            figures.export_memory[fmt] = (third, full)
    with app.app_context():
        db.engine.dispose()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="Reuse (or create and keep) this database file.")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    from elearn.fiscal import current_fiscal_year

    with tempfile.TemporaryDirectory() as folder:
        path = args.keep or Path(folder) / "bench.db"
        if not path.exists():
            build(path, args.employees, current_fiscal_year())
        figures = measure_reports(path, args.runs)
    print("\n".join(figures.lines()))
    print("OK" if figures.ok else "TOO SLOW OR TOO BIG")
    return 0 if figures.ok else 1


if __name__ == "__main__":
    sys.path.insert(0, os.fspath(Path(__file__).resolve().parent.parent))
    sys.exit(main())
