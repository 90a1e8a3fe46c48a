"""`/deal find` and the deal picker: one read transaction each, within what the rep may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.db import Database
from domain.search import PAGE, Search
from models import search as search_queries
from models.access import restricted_to
from models.tables import Deal, Stage
from services.deals import known_stages
from services.teams import ensure


@dataclass
class Found:
    """One page of a search's deals, best first, and how many matched in all."""

    rows: list[tuple[Deal, Stage]]
    total: int
    own_only: bool  # a rep sees their own deals only (models/access.py): say so beside the results


def find(db: Database, team_id: str, search: Search, now: datetime, limit: int = PAGE) -> Found:
    """The deals holding the search's words (or the deal its `#N` names), among those the request's
    actor may see: a rep finds their own deals, managers and admins everyone's (the rule /deal list
    and /deal #N follow)."""
    ensure(db, team_id, now)
    with db.read() as s:
        owner = restricted_to(s, team_id)
        if search.number is not None:
            deals = search_queries.numbered(s, team_id, search.number, owner_id=owner)
            total = len(deals)
        else:
            deals, total = search_queries.find_deals(s, team_id, search.words, owner_id=owner, limit=limit)
        by_id = {st.id: st for st in known_stages(s, team_id)}
        missing = {d.stage_id for d in deals} - by_id.keys()
        if missing:  # a stage another replica added a moment ago
            by_id.update({st.id: st for st in known_stages(s, team_id, next(iter(missing)))})
        return Found([(d, by_id[d.stage_id]) for d in deals], total, owner is not None)
