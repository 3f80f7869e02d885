"""The policy versions that records cite by time cannot be rewritten or removed, from any connection
(migration 0017). An amended policy is still synced as a new version: tests/learn/test_policy_versions.py.
"""

from __future__ import annotations

import sqlite3

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import delete, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from elearn.extensions import db
from elearn.models import PolicyVersion
from tests.conftest import running_app


def versions() -> list[tuple[int, str]]:
    """Read in a transaction of its own, ended at once: its lock would make TRUNCATE wait."""
    db.session.rollback()
    found = list(db.session.execute(select(PolicyVersion.version, PolicyVersion.title)))
    db.session.rollback()
    return found


def test_no_update_or_delete_of_a_policy_version_goes_through(app):
    before = versions()
    assert before  # the content template synced the project's policy
    for statement in (update(PolicyVersion).values(title="書き換え"), delete(PolicyVersion)):
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(statement)
        db.session.rollback()
    assert versions() == before


def test_no_other_connection_can_replace_or_truncate_a_policy_version(app, database):
    before = versions()
    if db.engine.dialect.name == "sqlite":
        connection = sqlite3.connect(make_url(database).database)
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            connection.execute(
                "INSERT OR REPLACE INTO policy_versions (id, version, content_hash, title, source, parsed, "
                "synced_at) SELECT id, version, content_hash, '書き換え', source, parsed, synced_at "
                "FROM policy_versions"
            )
        connection.close()
    else:
        import psycopg

        plain = make_url(database).set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(plain) as connection, pytest.raises(psycopg.Error, match="append-only"):
            connection.execute("SET lock_timeout = '60s'")  # a lock held elsewhere fails, never hangs
            connection.execute("TRUNCATE policy_versions")
    assert versions() == before


def policy_triggers() -> set[str]:
    if db.engine.dialect.name == "sqlite":
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'policy_versions'"
    else:
        query = (
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'policy_versions'::regclass AND NOT tgisinternal"
        )
    return set(db.session.scalars(text(query)))


def test_0017_adds_the_protection_and_takes_it_away_again(dbs):
    with running_app(dbs.create("around-0017")):
        upgrade(revision="0016")
        assert policy_triggers() == set()
        upgrade(revision="0017")
        assert {"policy_versions_no_update", "policy_versions_no_delete"} <= policy_triggers()
        downgrade(revision="0016")
        assert policy_triggers() == set()
