"""The local Slack: a loopback HTTP server that answers Web API calls the way Slack does.

The workspace it keeps is `localslack.state`; each call is checked against Slack's published
method list and Block Kit limits (`localslack.checks`) and answered by its method in
`localslack.webapi.METHODS`. It can be told to fail: 429 with Retry-After, 5xx, timeouts,
dropped answers and Slack error codes.
"""

from __future__ import annotations

import asyncio
import json
import math
import random
import time
from dataclasses import dataclass
from urllib.parse import parse_qsl

from aiohttp import web

from localslack.checks import MAX_MESSAGE_BLOCKS, METHOD_SPECS, SlackError, check_blocks, missing_arguments
from localslack.socket_mode import SocketMode
from localslack.state import Call, Message, User, Workspace
from localslack.webapi import METHODS

# Still imported from here by bot/demo_tour.py (and code on other branches); their homes are
# localslack.state and localslack.checks.
__all__ = ["MAX_MESSAGE_BLOCKS", "Call", "LocalSlack", "Message", "User", "check_blocks"]

# The methods that post to a channel, which per_channel_rate limits.
POSTING = (
    "chat.postMessage",
    "chat.postEphemeral",
    "chat.scheduleMessage",
    "files.completeUploadExternal",
)


@dataclass
class Fault:
    method: str  # a method name, or "*"
    status: int = 200
    error: str | None = None
    retry_after: int = 1
    delay: float = 0.0
    times: int = 1
    # Do the call's work first (post the message, share the file), then answer with `status` or,
    # with drop, close the connection unanswered: the answer Slack lost after it acted.
    act_first: bool = False
    drop: bool = False


class LocalSlack(Workspace):
    def __init__(
        self,
        token: str = "xoxb-local-token",
        team_id: str = "T0LOCAL",
        team_name: str = "Local Sales",
        bot_user_id: str = "UBOT",
        extra_tokens: dict[str, str] | None = None,
    ):
        super().__init__(token, team_id, team_name, bot_user_id, extra_tokens or {})
        self.faults: list[Fault] = []
        self.rate_limit_ratio = 0.0  # this share of calls answered 429 at random (Retry-After: 1)
        # Slack allows about one message per second per channel: with per_channel_rate set (messages
        # per second), a message to a channel sooner than that after the last is answered 429 with
        # Retry-After. Each user's DM is a channel of its own.
        self.per_channel_rate: float | None = None
        self.channel_limited = 0
        self._channel_sent: dict[str, float] = {}
        # Lenient: accept trigger ids and response_urls this process did not hand out (the emulator
        # running on its own, with clients elsewhere).
        self.lenient = False
        self.rate_limited = 0
        self._random = random.Random(7)
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.socket_mode = SocketMode(self)

    def inject(
        self,
        method: str,
        *,
        status: int = 200,
        error: str | None = None,
        retry_after: int = 1,
        delay: float = 0.0,
        times: int = 1,
        act_first: bool = False,
        drop: bool = False,
    ) -> None:
        """Make the next `times` calls of `method` ("*" for any) fail the given way: answer `status`
        (429 with `retry_after`, 5xx) or `error`, after `delay` seconds, or drop the connection; with
        act_first, after doing what the call asks (a message posted whose "ok" never arrives)."""
        self.faults.append(Fault(method, status, error, retry_after, delay, times, act_first, drop))

    # -- serving ------------------------------------------------------------------------------
    def remote(self, host: str, port: int) -> LocalSlack:
        """Stand for an emulator running in another process: hand out its URLs, serve nothing."""
        self.host, self.port = host, port
        return self

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> LocalSlack:
        app = web.Application(client_max_size=20 * 1024 * 1024)
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)  # slack_sdk reads some methods with GET
        app.router.add_post("/respond/{key}", self._respond)
        app.router.add_post("/upload/{file_id}", self._upload)
        self.socket_mode.route(app)
        app.router.add_get(
            "/_local/stats", self._stats
        )  # not Slack's: what a benchmark in another process reads
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self.port = self._runner.addresses[0][1]  # the port the one site listens on
        self.host = host
        return self

    async def stop(self) -> None:
        await self.socket_mode.close()
        if self._runner:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    def response_url(self, key: str) -> str:
        return f"{self.base_url}/respond/{key}"

    # -- the Web API --------------------------------------------------------------------------
    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await self._args(request)
        token = request.headers.get("Authorization", "").removeprefix("Bearer ").strip() or args.pop(
            "token", ""
        )
        fault = self._take_fault(method)
        if fault and fault.act_first:
            # `calls` then holds both: what Slack did (ok), and the answer the client got.
            acted = await self._answer(method, args, token, None)
            if not json.loads(acted.text or "{}").get("ok"):  # refused: nothing was done, so answer as it is
                return acted
            if fault.delay:
                await asyncio.sleep(fault.delay)
            if fault.drop:
                return self._drop(request, method, args)
            return await self.fail(method, args, fault.status, fault.error or "internal_error")
        if fault and fault.drop:
            return self._drop(request, method, args)
        return await self._answer(method, args, token, fault)

    async def _answer(self, method: str, args: dict, token: str, fault: Fault | None) -> web.Response:
        if fault and fault.delay:
            await asyncio.sleep(fault.delay)
        if fault and fault.status == 429:
            return await self.fail(method, args, 429, "ratelimited", {"Retry-After": str(fault.retry_after)})
        if self.rate_limit_ratio and self._random.random() < self.rate_limit_ratio:
            self.rate_limited += 1
            return await self.fail(method, args, 429, "ratelimited", {"Retry-After": "1"})
        wait = self._channel_wait(method, args)
        if wait:
            self.channel_limited += 1
            return await self.fail(method, args, 429, "ratelimited", {"Retry-After": str(math.ceil(wait))})
        if fault and fault.status >= 500:
            return await self.fail(method, args, fault.status, "internal_error")
        if method == "apps.connections.open":  # the app-level token's one method: localslack/socket_mode.py
            return await self.socket_mode.connections_open(args, token)
        if method not in METHOD_SPECS:
            self.violations.append(f"{method}: not a Slack Web API method")
            return await self.fail(method, args, 200, "unknown_method")
        if token not in self.tokens and method != "oauth.v2.access":  # that one authenticates the app instead
            return await self.fail(method, args, 200, "invalid_auth" if token else "not_authed")
        if fault and fault.error:
            return await self.fail(method, args, 200, fault.error)
        missing = missing_arguments(method, args)
        if missing:
            self.violations.append(f"{method}: missing required {', '.join(missing)}")
            return await self.fail(method, args, 200, "invalid_arguments")
        answer = METHODS.get(method)
        if answer is None:
            self.violations.append(f"{method}: the local Slack does not emulate it")
            return await self.fail(method, args, 200, "unknown_method")
        try:
            result = answer(self, args, self.tokens.get(token, ""))
        except SlackError as exc:
            return await self.fail(method, args, 200, exc.error)
        self.calls.append(Call(method, args, True, None, 200))
        await self.notify()
        return web.json_response({"ok": True, **result})

    def _drop(self, request: web.Request, method, args) -> web.Response:
        """Close the connection without an answer (the client sees it reset)."""
        self.calls.append(Call(method, args, False, "connection_dropped", 0))
        if request.transport is not None:
            request.transport.abort()
        return web.Response(status=500)  # never reaches the client

    async def fail(self, method, args, status, error, headers=None) -> web.Response:
        """Answer a call with Slack's error, and record it."""
        self.calls.append(Call(method, args, False, error, status))
        await self.notify()
        return web.json_response({"ok": False, "error": error}, status=status, headers=headers)

    def _channel_wait(self, method: str, args: dict) -> float:
        """Seconds until the channel this call posts to may take another message (0: now, and it is
        counted as sent), under per_channel_rate."""
        if not self.per_channel_rate or method not in POSTING:
            return 0.0
        channel = str(args.get("channel") or args.get("channel_id") or "")
        channel = self.dm_channel(channel) if channel in self.users else channel
        now, gap = time.monotonic(), 1.0 / self.per_channel_rate
        last = self._channel_sent.get(channel)
        if last is not None and now - last < gap:
            return gap - (now - last)
        self._channel_sent[channel] = now
        return 0.0

    def _take_fault(self, method: str) -> Fault | None:
        for fault in self.faults:
            if fault.times > 0 and fault.method in (method, "*"):
                fault.times -= 1
                return fault
        return None

    @staticmethod
    async def _args(request: web.Request) -> dict:
        # slack_sdk sends some methods' arguments in the query string, others as a form or JSON.
        args = dict(request.query)
        if request.content_type == "application/json":
            args.update(await request.json())
        else:
            args.update(parse_qsl(await request.text(), keep_blank_values=True))
        for key in ("blocks", "view", "files", "attachments", "metadata"):
            if isinstance(args.get(key), str) and args[key][:1] in "[{":
                args[key] = json.loads(args[key])
        return args

    # -- uploads: files.getUploadURLExternal's URLs (localslack/webapi/files.py) ---------------
    async def _upload(self, request: web.Request) -> web.Response:
        stored = self.files.get(request.match_info["file_id"])
        if stored is None:
            return web.Response(status=404, text="no such upload")
        stored["content"] = await request.read()
        await self.notify()
        return web.Response(text="OK - " + str(len(stored["content"])))

    def stats(self) -> dict:
        """Counts for a benchmark: calls per method and HTTP status, 429s given, messages per channel."""
        calls: dict[str, dict[str, int]] = {}
        for call in self.calls:
            per = calls.setdefault(call.method, {})
            per[str(call.status)] = per.get(str(call.status), 0) + 1
        channels: dict[str, int] = {}
        for m in self.messages:
            if m.kind == "message":
                channels[m.channel] = channels.get(m.channel, 0) + 1
        return {
            "calls": calls,
            "rate_limited": self.rate_limited,
            "channel_limited": self.channel_limited,
            "messages_per_channel": channels,
        }

    async def _stats(self, request: web.Request) -> web.Response:
        return web.json_response(self.stats())

    # -- response_url -------------------------------------------------------------------------
    def new_response_url(self, origin: Message | None = None) -> str:
        """A response_url for a command (no origin) or for an action on the message `origin`."""
        key = f"R{self.next_id():08d}"
        self.responses[key] = []
        if origin is not None:
            self.origins[key] = origin
        return self.response_url(key)

    async def _respond(self, request: web.Request) -> web.Response:
        key = request.match_info["key"]
        if key not in self.responses and self.lenient:
            self.responses[key] = []
        if key not in self.responses:
            return web.Response(status=404, text="no such response_url")
        payload = await request.json()
        self.calls.append(Call("response_url", {"key": key, **payload}, True, None, 200))
        problem = check_blocks(payload.get("blocks") or [], MAX_MESSAGE_BLOCKS)
        if problem:
            self.violations.append(f"response_url invalid_blocks: {problem}")
            await self.notify()
            return web.json_response({"ok": False, "error": "invalid_blocks"}, status=400)
        origin = self.origins.get(key)
        if origin is not None and (payload.get("replace_original") or payload.get("delete_original")):
            origin.history.append((origin.text, origin.blocks))
            deleted = payload.get("delete_original")
            origin.text = "" if deleted else payload.get("text") or ""
            origin.blocks = [] if deleted else payload.get("blocks") or []
        else:
            in_channel = payload.get("response_type") == "in_channel"
            msg = Message(
                channel=key,
                ts=self.ts(),
                text=payload.get("text") or "",
                blocks=payload.get("blocks") or [],
                kind="message" if in_channel else "response",
            )
            self.responses[key].append(msg)
        await self.notify()
        return web.Response(text="ok")
