"""Team settings (channel, managers, hours, digest) and the users.info cache.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing teams get the defaults the model gives new ones (server defaults fill the rows).
    op.create_table('slack_user',
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('tz', sa.String(length=64), nullable=False),
    sa.Column('locale', sa.String(length=16), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=True),
    sa.Column('is_admin', sa.Boolean(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('fetched_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('team_id', 'user_id')
    )
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.add_column(sa.Column('timezone', sa.String(length=64), nullable=False, server_default=sa.text("'Europe/Amsterdam'")))
        batch_op.add_column(sa.Column('channel_id', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('manager_ids', sa.String(length=1000), nullable=False, server_default=sa.text("''")))
        batch_op.add_column(sa.Column('work_days', sa.String(length=7), nullable=False, server_default=sa.text("'12345'")))
        batch_op.add_column(sa.Column('work_start', sa.String(length=5), nullable=False, server_default=sa.text("'09:00'")))
        batch_op.add_column(sa.Column('work_end', sa.String(length=5), nullable=False, server_default=sa.text("'17:00'")))
        batch_op.add_column(sa.Column('escalation', sa.String(length=10), nullable=False, server_default=sa.text("'channel'")))
        batch_op.add_column(sa.Column('digest_weekday', sa.Integer(), nullable=False, server_default=sa.text("'1'")))
        batch_op.add_column(sa.Column('digest_time', sa.String(length=5), nullable=False, server_default=sa.text("'09:00'")))
        batch_op.add_column(sa.Column('digest_channel_id', sa.String(length=32), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.drop_column('digest_channel_id')
        batch_op.drop_column('digest_time')
        batch_op.drop_column('digest_weekday')
        batch_op.drop_column('escalation')
        batch_op.drop_column('work_end')
        batch_op.drop_column('work_start')
        batch_op.drop_column('work_days')
        batch_op.drop_column('manager_ids')
        batch_op.drop_column('channel_id')
        batch_op.drop_column('timezone')

    op.drop_table('slack_user')
