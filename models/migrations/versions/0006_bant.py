"""BANT qualifications and their answers.

Revision ID: 0006
Revises: 0003
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op


revision = '0006'
down_revision = '0005'  # the lead re-chains it after the other branches' 0004 and 0005
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('qualification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=True),
    sa.Column('deal_number', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('asking', sa.String(length=10), nullable=True),
    sa.Column('follow_up', sa.String(length=40), nullable=True),
    sa.Column('channel_id', sa.String(length=32), nullable=True),
    sa.Column('question_ts', sa.String(length=32), nullable=True),
    sa.Column('turn', sa.Integer(), nullable=False),
    sa.Column('started_by', sa.String(length=32), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['deal_id'], ['deal.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('team_id', 'deal_id', name='uq_qualification_team_deal')
    )
    # Partial: only one *active* qualification per rep.
    op.create_index('uq_qualification_active_owner', 'qualification', ['team_id', 'owner_id'], unique=True,
                    sqlite_where=sa.text("status = 'active'"), postgresql_where=sa.text("status = 'active'"))
    op.create_table('qualification_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('qualification_id', sa.Integer(), nullable=False),
    sa.Column('question', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('min_cents', sa.BigInteger(), nullable=True),
    sa.Column('max_cents', sa.BigInteger(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('on_date', sa.Date(), nullable=True),
    sa.Column('who', sa.String(length=200), nullable=True),
    sa.Column('evidence', sa.String(length=2000), nullable=False),
    sa.Column('answered_by', sa.String(length=32), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['qualification_id'], ['qualification.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('qualification_id', 'question', name='uq_qualification_answer_question')
    )
    op.create_index('ix_qualification_answer_team', 'qualification_answer', ['team_id', 'question', 'status'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_qualification_answer_team', table_name='qualification_answer')
    op.drop_table('qualification_answer')
    op.drop_index('uq_qualification_active_owner', table_name='qualification')
    op.drop_table('qualification')
