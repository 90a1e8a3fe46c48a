"""conversations.open, info, join and history, and where a message to a channel or user lands."""

from __future__ import annotations

from typing import TYPE_CHECKING

from localslack.checks import SlackError

if TYPE_CHECKING:
    from localslack.server import LocalSlack


def posting_channel(slack: LocalSlack, channel: str) -> str:
    """The conversation a message to `channel` goes to: posting to a user id goes to the DM with
    that user, as in Slack."""
    if channel in slack.users:
        if slack.users[channel].deleted:
            raise SlackError("user_not_found")
        return slack.dm_channel(channel)
    if channel.startswith("D") and channel[1:] in slack.users:
        return channel
    info = slack.channels.get(channel)
    if info is None:
        raise SlackError("channel_not_found")
    if info["is_archived"]:
        raise SlackError("is_archived")
    if slack.bot_user_id not in info["members"]:
        raise SlackError("not_in_channel")
    return channel


def open_dm(slack: LocalSlack, args: dict, team_id: str) -> dict:
    users = str(args.get("users", "")).split(",")
    if len(users) != 1 or users[0] not in slack.users:
        raise SlackError("user_not_found")
    return {"channel": {"id": slack.dm_channel(users[0])}}


def _conversation(slack: LocalSlack, channel: str) -> dict:
    """The channel as conversations.info shows it to the bot; a private one it is not in does
    not exist for it, as in Slack."""
    info = slack.channels.get(channel)
    if info is None or (info["is_private"] and slack.bot_user_id not in info["members"]):
        raise SlackError("channel_not_found")
    return {
        "id": channel,
        "name": info["name"],
        "is_channel": not info["is_private"],
        "is_group": False,
        "is_im": False,
        "is_private": info["is_private"],
        "is_archived": info["is_archived"],
        "is_member": slack.bot_user_id in info["members"],
    }


def info(slack: LocalSlack, args: dict, team_id: str) -> dict:
    return {"channel": _conversation(slack, args.get("channel", ""))}


def join(slack: LocalSlack, args: dict, team_id: str) -> dict:
    channel = _conversation(slack, args.get("channel", ""))
    if channel["is_private"]:
        raise SlackError("method_not_supported_for_channel_type")
    if channel["is_archived"]:
        raise SlackError("is_archived")
    if channel["is_member"]:
        return {"channel": channel, "warning": "already_in_channel"}
    slack.channels[channel["id"]]["members"].add(slack.bot_user_id)
    return {"channel": {**channel, "is_member": True}}


def history(slack: LocalSlack, args: dict, team_id: str) -> dict:
    channel = args.get("channel", "")
    if channel not in slack.channels and not (channel.startswith("D") and channel[1:] in slack.users):
        raise SlackError("channel_not_found")
    oldest = float(args.get("oldest") or 0)
    # Slack's `latest` bounds the other end, exclusive unless `inclusive`: latest=ts, inclusive, limit=1
    # reads back the one message at ts. File shares are messages too in Slack's history.
    latest = float(args["latest"]) if args.get("latest") else float("inf")
    inclusive = str(args.get("inclusive", "")).lower() in ("1", "true")
    found = [
        m
        for m in slack.messages
        if m.channel == channel
        and m.kind in ("message", "file")
        and float(m.ts) >= oldest
        and (float(m.ts) < latest or (inclusive and float(m.ts) == latest))
    ]
    limit = int(args.get("limit") or 100)
    return {"messages": [m.as_slack() for m in reversed(found)][:limit], "has_more": len(found) > limit}
