"""A deal's id in the system it was imported from, so that importing the same file again updates it.

Unique per team where set (NULL for deals made in Slack, and NULLs never collide).

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("deal", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_id", sa.String(length=100), nullable=True))
        batch_op.create_index("uq_deal_team_source", ["team_id", "source_id"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("deal", schema=None) as batch_op:
        batch_op.drop_index("uq_deal_team_source")
        batch_op.drop_column("source_id")
