"""The benchmark suite (bench/) runs end to end at a tiny size and reports every figure, well formed.

Nothing here is timed: the figures of a tiny organisation on a busy CI machine mean nothing. What
must hold is that the generator writes a plausible organisation through the real migrations, that
every benchmark runs against it (gunicorn and wrk included) and that the tables come out whole.
On CI's PostgreSQL pass, the organisation is generated and served on PostgreSQL (COPY) instead.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from bench.baseline_app import create_table
from bench.compare import format_comparison
from bench.endpoints import BASELINE_INSERT
from bench.generate import generate_organisation, sqlite_url
from bench.gunicorn_server import server_environment, serving
from bench.load import run_wrk
from bench.run import (
    END_MARKER,
    SMOKE,
    START_MARKER,
    SuiteResults,
    results_from_json,
    results_json,
    results_markdown,
    run_postgres_benchmarks,
    run_suite,
    started_results,
    update_docs,
)
from bench.server_bench import EndpointResult, write_lines
from tests.databases import POSTGRES_URL

pytestmark = [
    pytest.mark.skipif(
        shutil.which("wrk") is None and not os.environ.get("CI"),
        reason="wrk is not installed (apt-get install wrk); CI installs it",
    ),
    pytest.mark.xdist_group("bench"),  # in parallel runs: one process, so the suite runs once
]


@pytest.fixture(scope="module")
def suite(tmp_path_factory) -> Iterator[SuiteResults]:
    """The smoke suite on SQLite, once for this module (it takes about half a minute)."""
    folder = tmp_path_factory.mktemp("bench")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ELEARN_INSTANCE_PATH", str(folder / "instance"))  # the content benchmark sets it
        yield run_suite(SMOKE, folder)


@pytest.fixture(scope="module")
def postgres_suite(dbs, tmp_path_factory) -> Iterator[SuiteResults]:
    """On CI's PostgreSQL pass, what that database changes: the organisation generated (COPY) and
    served on it. The SQLite benchmarks are the SQLite pass's, not repeated here."""
    url = dbs.create("bench_organisation")
    settings = replace(SMOKE, postgres_url=url)
    results = started_results(settings)
    run_postgres_benchmarks(settings, tmp_path_factory.mktemp("bench-postgres"), results)
    yield results
    dbs.drop(url)


def count(url: str, sql: str) -> int:
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as connection:
        value = connection.execute(text(sql)).scalar_one()
    engine.dispose()
    return value


def test_generated_organisation_has_staff_assignments_attempts_answers_and_completions(tmp_path):
    url = sqlite_url(tmp_path / "organisation.db")
    report = generate_organisation(url, 300)
    assert count(url, "SELECT count(*) FROM employees") == 300
    assert count(url, "SELECT count(DISTINCT department_id) FROM employees") == report.departments == 50
    assert count(url, "SELECT count(*) FROM assignments") == 3 * 300
    completed = count(url, "SELECT count(*) FROM completions")
    assert 0.6 * 900 < completed < 0.8 * 900  # about 70% of the assignments
    assert count(url, "SELECT count(*) FROM attempts WHERE submitted_at IS NULL") > 0  # some in progress
    assert count(url, "SELECT count(*) FROM attempts WHERE passed = 0 AND submitted_at IS NOT NULL") > 0
    # every attempt has its drawn questions; every submitted one all its answers
    without_questions = (
        "SELECT count(*) FROM attempts a WHERE NOT EXISTS "
        "(SELECT 1 FROM attempt_questions q WHERE q.attempt_id = a.id)"
    )
    assert count(url, without_questions) == 0
    unanswered_and_submitted = (
        "SELECT count(*) FROM attempt_questions q JOIN attempts a ON a.id = q.attempt_id "
        "WHERE a.submitted_at IS NOT NULL AND q.selected IS NULL"
    )
    assert count(url, unanswered_and_submitted) == 0
    assert report.rows["attempt_questions"] == count(url, "SELECT count(*) FROM attempt_questions")


def test_generator_refuses_a_database_that_already_has_staff(tmp_path):
    url = sqlite_url(tmp_path / "organisation.db")
    generate_organisation(url, 60)
    with pytest.raises(SystemExit, match="already has employees"):
        generate_organisation(url, 60)


def test_every_server_endpoint_is_measured_against_its_baseline(suite):
    assert list(suite.server) == ["SQLite"]
    assert_measured_against_baseline(suite.server["SQLite"])


@pytest.mark.skipif(not POSTGRES_URL, reason="needs PostgreSQL (ELEARN_TEST_POSTGRES_URL)")
def test_the_organisation_is_generated_and_served_on_postgresql(postgres_suite):
    (report,) = postgres_suite.generation
    assert report.database_url.startswith("postgresql") and report.employees == SMOKE.server_size
    assert report.rows["attempt_questions"] > 0
    assert report.rows["employees"] >= SMOKE.server_size and report.rows["completions"] > 0
    assert list(postgres_suite.server) == ["PostgreSQL"]
    assert_measured_against_baseline(postgres_suite.server["PostgreSQL"])


def assert_measured_against_baseline(endpoints: list[EndpointResult]) -> None:
    assert [e.kind for e in endpoints] == ["page", "page", "page", "write", "write"]
    for endpoint in endpoints:
        assert endpoint.app.requests > 0 and endpoint.baseline.requests > 0, endpoint.name
        assert endpoint.app.errors == 0, endpoint.name
        assert 0 < endpoint.app.p50_ms <= endpoint.app.p95_ms <= endpoint.app.p99_ms, endpoint.name
        assert endpoint.app.server_cpu_ms > 0 and endpoint.ratio > 0, endpoint.name
        assert endpoint.users is not None and endpoint.users.requests > 0, endpoint.name
        assert endpoint.users.errors == 0, endpoint.name
    assert all(e.page_bytes and e.page_bytes > 1000 for e in endpoints if e.kind == "page")
    # A few dozen attempts may or may not feed a second of submissions, depending on the machine's
    # speed: whichever it was, the verdict follows what was measured (a pool that ran out is
    # refused, as test_a_once_only_pool_that_runs_out_is_refused shows for certain).
    submission = endpoints[-1]
    runs = (submission.app, submission.users)
    assert submission.clean is not any(run.errors or run.repeated for run in runs)
    assert submission.clean or not submission.meets_targets


def test_a_once_only_pool_that_runs_out_is_refused(tmp_path):
    """wrk gives each connection a request as it opens, before any answer comes: with fewer once-only
    requests than connections the pool runs out at the start, however fast or slow the machine."""
    url = sqlite_url(tmp_path / "baseline.db")
    create_table(url)
    pool = write_lines(tmp_path / "once.txt", BASELINE_INSERT.lines)  # one request, for two connections
    environ = server_environment(url, tmp_path)
    with serving("bench.baseline_app:app", environ, 1, tmp_path / "baseline.log") as server:
        load = run_wrk(server.url, pool, seconds=1, connections=2, threads=1, once=True)
        cycled = run_wrk(server.url, pool, seconds=1, connections=2, threads=1)
    assert load.repeated and not cycled.repeated
    assert load.errors == 0 and cycled.errors == 0
    refused = EndpointResult("once only", "write", load, cycled)
    assert not refused.clean and not refused.meets_targets


def test_cost_of_each_request_is_measured_in_process(suite):
    assert len(suite.request_costs) == 5 + 4  # and the app's cheapest pages and the baseline, for reference
    assert all(cost.statements > 0 and cost.cpu_ms > 0 for cost in suite.request_costs)


def test_reports_and_content_benchmarks_report_their_figures(suite):
    (figures,) = suite.reports.values()
    assert figures.export_rows == 3 * SMOKE.sizes[0]  # one row per assignment
    assert figures.dashboard_page > 0 and figures.dashboard_query > 0 and figures.bare_export > 0
    assert figures.dashboard_again > 0
    assert set(figures.export_memory) == {"csv", "xlsx"}
    assert set(suite.content) >= {"check", "sync (first run)", "check + first sync"}


def test_results_are_written_as_markdown_tables_and_json(suite, tmp_path):
    markdown = results_markdown(suite)
    headings = ("Generating an organisation", "Cost of one request", "Server throughput", "Reports at scale")
    for heading in (*headings, "Content"):
        assert f"### {heading}" in markdown
    table_rows = [row for row in markdown.splitlines() if row.startswith("|")]
    assert table_rows and all(row.endswith("|") for row in table_rows)
    for table in markdown.split("\n\n"):
        rows = [row for row in table.splitlines() if row.startswith("|")]
        assert len({len(row.split("|")) for row in rows}) <= 1, rows  # every row as wide as its header
    data = json.loads(json.dumps(results_json(suite)))
    assert data["generation"][0]["employees"] == SMOKE.sizes[0]
    assert len(data["server"]["SQLite"]) == 5
    assert results_markdown(results_from_json(data)) == markdown  # the tables can be written again

    docs = tmp_path / "benchmarks.md"
    docs.write_text(f"intro\n{START_MARKER}\nold\n{END_MARKER}\nafter\n")
    update_docs(markdown, docs)
    updated = docs.read_text()
    assert "old" not in updated and "### Content" in updated and updated.endswith("after\n")


def test_docs_page_has_the_markers_that_make_bench_writes_between():
    text = (Path(__file__).resolve().parents[2] / "docs" / "benchmarks.md").read_text(encoding="utf-8")
    assert text.count(START_MARKER) == 1 and text.count(END_MARKER) == 1


def test_before_and_after_table_puts_each_endpoint_on_one_row(suite):
    endpoints = suite.server["SQLite"]
    rows = format_comparison(list(zip(endpoints, endpoints, strict=True)))
    assert len(rows) == 2 + len(endpoints)
    assert all(row.count("→") == 4 for row in rows[2:])
