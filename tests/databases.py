"""Real databases for tests: SQLite files by default, a PostgreSQL server when one is given.

Set ELEARN_TEST_POSTGRES_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:54329/postgres) to run
the whole suite on PostgreSQL. Each test gets its own database, copied from a template that was
built once per session by the real migrations.
"""

from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

POSTGRES_URL = os.environ.get("ELEARN_TEST_POSTGRES_URL", "")


class SQLiteDatabases:
    """Each database is a file; a copy of the template file is a new database."""

    name = "sqlite"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.counter = itertools.count()

    def url_for(self, name: str) -> str:
        return f"sqlite:///{self.folder / name}.db"

    def create(self, name: str, template: str | None = None) -> str:
        url = self.url_for(name)
        # A new file, never the old one overwritten: a connection some test left open keeps its own.
        self.drop(url)
        if template is not None:
            shutil.copy(make_url(template).database, make_url(url).database)
        return url

    def fresh(self, template: str) -> str:
        return self.create(f"test{next(self.counter)}", template)

    def drop(self, url: str) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(make_url(url).database + suffix).unlink(missing_ok=True)


class PostgresDatabases:
    """Each database lives on the server; CREATE DATABASE … TEMPLATE copies one in milliseconds."""

    name = "postgresql"

    def __init__(self, server_url: str) -> None:
        self.server = make_url(server_url)
        self.prefix = f"elearn_test_{os.getpid()}_"
        self.counter = itertools.count()
        # NullPool: every admin connection is closed at once, none left open for the GC to find.
        self.admin = create_engine(self.server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        with self.admin.connect() as connection:
            version = int(connection.execute(text("SHOW server_version_num")).scalar_one())
        # From PostgreSQL 15, a copy logs every page of the template unless told to copy its files,
        # which is quicker for databases as small as the tests'.
        self.copy_strategy = " STRATEGY = FILE_COPY" if version >= 150000 else ""

    def url_for(self, name: str) -> str:
        return self.server.set(database=self.prefix + name).render_as_string(hide_password=False)

    def create(self, name: str, template: str | None = None) -> str:
        url = self.url_for(name)
        database = make_url(url).database
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            clause = f' TEMPLATE "{make_url(template).database}"{self.copy_strategy}' if template else ""
            connection.execute(text(f'CREATE DATABASE "{database}"{clause}'))
        return url

    def fresh(self, template: str) -> str:
        return self.create(f"t{next(self.counter)}", template)

    def drop(self, url: str) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))


def databases(folder: Path) -> SQLiteDatabases | PostgresDatabases:
    return PostgresDatabases(POSTGRES_URL) if POSTGRES_URL else SQLiteDatabases(folder)
