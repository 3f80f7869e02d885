"""content upload draft: the 下書き checkbox of an upload on /author/

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 06:00:00.000000

An upload with the box ticked publishes every scenario and course it holds as a draft; uploads
kept before this migration had no such box.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('content_uploads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('draft', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('content_uploads', schema=None) as batch_op:
        batch_op.drop_column('draft')
