"""Queries for people's choices of DMs, and what those choices do to their outbox rows.

Each function runs inside the caller's session; the caller owns the transaction. A DM a person held
for their summary, or turned off, is still enqueued under its key (so the sweep counts it decided and
never makes it again) and then given the status their choice says (domain/preferences.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import sqlalchemy
from sqlalchemy import update
from sqlmodel import Session, col, select

from domain.preferences import GOVERNED_BY, HOLD, SEND, Preferences
from domain.summary_news import NUDGE, DealNow, held_ref
from models.delivery_tables import Outbox
from models.settings_tables import NotifyPreference
from models.tables import Deal, DealNudge, Stage, saved_id

FOLDED = "folded"  # told inside another message (the summary, a list of overdue steps)
STALE = "stale"  # held for a summary, and no longer true when it came (domain/summary_news.py)


def of(session: Session, team_id: str, user_id: str) -> Preferences:
    row = session.get(NotifyPreference, (team_id, user_id))
    return _read(row) if row else Preferences()


def of_people(session: Session, team_id: str, users: Iterable[str]) -> dict[str, Preferences]:
    """Everyone's choice; a person without a row gets every DM one by one."""
    wanted = set(users)
    found = {u: Preferences() for u in wanted}
    if not wanted:
        return found
    rows = session.exec(
        select(NotifyPreference).where(
            NotifyPreference.team_id == team_id, col(NotifyPreference.user_id).in_(wanted)
        )
    )
    for row in rows:
        found[row.user_id] = _read(row)
    return found


def save(session: Session, team_id: str, user_id: str, chosen: Preferences, now: datetime) -> None:
    row = session.get(NotifyPreference, (team_id, user_id), with_for_update=True)
    if row is None:
        row = NotifyPreference(team_id=team_id, user_id=user_id, updated_at=now)
    row.nudges, row.reminders, row.summary, row.updated_at = (
        chosen.nudges,
        chosen.reminders,
        chosen.summary,
        now,
    )
    session.add(row)


def summarising(session: Session, team_id: str) -> list[str]:
    """The people who chose a daily summary."""
    return list(
        session.exec(
            select(NotifyPreference.user_id).where(
                NotifyPreference.team_id == team_id, NotifyPreference.summary == "daily"
            )
        )
    )


def route(session: Session, team_id: str, messages: Iterable[tuple[str, str, str]]) -> dict[str, str]:
    """Give each just-enqueued DM (key, kind, recipient) the status its recipient's choice says, in
    the caller's transaction: the enqueue and the choice commit together, so no sender can take a DM
    its person turned off. Only rows still pending change (a repeat's row keeps what it had).
    Returns the keys whose DM is not sent as it comes: key -> held or muted."""
    governed = [(key, kind, to) for key, kind, to in messages if kind in GOVERNED_BY]
    choices = of_people(session, team_id, {to for _, _, to in governed})
    changed: dict[str, str] = {}
    for key, kind, to in governed:
        status = choices[to].route(kind)
        if status != SEND:
            changed[key] = status
    for status in {*changed.values()}:
        keys = [k for k, s in changed.items() if s == status]
        session.exec(
            update(Outbox)
            .where(
                col(Outbox.team_id) == team_id,
                col(Outbox.key).in_(keys),
                col(Outbox.status) == SEND,
            )
            .values(status=status)
        )
    return changed


def fold(session: Session, team_id: str, keys: list[str]) -> None:
    """Rows whose news another message tells: never sent on their own."""
    if keys:
        session.exec(
            update(Outbox)
            .where(col(Outbox.team_id) == team_id, col(Outbox.key).in_(keys), col(Outbox.status) == SEND)
            .values(status=FOLDED)
        )


def held(session: Session, team_id: str, user_id: str, now: datetime) -> list[Outbox]:
    """A person's DMs waiting for their summary whose time has come, oldest first, locked: the
    summary that folds them is the only one to tell them."""
    return list(
        session.exec(
            select(Outbox)
            .where(
                Outbox.team_id == team_id,
                Outbox.channel == user_id,
                Outbox.status == HOLD,
                col(Outbox.not_before) <= now,
            )
            .order_by(col(Outbox.id))
            .with_for_update()
        )
    )


def holders(session: Session, team_id: str | None, now: datetime) -> list[tuple[str, str]]:
    """(team, person) with a held DM due: whose profiles the summary needs."""
    query = (
        sqlalchemy.select(col(Outbox.team_id), col(Outbox.channel))
        .where(col(Outbox.status) == HOLD, col(Outbox.not_before) <= now)
        .distinct()
    )
    if team_id:
        query = query.where(col(Outbox.team_id) == team_id)
    return [(r[0], r[1]) for r in session.execute(query)]


def drop_held(session: Session, team_id: str, user_id: str, error: str) -> int:
    """Close what a person who left held for their summary: dead, with the Slack error a DM to them
    gets, as if sent and refused. Returns how many."""
    return session.exec(
        update(Outbox)
        .where(col(Outbox.team_id) == team_id, col(Outbox.channel) == user_id, col(Outbox.status) == HOLD)
        .values(status="dead", last_error=error)
    ).rowcount


def set_status(session: Session, rows: list[Outbox], status: str) -> None:
    """Close held rows: FOLDED (told in the summary) or STALE (no longer true when it came)."""
    ids = [saved_id(r) for r in rows]
    if ids:
        session.exec(update(Outbox).where(col(Outbox.id).in_(ids)).values(status=status))


_NOW = (
    col(Deal.id),
    col(Deal.owner_id),
    col(Stage.kind),
    col(Deal.archived_at),
    col(Deal.last_activity_at),
    col(Deal.next_step),
    col(Deal.next_step_due),
    col(Deal.next_step_seq),
    col(Deal.nurture_on),
    col(Deal.nurture_state),
)


def held_deals(session: Session, team_id: str, person: str, rows: list[Outbox]) -> dict[int, list[DealNow]]:
    """Per held row id, the deals it tells of as they are now (two queries): a reminder's or a
    nurture's deal by the id in its key; a nudge's, the person's deals whose last nudge was to be
    delivered at the row's moment (the sweep gives deal_nudge.nudged_at the row's not_before)."""
    refs = {saved_id(r): ref for r in rows if (ref := held_ref(r.kind, r.key)) is not None}
    moments = {r.not_before for r in rows if r.kind == NUDGE}
    by_id: dict[int, DealNow] = {}
    if refs:
        query = (
            sqlalchemy.select(*_NOW)
            .join(Stage, col(Stage.id) == col(Deal.stage_id))
            .where(col(Deal.team_id) == team_id, col(Deal.id).in_({r.deal_id for r in refs.values()}))
        )
        by_id = {d.id: d for d in map(_deal_now, session.execute(query))}
    by_moment: dict[datetime, list[DealNow]] = {}
    if moments:
        nudged = (
            sqlalchemy.select(col(DealNudge.nudged_at), *_NOW)
            .join(Deal, col(Deal.id) == col(DealNudge.deal_id))
            .join(Stage, col(Stage.id) == col(Deal.stage_id))
            .where(
                col(DealNudge.team_id) == team_id,
                col(Deal.owner_id) == person,
                col(DealNudge.nudged_at).in_(moments),
            )
        )
        for at, *deal in session.execute(nudged):
            by_moment.setdefault(at, []).append(_deal_now(deal))

    def deals_of(row: Outbox) -> list[DealNow]:
        if row.kind == NUDGE:
            return by_moment.get(row.not_before, [])
        ref = refs.get(saved_id(row))
        return [by_id[ref.deal_id]] if ref is not None and ref.deal_id in by_id else []

    return {saved_id(r): deals_of(r) for r in rows}


def _deal_now(row) -> DealNow:
    id_, owner, kind, archived_at, active, step, due, seq, on, state = row
    return DealNow(id_, owner, kind, archived_at is not None, active, step, due, seq, on, state)


def _read(row: NotifyPreference) -> Preferences:
    return Preferences(row.nudges, row.reminders, row.summary)
