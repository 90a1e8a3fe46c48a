"""Repair: create what an older revision chain skipped.

Revisions 0004-0008 were written on parallel branches and re-chained when they merged, after some
had shipped: a database migrated at 5cf3d2d (0003 -> 0007) was then "up to date" at 0008 without
deal_nudge; one at f7679c7 (0003 -> 0005) lacked the installation tables and deal_nudge too; one at
594aa71 or b9aa2f0 (0003 -> 0006) lacked 0004, 0005 and 0007; one at 0ea9787 (0005 -> 0008) lacked
the qualification tables; one at 594aa71 lacked qualification.turn. Alembic cannot see any of this,
since the version number says the revisions ran. So this revision looks at what exists and creates
what 0004-0008 would have, each piece only if it is missing: on a complete database it does nothing.

The definitions below are copies of those in 0004-0008, frozen here on purpose: a migration must
not change when the models do.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def deal_nudge() -> None:  # 0004
    op.create_table(
        "deal_nudge",
        sa.Column("deal_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("nudged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("snoozed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("snoozed_by", sa.String(length=32), nullable=True),
        sa.Column("snooze_reason", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(["deal_id"], ["deal.id"]),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"]),
        sa.PrimaryKeyConstraint("deal_id"),
    )


def qualification() -> None:  # 0006, with the turn counter b9aa2f0 added
    op.create_table(
        "qualification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("deal_id", sa.Integer(), nullable=True),
        sa.Column("deal_number", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("asking", sa.String(length=10), nullable=True),
        sa.Column("follow_up", sa.String(length=40), nullable=True),
        sa.Column("channel_id", sa.String(length=32), nullable=True),
        sa.Column("question_ts", sa.String(length=32), nullable=True),
        sa.Column("turn", sa.Integer(), nullable=False),
        sa.Column("started_by", sa.String(length=32), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["deal_id"], ["deal.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "deal_id", name="uq_qualification_team_deal"),
    )


def qualification_answer() -> None:  # 0006
    op.create_table(
        "qualification_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("qualification_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("min_cents", sa.BigInteger(), nullable=True),
        sa.Column("max_cents", sa.BigInteger(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("on_date", sa.Date(), nullable=True),
        sa.Column("who", sa.String(length=200), nullable=True),
        sa.Column("evidence", sa.String(length=2000), nullable=False),
        sa.Column("answered_by", sa.String(length=32), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["qualification_id"], ["qualification.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("qualification_id", "question", name="uq_qualification_answer_question"),
    )


def _installation_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("client_id", sa.String(length=32), nullable=False),
        sa.Column("app_id", sa.String(length=32), nullable=False),
        sa.Column("enterprise_id", sa.String(length=32), nullable=True),
        sa.Column("enterprise_name", sa.String(length=200), nullable=True),
    ]


def slack_bots() -> None:  # 0007
    op.create_table(
        "slack_bots",
        *_installation_columns(),
        sa.Column("team_id", sa.String(length=32), nullable=True),
        sa.Column("team_name", sa.String(length=200), nullable=True),
        sa.Column("bot_token", sa.String(length=200), nullable=True),
        sa.Column("bot_id", sa.String(length=32), nullable=True),
        sa.Column("bot_user_id", sa.String(length=32), nullable=True),
        sa.Column("bot_scopes", sa.String(length=1000), nullable=True),
        sa.Column("bot_refresh_token", sa.String(length=200), nullable=True),
        sa.Column("bot_token_expires_at", sa.DateTime(), nullable=True),
        sa.Column("is_enterprise_install", sa.Boolean(), nullable=False),
        sa.Column("installed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def slack_installations() -> None:  # 0007
    op.create_table(
        "slack_installations",
        *_installation_columns(),
        sa.Column("enterprise_url", sa.String(length=200), nullable=True),
        sa.Column("team_id", sa.String(length=32), nullable=True),
        sa.Column("team_name", sa.String(length=200), nullable=True),
        sa.Column("bot_token", sa.String(length=200), nullable=True),
        sa.Column("bot_id", sa.String(length=32), nullable=True),
        sa.Column("bot_user_id", sa.String(length=32), nullable=True),
        sa.Column("bot_scopes", sa.String(length=1000), nullable=True),
        sa.Column("bot_refresh_token", sa.String(length=200), nullable=True),
        sa.Column("bot_token_expires_at", sa.DateTime(), nullable=True),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("user_token", sa.String(length=200), nullable=True),
        sa.Column("user_scopes", sa.String(length=1000), nullable=True),
        sa.Column("user_refresh_token", sa.String(length=200), nullable=True),
        sa.Column("user_token_expires_at", sa.DateTime(), nullable=True),
        sa.Column("incoming_webhook_url", sa.String(length=200), nullable=True),
        sa.Column("incoming_webhook_channel", sa.String(length=200), nullable=True),
        sa.Column("incoming_webhook_channel_id", sa.String(length=200), nullable=True),
        sa.Column("incoming_webhook_configuration_url", sa.String(length=200), nullable=True),
        sa.Column("is_enterprise_install", sa.Boolean(), nullable=False),
        sa.Column("token_type", sa.String(length=32), nullable=True),
        sa.Column("installed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def slack_oauth_states() -> None:  # 0007
    op.create_table(
        "slack_oauth_states",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("state", sa.String(length=200), nullable=False),
        sa.Column("expire_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


# In dependency order: qualification_answer refers to qualification.
TABLES = {
    "deal_nudge": deal_nudge,
    "qualification": qualification,
    "qualification_answer": qualification_answer,
    "slack_bots": slack_bots,
    "slack_installations": slack_installations,
    "slack_oauth_states": slack_oauth_states,
}

# name: (table, columns, keyword arguments of create_index), as head has them.
INDEXES: dict[str, tuple[str, list[str], dict]] = {
    "ix_stage_change_team_to_at": ("stage_change", ["team_id", "to_stage_id", "at", "deal_id"], {}),  # 0005
    "ix_stage_change_deal": ("stage_change", ["deal_id", "at", "to_stage_id", "id"], {}),  # 0005
    "uq_qualification_active_owner": (  # 0006: only one *active* qualification per rep
        "qualification",
        ["team_id", "owner_id"],
        {
            "unique": True,
            "sqlite_where": sa.text("status = 'active'"),
            "postgresql_where": sa.text("status = 'active'"),
        },
    ),
    "ix_qualification_answer_team": ("qualification_answer", ["team_id", "question", "status"], {}),  # 0006
    "slack_bots_idx": ("slack_bots", ["client_id", "enterprise_id", "team_id", "installed_at"], {}),  # 0007
    "slack_installations_idx": (  # 0007
        "slack_installations",
        ["client_id", "enterprise_id", "team_id", "user_id", "installed_at"],
        {},
    ),
    "ix_deal_team_owner": ("deal", ["team_id", "owner_id", "last_activity_at"], {}),  # 0008
}


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    present = set(inspector.get_table_names())
    for name, create in TABLES.items():
        if name not in present:
            create()
    if "turn" not in {c["name"] for c in inspector.get_columns("qualification")}:
        # 594aa71 shipped 0006 without it. Existing conversations start counting from 0, as new
        # ones do; the server default only fills those rows.
        op.add_column(
            "qualification", sa.Column("turn", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )
    inspector = sa.inspect(op.get_bind())  # it caches: look again, now that tables were added
    for name, (table, columns, options) in INDEXES.items():
        existing = {ix["name"]: ix["column_names"] for ix in inspector.get_indexes(table)}
        if existing.get(name) == columns:
            continue
        if name in existing:  # an older shape of it (0005 and 0008 widened two)
            op.drop_index(name, table_name=table)
        op.create_index(name, table, columns, **options)


def downgrade() -> None:
    # Nothing of its own: what it may have created belongs to 0004-0008, whose downgrades drop it.
    pass
