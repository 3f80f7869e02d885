"""index employees.updated_at: the latest change to any employee is part of the records stamp

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 02:20:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('employees', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_employees_updated_at'), ['updated_at'], unique=False)


def downgrade():
    with op.batch_alter_table('employees', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_employees_updated_at'))
