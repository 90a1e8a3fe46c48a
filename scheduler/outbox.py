"""The outbox: every scheduled message is a row before it is a Slack message.

A job *enqueues* a message under a unique key (team, key) in the same transaction as the state
change that caused it, so a second sweep, a restart or a second replica finds the key taken and
adds nothing. A dispatcher *claims* due rows (``FOR UPDATE SKIP LOCKED`` on PostgreSQL; SQLite
serialises writers), sends them, and marks them sent. A failed send stays pending for the next
round. A claim left behind by a crash is taken up again after its lease; before re-sending, the
dispatcher looks in the conversation for the message it may already have sent (each carries its
outbox id as message metadata), so a crash between Slack's "ok" and our commit sends nothing twice.
The same look comes before every later try: a 5xx, a timeout or a dropped connection may come
after Slack posted, so the outbox sends without slack_sdk's server- and connection-error retries
(which would post again at once, blindly); such a message stays pending for the next round, which
looks first.

A payload with a "file" ({"content_b64", "filename", "title", "alt_txt"}) is uploaded instead of
posted (files_upload_v2), its "text" as the comment. File shares carry no metadata, so the file
name carries the outbox id, and recovery looks for that name in the conversation. A payload
with "expires_at" (ISO time) is dropped, not sent, once that time has passed. A message dropped
because Salesbot is not in its channel tells the team's managers how to invite it, once per channel
(services/bot_missing.py); one dropped because its reader left offers the managers the leaver's open
deals, once per leaver (services/leavers.py).
"""

from __future__ import annotations

import asyncio
import base64
import copy
import logging
import posixpath
from datetime import datetime

from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler

from bot.db import Database
from models.outbox import Claimed, Delivery, claim, fail, finish, reroute
from scheduler.clients import per_team
from services import bot_missing, leavers
from views.bot_missing import bot_missing_message
from views.leavers import leaver_message

log = logging.getLogger(__name__)

METADATA_TYPE = "salesbot_outbox"
# A recipient that is not there (any more): the message goes to its fallback channel, if it has one.
GONE_RECIPIENT = {
    "channel_not_found",
    "not_in_channel",
    "is_archived",
    "user_not_found",
    "account_inactive",
    "user_disabled",
}
# Errors that no retry will cure: the message is dead, or goes to its fallback channel.
PERMANENT = GONE_RECIPIENT | {
    "cannot_dm_bot",
    "invalid_blocks",
    "msg_too_long",
    "no_text",
    "token_revoked",
    "invalid_auth",
    "not_authed",
    "team_access_not_granted",
    "restricted_action",
}


# Messages in flight at once. Slack takes about one message per second per channel, and a 429 makes
# slack_sdk wait out its Retry-After: sending one message at a time, a sweep that DMs a thousand
# owners took a thousand round trips end to end, and every 429 held up all the rest.
SENDERS = 8
BATCH = 50  # rows claimed at once


async def dispatch(
    db: Database, clients, worker: str, clock, team_id: str | None = None, rounds: int = 100
) -> list[Delivery]:
    """Send everything that is due; a message that fails waits for the next dispatch (the next tick)
    instead of being retried at once. `clients`: one Web API client, or a factory team id -> client
    (see scheduler/clients.py). Returns the deliveries in the order the rows were claimed.

    Up to SENDERS messages are in flight at once, to different conversations: one conversation's
    messages go one after another, in the order they were enqueued (a digest before its chart).
    Rows are claimed BATCH at a time (at most `rounds` times) as the senders run short of work, so
    one message waiting out a 429 holds up only the messages after it in its own conversation."""
    clients_for = per_team(clients)
    lanes = asyncio.Semaphore(SENDERS)
    out: dict[int, Delivery] = {}
    order: list[int] = []
    last: dict[tuple[str, str], asyncio.Task] = {}  # each conversation's latest send
    running: set[asyncio.Task] = set()
    after = 0  # rows this dispatch claimed are never claimed again by it (a failed one waits for the next)

    async def send(row: Claimed, before: asyncio.Task | None) -> None:
        if before is not None:
            await asyncio.wait([before])  # the conversation's earlier message first, however it ended
        async with lanes:
            client = await clients_for(row.team_id)
            if client is None:  # the workspace uninstalled the app: nothing can reach it any more
                out[row.id] = await db.run(fail, db, row.id, row.worker, "app_uninstalled", permanent=True)
            else:
                out[row.id] = await deliver(db, client, row, clock)

    for _ in range(rounds):
        while len(running) >= SENDERS:
            await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
        batch = await db.run(claim, db, worker, clock(), limit=BATCH, team_id=team_id, after=after)
        if (
            not batch and running
        ):  # what is still being sent may enqueue more (a fallback): wait, then look again
            await asyncio.gather(*running)
            batch = await db.run(claim, db, worker, clock(), limit=BATCH, team_id=team_id, after=after)
        if not batch:
            break
        for row in batch:
            after = max(after, row.id)
            order.append(row.id)
            key = (row.team_id, row.channel)
            task = asyncio.create_task(send(row, last.get(key)))
            last[key] = task
            running.add(task)
            task.add_done_callback(running.discard)
    if running:
        await asyncio.gather(*running)
    return [out[row_id] for row_id in order]


async def deliver(db: Database, client, row: Claimed, clock) -> Delivery:
    payload = dict(row.payload)
    fallback = payload.pop("fallback", None)
    upload = payload.pop("file", None)
    expires = payload.pop("expires_at", None)
    if expires and clock() >= datetime.fromisoformat(expires):
        log.info("outbox %s (%s to %s) expired unsent", row.id, row.kind, row.channel)
        return await db.run(fail, db, row.id, row.worker, "expired", permanent=True)
    client = _without_blind_retries(client)
    try:
        # Exactly once: a message tried before may be in Slack already (a crash after Slack's "ok",
        # an "ok" lost to a 5xx or a reset); it is looked for before it is sent again.
        if row.recovering and await _already_sent(client, row, upload):
            return await db.run(finish, db, row.id, worker=row.worker, now=clock(), ts=None)
        if upload:
            await _upload(client, row, payload, upload)
            return await db.run(finish, db, row.id, worker=row.worker, now=clock(), ts=None)
        resp = await client.chat_postMessage(
            channel=row.channel,
            text=payload.get("text") or "",
            blocks=payload.get("blocks"),
            metadata={"event_type": METADATA_TYPE, "event_payload": {"outbox_id": row.id}},
        )
    except SlackApiError as exc:
        error = slack_error(exc)
        if error in PERMANENT:
            log.warning("outbox %s (%s to %s) dropped: %s", row.id, row.kind, row.channel, error)
            if fallback and error in GONE_RECIPIENT:
                await db.run(reroute, db, row, fallback, clock())
            if error in bot_missing.ERRORS and bot_missing.is_channel(row.channel):
                await _tell_managers(db, row, clock)
            if error in leavers.GONE and leavers.is_person(row.channel):
                await _offer_leavers_deals(db, row, clock)
            return await db.run(fail, db, row.id, row.worker, error, permanent=True)
        log.info("outbox %s stays pending after %s", row.id, error)
        return await db.run(fail, db, row.id, row.worker, error, permanent=False)
    except Exception as exc:  # a timeout, a reset: whether Slack acted is unknown
        log.info("outbox %s stays pending after %r", row.id, exc)
        return await db.run(fail, db, row.id, row.worker, type(exc).__name__, permanent=False)
    return await db.run(finish, db, row.id, worker=row.worker, now=clock(), ts=resp.get("ts"))


async def _tell_managers(db: Database, row: Claimed, clock) -> None:
    """The managers learn how to let the bot in (once per channel: services/bot_missing.py). A
    failure here must not keep the dropped message from being closed."""
    try:
        await db.run(
            bot_missing.tell_managers,
            db,
            row.team_id,
            row.channel,
            row.kind,
            clock(),
            message=bot_missing_message,
        )
    except Exception:
        log.exception("outbox %s: could not tell the managers of %s", row.id, row.team_id)


async def _offer_leavers_deals(db: Database, row: Claimed, clock) -> None:
    """The DM's reader has left: the managers are offered their open deals (once per leaver and
    manager: services/leavers.py). A failure here must not keep the dropped message from being closed."""
    try:
        await db.run(leavers.offer, db, row.team_id, row.channel, clock(), message=leaver_message)
    except Exception:
        log.exception("outbox %s: could not offer %s's deals to the managers", row.id, row.channel)


def _without_blind_retries(client):
    """The same client (token, base URL, session), keeping only its 429 retry handler: a 429 means
    Slack did nothing, so sending again at once is safe; after a 5xx or a reset it may have posted."""
    careful = copy.copy(client)
    careful.retry_handlers = [
        h for h in client.retry_handlers if isinstance(h, AsyncRateLimitErrorRetryHandler)
    ]
    return careful


def slack_error(exc: SlackApiError) -> str:
    data = exc.response.data
    return (data.get("error") if isinstance(data, dict) else None) or f"http_{exc.response.status_code}"


async def _conversation(client, channel: str) -> str:
    """A user id becomes the id of the DM with that user (file uploads only take conversation ids)."""
    if channel.startswith(("U", "W")):
        return (await client.conversations_open(users=channel))["channel"]["id"]
    return channel


def upload_name(row: Claimed, upload: dict) -> str:
    """pipeline-2026-11-30.png -> pipeline-2026-11-30-17.png for outbox row 17: recognisable later."""
    stem, ext = posixpath.splitext(upload.get("filename") or "file")
    return f"{stem}-{row.id}{ext}"


async def _upload(client, row: Claimed, payload: dict, upload: dict) -> None:
    await client.files_upload_v2(
        channel=await _conversation(client, row.channel),
        file=base64.b64decode(upload["content_b64"]),
        filename=upload_name(row, upload),
        title=upload.get("title"),
        alt_txt=upload.get("alt_txt"),
        initial_comment=payload.get("text") or None,
    )


async def _already_sent(client, row: Claimed, upload: dict | None = None) -> bool:
    """Did a crashed worker send this before it could record it? Look for our metadata (a message)
    or our file name (an upload)."""
    channel = await _conversation(client, row.channel)
    # The newest 200 messages of the conversation: a lease is minutes, not hours, so it is among them.
    history = await client.conversations_history(channel=channel, limit=200, include_all_metadata=True)
    name = upload_name(row, upload) if upload else None
    for message in history.get("messages", []):
        if name is not None:
            if any(f.get("name") == name for f in message.get("files") or []):
                return True
            continue
        meta = message.get("metadata") or {}
        if (
            meta.get("event_type") == METADATA_TYPE
            and (meta.get("event_payload") or {}).get("outbox_id") == row.id
        ):
            return True
    return False
