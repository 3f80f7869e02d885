"""protect the policy versions as the records that cite them are protected

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 13:00:00.000000

A completion, a certificate and a result name the policy text current when they were made by time
(the latest version synced at or before it). Rewriting or deleting a version would change, without
a trace, which text those records say the employee learned. So, as 0003 and 0013 do for the records
themselves: no UPDATE or DELETE; on SQLite no REPLACE over an existing id or version number (it
deletes without firing DELETE triggers); on PostgreSQL no TRUNCATE. The app only ever inserts.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

MESSAGE = "policy versions are append-only"
KEY_TAKEN = "EXISTS (SELECT 1 FROM policy_versions AS t WHERE t.id = NEW.id OR t.version = NEW.version)"


def _triggers(dialect):
    """(name, when it fires, message) of each trigger this migration makes on ``dialect``."""
    triggers = [
        (f"policy_versions_no_{event.lower()}", f"BEFORE {event} ON policy_versions FOR EACH ROW", MESSAGE)
        for event in ("UPDATE", "DELETE")
    ]
    if dialect == "sqlite":
        # An INSERT OR REPLACE must be refused before SQLite resolves the conflict by deleting the
        # row it collides with (the UPDATE trigger above refuses every UPDATE OR REPLACE already).
        fires = f"BEFORE INSERT ON policy_versions FOR EACH ROW WHEN {KEY_TAKEN}"
        return triggers + [("policy_versions_no_replace_on_insert", fires, f"{MESSAGE}: the key is taken")]
    fires = "BEFORE TRUNCATE ON policy_versions FOR EACH STATEMENT"
    return triggers + [("policy_versions_no_truncate", fires, f"{MESSAGE}: no TRUNCATE")]


def _refusal(dialect, message):
    if dialect == "sqlite":
        return f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
    return f"EXECUTE FUNCTION elearn_refuse_change('{message}')"  # created by migration 0003


def upgrade():
    dialect = op.get_bind().dialect.name
    for name, fires, message in _triggers(dialect):
        op.execute(f"CREATE TRIGGER {name} {fires} {_refusal(dialect, message)}")


def downgrade():
    dialect = op.get_bind().dialect.name
    on_table = "" if dialect == "sqlite" else " ON policy_versions"
    for name, _fires, _message in _triggers(dialect):
        op.execute(f"DROP TRIGGER IF EXISTS {name}{on_table}")
