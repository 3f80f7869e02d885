"""protect the append-only records from REPLACE (SQLite) and TRUNCATE (PostgreSQL); count activations
like logins; keep the department a self-check was answered in

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 02:30:00.000000

The triggers of 0003 refuse UPDATE and DELETE, but on SQLite `INSERT OR REPLACE` (and `REPLACE`,
and `UPDATE OR REPLACE`) deletes the row it collides with without firing DELETE triggers (recursive
triggers are off), and on PostgreSQL `TRUNCATE` fires no row triggers. So, on SQLite, an insert or
update whose key (the primary key or any unique key) is taken by another row is refused before the
conflict can be resolved by deleting that row; on PostgreSQL each protected table refuses TRUNCATE.
As with 0003: `batch_alter_table` on one of these tables recreates it on SQLite and drops its
triggers, so such a migration must create these triggers again (`create_replace_triggers`).

`login_attempts.kind` tells activation attempts (counted per address, like logins) from logins.
`selfcheck_responses.department_id` is the department the employee belonged to when answering: the
self-check aggregates are published per department, and a transfer must not move one person's
answers from one published figure to another. Responses recorded before are given the employee's
department of today.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


# Every key a REPLACE could collide on, per protected table: lists of columns, or (columns, condition)
# for a partial unique index, the condition written for NEW and for the existing row `t`.
PROTECTED_KEYS = {
    "completions": (["id"], ["employee_id", "course_id", "fiscal_year"], ["attempt_id"], ["certificate_code"]),
    "attempts": (
        ["id"],
        ["employee_id", "course_id", "fiscal_year", "number"],
        (["employee_id", "course_id", "fiscal_year"], "NEW.submitted_at IS NULL AND t.submitted_at IS NULL"),
    ),
    "attempt_questions": (["id"], ["attempt_id", "position"]),
    "audit_events": (["id"],),
}


def _key_taken(table, keys, other_than_old):
    """SQL true when another row of ``table`` holds one of NEW's keys."""
    matches = []
    for key in keys:
        columns, condition = key if isinstance(key, tuple) else (key, None)
        terms = [f"t.{column} = NEW.{column}" for column in columns] + ([condition] if condition else [])
        matches.append("(" + " AND ".join(terms) + ")")
    others = " AND t.id <> OLD.id" if other_than_old else ""
    return f"EXISTS (SELECT 1 FROM {table} AS t WHERE ({' OR '.join(matches)}){others})"


def create_replace_triggers():
    dialect = op.get_bind().dialect.name
    for table, keys in PROTECTED_KEYS.items():
        if dialect == "sqlite":
            # BEFORE triggers run before SQLite resolves a conflict, so REPLACE never gets to delete.
            for event, other_than_old in (("INSERT", False), ("UPDATE", True)):
                op.execute(
                    f"CREATE TRIGGER {table}_no_replace_on_{event.lower()} BEFORE {event} ON {table} "
                    f"FOR EACH ROW WHEN {_key_taken(table, keys, other_than_old)} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} are append-only: the key is taken'); END"
                )
        elif dialect == "postgresql":
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} FOR EACH STATEMENT "
                f"EXECUTE FUNCTION elearn_refuse_change('{table} are append-only: no TRUNCATE')"
            )


def drop_replace_triggers():
    dialect = op.get_bind().dialect.name
    for table in PROTECTED_KEYS:
        if dialect == "sqlite":
            for event in ("insert", "update"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_no_replace_on_{event}")
        elif dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")


def upgrade():
    create_replace_triggers()
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=20), server_default='login', nullable=False))

    with op.batch_alter_table('selfcheck_responses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('department_id', sa.Integer(), nullable=True))
    op.execute(
        "UPDATE selfcheck_responses SET department_id = "
        "(SELECT department_id FROM employees WHERE employees.id = selfcheck_responses.employee_id)"
    )
    with op.batch_alter_table('selfcheck_responses', schema=None) as batch_op:
        batch_op.alter_column('department_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_selfcheck_responses_department_id_departments'), 'departments', ['department_id'], ['id']
        )


def downgrade():
    with op.batch_alter_table('selfcheck_responses', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_selfcheck_responses_department_id_departments'), type_='foreignkey')
        batch_op.drop_column('department_id')
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.drop_column('kind')
    drop_replace_triggers()
