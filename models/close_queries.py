"""The deals closed in a window, one row each, for converting their amounts at the rate of the day
each closed (domain/conversion.py). The same "last close in the window" as the digest's closed
groups (models/digest_queries._last_closes), so the rows add up to those groups."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session, col

from domain.conversion import Close
from domain.metrics import LOST, WON, StageInfo
from models.digest_queries import _last_closes, ids
from models.tables import Deal, Stage


def closes_between(
    session: Session, team_id: str, stages: list[StageInfo], start: datetime, end: datetime
) -> list[Close]:
    cl = _last_closes(team_id, ids(stages, WON, LOST), start, end)
    query = (
        select(col(Stage.kind), col(Deal.owner_id), col(Deal.currency), col(Deal.amount_cents), cl.c.at)
        .select_from(cl)
        .join(Deal, col(Deal.id) == cl.c.deal_id)
        .join(Stage, col(Stage.id) == cl.c.to_stage_id)
    )
    return [
        Close(kind, owner, currency, cents, at) for kind, owner, currency, cents, at in session.execute(query)
    ]
