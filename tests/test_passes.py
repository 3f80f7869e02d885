"""Which tests the PostgreSQL pass runs again (tests/conftest.py, README "Development")."""

from __future__ import annotations

from tests.conftest import _runs_on_postgres


def test_a_test_that_asks_for_no_database_runs_in_the_sqlite_pass_only(request):
    assert not _runs_on_postgres(request.node)


def test_a_test_on_a_database_runs_in_both_passes(request, dbs):
    assert _runs_on_postgres(request.node)


def test_of_the_browser_tests_the_postgresql_pass_keeps_the_smoke_flows(request):
    """Judged on the browser tests of this run (all of them in `make test`'s SQLite pass)."""
    browser_tests = [item for item in request.session.items if "tests/e2e/" in item.nodeid]
    smoke = {item.nodeid for item in browser_tests if item.get_closest_marker("smoke")}
    kept = {item.nodeid for item in browser_tests if _runs_on_postgres(item)}
    assert kept == smoke
