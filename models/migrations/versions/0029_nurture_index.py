"""The digest's nurture counts and the nurture sweep read only the deals in nurture (issue 19).

ix_deal_team_nurture: a partial index on the few deals ever put in nurture (nurture_state IS NOT
NULL), so models.nurture.counts (nurture_state = 'waiting', or 'back' within the digest's week) and
models.nurture.due (waiting, nurture_on up to a day) read those deals of the team instead of every
deal of the team through ix_deal_team_stage. Its predicate is implied by their equality on
nurture_state, so both SQLite's planner and PostgreSQL's use it (with a bound parameter, and in
PostgreSQL's generic plans too); and no query that does not name nurture_state can be planned on it,
so it cannot lure SQLite's planner away from the digest's other queries (benchmarks/README.md, "No
migration 0030").

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("deal", schema=None) as batch_op:
        batch_op.create_index(
            "ix_deal_team_nurture",
            ["team_id", "nurture_state", "nurture_on", "nurture_at"],
            unique=False,
            sqlite_where=sa.text("nurture_state IS NOT NULL"),
            postgresql_where=sa.text("nurture_state IS NOT NULL"),
        )


def downgrade() -> None:
    with op.batch_alter_table("deal", schema=None) as batch_op:
        batch_op.drop_index("ix_deal_team_nurture")
