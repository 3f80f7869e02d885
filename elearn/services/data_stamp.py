"""A stamp of the training records that changes whenever a commit could change a report built on them.

Reading it costs a few index lookups, where the aggregate behind HR's dashboard reads every
assignment of the year, so a report computed once can be served again for as long as the stamp
stays the same (services/dashboard.py; the figures are in docs/benchmarks.md). Never a
time-to-live: a stale count of official records is not an option, so every source of change must
show in the stamp.

- PostgreSQL: the current snapshot (``xmin:xmax:xip_list``) names exactly which transactions are
  committed, so any commit of any write changes it. Row ids alone would not do: ids are taken from
  sequences when rows are inserted, and transactions commit in another order.
- SQLite: one writer at a time takes ids in commit order, so the highest id of each insert-only
  table behind the reports (the database refuses updates and deletes of completions, attempts and
  audit events) plus the latest change to an employee (moved, deactivated: ``updated_at``, indexed)
  and the audit trail (every roster import and assignment is audited in its own transaction) change
  with every commit that matters.
"""

from __future__ import annotations

from sqlalchemy import text

from ..extensions import db

_SQLITE = text(
    "SELECT (SELECT max(id) FROM assignments), (SELECT max(id) FROM completions),"
    " (SELECT max(id) FROM attempts), (SELECT max(id) FROM lesson_views),"
    " (SELECT max(id) FROM departments), (SELECT max(id) FROM course_versions),"
    " (SELECT max(id) FROM audit_events), (SELECT max(updated_at) FROM employees)"
)
_POSTGRESQL = text("SELECT pg_current_snapshot()::text")


def records_stamp() -> tuple:
    """The stamp, read in the session's current transaction (compare it only with stamps of the
    same database)."""
    statement = _POSTGRESQL if db.session.get_bind().dialect.name == "postgresql" else _SQLITE
    return tuple(db.session.execute(statement).one())
