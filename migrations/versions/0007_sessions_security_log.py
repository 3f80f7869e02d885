"""add server-side sessions (revocable, with idle and absolute limits) and the append-only security log

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 02:30:00.000000

The security log is protected like the audit trail (migration 0003): the database refuses UPDATE
and DELETE on it, on SQLite also an INSERT that would replace an existing row (INSERT OR REPLACE
deletes without firing DELETE triggers), and on PostgreSQL TRUNCATE.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

MESSAGE = "the security log is append-only"
# (trigger name, event, SQLite condition or None)
TRIGGERS = (
    ("security_events_no_update", "UPDATE", None),
    ("security_events_no_delete", "DELETE", None),
    ("security_events_no_replace", "INSERT",
     "EXISTS (SELECT 1 FROM security_events WHERE id = NEW.id)"),
)


def upgrade():
    op.create_table('user_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('end_reason', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_user_sessions_employee_id_employees')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_user_sessions_token_hash'))
    )
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.create_index('ix_user_sessions_employee_id_ended_at', ['employee_id', 'ended_at'], unique=False)

    op.create_table('security_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('employee_no', sa.String(length=20), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=True),
    sa.Column('actor_label', sa.String(length=160), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_security_events_employee_id_employees')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_security_events'))
    )
    with op.batch_alter_table('security_events', schema=None) as batch_op:
        batch_op.create_index('ix_security_events_kind_occurred_at', ['kind', 'occurred_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_security_events_occurred_at'), ['occurred_at'], unique=False)

    create_security_log_triggers()


def downgrade():
    drop_security_log_triggers()
    with op.batch_alter_table('security_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_security_events_occurred_at'))
        batch_op.drop_index('ix_security_events_kind_occurred_at')

    op.drop_table('security_events')
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_user_sessions_employee_id_ended_at')

    op.drop_table('user_sessions')


def create_security_log_triggers():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name, event, condition in TRIGGERS:
            when = f" WHEN {condition}" if condition else ""
            op.execute(
                f"CREATE TRIGGER {name} BEFORE {event} ON security_events FOR EACH ROW{when} "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            )
    elif dialect == "postgresql":
        # elearn_refuse_change() was created by migration 0003. PostgreSQL has no INSERT OR REPLACE;
        # ON CONFLICT DO UPDATE fires the UPDATE trigger.
        for name, event, _condition in TRIGGERS[:2]:
            op.execute(
                f"CREATE TRIGGER {name} BEFORE {event} ON security_events FOR EACH ROW "
                f"EXECUTE FUNCTION elearn_refuse_change('{MESSAGE}')"
            )
        op.execute(
            "CREATE TRIGGER security_events_no_truncate BEFORE TRUNCATE ON security_events "
            f"FOR EACH STATEMENT EXECUTE FUNCTION elearn_refuse_change('{MESSAGE}')"
        )


def drop_security_log_triggers():
    dialect = op.get_bind().dialect.name
    names = [name for name, _event, _condition in TRIGGERS]
    if dialect == "sqlite":
        for name in names:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    elif dialect == "postgresql":
        for name in [*names[:2], "security_events_no_truncate"]:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON security_events")
