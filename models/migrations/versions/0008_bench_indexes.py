"""A rep's deals newest first: ix_deal_team_owner gains last_activity_at.

Found by benchmarks/pipeline_bench.py --plans at 100,000 deals: `/deal list mine` and the Home tab
walked the whole team's deals by activity (ix_deal_team_activity), skipping other reps', or read
all of a rep's deals and sorted them. (team_id, owner_id, last_activity_at) gives them a rep's
deals in the order they show them, and still serves all that (team_id, owner_id) did.

Tried and left out: a covering index for /pipeline's sums (team_id, stage_id, currency,
amount_cents, owner_id) made them 6x faster, but SQLite's planner (no ANALYZE) then read the
digest's and the stalled list's deals through it too, in an order that made those 25-70 % slower;
last_activity_at on ix_deal_team_stage did the same to the digest.

Revision ID: 0008
Revises: 0005
Create Date: 2026-11-24
"""

from alembic import op


revision = '0008'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('deal', schema=None) as batch_op:
        batch_op.drop_index('ix_deal_team_owner')
        batch_op.create_index('ix_deal_team_owner', ['team_id', 'owner_id', 'last_activity_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('deal', schema=None) as batch_op:
        batch_op.drop_index('ix_deal_team_owner')
        batch_op.create_index('ix_deal_team_owner', ['team_id', 'owner_id'], unique=False)
