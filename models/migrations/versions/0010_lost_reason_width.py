"""deal.lost_reason 300 -> 500 characters: a lost reason and the rep's 300 characters fit.

The Lost form joins the team's reason (up to 100 characters) and the rep's own words (up to 300)
with " — ": "Price" and 300 characters made 308, which PostgreSQL refused (SQLite does not check
lengths, which is why no test saw it). The longest such reason is 403 characters.

Revision ID: 0010
Revises: 0012
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0015"  # re-chained onto main's head: 0011 -> 0014 -> 0012 -> 0015 landed first
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("deal", schema=None) as batch_op:
        batch_op.alter_column(
            "lost_reason",
            existing_type=sa.String(length=300),
            type_=sa.String(length=500),
            existing_nullable=True,
        )


def downgrade() -> None:
    # Longer reasons are cut to fit the narrower column first, or PostgreSQL refuses the change.
    op.execute("UPDATE deal SET lost_reason = substr(lost_reason, 1, 300) WHERE length(lost_reason) > 300")
    with op.batch_alter_table("deal", schema=None) as batch_op:
        batch_op.alter_column(
            "lost_reason",
            existing_type=sa.String(length=500),
            type_=sa.String(length=300),
            existing_nullable=True,
        )
