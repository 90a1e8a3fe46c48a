"""Disqualify candidates: the team's (or one owner's) for `/pipeline insights`, and the few of each
owner an owner's nudge lists (read inside the sweep's transaction)."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session

from bot.db import Database
from domain import digest_schedule as schedule
from domain.disqualify import NUDGED_TIMES, Candidate, OpenDeal, by_owner, candidates, overdue_cutoff
from domain.metrics import OPEN
from models import candidate_queries as cq
from models import digest_queries as q
from models.tables import Team

IN_NUDGE = 3  # candidates an owner's nudge lists: a few, the strongest first


def compute(db: Database, team_id: str, now: datetime, owner: str | None = None) -> list[Candidate]:
    """Every candidate of the team, or of one owner (one read transaction)."""
    with db.read() as s:
        team = s.get(Team, team_id)
        today = schedule.local_date(now, team.timezone if team else "UTC")
        open_ids = q.ids(q.stage_infos(s, team_id), OPEN)
        return candidates(
            cq.overdue(s, team_id, open_ids, overdue_cutoff(today), owner),
            cq.bant_disqualified(s, team_id, open_ids, owner),
            today,
            [(deal, n) for _id, deal, n in cq.nudged(s, team_id, open_ids, NUDGED_TIMES, owner)],
        )


def for_nudges(
    session: Session, team_id: str, today: date, owners: list[str], nudging: dict[int, int]
) -> dict[str, list[Candidate]]:
    """Each owner's first IN_NUDGE candidates, for the nudges this sweep sends them. `nudging`: the
    deals this sweep nudges (id -> their nudges once this one is counted), so the third nudge is
    the one that lists the deal. Only a few rows per owner are read: the overdue ones through
    ix_deal_team_owner_stage_close, one short query per owner."""
    if not owners:
        return {}
    open_ids = q.ids(q.stage_infos(session, team_id), OPEN)
    cutoff = overdue_cutoff(today)
    # Stored streaks one short of the mark may reach it with this sweep's nudge.
    streaks: dict[int, tuple[OpenDeal, int]] = {
        deal_id: (deal, n)
        for deal_id, deal, n in cq.nudged(session, team_id, open_ids, NUDGED_TIMES - 1, owners)
    }
    nudged = [(deal, nudging.get(deal_id, n)) for deal_id, (deal, n) in streaks.items()]
    late = [d for owner in owners for d in cq.overdue(session, team_id, open_ids, cutoff, owner, IN_NUDGE)]
    found = candidates(late, cq.bant_disqualified(session, team_id, open_ids, owners), today, nudged)
    return by_owner(found, IN_NUDGE)
