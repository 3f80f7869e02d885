"""`elearn backup`: a consistent copy of the SQLite database, even while others write to it."""

import sqlite3
import threading

import pytest
from sqlalchemy.engine import make_url

from tests.databases import POSTGRES_URL

pytestmark = pytest.mark.skipif(bool(POSTGRES_URL), reason="SQLite's online backup; PostgreSQL uses pg_dump")


def test_backup_copies_the_database_while_it_is_written(app, runner, database, tmp_path):
    path = make_url(database).database
    stop, writing = threading.Event(), threading.Event()
    written = []

    def writer():
        connection = sqlite3.connect(path, timeout=30)
        connection.execute("CREATE TABLE IF NOT EXISTS backup_probe (n INTEGER)")
        n = 0
        while not stop.is_set():
            with connection:
                connection.execute("INSERT INTO backup_probe VALUES (?)", (n,))
            written.append(n)
            writing.set()
            n += 1
        connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        # The backup starts once the writer is writing, and the writer goes on until it is done.
        assert writing.wait(timeout=120), "the writer never wrote"
        target = tmp_path / "copy.db"
        result = runner.invoke(args=["backup", "-o", str(target)])
    finally:
        stop.set()
        thread.join(timeout=30)
    assert result.exit_code == 0, result.output
    assert "integrity ok" in result.output
    copy = sqlite3.connect(target)
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert copy.execute("SELECT count(*) FROM courses").fetchone()[0] == 3
    copy.close()


def test_backup_refuses_to_overwrite(runner, tmp_path):
    target = tmp_path / "exists.db"
    target.write_bytes(b"keep me")
    result = runner.invoke(args=["backup", "-o", str(target)])
    assert result.exit_code == 1
    assert target.read_bytes() == b"keep me"
