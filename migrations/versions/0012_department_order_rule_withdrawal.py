"""departments' code and kana (the city's order); withdrawal of assignment rules; employee numbers in capitals

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-02 02:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('departments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('code', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('kana', sa.String(length=100), nullable=True))
    with op.batch_alter_table('assignment_rules', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('withdrawal_reason', sa.String(length=200), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_assignment_rules_withdrawn_by_id_employees'), 'employees', ['withdrawn_by_id'], ['id']
        )
    # Numbers are now stored as typed numbers are normalised (upper case): one typed 「d0005」 before
    # would otherwise no longer log in. A number whose capitals another employee already has stays.
    op.execute(
        "UPDATE employees SET employee_no = UPPER(employee_no)"
        " WHERE employee_no <> UPPER(employee_no)"
        " AND UPPER(employee_no) NOT IN (SELECT e.employee_no FROM"
        " (SELECT employee_no FROM employees) AS e)"
    )


def downgrade():
    with op.batch_alter_table('assignment_rules', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_assignment_rules_withdrawn_by_id_employees'), type_='foreignkey')
        batch_op.drop_column('withdrawal_reason')
        batch_op.drop_column('withdrawn_by_id')
        batch_op.drop_column('withdrawn_at')
    with op.batch_alter_table('departments', schema=None) as batch_op:
        batch_op.drop_column('kana')
        batch_op.drop_column('code')
