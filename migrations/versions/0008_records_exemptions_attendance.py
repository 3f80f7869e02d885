"""records of a whole year: department of record on assignments, exemptions, in-person attendance

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 02:30:00.000000

- assignments.department_id: the department an assignment belongs to (the employee's when it was
  made or completed), filled from the employee's current department for existing rows.
- completions: a completion is an online attempt or an attended in-person session (method,
  attendance_id; attempt_id and score empty for a session). On SQLite the batch recreates the
  table, which drops its append-only triggers: they are created again here.
- attendances (append-only), exemptions (never deleted; withdrawn by filling in the withdrawal),
  record_uploads (exemption and attendance files between preview and import).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

# (trigger name, table, event, message): the triggers of migration 0003 on completions, and the
# same protection for the new records.
COMPLETION_TRIGGERS = (
    ("completions_no_update", "completions", "UPDATE", "completions are append-only"),
    ("completions_no_delete", "completions", "DELETE", "completions are append-only"),
)
NEW_TRIGGERS = (
    ("attendances_no_update", "attendances", "UPDATE", "attendance records are append-only"),
    ("attendances_no_delete", "attendances", "DELETE", "attendance records are append-only"),
    ("exemptions_no_delete", "exemptions", "DELETE", "exemptions are never deleted"),
)


def _create_triggers(triggers):
    # elearn_refuse_change() (PostgreSQL) was created by migration 0003.
    dialect = op.get_bind().dialect.name
    for name, table, event, message in triggers:
        if dialect == "sqlite":
            op.execute(
                f"CREATE TRIGGER {name} BEFORE {event} ON {table} FOR EACH ROW "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
            )
        elif dialect == "postgresql":
            op.execute(
                f"CREATE TRIGGER {name} BEFORE {event} ON {table} FOR EACH ROW "
                f"EXECUTE FUNCTION elearn_refuse_change('{message}')"
            )


def _drop_triggers(triggers):
    dialect = op.get_bind().dialect.name
    for name, table, _event, _message in triggers:
        if dialect == "sqlite":
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        elif dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")


def upgrade():
    op.create_table('attendances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('session_name', sa.String(length=200), nullable=False),
    sa.Column('instructor', sa.String(length=100), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_attendances_course_id_courses')),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_attendances_employee_id_employees')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['employees.id'], name=op.f('fk_attendances_recorded_by_id_employees')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendances'))
    )
    with op.batch_alter_table('attendances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendances_employee_id'), ['employee_id'], unique=False)

    op.create_table('exemptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('reason_text', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_by_label', sa.String(length=160), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
    sa.Column('withdrawn_by_label', sa.String(length=160), nullable=True),
    sa.Column('withdrawal_reason', sa.String(length=200), nullable=True),
    sa.CheckConstraint("reason IN ('leave', 'childcare', 'sick', 'secondment', 'other')", name=op.f('ck_exemptions_reason_known')),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_exemptions_course_id_courses')),
    sa.ForeignKeyConstraint(['created_by_id'], ['employees.id'], name=op.f('fk_exemptions_created_by_id_employees')),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_exemptions_employee_id_employees')),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['employees.id'], name=op.f('fk_exemptions_withdrawn_by_id_employees')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exemptions'))
    )
    with op.batch_alter_table('exemptions', schema=None) as batch_op:
        batch_op.create_index('ix_exemptions_employee_year', ['employee_id', 'fiscal_year'], unique=False)
        batch_op.create_index('uq_exemptions_one_standing', ['employee_id', 'course_id', 'fiscal_year'], unique=True, sqlite_where=sa.text('withdrawn_at IS NULL'), postgresql_where=sa.text('withdrawn_at IS NULL'))

    op.create_table('record_uploads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('plan_digest', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['employees.id'], name=op.f('fk_record_uploads_uploaded_by_id_employees')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_record_uploads')),
    sa.UniqueConstraint('token', name=op.f('uq_record_uploads_token'))
    )

    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('department_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_assignments_department_id'), ['department_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_assignments_department_id_departments'), 'departments', ['department_id'], ['id'])
    # Existing records: the best knowledge of their department is the employee's current one.
    op.execute(
        "UPDATE assignments SET department_id ="
        " (SELECT employees.department_id FROM employees WHERE employees.id = assignments.employee_id)"
    )

    _drop_triggers(COMPLETION_TRIGGERS)
    with op.batch_alter_table('completions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('method', sa.String(length=20), server_default='online', nullable=False))
        batch_op.add_column(sa.Column('attendance_id', sa.Integer(), nullable=True))
        batch_op.alter_column('attempt_id', existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column('score', existing_type=sa.Integer(), nullable=True)
        batch_op.create_unique_constraint(batch_op.f('uq_completions_attendance_id'), ['attendance_id'])
        batch_op.create_foreign_key(batch_op.f('fk_completions_attendance_id_attendances'), 'attendances', ['attendance_id'], ['id'])
        batch_op.create_check_constraint(
            'method_source',
            "(method = 'online' AND attempt_id IS NOT NULL AND score IS NOT NULL)"
            " OR (method = 'in_person' AND attendance_id IS NOT NULL AND attempt_id IS NULL)",
        )
    _create_triggers(COMPLETION_TRIGGERS)
    _create_triggers(NEW_TRIGGERS)


def downgrade():
    # Only possible while no in-person completion exists (attempt_id and score become required again).
    _drop_triggers(NEW_TRIGGERS)
    _drop_triggers(COMPLETION_TRIGGERS)
    with op.batch_alter_table('completions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_completions_method_source'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_completions_attendance_id_attendances'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_completions_attendance_id'), type_='unique')
        batch_op.alter_column('score', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('attempt_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('attendance_id')
        batch_op.drop_column('method')
    _create_triggers(COMPLETION_TRIGGERS)

    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_assignments_department_id_departments'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_assignments_department_id'))
        batch_op.drop_column('department_id')

    op.drop_table('record_uploads')
    with op.batch_alter_table('exemptions', schema=None) as batch_op:
        batch_op.drop_index('uq_exemptions_one_standing', sqlite_where=sa.text('withdrawn_at IS NULL'), postgresql_where=sa.text('withdrawn_at IS NULL'))
        batch_op.drop_index('ix_exemptions_employee_year')
    op.drop_table('exemptions')
    with op.batch_alter_table('attendances', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendances_employee_id'))
    op.drop_table('attendances')
