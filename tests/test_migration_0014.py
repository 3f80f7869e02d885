"""0014 adds the draft and trial flags without losing the triggers that keep attempts append-only."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from elearn.extensions import db
from tests.conftest import running_app


def attempt_triggers() -> set[str]:
    if db.engine.dialect.name == "sqlite":
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'attempts'"
    else:
        query = "SELECT tgname FROM pg_trigger WHERE tgrelid = 'attempts'::regclass AND NOT tgisinternal"
    return set(db.session.scalars(text(query)))


def test_the_attempts_triggers_survive_0014_up_and_down(dbs):
    with running_app(dbs.create("around-0014")):
        upgrade(revision="0013")
        before = attempt_triggers()
        assert before  # 0003 and 0013 made them
        upgrade(revision="0014")
        assert attempt_triggers() == before
        assert "trial" in {c["name"] for c in inspect(db.engine).get_columns("attempts")}
        downgrade(revision="0013")
        assert attempt_triggers() == before
        assert "trial" not in {c["name"] for c in inspect(db.engine).get_columns("attempts")}
