"""One pooled HTTP session per event loop for every call the bot makes to Slack.

Without one, slack_sdk opens a new aiohttp session, and so a new TCP (and, against the real
Slack, TLS) connection, for every Web API call and every response_url reply, and closes it
after: about a millisecond of the event loop's time per call on loopback, far more over TLS.
A shared session keeps connections alive and reuses them.
"""

from __future__ import annotations

import asyncio
import weakref

import aiohttp
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_bolt.context.respond.internals import _build_message
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.webhook.async_client import AsyncWebhookClient, WebhookResponse

from bot.metrics import slack_trace

TIMEOUT = aiohttp.ClientTimeout(total=30)  # slack_sdk's own default per call

_sessions: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def shared_session() -> aiohttp.ClientSession | None:
    """The running loop's session (made on first use); None outside a running loop, where
    slack_sdk then makes one per call as before."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return None
    session = _sessions.get(loop)
    if session is None or session.closed:
        session = aiohttp.ClientSession(timeout=TIMEOUT, trace_configs=[slack_trace()])
        _sessions[loop] = session
    return session


async def close_shared_session() -> None:
    """Close the running loop's session (at shutdown, so aiohttp has no unclosed session to report)."""
    session = _sessions.pop(asyncio.get_running_loop(), None)
    if session is not None and not session.closed:
        await session.close()


def retry_handlers() -> list:
    """Slack's 429s, 5xx and dropped connections are retried with backoff, not lost."""
    return [
        AsyncRateLimitErrorRetryHandler(max_retry_count=5),
        AsyncServerErrorRetryHandler(max_retry_count=3),
        AsyncConnectionErrorRetryHandler(max_retry_count=3),
    ]


class PooledRespond(AsyncRespond):
    """Bolt's `respond`, over the shared session: Bolt's own opens (and closes) a connection for every
    reply to a response_url, which was about a tenth of the CPU of a `/deal` command on loopback.
    Same message and the same single attempt as Bolt's (no retries: a reply that may have arrived
    is not sent again)."""

    async def __call__(self, text: str | dict = "", **fields) -> WebhookResponse:  # type: ignore[override]
        if self.response_url is None:
            raise ValueError("respond is unsupported here as there is no response_url")
        message = _build_message(**text) if isinstance(text, dict) else _build_message(text=text, **fields)
        webhook = AsyncWebhookClient(self.response_url, session=shared_session())
        return await webhook.send_dict(message)
