"""The weekly digest job: each tick, every team whose digest time has come gets it enqueued once.

Idempotent by its outbox keys (digest:<Monday of the week>:<recipient>): a second tick in the same
week, a restart or a second replica finds the keys taken. Only the latest due moment is looked at,
so after downtime the missed digest is posted once, and of several missed weeks only the latest.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import or_
from sqlmodel import col, select

from bot.db import Database
from bot.deps import Deps
from domain.digest_schedule import latest_due
from models.tables import Team
from scheduler.clients import per_team
from services.digest import enqueue_digest, recipient_languages
from views.digest import digest_message
from views.digest_chart import chart_upload

log = logging.getLogger(__name__)


def teams_with_recipients(db: Database) -> list[Team]:
    with db.read() as s:
        query = select(Team).where(
            or_(
                col(Team.channel_id).is_not(None),
                col(Team.digest_channel_id).is_not(None),
                col(Team.manager_ids) != "",
            )
        )
        return list(s.exec(query.order_by(col(Team.id))))


def due_for(team: Team, now: datetime) -> datetime | None:
    """The moment the team's latest digest was due, unless that was before the team existed."""
    due = latest_due(now, team.timezone, team.digest_weekday, team.digest_time)
    return None if due < team.created_at else due


def queue_digest(
    db: Database, team_id: str, as_of: datetime, now: datetime, languages: dict[str, str | None]
) -> int:
    """The digest of the week ending `as_of`, rendered and in the outbox (services.digest.enqueue_digest)."""
    return enqueue_digest(db, team_id, as_of, now, languages, message=digest_message, chart=chart_upload)


async def digest_job(deps: Deps, client, now: datetime) -> None:
    clients = per_team(client)
    for team in await deps.db.run(teams_with_recipients, deps.db):
        due = due_for(team, now)
        if due is None:
            continue
        try:
            languages = await recipient_languages(deps.db, await clients(team.id), team.id, due, now)
            added = await deps.db.run(queue_digest, deps.db, team.id, due, now, languages)
        except Exception:
            log.exception("digest for %s (due %s) failed", team.id, due.isoformat())
            continue
        if added:
            log.info("digest for %s (due %s): %s messages queued", team.id, due.isoformat(), added)
