"""Queries for nudges: stalled deals, their nudge state, and the locks that keep two sweeps apart.

Each function runs inside the caller's session; the caller owns the transaction.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy
from sqlalchemy import bindparam, update
from sqlmodel import Session, col, select

from bot.i18n import N_
from domain.errors import UserError
from domain.nudges import NudgeState
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


# What a sweep reads of a stalled deal: what its messages show, and its nudge state.
STALLED_COLUMNS = (
    col(Deal.id),
    col(Deal.team_id),
    col(Deal.number),
    col(Deal.name),
    col(Deal.company),
    col(Deal.amount_cents),
    col(Deal.currency),
    col(Deal.stage_id),
    col(Deal.owner_id),
    col(Deal.last_activity_at),
    col(Deal.next_step),  # a nudge says when the step is missing or overdue
    col(Deal.next_step_due),
)
# What deciding who is due reads (the sweep's first, unlocked look: services.nudge_sweep.lookups).
DUE_COLUMNS = (col(Deal.id), col(Deal.stage_id), col(Deal.owner_id), col(Deal.last_activity_at))
NUDGE_COLUMNS: tuple = (
    col(DealNudge.deal_id).label("nudge_row"),
    col(DealNudge.nudged_at),
    col(DealNudge.escalated_at),
    col(DealNudge.snoozed_until),
    col(DealNudge.nudges),
)


def stalled_deals(
    session: Session, team_id: str, now: datetime, lock: bool = False, full: bool = True
) -> list:
    """Open deals idle past their stage's threshold, with their nudge state (nudge_row: whether the
    deal has a deal_nudge row yet; nudged_at, escalated_at, snoozed_until, nudges). Read-only rows,
    not ORM objects: a big team has tens of thousands, and the sweep only reads them. With `lock`,
    each deal is locked and one a rep is changing right now is skipped: the next sweep takes it, with
    what the rep did; its nudge state is read after the lock, so a snooze committed a moment ago is
    seen. Without `full`, only what deciding who is due reads, unordered.

    Run on the session's connection, not through the ORM: the ORM's result processing of 40,000
    rows was a third of the first sweep of the benchmark's pipeline."""
    query = (
        # sqlalchemy's select: SQLModel's types a select of at most four columns
        sqlalchemy.select(*(STALLED_COLUMNS if full else DUE_COLUMNS), *NUDGE_COLUMNS)
        .outerjoin(DealNudge, col(DealNudge.deal_id) == col(Deal.id))
        .where(col(Deal.team_id) == team_id, not_archived(), stalled_condition(session, team_id, now))
    )
    if full:
        query = query.order_by(col(Deal.owner_id), col(Deal.last_activity_at), col(Deal.number))
    if lock:
        query = query.with_for_update(skip_locked=True, of=Deal)
    return list(session.connection().execute(query).fetchall())


NEVER = NudgeState()  # shared: a big team's first sweep has tens of thousands of deals never nudged


def state_of(row) -> NudgeState:
    """The nudge state of a DealNudge, or of a row from stalled_deals; None: never nudged."""
    if row is None or getattr(row, "nudge_row", True) is None:
        return NEVER
    return NudgeState(nudged_at=row.nudged_at, escalated_at=row.escalated_at, snoozed_until=row.snoozed_until)


def save_states(
    session: Session,
    team_id: str,
    deals: list,
    nudged_at: dict[int, datetime],
    escalated_at: dict[int, datetime],
    nudges: dict[int, int] | None = None,
) -> None:
    """Record a sweep's decisions for many deals (rows from stalled_deals, locked) in a few statements:
    updates for deals with a deal_nudge row, one insert for the rest. `nudges`: the nudged deals'
    new counts of nudges without progress. Below the ORM: its bulk insert of the first sweep's
    41,681 rows took longer than the sweep's decisions."""
    nudges = nudges or {}
    table = DealNudge.__table__  # type: ignore[attr-defined]
    conn = session.connection()
    has_row = {d.id for d in deals if d.nudge_row is not None}
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
    _insert_new(
        session,
        [
            (deal_id, team_id, nudged_at.get(deal_id), escalated_at.get(deal_id), nudges.get(deal_id, 0))
            for deal_id in new
        ],
    )


NEW_ROW = ("deal_id", "team_id", "nudged_at", "escalated_at", "nudges")


def _insert_new(session: Session, rows: list[tuple]) -> None:
    """Insert deal_nudge rows (NEW_ROW's columns) in the session's transaction, below the ORM: COPY on
    PostgreSQL; on SQLite the driver's executemany, each distinct time formatted once by SQLAlchemy's
    own processor (an owner's deals share one), which took 0.1 s for 41,681 rows against 0.5 s
    through insert() (the benchmark in benchmarks/README.md, "The first sweep at scale")."""
    if not rows:
        return
    conn = session.connection()
    columns = ", ".join(NEW_ROW)
    if conn.dialect.name == "postgresql":
        raw = conn.connection.driver_connection
        assert raw is not None
        with raw.cursor() as cursor, cursor.copy(f"COPY deal_nudge ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
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
        f"INSERT INTO deal_nudge ({columns}) VALUES (?, ?, ?, ?, ?)",
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
