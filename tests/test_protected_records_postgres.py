"""On PostgreSQL, no connection can TRUNCATE the append-only records (row triggers do not see it).

Runs when the suite runs on PostgreSQL (ELEARN_TEST_POSTGRES_URL, see tests/databases.py).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import make_url

from elearn.database import transaction
from elearn.models import AuditAction
from elearn.services import audit
from tests import records
from tests.databases import POSTGRES_URL

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="needs PostgreSQL (ELEARN_TEST_POSTGRES_URL)")

psycopg = pytest.importorskip("psycopg")


@pytest.fixture
def raw(app, database) -> Iterator[psycopg.Connection]:
    """A connection of psycopg's own, not the app's: as from psql."""
    url = make_url(database).set(drivername="postgresql")
    with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True) as connection:
        yield connection


@pytest.mark.parametrize("table", ["completions", "attempts", "attempt_questions", "audit_events"])
def test_truncate_is_refused_on_every_protected_table(people, raw, table):
    employee = people.employee()
    records.completed(employee)
    version = records.scenario_version("definition-01")
    records.answer(employee, version, [c for c in version.choices if c.correct])
    with transaction():
        audit.record(audit.Actor.of(employee), AuditAction.ACCOUNT_RESET, "reset")
    before = raw.execute(f"SELECT count(*) FROM {table}").fetchone()
    with pytest.raises(psycopg.errors.RestrictViolation, match="append-only"):
        raw.execute(f"TRUNCATE {table} CASCADE")
    assert raw.execute(f"SELECT count(*) FROM {table}").fetchone() == before != (0,)
