"""The Socket Mode link to Slack: connect with exponential backoff and full jitter, one log line per
failed attempt, and stop at once on a token Slack refuses (retrying cannot make it valid).

Later reconnects (a `disconnect` message, a dropped socket) still run in slack_sdk's tasks, but
through this link's `_reconnect`: the same backoff and one line per failed attempt, instead of
slack_sdk's traceback every five seconds. Readiness and the metrics read the link's state from it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Callable
from typing import Any

import aiohttp
from slack_bolt.adapter.socket_mode.async_internals import run_async_bolt_app, send_async_response
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot import metrics

log = logging.getLogger(__name__)

REFUSED = ("invalid_auth", "not_allowed_token_type", "not_authed", "account_inactive", "token_revoked")
CAP = 60.0  # seconds: the longest wait between attempts
# Seconds to wait for Slack's reply to our close frame. aiohttp waits 10 by default, and slack_sdk
# gives it no other: a quiet edge made every stop take ten seconds, past what orchestrators allow.
CLOSE_WITHIN = 1.0


ENVELOPE_TYPES = ("slash_commands", "interactive", "events_api")


def envelope_problem(kind: object, payload: object) -> str | None:
    """Why an envelope cannot be served (None: it can)."""
    if kind not in ENVELOPE_TYPES:
        return f"unknown type {str(kind)[:40]!r}"
    if payload is None:
        return "no payload"
    if not isinstance(payload, dict):
        return f"payload is {type(payload).__name__}, not an object"
    if not payload:
        return "empty payload"
    return None


class RefusedToken(Exception):
    """Slack refuses SLACK_APP_TOKEN: the error code, for the one line that says so."""


def delay(attempt: int, base: float, cap: float = CAP, rand: Callable[[], float] = random.random) -> float:
    """Full jitter: anywhere from 0 to base * 2^(attempt-1), at most cap (attempt counts from 1)."""
    return rand() * min(cap, base * 2 ** (attempt - 1))


class SocketLink:
    def __init__(self, bolt: Any, app_token: str, base: float = 1.0):
        self.bolt, self.app_token, self.base = bolt, app_token, base
        self.handler: Any = None
        self.hellos = 0
        self.probe = AsyncWebClient(base_url=bolt.client.base_url, timeout=10, retry_handlers=[])
        self._rejected: dict[str, str] = {}  # envelope ids acked as bad, that Bolt must not see
        self._closing = asyncio.Event()
        metrics.SOCKET_CONNECTED.set(0)

    async def connected(self) -> bool:
        if self.handler is None:
            return False
        up = bool(await self.handler.client.is_connected())
        metrics.SOCKET_CONNECTED.set(1 if up else 0)
        return up

    async def connect(self, stop: asyncio.Event) -> bool:
        """Connect, retrying until Slack answers or `stop` is set (False then). Raises RefusedToken."""
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        attempt = 0
        while not stop.is_set():
            attempt += 1
            try:
                # Asked here first: slack_sdk's own connect retries a refused token forever. Without
                # retry handlers: the retrying, and its one line per attempt, is this loop's.
                await self.probe.apps_connections_open(app_token=self.app_token)
                self.handler = AsyncSocketModeHandler(self.bolt, self.app_token)  # a session of its own
                self.handler.client.message_listeners.append(self._on_message)
                # Bad envelopes are acked here, before Bolt sees them: Slack would send them again.
                self.handler.client.socket_mode_request_listeners[:] = [self._on_request]
                self.handler.client.connect_to_new_endpoint = self._reconnect
                await self.handler.connect_async()
                metrics.SOCKET_CONNECTED.set(1)
                return True
            except SlackApiError as exc:
                error = exc.response.get("error") or "unknown"
                if error in REFUSED:
                    raise RefusedToken(error) from None
                reason = error
            except (aiohttp.ClientError, OSError, TimeoutError) as exc:
                reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            await self._close_handler()
            wait = delay(attempt, self.base)
            log.warning("Socket Mode: attempt %d failed (%s); next in %.1fs", attempt, reason, wait)
            metrics.SOCKET_RECONNECTS.inc()
            await self._wait(stop, wait)
        return False

    async def _reconnect(self, force: bool = False) -> None:
        """slack_sdk's connect_to_new_endpoint, called on a `disconnect`, a CLOSE frame or a stale
        ping: a new URL with backoff, then slack_sdk's own connect (which rarely fails on a fresh URL)."""
        client = self.handler.client if self.handler is not None else None
        if client is None or client.connect_operation_lock.locked():
            return  # closed, or another task is already reconnecting
        async with client.connect_operation_lock:
            if not force and await client.is_connected():
                return
            attempt = 0
            while not client.closed and not self._closing.is_set():
                attempt += 1
                try:
                    client.wss_uri = (await self.probe.apps_connections_open(app_token=self.app_token))["url"]
                    await client.connect()
                    return
                except SlackApiError as exc:
                    reason = exc.response.get("error") or "unknown"
                except (aiohttp.ClientError, OSError, TimeoutError) as exc:
                    reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
                wait = delay(attempt, self.base)
                log.warning("Socket Mode: reconnect %d failed (%s); next in %.1fs", attempt, reason, wait)
                metrics.SOCKET_RECONNECTS.inc()
                await self._wait(self._closing, wait)

    async def _on_request(self, client, request: SocketModeRequest) -> None:
        """Bolt's own handler acks only what a listener answered (status 200); an envelope no listener
        takes (404) or that the bot refuses (401) would go unacked, and Slack would send it again."""
        if self._rejected.pop(request.envelope_id, None) is not None:
            return
        started = time.time()
        response = await run_async_bolt_app(self.bolt, request)
        if response.status != 200:
            log.info("Socket Mode: envelope %s acked unanswered (%d)", request.envelope_id, response.status)
            response = BoltResponse(status=200, body="")
        await send_async_response(client, request, response, started)

    async def _on_message(self, client, message: dict, _raw: str) -> None:
        """Runs before _on_request for the same frame: checks the envelope as Slack sent it (slack_sdk
        turns a string payload into an object, and drops one without a payload unacked)."""
        envelope_id = message.get("envelope_id")
        if envelope_id and message.get("type") not in ("hello", "disconnect"):
            problem = envelope_problem(message.get("type"), message.get("payload"))
            if problem is not None:
                log.warning("Socket Mode: envelope %s acked and ignored: %s", str(envelope_id)[:60], problem)
                if "payload" in message and "type" in message:
                    self._rejected[envelope_id] = problem
                await client.send_socket_mode_response(SocketModeResponse(envelope_id=envelope_id))
            return
        if message.get("type") == "hello":
            self.hellos += 1
            if self.hellos > 1:  # slack_sdk opened a new connection: a refresh or a lost link
                metrics.SOCKET_RECONNECTS.inc()
            metrics.SOCKET_CONNECTED.set(1)

    async def _wait(self, stop: asyncio.Event, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), seconds)

    async def _close_handler(self) -> None:
        if self.handler is not None:
            handler, self.handler = self.handler, None
            client = handler.client
            client.closed, client.auto_reconnect_enabled = True, False  # no reconnect while closing
            session = client.current_session
            try:
                if session is not None and not session.closed:
                    # Cancelled at the deadline, aiohttp drops the connection; slack_sdk's close then
                    # finds the session closed and only stops its tasks and its HTTP session.
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(session.close(), CLOSE_WITHIN)
                await handler.close_async()
            except Exception as exc:  # a half-open session: nothing to keep of it
                log.debug("closing a failed Socket Mode session: %r", exc)

    async def close(self) -> None:
        self._closing.set()
        await self._close_handler()
        metrics.SOCKET_CONNECTED.set(0)
