"""reminders: rules per fiscal year, HR's mail templates (versions kept), one row per mail claimed by (assignment, rule)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 02:21:22.168218

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mail_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['employees.id'], name=op.f('fk_mail_templates_created_by_id_employees')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_templates')),
    sa.UniqueConstraint('kind', 'version', name=op.f('uq_mail_templates_kind_version'))
    )
    op.create_table('reminder_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('invitation', sa.Boolean(), nullable=False),
    sa.Column('days_before', sa.JSON(), nullable=False),
    sa.Column('first_after', sa.Integer(), nullable=True),
    sa.Column('every_after', sa.Integer(), nullable=False),
    sa.Column('times_after', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['employees.id'], name=op.f('fk_reminder_rules_updated_by_id_employees')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_rules')),
    sa.UniqueConstraint('fiscal_year', name=op.f('uq_reminder_rules_fiscal_year'))
    )
    op.create_table('reminder_mails',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('rule_key', sa.String(length=40), nullable=False),
    sa.Column('template_version', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('to_address', sa.String(length=254), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tries', sa.Integer(), nullable=False),
    sa.Column('last_try_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('smtp_reply', sa.Text(), nullable=True),
    sa.Column('claim', sa.String(length=32), nullable=True),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("state IN ('queued', 'sent', 'failed', 'skipped')", name=op.f('ck_reminder_mails_state_known')),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'], name=op.f('fk_reminder_mails_assignment_id_assignments')),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_reminder_mails_employee_id_employees')),
    sa.ForeignKeyConstraint(['sent_by_id'], ['employees.id'], name=op.f('fk_reminder_mails_sent_by_id_employees')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_mails')),
    sa.UniqueConstraint('assignment_id', 'rule_key', name=op.f('uq_reminder_mails_assignment_id_rule_key'))
    )
    with op.batch_alter_table('reminder_mails', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminder_mails_employee_id'), ['employee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminder_mails_state'), ['state'], unique=False)



def downgrade():
    with op.batch_alter_table('reminder_mails', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminder_mails_state'))
        batch_op.drop_index(batch_op.f('ix_reminder_mails_employee_id'))

    op.drop_table('reminder_mails')
    op.drop_table('reminder_rules')
    op.drop_table('mail_templates')
