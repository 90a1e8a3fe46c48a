"""Each person's choice of DMs (nudges, reminders, a daily summary), the team's announcements of won
and big new deals, and a next step's sequence number (its reminder's identity).

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notify_preference",
        sa.Column("team_id", sa.String(length=32), sa.ForeignKey("team.id"), primary_key=True),
        sa.Column("user_id", sa.String(length=32), primary_key=True),
        sa.Column("nudges", sa.Boolean(), nullable=False),
        sa.Column("reminders", sa.Boolean(), nullable=False),
        sa.Column("summary", sa.String(length=10), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    # Existing teams announce nothing until a manager says so (the server defaults fill the rows).
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("announce_won", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("announce_over_cents", sa.BigInteger(), nullable=True))
    # Steps set before this revision are number 0, whose reminder key is the old one: not sent again.
    with op.batch_alter_table("deal", schema=None) as batch_op:
        batch_op.add_column(sa.Column("next_step_seq", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("deal", schema=None) as batch_op:
        batch_op.drop_column("next_step_seq")
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.drop_column("announce_over_cents")
        batch_op.drop_column("announce_won")
    op.drop_table("notify_preference")
