"""Whether the bot is in a channel it is told to post to, and joining a public one itself. Slack
answers within a bounded wait, or the channel counts as unchecked: a form's ack cannot wait."""

from __future__ import annotations

import asyncio
import logging
from enum import Enum

import aiohttp
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)


class Presence(Enum):
    MEMBER = "member"
    PUBLIC_OUTSIDE = "public"  # the bot can join it itself
    PRIVATE_OUTSIDE = "private"  # someone has to /invite it (Slack hides such a channel from the bot)
    UNCHECKED = "unchecked"  # Slack did not answer in time, or with an error we cannot act on


async def presence(client, channel: str, wait: float) -> Presence:
    try:
        found = await asyncio.wait_for(client.conversations_info(channel=channel), wait)
    except SlackApiError as err:
        if err.response.get("error") == "channel_not_found":
            return Presence.PRIVATE_OUTSIDE
        log.warning("conversations.info %s: %s", channel, err.response.get("error"))
        return Presence.UNCHECKED
    except (TimeoutError, aiohttp.ClientError):
        return Presence.UNCHECKED
    info = found["channel"]
    if info.get("is_member"):
        return Presence.MEMBER
    return Presence.PRIVATE_OUTSIDE if info.get("is_private") else Presence.PUBLIC_OUTSIDE


async def presences(client, channels: list[str], wait: float) -> dict[str, Presence]:
    found = await asyncio.gather(*(presence(client, c, wait) for c in channels))
    return dict(zip(channels, found, strict=True))


async def join(client, channel: str) -> bool:
    """Join a public channel; False when Slack refuses (archived, private after all)."""
    try:
        await client.conversations_join(channel=channel)
    except SlackApiError as err:
        log.warning("conversations.join %s: %s", channel, err.response.get("error"))
        return False
    return True
