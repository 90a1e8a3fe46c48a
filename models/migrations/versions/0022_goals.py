"""Goals: a won amount per rep or team, per month or quarter, and the highest threshold told.

Revision ID: 0022
Revises: 0018
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "goal",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.String(length=32), sa.ForeignKey("team.id"), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("starts", sa.Date(), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("deal_count", sa.Integer(), nullable=True),
        sa.Column("set_by", sa.String(length=32), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("announced", sa.Integer(), nullable=False),
        sa.UniqueConstraint("team_id", "user_id", "period", "starts", name="uq_goal_period"),
    )


def downgrade() -> None:
    op.drop_table("goal")
