"""Nurture and archive: a lost deal's reminder day and its state; when a deal was archived, by whom.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("deal", schema=None) as batch_op:
        batch_op.add_column(sa.Column("nurture_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("nurture_state", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("nurture_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("archived_by", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("deal", schema=None) as batch_op:
        batch_op.drop_column("archived_by")
        batch_op.drop_column("archived_at")
        batch_op.drop_column("nurture_at")
        batch_op.drop_column("nurture_state")
        batch_op.drop_column("nurture_on")
