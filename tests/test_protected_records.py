"""The database itself keeps the records append-only, whatever connection writes to it.

The app never issues these statements; someone with a database shell might. On SQLite a REPLACE
deletes the row it collides with without firing DELETE triggers; migration 0013 refuses the insert
before that can happen. PostgreSQL's TRUNCATE is in tests/test_protected_records_postgres.py.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import make_url

from elearn.database import transaction
from elearn.models import AuditAction
from elearn.services import audit
from tests import records
from tests.databases import POSTGRES_URL

pytestmark = pytest.mark.skipif(bool(POSTGRES_URL), reason="REPLACE is SQLite's; PostgreSQL has none")


@pytest.fixture
def raw(app, database) -> Iterator[sqlite3.Connection]:
    """A connection of sqlite3's own, not the app's: as from the sqlite3 shell."""
    connection = sqlite3.connect(make_url(database).database, isolation_level=None)
    yield connection
    connection.close()


def test_insert_or_replace_cannot_rewrite_a_completions_score(people, raw):
    completion = records.completed(people.employee(), score=100)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw.execute(
            "INSERT OR REPLACE INTO completions (id, employee_id, course_id, course_version_id, fiscal_year, "
            "attempt_id, completed_at, score, attempts_count, certificate_code) "
            "SELECT id, employee_id, course_id, course_version_id, fiscal_year, attempt_id, completed_at, 1, "
            "attempts_count, certificate_code FROM completions WHERE id = ?",
            (completion.id,),
        )
    assert raw.execute("SELECT score FROM completions").fetchall() == [(100,)]


def test_replace_on_another_unique_key_cannot_delete_a_completion(people, raw):
    completion = records.completed(people.employee())
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw.execute(
            "REPLACE INTO completions (employee_id, course_id, course_version_id, fiscal_year, attempt_id, "
            "completed_at, score, attempts_count, certificate_code) "
            "SELECT employee_id, course_id, course_version_id, fiscal_year, attempt_id + 1000, completed_at, "
            "1, attempts_count, 'OTHER-CODE' FROM completions WHERE id = ?",
            (completion.id,),
        )
    assert raw.execute("SELECT id, score FROM completions").fetchall() == [(completion.id, completion.score)]


def test_insert_or_replace_cannot_turn_a_failed_attempt_into_a_passed_one(people, raw):
    attempt = records.failed(people.employee())
    columns = "id, employee_id, course_id, course_version_id, fiscal_year, number, started_at, submitted_at"
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw.execute(
            f"INSERT OR REPLACE INTO attempts ({columns}, correct_count, score, passed) "
            f"SELECT {columns}, 10, 100, 1 FROM attempts WHERE id = ?",
            (attempt.id,),
        )
    assert raw.execute("SELECT score, passed FROM attempts").fetchall() == [(40, 0)]


def test_update_or_replace_of_an_open_attempt_cannot_delete_a_submitted_one(people, raw):
    employee = people.employee()
    submitted = records.failed(employee)
    open_attempt = records.started(employee)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw.execute(
            "UPDATE OR REPLACE attempts SET number = ? WHERE id = ?", (submitted.number, open_attempt.id)
        )
    assert raw.execute("SELECT count(*) FROM attempts").fetchall() == [(2,)]


def test_insert_or_replace_cannot_rewrite_a_scored_answer(people, raw):
    version = records.scenario_version("definition-01")
    wrong = [c for c in version.choices if not c.correct][:1]
    question = records.answer(people.employee(), version, wrong)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw.execute(
            "INSERT OR REPLACE INTO attempt_questions (id, attempt_id, position, scenario_version_id, "
            "choice_order, selected, correct) SELECT id, attempt_id, position, scenario_version_id, "
            "choice_order, selected, 1 FROM attempt_questions WHERE id = ?",
            (question.id,),
        )
    assert raw.execute("SELECT correct FROM attempt_questions").fetchall() == [(0,)]


def test_insert_or_replace_cannot_rewrite_an_audit_event(people, raw):
    actor = audit.Actor.of(people.employee())
    with transaction():
        event = audit.record(actor, AuditAction.ACCOUNT_RESET, "reset")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw.execute(
            "INSERT OR REPLACE INTO audit_events (id, occurred_at, actor_id, actor_label, action, summary, "
            "details) SELECT id, occurred_at, actor_id, actor_label, action, 'nothing happened', details "
            "FROM audit_events WHERE id = ?",
            (event.id,),
        )
    assert raw.execute("SELECT summary FROM audit_events").fetchall() == [("reset",)]


def test_new_records_are_still_inserted(people, raw):
    """The triggers refuse only collisions: the app's own inserts (and a plain insert) go through."""
    employee = people.employee()
    records.completed(employee)
    records.completed(employee, key="shokuin-koui")
    assert raw.execute("SELECT count(*) FROM completions").fetchall() == [(2,)]
