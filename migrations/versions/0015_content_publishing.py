"""content publishing: who published each content version and how; uploads kept until published

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 06:00:00.000000

Every version synced before came from the files by the command line: origin "files", no publisher,
no recorded source file. content_uploads holds Markdown uploaded on /author/ until a trainer
publishes or discards it.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

VERSION_TABLES = ('course_versions', 'scenario_versions', 'selfcheck_versions')


def upgrade():
    for table in VERSION_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('origin', sa.String(length=10), server_default='files', nullable=False))
            batch_op.add_column(sa.Column('published_by_id', sa.Integer(), nullable=True))
            batch_op.add_column(sa.Column('source_path', sa.String(length=300), nullable=True))
            batch_op.create_foreign_key(op.f(f'fk_{table}_published_by_id_employees'), 'employees', ['published_by_id'], ['id'])

    op.create_table(
        'content_uploads',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
        sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('files', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(length=12), server_default='pending', nullable=False),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['uploaded_by_id'], ['employees.id'], name=op.f('fk_content_uploads_uploaded_by_id_employees')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_content_uploads')),
    )


def downgrade():
    op.drop_table('content_uploads')
    for table in reversed(VERSION_TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f'fk_{table}_published_by_id_employees'), type_='foreignkey')
            batch_op.drop_column('source_path')
            batch_op.drop_column('published_by_id')
            batch_op.drop_column('origin')
