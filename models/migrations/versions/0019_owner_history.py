"""Owner history: each change of a deal's owner (who from, to whom, by whom, when).

Revision ID: 0019
Revises: 0023
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "owner_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("deal_id", sa.Integer(), nullable=False),
        sa.Column("from_user", sa.String(length=32), nullable=False),
        sa.Column("to_user", sa.String(length=32), nullable=False),
        sa.Column("by_user", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["deal_id"], ["deal.id"]),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_owner_change_deal", "owner_change", ["deal_id", "at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_owner_change_deal", table_name="owner_change")
    op.drop_table("owner_change")
