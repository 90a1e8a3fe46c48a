"""Installation tokens encrypted at rest: the token columns hold Fernet tokens, longer than the
VARCHAR(200) slack_sdk declares (a 150-character rotating token seals to about 290 characters).

The tokens themselves are encrypted by `salesbot serve` at start (bot/installations.reseal), which
has the keys; a migration run without them (`salesbot migrate` on another host) then changes no row.

Revision ID: 0014
Revises: 0009
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0011"
branch_labels = None
depends_on = None

# Frozen copies, not imported: a migration must not change when the models do.
TOKENS = {
    "slack_installations": ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token"),
    "slack_bots": ("bot_token", "bot_refresh_token"),
}


def upgrade() -> None:
    for table, columns in TOKENS.items():
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.alter_column(column, type_=sa.Text(), existing_type=sa.String(length=200))


def downgrade() -> None:
    for table, columns in TOKENS.items():
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.alter_column(column, type_=sa.String(length=200), existing_type=sa.Text())
