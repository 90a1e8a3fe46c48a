"""The outbox's rows: a message is enqueued under a unique key in the same transaction as the state
change that caused it, claimed by one worker at a time, and closed as sent or dead (the sending is
scheduler/outbox.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, update
from sqlmodel import Session, col, select

from bot.db import Database, conflict_insert
from models.delivery_tables import Outbox
from models.tables import saved_id

LEASE = timedelta(minutes=5)  # longer than a send with all its retries can take


@dataclass
class Claimed:
    """A claimed outbox row, detached from its session."""

    id: int
    team_id: str
    key: str
    kind: str
    channel: str
    payload: dict
    created_at: datetime
    worker: str
    recovering: bool  # tried before (a crashed claim, a lost answer): it may have been sent already


@dataclass
class Delivery:
    id: int
    status: str
    error: str | None = None


def enqueue(
    session: Session,
    team_id: str,
    key: str,
    kind: str,
    channel: str,
    message: dict,
    now: datetime,
    not_before: datetime | None = None,
    fallback: dict | None = None,
) -> bool:
    """Add a message ({"text", "blocks"}) unless its key is already there. False means it was (a repeat).

    fallback: {"channel", "text", "blocks"}, sent instead when the recipient is gone (a user who left,
    an archived or unknown channel)."""
    payload = dict(message, fallback=fallback) if fallback else dict(message)
    # One INSERT ... ON CONFLICT DO NOTHING: a repeat inserts nothing and returns no id, in the
    # caller's transaction, with no savepoint to set and release around each message.
    statement = (
        conflict_insert(session.get_bind())(Outbox)
        .values(
            team_id=team_id,
            key=key,
            kind=kind,
            channel=channel,
            payload=json.dumps(payload),
            not_before=not_before or now,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["team_id", "key"])
        .returning(col(Outbox.id))
    )
    return session.execute(statement).first() is not None


def claim(
    db: Database,
    worker: str,
    now: datetime,
    limit: int = 50,
    team_id: str | None = None,
    skip: set[int] | frozenset[int] = frozenset(),
    after: int = 0,
) -> list[Claimed]:
    """Take due messages for this worker: pending ones, and claims whose lease ran out (only rows
    with ids above `after`, and none in `skip`)."""
    with db.write() as s:
        due = or_(
            and_(col(Outbox.status) == "pending", col(Outbox.not_before) <= now),
            and_(col(Outbox.status) == "sending", col(Outbox.claimed_at) < now - LEASE),
        )
        query = select(Outbox).where(due)
        if team_id:
            query = query.where(Outbox.team_id == team_id)
        if skip:
            query = query.where(col(Outbox.id).not_in(skip))
        if after:
            query = query.where(col(Outbox.id) > after)
        rows = list(s.exec(query.order_by(col(Outbox.id)).limit(limit).with_for_update(skip_locked=True)))
        claimed = []
        for row in rows:
            claimed.append(
                Claimed(
                    saved_id(row),
                    row.team_id,
                    row.key,
                    row.kind,
                    row.channel,
                    json.loads(row.payload),
                    row.created_at,
                    worker,
                    recovering=row.status == "sending" or row.attempts > 0,
                )
            )
            row.status, row.claimed_at, row.claimed_by = "sending", now, worker
            row.attempts += 1
            s.add(row)
        return claimed


def finish(db: Database, row_id: int, worker: str, now: datetime, ts: str | None) -> Delivery:
    with db.write() as s:
        # Only the worker holding the claim may close it; a slower one that lost its lease may not.
        s.exec(
            update(Outbox)
            .where(
                col(Outbox.id) == row_id, col(Outbox.claimed_by) == worker, col(Outbox.status) == "sending"
            )
            .values(status="sent", sent_at=now, sent_ts=ts, last_error=None)
        )
    return Delivery(row_id, "sent")


def fail(db: Database, row_id: int, worker: str, error: str, permanent: bool) -> Delivery:
    status = "dead" if permanent else "pending"
    with db.write() as s:
        s.exec(
            update(Outbox)
            .where(
                col(Outbox.id) == row_id, col(Outbox.claimed_by) == worker, col(Outbox.status) == "sending"
            )
            .values(status=status, last_error=error[:200])
        )
    return Delivery(row_id, status, error)


# What a row ends as: sent, given up on, told inside another message, turned off, or overtaken.
FINISHED = ("sent", "dead", "folded", "muted", "stale")
EMPTY = "{}"


def empty_finished(db: Database, before: datetime, batch: int = 500) -> int:
    """Drop the message of every row finished and due before `before`, a batch per transaction; the
    row and its key stay, which is all that exactly-once needs (a repeat is refused by the key, never
    by the message). What goes is the text (deal names, notes) and a chart's PNG. Returns how many."""
    emptied = 0
    while True:
        with db.write() as s:
            ids = select(col(Outbox.id)).where(
                col(Outbox.status).in_(FINISHED),  # through ix_outbox_due (status, not_before)
                col(Outbox.not_before) < before,
                col(Outbox.payload) != EMPTY,
            )
            done = s.exec(
                update(Outbox)
                .where(col(Outbox.id).in_(ids.limit(batch).scalar_subquery()))
                .values(payload=EMPTY)
            ).rowcount
        emptied += done
        if done < batch:
            return emptied


def reroute(db: Database, row: Claimed, fallback: dict, now: datetime) -> None:
    message = {k: v for k, v in fallback.items() if k != "channel"}
    with db.write() as s:
        enqueue(s, row.team_id, row.key + ":fallback", row.kind, fallback["channel"], message, now)


def rows(db: Database, team_id: str | None = None) -> list[Outbox]:
    with db.read() as s:
        query = select(Outbox)
        if team_id:
            query = query.where(Outbox.team_id == team_id)
        return list(s.exec(query.order_by(col(Outbox.id))))
