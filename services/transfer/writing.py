"""Writing imported deals in bulk, inside the import's one transaction (services/transfer/importing.py):
reading back an earlier import's deals by source id, updating those the file changed, and inserting
new deals with their stage history, by COPY on PostgreSQL."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BindParameter, Row, bindparam, insert, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from domain.importing.rows import ImportedDeal
from models.tables import Deal, StageChange, Team, search_columns

FIELDS = (
    "name",
    "company",
    "amount_cents",
    "currency",
    "stage_id",
    "owner_id",
    "close_date",
    "notes",
    "lost_reason",
    "created_at",
    "closed_at",
)
DEALS = Deal.__table__  # type: ignore[attr-defined]


def existing_rows(s: Session, team_id: str, source_ids: list[str]) -> dict[str, Row]:
    """The team's deals with these source ids, as plain rows (loading a thousand ORM objects costs
    more than the whole rest of a batch)."""
    if not source_ids:
        return {}
    columns = [DEALS.c[name] for name in ("id", "source_id", "version", "last_activity_at", *FIELDS)]
    # The ids as literals: psycopg prepares a statement it runs often, and PostgreSQL's generic plan
    # for a thousand-parameter IN list compares every row with every id (0.6 s a batch, not 5 ms).
    wanted: BindParameter[list[str]] = bindparam("ids", expanding=True, literal_execute=True)
    query = sa_select(*columns).where(DEALS.c.team_id == team_id, DEALS.c.source_id.in_(wanted))
    return {row.source_id: row for row in s.execute(query, {"ids": source_ids})}


def _values(deal: ImportedDeal, currency: str) -> dict:
    values = {name: getattr(deal, name) for name in FIELDS}
    values["currency"] = deal.currency or currency
    return values


def differs(row: Row, deal: ImportedDeal) -> bool:
    wanted = _values(deal, row.currency)
    return any(getattr(row, name) != value for name, value in wanted.items())


def update_deals(s: Session, team_id: str, changed: list[tuple[Row, ImportedDeal]], now: datetime) -> None:
    """Bring an earlier import's deals up to date with the file (one executemany); a new stage is a
    stage change at the time the file gives (its close), else now."""
    names = [*FIELDS, *search_columns(None, None, None), "updated_at", "last_activity_at", "version"]
    statement = (
        update(DEALS)
        .where(DEALS.c.id == bindparam("deal_id"))
        .values({n: bindparam("v_" + n) for n in names})
    )
    params = []
    moves = []
    for row, deal in changed:
        values = {
            **_values(deal, row.currency),
            **search_columns(deal.name, deal.company, deal.notes),  # a bulk write: the ORM's events miss it
            "updated_at": now,
            "last_activity_at": max(row.last_activity_at, deal.last_activity_at),
            "version": row.version + 1,
        }
        params.append({"deal_id": row.id, **{"v_" + n: values[n] for n in names}})
        if row.stage_id != deal.stage_id:
            moves.append(
                {
                    "team_id": team_id,
                    "deal_id": row.id,
                    "from_stage_id": row.stage_id,
                    "to_stage_id": deal.stage_id,
                    "user_id": "import",
                    "at": deal.closed_at or now,
                }
            )
    s.execute(statement, params)
    _bulk(s, StageChange.__table__, moves)  # type: ignore[attr-defined]


def insert_deals(s: Session, team_id: str, deals: list[ImportedDeal], now: datetime) -> list[int]:
    """Bulk-insert new deals and their history; returns their numbers. The numbers are reserved in
    one bump of the team's counter (its row lock serialises this with deals made in Slack)."""
    s.flush()
    bumped, currency = s.exec(
        update(Team)
        .where(col(Team.id) == team_id)
        .values(next_deal_number=col(Team.next_deal_number) + len(deals))
        .returning(col(Team.next_deal_number), col(Team.currency))
    ).one()
    first = bumped - len(deals)
    rows = [
        {
            "team_id": team_id,
            "number": first + i,
            "source_id": d.source_id,
            "created_by": "import",
            "updated_at": now,
            "last_activity_at": d.last_activity_at,
            "version": 1,
            **_values(d, currency),
            **search_columns(d.name, d.company, d.notes),  # a bulk insert (COPY): the ORM's events miss it
        }
        for i, d in enumerate(deals)
    ]
    _bulk(s, Deal.__table__, rows)  # type: ignore[attr-defined]
    # The numbers are the team's and unique: they say which id each new deal got.
    ids = dict(
        s.execute(
            select(col(Deal.number), col(Deal.id)).where(
                col(Deal.team_id) == team_id, col(Deal.number).between(first, first + len(deals) - 1)
            )
        ).all()
    )
    changes = [
        {
            "team_id": team_id,
            "deal_id": ids[row["number"]],
            "from_stage_id": a,
            "to_stage_id": b,
            "user_id": "import",
            "at": at,
        }
        for row, d in zip(rows, deals, strict=True)
        for a, b, at in d.history()
    ]
    _bulk(s, StageChange.__table__, changes)  # type: ignore[attr-defined]
    return [r["number"] for r in rows]


def _bulk(s: Session, table, rows: list[dict]) -> None:
    """Insert rows in the session's transaction: COPY on PostgreSQL (several times faster than
    multi-row INSERTs for a thousand rows), executemany on SQLite."""
    if not rows:
        return
    connection = s.connection()
    if connection.dialect.name != "postgresql":
        s.execute(insert(table), rows)
        return
    names = list(rows[0])
    raw = connection.connection.driver_connection
    assert raw is not None
    with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[n] for n in names])
