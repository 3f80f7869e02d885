"""A consistent copy of the SQLite database, taken while the app keeps running."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(RuntimeError):
    pass


def sqlite_path(database_url: str) -> Path:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise BackupError(
            "elearn backup copies a SQLite database; for PostgreSQL use pg_dump (see the README)"
        )
    return Path(url.database)


def backup_sqlite(database_url: str, target: Path) -> int:
    """Copy the live database to ``target`` with SQLite's online backup; returns its size in bytes.

    The backup API copies pages under a read lock, so writers wait briefly instead of the copy
    catching a half-written transaction; the copy is then checked with PRAGMA integrity_check.
    """
    source_path = sqlite_path(database_url)
    if not source_path.exists():
        raise BackupError(f"no database at {source_path}")
    if target.exists():
        raise BackupError(f"{target} exists; choose a new file name")
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=30)
    copy = sqlite3.connect(target)
    try:
        with copy:
            source.backup(copy)
        (result,) = copy.execute("PRAGMA integrity_check").fetchone()
        if result != "ok":
            raise BackupError(f"the copy failed its integrity check: {result}")
    finally:
        copy.close()
        source.close()
    return target.stat().st_size
