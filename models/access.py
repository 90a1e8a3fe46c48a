"""Who may see and change which deal, enforced where deals are read, so no handler can forget it.

The request's actor is set once per request (handlers/language.py, ActorAndLanguage) in a context variable;
it follows the work into the database thread. Work no person asked for (the scheduler, the CLI)
has no actor and is not restricted. A rep sees and changes their own deals; a listed manager or a
workspace admin (users.info is_admin, as cached in slack_user) sees and changes every deal.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass

from sqlmodel import Session

from bot.i18n import N_
from domain.errors import UserError
from models.tables import Deal, SlackUser, Team


@dataclass(frozen=True)
class Actor:
    team_id: str
    user_id: str


current_actor: ContextVar[Actor | None] = ContextVar("current_actor", default=None)


def is_manager(session: Session, team_id: str, user_id: str) -> bool:
    team = session.get(Team, team_id)
    if team and user_id in team.managers:
        return True
    profile = session.get(SlackUser, (team_id, user_id))
    return bool(profile and profile.is_admin and not profile.deleted)


def restricted_to(session: Session, team_id: str) -> str | None:
    """The only owner whose deals the current actor may see, or None for everyone's."""
    actor = current_actor.get()
    if actor is None or actor.team_id != team_id or is_manager(session, team_id, actor.user_id):
        return None
    return actor.user_id


def check_deal(session: Session, deal: Deal) -> None:
    actor = current_actor.get()
    if actor is None or deal.owner_id == actor.user_id or is_manager(session, deal.team_id, actor.user_id):
        return
    raise UserError(
        N_(
            "Deal #{number} is <@{owner}>'s. Only its owner, the team's managers and admins can open "
            "or change it."
        ),
        number=deal.number,
        owner=deal.owner_id,
    )


def check_owner(session: Session, team_id: str, owner_id: str, field: str = "owner") -> None:
    """A rep keeps their deals: only managers give a deal to someone else."""
    actor = current_actor.get()
    if actor is None or owner_id == actor.user_id or is_manager(session, team_id, actor.user_id):
        return
    raise UserError(N_("Only managers can give a deal to someone else.")).on_field(field)
