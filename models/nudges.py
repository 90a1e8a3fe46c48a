"""Queries for nudges: stalled deals, their nudge state, and the locks that keep two sweeps apart.

Each function runs inside the caller's session; the caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import sqlalchemy
from sqlalchemy import bindparam, type_coerce, update
from sqlalchemy.types import NullType
from sqlmodel import Session, col, select

from bot.i18n import N_
from domain.errors import UserError
from domain.nudges import HAS_STATE, ID
from domain.stages import stage_name
from models.deal_lists import stalled_condition
from models.tables import Deal, DealNudge, Stage, Team, not_archived, saved_id


def teams(session: Session, team_id: str | None = None) -> list[Team]:
    query = select(Team).order_by(col(Team.id))
    if team_id:
        query = query.where(Team.id == team_id)
    return list(session.exec(query))


def lock_team(session: Session, team_id: str) -> Team | None:
    """The team row, locked for this sweep; None when another sweep holds it (PostgreSQL).

    One sweeper per team at a time means one DM per owner per sweep, never the owner's deals split
    over two half-sweeps. SQLite serialises writers anyway (BEGIN IMMEDIATE) and ignores the clause."""
    query = select(Team).where(Team.id == team_id).with_for_update(skip_locked=True)
    return session.exec(query).first()


# What a sweep decides on, for every stalled deal: domain.nudges' row (ID, NUMBER, ... NUDGES). The
# times are read as the driver gives them (NullType: no result processing) and made aware once.
DUE_COLUMNS: tuple = (
    col(Deal.id),
    col(Deal.number),
    col(Deal.stage_id),
    col(Deal.owner_id),
    type_coerce(col(Deal.last_activity_at), NullType()),
    col(DealNudge.deal_id).label("nudge_row"),
    type_coerce(col(DealNudge.nudged_at), NullType()),
    type_coerce(col(DealNudge.escalated_at), NullType()),
    type_coerce(col(DealNudge.snoozed_until), NullType()),
    col(DealNudge.nudges),
)
# What a message shows of a deal: read only for the few deals its lines list (shown_deals).
SHOWN_COLUMNS = (
    col(Deal.id),
    col(Deal.team_id),
    col(Deal.number),
    col(Deal.name),
    col(Deal.company),
    col(Deal.amount_cents),
    col(Deal.currency),
    col(Deal.stage_id),
    col(Deal.owner_id),
    col(Deal.next_step),  # a nudge says when the step is missing or overdue
    col(Deal.next_step_due),
)
SHOWN_CHUNK = 900  # ids per IN list: under the 999 variables an old SQLite allows


def stalled_deals(session: Session, team_id: str, now: datetime, lock: bool = False) -> list:
    """Open deals idle past their stage's threshold with their nudge state, as DUE_COLUMNS, in no
    order. With `lock`, each deal is locked and one a rep is changing right now is skipped: the next
    sweep takes it, with what the rep did; its nudge state is read after the lock, so a snooze
    committed a moment ago is seen.

    Plain tuples read on the session's connection, not ORM objects, and only what deciding reads:
    the names and amounts of the 41,681 of the benchmark's first sweep, and SQLite sorting them,
    were two thirds of reading them (a message lists a hundred: shown_deals; the sweep sorts). Its
    times are made aware UTC here, as UTCDateTime would: through SQLAlchemy's result processing,
    four times a row (nulls too), they took 0.15 s of the 0.25 s the read took on SQLite."""
    query = (
        # sqlalchemy's select: SQLModel's types a select of at most four columns
        sqlalchemy.select(*DUE_COLUMNS)
        .outerjoin(DealNudge, col(DealNudge.deal_id) == col(Deal.id))
        .where(col(Deal.team_id) == team_id, not_archived(), stalled_condition(session, team_id, now))
    )
    if lock:
        query = query.with_for_update(skip_locked=True, of=Deal)
    conn = session.connection()
    utc = _from_text if conn.dialect.name == "sqlite" else _in_utc
    # No column here has a result processor (the times are NullType), so the driver's rows are
    # SQLAlchemy's: taken from its cursor at once, not made into Rows one fetch at a time.
    result = conn.execute(query)
    rows = result.cursor.fetchall()
    result.close()
    return [
        (i, n, stage, owner, utc(at), row, nudged and utc(nudged), esc and utc(esc), snz and utc(snz), k)
        for i, n, stage, owner, at, row, nudged, esc, snz, k in rows
    ]


def _from_text(value: str) -> datetime:
    """SQLite's stored 'YYYY-MM-DD HH:MM:SS.ffffff' (UTC, naive) as an aware datetime."""
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def _in_utc(value: datetime) -> datetime:
    """psycopg's aware datetime (in the session's time zone) in UTC, as UTCDateTime reads it."""
    return value.astimezone(UTC)


def shown_deals(session: Session, team_id: str, ids: Iterable[int]) -> dict:
    """The deals a sweep's messages list (SHOWN_COLUMNS), by id, of the team's: read after
    stalled_deals in its transaction, so a locked deal reads as it was decided on. Found by id
    alone: given the team too, SQLite's planner walked all the team's deals by its index on
    team_id (0.2 s at 100,000) for the 6,000 it wanted. The team is checked on each row instead."""
    wanted = sorted(ids)
    found: dict[int, Any] = {}
    conn = session.connection()
    for at in range(0, len(wanted), SHOWN_CHUNK):
        query = sqlalchemy.select(*SHOWN_COLUMNS).where(col(Deal.id).in_(wanted[at : at + SHOWN_CHUNK]))
        found.update((row.id, row) for row in conn.execute(query) if row.team_id == team_id)
    return found


@contextmanager
def states_saved(
    session: Session,
    team_id: str,
    deals: list,
    nudged_at: dict[int, datetime],
    escalated_at: dict[int, datetime],
    nudges: dict[int, int],
) -> Iterator[None]:
    """Record a sweep's decisions for many deals (rows from stalled_deals, locked) in a few statements:
    updates for deals with a deal_nudge row, one insert for the rest. `nudges`: the nudged deals'
    new counts of nudges without progress. Below the ORM: its bulk insert of the first sweep's
    41,681 rows took longer than the sweep's decisions.

    The insert is under way while the block runs, and done when it ends; the block must not use the
    session. On PostgreSQL a thread streams the rows (COPY) and the server checks each one's two
    foreign keys meanwhile, about 0.5 s for the 41,681: the sweep renders its messages in that time."""
    table = DealNudge.__table__  # type: ignore[attr-defined]
    conn = session.connection()
    has_row = {d[ID] for d in deals if d[HAS_STATE] is not None}
    nudged = [
        {"id": deal_id, "at": when, "n": nudges.get(deal_id, 0)}
        for deal_id, when in nudged_at.items()
        if deal_id in has_row
    ]
    if nudged:
        conn.execute(
            update(table)
            .where(table.c.deal_id == bindparam("id"))
            .values(nudged_at=bindparam("at"), nudges=bindparam("n")),
            nudged,
        )
    escalated = [{"id": deal_id, "at": when} for deal_id, when in escalated_at.items() if deal_id in has_row]
    if escalated:
        conn.execute(
            update(table).where(table.c.deal_id == bindparam("id")).values(escalated_at=bindparam("at")),
            escalated,
        )
    new = sorted((nudged_at.keys() | escalated_at.keys()) - has_row)
    rows = [
        (deal_id, team_id, nudged_at.get(deal_id), escalated_at.get(deal_id), nudges.get(deal_id, 0))
        for deal_id in new
    ]
    if rows and conn.dialect.name == "postgresql":
        with _copied(session, rows):
            yield
        return
    _insert_new(session, rows)
    yield


NEW_ROW = ("deal_id", "team_id", "nudged_at", "escalated_at", "nudges")
NEW_TYPES = ("int4", "varchar", "timestamptz", "timestamptz", "int4")  # their PostgreSQL types


@contextmanager
def _copied(session: Session, rows: list[tuple]) -> Iterator[None]:
    """COPY the rows (NEW_ROW's columns) in the session's transaction while the block runs: psycopg's
    QueuedLibpqWriter sends them from a thread, so the server takes them in while the sweep renders;
    the block's end waits for the COPY, and raises its error. The server checks the rows' foreign
    keys only then, as the COPY ends (0.5 s of its 0.75 s for the benchmark's 41,681 rows). Binary:
    parsing the times as text was most of the rest, and formatting them a third of the sweep's."""
    from psycopg.copy import QueuedLibpqWriter  # here: a SQLite deployment never loads psycopg

    raw = session.connection().connection.driver_connection
    assert raw is not None
    statement = f"COPY deal_nudge ({', '.join(NEW_ROW)}) FROM STDIN (FORMAT BINARY)"
    with raw.cursor() as cursor, cursor.copy(statement, writer=QueuedLibpqWriter(cursor)) as copy:
        copy.set_types(NEW_TYPES)
        for row in rows:
            copy.write_row(row)
        yield


def _insert_new(session: Session, rows: list[tuple]) -> None:
    """Insert deal_nudge rows (NEW_ROW's columns) on SQLite with the driver's executemany, each
    distinct time formatted once by SQLAlchemy's own processor (an owner's deals share one), which
    took 0.1 s for 41,681 rows against 0.5 s through insert() (the benchmark in benchmarks/README.md,
    "The first sweep at scale")."""
    if not rows:
        return
    conn = session.connection()
    column = DealNudge.__table__.c.nudged_at  # type: ignore[attr-defined]
    process = column.type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
    shown: dict[datetime, str] = {}

    def stored(moment: datetime | None):
        if moment is None or process is None:
            return moment
        if moment not in shown:
            shown[moment] = process(moment)
        return shown[moment]

    conn.exec_driver_sql(
        f"INSERT INTO deal_nudge ({', '.join(NEW_ROW)}) VALUES (?, ?, ?, ?, ?)",
        [(deal_id, team, stored(at), stored(escalated), n) for deal_id, team, at, escalated, n in rows],
    )


def nudge_row(session: Session, deal: Deal) -> DealNudge:
    """The deal's nudge row, made if missing. The caller holds the deal's lock, so no one else makes it."""
    row = session.get(DealNudge, deal.id)
    if row is None:
        row = DealNudge(deal_id=saved_id(deal), team_id=deal.team_id)
        session.add(row)
    return row


def check_fresh(session: Session, deal: Deal, shown_stage_id: int | None, user_id: str) -> None:
    """A nudge's button acts only on the deal the nudge showed: same stage, same owner."""
    if shown_stage_id is not None and deal.stage_id != shown_stage_id:
        stage = session.get(Stage, deal.stage_id)
        assert stage is not None  # deal.stage_id is a foreign key, and stages are never deleted
        raise UserError(
            N_("Deal #{number} changed meanwhile: it is now in {stage}. I changed nothing."),
            number=deal.number,
            stage=stage_name(stage.key, stage.name),
            stale=True,
        )
    if deal.owner_id != user_id:
        raise UserError(
            N_("Deal #{number} changed meanwhile: it now belongs to {owner}. I changed nothing."),
            number=deal.number,
            owner=f"<@{deal.owner_id}>",
            stale=True,
        )
