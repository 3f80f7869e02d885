"""course completion rules on each course version; lessons read recorded on each completion

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 02:30:00.000000

Versions synced before this migration get the rules they were taken under (completion by the quiz
alone, the quiz open before the lessons, the full review after every attempt), so attempts and
completions made under them keep their meaning; a sync writes what the front matter says.
Completions made before it have no lesson counts (NULL: not recorded, not guessed afterwards).

Only columns are added: on SQLite, batch mode adds them with ALTER TABLE without recreating the
tables, so the append-only triggers on completions (0003) stay in place.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('course_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('completion', sa.String(length=20), server_default='quiz', nullable=False))
        batch_op.add_column(sa.Column('quiz_after_lessons', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('review', sa.String(length=20), server_default='always', nullable=False))

    with op.batch_alter_table('completions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lessons_read', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('lesson_count', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('completions', schema=None) as batch_op:
        batch_op.drop_column('lesson_count')
        batch_op.drop_column('lessons_read')

    with op.batch_alter_table('course_versions', schema=None) as batch_op:
        batch_op.drop_column('review')
        batch_op.drop_column('quiz_after_lessons')
        batch_op.drop_column('completion')
