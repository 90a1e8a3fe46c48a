"""Someone left: Slack deactivated them (`user_change` with `deleted`), or a DM to them failed because
they are gone. Each of the team's managers gets ONE DM through the outbox (key leaver:<user>:<manager>,
so a second event or a second failed DM tells nobody again) listing the leaver's open deals, each with a
picker for its new owner, and one picker to give them all to one person. No open deals, or no
managers: no DM. The picks go through the same checks as `/deal reassign` (services/reassign.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from bot.db import Database
from bot.i18n import Translator
from models import deals as deal_queries
from models import owner_history
from models.outbox import enqueue
from models.tables import Deal, Team
from services.owner_dm import DmView, tell_new_owner
from services.users import Profile, writing_to

KIND = "leaver"
# The errors of a DM that mean its reader has left the workspace.
GONE = {"user_not_found", "account_inactive"}


@dataclass
class Leaver:
    """What a manager's DM about a leaver shows: their open deals, and those already given away."""

    user_id: str
    open_deals: list[Deal] = field(default_factory=list)
    given: list[tuple[Deal, str]] = field(default_factory=list)  # (deal, its new owner), newest first


LeaverView = Callable[[Translator, Leaver], dict]  # (_, the leaver) -> the DM {"text", "blocks"}


def is_person(conversation: str) -> bool:
    """A user id (a DM sent to a person), not a channel."""
    return conversation.startswith(("U", "W"))


def _leaver(session: Session, team_id: str, user_id: str) -> Leaver:
    return Leaver(
        user_id,
        deal_queries.open_deals_of(session, team_id, user_id),
        owner_history.given_away(session, team_id, user_id),
    )


def leaver(db: Database, team_id: str, user_id: str) -> Leaver:
    with db.read() as s:
        return _leaver(s, team_id, user_id)


def offer(db: Database, team_id: str, user_id: str, now: datetime, *, message: LeaverView) -> int:
    """Enqueue the DM for each manager (not the leaver), in the manager's language; returns how many
    were added (0: told before, no managers, or no open deals). One transaction."""
    with db.write() as s:
        team = s.get(Team, team_id)
        if team is None:
            return 0
        managers = [m for m in team.managers if m != user_id]
        if not managers:
            return 0
        left = _leaver(s, team_id, user_id)
        if not left.open_deals:
            return 0
        added = 0
        for manager in managers:
            _ = writing_to(s, team, manager)
            key = f"{KIND}:{user_id}:{manager}"
            added += enqueue(s, team_id, key, KIND, manager, message(_, left), now)
        return added


def give_all(
    db: Database, team_id: str, by: str, leaver_id: str, to: Profile, now: datetime, dm: DmView
) -> int:
    """Every open deal of the leaver to one person, each new owner's DM as `/deal reassign` sends it;
    returns how many moved. The caller checked that `by` is a manager and `to` a person still here."""
    with db.write() as s:
        moved = deal_queries.open_deals_of(s, team_id, leaver_id)
        for deal in moved:
            deal_queries.give_to(s, deal, to.user_id, now, by=by)
            tell_new_owner(s, deal, by, dm, now)
        return len(moved)
