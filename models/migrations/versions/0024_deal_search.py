"""/deal find: each deal's name, company, notes and logged notes folded for search (domain/search.py).

The columns are filled here for the deals there are, with models.tables.search_columns, the
function every later write uses; a change to the folding later needs a migration that refolds.
On PostgreSQL the index is a trigram GIN index (pg_trgm, a trusted extension since PostgreSQL 13,
so the app's own role can create it): it answers LIKE '%word%'. Where the extension cannot be
created, search still works, by reading the team's deals, and the migration says so in the log.

Revision ID: 0024
Revises: 0019
Create Date: 2026-12-03
"""

import logging

import sqlalchemy as sa
from alembic import op

from domain.search import logged
from models.tables import search_columns

revision = "0024"
down_revision = "0019"
branch_labels = None
depends_on = None

log = logging.getLogger(__name__)
BATCH = 2000


def upgrade() -> None:
    with op.batch_alter_table("deal", schema=None) as batch_op:
        for name in ("search_name", "search_company", "search_text", "search_log"):
            batch_op.add_column(sa.Column(name, sa.Text(), nullable=False, server_default=""))
    bind = op.get_bind()
    _backfill(bind)
    _backfill_logs(bind)
    indexes = {"ix_deal_search_text": "search_text", "ix_deal_search_log": "search_log"}
    if bind.dialect.name == "postgresql":
        if _trigrams(bind):
            for name, column in indexes.items():
                op.create_index(
                    name, "deal", [column], postgresql_using="gin", postgresql_ops={column: "gin_trgm_ops"}
                )
    else:
        for name, column in indexes.items():
            op.create_index(name, "deal", [column], sqlite_where=sa.text("0 = 1"))


def _trigrams(bind) -> bool:
    """Whether pg_trgm is (or could be made) available; a savepoint keeps a refusal from aborting
    the migration's transaction."""
    savepoint = bind.begin_nested()
    try:
        bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError as exc:
        savepoint.rollback()
        log.warning("pg_trgm is not available (%s): /deal find reads the team's deals without an index", exc)
        return False
    savepoint.commit()
    return True


def _backfill(bind) -> None:
    deal = sa.table(
        "deal",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("company", sa.String),
        sa.column("notes", sa.String),
        sa.column("search_name", sa.Text),
        sa.column("search_company", sa.Text),
        sa.column("search_text", sa.Text),
    )
    update = (
        deal.update()
        .where(deal.c.id == sa.bindparam("deal_id"))
        .values(
            search_name=sa.bindparam("v_name"),
            search_company=sa.bindparam("v_company"),
            search_text=sa.bindparam("v_text"),
        )
    )
    last = 0
    while True:  # in batches by id, so a big team's deals never sit in memory at once
        rows = bind.execute(
            sa.select(deal.c.id, deal.c.name, deal.c.company, deal.c.notes)
            .where(deal.c.id > last)
            .order_by(deal.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        params = []
        for row in rows:
            folded = search_columns(row.name, row.company, row.notes)
            params.append(
                {
                    "deal_id": row.id,
                    "v_name": folded["search_name"],
                    "v_company": folded["search_company"],
                    "v_text": folded["search_text"],
                }
            )
        bind.execute(update, params)
        last = rows[-1].id


def _backfill_logs(bind) -> None:
    """Each deal's logged notes, oldest first, through domain.search.logged as /deal note adds them."""
    note = sa.table(
        "deal_note",
        sa.column("id", sa.Integer),
        sa.column("deal_id", sa.Integer),
        sa.column("text", sa.String),
        sa.column("at", sa.DateTime),
    )
    deal = sa.table("deal", sa.column("id", sa.Integer), sa.column("search_log", sa.Text))
    update = deal.update().where(deal.c.id == sa.bindparam("deal_id"))
    update = update.values(search_log=sa.bindparam("v_log"))
    pending: list[dict] = []
    current, log = None, ""
    rows = bind.execute(sa.select(note.c.deal_id, note.c.text).order_by(note.c.deal_id, note.c.at, note.c.id))
    for row in [*rows, None]:  # one deal's notes at a time; None ends the last deal
        if row is None or row.deal_id != current:
            if current is not None:
                pending.append({"deal_id": current, "v_log": log})
            if pending and (row is None or len(pending) >= BATCH):
                bind.execute(update, pending)
                pending = []
            if row is None:
                return
            current, log = row.deal_id, ""
        log = logged(log, row.text)


def downgrade() -> None:
    op.drop_index("ix_deal_search_log", table_name="deal", if_exists=True)
    op.drop_index("ix_deal_search_text", table_name="deal", if_exists=True)  # absent without pg_trgm
    with op.batch_alter_table("deal", schema=None) as batch_op:
        batch_op.drop_column("search_log")
        batch_op.drop_column("search_text")
        batch_op.drop_column("search_company")
        batch_op.drop_column("search_name")
