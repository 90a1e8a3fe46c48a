"""Socket Mode, as Slack speaks it: `apps.connections.open` hands an app-level token (xapp-) a
WebSocket URL on loopback; the first frame is `hello`; requests arrive as envelopes the app acks by
`envelope_id` (the ack's payload is the response); `disconnect` asks the app to reconnect.

Plain ws, not wss: slack_sdk's aiohttp client would trust a local certificate only through the
process-wide SSL_CERT_FILE, which would also govern every other TLS call of the bot under test.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from localslack.state import Call

if TYPE_CHECKING:
    from localslack.server import LocalSlack

ENVELOPE_TYPES = ("slash_commands", "interactive", "events_api")


def takes_reply(type: str, payload: Any) -> bool:
    """Slack's rule, as its SDK's recorded envelopes show: a command, a modal submission and an
    options request can be answered in the ack; a click or a shortcut cannot (python-slack-sdk,
    tests/slack_sdk/socket_mode/mock_socket_mode_server.py: `interactive` envelopes with false)."""
    if type == "slash_commands":
        return True
    kind = payload.get("type") if isinstance(payload, dict) else None
    return type == "interactive" and kind in ("view_submission", "block_suggestion")


@dataclass
class Envelope:
    envelope_id: str
    type: str
    payload: Any
    accepts_response_payload: bool
    retry_attempt: int = 0
    retry_reason: str = ""
    acks: list[dict] = field(default_factory=list)  # every ack frame the app sent for it

    def frame(self) -> dict:
        return {
            "envelope_id": self.envelope_id,
            "type": self.type,
            "payload": self.payload,
            "accepts_response_payload": self.accepts_response_payload,
            "retry_attempt": self.retry_attempt,
            "retry_reason": self.retry_reason,
        }


class SocketMode:
    def __init__(self, slack: LocalSlack, app_token: str = "xapp-1-A0LOCAL-local", app_id: str = "A0LOCAL"):
        self.slack = slack
        self.app_tokens = {app_token: slack.team_id}
        self.app_id = app_id
        self.revoked: set[str] = set()
        self.connections: list[web.WebSocketResponse] = []
        self.opened = 0  # connections ever accepted: a reconnect shows as a rise
        self.envelopes: dict[str, Envelope] = {}
        self.unknown_acks: list[dict] = []  # acks naming no envelope this emulator sent
        # True: answer no close frame and keep the TCP connection open, as a Slack edge that has gone
        # quiet does; the app must give up on the closing handshake by itself.
        self.silent_close = False
        self._stopping = asyncio.Event()
        self._tickets: set[str] = set()
        self._ids = itertools.count(1)

    def route(self, app: web.Application) -> None:
        app.router.add_get("/link/", self._link)

    # -- apps.connections.open ----------------------------------------------------------------
    async def connections_open(self, args: dict, token: str) -> web.Response:
        if not token:
            return await self.slack.fail("apps.connections.open", args, 200, "not_authed")
        if not token.startswith("xapp-"):  # a bot or user token: Slack refuses it by its type
            return await self.slack.fail("apps.connections.open", args, 200, "not_allowed_token_type")
        if token not in self.app_tokens or token in self.revoked:
            return await self.slack.fail("apps.connections.open", args, 200, "invalid_auth")
        ticket = uuid.uuid4().hex
        self._tickets.add(ticket)
        self.slack.calls.append(Call("apps.connections.open", args, True, None, 200))
        host = self.slack.host
        return web.json_response({"ok": True, "url": f"ws://{host}:{self.slack.port}/link/?ticket={ticket}"})

    # -- the WebSocket ------------------------------------------------------------------------
    async def _link(self, request: web.Request) -> web.StreamResponse:
        ticket = request.query.get("ticket", "")
        if ticket not in self._tickets:  # each URL is good for one connection, as Slack's are
            return web.Response(status=401, text="invalid ticket")
        self._tickets.discard(ticket)
        ws = web.WebSocketResponse(autoping=True, autoclose=not self.silent_close)
        await ws.prepare(request)
        self.connections.append(ws)
        self.opened += 1
        await ws.send_json(
            {
                "type": "hello",
                "num_connections": len(self.connections),
                "debug_info": {"host": "localslack", "build_number": 1, "approximate_connection_time": 3600},
                "connection_info": {"app_id": self.app_id},
            }
        )
        await self.slack.notify()
        try:
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    await self._ack(msg.data)
        finally:
            if ws in self.connections:
                self.connections.remove(ws)
            await self.slack.notify()
        if self.silent_close:
            await self._stopping.wait()
        return ws

    async def _ack(self, data: str) -> None:
        try:
            ack = json.loads(data)
        except ValueError:
            self.slack.violations.append(f"socket mode: an ack that is not JSON: {data[:80]}")
            return
        envelope = self.envelopes.get(ack.get("envelope_id", "")) if isinstance(ack, dict) else None
        if envelope is None:
            self.unknown_acks.append(ack)
        else:
            envelope.acks.append(ack)
        await self.slack.notify()

    # -- what tests do ------------------------------------------------------------------------
    async def wait_connected(self, count: int = 1, timeout: float = 10.0) -> None:
        await self.slack.wait_for(lambda: len(self.connections) >= count, timeout)

    async def send(
        self, type: str, payload: Any, *, accepts_response_payload: bool | None = None, retry_attempt: int = 0
    ) -> Envelope:
        """Deliver an envelope to the newest connection (Slack picks one of them)."""
        if accepts_response_payload is None:
            accepts_response_payload = takes_reply(type, payload)
        envelope_id = f"{next(self._ids)}-{uuid.uuid4().hex[:8]}"
        envelope = Envelope(envelope_id, type, payload, accepts_response_payload)
        if retry_attempt:  # a redelivery of something the app never saw the first time
            envelope.retry_attempt, envelope.retry_reason = retry_attempt, "timeout"
        self.envelopes[envelope.envelope_id] = envelope
        await self._deliver(envelope.frame())
        return envelope

    async def send_raw(self, frame: dict) -> None:
        """A frame exactly as given: malformed envelopes, for tests of bad input."""
        if envelope_id := frame.get("envelope_id"):
            kind, payload = str(frame.get("type")), frame.get("payload")
            self.envelopes[envelope_id] = Envelope(envelope_id, kind, payload, False)
        await self._deliver(frame)

    async def redeliver(self, envelope: Envelope, reason: str = "timeout") -> None:
        """Send an un-acked envelope again, as Slack does, with retry_attempt counting up."""
        envelope.retry_attempt += 1
        envelope.retry_reason = reason
        await self._deliver(envelope.frame())

    async def wait_ack(self, envelope: Envelope, timeout: float = 5.0) -> dict:
        return await self.slack.wait_for(lambda: envelope.acks[0] if envelope.acks else None, timeout)

    async def disconnect(self, reason: str = "refresh_requested") -> None:
        """Ask every connection to go (the app opens a new one), then close them as Slack does."""
        going = list(self.connections)  # not the new ones the app opens meanwhile
        for ws in going:
            await ws.send_json({"type": "disconnect", "reason": reason, "debug_info": {"host": "localslack"}})
        await asyncio.sleep(0.05)
        for ws in going:
            await ws.close()

    async def close(self) -> None:
        self._stopping.set()
        for ws in list(self.connections):
            await ws.close()

    async def _deliver(self, frame: dict) -> None:
        if not self.connections:
            raise RuntimeError("no app is connected over Socket Mode")
        await self.connections[-1].send_str(json.dumps(frame))
