"""A team's choice of formal address (German "Sie", Dutch "u") beside its language.

Revision ID: 0012
Revises: 0009
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing teams keep the informal "du"/"je" they have had (the server default fills the rows).
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.add_column(sa.Column("formal", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.drop_column("formal")
