"""Disqualify candidates and the first sweep at scale (issues 19, 20).

deal_nudge.nudges: the owner nudges recorded for the deal since its last activity, so "nudged three
or more times without progress" is one indexed read (ix_deal_nudge_team_nudges).
ix_deal_team_owner_stage_close gives the owner's nudge their few deals longest past their expected
close without reading the others, and `/pipeline` for one rep reads only that rep's open deals: SQLite's
planner read every open deal of the team through ix_deal_team_stage (28 ms at 100,000 deals, 2 ms now).

Revision ID: 0028
Revises: 0026
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("deal_nudge", schema=None) as batch_op:
        batch_op.add_column(sa.Column("nudges", sa.Integer(), nullable=False, server_default="0"))
        batch_op.create_index("ix_deal_nudge_team_nudges", ["team_id", "nudges"], unique=False)
    with op.batch_alter_table("deal", schema=None) as batch_op:
        batch_op.create_index(
            "ix_deal_team_owner_stage_close", ["team_id", "owner_id", "stage_id", "close_date"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("deal", schema=None) as batch_op:
        batch_op.drop_index("ix_deal_team_owner_stage_close")
    with op.batch_alter_table("deal_nudge", schema=None) as batch_op:
        batch_op.drop_index("ix_deal_nudge_team_nudges")
        batch_op.drop_column("nudges")
