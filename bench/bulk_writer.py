"""Rows into tables in bulk, for the benchmarks' generated data."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool


class BulkWriter:
    """Rows into tables as fast as the database takes them: executemany on SQLite, COPY on PostgreSQL."""

    def __init__(self, database_url: str) -> None:
        self.engine = create_engine(database_url, poolclass=NullPool)
        self.dialect = self.engine.dialect.name
        self.connection = self.engine.raw_connection()
        if self.dialect == "sqlite":
            # A generated organisation is thrown away if the machine crashes: no fsync per commit.
            self.connection.execute("PRAGMA synchronous=OFF")
        self.counts: dict[str, int] = {}

    def write(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
        rows = list(rows)
        if not rows:
            return
        cursor = self.connection.cursor()
        if self.dialect == "postgresql":
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
        cursor.close()
        self.counts[table] = self.counts.get(table, 0) + len(rows)

    def timestamp(self, moment: datetime) -> str:
        """A UTC timestamp as each database stores the app's UTCDateTime columns."""
        text = moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        return text + "+00" if self.dialect == "postgresql" else text

    def boolean(self, value: bool) -> object:
        return value if self.dialect == "postgresql" else int(value)

    def commit(self) -> None:
        self.connection.commit()

    def reset_sequences(self, tables: Iterable[str]) -> None:
        """After rows with explicit ids, PostgreSQL's sequences must continue after the largest."""
        if self.dialect != "postgresql":
            return
        cursor = self.connection.cursor()
        for table in tables:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
            )
        cursor.close()
        self.connection.commit()

    def close(self) -> None:
        self.connection.close()
        self.engine.dispose()
