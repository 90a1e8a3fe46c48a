"""A deal's next step: what the rep does next and by when.

Revision ID: 0015
Revises: 0012
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("deal", schema=None) as batch_op:
        batch_op.add_column(sa.Column("next_step", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("next_step_due", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("deal", schema=None) as batch_op:
        batch_op.drop_column("next_step_due")
        batch_op.drop_column("next_step")
