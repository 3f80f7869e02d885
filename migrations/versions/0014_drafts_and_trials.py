"""drafts: a draft flag on each course and scenario version; trials: a trial flag on each attempt

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 03:40:00.000000

Every version synced before is published (false), and every attempt made before is a real one
(false): the records keep their meaning. A trial attempt is a trainer trying a course as a learner;
reports, item analysis and completions leave it out.

Only columns are added: on SQLite, batch mode adds them with ALTER TABLE without recreating the
tables, so the append-only and REPLACE triggers on attempts (0003, 0013) stay in place.
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

    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('trial', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_column('trial')

    with op.batch_alter_table('scenario_versions', schema=None) as batch_op:
        batch_op.drop_column('draft')

    with op.batch_alter_table('course_versions', schema=None) as batch_op:
        batch_op.drop_column('draft')
