"""Giving a deal to another rep: `/deal reassign` one deal, `salesbot reassign` all of a rep's open deals.

Each change of hands is recorded in the owner history (models/owner_history.py, shown on the card),
and the new owner hears of it by DM through the outbox."""

from __future__ import annotations

from datetime import datetime

from slack_sdk.errors import SlackApiError

from bot.db import Database
from bot.i18n import N_
from domain.errors import UserError
from domain.text_safety import escape_mrkdwn
from models import deals as deal_queries
from services.deals import Card, card_for
from services.owner_dm import DmView, tell_new_owner
from services.teams import ensure
from services.users import Profile, profile

PAGE = 200  # users.list members per page


def _names(member: dict) -> set[str]:
    profile = member.get("profile") or {}
    found = (member.get("name"), profile.get("display_name"), profile.get("display_name_normalized"))
    return {n.casefold() for n in found if n}


async def named(client, name: str) -> str:
    """The user id of the one person still here whose handle or display name is `name` (any case),
    from users.list; an unknown or shared name is a UserError naming the choices."""
    wanted, found, cursor = name.casefold(), [], None
    while True:
        page = await client.users_list(limit=PAGE, cursor=cursor)
        found += [m["id"] for m in page["members"] if not m.get("deleted") and wanted in _names(m)]
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            break
    if not found:
        raise UserError(
            N_("Nobody in this workspace is called @{name}. Type @ and pick them from Slack's list."),
            name=escape_mrkdwn(name),
        )
    if len(found) > 1:
        raise UserError(
            N_("More than one person is called @{name}: {choices}. Mention the one you mean."),
            name=escape_mrkdwn(name),
            choices=", ".join(f"<@{user}>" for user in found),
        )
    return found[0]


async def assignee(db: Database, client, team_id: str, who: str, now: datetime) -> Profile:
    """The new owner, asked of Slack afresh: a person still in the workspace, not a bot. `who` is a
    user id, or "@name" as typed (looked up by `named`)."""
    user_id = await named(client, who[1:]) if who.startswith("@") else who
    try:
        info = (await client.users_info(user=user_id))["user"]
    except SlackApiError as exc:
        if (exc.response.data or {}).get("error") != "user_not_found":
            raise
        raise UserError(N_("I can't find <@{user}> in this workspace."), user=user_id) from exc
    if info.get("is_bot") or user_id == "USLACKBOT":
        raise UserError(N_("<@{user}> is a bot. Give the deal to a person."), user=user_id)
    if info.get("deleted"):
        raise UserError(
            N_("<@{user}> has been deactivated. Give the deal to someone still here."), user=user_id
        )
    return await profile(db, client, team_id, user_id, now)


def reassign(
    db: Database,
    team_id: str,
    user_id: str,
    number: int,
    to: Profile,
    now: datetime,
    dm: DmView,
    from_user: str | None = None,
) -> Card:
    """One transaction: the deal's new owner, and their DM in the outbox. Who may: the deal's owner,
    the team's managers and admins (get_deal's access check). `from_user`: only if the deal is still
    theirs (a leaver's DM: someone else may have given it away since)."""
    ensure(db, team_id, now)
    with db.write() as s:
        deal = deal_queries.get_deal(s, team_id, number, lock=True)
        if from_user is not None and deal.owner_id != from_user:
            raise UserError(
                N_("Deal #{number} is no longer <@{leaver}>'s: <@{owner}> has it now. Nothing was changed."),
                number=number,
                leaver=from_user,
                owner=deal.owner_id,
            )
        if deal.owner_id == to.user_id:
            raise UserError(N_("Deal #{number} is already <@{owner}>'s."), number=number, owner=to.user_id)
        deal_queries.give_to(s, deal, to.user_id, now, by=user_id)
        tell_new_owner(s, deal, user_id, dm, now)
        return card_for(s, team_id, deal)


CLI = "cli"  # who gave the deals away when `salesbot reassign` did (not a Slack id)


def reassign_all(
    db: Database, team_id: str, from_user: str, to_user: str, now: datetime, by: str = CLI
) -> int:
    """Every open deal of `from_user` to `to_user` (someone left); returns how many moved."""
    with db.write() as s:
        moved = deal_queries.open_deals_of(s, team_id, from_user)
        for deal in moved:
            deal_queries.give_to(s, deal, to_user, now, by=by)
        return len(moved)
