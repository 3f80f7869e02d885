"""Generate a synthetic city organisation for the benchmarks: staff, departments and a fiscal year's records.

Run with ``.venv/bin/python -m bench.generate --employees 10000 --output /tmp/org.db`` (SQLite), or with
``--database-url postgresql+psycopg://…`` (or DATABASE_URL) for an empty PostgreSQL database.

The schema comes from the real migrations and the three courses from the project's own content
(``elearn content sync``); then, in bulk (``executemany`` on SQLite, ``COPY`` on PostgreSQL):

- departments with Japanese names (部 and 課), from 50 to 300 by the size of the city, of uneven sizes;
- employees with Japanese names and kana, one manager per department, a few HR staff and trainers,
  regular and part-time (会計年度任用職員) staff, 2% deactivated; all share one password (BENCH_PASSWORD,
  bench/organisation.py);
- the year's assignment rules (the three courses, to everyone) and their assignments;
- per employee and course: about 70% completed (some failing first), some failed without passing yet,
  some with an attempt in progress, the rest not started; each attempt with its drawn questions and
  answers (``attempt_questions``), lessons read, a completion with certificate code for each pass.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from bench.bulk_writer import BulkWriter
from bench.organisation import ChoiceInfo, CourseInfo, OrganisationBuilder, department_count

if TYPE_CHECKING:
    from flask import Flask

SECRET_KEY = "benchmark-secret-key-that-is-long-enough-0123"
COURSES = ("kihon-houshin", "shokuin-koui", "kanri")
DRAWS_PER_COURSE = 64


@dataclass
class GenerationReport:
    """How many rows went into which table, and how long it took."""

    database_url: str
    employees: int
    departments: int
    year: int
    schema_seconds: float = 0.0
    rows_seconds: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    @property
    def seconds(self) -> float:
        return self.schema_seconds + self.rows_seconds

    def as_dict(self) -> dict[str, Any]:
        return {
            "database": make_url(self.database_url).get_backend_name(),
            "employees": self.employees,
            "departments": self.departments,
            "year": self.year,
            "schema_seconds": self.schema_seconds,
            "rows_seconds": self.rows_seconds,
            "rows": self.rows,
        }


def bench_app(database_url: str, **config: Any) -> Flask:
    """The real app on the benchmark's database, with the benchmark's secret key (the servers' too)."""
    from elearn import create_app
    from elearn.config import PROJECT_ROOT

    settings = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": SECRET_KEY,
        "CONTENT_ROOT": PROJECT_ROOT,
        **config,
    }
    return create_app(settings)


def migrate_and_sync(database_url: str) -> None:
    """The schema by the real migrations, then the project's courses and scenarios."""
    from flask_migrate import upgrade

    from elearn.config import PROJECT_ROOT
    from elearn.extensions import db
    from elearn.services.sync import sync_content

    app = bench_app(database_url)
    with app.app_context():
        logging.disable(logging.INFO)  # the migrations' progress lines
        upgrade()
        logging.disable(logging.NOTSET)
        sync_content(PROJECT_ROOT)
        db.session.remove()
        db.engine.dispose()


def read_courses(database_url: str, rng: random.Random) -> tuple[list[CourseInfo], dict[int, ChoiceInfo]]:
    """The synced courses with quizzes drawn by their own rules, and every live scenario's choices."""
    from sqlalchemy import select

    from elearn.content import draw
    from elearn.extensions import db
    from elearn.models import ScenarioChoice
    from elearn.services.catalog import active_courses, live_bank

    app = bench_app(database_url)
    with app.app_context():
        bank = live_bank()
        courses = []
        for course, version in active_courses():
            if course.key not in COURSES:
                continue
            rules = version.quiz_rules
            draws = {
                tuple(
                    entry.version_id
                    for entry in draw(
                        rules["questions"], rules["pool"], rules["minimum"], rules["fixed"], bank, rng
                    )
                )
                for _ in range(DRAWS_PER_COURSE)
            }
            slugs = tuple(lesson.slug for lesson in version.lessons)
            courses.append(
                CourseInfo(course.id, course.key, version.id, version.pass_mark, slugs, tuple(draws))
            )
        choices: dict[int, list[tuple[int, bool]]] = {}
        for version_id, choice_id, correct in db.session.execute(
            select(ScenarioChoice.scenario_version_id, ScenarioChoice.id, ScenarioChoice.correct)
            .where(ScenarioChoice.scenario_version_id.in_([entry.version_id for entry in bank]))
            .order_by(ScenarioChoice.position)
        ):
            choices.setdefault(version_id, []).append((choice_id, correct))
        db.session.remove()
        db.engine.dispose()
    if {c.key for c in courses} != set(COURSES):
        raise SystemExit(f"the content must have the courses {', '.join(COURSES)}")
    infos = {
        version_id: ChoiceInfo(tuple(i for i, _ in pairs), frozenset(i for i, ok in pairs if ok))
        for version_id, pairs in choices.items()
    }
    return sorted(courses, key=lambda c: COURSES.index(c.key)), infos


def has_employees(database_url: str) -> bool:
    engine = create_engine(database_url, poolclass=NullPool)
    with engine.connect() as connection:
        found = connection.exec_driver_sql("SELECT count(*) FROM employees").scalar()
    engine.dispose()
    return bool(found)


def generate_organisation(
    database_url: str, employees: int, year: int | None = None, seed: int = 2026
) -> GenerationReport:
    """Migrate an empty database, sync the content, and write an organisation of ``employees`` into it."""
    from elearn.fiscal import current_fiscal_year

    now = datetime.now(UTC)
    year = year or current_fiscal_year(now)
    rng = random.Random(seed)
    start = time.perf_counter()
    migrate_and_sync(database_url)
    if has_employees(database_url):
        raise SystemExit("the database already has employees: generate into an empty one")
    courses, choices = read_courses(database_url, rng)
    schema_seconds = time.perf_counter() - start

    start = time.perf_counter()
    writer = BulkWriter(database_url)
    try:
        builder = OrganisationBuilder(writer, employees, year, courses, choices, rng, now)
        departments = builder.write_departments()
        builder.write_employees(departments)
        builder.write_rules()
        writer.commit()
        builder.write_records()
        writer.reset_sequences(
            ["departments", "employees", "assignment_rules", "attempts", "attempt_questions"]
        )
    finally:
        writer.close()
    return GenerationReport(
        database_url=database_url,
        employees=employees,
        departments=department_count(employees),
        year=year,
        schema_seconds=schema_seconds,
        rows_seconds=time.perf_counter() - start,
        rows=writer.counts,
    )


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def remove_sqlite_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def describe(report: GenerationReport) -> Iterator[str]:
    yield (
        f"generated {report.employees:,} employees in {report.departments} departments "
        f"(fiscal year {report.year}) on {make_url(report.database_url).get_backend_name()}"
    )
    for table, count in report.rows.items():
        yield f"  {table:<18} {count:>10,}"
    yield (
        f"schema and content {report.schema_seconds:.1f} s, {report.total_rows:,} rows in "
        f"{report.rows_seconds:.1f} s ({report.total_rows / report.rows_seconds:,.0f} rows/s)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=10_000)
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--output", type=Path, help="SQLite file to create (replaced if it exists)")
    target.add_argument("--database-url", help="an empty database (default: DATABASE_URL)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args()
    if args.output:
        remove_sqlite_database(args.output)
        url = sqlite_url(args.output.resolve())
    else:
        url = args.database_url or os.environ.get("DATABASE_URL")
        if not url:
            parser.error("give --output FILE.db or --database-url URL (or set DATABASE_URL)")
    report = generate_organisation(url, args.employees, seed=args.seed)
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
    else:
        print("\n".join(describe(report)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
