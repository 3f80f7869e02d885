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


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER policy_versions_no_{event.lower()} BEFORE {event} ON policy_versions "
                f"FOR EACH ROW BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            )
        # An UPDATE is refused above whatever it does; an INSERT OR REPLACE must be refused before
        # SQLite resolves the conflict by deleting the row it collides with.
        op.execute(
            "CREATE TRIGGER policy_versions_no_replace_on_insert BEFORE INSERT ON policy_versions "
            f"FOR EACH ROW WHEN {KEY_TAKEN} "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: the key is taken'); END"
        )
    elif dialect == "postgresql":
        # elearn_refuse_change() was created by migration 0003.
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER policy_versions_no_{event.lower()} BEFORE {event} ON policy_versions "
                f"FOR EACH ROW EXECUTE FUNCTION elearn_refuse_change('{MESSAGE}')"
            )
        op.execute(
            "CREATE TRIGGER policy_versions_no_truncate BEFORE TRUNCATE ON policy_versions "
            f"FOR EACH STATEMENT EXECUTE FUNCTION elearn_refuse_change('{MESSAGE}: no TRUNCATE')"
        )


def downgrade():
    dialect = op.get_bind().dialect.name
    names = ["policy_versions_no_update", "policy_versions_no_delete"]
    names.append("policy_versions_no_replace_on_insert" if dialect == "sqlite" else "policy_versions_no_truncate")
    for name in names:
        op.execute(f"DROP TRIGGER IF EXISTS {name}" if dialect == "sqlite" else f"DROP TRIGGER IF EXISTS {name} ON policy_versions")
