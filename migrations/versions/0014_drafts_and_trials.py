"""drafts: a draft flag on each course and scenario version; trials: a trial flag on each attempt

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 03:40:00.000000

Every version synced before is published (false), and every attempt made before is a real one
(false): the records keep their meaning. A trial attempt is a trainer trying a course as a learner;
reports, item analysis and completions leave it out.

Only columns are added. On `attempts` the column is added with a plain ALTER TABLE (op.add_column,
which SQLite and PostgreSQL both do in place), not in batch mode: batch mode recreates that table on
SQLite and would drop its append-only and REPLACE triggers (0003, 0013).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('course_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('draft', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('scenario_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('draft', sa.Boolean(), server_default=sa.false(), nullable=False))

    op.add_column('attempts', sa.Column('trial', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    # In place as well, so the triggers on attempts stay (SQLite drops a column in place since 3.35).
    op.execute('ALTER TABLE attempts DROP COLUMN trial')

    with op.batch_alter_table('scenario_versions', schema=None) as batch_op:
        batch_op.drop_column('draft')

    with op.batch_alter_table('course_versions', schema=None) as batch_op:
        batch_op.drop_column('draft')
