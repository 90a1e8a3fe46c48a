"""Indexes for the weekly digest: stage changes by target stage, and covering per-deal history.

ix_stage_change_team_to_at serves "changes into these stages in a window" (won/lost closes,
entries into open stages) from the index alone. ix_stage_change_deal gains to_stage_id and id
(PostgreSQL does not keep the key in an index; SQLite's rowid is free), so "did this deal later
reach a stage beyond" is answered from the index without reading rows; it still serves
everything the (deal_id, at) index did.

Revision ID: 0005
Revises: 0003 (re-chained after 0004 by the lead)
Create Date: 2026-11-24
"""

from alembic import op


revision = '0005'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('stage_change', schema=None) as batch_op:
        batch_op.create_index('ix_stage_change_team_to_at', ['team_id', 'to_stage_id', 'at', 'deal_id'], unique=False)
        batch_op.drop_index('ix_stage_change_deal')
        batch_op.create_index('ix_stage_change_deal', ['deal_id', 'at', 'to_stage_id', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('stage_change', schema=None) as batch_op:
        batch_op.drop_index('ix_stage_change_deal')
        batch_op.create_index('ix_stage_change_deal', ['deal_id', 'at'], unique=False)
        batch_op.drop_index('ix_stage_change_team_to_at')
